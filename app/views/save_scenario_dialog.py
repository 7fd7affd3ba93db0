"""Save Current as Scenario: one dialog for the scenario's name and its file, the name
prefilled from the call (outcome, who, request type) and the file following the name until
the person picks one (typed, or with Browse…)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.logic import okta
from app.views.dialog_titles import keep_title_whole

TITLE = "Save Current as Scenario"
NAME_LABEL = "Name:"
FILE_LABEL = "File:"
BROWSE = "Browse…"
FILE_FILTER = "Scenario files (*.json)"


def suggested_name(request: Any, outcome: str) -> str:
    """ "DENIED: rosario.jones@example.com, Self-Service Registration" from the call itself."""
    request = request if isinstance(request, dict) else {}
    data = request.get("data") if isinstance(request.get("data"), dict) else {}
    who = ""
    for holder in (data.get("userProfile"), _dig(data, "context", "user", "profile")):
        if isinstance(holder, dict):
            found = holder.get("login") or holder.get("email")
            if isinstance(found, str) and found:
                who = found
                break
    kind = request.get("requestType")
    label = okta.REQUEST_TYPE_LABELS.get(kind, "") if isinstance(kind, str) else ""
    details = ", ".join(part for part in (who, label) if part)
    return f"{outcome}: {details}" if details else outcome or "Scenario"


def _dig(value: Any, *keys: str) -> Any:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def file_name_for(name: str) -> str:
    """A file name from a scenario name: lower case, words joined by hyphens, ".json"."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:80] or "scenario"
    return f"{slug}.json"


class SaveScenarioDialog(QDialog):
    """Asks once: name and file. `name()` and `path()` after `accepted`."""

    def __init__(self, name: str, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saveScenarioDialog")
        self.setWindowTitle(TITLE)
        self._folder = folder
        self._file_chosen = False
        self.name_edit = QLineEdit(name)
        self.name_edit.setObjectName("scenarioName")
        self.name_edit.selectAll()
        self.file_edit = QLineEdit(str(folder / file_name_for(name)))
        self.file_edit.setObjectName("scenarioFile")
        browse = QPushButton(BROWSE)
        browse.setObjectName("browseScenarioFile")
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(NAME_LABEL, self.name_edit)
        form.addRow(FILE_LABEL, file_row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.name_edit.textChanged.connect(self._on_name_changed)
        self.file_edit.textEdited.connect(self._on_file_edited)
        self._on_name_changed(name)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        keep_title_whole(self)

    def name(self) -> str:
        return self.name_edit.text().strip()

    def path(self) -> Path:
        return Path(self.file_edit.text().strip())

    def _on_name_changed(self, text: str) -> None:
        if not self._file_chosen:
            self.file_edit.setText(str(self._folder / file_name_for(text)))
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(bool(text.strip()) and bool(self.file_edit.text().strip()))

    def _on_file_edited(self, text: str) -> None:
        self._file_chosen = True
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(bool(self.name()) and bool(text.strip()))

    def _browse(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, TITLE, self.file_edit.text(), FILE_FILTER)
        if path:
            self._file_chosen = True
            self.file_edit.setText(path)


__all__ = ["SaveScenarioDialog", "file_name_for", "suggested_name"]
