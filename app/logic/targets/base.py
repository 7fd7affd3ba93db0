"""The face every target shows the pipeline: a description, its secrets and `call`."""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from typing import Any, Protocol

from app.logic import okta
from app.logic.answer import HookAnswer


@dataclass(frozen=True)
class TargetReply:
    """What a target gave back for one request: the answer and the log lines it wrote (None
    when its log is kept elsewhere, as a remote service's is)."""

    answer: HookAnswer
    log_lines: tuple[str, ...] | None = None


class Target(Protocol):
    """Something that answers a registration hook request the way a hook service would."""

    @property
    def kind(self) -> str:
        """What kind of target ("bundled", "url" or "recorded"): for records and exports, never
        for branching. Read-only, as in the frozen targets (a settable attribute here would
        make them fail the protocol)."""
        ...

    @property
    def label(self) -> str:
        """How a person names it: "/registrationHookSSR (bundled)" or the URL."""
        ...

    @property
    def url(self) -> str:
        """The URL the request goes to, with any user:password@ removed."""
        ...

    @property
    def timeout_s(self) -> float:
        """Okta's budget per attempt for this target (3 s unless the person changed it)."""
        ...

    def secrets(self) -> tuple[str, ...]:
        """Values that must never appear in a record, a log or an export."""
        ...

    def planned_headers(self, body: bytes) -> list[tuple[str, str]]:
        """The headers Okta would send, real values included (mask before showing)."""
        ...

    def describe(self) -> dict[str, Any]:
        """A JSON-ready description (no secrets) for history, scenarios and exports."""
        ...

    def call(self, body: bytes, request: Any, cancel: Any = None) -> TargetReply:
        """Answer the request. `body` is what goes on the wire, `request` its parsed value.
        Blocking; never raises for anything the hook does."""
        ...


def okta_headers(body: bytes) -> list[tuple[str, str]]:
    """The headers every call carries, before the hook's auth and custom headers."""
    return [*okta.REQUEST_HEADERS, ("Content-Length", str(len(body)))]


def strip_userinfo(url: str) -> str:
    """`url` without any user:password@ part (it must never reach a record or a file)."""
    if "@" not in url:
        return url
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit(parts._replace(netloc=host))


def is_base_url(url: str) -> bool:
    """True for a service's address without a path (`http://127.0.0.1:8082` or `.../`): the
    base that `reghook serve`'s three endpoints hang from. Okta itself calls exactly the URL
    saved in its hook; joining a path is this program's shorthand, for a run over every
    endpoint of one service."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and parts.path in ("", "/")


def endpoint_url(base: str, path: str) -> str:
    """`base` (see `is_base_url`) with the endpoint `path` (`/registrationHookSSR`) as its
    path; its user:password@ and query stay as typed."""
    parts = urllib.parse.urlsplit(base.strip())
    return urllib.parse.urlunsplit(parts._replace(path=path))


def call_url(url: str, request_type: str) -> str:
    """Where a call from the window goes: `url` itself, or for a base URL (`is_base_url`) the
    guide's endpoint for the request type: a sign-up to /registrationHookSSR, a progressive
    profile to /registrationHookPP (/registrationHookSSRandPP answers both: type it whole)."""
    if not is_base_url(url):
        return url
    name = "pp" if request_type == okta.PP else "ssr"
    return endpoint_url(url, okta.ENDPOINTS[name])


_REQUEST_TYPE = re.compile(r'"requestType"\s*:\s*"([^"\\]*)"')


def request_type_in(text: str) -> str | None:
    """The `requestType` a request's text names (the first one), or None: what picks a base
    URL's endpoint for a request edited or opened as text, without parsing all of it."""
    found = _REQUEST_TYPE.search(text)
    return found.group(1) if found else None
