"""Find in the JSON editors, by keyboard: Ctrl+F, typing, F3 / Shift+F3, Enter, wrapping
round, "Not found", Esc back to the text; the response editor has its own bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from window_actions import WINDOW_TEST_MARKS, ZOE, click_generate, click_view_response

from app.views.main_window import MainWindow

pytestmark = WINDOW_TEST_MARKS

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def selection_start(window: MainWindow) -> int:
    return window.request_editor.code_edit.textCursor().selectionStart()


def test_find_walks_the_request_by_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    window.config.set_user(ZOE)
    click_generate(qtbot, window)
    code = window.request_editor.code_edit
    code.setFocus()
    qtbot.waitUntil(code.hasFocus)
    qtbot.keyClick(code, Qt.Key.Key_F, CTRL)
    bar = window.request_editor.find_bar
    qtbot.waitUntil(lambda: bar.isVisible() and bar.field.hasFocus())
    qtbot.keyClicks(bar.field, "okta.com")
    text = window.request_editor.text()
    first = text.index("okta.com")
    second = text.index("okta.com", first + 1)
    assert code.textCursor().selectedText() == "okta.com"
    assert selection_start(window) == first
    count = text.count("okta.com")
    assert bar.count_label.text() == f"1 of {count}"
    qtbot.keyClick(bar.field, Qt.Key.Key_F3)  # the window's Find Next, from inside the bar
    assert selection_start(window) == second
    qtbot.keyClick(bar.field, Qt.Key.Key_F3, SHIFT)
    assert selection_start(window) == first
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, SHIFT)  # back past the start: wraps round
    assert selection_start(window) == text.rindex("okta.com")
    assert bar.count_label.text() == f"{count} of {count}"
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert selection_start(window) == first
    qtbot.keyClicks(bar.field, "zzz")
    assert bar.count_label.text() == "Not found"
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not bar.isVisible() and code.hasFocus())
    assert window.request_editor.text() == text  # finding never edits


def test_the_response_editor_has_its_own_find(qtbot: QtBot, window: MainWindow) -> None:
    window.config.set_user(ZOE)
    click_view_response(qtbot, window)
    code = window.response_editor.code_edit
    code.setFocus()
    qtbot.waitUntil(code.hasFocus)
    qtbot.keyClick(code, Qt.Key.Key_F, CTRL)
    bar = window.response_editor.find_bar
    qtbot.waitUntil(lambda: bar.isVisible() and bar.field.hasFocus())
    assert window.request_editor._find_bar is None  # the request editor's bar is not built
    qtbot.keyClicks(bar.field, "ALLOW")
    assert code.textCursor().selectedText() == "ALLOW"
    # Esc closes the bar, and only the bar: no call was running, nothing else reacts.
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not bar.isVisible() and code.hasFocus())
    assert window.verdict_view.badge_text() == "ALLOWED"
