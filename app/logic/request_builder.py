"""Build the exact JSON request Okta sends a registration inline hook, from a demo-org user.

Self-service registration and progressive profile, as in okta-contract.md section 1.
"""

from __future__ import annotations

import json
import string
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from app.logic import okta
from app.logic.org import OrgUser

if TYPE_CHECKING:
    import random
    import secrets
    from datetime import datetime

# copy, datetime, random and secrets (hashlib, hmac) are imported by build_request: the window
# imports this module for its labels and form values at start, before any request is built.

__all__ = [
    "DEFAULT_PP_FIELDS",
    "DEFAULT_SOURCE",
    "DEFAULT_SSR_FIELDS",
    "PP",
    "REQUEST_TYPES",
    "REQUEST_TYPE_LABELS",
    "SSR",
    "URL_PATHS",
    "build_request",
    "dumps_request",
    "form_values",
    "format_event_time",
    "normalise_request_type",
]

SSR = okta.SSR
PP = okta.PP
REQUEST_TYPES = okta.REQUEST_TYPES
REQUEST_TYPE_LABELS = okta.REQUEST_TYPE_LABELS
URL_PATHS = okta.URL_PATHS

DEFAULT_SSR_FIELDS = ("email", "firstName", "lastName", "employeeNumber")
"""The guide's sign-up form (Email, First name, Last name) plus its Employee number input."""
DEFAULT_PP_FIELDS = ("employeeNumber",)
"""The guide's progressive form: one Employee number input."""

DEFAULT_SOURCE = "regt4qeBKU29vSoPz0g3"
"""The hook's id in the guide's example; it names the hook, so it stays the same call to call."""

_ALIASES = okta.TYPE_ALIASES
_ID_ALPHABET = string.ascii_letters + string.digits
_EVENT_ID_ALPHABET = _ID_ALPHABET + "-_"


def normalise_request_type(text: str) -> str:
    """`"ssr"`, `"PP"`, `"Progressive Profile"`, a full name... -> the exact requestType."""
    key = " ".join(str(text).strip().casefold().split())
    try:
        return _ALIASES[key]
    except KeyError:
        raise ValueError(f"unknown request type {text!r}: use {SSR} (ssr) or {PP} (pp)") from None


def _has_value(value: Any) -> bool:
    return value is not None and value != ""


def form_values(
    request_type: str, user: OrgUser, fields: Sequence[str] | None = None
) -> dict[str, Any]:
    """What the form would hold for `user`: each field the user has a value for, in order.

    For self-service registration `login` comes too, equal to the email, as Okta fills it
    (unless the form itself collects `login`).
    """
    return _form(normalise_request_type(request_type), user, fields, None)


def _form(
    kind: str, user: OrgUser, fields: Sequence[str] | None, typed: dict[str, Any] | None
) -> dict[str, Any]:
    if fields is None:
        fields = DEFAULT_SSR_FIELDS if kind == SSR else DEFAULT_PP_FIELDS
    values = {name: user.profile[name] for name in fields if _has_value(user.profile.get(name))}
    values.update(typed or {})
    if kind != SSR or "login" in fields or "login" in (typed or {}) or "email" not in values:
        return values
    # Okta sets the new user's login to the email typed on the form; it sends it before the email.
    with_login: dict[str, Any] = {}
    for name, value in values.items():
        if name == "email":
            with_login["login"] = value
        with_login[name] = value
    return with_login


def format_event_time(moment: datetime) -> str:
    """UTC with milliseconds and a Z: `2022-04-25T17:35:27.000Z` (naive times count as UTC)."""
    from datetime import UTC

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _random_text(rng: random.Random | secrets.SystemRandom, alphabet: str, size: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(size))


def build_request(
    request_type: str,
    user: OrgUser,
    *,
    form: dict[str, Any] | None = None,
    fields: Sequence[str] | None = None,
    seed: int | None = None,
    now: datetime | None = None,
    source: str | None = None,
) -> dict[str, Any]:
    """The request Okta would POST to the hook when `user` submits the form.

    `request_type`: anything `normalise_request_type` accepts. `fields`: the form's inputs
    (defaults: `DEFAULT_SSR_FIELDS` / `DEFAULT_PP_FIELDS`); a field the user has no value for is
    left out. `form`: values typed on the form, overriding or adding to the user's. With a
    `seed` and `now` the result is the same every time; otherwise `eventId` and the request id
    are fresh and `eventTime` is the current time.
    """
    import copy
    import random
    import secrets
    from datetime import UTC, datetime

    kind = normalise_request_type(request_type)
    rng: random.Random | secrets.SystemRandom = (
        random.Random(seed) if seed is not None else secrets.SystemRandom()
    )
    moment = now if now is not None else datetime.now(UTC)
    values = _form(kind, user, fields, form)
    http_request = {
        "method": "POST",
        "ipAddress": f"203.0.113.{rng.randint(1, 254)}",
        "id": _random_text(rng, _EVENT_ID_ALPHABET, 27),
        "url": {"value": URL_PATHS[kind]},
    }
    data: dict[str, Any] = {"context": {"request": http_request}}
    if kind == SSR:
        data["userProfile"] = values
        data["action"] = "ALLOW"
    else:
        context_user: dict[str, Any] = {}
        if user.password_changed is not None:
            context_user["passwordChanged"] = user.password_changed
        context_user["_links"] = {
            "groups": {"href": f"/api/v1/users/{user.id}/groups"},
            "factors": {"href": f"/api/v1/users/{user.id}/factors"},
        }
        context_user["profile"] = copy.deepcopy(user.profile)
        context_user["id"] = user.id
        data["context"]["user"] = context_user
        data["action"] = "ALLOW"
        data["userProfileUpdate"] = values
    return {
        "eventId": _random_text(rng, _EVENT_ID_ALPHABET, 22),
        "eventTime": format_event_time(moment),
        "eventType": "com.okta.user.pre-registration",
        "eventTypeVersion": "1.0",
        "contentType": "application/json",
        "cloudEventVersion": "0.1",
        "source": source if source is not None else DEFAULT_SOURCE,
        "requestType": kind,
        "data": data,
    }


def dumps_request(request: dict[str, Any]) -> str:
    """Pretty JSON as the Preview tab shows it: 2-space indent, key order kept, non-ASCII as is."""
    return json.dumps(request, indent=2, ensure_ascii=False)
