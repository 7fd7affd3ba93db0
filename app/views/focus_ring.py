"""A focus frame every focusable control shows, in both themes: a 2 px ring in the theme's
accent colour drawn around whichever widget has the keyboard focus (Fusion draws none for
the editors, the log, the verdict or a table, and a faint one elsewhere)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

from app.views.theme import shown_palette, status_colors
from app.views.viewport import viewport_of

WIDTH = 2


def ring_target(widget: QWidget) -> QWidget:
    """The widget the ring goes around: a scroll area rather than its viewport."""
    parent = widget.parentWidget()
    if isinstance(parent, QAbstractScrollArea) and widget is viewport_of(parent):
        return parent
    return widget


def shown_rect(widget: QWidget, window: QWidget) -> QRect:
    """The part of `widget` its parents let show, in `window`'s coordinates (what covers it
    from inside, e.g. a scroll area's viewport, does not count)."""
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        rect = rect.intersected(QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return rect


class FocusRing(QWidget):
    """Follows the focus inside `window`; transparent to the mouse, drawn above its target."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("focusRing")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._window = window
        self._target: QWidget | None = None
        self._watched: list[QWidget] = []
        self.hide()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    @property
    def target(self) -> QWidget | None:
        return self._target

    def color(self) -> str:
        """The theme's accent blue, at 3:1 or more against either theme's window colour (the
        dark palette's highlight is too faint on its background)."""
        return status_colors(shown_palette()).profile_updated

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        self._unwatch()
        target = ring_target(new) if new is not None else None
        if target is None or target.window() is not self._window or target is self._window:
            self.hide()
            return
        self._target = target
        # The target and every parent up to the window: scrolling block 1 moves a parent.
        widget: QWidget | None = target
        while widget is not None and widget is not self._window:
            widget.installEventFilter(self)
            widget.destroyed.connect(self._on_destroyed)
            self._watched.append(widget)
            widget = widget.parentWidget()
        self._place()

    def _unwatch(self) -> None:
        for widget in self._watched:
            try:
                widget.removeEventFilter(self)
                widget.destroyed.disconnect(self._on_destroyed)
            except (RuntimeError, TypeError):  # already gone
                pass
        self._watched = []
        self._target = None

    def _on_destroyed(self, _obj: object = None) -> None:
        self._watched = []
        self._target = None
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide):
            self._place()
        return False

    def _place(self) -> None:
        target = self._target
        if target is None or not target.isVisible():
            self.hide()
            return
        # Only the part of the target on show (one scrolled half out of block 1 is framed
        # where it is seen), in the window's coordinates: the ring is the window's child.
        seen = shown_rect(target, self._window)
        if seen.isEmpty():
            self.hide()
            return
        full = QRect(target.mapTo(self._window, QPoint(0, 0)), target.size())
        self.setGeometry(
            seen.adjusted(
                -WIDTH if seen.left() == full.left() else 0,
                -WIDTH if seen.top() == full.top() else 0,
                WIDTH if seen.right() == full.right() else 0,
                WIDTH if seen.bottom() == full.bottom() else 0,
            )
        )
        self.raise_()
        self.show()
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(QColor(self.color()), WIDTH)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = WIDTH / 2
        painter.drawRoundedRect(self.rect().toRectF().adjusted(half, half, -half, -half), 3, 3)
        painter.end()
