"""Find in a JSON editor: Edit > Find… (Ctrl+F) opens a bar under the text, F3 / Shift+F3 (or
Enter / Shift+Enter in the bar) go to the next / previous match, wrapping round, and Esc
closes the bar and gives the text its focus back. The window's actions act on the editor that
has the focus (else the request editor)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

if TYPE_CHECKING:
    from app.views.json_editor import JsonEditor

FIND_PLACEHOLDER = "Find in the JSON (Enter: next, Shift+Enter: previous, Esc: close)"
NOT_FOUND = "Not found"
MATCH_OF = "{index} of {count}"
NEXT = "Next"
PREVIOUS = "Previous"
CLOSE = "Close"

#: Keys the bar's field answers itself, before any window shortcut (Esc is also Cancel Call).
_OWN_KEYS = (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _utf16_to_index(text: str, position: int) -> int:
    """A Qt document position (UTF-16 units) as an index into the Python string."""
    return len(text.encode("utf-16-le")[: 2 * position].decode("utf-16-le", errors="ignore"))


class _FindField(QLineEdit):
    """The search text; Enter, Shift+Enter and Esc are its own."""

    step = Signal(bool)  # backward?
    dismissed = Signal()

    def event(self, event: QEvent) -> bool:
        override = event.type() == QEvent.Type.ShortcutOverride
        if override and isinstance(event, QKeyEvent) and event.key() in _OWN_KEYS:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.dismissed.emit()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.step.emit(bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    """The bar under one editor's text; `found(bool)` after each search."""

    found = Signal(bool)

    def __init__(self, code: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._code = code
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        row.setSpacing(6)
        self.field = _FindField()
        self.field.setObjectName("findField")
        self.field.setPlaceholderText(FIND_PLACEHOLDER)
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self._on_text_changed)
        self.field.step.connect(lambda backward: self.find_match(backward=backward))
        self.field.dismissed.connect(self.close_bar)
        self.count_label = QLabel()
        self.count_label.setObjectName("findCount")
        previous = QPushButton(PREVIOUS)
        previous.setObjectName("findPrevious")
        previous.clicked.connect(lambda: self.find_match(backward=True))
        following = QPushButton(NEXT)
        following.setObjectName("findNext")
        following.clicked.connect(lambda: self.find_match())
        close = QPushButton(CLOSE)
        close.setObjectName("findClose")
        close.clicked.connect(self.close_bar)
        row.addWidget(self.field, 1)
        row.addWidget(self.count_label)
        row.addWidget(previous)
        row.addWidget(following)
        row.addWidget(close)
        self.hide()

    def open(self) -> None:
        """Show the bar with the selected text (one line of it) to find, selected."""
        selected = self._code.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.field.setText(selected)
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self._code.setFocus(Qt.FocusReason.OtherFocusReason)

    def needle(self) -> str:
        return self.field.text()

    def find_match(self, *, backward: bool = False) -> bool:
        """Select the next (or previous) match after the cursor, wrapping round the text."""
        needle = self.needle()
        if not needle:
            self.count_label.setText("")
            return False
        document = self._code.document()
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        cursor = document.find(needle, self._code.textCursor(), flags)
        if cursor.isNull():  # wrap round
            start = QTextCursor(document)
            if backward:
                start.movePosition(QTextCursor.MoveOperation.End)
            cursor = document.find(needle, start, flags)
        hit = not cursor.isNull()
        if hit:
            self._code.setTextCursor(cursor)
            self._code.ensureCursorVisible()
        self._show_count(cursor.selectionStart() if hit else -1)
        self.found.emit(hit)
        return hit

    def _show_count(self, position: int) -> None:
        text = self._code.document().toPlainText().replace("\u2029", "\n")
        needle = self.needle().casefold()
        haystack = text.casefold()
        count = haystack.count(needle) if needle and len(haystack) == len(text) else -1
        if position < 0:
            self.count_label.setText(NOT_FOUND)
        elif count < 0:  # case folding changed the length: no exact count
            self.count_label.setText("")
        else:
            index = haystack.count(needle, 0, _utf16_to_index(text, position)) + 1
            self.count_label.setText(MATCH_OF.format(index=index, count=count))

    def _on_text_changed(self, _text: str) -> None:
        # As the person types: the first match from where the selection starts.
        cursor = self._code.textCursor()
        cursor.setPosition(cursor.selectionStart())
        self._code.setTextCursor(cursor)
        self.find_match()


class FindActions(QObject):
    """Edit > Find…, Find Next and Find Previous for the window's JSON editors."""

    def __init__(self, window: QWidget, editors: Sequence[JsonEditor]) -> None:
        super().__init__(window)
        self._editors = list(editors)
        self.find_action = self._action(window, "F&ind…", "Ctrl+F", lambda e: e.show_find())
        self.next_action = self._action(window, "Find &Next", "F3", lambda e: e.find_next())
        self.previous_action = self._action(
            window, "Find Pre&vious", "Shift+F3", lambda e: e.find_previous()
        )

    def _action(
        self, window: QWidget, text: str, key: str, act: Callable[[JsonEditor], object]
    ) -> QAction:
        action = QAction(window, text=text)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(lambda _=False: act(self.editor()))
        window.addAction(action)
        return action

    def actions(self) -> list[QAction]:
        return [self.find_action, self.next_action, self.previous_action]

    def editor(self) -> JsonEditor:
        """The editor with the focus (its text or its find bar), else the first."""
        focused = QApplication.focusWidget()
        for editor in self._editors:
            if focused is not None and (focused is editor or editor.isAncestorOf(focused)):
                return editor
        return self._editors[0]

    def add_to_menu(self, menu_bar: QMenuBar, title: str) -> None:
        """After the other entries of the menu called `title` ("&Edit")."""
        for entry in menu_bar.actions():
            menu = entry.menu()
            if entry.text() == title and isinstance(menu, QMenu):
                menu.addSeparator()
                menu.addActions(self.actions())
                return


__all__ = ["FindActions", "FindBar"]
