"""The History panel driven as a person would: filter, replay, copy as cURL, diff two calls,
compare one with the bundled logic, clear."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.logic.answer import HookAnswer
from app.logic.org import load_demo_org
from app.logic.request_builder import build_request
from app.logic.run.history import HistoryStore
from app.logic.run.pipeline import run_exchange
from app.logic.targets import BundledTarget, RecordedTarget
from app.views.panels.history_panel import SAME, HistoryPanel

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("This plugin does not support"),
]

ORG = load_demo_org()
ALLOW = b'{"commands":[{"type":"com.okta.action.update","value":{"registration":"ALLOW"}}]}'


def request_text(login: str, kind: str = "ssr") -> str:
    # A progressive request carries only what was typed on the progressive form.
    typed = {"employeeNumber": "7777"} if kind == "pp" else None
    return json.dumps(build_request(kind, ORG.find(login), form=typed, seed=5))


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    store = HistoryStore(tmp_path / "history.sqlite3")
    rosario = request_text("rosario.jones@example.com")
    store.record(run_exchange(rosario, BundledTarget("ssr"), schema=ORG.schema))
    recorded = RecordedTarget(HookAnswer.from_json_bytes(ALLOW), name="my hook")
    store.record(run_exchange(rosario, recorded, schema=ORG.schema), source="send")
    zoe = request_text("zoe.lukasiewicz@okta.com", "pp")
    store.record(run_exchange(zoe, BundledTarget("pp"), schema=ORG.schema))
    return store


def make_panel(qtbot: QtBot, store: HistoryStore, copied: list[str]) -> HistoryPanel:
    panel = HistoryPanel(store, ORG.schema, clipboard=copied.append)
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    return panel


def click_row(qtbot: QtBot, panel: HistoryPanel, row: int, ctrl: bool = False) -> None:
    rect = panel.table.visualItemRect(panel.table.item(row, 1))
    modifier = Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_newest_first_and_filters(qtbot: QtBot, store: HistoryStore) -> None:
    panel = make_panel(qtbot, store, [])
    ids = [e.id for e in panel.entries()]
    assert ids == sorted(ids, reverse=True) and len(ids) == 3
    qtbot.keyClicks(panel.filter_edit, "zoe")
    assert [e.outcome for e in panel.entries()] == ["PROFILE UPDATED"]
    panel.filter_edit.clear()
    panel.outcome_box.setCurrentText("DENIED")
    assert [e.target_label for e in panel.entries()] == ["/registrationHookSSR (bundled)"]
    panel.outcome_box.setCurrentIndex(0)
    qtbot.keyClicks(panel.target_edit, "my hook")
    assert [e.source for e in panel.entries()] == ["send"]


def test_replay_and_copy_as_curl(qtbot: QtBot, store: HistoryStore) -> None:
    copied: list[str] = []
    panel = make_panel(qtbot, store, copied)
    assert not panel.replay_button.isEnabled()
    click_row(qtbot, panel, 2)  # the oldest: rosario through the bundled SSR endpoint
    with qtbot.waitSignal(panel.replay_requested) as replay:
        qtbot.mouseClick(panel.replay_button, Qt.MouseButton.LeftButton)
    text, target = replay.args
    assert json.loads(text)["data"]["userProfile"]["email"] == "rosario.jones@example.com"
    assert target == {
        "kind": "bundled",
        "endpoint": "/registrationHookSSR",
        "rules": {"allowedDomain": "okta.com", "digits": 4},
    }
    with qtbot.waitSignal(panel.curl_copied):
        qtbot.mouseClick(panel.curl_button, Qt.MouseButton.LeftButton)
    assert copied and "curl --disable --globoff" in copied[0] and "--data-binary @-" in copied[0]
    assert "reghook serve" in copied[0]  # a bundled call: the command says where it runs


def test_copy_as_curl_refuses_a_call_whose_request_was_not_json(
    qtbot: QtBot, store: HistoryStore
) -> None:
    store.record(run_exchange("@/etc/hostname", BundledTarget("ssr")))
    copied: list[str] = []
    panel = make_panel(qtbot, store, copied)
    click_row(qtbot, panel, 0)  # the newest: the text that was never sent
    with qtbot.waitSignal(panel.curl_refused) as refused:
        qtbot.mouseClick(panel.curl_button, Qt.MouseButton.LeftButton)
    assert "not JSON" in refused.args[0] and copied == []


def test_diff_two_entries_side_by_side(qtbot: QtBot, store: HistoryStore) -> None:
    panel = make_panel(qtbot, store, [])
    click_row(qtbot, panel, 1)  # my hook: ALLOW
    assert not panel.diff_button.isEnabled()
    click_row(qtbot, panel, 2, ctrl=True)  # bundled: DENY
    assert panel.diff_button.isEnabled() and not panel.replay_button.isEnabled()
    qtbot.mouseClick(panel.diff_button, Qt.MouseButton.LeftButton)
    diff = panel.last_diff
    assert diff is not None and not diff.same
    assert diff.left_label.startswith(f"#{panel.entries()[2].id} ")  # the older on the left
    assert "DENY" in panel.body_diff.left.toPlainText()
    assert "ALLOW" in panel.body_diff.right.toPlainText()
    assert panel.body_diff.changed_rows
    assert len(panel.body_diff.left.extraSelections()) == len(panel.body_diff.changed_rows)
    assert "difference(s)" in panel.diff_summary.text()
    assert '"outcome": "DENIED"' in panel.verdict_diff.left.toPlainText()


def test_compare_with_bundled(qtbot: QtBot, store: HistoryStore) -> None:
    panel = make_panel(qtbot, store, [])
    click_row(qtbot, panel, 1)  # my hook allowed an example.com address
    with qtbot.waitSignal(panel._runner.succeeded, timeout=10000):
        qtbot.mouseClick(panel.compare_button, Qt.MouseButton.LeftButton)
    diff = panel.last_diff
    assert diff is not None and not diff.same
    assert diff.right_label.startswith("/registrationHookSSR (bundled)")
    assert any(c.path == "outcome" for c in diff.verdict_changes)
    click_row(qtbot, panel, 2)  # the bundled call itself: nothing differs
    with qtbot.waitSignal(panel._runner.succeeded, timeout=10000):
        qtbot.mouseClick(panel.compare_button, Qt.MouseButton.LeftButton)
    assert panel.last_diff.same and SAME in panel.diff_summary.text()


def test_add_exchange_and_clear_after_asking(
    qtbot: QtBot, store: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = make_panel(qtbot, store, [])
    new_id = panel.add_exchange(
        run_exchange(request_text("misaki.tanaka@okta.com", "pp"), BundledTarget("pp"))
    )
    assert panel.entries()[0].id == new_id
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *_a, **_k: answers.pop(0)))
    with qtbot.assertNotEmitted(panel.history_cleared):
        qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert len(panel.entries()) == 4
    with qtbot.waitSignal(panel.history_cleared):
        qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert panel.entries() == [] and panel.status.text() == "No calls recorded yet."


def test_clearing_a_locked_history_says_nothing_was_cleared(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.sqlite3"
    HistoryStore(path).record(
        run_exchange(request_text("rosario.jones@example.com"), BundledTarget("ssr"))
    )
    panel = make_panel(qtbot, HistoryStore(path, warn=lambda _line: None, timeout_s=0.01), [])
    assert len(panel.entries()) == 1
    monkeypatch.setattr(
        QMessageBox, "question", staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    )
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with qtbot.assertNotEmitted(panel.history_cleared):
            qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    finally:
        holder.rollback()
        holder.close()
    assert panel.status.text().startswith("Nothing was cleared: ")
    assert "locked" in panel.status.text()
    assert len(panel.entries()) == 1
    assert HistoryStore(path).count() == 1


def test_a_damaged_history_is_said_in_the_panel(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"not sqlite" * 200)
    warnings: list[str] = []
    panel = make_panel(qtbot, HistoryStore(path, warn=warnings.append), [])
    assert panel.entries() == []
    assert panel.status.text().startswith("History is off:")
    assert len(warnings) == 1


def test_clicking_an_entry_shows_its_request_answer_and_verdict(
    qtbot: QtBot, store: HistoryStore
) -> None:
    panel = make_panel(qtbot, store, [])
    click_row(qtbot, panel, 2)  # the oldest: rosario through the bundled SSR endpoint
    entry = panel.selected_entries()[0]
    assert panel.tabs.currentWidget() is panel.verdict_view
    verdict = panel.verdict_view.toPlainText()
    assert verdict.startswith("DENIED")
    assert "• email: Only okta.com emails can register." in verdict
    assert '"rosario.jones@example.com"' in panel.request_view.toPlainText()
    assert panel.request_view.toPlainText().startswith("POST ")
    answer = panel.answer_view.toPlainText()
    assert answer.startswith("HTTP 200") and '"registration": "DENY"' in answer
    assert f"#{entry.id}" in panel.diff_summary.text()

    # Another entry, same tab: the person reads the verdicts one after the other.
    click_row(qtbot, panel, 1)  # my hook: ALLOW
    assert panel.verdict_view.toPlainText().startswith("ALLOWED")
    panel.tabs.setCurrentWidget(panel.request_view)
    click_row(qtbot, panel, 0)
    assert panel.tabs.currentWidget() is panel.request_view
    assert "zoe.lukasiewicz@okta.com" in panel.request_view.toPlainText()


def test_the_selection_stays_on_its_entry_when_new_calls_arrive(
    qtbot: QtBot, store: HistoryStore
) -> None:
    panel = make_panel(qtbot, store, [])
    click_row(qtbot, panel, 1)
    chosen = panel.selected_entries()[0].id
    shown = panel.verdict_view.toPlainText()
    rosario = request_text("rosario.jones@example.com")
    for _ in range(2):
        panel.add_exchange(run_exchange(rosario, BundledTarget("ssr"), schema=ORG.schema))
    assert [e.id for e in panel.selected_entries()] == [chosen]
    assert panel.table.currentRow() == 3  # moved down by the two new rows
    assert panel.verdict_view.toPlainText() == shown
    assert panel.replay_button.isEnabled()


def test_diff_then_one_click_shows_that_call_again(qtbot: QtBot, store: HistoryStore) -> None:
    panel = make_panel(qtbot, store, [])
    click_row(qtbot, panel, 1)
    click_row(qtbot, panel, 2, ctrl=True)
    qtbot.mouseClick(panel.diff_button, Qt.MouseButton.LeftButton)
    assert panel.tabs.currentWidget() in (panel.body_diff, panel.verdict_diff)
    click_row(qtbot, panel, 1)
    assert panel.tabs.currentWidget() is panel.verdict_view
    assert panel.verdict_view.toPlainText().startswith("ALLOWED")


def test_hostile_calls_from_okta_are_shown_safely_beside_the_programs(
    qtbot: QtBot, store: HistoryStore
) -> None:
    from app.logic.okta_org.calls import _call_from
    from tests.logic.okta_standin import log_event

    event = log_event(
        "cal1",
        "Hook\x1b[31m\u202e",
        "ana@okta.com",
        "2026-12-06T10:00:00.000Z",
        kind="inline_hook.executed",
    )
    event["debugContext"] = {"debugData": {"huge": "x" * 1_000_000, "ctl": "a\x00b"}}
    event["uuid"] = 7  # not a string: the row still has a key of its own
    call = _call_from(event)
    assert call is not None
    panel = make_panel(qtbot, store, [])
    panel.add_okta_calls([call, call])  # read twice: one row
    okta_rows = [n for n, row in enumerate(panel.rows()) if row is call]
    assert len(okta_rows) == 1 and len(panel.rows()) == len(panel.entries()) + 1
    target = panel.table.item(okta_rows[0], 4).text()
    assert "\x1b" not in target and "\u202e" not in target
    click_row(qtbot, panel, okta_rows[0])
    details = panel.verdict_view.toPlainText()
    assert "characters in all; the rest is not shown" in details
    assert len(details) < 80_000 and "\x00" not in details
    # A text filter that only Okta's row matches, and an outcome filter, which Okta's rows
    # (no verdict of this program's) never match.
    panel.filter_edit.setText("ana@okta.com")
    assert panel.rows() == [call]
    panel.filter_edit.clear()
    panel.outcome_box.setCurrentText("ALLOWED")
    assert call not in panel.rows()
