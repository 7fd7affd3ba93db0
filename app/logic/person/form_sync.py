"""Block 1 and block 2 in step: what the request JSON says about the user and the form, read
back into block 1 (an opened file, or an edit of `data.userProfile` in the editor), and which
bundled endpoint answers which request type.

Pure functions on the parsed request; `RequestConfigPanel` shows what they find."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from app.logic import okta

#: Longer texts are not read back on every key (a pasted megabyte would be parsed per key).
MAX_SYNC_CHARS = 256 * 1024

#: The bundled endpoint that answers each request type (the guide's policy). The combined
#: endpoint answers both, so it never needs advice.
ENDPOINT_FOR_TYPE = {okta.SSR: "ssr", okta.PP: "pp"}


def parse_request(text: str) -> dict[str, Any] | None:
    """The request as a dict, or None when the text is not (yet) a JSON object."""
    if len(text) > MAX_SYNC_CHARS:
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _section(request: dict[str, Any], key: str) -> dict[str, Any] | None:
    data = request.get("data")
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else None


def request_type_of(request: dict[str, Any]) -> str | None:
    kind = request.get("requestType")
    return kind if kind in okta.REQUEST_TYPES else None


def form_values_of(
    request: dict[str, Any], request_type: str, names: Iterable[str]
) -> dict[str, str] | None:
    """The form's fields as the request carries them ("" for one it leaves out), or None when
    the request has no section for the form (then the form is left as it is)."""
    key = "userProfileUpdate" if request_type == okta.PP else "userProfile"
    section = _section(request, key)
    if section is None:
        return None
    values: dict[str, str] = {}
    for name in names:
        value = section.get(name)
        if isinstance(value, bool) or value is None:
            values[name] = "" if value is None else json.dumps(value)
        elif isinstance(value, str | int | float):
            values[name] = str(value)
        else:
            values[name] = ""
    return values


def user_key_of(request: dict[str, Any]) -> str | None:
    """Who the request is about: the existing user's login or id (progressive profile), or
    the login being registered (self-service registration)."""
    context = _section(request, "context")
    user = context.get("user") if context is not None else None
    if isinstance(user, dict):
        profile = user.get("profile")
        if isinstance(profile, dict) and isinstance(profile.get("login"), str):
            return str(profile["login"])
        if isinstance(user.get("id"), str):
            return str(user["id"])
    profile = _section(request, "userProfile")
    if profile is not None:
        for key in ("login", "email"):
            if isinstance(profile.get(key), str):
                return str(profile[key])
    return None


def matching_endpoint(target: str, request_type: str) -> str | None:
    """The bundled endpoint to offer when `target` does not answer `request_type` (a
    progressive profile request sent to /registrationHookSSR only gets `{}`)."""
    wanted = ENDPOINT_FOR_TYPE.get(request_type)
    if target in ENDPOINT_FOR_TYPE.values() and wanted is not None and target != wanted:
        return wanted
    return None
