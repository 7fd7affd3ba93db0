"""The window in a live demo: the verdict always in view, nothing stale on screen, a title
that names the file, and a cancelled call that says so."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from window_actions import (
    WINDOW_TEST_MARKS,
    ZOE,
    choose,
    choose_file_to_open,
    click_generate,
    click_view_response,
    open_window,
    retype,
)

from app.views import strings as S
from app.views.main_window import MainWindow

pytestmark = WINDOW_TEST_MARKS


@pytest.fixture
def small_window(qtbot: QtBot, settings_path: Path) -> MainWindow:
    """The window as a projector shows it: 1280x720, zoomed in two steps."""
    window = open_window(qtbot, settings_path, size=(1280, 720))
    for _ in range(2):
        qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom == 2
    return window


def _in_view(window: MainWindow, widget) -> bool:
    """True when the whole widget is visible on the window's screen area."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    inside = window.rect().contains(top_left) and window.rect().contains(
        top_left + QPoint(widget.width() - 1, widget.height() - 1)
    )
    return widget.isVisible() and inside


def test_the_verdict_stays_in_view_after_scrolling_and_a_second_run(
    qtbot: QtBot, small_window: MainWindow
) -> None:
    window = small_window
    window.config.set_user(ZOE)
    click_view_response(qtbot, window)
    view = window.verdict_view
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())  # the person scrolled down to the rules
    retype(qtbot, window.config.form_edit("email"), "zoe@example.com")
    click_view_response(qtbot, window)
    assert view.badge_text() == "DENIED"
    assert bar.value() == 0
    assert _in_view(window, view.badge) and _in_view(window, view.headline)
    # The header is outside what scrolls: scrolling never moves it.
    before = view.badge.mapTo(window, QPoint(0, 0))
    bar.setValue(bar.maximum())
    assert view.badge.mapTo(window, QPoint(0, 0)) == before


def test_a_change_after_view_response_marks_the_answer_out_of_date(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.menu_actions.auto_rerun_action.trigger()  # off: the person wants to press Ctrl+Enter
    assert not window.menu_actions.auto_rerun_action.isChecked()
    click_view_response(qtbot, window)
    panel = window.response_panel
    assert not panel.is_stale()
    edit = window.config.form_edit("email")
    edit.setFocus()
    qtbot.keyClicks(edit, "x")
    assert panel.is_stale()
    assert panel.verdict_view.stale_note.isVisible()
    assert "Ctrl+Enter" in panel.verdict_view.stale_note.text()
    assert window.verdict_view.graphicsEffect() is None  # the body is dimmed, not the frame
    with qtbot.waitSignal(window.response_shown):
        qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not panel.is_stale() and not panel.verdict_view.stale_note.isVisible()


def test_a_bundled_target_answers_again_on_each_change(qtbot: QtBot, window: MainWindow) -> None:
    assert window.menu_actions.auto_rerun_action.isChecked()  # the default
    window.config.set_user(ZOE)
    click_view_response(qtbot, window)
    assert window.verdict_view.badge_text() == "ALLOWED"
    with qtbot.waitSignal(window.response_shown, timeout=3000):
        retype(qtbot, window.config.form_edit("email"), "zoe@example.com")
    assert window.verdict_view.badge_text() == "DENIED"
    assert not window.response_panel.is_stale()


def test_the_title_names_the_file_and_marks_unsaved_edits(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.windowTitle() == f"{S.UNTITLED}[*] — {S.APP_NAME}"
    click_generate(qtbot, window)
    path = tmp_path / "signup.json"
    path.write_text(window.request_editor.text(), encoding="utf-8")
    choose_file_to_open(monkeypatch, path)
    window.menu_actions.open_action.trigger()
    assert window.windowTitle() == f"signup.json[*] — {S.APP_NAME}"
    assert not window.isWindowModified()
    qtbot.mouseClick(window.request_block.edit_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.request_editor.code_edit, " ")
    assert window.isWindowModified()


@pytest.fixture
def silent_hook() -> Iterator[str]:
    """A port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield f"http://127.0.0.1:{server.getsockname()[1]}/registrationHookSSR"
    server.close()


def test_a_cancelled_call_says_cancelled_and_dims_the_previous_answer_meanwhile(
    qtbot: QtBot, window: MainWindow, silent_hook: str
) -> None:
    click_view_response(qtbot, window)
    choose(window.config.target_combo, "remote")
    remote = window.config.remote_panel
    retype(qtbot, remote.url_edit, silent_hook)
    retype(qtbot, remote.auth_value_edit, "Basic YWRtaW46c3VwZXJzZWNyZXQ=")
    remote.timeout_spin.setValue(20.0)
    qtbot.mouseClick(window.response_panel.view_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.calls.busy)
    view = window.verdict_view
    assert view.is_stale() and view.stale_note.text() == S.VERDICT_WAITING
    qtbot.waitUntil(window.response_panel.cancel_button.isVisible)
    with qtbot.waitSignal(window.response_shown):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert view.badge_text() == "CANCELLED"
    assert not view.is_stale()
