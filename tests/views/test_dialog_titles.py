"""Dialog titles are shown whole: each dialog is at least as wide as its title needs, measured
in the application's own (bold) font with room for the title bar's controls."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot
from window_actions import WINDOW_TEST_MARKS, choose

from app.views.dialog_titles import title_width
from app.views.main_window import MainWindow

pytestmark = WINDOW_TEST_MARKS


def modal_widths(qtbot: QtBot, open_it: Callable[[], object]) -> tuple[str, int, int]:
    """Open a modal dialog the way the window does, note its title and width, close it."""
    seen: list[tuple[str, int, int]] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or not dialog.isVisible():
            QTimer.singleShot(10, look)
            return
        seen.append((dialog.windowTitle(), dialog.width(), title_width(dialog)))
        dialog.reject()

    QTimer.singleShot(0, look)
    open_it()
    qtbot.waitUntil(lambda: bool(seen))
    return seen[0]


def test_modal_dialogs_keep_their_titles_whole(qtbot: QtBot, window: MainWindow) -> None:
    choose(window.config.target_combo, "remote")
    qtbot.waitUntil(window.config.has_remote_panel)
    remote = window.config.remote_panel
    for open_it in (remote.basic_button.click, window.config.fields_button.click):
        title, width, needed = modal_widths(qtbot, open_it)
        assert title and width >= needed, (title, width, needed)


def test_other_dialogs_keep_their_titles_whole(qtbot: QtBot, window: MainWindow) -> None:
    window.workbench.export_config_action.trigger()
    dialog: QWidget = window.workbench.config_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.width() >= title_width(dialog)
    dialog.close()


def test_a_short_message_box_is_widened_for_its_title(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(window)
    box.setWindowTitle("Save Current as Scenario: the file exists")
    box.setText("Replace?")
    qtbot.addWidget(box)
    box.open()
    qtbot.waitUntil(box.isVisible)
    qtbot.waitUntil(lambda: box.width() >= title_width(box))
    box.reject()
