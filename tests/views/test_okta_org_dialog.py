"""File > Connect to Okta Org… against the local stand-in org, driven as a person drives it:
connect, search as you type, pick a person, Preview through Okta to the guide's real hook, call
the hook's URI directly, and read the System Log."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from window_actions import WINDOW_TEST_MARKS

from app.views.main_window import MainWindow
from app.views.okta_org_dialog import OktaOrgDialog

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.logic import okta_spec
from tests.logic.okta_standin import (
    HOOK_AUTH,
    TOKEN,
    StandInOrg,
    guide_hook,
    log_event,
)

pytestmark = WINDOW_TEST_MARKS


@pytest.fixture
def org(monkeypatch: pytest.MonkeyPatch) -> Iterator[StandInOrg]:
    for name in ("OKTA_CLIENT_ORGURL", "OKTA_CLIENT_ORG_URL", "OKTA_CLIENT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    server = StandInOrg().start()
    try:
        yield server
        okta_spec.check_all(server)  # every request and answer, against Okta's spec
    finally:
        server.stop()


@pytest.fixture(scope="module")
def hook() -> Iterator[str]:
    with guide_hook() as url:
        yield url


def open_and_connect(qtbot: QtBot, window: MainWindow, org: StandInOrg) -> OktaOrgDialog:
    window.menu_actions.okta_org_action.trigger()
    dialog = window.okta_org_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.url_edit, org.url)
    qtbot.keyClicks(dialog.token_edit, TOKEN)
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Connected to"), timeout=10_000)
    return dialog


def test_search_as_you_type_and_pick_a_person(
    qtbot: QtBot, window: MainWindow, org: StandInOrg
) -> None:
    dialog = open_and_connect(qtbot, window, org)
    assert dialog.token_edit.text() == ""  # the token is not left on screen
    # The first page is listed on connecting; typing searches the org, debounced.
    qtbot.waitUntil(lambda: dialog.user_list.count() > 0, timeout=10_000)
    qtbot.keyClicks(dialog.search_edit, "isaac")
    qtbot.waitUntil(lambda: dialog.user_list.count() == 1, timeout=10_000)
    searches = {s.query["search"][0] for s in org.seen if "search" in s.query}
    assert len(searches) == 1  # one search for five keystrokes
    assert 'profile.login sw "isaac"' in searches.pop()
    dialog.user_list.setCurrentRow(0)
    qtbot.mouseClick(dialog.use_user_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: window.run.user is not None and window.run.user.login == "isaac.brock@okta.com",
        timeout=5_000,
    )
    assert window.run.org is not None and window.run.org.schema.has("loyaltyTier")
    assert window.run.org_label == f"the live org {org.url}"


def test_preview_through_okta_is_the_current_run(
    qtbot: QtBot, window: MainWindow, org: StandInOrg, hook: str
) -> None:
    org.add_hook("cal1", "Guide SSR", f"{hook}/registrationHookSSR", auth_value=HOOK_AUTH)
    dialog = open_and_connect(qtbot, window, org)
    dialog.tabs.setCurrentIndex(1)
    assert dialog.hook_list.count() == 1 and "Guide SSR" in dialog.hook_list.item(0).text()
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview_result.text().startswith("Okta:"), timeout=10_000)
    assert "Okta accepted the hook's answer (HTTP 200)" in dialog.preview_result.text()
    exchange = window.run.exchange
    assert exchange is not None and exchange.target["kind"] == "okta-preview"
    assert TOKEN not in json.dumps(exchange.to_json())
    assert any(s.path == "/api/v1/inlineHooks/cal1/execute" for s in org.seen)


def test_okta_refusing_is_shown_as_a_failed_call_with_oktas_words(
    qtbot: QtBot, window: MainWindow, org: StandInOrg, hook: str
) -> None:
    org.add_hook("cal1", "Guide SSR", f"{hook}/registrationHookSSR", auth_value=HOOK_AUTH)
    org.execute_check = lambda value: ["Invalid command: com.okta.action.update"]
    dialog = open_and_connect(qtbot, window, org)
    dialog.tabs.setCurrentIndex(1)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview_result.text().startswith("Okta:"), timeout=10_000)
    assert "Invalid command: com.okta.action.update" in dialog.preview_result.text()
    verdict = window.run.exchange.verdict
    assert verdict is not None and verdict.hook_failed


def test_call_the_hooks_uri_directly_sets_block_one(
    qtbot: QtBot, window: MainWindow, org: StandInOrg
) -> None:
    org.add_hook(
        "cal1",
        "Guide SSR",
        "https://hooks.example/ssr",
        header="x-api-key",
        auth_value="never-shown",
    )
    dialog = open_and_connect(qtbot, window, org)
    dialog.tabs.setCurrentIndex(1)
    qtbot.mouseClick(dialog.direct_button, Qt.MouseButton.LeftButton)
    assert window.config.target() == "remote"
    assert window.config.remote_panel.url() == "https://hooks.example/ssr"
    assert window.config.remote_panel.auth_name_edit.text() == "x-api-key"
    assert "never-shown" not in dialog.preview_result.text()


def test_calls_from_the_system_log(qtbot: QtBot, window: MainWindow, org: StandInOrg) -> None:
    org.add_hook("cal1", "Guide SSR", "https://hooks.example/ssr")
    org.events.append(
        log_event(
            "cal1",
            "Guide SSR",
            "ana@okta.com",
            "2026-12-06T10:00:00.000Z",
            kind="inline_hook.executed",
        )
    )
    dialog = open_and_connect(qtbot, window, org)
    dialog.tabs.setCurrentIndex(2)
    dialog.since_edit.setText("2026-12-01")
    qtbot.mouseClick(dialog.read_calls_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.call_list.count() == 1, timeout=10_000)
    assert "ana@okta.com" in dialog.call_list.item(0).text()


def test_a_wrong_token_is_one_line_and_the_window_stays_usable(
    qtbot: QtBot, window: MainWindow, org: StandInOrg
) -> None:
    window.menu_actions.okta_org_action.trigger()
    dialog = window.okta_org_dialog
    qtbot.keyClicks(dialog.url_edit, org.url)
    qtbot.keyClicks(dialog.token_edit, "wrong-token")
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "invalid, expired or revoked" in dialog.status.text(), timeout=10_000)
    assert "wrong-token" not in dialog.status.text() and not dialog.tabs.isEnabled()


def test_a_refusal_compared_with_the_hook_itself_is_a_disagreement_kept_as_evidence(
    qtbot: QtBot, window: MainWindow, org: StandInOrg, hook: str
) -> None:
    org.add_hook("cal1", "Guide SSR", f"{hook}/registrationHookSSR", auth_value=HOOK_AUTH)
    org.execute_check = lambda value: ["Invalid command: com.okta.action.update"]
    dialog = open_and_connect(qtbot, window, org)
    dialog.tabs.setCurrentIndex(1)
    qtbot.mouseClick(dialog.direct_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.config.remote_panel.auth_value_edit, HOOK_AUTH)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "DISAGREEMENT" in dialog.preview_result.text(), timeout=15_000)
    text = dialog.preview_result.text()
    assert "Straight to the hook, judged here:" in text
    assert "Okta refused this answer, but this program accepts it" in text
    assert HOOK_AUTH not in text
    from app.logic.okta_org.observations import ObservationStore

    qtbot.waitUntil(lambda: bool(ObservationStore().all()), timeout=5_000)
    assert ObservationStore().all()[0].agreement == "okta-refused-accepted-here"


def test_a_rate_limit_is_shown_while_waiting_and_the_connection_goes_on(
    qtbot: QtBot, window: MainWindow, org: StandInOrg
) -> None:
    org.rate_limit_once = True
    window.menu_actions.okta_org_action.trigger()
    dialog = window.okta_org_dialog
    qtbot.keyClicks(dialog.url_edit, org.url)
    qtbot.keyClicks(dialog.token_edit, TOKEN)
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "rate limit" in dialog.status.text(), timeout=10_000)
    assert "going on in" in dialog.status.text()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Connected to"), timeout=10_000)
    assert dialog.tabs.isEnabled()


def test_block_3_cites_what_a_live_org_was_seen_doing_beside_an_unconfirmed_rule(
    qtbot: QtBot, window: MainWindow
) -> None:
    from app.logic.okta_org.observations import Observation, ObservationStore
    from tests.logic.hookservers import OddServer

    ObservationStore().record(
        [
            Observation(
                rule="unusual-status",
                agreement="okta-refused-accepted-here",
                okta_said="Returned error response: 201",
                org="https://dev-1.okta.com",
                hook_id="cal1",
                observed_at="2026-12-06T10:00:00.000Z",
                answer=b"{}",
            )
        ]
    )
    hook_server = OddServer().start()
    try:
        window.menu_actions.okta_org_action.trigger()
        dialog = window.okta_org_dialog
        qtbot.waitUntil(lambda: dialog.citations.get("unusual-status") is not None, timeout=5_000)
        window.use_remote_uri(f"{hook_server.base}/status?code=201", "authorization")
        qtbot.keyClicks(window.config.remote_panel.auth_value_edit, "some-value")
        window.session.generate_request()
        qtbot.mouseClick(window.response_panel.view_button, Qt.MouseButton.LeftButton)
        expected = (
            "observed on your org on 2026-12-06: Okta refused an answer this program accepts "
            "(https://dev-1.okta.com)"
        )
        qtbot.waitUntil(
            lambda: any(expected in text for text in window.verdict_view.rule_texts),
            timeout=10_000,
        )
        cited = [t for t in window.verdict_view.rule_texts if expected in t]
        assert "UNCONFIRMED" in cited[0] and "201" in cited[0]
    finally:
        hook_server.stop()


def test_the_org_url_is_remembered_and_the_token_is_not(
    qtbot: QtBot, window: MainWindow, org: StandInOrg, settings_path: Path
) -> None:
    open_and_connect(qtbot, window, org)
    window.close()
    saved = settings_path.read_text(encoding="utf-8")
    assert org.url in saved and TOKEN not in saved
    from window_actions import open_window

    again = open_window(qtbot, settings_path)
    again.menu_actions.okta_org_action.trigger()
    assert again.okta_org_dialog.url_edit.text() == org.url
    assert again.okta_org_dialog.token_edit.text() == ""


def test_a_remembered_token_comes_back_from_the_keyring_for_the_window_and_the_cli(
    qtbot: QtBot,
    window: MainWindow,
    org: StandInOrg,
    settings_path: Path,
    secret_service,
    tmp_path: Path,
) -> None:
    import os
    import subprocess

    window.menu_actions.okta_org_action.trigger()
    dialog = window.okta_org_dialog
    qtbot.keyClicks(dialog.url_edit, org.url)
    qtbot.keyClicks(dialog.token_edit, TOKEN)
    dialog.remember_check.setChecked(True)
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Connected to"), timeout=15_000)
    window.close()
    assert TOKEN not in settings_path.read_text(encoding="utf-8")
    from window_actions import open_window

    again = open_window(qtbot, settings_path)
    again.menu_actions.okta_org_action.trigger()
    second = again.okta_org_dialog
    qtbot.mouseClick(second.connect_button, Qt.MouseButton.LeftButton)  # no token typed
    qtbot.waitUntil(lambda: second.status.text().startswith("Connected to"), timeout=15_000)
    # The command line finds the same keyring entry (no OKTA_CLIENT_TOKEN, no prompt).
    environ = {k: v for k, v in os.environ.items() if not k.startswith("OKTA_")}
    environ["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    result = subprocess.run(
        [sys.executable, "-m", "app", "org", "hooks", "--org", org.url],
        capture_output=True,
        text=True,
        env=environ,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_preview_through_okta_as_block_ones_target(
    qtbot: QtBot, window: MainWindow, org: StandInOrg, hook: str
) -> None:
    org.add_hook("cal1", "Guide SSR", f"{hook}/registrationHookSSR", auth_value=HOOK_AUTH)
    dialog = open_and_connect(qtbot, window, org)
    dialog.tabs.setCurrentIndex(1)
    qtbot.mouseClick(dialog.target_button, Qt.MouseButton.LeftButton)
    assert window.config.target() == "okta"
    assert window.config.target_combo.currentText() == "Guide SSR through Okta"
    assert not window.config.rules_group.isVisible()
    assert "through Okta" in window.config.target_label()
    window.session.generate_request()
    qtbot.mouseClick(window.response_panel.view_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview_result.text().startswith("Okta:"), timeout=10_000)
    assert "Okta accepted the hook's answer (HTTP 200)" in dialog.preview_result.text()
    exchange = window.run.exchange
    assert exchange is not None and exchange.target["kind"] == "okta-preview"
    calls = [s for s in org.seen if s.path == "/api/v1/inlineHooks/cal1/execute"]
    assert len(calls) == 1
    # Another target chosen in block 1: calls stop going through Okta.
    window.config.set_target("ssr")
    assert not window.config.is_remote() and window.config.rules_group.isVisibleTo(window)


def test_calls_from_the_system_log_join_the_history_panel_as_calls_from_okta(
    qtbot: QtBot,
    window: MainWindow,
    org: StandInOrg,
    hook: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from app.logic.run.history import HistoryEntry

    org.add_hook("cal1", "Guide SSR", f"{hook}/registrationHookSSR", auth_value=HOOK_AUTH)
    org.events += [
        log_event(
            "cal1", "Guide SSR", "ana@okta.com", "2026-12-06T10:00:00.000Z", kind=kind, **extra
        )
        for kind, extra in [
            ("inline_hook.executed", {}),
            ("inline_hook.response.processed", {"result": "FAILURE", "reason": "Bad command"}),
        ]
    ]
    org.events[1]["published"] = "2026-12-06T10:00:00.100Z"
    dialog = open_and_connect(qtbot, window, org)
    # One call of this program's own: Preview through Okta, recorded in the history.
    dialog.tabs.setCurrentIndex(1)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview_result.text().startswith("Okta:"), timeout=10_000)
    dialog.tabs.setCurrentIndex(2)
    dialog.since_edit.setText("2026-12-01")
    qtbot.mouseClick(dialog.read_calls_button, Qt.MouseButton.LeftButton)
    bench = window.workbench
    qtbot.waitUntil(
        lambda: bench.history is not None and len(bench.history.rows()) == 3, timeout=10_000
    )
    panel = bench.history
    assert bench.docks["historyDock"].isVisible()
    assert "the History panel lists them too" in dialog.status.text()
    # One time line, newest first: the program's call (today), then Okta's two.
    program, failed, executed = panel.rows()
    assert isinstance(program, HistoryEntry) and program.source == "okta preview"
    assert (failed.result, executed.event_type) == ("FAILURE", "inline_hook.executed")
    assert [panel.table.item(1, c).text() for c in (0, 2, 3, 4)] == [
        "Okta",
        "FROM OKTA: FAILURE",
        "—",
        "Guide SSR",
    ]
    assert panel.table.item(2, 2).text() == "FROM OKTA: SUCCESS"
    assert "System Log" in panel.table.item(2, 5).text()
    # The "From" filter: Okta's calls alone, or the program's alone.
    panel.origin_box.setCurrentText("From Okta")
    assert [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())] == ["Okta"] * 2
    panel.origin_box.setCurrentText("This program")
    assert panel.rows() == [program]
    panel.origin_box.setCurrentText("All calls")
    # Clicking a call from Okta shows what Okta logged, never an HTTP status or "not sent".
    rect = panel.table.visualItemRect(panel.table.item(1, 1))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    details = panel.verdict_view.toPlainText()
    assert "inline_hook.response.processed" in details and "FAILURE — Bad command" in details
    assert "debugContext.debugData" in details and "/idp/idx/enroll/new" in details
    assert "Known:" in details and "Rebuilt by Save as Scenario:" in details
    assert panel.tabs.tabText(0) == "Logged by Okta"
    answer, request = panel.answer_view.toPlainText(), panel.request_view.toPlainText()
    assert "does not log the hook's answer" in answer and "HTTP" not in answer
    assert "does not log the request" in request and "ana@okta.com" in request
    assert "not sent" not in (answer + request + details).casefold()
    assert "From Okta's System Log" in panel.diff_summary.text()
    # Replay, cURL and Compare are for the program's calls; Save as Scenario for Okta's.
    assert not panel.replay_button.isEnabled() and not panel.curl_button.isEnabled()
    assert not panel.compare_button.isEnabled() and panel.save_okta_button.isEnabled()
    saved = tmp_path / "logged.json"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: (str(saved), ""))
    )
    qtbot.mouseClick(panel.save_okta_button, Qt.MouseButton.LeftButton)
    scenario = json.loads(saved.read_text("utf-8"))
    assert scenario["generate"] == {"type": "ssr", "user": "ana@okta.com"}
    assert "Known:" in scenario["description"] and "Rebuilt:" in scenario["description"]
    assert "Saved the scenario" in panel.status.text()
    # The program's own call keeps its tools.
    rect = panel.table.visualItemRect(panel.table.item(0, 1))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.replay_button.isEnabled() and not panel.save_okta_button.isEnabled()
    assert panel.tabs.tabText(0) == "Verdict"


def test_reading_the_system_log_can_be_cancelled(
    qtbot: QtBot, window: MainWindow, org: StandInOrg
) -> None:
    from PySide6.QtWidgets import QApplication

    from app.views import okta_org_dialog

    org.add_hook("cal1", "Guide SSR", "https://hooks.example/ssr")
    org.events.append(
        log_event(
            "cal1",
            "Guide SSR",
            "ana@okta.com",
            "2026-12-06T10:00:00.000Z",
            kind="inline_hook.executed",
        )
    )
    dialog = open_and_connect(qtbot, window, org)
    # The users' first search (on connecting) is done: the 429 below goes to the log's reading.
    qtbot.waitUntil(
        lambda: dialog.user_list.count() > 0 and "loading" not in dialog.users_note.text(),
        timeout=10_000,
    )
    dialog.tabs.setCurrentIndex(2)
    dialog.since_edit.setText("2026-12-01")
    # The log's first answer is a 429 whose reset is far off: the reading waits until cancelled.
    org.rate_limit_once, org.rate_limit_reset_s = True, 50
    qtbot.mouseClick(dialog.read_calls_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "rate limit" in dialog.status.text(), timeout=10_000)
    assert dialog.cancel_calls_button.isEnabled()
    qtbot.mouseClick(dialog.cancel_calls_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "Reading the System Log was cancelled."
    assert okta_org_dialog._THREADS.wait_for_done(10_000)  # the worker stopped waiting
    QApplication.processEvents()  # what the worker sent back, if anything, arrives now
    assert [s.status for s in org.seen if s.path == "/api/v1/logs"] == [429]
    assert dialog.call_list.count() == 0
    assert window.workbench.history is None  # nothing was read, so nothing joined the history
    assert dialog.status.text() == "Reading the System Log was cancelled."
    assert not dialog.cancel_calls_button.isEnabled()


def _choose_target_through_okta_then_start_again(
    qtbot: QtBot, window: MainWindow, org: StandInOrg, settings_path: Path
) -> MainWindow:
    """Block 1's target becomes the hook through Okta; another window starts on the same
    settings, as the next start does."""
    from window_actions import open_window

    dialog = open_and_connect(qtbot, window, org)
    dialog.tabs.setCurrentIndex(1)
    qtbot.mouseClick(dialog.target_button, Qt.MouseButton.LeftButton)
    assert window.config.target() == "okta"
    return open_window(qtbot, settings_path)


def test_a_target_through_okta_comes_back_on_the_next_start(
    qtbot: QtBot,
    window: MainWindow,
    org: StandInOrg,
    settings_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    org.add_hook("cal1", "Guide SSR", "https://hooks.example/ssr")
    monkeypatch.setenv("OKTA_CLIENT_TOKEN", TOKEN)  # the next start finds the token here
    again = _choose_target_through_okta_then_start_again(qtbot, window, org, settings_path)
    # It starts on the target it falls back to, and the org is asked after the first paint.
    qtbot.waitUntil(lambda: again.config.target() == "okta", timeout=10_000)
    assert again.config.target_combo.currentText() == "Guide SSR through Okta"
    message = again.statusBar().currentMessage()
    assert "Guide SSR through Okta again" in message and org.url in message
    assert TOKEN not in Path(settings_path).read_text("utf-8")


def test_a_target_through_okta_that_cannot_come_back_says_why(
    qtbot: QtBot,
    window: MainWindow,
    org: StandInOrg,
    settings_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    org.add_hook("cal1", "Guide SSR", "https://hooks.example/ssr")
    monkeypatch.setenv("OKTA_CLIENT_TOKEN", TOKEN)
    dialog = open_and_connect(qtbot, window, org)
    dialog.tabs.setCurrentIndex(1)
    qtbot.mouseClick(dialog.target_button, Qt.MouseButton.LeftButton)
    org.hooks.clear()  # the hook was deleted on the org meanwhile
    from window_actions import open_window

    again = open_window(qtbot, settings_path)
    qtbot.waitUntil(lambda: "last time" in again.statusBar().currentMessage(), timeout=10_000)
    message = again.statusBar().currentMessage()
    assert "was Guide SSR through Okta last time" in message
    assert "no registration hook cal1" in message and "Connect to Okta Org" in message
    assert again.config.target() != "okta"
    assert again.config.target_combo.findData("okta") < 0


def test_a_target_through_okta_without_a_token_at_the_next_start_says_so(
    qtbot: QtBot,
    window: MainWindow,
    org: StandInOrg,
    settings_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    org.add_hook("cal1", "Guide SSR", "https://hooks.example/ssr")
    monkeypatch.setenv("OKTA_CLIENT_TOKEN", TOKEN)
    dialog = open_and_connect(qtbot, window, org)
    dialog.tabs.setCurrentIndex(1)
    qtbot.mouseClick(dialog.target_button, Qt.MouseButton.LeftButton)
    monkeypatch.delenv("OKTA_CLIENT_TOKEN")  # typed once, never remembered
    from window_actions import open_window

    again = open_window(qtbot, settings_path)
    qtbot.waitUntil(lambda: "last time" in again.statusBar().currentMessage(), timeout=10_000)
    message = again.statusBar().currentMessage()
    assert "no API token" in message and "Connect to Okta Org" in message
    assert again.config.target() != "okta"
