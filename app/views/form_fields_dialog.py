"""The "Form fields…" dialog: a checkable list of the schema's attributes (the choice itself
is `form_fields.FormFieldChoice`). Imported when the dialog is first opened."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.logic.person.form_fields import DIALOG_HINT, DIALOG_TITLE, POLICY_BUTTON, offered

if TYPE_CHECKING:
    from app.logic.org import UserSchema


class FormFieldsDialog(QDialog):
    """A checkable list of the schema's attributes; `chosen()` is the checked ones, in order."""

    def __init__(
        self,
        schema: UserSchema | None,
        chosen: Sequence[str],
        policy: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("formFieldsDialog")
        self.setWindowTitle(DIALOG_TITLE)
        self._schema = schema
        self._policy = tuple(policy)
        layout = QVBoxLayout(self)
        hint = QLabel(DIALOG_HINT)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.list = QListWidget()
        self.list.setObjectName("formFieldsList")
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.policy_button = QPushButton(POLICY_BUTTON)
        self.policy_button.setToolTip("Back to the fields of the guide's policy for this target")
        buttons.addButton(self.policy_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.policy_button.clicked.connect(lambda: self._fill(self._policy))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(buttons)
        self._fill(chosen)

    def _fill(self, chosen: Sequence[str]) -> None:
        self.list.clear()
        for name, label, checked in offered(self._schema, chosen):
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def item(self, name: str) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == name:
                return item
        return None

    def names(self) -> list[str]:
        """Every attribute offered, in the list's order."""
        return [
            str(self.list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.list.count())
        ]

    def chosen(self) -> tuple[str, ...]:
        return tuple(
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in (self.list.item(row) for row in range(self.list.count()))
            if item.checkState() == Qt.CheckState.Checked
        )


__all__ = ["FormFieldsDialog"]
