"""The keyboard: the README's table is the window's list of shortcuts, no shortcut is a key a
text field keeps for itself, each dock's key works from inside a field without touching its
text, and each Alt letter is used once in the window."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QWidget
from pytestqt.qtbot import QtBot
from window_actions import WINDOW_TEST_MARKS, click_generate

from app.views.main_window import MainWindow

pytestmark = WINDOW_TEST_MARKS

README = Path(__file__).resolve().parents[2] / "README.md"

#: Line-editing keys a QLineEdit answers itself with Qt's Linux (KDE / GNOME) key schemes
#: (QKeySequence's standard-shortcut table: DeleteCompleteLine Ctrl+U, DeleteEndOfLine Ctrl+K,
#: Delete Ctrl+D, MoveToEndOfLine Ctrl+E, Deselect Ctrl+Shift+A), which the offscreen test
#: platform does not load, plus whatever this platform binds to text editing.
LINUX_TEXT_KEYS = {"Ctrl+U", "Ctrl+K", "Ctrl+D", "Ctrl+E", "Ctrl+Shift+A", "Ctrl+W"}
TEXT_STANDARD_KEYS = [
    name
    for name in QKeySequence.StandardKey.__members__
    if name.startswith(("Move", "Select", "Delete", "Insert", "Backspace", "Deselect"))
]


def text_field_keys() -> set[str]:
    keys = set(LINUX_TEXT_KEYS)
    for name in TEXT_STANDARD_KEYS:
        for sequence in QKeySequence.keyBindings(QKeySequence.StandardKey[name]):
            keys.add(sequence.toString(QKeySequence.SequenceFormat.PortableText))
    return keys


def shortcut_actions(window: MainWindow) -> dict[str, list[str]]:
    found = {}
    for action in window.actions():
        keys = [s.toString(QKeySequence.SequenceFormat.PortableText) for s in action.shortcuts()]
        if keys:
            found[action.text().replace("&", "").rstrip("…")] = keys
    return found


def readme_table() -> dict[str, list[str]]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Keyboard shortcuts", 1)[1].split("\n\n(", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0] not in ("Action", "---"):
            rows[cells[0]] = [k.strip() for k in cells[1].split(", ")]
    return rows


def test_the_readme_table_is_the_windows_list(window: MainWindow) -> None:
    assert readme_table() == shortcut_actions(window)


def test_no_shortcut_is_a_key_a_text_field_keeps(window: MainWindow) -> None:
    owned = text_field_keys()
    for action in window.actions():
        if action.objectName().startswith("edit_"):
            continue  # Undo, Copy, ...: they act on the focused field itself
        for sequence in action.shortcuts():
            key = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            assert key not in owned, f"{action.text()}: {key}"


def test_each_dock_key_works_inside_a_focused_field_and_leaves_its_text(
    qtbot: QtBot, window: MainWindow
) -> None:
    click_generate(qtbot, window)
    fields = (window.config.domain_edit, window.request_editor.code_edit)
    for name, dock in window.workbench.docks.items():
        for field in fields:
            dock.hide()
            field.setFocus()
            qtbot.waitUntil(field.hasFocus)
            before = field.text() if hasattr(field, "text") else field.toPlainText()
            combo = dock.toggleViewAction().shortcut()[0]
            qtbot.keyClick(field, combo.key(), combo.keyboardModifiers())
            qtbot.waitUntil(dock.isVisible)
            after = field.text() if hasattr(field, "text") else field.toPlainText()
            assert after == before, name


def test_reset_has_a_shortcut(qtbot: QtBot, window: MainWindow) -> None:
    click_generate(qtbot, window)
    window.menu_actions.edit_action.trigger()
    qtbot.keyClicks(window.request_editor.code_edit, " ")
    assert window.has_unsaved_edits()
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert not window.has_unsaved_edits()  # asked first (answered Yes), then regenerated


def _letter(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).upper() if found else None


def test_each_alt_letter_is_used_once_in_the_window(qtbot: QtBot, window: MainWindow) -> None:
    for dock in window.workbench.docks.values():
        dock.toggleViewAction().trigger()
    window.config.set_target("remote")  # the remote settings' fields too
    qtbot.waitUntil(lambda: window.config.has_remote_panel())
    owners: dict[str, list[str]] = {}
    for action in window.menuBar().actions():
        letter = _letter(action.text())
        if letter:
            owners.setdefault(letter, []).append(f"menu {action.text()}")
    for widget in window.findChildren(QWidget):
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        else:
            continue
        letter = _letter(text)
        if letter:
            owners.setdefault(letter, []).append(text)
    shared = {letter: texts for letter, texts in owners.items() if len(texts) > 1}
    assert shared == {}
    assert {"F", "E", "R", "V", "H"} <= set(owners)  # the menus keep theirs
