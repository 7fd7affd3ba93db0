"""Which attributes block 1's form collects: the guide's policy for the target (see
`request_builder.policy_fields`), unless the person chose others from the org's schema with
"Form fields…". Password is never offered: Okta never sends it to a hook."""

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

from app.logic.request_builder import (
    FORM_NOT_SHOWN_TEXT,
    PP,
    needs_progressive_form,
    policy_endpoint,
    policy_fields,
)

if TYPE_CHECKING:
    from app.logic.org import OrgUser, UserSchema

NEVER_OFFERED = frozenset({"password"})
NOT_IN_SCHEMA = "not in the org's schema"
DIALOG_TITLE = "Form fields"
DIALOG_HINT = (
    "The attributes this form collects (the enrollment policy's form). "
    "Okta never sends the password to a hook."
)
POLICY_BUTTON = "&Guide's Policy"
NO_FIELDS_TEXT = "This policy has no such form: choose its fields with Form fields…"


class FormFieldChoice:
    """The form's attributes per policy and request type: the guide's, or the person's."""

    def __init__(self) -> None:
        self._chosen: dict[tuple[str, str], tuple[str, ...]] = {}

    @staticmethod
    def _key(target: str, request_type: str) -> tuple[str, str]:
        return (policy_endpoint(target) or "", request_type)

    def fields(self, target: str, request_type: str) -> tuple[str, ...]:
        """The chosen attributes for `target` (a path or URL), else the guide's policy."""
        chosen = self._chosen.get(self._key(target, request_type))
        return chosen if chosen is not None else policy_fields(target, request_type)

    def choose(self, target: str, request_type: str, fields: Sequence[str]) -> None:
        """Remember `fields` for this policy's form (the guide's own list forgets the choice)."""
        names = tuple(name for name in dict.fromkeys(fields) if name not in NEVER_OFFERED)
        key = self._key(target, request_type)
        if names == policy_fields(target, request_type):
            self._chosen.pop(key, None)
        else:
            self._chosen[key] = names

    def clear(self) -> None:
        self._chosen.clear()


def offered(schema: UserSchema | None, chosen: Sequence[str]) -> list[tuple[str, str, bool]]:
    """(name, label, checked) for the chooser: the chosen fields first, in their order, then
    the rest of the schema's attributes; never the password."""
    attributes = schema.attributes if schema is not None else {}
    rows: list[tuple[str, str, bool]] = []
    for name in chosen:
        if name in NEVER_OFFERED:
            continue
        attribute = attributes.get(name)
        label = f"{attribute.title} ({name})" if attribute else f"{name} ({NOT_IN_SCHEMA})"
        rows.append((name, label, True))
    taken = set(chosen)
    for name, attribute in attributes.items():
        if name not in taken and name not in NEVER_OFFERED:
            rows.append((name, f"{attribute.title} ({name})", False))
    return rows


def form_note(request_type: str, user: OrgUser | None, fields: Sequence[str]) -> str:
    """What to say beside the form: that Okta would not show the progressive form to this
    user (they already have every field), that the policy has no such form, or nothing."""
    if not fields:
        return NO_FIELDS_TEXT
    if request_type == PP and user is not None and not needs_progressive_form(user, fields):
        return FORM_NOT_SHOWN_TEXT
    return ""


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


__all__ = ["FormFieldChoice", "FormFieldsDialog", "form_note", "offered"]
