"""Which attributes block 1's form collects: the guide's policy for the target (see
`request_builder.policy_fields`), unless the person chose others from the org's schema with
"Form fields…". Password is never offered: Okta never sends it to a hook."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

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


__all__ = ["FormFieldChoice", "form_note", "offered"]
