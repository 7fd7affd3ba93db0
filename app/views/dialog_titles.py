"""Dialog titles shown whole: a dialog is never narrower than its title needs in the title
bar (the title's width in a bold application font, plus room for the window manager's icon
and buttons), so "Export Okta Hook Co…" cannot happen. `TitleKeeper` does it for every
dialog the application shows, the standard ones (message boxes, file and input dialogs)
included."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QFont, QFontMetrics, QWindow
from PySide6.QtWidgets import QApplication, QWidget

_WIDENED = "titleKeeperWidth"
#: The title bar's icon and its minimise / maximise / close buttons, in title-bar heights.
CONTROLS_IN_LINE_HEIGHTS = 8


def title_width(widget: QWidget) -> int:
    """The width the window's title needs, with the window manager's controls beside it."""
    font = QFont(QApplication.font())
    font.setBold(True)  # title bars often draw bold; wider is safe
    metrics = QFontMetrics(font)
    text = widget.windowTitle().replace("[*]", "")
    return metrics.horizontalAdvance(text) + CONTROLS_IN_LINE_HEIGHTS * metrics.height()


def keep_title_whole(dialog: QWidget) -> None:
    """At least as wide as its title needs (and no wider than the screen)."""
    needed = title_width(dialog)
    screen = dialog.screen()
    if screen is not None:
        needed = min(needed, screen.availableGeometry().width())
    layout = dialog.layout()
    if dialog.inherits("QMessageBox") and layout is not None and layout.inherits("QGridLayout"):
        # (QMessageBox and QDialog are named, not imported: the first paint loads neither.)
        from PySide6.QtWidgets import QGridLayout, QSizePolicy, QSpacerItem

        assert isinstance(layout, QGridLayout)
        # Qt workaround: a message box sizes itself from its layout alone, ignoring the
        # minimum width; a spacer as wide as the title widens that layout.
        if dialog.property(_WIDENED) != needed:
            dialog.setProperty(_WIDENED, needed)
            spacer = QSpacerItem(needed, 0, QSizePolicy.Policy.Minimum)
            layout.addItem(spacer, layout.rowCount(), 0, 1, layout.columnCount())
    elif dialog.minimumWidth() < needed:
        dialog.setMinimumWidth(needed)


class TitleKeeper(QObject):
    """Watches which window gets the focus (not every event of the application): a dialog,
    as it comes up, keeps its title whole."""

    @classmethod
    def install(cls, app: QApplication) -> TitleKeeper:
        # Remembered here, not looked up among the application's children: that would wrap
        # its style object for Python before the first paint.
        global _installed
        if _installed is not None and _installed[0] is app:
            return _installed[1]
        keeper = cls(app)
        _installed = (app, keeper)
        app.focusWindowChanged.connect(keeper._on_focus_window)
        return keeper

    def _on_focus_window(self, window: QWindow | None) -> None:
        if window is None:
            return
        for widget in QApplication.topLevelWidgets():
            if widget.inherits("QDialog") and widget.windowHandle() is window:
                keep_title_whole(widget)
                return


#: The application and its keeper, once installed.
_installed: tuple[QApplication, TitleKeeper] | None = None

__all__ = ["TitleKeeper", "keep_title_whole", "title_width"]
