"""How Okta identifies itself to a hook (header, custom headers, OAuth client credentials),
the call settings, the cancel token and the OAuth token cache."""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.logic import okta
from app.logic.answer import FailureKind

if TYPE_CHECKING:
    from app.logic.remote.transport import _Watch

OKTA_TIMEOUT_S = okta.TIMEOUT_S
MAX_BODY_BYTES = okta.MAX_RESPONSE_BYTES
READ_LIMIT = okta.RESPONSE_READ_LIMIT
MAX_URL_LENGTH = okta.MAX_URL_LENGTH
_SLICE_S = 0.02  # how often a wait that cannot be woken (DNS, connect) looks at the abort flag
# Never overridden by an extra header: they describe the body we send, not the hook.
_RESERVED_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection"})


# --- authentication ----------------------------------------------------------------------


def _mask(value: str) -> str:
    return "" if not value else "***"


@dataclass(frozen=True)
class OAuthClientCredentials:
    """OAuth 2.0 client credentials ("client secret" in Okta's hook settings)."""

    token_url: str
    client_id: str
    client_secret: str
    scope: str = ""

    def __repr__(self) -> str:
        return (
            f"OAuthClientCredentials(token_url={self.token_url!r}, client_id={self.client_id!r}, "
            f"client_secret={_mask(self.client_secret)!r}, scope={self.scope!r})"
        )


@dataclass(frozen=True)
class HookAuth:
    """What identifies Okta to the hook. Secrets live only in memory; repr masks them."""

    header_name: str = "authorization"
    header_value: str = ""
    extra_headers: tuple[tuple[str, str], ...] = ()
    oauth: OAuthClientCredentials | None = None

    def __repr__(self) -> str:
        extras = tuple((name, _mask(value)) for name, value in self.extra_headers)
        return (
            f"HookAuth(header_name={self.header_name!r}, "
            f"header_value={_mask(self.header_value)!r}, extra_headers={extras!r}, "
            f"oauth={self.oauth!r})"
        )

    def problems(self) -> list[str]:
        """Header names or values that cannot go out on the wire, one line each."""
        found: list[str] = []
        pairs = list(self.extra_headers)
        if self.header_value:
            pairs.insert(0, (self.header_name, self.header_value))
        for name, value in pairs:
            problem = header_problem(name, value)
            if problem:
                found.append(problem)
        return found


_TOKEN_CHARS = frozenset(
    "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)


def header_problem(name: str, value: str) -> str | None:
    """Why this header cannot be sent (a secret value is never repeated), or None."""
    if not name:
        return "a header has no name"
    if not set(name) <= _TOKEN_CHARS:
        # The name is not repeated: `--header 'X-Api-Key=tok_live_…'` puts a secret in it.
        bad = next(ch for ch in name if ch not in _TOKEN_CHARS)
        shown = (
            "a space" if bad == " " else f"U+{ord(bad):04X}" if not bad.isprintable() else repr(bad)
        )
        return (
            f"a header name is not valid: it holds {shown}, and names hold only letters, digits "
            "and !#$%&'*+-.^_`|~ (the name is not repeated: it may hold a secret)"
        )
    if name.lower() in _RESERVED_HEADERS:
        return f"the {name} header is set by the call itself"
    if any(ch in "\r\n\0" for ch in value):
        return f"the value of header '{name}' has a line break or control character"
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return f"the value of header '{name}' has characters HTTP headers cannot carry"
    if any((ord(ch) < 32 and ch != "\t") or ord(ch) == 127 for ch in value):
        return f"the value of header '{name}' has a line break or control character"
    return None


def parse_header(text: str) -> tuple[str, str]:
    """'Name: value' (or 'Name:value') into a pair; ValueError with a plain message that never
    repeats the text (a header's value is often a secret)."""
    name, sep, value = text.partition(":")
    name, value = name.strip(), value.strip()
    if not sep or not name:
        raise ValueError("is not NAME:VALUE (its text is not repeated)")
    if not set(name) <= _TOKEN_CHARS:
        # 'X-Api-Key=tok_live_...: x' puts a secret before the colon: name only the character.
        bad = next(ch for ch in name if ch not in _TOKEN_CHARS)
        shown = repr(bad) if bad.isprintable() and bad != " " else f"U+{ord(bad):04X}"
        raise ValueError(
            f"is not NAME:VALUE: a header name cannot hold {shown} (its text is not repeated)"
        )
    problem = header_problem(name, value)
    if problem:
        raise ValueError(problem)
    return name, value


def basic_auth_value(user: str, password: str) -> str:
    """The value of a Basic `authorization` header, e.g. 'Basic YWRtaW46c3VwZXJzZWNyZXQ='."""
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


# --- settings, cancel, token cache -------------------------------------------------------


@dataclass
class RemoteSettings:
    """How a call is made. Both TLS relaxations are off unless asked for."""

    timeout_s: float = OKTA_TIMEOUT_S
    ca_file: str | None = None  # also trust this CA bundle (a local development CA)
    verify_tls: bool = True  # False only for local development with a self-signed cert
    retry: bool = True  # Okta retries once; off to see the first attempt alone


class CancelToken:
    """Stops a call from another thread: the socket in use is shut down at once, and a DNS or
    connect wait gives up within a few milliseconds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._watchers: set[_Watch] = set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            watchers = list(self._watchers)
        for watcher in watchers:
            watcher.fire(FailureKind.CANCELLED)

    def _watch(self, abort: _Watch) -> None:
        with self._lock:
            self._watchers.add(abort)
            cancelled = self._cancelled
        if cancelled:
            abort.fire(FailureKind.CANCELLED)

    def _unwatch(self, abort: _Watch) -> None:
        with self._lock:
            self._watchers.discard(abort)


class TokenCache:
    """OAuth access tokens kept in memory until shortly before they expire."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens: dict[tuple[str, str, str, str], tuple[str, float]] = {}

    @staticmethod
    def _key(creds: OAuthClientCredentials) -> tuple[str, str, str, str]:
        # A changed secret must not reuse a token fetched with the old one.
        digest = hashlib.sha256(creds.client_secret.encode()).hexdigest()
        return (creds.token_url, creds.client_id, creds.scope, digest)

    def get(self, creds: OAuthClientCredentials) -> str | None:
        with self._lock:
            entry = self._tokens.get(self._key(creds))
            if entry is None:
                return None
            token, expires_at = entry
            if self._clock() >= expires_at:
                del self._tokens[self._key(creds)]
                return None
            return token

    def put(self, creds: OAuthClientCredentials, token: str, expires_in: float) -> None:
        # Renew a little early so a token never expires between fetch and use.
        margin = min(30.0, expires_in / 10)
        with self._lock:
            self._tokens[self._key(creds)] = (token, self._clock() + expires_in - margin)

    def clear(self) -> None:
        with self._lock:
            self._tokens.clear()
