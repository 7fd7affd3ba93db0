"""The bench around the console, through the real window: the docks open by their shortcuts,
every call lands in the history (and survives a new window), a history entry replays, the
sign-up page calls the window's target, Copy as cURL and the Okta config export."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from window_actions import ROSARIO, ZOE, click_view_response, open_window

from app.logic import okta
from app.logic.run.history import open_default_store
from app.views.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("dialogs")


def press(qtbot: QtBot, window: MainWindow, keys: str) -> None:
    from PySide6.QtGui import QKeySequence

    sequence = QKeySequence(keys)
    combo = sequence[0]
    qtbot.keyClick(window, combo.key(), combo.keyboardModifiers())


def dock(window: MainWindow, name: str):
    return window.workbench.docks[name]


def test_each_dock_opens_by_its_shortcut_and_builds_on_first_show(
    qtbot: QtBot, window: MainWindow
) -> None:
    for name, keys in (
        ("historyDock", "Ctrl+H"),
        ("scenariosDock", "Ctrl+T"),
        ("signupDock", "F7"),
        ("walkthroughDock", "F8"),
    ):
        assert dock(window, name).widget() is None  # nothing built before it is shown
        press(qtbot, window, keys)
        qtbot.waitUntil(lambda n=name: dock(window, n).isVisible())
        assert dock(window, name).widget() is not None
    titles = [a.text() for a in window.menuBar().actions()]
    view = window.menuBar().actions()[titles.index("&View")].menu()
    assert {"History", "Scenarios", "Sign-up Page", "Walkthrough"} <= {
        a.text() for a in view.actions()
    }


def test_every_window_call_is_recorded_and_survives_a_new_window(
    qtbot: QtBot, window: MainWindow, settings_path: Path
) -> None:
    window.config.set_user(ROSARIO)
    click_view_response(qtbot, window)
    window.config.set_user(ZOE)
    click_view_response(qtbot, window)
    window.close()
    entries = open_default_store().list(10)
    assert [e.outcome for e in entries][:2] == ["ALLOWED", "DENIED"]
    again = open_window(qtbot, settings_path)
    press(qtbot, again, "Ctrl+H")
    qtbot.waitUntil(lambda: again.workbench.history is not None)
    history = again.workbench.history
    assert [e.outcome for e in history.entries()][:2] == ["ALLOWED", "DENIED"]


def test_keep_history_off_records_nothing(qtbot: QtBot, window: MainWindow) -> None:
    window.workbench.history_action.trigger()
    assert not window.workbench.history_action.isChecked()
    click_view_response(qtbot, window)
    assert open_default_store().list(10) == []


def test_a_history_entry_replays_into_the_editor_and_block_1_and_is_sent(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.config.set_user(ROSARIO)
    click_view_response(qtbot, window)
    recorded = window.request_editor.text()
    window.config.set_target("pp")
    window.session.generate_request()
    assert window.request_editor.text() != recorded
    press(qtbot, window, "Ctrl+H")
    qtbot.waitUntil(lambda: window.workbench.history is not None)
    history = window.workbench.history
    history.select_ids([history.entries()[0].id])
    with qtbot.waitSignal(window.response_shown, timeout=5000):
        qtbot.mouseClick(history.replay_button, Qt.MouseButton.LeftButton)  # loads and calls
    assert json.loads(window.request_editor.text()) == json.loads(recorded)
    assert window.config.target() == "ssr"
    assert window.last_exchange is not None
    assert window.last_exchange.verdict.outcome.value == "DENIED"


def test_the_sign_up_page_calls_the_windows_target_and_lands_in_history(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.config.set_target("ssr")
    press(qtbot, window, "F7")
    qtbot.waitUntil(lambda: window.workbench.signup is not None)
    page = window.workbench.signup
    for name, value in (("email", "ada@example.com"), ("firstName", "Ada"), ("lastName", "L")):
        edit = page.field_edit(name)
        edit.clear()
        qtbot.keyClicks(edit, value)
    with qtbot.waitSignal(page.exchange_ready, timeout=5000) as got:
        qtbot.mouseClick(page.findChild(QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    exchange = got.args[0]
    assert exchange.target["endpoint"] == okta.ENDPOINTS["ssr"]
    assert exchange.verdict.outcome.value == "DENIED"
    entries = open_default_store().list(5)
    assert entries and entries[0].source == "signup page"


def test_copy_as_curl_gives_the_exact_call_without_the_secret(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.session.generate_request()
    press(qtbot, window, "Ctrl+Shift+C")
    command = QGuiApplication.clipboard().text()
    assert "reghook serve" in command and "reghook serve" in window.statusBar().currentMessage()
    assert "/registrationHookSSR" in command and "${HOOK_AUTH:?" in command
    assert "YWRtaW46c3VwZXJzZWNyZXQ=" not in command
    bash = shutil.which("bash")
    if bash is None:
        return
    # What the command sends, without a network: curl replaced by a function that prints it.
    echo = "curl() { cat; printf '\\n%s\\n' \"$@\"; }\n" + command
    env = {"PATH": "/usr/bin:/bin", "HOOK_AUTH": "Basic x"}
    done = subprocess.run([bash, "-c", echo], capture_output=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    body, _, args = done.stdout.partition(b"\n--disable\n")
    assert body == window.request_editor.text().encode("utf-8")
    assert b"authorization: Basic x" in args and b"--globoff" in args


def test_copy_as_curl_refuses_a_request_that_is_not_json(qtbot: QtBot, window: MainWindow) -> None:
    QGuiApplication.clipboard().setText("before")
    window.request_editor.set_text("@/etc/hostname")
    press(qtbot, window, "Ctrl+Shift+C")
    assert QGuiApplication.clipboard().text() == "before"
    assert "is not JSON" in window.statusBar().currentMessage()


def test_export_okta_config_shows_the_api_body_terraform_and_execute(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.session.generate_request()
    window.workbench.export_config_action.trigger()
    dialog = window.workbench.config_dialog
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    dialog.url_edit.clear()
    qtbot.keyClicks(dialog.url_edit, "https://hooks.example.com/registrationHookSSR")
    body = json.loads(dialog.views["api"].toPlainText())
    assert body["type"] == okta.EVENT_TYPE and body["version"] == "1.0.0"
    assert body["channel"]["config"]["uri"] == "https://hooks.example.com/registrationHookSSR"
    assert body["channel"]["config"]["authScheme"]["type"] == "HEADER"
    assert 'resource "okta_inline_hook"' in dialog.views["terraform"].toPlainText()
    assert "/execute" in dialog.views["execute"].toPlainText()
    dialog.tabs.setCurrentIndex(1)
    dialog.copy_current()
    assert QGuiApplication.clipboard().text().startswith('variable "hook_auth"')
    dialog.url_edit.clear()
    qtbot.keyClicks(dialog.url_edit, "https://user:pw-SECRET@hooks.example.com/x")
    for key in ("api", "terraform"):
        shown = dialog.views[key].toPlainText()
        assert shown.startswith("Fix this first") and "credentials" in shown
        assert "SECRET" not in shown


def test_zoom_reaches_the_sign_up_page_built_before_or_after(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.zoom_in()
    window.zoom_in()
    press(qtbot, window, "F7")
    qtbot.waitUntil(lambda: window.workbench.signup is not None)
    page = window.workbench.signup
    zoomed = page.field_edit("email").font().pointSizeF()
    window.reset_zoom()
    assert page.field_edit("email").font().pointSizeF() < zoomed


def test_auto_re_runs_keep_one_history_row_per_settled_change(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.config.set_user(ROSARIO)
    click_view_response(qtbot, window)  # the person's own call: a row of its own
    assert window.menu_actions.auto_rerun_action.isChecked()
    spin = window.config.digits_spin
    for digits in (5, 6, 7):  # three edits, each re-run on its own once typing pauses
        with qtbot.waitSignal(window.response_shown, timeout=10_000):
            spin.setValue(digits)
    entries = open_default_store().list(10)
    assert [e.source for e in entries] == ["auto re-run", "window"]
    assert '"digits":7' in json.dumps(entries[0].target, separators=(",", ":"))
    click_view_response(qtbot, window)
    with qtbot.waitSignal(window.response_shown, timeout=10_000):
        spin.setValue(4)
    sources = [e.source for e in open_default_store().list(10)]
    assert sources == ["auto re-run", "window", "auto re-run", "window"]
