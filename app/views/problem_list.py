"""The problems under a JSON editor, one a line ("line:col  path: message"); built with the
first problems, so an editor that opens valid never loads it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QWidget

from app.views.plain_text import plain_tooltip

if TYPE_CHECKING:
    from app.logic.validation import Problem


class ProblemList(QListWidget):
    """The problems under the editor, one a line: "line:col  path: message"."""

    #: The Problem the person clicked or pressed Enter on.
    problem_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemList")
        self.setUniformItemSizes(True)
        self.setAlternatingRowColors(False)
        self._problems: tuple[Problem, ...] = ()
        self.itemClicked.connect(self._on_item)
        self.itemActivated.connect(self._on_item)

    @staticmethod
    def describe(problem: Problem) -> str:
        """The line shown for one problem."""
        where = f"{problem.line}:{problem.column}"
        if problem.path:
            return f"{where}  {problem.path}: {problem.message}"
        return f"{where}  {problem.message}"

    def set_problems(self, problems: tuple[Problem, ...]) -> None:
        """Show these problems (replacing the previous ones)."""
        self._problems = problems
        self.setUpdatesEnabled(False)
        try:
            self.clear()
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
            for index, problem in enumerate(problems):
                item = QListWidgetItem(icon, self.describe(problem))
                item.setData(Qt.ItemDataRole.UserRole, index)
                if problem.snippet:
                    item.setToolTip(plain_tooltip(problem.snippet))  # quotes the text
                self.addItem(item)
        finally:
            self.setUpdatesEnabled(True)

    def problem_at(self, row: int) -> Problem | None:
        """The problem shown in a row."""
        return self._problems[row] if 0 <= row < len(self._problems) else None

    def _on_item(self, item: QListWidgetItem) -> None:
        problem = self.problem_at(int(item.data(Qt.ItemDataRole.UserRole)))
        if problem is not None:
            self.problem_activated.emit(problem)


__all__ = ["ProblemList"]
