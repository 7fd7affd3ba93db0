"""The projector zoom for the whole window: every block's text and title, the buttons, the
menus and the status bar (the editors, the log and the verdict scale themselves), and the
zoom level shown in the status bar. It takes the window and the blocks it scales, not the main
window's attributes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QMenu

if TYPE_CHECKING:
    from PySide6.QtWidgets import QGroupBox, QMainWindow, QStatusBar

    from app.views.request_config import RequestConfigPanel

#: Something else the zoom reaches (a dock's panels): called with (factor, base point size).
ZoomFollower = Callable[[float, float], None]


def zoom_percent(factor: float) -> str:
    return f"{round(factor * 100)}%"


def apply_window_zoom(
    window: QMainWindow,
    factor: float,
    base_point_size: float,
    *,
    config: RequestConfigPanel,
    titled_blocks: Sequence[QGroupBox] = (),
    followers: Sequence[ZoomFollower] = (),
) -> None:
    """Scale the window's own font by `factor` and give it to what does not inherit it: block 1
    (`config`), the titles of the other blocks, and each of `followers`."""
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
    config.set_content_font(font)
    for block in titled_blocks:
        emphasise_title(block, base=font)
    for follow in followers:
        follow(factor, base_point_size)
    show_zoom_level(window.statusBar(), factor)


def show_zoom_level(status_bar: QStatusBar, factor: float) -> QLabel:
    """The permanent "Zoom 125%" at `status_bar`'s right end."""
    label = status_bar.findChild(QLabel, "zoomLevel")
    if label is None:
        label = QLabel()
        label.setObjectName("zoomLevel")
        label.setToolTip("Ctrl+= zooms in, Ctrl+- out, Ctrl+0 back to 100%")
        status_bar.addPermanentWidget(label)
    label.setText(f"Zoom {zoom_percent(factor)}")
    return label
