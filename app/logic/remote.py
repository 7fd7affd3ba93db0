"""Calling a live hook URL the way Okta does: one POST, a 3 s budget, at most one retry.

httpx makes the HTTP exchange (h11 underneath, so 1xx interim answers are skipped). httpx's own
timeouts apply to one socket operation each; Okta's 3 s covers a whole attempt. So the client
built here (`hook_client`, over `HookTransport`) runs on this module's network backend, which
gives every DNS wait, connect, TLS handshake, send and read only what is left of the attempt's
budget, and shuts the attempt's socket at once when the call is cancelled from another thread.

The HTTP client is injected (`call_hook(..., client=...)`); without one, each call builds its
own from its `RemoteSettings` and closes it. Nothing here is a module-level client.
"""

from __future__ import annotations

import base64
import contextlib
import contextvars
import errno
import hashlib
import http.client
import ipaddress
import json
import math
import select
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import httpcore
import httpx

from app.logic import okta
from app.logic.answer import Attempt, FailureKind, HookAnswer
from app.logic.jsontext import BOM_NOTE, strip_bom

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


# --- URL checks -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # as typed (lower-cased), for messages
    port: int
    url: httpx.URL  # what is called: non-ASCII in the path and query percent-encoded

    @property
    def host_header(self) -> str:
        return self.url.netloc.decode("ascii")

    @property
    def where(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def target(self) -> str:
        """The request line's target, exactly as sent."""
        return self.url.raw_path.decode("ascii")


def _shown(url: str, limit: int = 160) -> str:
    """`url` quoted for a message: control characters made visible, very long ones cut."""
    text = "".join(
        ch if ch.isprintable() else f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}"
        for ch in url
    )
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"'{text}'"


def _char_name(ch: str) -> str:
    names = {"\t": "a tab", "\n": "a line break", "\r": "a carriage return", "\0": "a NUL"}
    return f"U+{ord(ch):04X}" + (f", {names[ch]}" if ch in names else "")


def _port_text(netloc: str) -> str:
    hostport = netloc.rpartition("@")[2]
    if hostport.startswith("["):
        rest = hostport[hostport.find("]") + 1 :]
        return rest[1:] if rest.startswith(":") else ""
    return hostport.rpartition(":")[2] if ":" in hostport else ""


_PRINTABLE_ASCII = "".join(chr(code) for code in range(33, 127))


def _parse_url(url: str) -> _Target:
    text = url.strip()
    try:
        parts = urllib.parse.urlsplit(text)
    except ValueError as exc:
        raise ValueError(f"the URL is not valid ({exc}): {_shown(text)}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError("the URL must start with https:// (or http:// for local development)")
    if "@" in parts.netloc:
        # Checked before anything quotes the URL: the part before '@' is a password.
        raise ValueError("put credentials in the auth header, not in the URL")
    # Before urlsplit's view of the URL counts: it silently drops tabs and line breaks.
    for ch in text:
        if ch == " ":
            raise ValueError(f"the URL contains a space: {_shown(text)}")
        if ord(ch) < 32 or 127 <= ord(ch) < 160:
            raise ValueError(
                f"the URL contains a control character ({_char_name(ch)}): {_shown(text)}"
            )
        if ch.isspace():
            raise ValueError(f"the URL contains a space (U+{ord(ch):04X}): {_shown(text)}")
    if not parts.hostname:
        raise ValueError("the URL has no host name")
    port_text = _port_text(parts.netloc)
    if port_text and not (port_text.isascii() and port_text.isdigit()):
        raise ValueError(f"the URL's port is not a number from 1 to 65535: {_shown(text)}")
    port = int(port_text) if port_text else (443 if scheme == "https" else 80)
    if not 1 <= port <= 65535:
        raise ValueError(f"the URL's port is not a number from 1 to 65535: {_shown(text)}")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    # Non-ASCII in the path or query goes out percent-encoded (UTF-8), as browsers send it.
    raw_path = path if path.isascii() else urllib.parse.quote(path, safe=_PRINTABLE_ASCII)
    try:
        called = httpx.URL(
            scheme=scheme, host=parts.hostname, port=port, raw_path=raw_path.encode("ascii")
        )
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        raise ValueError(f"the URL's host name is not valid ({exc}): {_shown(text)}") from None
    return _Target(scheme, parts.hostname, port, called)


def check_url(url: str) -> str | None:
    """Why this URL cannot be called at all, or None when it can."""
    try:
        _parse_url(url)
    except ValueError as exc:
        return str(exc)
    return None


def url_notes(url: str) -> list[str]:
    """Where a callable URL breaks Okta's rules (Okta would refuse to save it), and how it is
    sent when that differs from what was typed."""
    try:
        target = _parse_url(url)
    except ValueError as exc:
        return [str(exc)]
    notes: list[str] = []
    if target.scheme == "http":
        notes.append("Okta requires https: an http:// URL only works for local testing")
    if len(url) > MAX_URL_LENGTH:
        notes.append(f"the URL is {len(url)} characters long; Okta allows at most {MAX_URL_LENGTH}")
    typed = urllib.parse.urlsplit(url.strip())
    typed_path = (typed.path or "/") + (f"?{typed.query}" if typed.query else "")
    if typed_path != target.target:
        why = " (non-ASCII characters percent-encoded as UTF-8)" if not typed_path.isascii() else ""
        notes.append(f"the URL's path is sent as {_shown(target.target)}{why}")
        sent_length = len(str(target.url))
        if len(url) <= MAX_URL_LENGTH < sent_length:
            notes.append(
                f"the URL is {sent_length} characters long once percent-encoded; Okta allows at "
                f"most {MAX_URL_LENGTH}"
            )
    return notes


# --- the network under httpx: one deadline per attempt, cancel from any thread ------------


class _Watch:
    """One attempt's deadline and abort switch, shared by every socket the attempt opens.

    `fire` (a cancel, from any thread) shuts those sockets down, which wakes a blocked recv or
    send at once. `phase` says what the attempt is waiting for, for the timeout message.
    """

    def __init__(self, budget: float) -> None:
        self.deadline = time.monotonic() + budget if math.isfinite(budget) else math.inf
        self.reason: FailureKind | None = None
        self.phase = "connect"
        self.timed_out_in: str | None = None  # the phase the deadline ran out in
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def stopped(self) -> bool:
        return self.reason is not None

    def expired(self) -> None:
        if self.timed_out_in is None:
            self.timed_out_in = self.phase

    def attach(self, sock: socket.socket) -> None:
        with self._lock:
            self._socks.append(sock)
            fired = self.reason is not None
        if fired:
            _shut(sock)

    def detach(self, sock: socket.socket) -> None:
        with self._lock, contextlib.suppress(ValueError):
            self._socks.remove(sock)

    def close(self, sock: socket.socket) -> None:
        # Under the lock, so a concurrent `fire` never shuts a reused file descriptor.
        with self._lock:
            with contextlib.suppress(ValueError):
                self._socks.remove(sock)
            sock.close()

    def fire(self, reason: FailureKind) -> None:
        with self._lock:
            if self.reason is None:
                self.reason = reason
            for sock in self._socks:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    # shutdown() wakes a thread blocked in recv()/send() on this socket; close() alone may not.
    # socket.socket's own method: SSLSocket.shutdown would drop its SSL object under a reader.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


_CURRENT: contextvars.ContextVar[_Watch | None] = contextvars.ContextVar(
    "reghook_attempt", default=None
)


def _current_watch() -> _Watch:
    # Outside call_hook (someone using hook_client for something else): no overall deadline.
    return _CURRENT.get() or _Watch(math.inf)


Resolver = Callable[[str, int], Sequence[tuple[Any, ...]]]
"""(host, port) -> `socket.getaddrinfo`-style 5-tuples; raises `socket.gaierror` when the name
is unknown. Injected by tests so no DNS query leaves the machine."""


def _system_resolver(host: str, port: int) -> Sequence[tuple[Any, ...]]:
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _budget(watch: _Watch, timeout: float | None) -> float:
    remaining = watch.remaining()
    return remaining if timeout is None else min(timeout, remaining)


def _failed(kind: type[Exception], exc: OSError | None, text: str = "") -> Exception:
    """An httpcore error carrying the OSError behind it: httpcore's pool re-raises with
    `from None`, so the cause chain cannot be relied on to keep it."""
    error = kind(text or (str(exc) if exc is not None else "") or kind.__name__)
    error.os_error = exc  # type: ignore[attr-defined]
    return error


class HookBackend(httpcore.NetworkBackend):
    """httpcore's network for hook calls: every wait is bounded by the attempt's deadline and
    every socket is registered with the attempt, so a cancel or the deadline stops it."""

    def __init__(self, resolver: Resolver | None = None) -> None:
        self._resolver = resolver or _system_resolver

    def _resolve(self, host: str, port: int, watch: _Watch, timeout: float | None) -> list:
        if _is_ip(host):
            family = socket.AF_INET6 if ":" in host else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 0, "", (host, port))]
        # getaddrinfo has no timeout of its own: run it aside and stop waiting at the deadline.
        box: dict[str, Any] = {}
        done = threading.Event()

        def work() -> None:
            try:
                box["ok"] = list(self._resolver(host, port))
            except Exception as exc:  # handed to the caller's thread
                box["err"] = exc
            done.set()

        threading.Thread(target=work, name="resolve " + host, daemon=True).start()
        while not done.wait(max(0.0, min(_SLICE_S, _budget(watch, timeout)))):
            if watch.stopped():
                raise httpcore.ConnectError("the call was stopped while resolving")
            if _budget(watch, timeout) <= 0:
                watch.expired()
                raise httpcore.ConnectTimeout(f"resolving {host} took too long")
        if "err" in box:
            err = box["err"]
            raise _failed(
                httpcore.ConnectError, err if isinstance(err, OSError) else None, str(err)
            ) from err
        return box["ok"]

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        watch = _current_watch()
        watch.phase = "connect"
        if watch.stopped():
            raise httpcore.ConnectError("the call was stopped")
        infos = self._resolve(host, port, watch, timeout)
        last: OSError | None = None
        for family, kind, proto, _name, address in infos:
            sock = socket.socket(family, kind, proto)
            watch.attach(sock)
            try:
                if local_address:
                    sock.bind((local_address, 0))
                for option in socket_options or ():
                    sock.setsockopt(*option)
                self._connect(sock, address, watch, timeout)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                return _HookStream(sock, watch)
            except httpcore.ConnectTimeout:
                watch.close(sock)
                raise
            except OSError as exc:
                watch.close(sock)
                last = exc
                if watch.stopped():
                    break
        if watch.stopped():
            raise httpcore.ConnectError("the call was stopped while connecting") from last
        if last is None:
            raise httpcore.ConnectError(f"no address for {host}")
        raise _failed(httpcore.ConnectError, last) from last

    @staticmethod
    def _connect(sock: socket.socket, address: Any, watch: _Watch, timeout: float | None) -> None:
        sock.setblocking(False)
        code = sock.connect_ex(address)
        while code in (errno.EINPROGRESS, errno.EALREADY, errno.EWOULDBLOCK):
            left = _budget(watch, timeout)
            if left <= 0:
                watch.expired()
                raise httpcore.ConnectTimeout("connecting took too long")
            _, writable, _ = select.select([], [sock], [], min(_SLICE_S, left))
            if watch.stopped():
                raise OSError(errno.ECANCELED, "the call was stopped while connecting")
            if writable:
                code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                break
        if code not in (0, errno.EISCONN):
            raise OSError(code, errno.errorcode.get(code, str(code)))
        sock.setblocking(True)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _HookStream(httpcore.NetworkStream):
    """A socket whose reads and writes get at most what is left of the attempt's budget."""

    def __init__(self, sock: socket.socket, watch: _Watch) -> None:
        self._sock = sock
        self._watch = watch

    def _left(self, timeout: float | None, error: type[Exception]) -> float:
        if self._watch.stopped():
            raise httpcore.ReadError("the call was stopped")
        left = _budget(self._watch, timeout)
        if left <= 0:
            self._watch.expired()
            raise error("the attempt's time is up")
        return left

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        watch = self._watch
        if watch.phase == "send":
            watch.phase = "head"
        self._sock.settimeout(self._left(timeout, httpcore.ReadTimeout))
        try:
            data = self._sock.recv(max_bytes)
        except TimeoutError as exc:
            watch.expired()
            raise httpcore.ReadTimeout(str(exc) or "timed out") from exc
        except OSError as exc:
            raise _failed(httpcore.ReadError, exc) from exc
        if watch.stopped():
            raise httpcore.ReadError("the call was stopped")
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        watch = self._watch
        if watch.phase in ("connect", "tls"):
            watch.phase = "send"
        self._sock.settimeout(self._left(timeout, httpcore.WriteTimeout))
        try:
            self._sock.sendall(buffer)  # its timeout covers the whole buffer
        except TimeoutError as exc:
            watch.expired()
            raise httpcore.WriteTimeout(str(exc) or "timed out") from exc
        except OSError as exc:
            raise _failed(httpcore.WriteError, exc) from exc

    def close(self) -> None:
        self._watch.close(self._sock)

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        watch = self._watch
        watch.phase = "tls"
        # wrap_socket takes over the file descriptor: register the new socket before the
        # handshake so a cancel can still reach it.
        watch.detach(self._sock)
        try:
            tls = ssl_context.wrap_socket(
                self._sock, server_hostname=server_hostname, do_handshake_on_connect=False
            )
        except OSError as exc:
            self._sock.close()
            raise _failed(httpcore.ConnectError, exc) from exc
        watch.attach(tls)
        try:
            tls.settimeout(self._left(timeout, httpcore.ConnectTimeout))
            tls.do_handshake()  # CPython bounds the whole handshake by the socket timeout
        except TimeoutError as exc:
            watch.expired()
            watch.close(tls)
            raise httpcore.ConnectTimeout(str(exc) or "timed out") from exc
        except OSError as exc:
            watch.close(tls)
            raise _failed(httpcore.ConnectError, exc) from exc
        except BaseException:
            watch.close(tls)
            raise
        return _HookStream(tls, watch)

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object":
            return self._sock if isinstance(self._sock, ssl.SSLSocket) else None
        if info == "client_addr":
            return self._sock.getsockname()
        if info == "server_addr":
            return self._sock.getpeername()
        if info == "socket":
            return self._sock
        if info == "is_readable":
            try:
                readable, _, _ = select.select([self._sock], [], [], 0)
            except (OSError, ValueError):
                return True
            return bool(readable)
        return None


@lru_cache(maxsize=8)
def _tls_context(ca_file: str | None, verify: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class HookTransport(httpx.HTTPTransport):
    """httpx's HTTP/1.1 transport on `HookBackend`: no connection retries (Okta's one retry is
    `call_hook`'s), TLS from `RemoteSettings`, names resolved by `resolver` when given."""

    def __init__(
        self, settings: RemoteSettings | None = None, *, resolver: Resolver | None = None
    ) -> None:
        settings = settings or RemoteSettings()
        context = _tls_context(settings.ca_file, settings.verify_tls)
        super().__init__(verify=context, trust_env=False, retries=0)
        # httpx builds its pool on httpcore's stock backend; this one keeps the deadline.
        self._pool = httpcore.ConnectionPool(
            ssl_context=context,
            max_connections=4,
            max_keepalive_connections=0,
            http1=True,
            http2=False,
            retries=0,
            network_backend=HookBackend(resolver),
        )


def hook_client(
    settings: RemoteSettings | None = None, *, resolver: Resolver | None = None
) -> httpx.Client:
    """An httpx client that calls hooks as Okta does (pass it to `call_hook(client=...)`).

    No proxy from the environment, no redirects followed, TLS as `settings` says; its
    per-operation timeout is the attempt budget, and `call_hook` bounds the whole attempt.
    """
    settings = settings or RemoteSettings()
    return httpx.Client(
        transport=HookTransport(settings, resolver=resolver),
        trust_env=False,
        follow_redirects=False,
        timeout=settings.timeout_s,
    )


# --- one HTTP exchange ------------------------------------------------------------------


@dataclass
class _Exchange:
    """The outcome of one attempt, before it becomes a HookAnswer."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    failure: FailureKind | None = None
    detail: str = ""
    oversize: bool = False
    sent_headers: tuple[tuple[str, str], ...] = ()


def _wire(headers: Iterable[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    # Latin-1, as HTTP/1.1 carries header values (header_problem refused anything else).
    return [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]


def _exchange(
    client: httpx.Client,
    target: _Target,
    headers: list[tuple[str, str]],
    body: bytes,
    watch: _Watch,
    budget: float,
) -> _Exchange:
    """One POST under `watch` (the attempt's deadline and cancel), read to READ_LIMIT bytes.

    `budget` is the whole attempt's time limit, named in a timeout message. The body is read
    raw: a Content-Encoding is reported as the server sent it, never decoded.
    """
    result = _Exchange()
    watch.phase = "connect"
    watch.timed_out_in = None
    response: httpx.Response | None = None
    chunks: list[bytes] = []
    total = 0
    try:
        request = httpx.Request(
            "POST",
            target.url,
            headers=_wire(headers),
            content=body,
            extensions={"timeout": _timeouts(watch)},
        )
        result.sent_headers = tuple(
            (name.decode("latin-1"), value.decode("latin-1")) for name, value in request.headers.raw
        )
        if watch.stopped():
            raise httpx.ConnectError("the call was stopped")
        if watch.remaining() <= 0:
            watch.expired()
            raise httpx.ConnectTimeout("no time left")
        response = client.send(request, stream=True, follow_redirects=False)
        watch.phase = "body"
        result.status = response.status_code
        for name, value in response.headers.multi_items():
            key = name.lower()
            result.headers[key] = (
                f"{result.headers[key]}, {value}" if key in result.headers else value
            )
        # A stub transport's in-memory answer arrives already read; a real one is streamed.
        pieces = [response.content] if response.is_stream_consumed else response.iter_raw()
        for chunk in pieces:
            chunks.append(chunk)
            total += len(chunk)
            if total >= READ_LIMIT:
                break
            if watch.remaining() <= 0:  # a transport that does not keep the deadline itself
                watch.expired()
                raise httpx.ReadTimeout("the attempt's time is up")
        result.body = b"".join(chunks)[:READ_LIMIT]
        if total >= READ_LIMIT:
            result.oversize = True
            result.detail = (
                f"the answer is larger than {MAX_BODY_BYTES // 1024} KB: stopped reading "
                f"after {len(result.body)} bytes"
            )
    except Exception as exc:  # every way a call can fail is reported; none escapes
        result.body = b"".join(chunks)[:READ_LIMIT]
        result.failure, result.detail = _classify(exc, watch, target, budget, result)
    finally:
        if response is not None:
            with contextlib.suppress(Exception):
                response.close()
    return result


def _timeouts(watch: _Watch) -> dict[str, float | None]:
    # httpx's per-operation timeouts, for a transport that does not read the attempt's deadline.
    left = watch.remaining()
    each = None if math.isinf(left) else max(0.001, left)
    return {"connect": each, "read": each, "write": each, "pool": each}


def _chain(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _os_error(exc: BaseException) -> OSError | None:
    for error in _chain(exc):
        if isinstance(error, OSError):
            return error
        behind = getattr(error, "os_error", None)
        if isinstance(behind, OSError):
            return behind
    return None


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


_WAITING = {
    "connect": "a connection",
    "tls": "the TLS handshake",
    "send": "the request to go out",
    "head": "an answer",
    "body": "the rest of the answer",
}


def _mid_answer(target: _Target, partial: _Exchange) -> tuple[FailureKind, str]:
    expected = ""
    length = partial.headers.get("content-length", "")
    if length.isdigit() and "transfer-encoding" not in partial.headers:
        expected = f" of {int(length)}"
    return (
        FailureKind.DROPPED,
        f"{target.where} closed the connection mid-answer after "
        f"{len(partial.body)}{expected} body bytes",
    )


def _timeout_phase(exc: BaseException, phase: str) -> str:
    # A transport that does not report to the watch: the exception says what timed out.
    if phase in ("connect", "tls", "send"):
        if isinstance(exc, httpx.ReadTimeout):
            return "head"
        if isinstance(exc, httpx.WriteTimeout):
            return "send"
    return phase


def _classify(
    exc: BaseException,
    watch: _Watch,
    target: _Target,
    budget: float,
    partial: _Exchange,
) -> tuple[FailureKind, str]:
    """The failure kind and its one-line message. `watch` says whether a cancel or the deadline
    stopped the attempt, and what it was waiting for."""
    if watch.reason is FailureKind.CANCELLED:
        return FailureKind.CANCELLED, "the call was cancelled"
    if watch.timed_out_in is not None or isinstance(exc, httpx.TimeoutException | TimeoutError):
        phase = watch.timed_out_in or _timeout_phase(exc, watch.phase)
        return FailureKind.TIMEOUT, f"timed out after {budget:g} s waiting for {_WAITING[phase]}"
    phase = watch.phase
    if isinstance(exc, httpx.RemoteProtocolError):
        text = str(exc)
        if phase == "body":
            return _mid_answer(target, partial)
        if "without sending a response" in text:
            return FailureKind.DROPPED, f"{target.where} closed the connection without answering"
        if "_SWITCH_UPGRADE" in text:
            return (
                FailureKind.OTHER,
                f"{target.where} answered 101 Switching Protocols to a plain POST (no final "
                "answer came)",
            )
        return FailureKind.OTHER, f"{target.where} did not answer in HTTP: {text:.120}"
    if isinstance(exc, httpx.LocalProtocolError):
        # h11 quotes the offending header value, which may be a secret.
        return FailureKind.OTHER, "a header could not be sent (its name or value is not valid)"
    os_error = _os_error(exc)
    if isinstance(exc, httpx.TransportError):
        if phase == "body":
            return _mid_answer(target, partial)
        if os_error is None:
            text = str(exc) or type(exc).__name__
            return FailureKind.OTHER, f"network error talking to {target.where}: {text:.120}"
        if isinstance(os_error, ssl.SSLError) and phase != "tls":
            return FailureKind.DROPPED, f"{target.where} broke off the TLS connection ({phase})"
        return _describe_os_error(os_error, target)
    if os_error is not None:
        return _describe_os_error(os_error, target)
    return FailureKind.OTHER, f"unexpected error: {type(exc).__name__}: {exc!s:.120}"


def _watch_cancel(cancel: Any, watch: _Watch) -> Callable[[], None]:
    """Fire `watch` when `cancel` is cancelled; returns the function that stops watching.

    A `CancelToken` calls back at once; any other object with a `cancelled` attribute (a
    caller's own flag) is looked at every 20 ms from a small watcher thread.
    """
    if cancel is None:
        return lambda: None
    if isinstance(cancel, CancelToken):
        cancel._watch(watch)
        return lambda: cancel._unwatch(watch)
    finished = threading.Event()

    def poll() -> None:
        while not finished.wait(_SLICE_S):
            if getattr(cancel, "cancelled", False):
                watch.fire(FailureKind.CANCELLED)
                return

    if getattr(cancel, "cancelled", False):
        watch.fire(FailureKind.CANCELLED)
    else:
        threading.Thread(target=poll, name="cancel watch", daemon=True).start()
    return finished.set


# --- OAuth -------------------------------------------------------------------------------


@dataclass
class _TokenResult:
    token: str | None = None
    expires_in: float = 0.0
    failure: FailureKind | None = None
    detail: str = ""
    retry: bool = False  # a failure Okta's one retry is for (timeout, network, 5xx)


def _fetch_token(
    creds: OAuthClientCredentials, client: httpx.Client, watch: _Watch, budget: float
) -> _TokenResult:
    """A client_credentials grant, through the hook's client and inside the attempt's budget."""
    try:
        target = _parse_url(creds.token_url)
    except ValueError as exc:
        return _TokenResult(failure=FailureKind.OTHER, detail=f"OAuth token URL: {exc}")
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
    got = _exchange(client, target, headers, body, watch, budget)
    if got.failure is not None:
        return _TokenResult(
            failure=got.failure,
            detail=f"OAuth token request: {got.detail}",
            retry=got.failure in _RETRIED,
        )
    try:
        value = json.loads(got.body)
    except ValueError:
        value = None
    if got.status != 200 or not isinstance(value, dict):
        reason = ""
        if isinstance(value, dict):
            reason = str(value.get("error_description") or value.get("error") or "")
        shown = reason or got.body[:80].decode("utf-8", "replace")
        return _TokenResult(
            failure=FailureKind.OTHER,
            detail=f"OAuth token request: HTTP {got.status}: {shown}",
            retry=got.status is not None and got.status >= 500,
        )
    token = value.get("access_token")
    if not isinstance(token, str) or not token:
        return _TokenResult(
            failure=FailureKind.OTHER, detail="OAuth token request: the answer has no access_token"
        )
    expires_in = value.get("expires_in", 3600)
    if isinstance(expires_in, bool) or not isinstance(expires_in, int | float) or expires_in <= 0:
        expires_in = 3600
    return _TokenResult(token=token, expires_in=float(expires_in))


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
    client: httpx.Client | None = None,
) -> HookAnswer:
    """POST `body` to `url` as Okta would and return what came back. Blocking; never raises.

    Each attempt has `settings.timeout_s` in total (DNS, connect, TLS, send, the status line,
    the headers and the whole body; an OAuth token fetch counts inside the first). One retry
    after a timeout, a failed connection, a dropped answer or a 5xx; none after a 2xx, 3xx or
    4xx, and redirects are never followed. A leading UTF-8 byte-order mark is not sent.

    `client` is the HTTP client to use (tests inject one); without it the call builds one
    from `settings` (`hook_client`) and closes it. An injected client keeps its own TLS
    settings; only a client over `HookTransport` can enforce the attempt's deadline on every
    socket operation and abort a blocked read on cancel.
    """
    settings = settings or RemoteSettings()
    cache = token_cache if token_cache is not None else _DEFAULT_CACHE
    started = time.perf_counter()

    def ms_since(moment: float) -> float:
        return (time.perf_counter() - moment) * 1000.0

    try:
        target = _parse_url(url)
    except ValueError as exc:
        return HookAnswer.failed(FailureKind.OTHER, f"cannot call this URL: {exc}", 0.0, url=url)
    problems = auth.problems()
    if problems:
        return HookAnswer.failed(FailureKind.OTHER, problems[0], 0.0, url=url)
    body, had_bom = strip_bom(body)

    headers = [
        ("Host", target.host_header),
        *okta.REQUEST_HEADERS,
        ("Content-Length", str(len(body))),
    ]
    if auth.oauth is None and auth.header_value:
        headers.append((auth.header_name or okta.DEFAULT_AUTH_HEADER, auth.header_value))
    headers.extend(auth.extra_headers)
    headers.append(("Connection", "close"))

    own_client = client is None
    session = client if client is not None else hook_client(settings)
    attempts_allowed = okta.MAX_ATTEMPTS if settings.retry else 1
    log: list[Attempt] = []
    got = _Exchange()
    sent: tuple[tuple[str, str], ...] = ()
    attempt_started = started
    try:
        while len(log) < attempts_allowed:
            number = len(log) + 1
            budget = settings.timeout_s
            attempt_started = time.perf_counter()
            watch = _Watch(budget)
            context = _CURRENT.set(watch)
            unwatch = _watch_cancel(cancel, watch)
            retry = False
            try:
                sent_headers, got, retry = _attempt(
                    session, target, headers, body, auth, cache, watch, budget
                )
            finally:
                unwatch()
                _CURRENT.reset(context)
            sent = sent_headers or sent
            log.append(
                Attempt(
                    number=number,
                    started_ms=(attempt_started - started) * 1000.0,
                    duration_ms=ms_since(attempt_started),
                    status=got.status,
                    failure=got.failure,
                    detail=got.detail,
                )
            )
            if not retry or getattr(cancel, "cancelled", False):
                break
    finally:
        if own_client:
            session.close()

    attempts = len(log)
    detail = got.detail
    if attempts > 1 and detail:
        detail = f"{detail} (after a retry)"
    elif attempts > 1 and got.status is not None and got.status >= 500:
        detail = f"HTTP {got.status} again after a retry"
    if had_bom:
        detail = f"{detail}; {BOM_NOTE}" if detail else BOM_NOTE
    return HookAnswer(
        status=got.status,
        headers=got.headers,
        body=got.body,
        elapsed_ms=ms_since(started),
        failure=got.failure,
        failure_detail=detail,
        attempts=attempts,
        url=url,
        attempt_ms=log[-1].duration_ms if log else None,
        attempt_log=tuple(log),
        sent_headers=sent,
    )


def _attempt(
    client: httpx.Client,
    target: _Target,
    headers: list[tuple[str, str]],
    body: bytes,
    auth: HookAuth,
    cache: TokenCache,
    watch: _Watch,
    budget: float,
) -> tuple[tuple[tuple[str, str], ...], _Exchange, bool]:
    """One attempt (token fetch included): (headers sent to the hook, outcome, retry it?)."""
    sent_headers = headers
    if auth.oauth is not None:
        token = cache.get(auth.oauth)
        if token is None:
            fetched = _fetch_token(auth.oauth, client, watch, budget)
            if fetched.token is None:
                failed = _Exchange(failure=fetched.failure, detail=fetched.detail)
                return (), failed, fetched.retry
            token = fetched.token
            if header_problem("Authorization", f"Bearer {token}") is not None:
                # Never repeat the token: it is a secret even when it is malformed.
                failed = _Exchange(
                    failure=FailureKind.OTHER,
                    detail="the token endpoint's access_token cannot be sent in a header "
                    "(it has a line break or control character)",
                )
                return (), failed, False
            cache.put(auth.oauth, token, fetched.expires_in)
        sent_headers = [*headers[:-1], ("Authorization", f"Bearer {token}"), headers[-1]]
        if watch.remaining() <= 0 and not watch.stopped():
            failed = _Exchange(
                failure=FailureKind.TIMEOUT,
                detail=f"timed out after {budget:g} s (the OAuth token fetch used it all)",
            )
            return (), failed, True
    got = _exchange(client, target, sent_headers, body, watch, budget)
    return got.sent_headers, got, _should_retry(got)


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
        encoding = answer.headers.get("content-encoding")
        if encoding and encoding.lower() != "identity":
            lines.append(f"Content-Encoding: {encoding} (the body is shown as sent, not decoded)")
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
