"""Docked panels in a narrow dock: their tool rows wrap onto more rows, and no button,
picker or title is cut at the dock's edge."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QBoxLayout,
    QComboBox,
    QLabel,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot
from window_actions import WINDOW_TEST_MARKS, open_window

from app.views.main_window import MainWindow
from app.views.workbench import DOCKS

pytestmark = WINDOW_TEST_MARKS


def _rect_in(widget: QWidget, root: QWidget) -> QRect:
    return QRect(widget.mapTo(root, QPoint(0, 0)), widget.size())


def _cut(dock: QWidget) -> list[str]:
    """Controls of the dock not whole inside it (or squeezed below their own minimum)."""
    area = dock.rect()
    window = dock.window()
    found = []
    for widget in dock.findChildren(QWidget):
        if not isinstance(widget, (QAbstractButton, QComboBox, QLabel)) or not widget.isVisible():
            continue
        parent = widget.parentWidget()
        if parent is not None and (not parent.isVisible() or isinstance(parent, QTabBar)):
            continue  # a tab bar's own scroll arrows are placed by the tab bar
        if not widget.visibleRegion().boundingRect().isValid():
            continue  # scrolled out of view inside a scroll area: not cut, just below
        rect = _rect_in(widget, dock)
        on_window = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        squeezed = isinstance(widget, QAbstractButton) and (
            widget.width() < widget.minimumSizeHint().width()
        )
        if not area.contains(rect) or not window.rect().contains(on_window) or squeezed:
            found.append(widget.objectName() or widget.text() if hasattr(widget, "text") else "?")
    return found


@pytest.mark.parametrize("name", list(DOCKS))
def test_a_narrow_dock_wraps_its_rows_instead_of_cutting_them(
    qtbot: QtBot, settings_path: Path, name: str
) -> None:
    window: MainWindow = open_window(qtbot, settings_path, size=(1280, 720))
    dock = window.workbench.docks[name]
    dock.toggleViewAction().trigger()
    qtbot.waitUntil(lambda: dock.isVisible() and dock.widget() is not None)
    qtbot.waitUntil(lambda: _cut(dock) == [], timeout=3000)  # as first shown
    for width in (560, 380):
        window.resizeDocks([dock], [width], Qt.Orientation.Horizontal)
        # As narrow as asked, or as the panel's own minimum allows.
        wanted = max(width, dock.minimumSizeHint().width())
        qtbot.waitUntil(lambda w=wanted: abs(dock.width() - w) < 40)
        qtbot.waitUntil(lambda: _cut(dock) == [], timeout=3000)


def test_block1s_wrapped_hints_keep_their_lines_beside_an_open_dock(
    qtbot: QtBot, settings_path: Path
) -> None:
    window: MainWindow = open_window(qtbot, settings_path, size=(1280, 720))
    window.workbench.docks["historyDock"].toggleViewAction().trigger()
    config = window.config
    hint = config.target_hint

    def whole() -> bool:
        rows = [_rect_in(w, window) for w in (config.target_combo, hint, config.user_combo)]
        apart = not rows[0].intersects(rows[1]) and not rows[1].intersects(rows[2])
        return apart and hint.height() >= hint.heightForWidth(hint.width())

    # Block 1 narrowed: its columns under each other, the hint on two lines or more.
    qtbot.waitUntil(lambda: config.columns.direction() == QBoxLayout.Direction.TopToBottom)
    qtbot.waitUntil(lambda: hint.heightForWidth(hint.width()) > hint.fontMetrics().height())
    for _ in range(3):  # what is queued (the refit, the re-layouts) has run
        QApplication.processEvents()
    assert whole()
