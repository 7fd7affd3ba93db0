"""The projector zoom for the whole window: every block's text and title, the buttons, the
menus and the status bar (the editors, the log and the verdict scale themselves), and the
zoom level shown in the status bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QMenu

if TYPE_CHECKING:
    from app.views.main_window import MainWindow


def zoom_percent(factor: float) -> str:
    return f"{round(factor * 100)}%"


def apply_window_zoom(window: MainWindow, factor: float, base_point_size: float) -> None:
    """Scale the window's own font by `factor` and give it to what does not inherit it."""
    from app.views.request_config import emphasise_title

    font = QFont(QApplication.font())
    font.setPointSizeF(max(6.0, base_point_size * factor))
    window.setFont(font)
    window.menuBar().setFont(font)
    window.statusBar().setFont(font)
    # Menus open as windows of their own: they inherit nothing from the window.
    for menu in window.findChildren(QMenu):
        menu.setFont(font)
    # Each block gave its children the normal font explicitly (so the title's stays its own).
    window.config.set_content_font(font)
    emphasise_title(window.request_block, base=font)
    emphasise_title(window.response_panel, base=font)
    bench = getattr(window, "workbench", None)
    if bench is not None:
        bench.set_zoom_factor(factor, base_point_size)
    show_zoom_level(window, factor)


def show_zoom_level(window: MainWindow, factor: float) -> QLabel:
    """The permanent "Zoom 125%" at the status bar's right end."""
    label = window.statusBar().findChild(QLabel, "zoomLevel")
    if label is None:
        label = QLabel()
        label.setObjectName("zoomLevel")
        label.setToolTip("Ctrl+= zooms in, Ctrl+- out, Ctrl+0 back to 100%")
        window.statusBar().addPermanentWidget(label)
    label.setText(f"Zoom {zoom_percent(factor)}")
    return label
