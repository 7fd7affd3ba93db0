"""Presentation mode: full screen, blocks 1 and 2 folded to a line each, the answer takes the
room; F11, Ctrl+Shift+P or Esc leave; nothing of it is kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from window_actions import WINDOW_TEST_MARKS, ZOE, click_view_response, open_window

from app.views.main_window import MainWindow

pytestmark = WINDOW_TEST_MARKS


def _view_menu_actions(window: MainWindow) -> list[str]:
    for action in window.menuBar().actions():
        if action.text() == "&View":
            return [entry.objectName() for entry in action.menu().actions()]
    return []


def test_presentation_mode_folds_blocks_1_and_2_and_leaves_with_esc(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert "presentationMode" in _view_menu_actions(window)
    window.config.set_user(ZOE)
    click_view_response(qtbot, window)
    answer_height = window.response_panel.height()
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    presentation = window.presentation
    assert presentation.presenting
    assert not window.config_scroll.isVisible() and not window.request_block.isVisible()
    line1 = presentation.block1_line.text()
    assert "/registrationHookSSR" in line1 and ZOE in line1 and "Self-Service" in line1
    assert presentation.block2_line.isVisible()
    qtbot.waitUntil(lambda: window.response_panel.height() > answer_height + 150)
    # The request, one click away, and folded again.
    qtbot.mouseClick(presentation.show_request_button, Qt.MouseButton.LeftButton)
    assert window.request_block.isVisible()
    qtbot.mouseClick(presentation.show_request_button, Qt.MouseButton.LeftButton)
    assert not window.request_block.isVisible()
    # The answer still comes with Ctrl+Enter, and Esc leaves.
    with qtbot.waitSignal(window.response_shown):
        qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert not presentation.presenting and not presentation.strip.isVisible()
    assert window.config_scroll.isVisible() and window.request_block.isVisible()


def test_the_same_shortcut_leaves_and_nothing_is_kept(
    qtbot: QtBot, window: MainWindow, settings_path: Path
) -> None:
    shortcut = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_P, shortcut)
    qtbot.waitUntil(window.isFullScreen)
    qtbot.keyClick(window, Qt.Key.Key_P, shortcut)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert not window.presentation.presenting
    qtbot.keyClick(window, Qt.Key.Key_F11)
    qtbot.waitUntil(window.isFullScreen)
    window.close()  # in presentation mode
    again = open_window(qtbot, settings_path)
    assert not again.isFullScreen() and not again.presentation.presenting
    assert again.config_scroll.isVisible()


def test_presentation_keeps_a_compact_row_of_what_the_person_typed(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.config.set_user(ZOE)
    click_view_response(qtbot, window)
    window.presentation.action.trigger()
    presentation = window.presentation
    qtbot.waitUntil(presentation.typed_row.isVisible)
    names = list(window.config.form())
    qtbot.waitUntil(lambda: all(presentation.typed_edit(n).isVisible() for n in names))
    email = presentation.typed_edit("email")
    assert email.text() == ZOE
    # Typing there is typing in block 1: the request follows, and the answer is re-run.
    email.setFocus()
    qtbot.keyClick(email, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(window.response_shown, timeout=5000):
        qtbot.keyClicks(email, "zoe@example.com")
    assert window.config.form_edit("email").text() == "zoe@example.com"
    qtbot.waitUntil(lambda: "zoe@example.com" in window.request_editor.text())
    qtbot.waitUntil(lambda: window.verdict_view.badge_text() == "DENIED")
    # The toggle says what it will do.
    button = presentation.show_request_button
    assert button.text() == "Show request"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert button.text() == "Hide request" and window.request_block.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert button.text() == "Show request" and not window.request_block.isVisible()
    presentation.leave()
