"""Calling a live hook URL the way Okta does: one POST, a 3 s budget, at most one retry.

Standard library only (`http.client` over a socket this module opens), so a call can be
timed, capped, cancelled from another thread and explained failure by failure.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import http.client
import ipaddress
import json
import select
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from app.logic import okta
from app.logic.answer import FailureKind, HookAnswer

OKTA_TIMEOUT_S = okta.TIMEOUT_S
MAX_BODY_BYTES = okta.MAX_RESPONSE_BYTES
READ_LIMIT = okta.RESPONSE_READ_LIMIT
MAX_URL_LENGTH = okta.MAX_URL_LENGTH
_CHUNK = 64 * 1024
_SLICE_S = 0.05  # how often a blocking connect looks at the cancel flag
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
    if not name or not set(name) <= _TOKEN_CHARS:
        return f"'{name}' is not a valid header name"
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
    """'Name: value' (or 'Name:value') into a pair; ValueError with a plain message."""
    name, sep, value = text.partition(":")
    name, value = name.strip(), value.strip()
    if not sep or not name:
        raise ValueError(f"a header is NAME:VALUE, got '{text.split(':')[0]}...'")
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
    """Stops a call from another thread: the socket in use is shut down at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._watchers: set[_Abort] = set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            watchers = list(self._watchers)
        for watcher in watchers:
            watcher.fire(FailureKind.CANCELLED)

    def _watch(self, abort: _Abort) -> None:
        with self._lock:
            self._watchers.add(abort)
            cancelled = self._cancelled
        if cancelled:
            abort.fire(FailureKind.CANCELLED)

    def _unwatch(self, abort: _Abort) -> None:
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


# --- URL checks -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str  # path + query, what goes on the request line

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"

    @property
    def where(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def _parse_url(url: str) -> _Target:
    parts = urllib.parse.urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError("the URL must start with https:// (or http:// for local development)")
    if not parts.hostname:
        raise ValueError("the URL has no host name")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise ValueError("the URL's port is not a number from 1 to 65535") from None
    if parts.username is not None:
        raise ValueError("put credentials in the auth header, not in the URL")
    if any(ch.isspace() for ch in url.strip()):
        raise ValueError("the URL contains a space")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return _Target(scheme, parts.hostname, port, path)


def check_url(url: str) -> str | None:
    """Why this URL cannot be called at all, or None when it can."""
    try:
        _parse_url(url)
    except ValueError as exc:
        return str(exc)
    return None


def url_notes(url: str) -> list[str]:
    """Where a callable URL breaks Okta's rules (Okta would refuse to save it)."""
    notes: list[str] = []
    problem = check_url(url)
    if problem:
        return [problem]
    if urllib.parse.urlsplit(url.strip()).scheme.lower() == "http":
        notes.append("Okta requires https: an http:// URL only works for local testing")
    if len(url) > MAX_URL_LENGTH:
        notes.append(f"the URL is {len(url)} characters long; Okta allows at most {MAX_URL_LENGTH}")
    return notes


# --- one HTTP exchange ------------------------------------------------------------------


class _Abort:
    """Shuts the socket of one exchange at its deadline or on cancel; remembers which."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reason: FailureKind | None = None
        self._sock: socket.socket | None = None

    def attach(self, sock: socket.socket) -> None:
        with self._lock:
            self._sock = sock
            fired = self.reason is not None
        if fired:
            _shut(sock)

    def fire(self, reason: FailureKind) -> None:
        with self._lock:
            if self.reason is None:
                self.reason = reason
            sock = self._sock
        if sock is not None:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    # shutdown() wakes a thread blocked in recv()/send() on this socket; close() alone may not.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


SocketOpener = Callable[[str, int, float, Callable[[], bool]], socket.socket]
"""(host, port, timeout_s, should_stop) -> a connected socket; raises OSError subclasses."""


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _resolve(host: str, port: int, timeout: float, should_stop: Callable[[], bool]) -> list:
    if _is_ip(host):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 0, "", (host, port))]
    # getaddrinfo has no timeout of its own: run it aside and stop waiting at the deadline.
    box: dict[str, object] = {}
    done = threading.Event()

    def work() -> None:
        try:
            box["ok"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            box["err"] = exc
        done.set()

    threading.Thread(target=work, name="resolve " + host, daemon=True).start()
    deadline = time.monotonic() + timeout
    while not done.wait(min(_SLICE_S, max(0.0, deadline - time.monotonic()))):
        if should_stop():
            raise _Stopped
        if time.monotonic() >= deadline:
            raise TimeoutError(f"resolving {host} took too long")
    if "err" in box:
        raise box["err"]  # type: ignore[misc]
    return box["ok"]  # type: ignore[return-value]


class _Stopped(Exception):
    """Raised inside a connect that was cancelled or ran out of time."""


def open_socket(
    host: str, port: int, timeout: float, should_stop: Callable[[], bool]
) -> socket.socket:
    """Resolve and connect, looking at `should_stop` every 50 ms (the default opener)."""
    deadline = time.monotonic() + timeout
    infos = _resolve(host, port, timeout, should_stop)
    last: OSError | None = None
    for family, kind, proto, _name, address in infos:
        sock = socket.socket(family, kind, proto)
        try:
            sock.setblocking(False)
            code = sock.connect_ex(address)
            while code in (errno.EINPROGRESS, errno.EALREADY, errno.EWOULDBLOCK):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("connecting took too long")
                _, writable, _ = select.select([], [sock], [], min(_SLICE_S, remaining))
                if should_stop():
                    raise _Stopped
                if writable:
                    code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    break
            if code not in (0, errno.EISCONN):
                raise OSError(code, errno.errorcode.get(code, str(code)))
            sock.setblocking(True)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        except (_Stopped, TimeoutError):
            sock.close()
            raise
        except OSError as exc:
            sock.close()
            last = exc
    raise last or OSError(f"no address for {host}")


@lru_cache(maxsize=8)
def _tls_context(ca_file: str | None, verify: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


@dataclass
class _Exchange:
    """The outcome of one attempt, before it becomes a HookAnswer."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    failure: FailureKind | None = None
    detail: str = ""
    oversize: bool = False


def _describe_os_error(exc: OSError, target: _Target) -> tuple[FailureKind, str]:
    if isinstance(exc, socket.gaierror):
        return FailureKind.NAME_NOT_RESOLVED, f"the host name '{target.host}' could not be resolved"
    if isinstance(exc, ConnectionRefusedError) or exc.errno == errno.ECONNREFUSED:
        return (
            FailureKind.CONNECTION_REFUSED,
            f"connection refused by {target.where}: nothing is listening there",
        )
    if isinstance(exc, ssl.SSLCertVerificationError):
        why = exc.verify_message or exc.reason or str(exc)
        return (
            FailureKind.TLS,
            f"TLS certificate problem with {target.host}: {why} (trust its CA file, or skip "
            "verification for local development only)",
        )
    if isinstance(exc, ssl.SSLError):
        return FailureKind.TLS, f"TLS handshake with {target.where} failed: {exc.reason or exc}"
    if isinstance(exc, ConnectionResetError | BrokenPipeError | ConnectionAbortedError):
        return FailureKind.DROPPED, f"{target.where} closed the connection before answering"
    text = exc.strerror or str(exc) or type(exc).__name__
    return FailureKind.OTHER, f"network error talking to {target.where}: {text}"


def _exchange(
    target: _Target,
    headers: list[tuple[str, str]],
    body: bytes,
    timeout: float,
    settings: RemoteSettings,
    cancel: CancelToken | None,
    opener: SocketOpener,
    budget: float | None = None,
) -> _Exchange:
    """One POST with a hard deadline (`timeout`) covering connect, TLS, send and read.

    `budget` is the whole attempt's time limit, named in a timeout message.
    """
    result = _Exchange()
    abort = _Abort()
    started = time.monotonic()
    timer = threading.Timer(timeout, abort.fire, (FailureKind.TIMEOUT,))
    timer.daemon = True
    timer.start()
    unwatch = _watch_cancel(cancel, abort)
    sock: socket.socket | None = None
    conn: http.client.HTTPConnection | None = None
    phase = "connect"
    try:
        sock = opener(target.host, target.port, timeout, lambda: abort.reason is not None)
        abort.attach(sock)
        sock.settimeout(max(0.001, timeout - (time.monotonic() - started)))
        if target.scheme == "https":
            phase = "tls"
            context = _tls_context(settings.ca_file, settings.verify_tls)
            sock = context.wrap_socket(sock, server_hostname=target.host)
            abort.attach(sock)
        phase = "send"
        conn = http.client.HTTPConnection(target.host, target.port)
        conn.sock = sock
        conn.putrequest("POST", target.path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers:
            conn.putheader(name, value)
        conn.endheaders(body)
        phase = "head"
        response = conn.getresponse()
        phase = "body"
        result.status = response.status
        for name, value in response.getheaders():
            key = name.lower()
            result.headers[key] = (
                f"{result.headers[key]}, {value}" if key in result.headers else value
            )
        chunks: list[bytes] = []
        total = 0
        try:
            while total < READ_LIMIT:
                chunk = response.read1(min(_CHUNK, READ_LIMIT - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
        finally:
            result.body = b"".join(chunks)
        if total >= READ_LIMIT:
            result.oversize = True
            result.detail = (
                f"the answer is larger than {MAX_BODY_BYTES // 1024} KB: stopped reading "
                f"after {total} bytes"
            )
        elif response.length:  # Content-Length promised more than arrived
            raise http.client.IncompleteRead(result.body, response.length)
    except Exception as exc:  # every way a call can fail is reported; none escapes
        result.failure, result.detail = _classify(
            exc, abort.reason, phase, target, budget or timeout, result
        )
    finally:
        timer.cancel()
        unwatch()
        if conn is not None:
            conn.close()
        elif sock is not None:
            sock.close()
    return result


def _watch_cancel(cancel: Any, abort: _Abort) -> Callable[[], None]:
    """Fire `abort` when `cancel` is cancelled; returns the function that stops watching.

    A `CancelToken` calls back at once; any other object with a `cancelled` attribute (a
    caller's own flag) is looked at every 50 ms from a small watcher thread.
    """
    if cancel is None:
        return lambda: None
    if isinstance(cancel, CancelToken):
        cancel._watch(abort)
        return lambda: cancel._unwatch(abort)
    finished = threading.Event()

    def poll() -> None:
        while not finished.wait(_SLICE_S):
            if getattr(cancel, "cancelled", False):
                abort.fire(FailureKind.CANCELLED)
                return

    if getattr(cancel, "cancelled", False):
        abort.fire(FailureKind.CANCELLED)
    else:
        threading.Thread(target=poll, name="cancel watch", daemon=True).start()
    return finished.set


_WAITING = {
    "connect": "a connection",
    "tls": "the TLS handshake",
    "send": "the request to go out",
    "head": "an answer",
    "body": "the rest of the answer",
}


def _classify(
    exc: BaseException,
    reason: FailureKind | None,
    phase: str,
    target: _Target,
    budget: float,
    partial: _Exchange,
) -> tuple[FailureKind, str]:
    """The failure kind and its one-line message. `reason` says who shut the socket."""
    if reason is FailureKind.CANCELLED:
        return FailureKind.CANCELLED, "the call was cancelled"
    if reason is FailureKind.TIMEOUT or isinstance(exc, TimeoutError):
        return FailureKind.TIMEOUT, f"timed out after {budget:g} s waiting for {_WAITING[phase]}"
    if isinstance(exc, _Stopped):
        return FailureKind.CANCELLED, "the call was cancelled"
    if isinstance(exc, http.client.IncompleteRead):
        partial.body = exc.partial or partial.body
        expected = f" of {len(partial.body) + exc.expected}" if exc.expected else ""
        return (
            FailureKind.DROPPED,
            f"{target.where} closed the connection mid-answer after "
            f"{len(partial.body)}{expected} body bytes",
        )
    if isinstance(exc, http.client.RemoteDisconnected):
        return FailureKind.DROPPED, f"{target.where} closed the connection without answering"
    if isinstance(exc, http.client.HTTPException):
        return FailureKind.OTHER, f"{target.where} did not answer in HTTP: {exc!s:.120}"
    if isinstance(exc, OSError):
        if phase == "body":
            return (
                FailureKind.DROPPED,
                f"{target.where} closed the connection mid-answer after "
                f"{len(partial.body)} body bytes",
            )
        if isinstance(exc, ssl.SSLError) and phase != "tls":
            return FailureKind.DROPPED, f"{target.where} broke off the TLS connection ({phase})"
        return _describe_os_error(exc, target)
    if isinstance(exc, ValueError):
        # http.client quotes the offending header value, which may be a secret.
        return FailureKind.OTHER, "a header could not be sent (its name or value is not valid)"
    return FailureKind.OTHER, f"unexpected error: {type(exc).__name__}: {exc!s:.120}"


# --- OAuth -------------------------------------------------------------------------------


def _fetch_token(
    creds: OAuthClientCredentials,
    timeout: float,
    settings: RemoteSettings,
    cancel: CancelToken | None,
    opener: SocketOpener,
) -> tuple[str | None, float, FailureKind | None, str]:
    """(token, expires_in, failure, detail) from a client_credentials grant."""
    try:
        target = _parse_url(creds.token_url)
    except ValueError as exc:
        return None, 0.0, FailureKind.OTHER, f"OAuth token URL: {exc}"
    form = {"grant_type": "client_credentials"}
    if creds.scope:
        form["scope"] = creds.scope
    body = urllib.parse.urlencode(form).encode("ascii")
    # RFC 6749 2.3.1: id and secret are form-encoded before going into the Basic header.
    basic = basic_auth_value(
        urllib.parse.quote_plus(creds.client_id), urllib.parse.quote_plus(creds.client_secret)
    )
    headers = [
        ("Host", target.host_header),
        ("Accept", "application/json"),
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Authorization", basic),
        ("Content-Length", str(len(body))),
        ("Connection", "close"),
    ]
    got = _exchange(target, headers, body, timeout, settings, cancel, opener)
    if got.failure is not None:
        return None, 0.0, got.failure, f"OAuth token request: {got.detail}"
    try:
        value = json.loads(got.body)
    except ValueError:
        value = None
    if got.status != 200 or not isinstance(value, dict):
        reason = ""
        if isinstance(value, dict):
            reason = str(value.get("error_description") or value.get("error") or "")
        shown = reason or got.body[:80].decode("utf-8", "replace")
        return None, 0.0, FailureKind.OTHER, f"OAuth token request: HTTP {got.status}: {shown}"
    token = value.get("access_token")
    if not isinstance(token, str) or not token:
        return None, 0.0, FailureKind.OTHER, "OAuth token request: the answer has no access_token"
    expires_in = value.get("expires_in", 3600)
    if not isinstance(expires_in, int | float) or expires_in <= 0:
        expires_in = 3600
    return token, float(expires_in), None, ""


# --- the call ----------------------------------------------------------------------------

_DEFAULT_CACHE = TokenCache()


def call_hook(
    url: str,
    body: bytes,
    auth: HookAuth,
    settings: RemoteSettings | None = None,
    cancel: CancelToken | Any | None = None,
    token_cache: TokenCache | None = None,
    *,
    opener: SocketOpener | None = None,
) -> HookAnswer:
    """POST `body` to `url` as Okta would and return what came back. Blocking; never raises.

    Each attempt has `settings.timeout_s` in total (connect, TLS, send, read; an OAuth token
    fetch counts inside the first). One retry after a timeout, a failed connection, a dropped
    answer or a 5xx; none after a 2xx, 3xx or 4xx, and redirects are never followed.
    """
    settings = settings or RemoteSettings()
    opener = opener or open_socket
    cache = token_cache if token_cache is not None else _DEFAULT_CACHE
    started = time.perf_counter()

    def elapsed_ms() -> float:
        return (time.perf_counter() - started) * 1000.0

    try:
        target = _parse_url(url)
    except ValueError as exc:
        return HookAnswer.failed(FailureKind.OTHER, f"cannot call this URL: {exc}", 0.0, url=url)
    problems = auth.problems()
    if problems:
        return HookAnswer.failed(FailureKind.OTHER, problems[0], 0.0, url=url)

    headers = [
        ("Host", target.host_header),
        ("Accept", "application/json"),
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
    ]
    if auth.oauth is None and auth.header_value:
        headers.append((auth.header_name or "authorization", auth.header_value))
    headers.extend(auth.extra_headers)
    headers.append(("Connection", "close"))

    attempts_allowed = 2 if settings.retry else 1
    attempt = 0
    got = _Exchange()
    while attempt < attempts_allowed:
        attempt += 1
        budget = settings.timeout_s
        attempt_started = time.perf_counter()
        sent_headers = headers
        if auth.oauth is not None:
            token = cache.get(auth.oauth)
            if token is None:
                token, expires_in, failure, detail = _fetch_token(
                    auth.oauth, budget, settings, cancel, opener
                )
                if token is None:
                    assert failure is not None
                    return HookAnswer.failed(failure, detail, elapsed_ms(), attempt, url)
                if header_problem("Authorization", f"Bearer {token}") is not None:
                    # Never repeat the token: it is a secret even when it is malformed.
                    return HookAnswer.failed(
                        FailureKind.OTHER,
                        "the token endpoint's access_token cannot be sent in a header "
                        "(it has a line break or control character)",
                        elapsed_ms(),
                        attempt,
                        url,
                    )
                cache.put(auth.oauth, token, expires_in)
            sent_headers = [*headers[:-1], ("Authorization", f"Bearer {token}"), headers[-1]]
        remaining = budget - (time.perf_counter() - attempt_started)
        if remaining <= 0:
            got = _Exchange(
                failure=FailureKind.TIMEOUT,
                detail=f"timed out after {budget:g} s (the OAuth token fetch used it all)",
            )
        else:
            got = _exchange(target, sent_headers, body, remaining, settings, cancel, opener, budget)
        if not _should_retry(got) or getattr(cancel, "cancelled", False):
            break

    detail = got.detail
    if attempt > 1 and detail:
        detail = f"{detail} (after a retry)"
    elif attempt > 1 and got.status is not None and got.status >= 500:
        detail = f"HTTP {got.status} again after a retry"
    return HookAnswer(
        status=got.status,
        headers=got.headers,
        body=got.body,
        elapsed_ms=elapsed_ms(),
        failure=got.failure,
        failure_detail=detail,
        attempts=attempt,
        url=url,
        attempt_ms=(time.perf_counter() - attempt_started) * 1000.0,
    )


_RETRIED = frozenset(
    {
        FailureKind.TIMEOUT,
        FailureKind.CONNECTION_REFUSED,
        FailureKind.NAME_NOT_RESOLVED,
        FailureKind.DROPPED,
        FailureKind.OTHER,
    }
)


def _should_retry(got: _Exchange) -> bool:
    if got.failure is not None:
        return got.failure in _RETRIED
    return got.status is not None and got.status >= 500


def masked_headers(auth: HookAuth) -> list[tuple[str, str]]:
    """The auth and custom headers as a person may see them: values masked."""
    shown: list[tuple[str, str]] = []
    if auth.oauth is not None:
        shown.append(("Authorization", "Bearer ***"))
    elif auth.header_value:
        shown.append((auth.header_name, _mask(auth.header_value)))
    shown.extend((name, _mask(value)) for name, value in auth.extra_headers)
    return shown


def describe_answer(answer: HookAnswer, *, show_headers: Iterable[str] = ()) -> str:
    """A few lines on what came back: status or failure, timing, size, attempts."""
    lines: list[str] = []
    tries = f", {answer.attempts} attempts" if answer.attempts > 1 else ""
    timing = f"{answer.elapsed_ms:.0f} ms{tries}"
    if answer.status is not None:
        reason = http.client.responses.get(answer.status, "")
        lines.append(f"HTTP {answer.status} {reason}".rstrip() + f" in {timing}")
        if answer.content_type:
            lines.append(f"Content-Type: {answer.content_type}")
        if answer.location is not None:
            lines.append(f"Location: {answer.location} (not followed: Okta never follows)")
        for name in show_headers:
            if name.lower() in answer.headers:
                lines.append(f"{name}: {answer.headers[name.lower()]}")
        lines.append(f"body: {len(answer.body)} bytes")
    if answer.failure is not None:
        lines.append(f"FAILED ({answer.failure.value}) in {timing}: {answer.failure_detail}")
    elif answer.failure_detail:
        lines.append(f"note: {answer.failure_detail}")
    return "\n".join(lines)
