"""A scroll area's viewport, without PySide6's first-meeting cost.

The first time PySide6 is handed a plain `QWidget` that C++ created (a scroll area's viewport
is one), it loads every `QWidget` subclass it knows to find the most derived Python type:
about 15 ms, once per process. Before the window's first paint that is a tenth of the start.
Asking for the child by Qt's own object name, with the type given, wraps it as a `QWidget`
straight away; after that `viewport()` finds the same wrapper."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

#: The object name Qt gives the viewport it creates (QAbstractScrollAreaPrivate::init).
QT_VIEWPORT_NAME = "qt_scrollarea_viewport"


def viewport_of(area: QAbstractScrollArea) -> QWidget:
    """`area.viewport()`, the same object, reached without the type search."""
    found = area.findChild(QWidget, QT_VIEWPORT_NAME, Qt.FindChildOption.FindDirectChildrenOnly)
    return found if found is not None else area.viewport()
