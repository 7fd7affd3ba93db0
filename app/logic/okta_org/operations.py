"""What this program reads from a live org: users (searched on the server, page by page), the
user schema, the registration inline hooks, and the System Log's record of the hook's calls.

Each operation is the one the management API documents (okta/okta-management-openapi-spec,
dist/current/management-oneOfInheritance-noExamples.yaml @fdda229e: `listUsers`,
`getUserSchema`, `listInlineHooks`, `executeInlineHook`, `listLogEvents`); the command line
and the window call these functions and nothing else.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Generator
from typing import Any, NamedTuple

from app.logic import okta
from app.logic.okta_org.client import OrgApiError, OrgClient
from app.logic.org import OrgError, OrgUser, UserSchema, user_from_okta, user_schema_from_okta
from app.logic.text import one_line

__all__ = [
    "MAX_SEARCH_LENGTH",
    "USERS_PAGE_SIZE",
    "OrgHook",
    "UsersPage",
    "fetch_user_schema",
    "find_hook",
    "list_registration_hooks",
    "search_expression",
    "search_users",
]

#: Okta's largest page for a `search=` listing of users.
USERS_PAGE_SIZE = 200
#: A search text longer than this is cut (Okta refuses "overly complex or long" searches).
MAX_SEARCH_LENGTH = 200
SCHEMA_PATH = "/api/v1/meta/schemas/user/default"
USERS_PATH = "/api/v1/users"
HOOKS_PATH = "/api/v1/inlineHooks"
#: The longest a name, URI or id is shown; an org may hold a megabyte in one.
SHOWN_LENGTH = 200
_EXPRESSION = re.compile(r'\b(eq|sw|co|pr|gt|ge|lt|le)\b(\s+"|\s*$)')
_SEARCHED = ("login", "email", "firstName", "lastName")


def shown(value: Any, limit: int = SHOWN_LENGTH) -> str:
    """A value from the org as one safe line: control characters escaped, long ones cut."""
    text = one_line(value if isinstance(value, str) else "" if value is None else str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def search_expression(text: str) -> str:
    """The `search=` expression for what a person typed: their own expression when it is one
    (`profile.department eq "Sales"`), else a prefix match on login, email, first and last
    name (`sw`, which Okta supports on every profile attribute)."""
    typed = " ".join(text.split())[:MAX_SEARCH_LENGTH]
    if not typed:
        return ""
    if _EXPRESSION.search(typed) and ("profile." in typed or typed.startswith(("id ", "status "))):
        return typed
    quoted = typed.replace("\\", "\\\\").replace('"', '\\"')
    return " or ".join(f'profile.{name} sw "{quoted}"' for name in _SEARCHED)


class UsersPage(NamedTuple):
    """One page of a users search: the users read and how many entries were unusable."""

    users: tuple[OrgUser, ...]
    skipped: int
    number: int


def search_users(
    client: OrgClient,
    text: str = "",
    *,
    page_size: int = USERS_PAGE_SIZE,
    max_users: int | None = None,
    cancelled: Callable[[], bool] | None = None,
    notes: list[str] | None = None,
) -> Generator[UsersPage, None, None]:
    """The org's users matching `text`, one page at a time as they arrive (first page first),
    searched on the org (`search=`), never all loaded at once: the caller stops when it has
    enough, and `max_users` stops it here."""
    params = {"limit": str(max(1, min(page_size, USERS_PAGE_SIZE)))}
    expression = search_expression(text)
    if expression:
        params["search"] = expression
    count = 0
    pages = client.pages(
        USERS_PATH, operation="users", params=params, cancelled=cancelled, notes=notes
    )
    try:
        for number, page in enumerate(pages, start=1):
            users = [user_from_okta(entry) for entry in page]
            kept = tuple(user for user in users if user is not None)
            if max_users is not None and count + len(kept) >= max_users:
                yield UsersPage(kept[: max_users - count], len(users) - len(kept), number)
                return
            count += len(kept)
            yield UsersPage(kept, len(users) - len(kept), number)
    finally:
        pages.close()


def fetch_user_schema(
    client: OrgClient, cancelled: Callable[[], bool] | None = None
) -> tuple[UserSchema, Any]:
    """The org's user schema as the project's model, and Okta's JSON of it."""
    reply = client.request("GET", SCHEMA_PATH, operation="schema", cancelled=cancelled)
    value = reply.json()
    try:
        schema = user_schema_from_okta(value, reply.body.decode("utf-8"), "the org's user schema")
    except OrgError as exc:
        raise OrgApiError(str(exc)) from None
    return schema, value


class OrgHook(NamedTuple):
    """A registration inline hook as the org has it: never the auth header's value."""

    id: str
    name: str
    status: str
    uri: str
    auth_header: str
    channel: str  # "HTTP" or "OAUTH"
    version: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "uri": self.uri,
            "authHeader": self.auth_header,
            "channel": self.channel,
            "version": self.version,
        }


def _object(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else {} (a live answer is read, never trusted)."""
    return value if isinstance(value, dict) else {}


def _hook_from(entry: Any) -> OrgHook | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        return None
    channel = _object(entry.get("channel"))
    config = _object(channel.get("config"))
    scheme = _object(config.get("authScheme"))

    def text(value: Any) -> str:
        return value if isinstance(value, str) else ""

    return OrgHook(
        id=entry["id"],
        name=text(entry.get("name")),
        status=text(entry.get("status")),
        uri=text(config.get("uri")),
        auth_header=text(scheme.get("key")),
        channel=text(channel.get("type")),
        version=text(entry.get("version")),
    )


def list_registration_hooks(
    client: OrgClient, cancelled: Callable[[], bool] | None = None
) -> list[OrgHook]:
    """The org's registration inline hooks (`type=com.okta.user.pre-registration`)."""
    reply = client.request(
        "GET",
        HOOKS_PATH,
        operation="hooks",
        params={"type": okta.EVENT_TYPE},
        cancelled=cancelled,
    )
    value = reply.json()
    if not isinstance(value, list):
        raise OrgApiError(f"the org's answer to {HOOKS_PATH} is not a list")
    hooks = [hook for hook in (_hook_from(entry) for entry in value) if hook is not None]
    return hooks[:1000]


def find_hook(hooks: list[OrgHook], wanted: str) -> OrgHook:
    """The hook `wanted` names: its id, else its name (any case). OrgApiError otherwise."""
    key = wanted.strip()
    for hook in hooks:
        if hook.id == key:
            return hook
    named = [hook for hook in hooks if hook.name.casefold() == key.casefold()]
    if len(named) == 1:
        return named[0]
    if named:
        ids = ", ".join(hook.id for hook in named[:5])
        raise OrgApiError(f"{len(named)} hooks are named '{shown(key, 60)}' ({ids}); give an id")
    names = ", ".join(f"{shown(hook.name, 40)} ({hook.id})" for hook in hooks[:5]) or "none"
    raise OrgApiError(f"the org has no registration hook '{shown(key, 60)}'; its hooks: {names}")


def hook_path(hook_id: str, tail: str = "") -> str:
    return f"{HOOKS_PATH}/{urllib.parse.quote(hook_id, safe='')}{tail}"
