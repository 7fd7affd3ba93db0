"""Driving the main window the way a person does (keyboard and mouse)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.logic.org import DemoOrg, load_demo_org
from app.views.main_window import MainWindow
from app.views.settings import Settings

#: Marks for every window test module: fail on Qt warnings (the offscreen platform cannot raise
#: a popup or grab the keyboard, which the completer asks for), and never open a real modal box.
WINDOW_TEST_MARKS = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("This plugin does not support"),
    pytest.mark.usefixtures("dialogs"),
]

ROSARIO = "rosario.jones@example.com"  # no employee number, example.com address
ZOE = "zoe.lukasiewicz@okta.com"  # employee number 4821, okta.com

_ORG: DemoOrg | None = None


def demo_org() -> DemoOrg:
    global _ORG
    if _ORG is None:
        _ORG = load_demo_org()
    return _ORG


class DialogRecorder:
    """Stands in for QMessageBox's static functions: records each call, answers `answer`."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.answer = QMessageBox.StandardButton.Yes

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def make(kind: str) -> Any:
            def fake(_parent: Any, _title: str, text: str, *args: Any, **kwargs: Any) -> Any:
                self.calls.append((kind, text))
                if kind == "question":
                    return self.answer
                return QMessageBox.StandardButton.Ok

            return fake

        for kind in ("question", "warning", "information", "critical"):
            monkeypatch.setattr(QMessageBox, kind, staticmethod(make(kind)))

    def texts(self, kind: str) -> list[str]:
        return [text for k, text in self.calls if k == kind]


def open_window(
    qtbot: QtBot, settings_path: Path, *, size: tuple[int, int] = (1280, 800)
) -> MainWindow:
    window = MainWindow(demo_org(), Settings(settings_path))
    qtbot.addWidget(window)
    window.resize(*size)
    with qtbot.waitExposed(window):
        window.show()
    with qtbot.waitActive(window):  # shortcuts go to the active window
        window.activateWindow()
    return window


def choose(combo: QComboBox, data: str) -> None:
    """Pick the item whose data is `data` (as a click in the drop-down list does)."""
    index = combo.findData(data)
    assert index >= 0, f"{data!r} not in the combo"
    combo.setCurrentIndex(index)


def retype(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """Select all, delete, type `text`: what a person does to replace a field's value."""
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(edit, text)


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type `text` key by key; characters QTest cannot synthesise go as plain key events."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            # Qt workaround: QTest aborts on non-Latin-1 keys; an input method sends these.
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
                QApplication.sendEvent(widget, event)


def click_generate(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.request_generated, timeout=2000):
        qtbot.mouseClick(window.request_block.generate_button, Qt.MouseButton.LeftButton)


def click_view_response(qtbot: QtBot, window: MainWindow, timeout: int = 5000) -> None:
    with qtbot.waitSignal(window.response_shown, timeout=timeout):
        qtbot.mouseClick(window.response_panel.view_button, Qt.MouseButton.LeftButton)


def select_in_editor(window: MainWindow, needle: str, occurrence: int = 0) -> None:
    """Put the request editor's selection on `needle` (as a double-click/drag would)."""
    code = window.request_editor.code_edit
    text = window.request_editor.text()
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    cursor = code.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(needle), QTextCursor.MoveMode.KeepAnchor)
    code.setTextCursor(cursor)
    code.setFocus()


def response_json(window: MainWindow) -> Any:
    return json.loads(window.response_editor.text())


def choose_file_to_open(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """The next Open dialog answers with `path`, as if the person picked it."""
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "JSON"))
    )


def choose_file_to_save(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """The next Save dialog answers with `path`."""
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "JSON"))
    )
