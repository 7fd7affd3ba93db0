"""The Qt side of the current run (`app.logic.run.current.CurrentRun`): its plain-callback
notifications as one signal, so widgets connect as they do to any other Qt signal."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.logic.run.current import CurrentRun


class RunSignals(QObject):
    """`changed(name)` after each change of `run` (a name from `current.CHANGES`)."""

    changed = Signal(str)

    def __init__(self, run: CurrentRun, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.run = run
        self._unsubscribe = run.subscribe(self._relay)

    def _relay(self, name: str) -> None:
        try:
            self.changed.emit(name)
        except RuntimeError:  # the window went first: nobody is left to tell
            self._unsubscribe()


__all__ = ["CurrentRun", "RunSignals"]
