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
    from datetime import datetime

# copy, datetime and random are imported by build_request: the window imports this module for
# its labels and form values at start, before any request is built.

__all__ = [
    "DEFAULT_ORG_URL",
    "DEFAULT_PP_FIELDS",
    "DEFAULT_SOURCE",
    "DEFAULT_SSR_FIELDS",
    "FORM_NOT_SHOWN_TEXT",
    "PP",
    "REQUEST_TYPES",
    "REQUEST_TYPE_LABELS",
    "SSR",
    "URL_PATHS",
    "build_request",
    "context_profile",
    "dumps_request",
    "form_values",
    "format_event_time",
    "lacking_fields",
    "needs_progressive_form",
    "normalise_request_type",
    "parse_event_time",
    "parse_fields",
    "policy_endpoint",
    "policy_fields",
]

SSR = okta.SSR
PP = okta.PP
REQUEST_TYPES = okta.REQUEST_TYPES
REQUEST_TYPE_LABELS = okta.REQUEST_TYPE_LABELS
URL_PATHS = okta.URL_PATHS
DEFAULT_ORG_URL = okta.DEFAULT_ORG_URL

DEFAULT_SSR_FIELDS = okta.POLICY_FORMS["/registrationHookSSRandPP"][SSR]
"""The combined policy's sign-up form (Email, First name, Last name, Employee number): every
sign-up field any of the guide's policies has. `policy_fields` gives one target's form."""
DEFAULT_PP_FIELDS = okta.PROGRESSIVE_FIELDS
"""The guide's progressive form: one Employee number input."""

DEFAULT_SOURCE = okta.DEFAULT_SOURCE
"""A policy rule id, as real orgs send it; it names the rule, so it stays the same call to call
(the guide's examples show the hook id `okta.GUIDE_SOURCE` instead: both occur)."""

FORM_NOT_SHOWN_TEXT = "Okta would not show this form to this user"
"""Said when the chosen user already has every attribute the progressive form collects: Okta
prompts only for attributes a user still lacks."""

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


def policy_endpoint(target: str | None) -> str | None:
    """The guide's endpoint path a target names: `"ssr"`, `"/registrationHookPP"`, a URL ending
    in one of the paths (any case)... None when it names none of them."""
    if not target:
        return None
    text = str(target).strip()
    if text in okta.ENDPOINTS:
        return okta.ENDPOINTS[text]
    path = text.split("?", 1)[0].rstrip("/").casefold()
    for endpoint in okta.ENDPOINTS.values():
        if path == endpoint.casefold() or path.endswith(endpoint.casefold()):
            return endpoint
    return None


def policy_fields(target: str | None, request_type: str) -> tuple[str, ...]:
    """The attributes the form of `request_type` collects under the guide's policy for
    `target` (an endpoint name, path or URL; see `okta.POLICY_FORMS`).

    A target that is none of the guide's endpoints gets Okta's default sign-up form (Email,
    First name, Last name) and the guide's progressive form (Employee number).
    """
    kind = normalise_request_type(request_type)
    endpoint = policy_endpoint(target)
    if endpoint is None:
        return okta.SIGN_UP_FIELDS if kind == SSR else okta.PROGRESSIVE_FIELDS
    return tuple(okta.POLICY_FORMS[endpoint][kind])


def parse_fields(text: str) -> tuple[str, ...]:
    """`"email, firstName,employeeNumber"` -> the attribute names, in order, once each.
    Raises ValueError for an empty name or `password` (Okta never sends it)."""
    names: list[str] = []
    for part in str(text).split(","):
        name = part.strip()
        if not name:
            raise ValueError("a form field name is empty (write ATTR,ATTR,...)")
        if name == "password":
            raise ValueError("password: Okta never sends the password to a hook")
        if name not in names:
            names.append(name)
    return tuple(names)


def _has_value(value: Any) -> bool:
    return value is not None and value != ""


def lacking_fields(user: OrgUser, fields: Sequence[str]) -> tuple[str, ...]:
    """The fields `user` has no value for (missing, null or empty): what Okta would prompt."""
    return tuple(name for name in fields if not _has_value(user.profile.get(name)))


def needs_progressive_form(user: OrgUser, fields: Sequence[str]) -> bool:
    """True when Okta would show the progressive form to `user`: they lack one of its fields.
    False means "Okta would not show this form to this user" (`FORM_NOT_SHOWN_TEXT`); a
    preview may still let the person type a value."""
    return bool(lacking_fields(user, fields))


def form_values(
    request_type: str, user: OrgUser, fields: Sequence[str] | None = None
) -> dict[str, Any]:
    """What the form would hold for `user` before anything is typed.

    Sign-up: each field the user has a value for, in order (the demo user stands for the person
    signing up), with `login` equal to the email, as Okta fills it (unless the form itself
    collects `login`). Progressive: nothing: the form starts empty, and only what the person
    types reaches `userProfileUpdate`.
    """
    return _form(normalise_request_type(request_type), user, fields, None)


def _form(
    kind: str, user: OrgUser, fields: Sequence[str] | None, typed: dict[str, Any] | None
) -> dict[str, Any]:
    typed = typed or {}
    if kind == PP:
        # Only what the person typed into the progressive form; never the stored profile.
        return dict(typed)
    if fields is None:
        fields = okta.SIGN_UP_FIELDS
    values = {name: user.profile[name] for name in fields if _has_value(user.profile.get(name))}
    values.update(typed)
    if "login" in fields or "login" in typed or "email" not in values:
        return values
    # Okta sets the new user's login to the email typed on the form; it sends it before the email.
    with_login: dict[str, Any] = {}
    for name, value in values.items():
        if name == "email":
            with_login["login"] = value
        with_login[name] = value
    return with_login


def parse_event_time(text: str) -> datetime:
    """`2026-01-01T00:00:00.000Z` (or any ISO-8601 time; without a zone it is UTC).
    Raises ValueError with a plain message."""
    from datetime import UTC, datetime

    raw = str(text).strip()
    try:
        moment = datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith("Z") else raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a time like 2026-01-01T00:00:00.000Z") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def format_event_time(moment: datetime) -> str:
    """UTC with milliseconds and a Z: `2022-04-25T17:35:27.000Z` (naive times count as UTC)."""
    from datetime import UTC

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def context_profile(user: OrgUser) -> dict[str, Any]:
    """`data.context.user.profile` as Okta sends it for `user`: the five attributes of its IDX
    user context (`okta.PP_CONTEXT_PROFILE`), `timeZone` spelled as Okta spells it, never the
    stored profile (no `email`, no custom attribute). One the user has no value for is left out
    (every Okta sample has all five; what Okta sends for an unset one is not documented)."""
    profile: dict[str, Any] = {}
    for name in okta.PP_CONTEXT_PROFILE:
        for stored in okta.PP_CONTEXT_SOURCES.get(name, (name,)):
            if _has_value(user.profile.get(stored)):
                profile[name] = user.profile[stored]
                break
    return profile


def _random_text(rng: random.Random, alphabet: str, size: int) -> str:
    return "".join(rng.choices(alphabet, k=size))


def build_request(
    request_type: str,
    user: OrgUser,
    *,
    form: dict[str, Any] | None = None,
    fields: Sequence[str] | None = None,
    seed: int | None = None,
    now: datetime | None = None,
    source: str | None = None,
    org_url: str = DEFAULT_ORG_URL,
) -> dict[str, Any]:
    """The request Okta would POST to the hook when `user` submits the form.

    `request_type`: anything `normalise_request_type` accepts. `fields`: the sign-up form's
    inputs (default: Okta's default form, `policy_fields(None, SSR)`); a field the user has no
    value for is left out, and `userProfile` never holds a stored attribute the form lacks.
    `form`: values typed on the form, overriding or adding to the user's. For progressive
    profile `userProfileUpdate` is exactly `form` (what was typed; never the stored value).
    `org_url`: the org's base URL, which `_links` point at. With a `seed` and `now` the result
    is the same every time; otherwise `eventId` and the request id are fresh and `eventTime` is
    the current time, in whole seconds (every Okta sample and capture ends in `.000Z`).
    For progressive profile, `context.user.profile` is Okta's five-attribute user context
    (`context_profile`), not the stored profile.
    """
    import random
    from datetime import UTC, datetime

    kind = normalise_request_type(request_type)
    # Seeded from the OS's randomness unless a seed asks for repeatable ids. They are ids, not
    # secrets: drawing every character from the OS (SystemRandom) made 44 system calls a request.
    rng = random.Random(seed)
    moment = (now if now is not None else datetime.now(UTC)).replace(microsecond=0)
    values = _form(kind, user, fields, form)
    http_request = {
        "method": "POST",
        "ipAddress": f"203.0.113.{rng.randint(1, 254)}",
        "id": okta.REQUEST_ID_PREFIX
        + _random_text(rng, _EVENT_ID_ALPHABET, okta.REQUEST_ID_LENGTH),
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
        base = str(org_url).rstrip("/")
        context_user["_links"] = {
            "groups": {"href": f"{base}/api/v1/users/{user.id}/groups"},
            "factors": {"href": f"{base}/api/v1/users/{user.id}/factors"},
        }
        context_user["profile"] = context_profile(user)
        context_user["id"] = user.id
        data["context"]["user"] = context_user
        data["action"] = "ALLOW"
        data["userProfileUpdate"] = values
    return {
        "eventId": _random_text(rng, _EVENT_ID_ALPHABET, 22),
        "eventTime": format_event_time(moment),
        "eventType": okta.EVENT_TYPE,
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
