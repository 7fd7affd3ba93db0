"""The network under httpx: one deadline per attempt for every DNS wait, connect, TLS
handshake, send and read, and a cancel that shuts the attempt's socket from any thread."""

from __future__ import annotations

import contextlib
import contextvars
import errno
import ipaddress
import math
import select
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

import httpcore
import httpx

from app.logic.answer import FailureKind
from app.logic.remote.auth import _SLICE_S, RemoteSettings

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

    def __init__(
        self,
        resolver: Resolver | None = None,
        tls: Callable[[], ssl.SSLContext] | None = None,
    ) -> None:
        self._resolver = resolver or _system_resolver
        # The TLS context, made on the first https connection: loading the system's CA
        # certificates costs about 45 ms, which a call to an http:// hook never needs.
        self._tls = tls

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
                return _HookStream(sock, watch, self._tls)
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


#: Written data is held back until this much is waiting (or the response is read).
WRITE_BUFFER_BYTES = 64 * 1024


class _HookStream(httpcore.NetworkStream):
    """A socket whose reads and writes get at most what is left of the attempt's budget.

    A kept-alive connection outlives the attempt that opened it: the next attempt to use it
    takes it over (`_bind`), so its deadline bounds every read and write and its cancel shuts
    this socket, exactly as for a connection of its own.
    """

    def __init__(
        self,
        sock: socket.socket,
        watch: _Watch,
        tls: Callable[[], ssl.SSLContext] | None = None,
    ) -> None:
        self._sock = sock
        self._watch = watch
        self._tls = tls
        # What httpcore wrote and this has not sent yet: the request's head and body go out
        # in one send when the response is first read (one TCP segment rather than two on a
        # small request: a loopback send costs about 0.15 ms of CPU). Large bodies stream.
        self._pending = bytearray()

    def _bind(self) -> _Watch:
        watch = _CURRENT.get()
        if watch is None or watch is self._watch:
            return self._watch
        self._watch.detach(self._sock)
        self._watch = watch
        watch.attach(self._sock)  # shut at once if this attempt was cancelled already
        return watch

    def _left(self, timeout: float | None, error: type[Exception]) -> float:
        if self._watch.stopped():
            raise httpcore.ReadError("the call was stopped")
        left = _budget(self._watch, timeout)
        if left <= 0:
            self._watch.expired()
            raise error("the attempt's time is up")
        return left

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        watch = self._bind()
        if self._pending:
            self._flush(watch, timeout)
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
        watch = self._bind()
        if watch.phase in ("connect", "tls"):
            watch.phase = "send"
        self._pending += buffer
        if len(self._pending) >= WRITE_BUFFER_BYTES:
            self._flush(watch, timeout)

    def _flush(self, watch: _Watch, timeout: float | None) -> None:
        data = bytes(self._pending)
        self._pending.clear()
        self._sock.settimeout(self._left(timeout, httpcore.WriteTimeout))
        try:
            self._sock.sendall(data)  # its timeout covers the whole buffer
        except TimeoutError as exc:
            watch.expired()
            raise httpcore.WriteTimeout(str(exc) or "timed out") from exc
        except OSError as exc:
            raise _failed(httpcore.WriteError, exc) from exc

    def close(self) -> None:
        self._pending.clear()
        self._watch.close(self._sock)

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        watch = self._bind()
        watch.phase = "tls"
        if self._tls is not None:  # the backend's own context, rather than httpcore's stand-in
            problem = ""
            try:
                ssl_context = self._tls()
            except OSError as exc:  # an unreadable or invalid CA file
                problem = exc.strerror or str(exc) or type(exc).__name__
            if problem:  # raised out here, so no OSError behind it reads as a network error
                watch.close(self._sock)
                raise _failed(httpcore.ConnectError, None, f"the CA file cannot be used: {problem}")
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


@lru_cache(maxsize=1)
def _stand_in_context() -> ssl.SSLContext:
    """What httpx and httpcore are given as the TLS context: one, shared, with no
    certificates (even an empty context costs about 1 ms to make). Never used for a
    handshake: `_HookStream.start_tls` uses the backend's own."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


@lru_cache(maxsize=8)
def _tls_context(ca_file: str | None, verify: bool) -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.set_alpn_protocols(["http/1.1"])
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


#: How long a kept-alive connection may sit idle before it is dropped rather than reused: well
#: under the usual server idle timeouts (5 s for uvicorn and `reghook serve`), so a reused
#: connection is never one the server is closing at that moment.
KEEP_ALIVE_IDLE_S = 2.0


class HookTransport(httpx.HTTPTransport):
    """httpx's HTTP/1.1 transport on `HookBackend`: no connection retries (Okta's one retry is
    `call_hook`'s), TLS from `RemoteSettings`, names resolved by `resolver` when given.

    With `keep_alive` a connection is kept open for the next call (as Okta keeps its
    connections to a hook); without it, every call has a connection of its own.
    """

    def __init__(
        self,
        settings: RemoteSettings | None = None,
        *,
        resolver: Resolver | None = None,
        keep_alive: bool = False,
    ) -> None:
        settings = settings or RemoteSettings()
        ca_file, verify = settings.ca_file, settings.verify_tls
        # A stand-in that loads no certificates: the backend makes the real context (with
        # the CA file and verification `settings` ask for) on the first https connection.
        stand_in = _stand_in_context()
        super().__init__(verify=stand_in, trust_env=False, retries=0)
        # httpx builds its pool on httpcore's stock backend; this one keeps the deadline.
        self._pool = httpcore.ConnectionPool(
            ssl_context=stand_in,
            max_connections=4,
            max_keepalive_connections=4 if keep_alive else 0,
            keepalive_expiry=KEEP_ALIVE_IDLE_S,
            http1=True,
            http2=False,
            retries=0,
            network_backend=HookBackend(resolver, lambda: _tls_context(ca_file, verify)),
        )


class _HookClient(httpx.Client):
    """An httpx client whose `send` hands the request straight to its transport.

    A hook call follows no redirect, has no auth flow and keeps no cookie (Okta sends none
    back, and a client kept for many calls must never carry one hook answer's cookie into
    the next call), so httpx's layers for those are skipped.
    """

    def __init__(self, transport: httpx.BaseTransport, timeout: float) -> None:
        super().__init__(
            transport=transport, trust_env=False, follow_redirects=False, timeout=timeout
        )
        self._hook_transport = transport

    def send(self, request: httpx.Request, *, stream: bool = False, **_ignored: Any) -> Any:
        response = self._hook_transport.handle_request(request)
        response.request = request
        if not stream:
            try:
                response.read()
            finally:
                response.close()
        return response


def hook_client(
    settings: RemoteSettings | None = None,
    *,
    resolver: Resolver | None = None,
    keep_alive: bool = False,
) -> httpx.Client:
    """An httpx client that calls hooks as Okta does (pass it to `call_hook(client=...)`).

    No proxy from the environment, no redirects followed, TLS as `settings` says; its
    per-operation timeout is the attempt budget, and `call_hook` bounds the whole attempt.
    `keep_alive` reuses a connection from one call to the next (for a thread that makes many
    calls); each attempt still has its own deadline and cancel on the reused connection.
    """
    settings = settings or RemoteSettings()
    transport = HookTransport(settings, resolver=resolver, keep_alive=keep_alive)
    return _HookClient(transport, settings.timeout_s)
