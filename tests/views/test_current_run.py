"""One current run: whichever surface starts a call, block 3, the Sign-up page, the Walkthrough
and the status bar show that call; choosing things never sends anything."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from window_actions import (
    ROSARIO,
    WINDOW_TEST_MARKS,
    ZOE,
    DialogRecorder,
    choose,
    choose_file_to_open,
    click_generate,
    click_view_response,
    retype,
)

from app.logic import okta
from app.views.main_window import MainWindow
from app.views.panels.signup_page import SignupPage

pytestmark = WINDOW_TEST_MARKS


def press(qtbot: QtBot, window: MainWindow, keys: str) -> None:
    combo = QKeySequence(keys)[0]
    qtbot.keyClick(window, combo.key(), combo.keyboardModifiers())


def open_page(qtbot: QtBot, window: MainWindow) -> SignupPage:
    window.workbench.docks["signupDock"].toggleViewAction().trigger()
    qtbot.waitUntil(lambda: window.workbench.signup is not None)
    page = window.workbench.signup
    assert page is not None
    return page


def sign_up(qtbot: QtBot, page: SignupPage, email: str) -> object:
    for name, value in (("email", email), ("firstName", "Ada"), ("lastName", "Lovelace")):
        edit = page.field_edit(name)
        edit.clear()
        qtbot.keyClicks(edit, value)
    with qtbot.waitSignal(page.exchange_ready, timeout=5000) as got:
        qtbot.mouseClick(page.findChild(QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    return got.args[0]


def test_a_sign_up_becomes_the_run_block_3_and_the_walkthrough_show(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.config.set_target("ssr")
    window.config.set_user(ROSARIO)  # example.com: the bundled hook denies her
    click_generate(qtbot, window)
    click_view_response(qtbot, window)
    assert window.verdict_view.verdict.outcome.value == "DENIED"

    page = open_page(qtbot, window)
    with qtbot.waitSignal(window.response_shown, timeout=5000):
        exchange = sign_up(qtbot, page, "ada@okta.com")
    assert page.on_next_screen()  # the account is created: the page says so
    # Block 3 shows this run, not the older DENIED one, and the status bar says its headline.
    assert window.last_exchange is exchange
    assert window.verdict_view.verdict is exchange.verdict
    assert window.verdict_view.verdict.outcome.value != "DENIED"
    assert not window.response_panel.is_stale()
    assert window.statusBar().currentMessage() == exchange.verdict.headline
    assert window.run.source == "signup page" and window.run.outcome is page.outcome

    press(qtbot, window, "F8")
    qtbot.waitUntil(lambda: window.workbench.walkthrough is not None)
    walkthrough = window.workbench.walkthrough
    assert "ada@okta.com" in walkthrough.step(1).body
    lit = walkthrough.current_step()
    window.set_theme("dark")
    window.set_theme("light")
    assert "ada@okta.com" in walkthrough.step(1).body
    assert walkthrough.current_step() == lit


def test_a_view_response_reaches_the_open_sign_up_page(qtbot: QtBot, window: MainWindow) -> None:
    window.config.set_target("ssr")
    page = open_page(qtbot, window)
    sign_up(qtbot, page, "ada@okta.com")
    assert page.on_next_screen()
    window.config.set_user(ROSARIO)
    click_generate(qtbot, window)
    click_view_response(qtbot, window)
    # The page draws block 3's run (denied: back on the form, with the hook's message).
    assert not page.on_next_screen()
    assert window.run.outcome is page.outcome
    assert page.field_edit("email").text() == window.config.user().login


class _Counting(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")


@pytest.fixture
def counting_server() -> Iterator[tuple[str, list[str]]]:
    _Counting.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook", _Counting.hits
    finally:
        server.shutdown()
        server.server_close()


def test_choosing_remote_after_a_sign_up_sends_nothing(
    qtbot: QtBot,
    window: MainWindow,
    dialogs: DialogRecorder,
    counting_server: tuple[str, list[str]],
) -> None:
    url, hits = counting_server
    window.config.set_target("ssr")
    page = open_page(qtbot, window)
    sign_up(qtbot, page, "ada@okta.com")
    shown, job = window.last_exchange, window.calls.job

    choose(window.config.target_combo, "remote")
    retype(qtbot, window.config.remote_panel.url_edit, url)
    choose(window.config.type_combo, okta.PP)
    choose(window.config.type_combo, okta.SSR)
    window.config.set_user(ROSARIO)

    # Nothing started, nor is waiting to start (a bundled re-run waits for a pause in typing).
    assert window.calls.job is job and not window.calls.busy
    assert not window._rerun_timer.isActive()
    assert hits == []
    assert dialogs.calls == []  # no "send without auth?" question
    assert window.last_exchange is shown
    assert window.response_panel.is_stale()  # the old answer, dimmed once
    effect = window.verdict_view.badge.graphicsEffect()
    window.response_panel.set_stale(True)
    assert window.verdict_view.badge.graphicsEffect() is effect

    # Only an explicit Sign Up calls the remote hook (asked first: no auth value is set).
    sign_up(qtbot, page, "ada@okta.com")
    assert len(dialogs.texts("question")) == 1
    qtbot.waitUntil(lambda: len(hits) == 1)


def test_open_org_refreshes_person_form_and_request_and_names_the_org(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = Path(__file__).resolve().parents[2] / "fixtures" / "okta-api-org" / "users.json"
    click_generate(qtbot, window)
    old_email = json.loads(window.request_editor.text())["data"]["userProfile"]["email"]
    choose_file_to_open(monkeypatch, users)
    with qtbot.waitSignal(window.org_loader.loaded, timeout=10_000):
        window.menu_actions.open_org_action.trigger()
    assert window.run.org is window.org
    chosen = window.config.user()
    assert chosen is not None and chosen.login == "isaac.brock@okta.com"
    # The form and the request are the new org's chosen user's, not the old person's.
    assert window.config.form().get("email") in ("", chosen.profile.get("email"))
    profile = json.loads(window.request_editor.text())["data"]["userProfile"]
    assert profile.get("email") != old_email
    click_generate(qtbot, window)
    profile = json.loads(window.request_editor.text())["data"]["userProfile"]
    assert profile.get("email") in (None, chosen.profile.get("email"))
    assert chosen.display_name in window.request_block.state_label.text()
    # A search that finds nobody names the org that is loaded.
    qtbot.waitUntil(lambda: window.org.search_ready)
    combo = window.config.user_combo
    combo.setFocus()
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "nobody-at-all")
    hint = window.config.user_hint
    qtbot.waitUntil(hint.isVisible)
    assert "demo org" not in hint.text() and "users.json" in hint.text()


def test_the_reading_reaches_the_page_scenarios_and_compare_with_bundled(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    window.config.set_target("ssr")
    click_generate(qtbot, window)
    click_view_response(qtbot, window)  # strict, the default: into the history
    with qtbot.waitSignal(window.response_shown, timeout=5000):
        window.menu_actions.reading_actions["lenient"].trigger()  # View > Okta's Undocumented Rules
    assert window.last_exchange.verdict.reading == "lenient"  # the bundled answer re-ran

    page = open_page(qtbot, window)
    assert sign_up(qtbot, page, "ada@okta.com").verdict.reading == "lenient"

    bench = window.workbench
    bench.docks["scenariosDock"].toggleViewAction().trigger()
    qtbot.waitUntil(lambda: bench.scenarios is not None)
    panel = bench.scenarios
    folder = Path(__file__).resolve().parents[2] / "fixtures" / "scenarios" / "guide" / "ssr"
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *_a, **_k: str(folder))
    )
    with qtbot.waitSignal(panel.folder_loaded, timeout=5000):
        qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    shown = window.last_exchange
    with qtbot.waitSignal(panel.run_finished, timeout=20_000):
        qtbot.mouseClick(panel.run_all_button, Qt.MouseButton.LeftButton)
    assert {r.exchange.verdict.reading for r in panel.results()} == {"lenient"}
    assert window.last_exchange is shown  # a scenario run leaves the current run alone
    assert "block 3 keeps the current run" in panel.status.text()

    bench.docks["historyDock"].toggleViewAction().trigger()
    qtbot.waitUntil(lambda: bench.history is not None)
    history = bench.history
    strict_row = next(
        i
        for i, e in enumerate(history.entries())
        if e.verdict is not None and e.verdict.get("reading") == "strict"
    )
    history.table.selectRow(strict_row)
    with qtbot.waitSignal(history._runner.succeeded, timeout=10_000):
        qtbot.mouseClick(history.compare_button, Qt.MouseButton.LeftButton)
    assert any(c.path == "reading" for c in history.last_diff.verdict_changes)


class _BareSummary(BaseHTTPRequestHandler):
    """Denies with an error that has only an errorSummary (Okta's sources disagree)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", "0")))
        body = json.dumps({"error": {"errorSummary": "Sign-ups are closed today"}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_block_3s_card_and_the_page_place_the_same_messages(
    qtbot: QtBot, window: MainWindow, dialogs: DialogRecorder
) -> None:
    window.config.set_target("ssr")
    page = open_page(qtbot, window)
    sign_up(qtbot, page, "ada@example.com")  # the bundled hook: not an okta.com address
    card = window.verdict_view.card
    under = {name: text for name, text in card.field_messages.items() if text}
    assert under and under == {name: page.field_error(name) for name in under}
    # The banner's texts, the labelled readings among them, in the card's boxes as on the page.
    shown = [*card.banner_messages, *(text for _label, text in card.reading_messages)]
    assert sorted(shown) == sorted(page.banner_texts())
    assert card.reading_messages == window.run.outcome.readings()

    server = ThreadingHTTPServer(("127.0.0.1", 0), _BareSummary)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        choose(window.config.target_combo, "remote")
        retype(
            qtbot, window.config.remote_panel.url_edit, f"http://127.0.0.1:{server.server_port}/"
        )
        sign_up(qtbot, page, "ada@example.com")  # asked once about the missing auth: Yes
    finally:
        server.shutdown()
        server.server_close()
    readings = window.run.outcome.readings()
    assert readings and readings == card.reading_messages
    assert "Sign-ups are closed today" in page.banner_texts()
    assert any(label.startswith("UNCONFIRMED") for label, _text in readings)


def test_a_change_marks_the_run_stale_on_every_surface(qtbot: QtBot, window: MainWindow) -> None:
    window.config.set_target("ssr")
    window.menu_actions.auto_rerun_action.setChecked(False)  # the person re-sends by hand
    page = open_page(qtbot, window)
    window.workbench.docks["walkthroughDock"].toggleViewAction().trigger()
    qtbot.waitUntil(lambda: window.workbench.walkthrough is not None)
    walkthrough = window.workbench.walkthrough
    sign_up(qtbot, page, "ada@okta.com")
    assert not (window.response_panel.is_stale() or page.is_stale() or walkthrough.is_stale())
    window.config.set_user(ZOE if window.config.user().login != ZOE else ROSARIO)
    assert window.run.stale
    assert window.response_panel.is_stale() and page.is_stale() and walkthrough.is_stale()
    sign_up(qtbot, page, "ada@okta.com")  # a new run: fresh everywhere
    assert not (window.response_panel.is_stale() or page.is_stale() or walkthrough.is_stale())


def test_calls_do_not_pile_up_job_objects(qtbot: QtBot, window: MainWindow) -> None:
    from app.views.exchange_job import ExchangeJob

    window.config.set_target("ssr")
    click_generate(qtbot, window)
    for _ in range(5):
        click_view_response(qtbot, window)
    qtbot.waitUntil(lambda: len(window.calls.findChildren(ExchangeJob)) == 1)
    assert window.calls.findChildren(ExchangeJob) == [window.calls.job]


def test_copy_as_curl_for_a_remote_url_asks_nothing_and_sends_nothing(
    qtbot: QtBot,
    window: MainWindow,
    dialogs: DialogRecorder,
    counting_server: tuple[str, list[str]],
) -> None:
    from PySide6.QtGui import QGuiApplication

    url, hits = counting_server
    click_generate(qtbot, window)
    choose(window.config.target_combo, "remote")
    retype(qtbot, window.config.remote_panel.url_edit, url)  # no auth value typed
    window.workbench.copy_curl_action.trigger()
    assert dialogs.calls == [] and hits == []
    assert url in QGuiApplication.clipboard().text()
    assert not window.calls.busy


def open_history(qtbot: QtBot, window: MainWindow):
    press(qtbot, window, "Ctrl+H")
    qtbot.waitUntil(lambda: window.workbench.history is not None)
    return window.workbench.history


def test_a_history_replay_is_one_call_and_becomes_the_current_run(
    qtbot: QtBot,
    window: MainWindow,
    dialogs: DialogRecorder,
    counting_server: tuple[str, list[str]],
) -> None:
    url, hits = counting_server
    window.config.set_user(ZOE)
    click_generate(qtbot, window)
    choose(window.config.target_combo, "remote")
    retype(qtbot, window.config.remote_panel.url_edit, url)
    click_view_response(qtbot, window)  # asked about the missing auth value: Yes
    assert len(hits) == 1 and len(dialogs.texts("question")) == 1
    sent_request = json.loads(window.request_editor.text())

    # Another run, on the bundled hook for another person, is what block 3 shows now.
    choose(window.config.target_combo, "ssr")
    window.config.set_user(ROSARIO)
    click_generate(qtbot, window)
    click_view_response(qtbot, window)
    bundled = window.last_exchange
    assert bundled.target["kind"] == "bundled"

    press(qtbot, window, "F8")
    qtbot.waitUntil(lambda: window.workbench.walkthrough is not None)
    walkthrough = window.workbench.walkthrough
    page = open_page(qtbot, window)
    history = open_history(qtbot, window)
    remote_entry = next(e for e in history.entries() if e.target.get("kind") == "url")
    history.select_ids([remote_entry.id])
    with qtbot.waitSignal(window.response_shown, timeout=5000):
        qtbot.mouseClick(history.replay_button, Qt.MouseButton.LeftButton)

    # One press, one request: the remote hook saw exactly one more call, and nothing waits.
    assert hits == ["/hook", "/hook"]
    assert not window.calls.busy and not window._rerun_timer.isActive()
    assert len(dialogs.texts("question")) == 1  # the same rule as View Response: asked once
    replayed = window.last_exchange
    assert replayed is not bundled and replayed.target["url"] == url
    assert replayed.request == sent_request
    assert window.config.target() == "remote"
    # It is the current run: block 3, the status bar, the Walkthrough and the page show it.
    assert window.run.source == "history replay" and window.run.exchange is replayed
    assert window.verdict_view.verdict is replayed.verdict
    assert not window.response_panel.is_stale()
    assert window.statusBar().currentMessage() == replayed.verdict.headline
    assert ZOE in walkthrough.step(1).body and ROSARIO not in walkthrough.step(1).body
    assert window.run.outcome is page.outcome
    qtbot.waitUntil(lambda: history.entries()[0].source == "history replay")


def test_replaying_a_bundled_entry_calls_once_without_a_re_run_after_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.config.set_target("ssr")
    window.config.set_user(ROSARIO)
    click_generate(qtbot, window)
    click_view_response(qtbot, window)
    window.config.set_user(ZOE)
    click_generate(qtbot, window)
    click_view_response(qtbot, window)
    history = open_history(qtbot, window)
    qtbot.waitUntil(lambda: len(history.entries()) == 2)
    rosario_entry = next(e for e in history.entries() if ROSARIO in e.request_text())
    finished: list[object] = []
    window.calls.exchange_done.connect(lambda exchange, _source: finished.append(exchange))

    history.select_ids([rosario_entry.id])
    with qtbot.waitSignal(window.response_shown, timeout=5000):
        qtbot.mouseClick(history.replay_button, Qt.MouseButton.LeftButton)
    # Loading the entry changed blocks 1 and 2, but the replay is the answer to that change:
    # no automatic re-run is left waiting to call a second time.
    assert not window._rerun_timer.isActive()
    assert finished == [window.last_exchange]
    assert window.last_exchange.verdict.outcome.value == "DENIED"
    assert window.config.user().login == ROSARIO


class _Held(BaseHTTPRequestHandler):
    """Answers only once released: a call that is still out."""

    release = threading.Event()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", "0")))
        type(self).release.wait(10)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")


def test_a_replay_while_a_call_is_out_loads_nothing_and_says_why(
    qtbot: QtBot, window: MainWindow
) -> None:
    from app.views import strings as S

    window.config.set_target("ssr")
    click_generate(qtbot, window)
    click_view_response(qtbot, window)  # a bundled entry to replay
    _Held.release = threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Held)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        choose(window.config.target_combo, "remote")
        remote = window.config.remote_panel
        retype(qtbot, remote.url_edit, f"http://127.0.0.1:{server.server_port}/hook")
        retype(qtbot, remote.auth_value_edit, "Basic abc")
        qtbot.mouseClick(window.response_panel.view_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.calls.busy)
        job, text = window.calls.job, window.request_editor.text()

        history = open_history(qtbot, window)
        qtbot.waitUntil(lambda: len(history.entries()) == 1)
        history.select_ids([history.entries()[0].id])
        qtbot.mouseClick(history.replay_button, Qt.MouseButton.LeftButton)
        assert window.statusBar().currentMessage() == S.CALL_RUNNING
        assert window.calls.job is job and window.calls.busy  # the call out goes on
        assert window.config.target() == "remote" and window.request_editor.text() == text
        with qtbot.waitSignal(window.response_shown, timeout=5000):
            qtbot.mouseClick(window.response_panel.cancel_button, Qt.MouseButton.LeftButton)
    finally:
        _Held.release.set()
        server.shutdown()
        server.server_close()
