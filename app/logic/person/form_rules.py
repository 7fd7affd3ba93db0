"""The sign-up and progressive forms as the person fills them in: which inputs, their labels in
the person's language, and the checks made before the hook is ever called.

Two checks run before any call, the way the person meets them:
- a required input left empty gets `model.validation.field.blank` under it and the banner
  `oform.errorbanner.title` (Gen3 `transform.ts` + `useOnSubmitValidation.ts`: the widget
  itself, in the browser). Like the widget, only an empty value counts as blank.
- an email input whose value is not shaped like an address gets
  `registration.error.invalidLoginEmail.Email`. The Gen3 widget does not check this itself:
  Okta's server refuses the login and the widget maps that server error to this key
  (`i18nUtils.js`). That the server does so before it calls the hook is our reading
  (UNCONFIRMED); the shape rule (something@domain.tld, no spaces) is ours, as Okta publishes none.
An optional input left empty is not sent (Gen2 `EnrollProfileView` drops it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.logic import okta

if TYPE_CHECKING:
    from app.logic.org import OrgUser, UserSchema
    from app.logic.person.texts import WidgetTexts

#: Attributes whose input is an email address.
EMAIL_ATTRIBUTES = frozenset({"email", "secondEmail", "login"})
_EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")


def guide_form(endpoint: str, request_type: str) -> tuple[str, ...]:
    """The inputs the guide's policy puts on this flow's form for this endpoint: the one
    policy, `okta.POLICY_FORMS`, read through `request_builder.policy_fields` (a target that
    is none of the guide's endpoints gets Okta's default sign-up form and the guide's
    progressive form)."""
    from app.logic.request_builder import policy_fields

    return policy_fields(endpoint or None, request_type)


@dataclass(frozen=True)
class FormField:
    """One input of the form: the attribute it fills, its label, required or optional."""

    name: str
    label: str
    required: bool
    email: bool


def form_fields(
    names: Sequence[str],
    texts: WidgetTexts,
    schema: UserSchema | None = None,
    required: Iterable[str] | None = None,
) -> tuple[FormField, ...]:
    """The form's inputs in order. `required`: the names the policy makes required (default:
    every input, as the guide's policy has it)."""
    must = set(names) if required is None else set(required)
    fields = []
    for name in dict.fromkeys(names):
        attribute = schema.attributes.get(name) if schema is not None else None
        title = attribute.title if attribute is not None else None
        fields.append(
            FormField(
                name=name,
                label=texts.label(name, title),
                required=name in must,
                email=name in EMAIL_ATTRIBUTES,
            )
        )
    return tuple(fields)


def looks_like_email(value: str) -> bool:
    return _EMAIL_SHAPE.fullmatch(value) is not None


def check_form(
    fields: Sequence[FormField], values: dict[str, str], texts: WidgetTexts
) -> dict[str, str]:
    """The messages each input gets before any call (input name -> text); empty when the form
    may be sent."""
    problems: dict[str, str] = {}
    for field in fields:
        value = values.get(field.name, "")
        if not value:
            if field.required:
                problems[field.name] = texts.get("model.validation.field.blank")
            continue
        if field.email and not looks_like_email(value):
            problems[field.name] = texts.get("registration.error.invalidLoginEmail.Email")
    return problems


def submitted_values(fields: Sequence[FormField], values: dict[str, str]) -> dict[str, str]:
    """What the form sends: each input as typed, an empty optional one left out."""
    return {f.name: values.get(f.name, "") for f in fields if values.get(f.name, "") or f.required}


def request_text(
    request_type: str,
    values: dict[str, str],
    user: OrgUser | None = None,
    *,
    seed: int | None = None,
) -> str:
    """The request Okta sends when the person submits `values` (what `submitted_values` gives),
    built by the one request builder.

    Registration: a new person, so nothing of any stored user goes in, only what was typed
    (and `login`, which Okta fills from the email). Progressive profile: `user` is the person
    signing in; `userProfileUpdate` holds only what was typed.
    """
    from app.logic.org import OrgUser
    from app.logic.request_builder import build_request, dumps_request

    if request_type == okta.PP:
        if user is None:
            raise ValueError("the progressive form is for an existing user: choose one")
        person = user
    else:
        person = OrgUser(id="", password_changed=None, profile={})
    request = build_request(
        request_type, person, form=dict(values), fields=tuple(values), seed=seed
    )
    return dumps_request(request)
