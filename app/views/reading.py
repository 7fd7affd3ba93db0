"""View > Okta's Undocumented Rules: Strict / Lenient. Which reading the verdict applies to the
rules Okta does not document (each such rule break is labelled UNCONFIRMED); strict, the
default, reads an answer Okta might refuse as refused. Remembered between sessions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from app.views import settings as K

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from app.logic.run.current import CurrentRun
    from app.views.settings import SettingsBinder

MENU_TITLE = "Okta's &Undocumented Rules"
LABELS = {
    "strict": "&Strict (an answer Okta might refuse is refused)",
    "lenient": "&Lenient (Okta goes on where it might)",
}
READINGS = tuple(LABELS)


@dataclass
class ReadingMenu:
    menu: QMenu
    actions: dict[str, QAction]


def build_reading_menu(
    owner: QWidget, run: CurrentRun, changed: SignalInstance, binder: SettingsBinder
) -> ReadingMenu:
    """The submenu; checking a reading sets the current run's reading (which every surface's
    next call takes), emits `changed(reading)` and is remembered through `binder`."""
    menu = QMenu(MENU_TITLE, owner)
    menu.setObjectName("readingMenu")
    group = QActionGroup(owner)
    group.setExclusive(True)
    actions: dict[str, QAction] = {}
    for reading in READINGS:
        action = QAction(owner, text=LABELS[reading])
        action.setCheckable(True)
        action.setData(reading)
        action.setObjectName(f"reading_{reading}")
        group.addAction(action)
        menu.addAction(action)
        actions[reading] = action
    actions["strict"].setChecked(True)

    def choose(reading: str) -> None:
        if reading not in actions:
            reading = "strict"
        actions[reading].setChecked(True)
        if run.reading != reading:
            run.update(reading=reading)
            changed.emit(reading)

    group.triggered.connect(lambda action: choose(str(action.data())))
    binder.bind(K.READING, choose, changed, str)
    return ReadingMenu(menu, actions)


__all__ = ["READINGS", "ReadingMenu", "build_reading_menu"]
