"""View > Okta's Undocumented Rules: Strict / Lenient. Which reading the verdict applies to the
rules Okta does not document (each such rule break is labelled UNCONFIRMED); strict, the
default, reads an answer Okta might refuse as refused. Remembered between sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from app.views import settings as K

if TYPE_CHECKING:
    from app.views.main_window import MainWindow

MENU_TITLE = "Okta's &Undocumented Rules"
LABELS = {
    "strict": "&Strict (an answer Okta might refuse is refused)",
    "lenient": "&Lenient (Okta goes on where it might)",
}
READINGS = tuple(LABELS)


def build_reading_menu(window: MainWindow) -> QMenu:
    """The submenu; checking a reading sets the current run's reading (which every surface's
    next call takes) and re-runs a bundled answer (as any other change does)."""
    menu = QMenu(MENU_TITLE, window)
    menu.setObjectName("readingMenu")
    group = QActionGroup(window)
    group.setExclusive(True)
    window.reading_actions: dict[str, QAction] = {}
    for reading in READINGS:
        action = QAction(window, text=LABELS[reading])
        action.setCheckable(True)
        action.setData(reading)
        action.setObjectName(f"reading_{reading}")
        group.addAction(action)
        menu.addAction(action)
        window.reading_actions[reading] = action
    window.reading_actions["strict"].setChecked(True)

    def choose(reading: str) -> None:
        if reading not in window.reading_actions:
            reading = "strict"
        window.reading_actions[reading].setChecked(True)
        if window.run.reading != reading:
            window.run.update(reading=reading)
            window.calls.reading_changed.emit(reading)

    group.triggered.connect(lambda action: choose(str(action.data())))
    window.binder.bind(K.READING, choose, window.calls.reading_changed, str)
    return menu


__all__ = ["READINGS", "build_reading_menu"]
