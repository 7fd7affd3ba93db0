"""The bundled hook logic as a real HTTP hook service: an ASGI application and its runner.

Host `app.logic.service:asgi_app` (or `create_app(...)`) on any ASGI server, or run
`python -m app serve`: uvicorn (with httptools) when installed, else a small built-in server.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hmac
import json
import os
import signal
import socket
import sys
import threading
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from app.logic import jsontext
from app.logic.bundled_hook import (
    ENDPOINTS,
    HookResult,
    HookRules,
    registration_hook_pp,
    registration_hook_ssr,
    registration_hook_ssr_and_pp,
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

MAX_BODY_BYTES = 1024 * 1024
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8082
DEFAULT_USER = "admin"
DEFAULT_PASSWORD = "supersecret"
REALM = "registration hook"
USER_VAR = "BASIC_AUTH_USER"
PASSWORD_VAR = "BASIC_AUTH_PASSWORD"

_HANDLERS: dict[str, Callable[[Any, HookRules], HookResult]] = {
    ENDPOINTS["ssr"]: registration_hook_ssr,
    ENDPOINTS["pp"]: registration_hook_pp,
    ENDPOINTS["ssr-and-pp"]: registration_hook_ssr_and_pp,
}
# Express (the sample's server) matches paths case-insensitively and ignores a trailing slash.
_LOOSE_PATHS = {path.lower(): path for path in _HANDLERS}


# --- credentials ------------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    """The Basic auth pair the service accepts; `defaulted` when the guide's were used."""

    user: str
    password: str
    defaulted: bool = False
    source: str = ""

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, password='***', defaulted={self.defaulted})"


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a `.env` file (comments, blank lines, `export` and quotes allowed)."""
    values: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return values
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[7:].lstrip()
        key, sep, value = line.partition("=")
        if not sep:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        values[key.strip()] = value
    return values


def load_credentials(
    environ: Mapping[str, str] | None = None, env_file: Path | None = None
) -> Credentials:
    """From the environment first, then `.env` in the working directory, else the defaults."""
    environ = os.environ if environ is None else environ
    file_path = Path(".env") if env_file is None else env_file
    from_file = read_env_file(file_path)
    user = environ.get(USER_VAR) or from_file.get(USER_VAR)
    password = environ.get(PASSWORD_VAR) or from_file.get(PASSWORD_VAR)
    if user and password:
        source = "environment" if environ.get(PASSWORD_VAR) else str(file_path)
        return Credentials(user, password, False, source)
    return Credentials(
        user or DEFAULT_USER, password or DEFAULT_PASSWORD, True, "the guide's defaults"
    )


def default_credentials_warning(creds: Credentials) -> str:
    """The loud start-up line when the guide's well-known pair is in use."""
    return (
        f"WARNING: {USER_VAR} / {PASSWORD_VAR} are not both set (environment or .env): "
        f"accepting the guide's well-known defaults {DEFAULT_USER} / {DEFAULT_PASSWORD}. "
        "Anyone who can reach this port can call the hook: set your own for anything but "
        "local testing."
    )


# --- the ASGI application -----------------------------------------------------------------


def _stdout_log(line: str) -> None:
    stream = sys.stdout
    stream.write(line + "\n")
    stream.flush()


_decode = jsontext.DECODER.decode
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
_JSON_HEADERS = [(b"content-type", b"application/json")]


def _error_body(message: str) -> bytes:
    return _encode({"error": message}).encode("utf-8")


class HookService:
    """ASGI application: the guide's three endpoints behind Basic auth, JSON in and out."""

    def __init__(
        self,
        credentials: Credentials,
        rules: HookRules | None = None,
        log: Callable[[str], None] | None = None,
        max_body: int = MAX_BODY_BYTES,
    ) -> None:
        self.credentials = credentials
        self.rules = rules or HookRules()
        self.max_body = max_body
        self._log = log or _stdout_log
        pair = f"{credentials.user}:{credentials.password}".encode()
        self._expected_header = b"Basic " + base64.b64encode(pair)
        self._user = credentials.user.encode()
        self._password = credentials.password.encode()
        self._unauthorized_headers = [
            *_JSON_HEADERS,
            (b"www-authenticate", f'Basic realm="{REALM}", charset="UTF-8"'.encode()),
        ]

    # -- authentication: constant-time, before any byte of the body is read
    def _authorized(self, header: bytes | None) -> bool:
        if header is None:
            return False
        if hmac.compare_digest(header, self._expected_header):
            return True
        scheme, _, encoded = header.strip().partition(b" ")
        if scheme.lower() != b"basic":
            return False
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            return False
        user, sep, password = decoded.partition(b":")
        user_ok = hmac.compare_digest(user, self._user)
        password_ok = hmac.compare_digest(password, self._password)
        return bool(sep) and user_ok and password_ok

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _answer(
        self,
        send: Send,
        status: int,
        body: bytes,
        headers: list[tuple[bytes, bytes]] = _JSON_HEADERS,
    ) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [*headers, (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _refuse(self, scope: Scope, send: Send, status: int, message: str, **kw: Any) -> None:
        self._log(f"{status} {scope.get('method', '?')} {scope.get('path', '?')}: {message}")
        await self._answer(send, status, _error_body(message), **kw)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]
        handler = _HANDLERS.get(path)
        if handler is None:
            exact = _LOOSE_PATHS.get(path.rstrip("/").lower())
            if exact is None:
                await self._refuse(scope, send, 404, f"no hook at {path[:200]}")
                return
            handler = _HANDLERS[exact]
        if scope["method"] != "POST":
            await self._refuse(
                scope,
                send,
                405,
                f"{scope['method'][:20]} is not allowed here; hooks are called with POST",
                headers=[*_JSON_HEADERS, (b"allow", b"POST")],
            )
            return
        auth = length = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                auth = value
            elif name == b"content-length":
                length = value
        if not self._authorized(auth):
            await self._refuse(
                scope,
                send,
                401,
                "missing or wrong Basic credentials",
                headers=self._unauthorized_headers,
            )
            return
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = -1
            if declared < 0:
                await self._refuse(scope, send, 400, "Content-Length is not a number")
                return
            if declared > self.max_body:
                await self._refuse(scope, send, 413, self._too_large())
                return
        body = await self._read_body(receive)
        if body is None:
            await self._refuse(scope, send, 413, self._too_large())
            return
        try:
            request = _decode(body.decode("utf-8"))
        except (ValueError, RecursionError) as exc:
            await self._refuse(scope, send, 400, f"the body is not valid JSON: {_short(exc)}")
            return
        try:
            result = handler(request, self.rules)
            payload = _encode(result.response).encode("utf-8")
        except Exception as exc:  # a bug must never become a stack trace on the wire
            await self._refuse(scope, send, 500, f"internal error ({type(exc).__name__})")
            return
        self._log("\n".join(result.log_lines))
        await self._answer(send, 200, payload)

    def _too_large(self) -> str:
        return f"the body is larger than {self.max_body // 1024} KB"

    async def _read_body(self, receive: Receive) -> bytes | None:
        message = await receive()
        body = message.get("body", b"")
        if not message.get("more_body", False):
            return body if len(body) <= self.max_body else None
        parts = [body]
        size = len(body)
        while True:
            if size > self.max_body:
                return None
            message = await receive()
            if message["type"] != "http.request":
                return None  # the client went away
            chunk = message.get("body", b"")
            parts.append(chunk)
            size += len(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(parts) if size <= self.max_body else None


def _short(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text (byte {exc.start})"
    return str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__


def create_app(
    user: str | None = None,
    password: str | None = None,
    rules: HookRules | None = None,
    *,
    log: Callable[[str], None] | None = None,
    env_file: Path | None = None,
) -> HookService:
    """A hook service. Credentials not given come from the environment / `.env` / defaults."""
    if user is not None and password is not None:
        creds = Credentials(user, password, False, "arguments")
    else:
        loaded = load_credentials(env_file=env_file)
        creds = Credentials(
            user if user is not None else loaded.user,
            password if password is not None else loaded.password,
            loaded.defaulted,
            loaded.source,
        )
    return HookService(creds, rules, log)


class _LazyApp:
    """`asgi_app`: reads its credentials when the server first starts it, not at import."""

    def __init__(self) -> None:
        self._app: HookService | None = None
        self._lock = threading.Lock()

    def _get(self) -> HookService:
        if self._app is None:
            with self._lock:
                if self._app is None:
                    app = create_app()
                    if app.credentials.defaulted:
                        sys.stderr.write(default_credentials_warning(app.credentials) + "\n")
                    self._app = app
        return self._app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._get()(scope, receive, send)


asgi_app = _LazyApp()
"""For `uvicorn app.logic.service:asgi_app` and other ASGI servers."""


# --- the built-in server (used when uvicorn is not installed) -----------------------------

_REASONS = {
    200: b"OK",
    400: b"Bad Request",
    401: b"Unauthorized",
    404: b"Not Found",
    405: b"Method Not Allowed",
    411: b"Length Required",
    413: b"Content Too Large",
    431: b"Request Header Fields Too Large",
    500: b"Internal Server Error",
    501: b"Not Implemented",
}
_MAX_HEAD = 64 * 1024


class _BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


_IDLE_TIMEOUT_S = 5.0  # a keep-alive connection with no new request is closed after this
_BODY_TIMEOUT_S = 30.0  # a request whose head or body stalls this long is dropped


class _Connections:
    """The open connections, so a shutdown can close idle ones and finish busy ones."""

    def __init__(self) -> None:
        self.idle: set[asyncio.StreamWriter] = set()
        self.stopping = False

    def close_idle(self) -> None:
        self.stopping = True
        for writer in list(self.idle):
            writer.close()


async def _serve_connection(
    app: Callable[[Scope, Receive, Send], Awaitable[None]],
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    server_addr: tuple[str, int],
    connections: _Connections,
) -> None:
    """HTTP/1.1 with keep-alive on one connection, each request handed to the ASGI app."""
    peer = writer.get_extra_info("peername") or ("", 0)
    try:
        while not connections.stopping:
            connections.idle.add(writer)
            try:
                async with asyncio.timeout(_IDLE_TIMEOUT_S):
                    head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, TimeoutError):
                return  # the client closed, or stayed silent, between requests
            except asyncio.LimitOverrunError:
                await _write_plain(writer, 431, "request head too large")
                return
            finally:
                connections.idle.discard(writer)
            try:
                async with asyncio.timeout(_BODY_TIMEOUT_S):
                    keep_alive = await _one_request(app, head, reader, writer, peer, server_addr)
            except _BadRequest as exc:
                await _write_plain(writer, exc.status, str(exc))
                return
            if not keep_alive:
                return
    except (ConnectionError, asyncio.IncompleteReadError, TimeoutError):
        return
    except Exception as exc:  # never a stack trace on the wire, and never a dead server
        with contextlib.suppress(Exception):
            await _write_plain(writer, 500, f"internal error ({type(exc).__name__})")
    finally:
        connections.idle.discard(writer)
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


async def _write_plain(writer: asyncio.StreamWriter, status: int, message: str) -> None:
    body = _error_body(message)
    writer.write(
        b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n"
        b"connection: close\r\n\r\n" % (status, _REASONS.get(status, b"Error"), len(body)) + body
    )
    with contextlib.suppress(ConnectionError):
        await writer.drain()


async def _one_request(
    app: Callable[[Scope, Receive, Send], Awaitable[None]],
    head: bytes,
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    peer: tuple[str, int],
    server_addr: tuple[str, int],
) -> bool:
    """Serve one request; True when the connection can carry another."""
    lines = head[:-4].split(b"\r\n")
    try:
        method, target, version = lines[0].decode("latin-1").split(" ")
    except ValueError:
        raise _BadRequest(400, "malformed request line") from None
    if version not in ("HTTP/1.1", "HTTP/1.0"):
        raise _BadRequest(400, "unsupported HTTP version")
    headers: list[tuple[bytes, bytes]] = []
    length: int | None = None
    chunked = False
    connection = b""
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if not sep or not name or name != name.strip():
            raise _BadRequest(400, "malformed header line")
        name = name.lower()
        value = value.strip()
        headers.append((name, value))
        if name == b"content-length":
            if not value.isdigit() or (length is not None and length != int(value)):
                raise _BadRequest(400, "bad Content-Length")
            length = int(value)
        elif name == b"transfer-encoding":
            if value.lower() != b"chunked":
                raise _BadRequest(501, "only chunked transfer encoding is supported")
            chunked = True
        elif name == b"connection":
            connection = value.lower()
    if chunked and length is not None:
        raise _BadRequest(400, "both Content-Length and Transfer-Encoding")
    if version == "HTTP/1.1":
        keep_alive = b"close" not in connection
    else:
        keep_alive = b"keep-alive" in connection
    path, _, query = target.partition("?")
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": version[5:],
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("latin-1"),
        "query_string": query.encode("latin-1"),
        "root_path": "",
        "headers": headers,
        "client": peer[:2],
        "server": server_addr,
    }
    remaining = length or 0
    state = {"body_done": not chunked and remaining == 0, "started": False, "done": False}

    async def receive() -> Message:
        nonlocal remaining
        if state["body_done"]:
            return {"type": "http.disconnect"}
        if chunked:
            size_line = await reader.readuntil(b"\r\n")
            try:
                size = int(size_line.split(b";")[0].strip(), 16)
            except ValueError:
                raise _BadRequest(400, "bad chunk size") from None
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass  # trailers are ignored
                state["body_done"] = True
                return {"type": "http.request", "body": b"", "more_body": False}
            data = await reader.readexactly(size)
            if await reader.readexactly(2) != b"\r\n":
                raise _BadRequest(400, "bad chunk")
            return {"type": "http.request", "body": data, "more_body": True}
        data = await reader.readexactly(min(remaining, 65536))
        remaining -= len(data)
        if remaining == 0:
            state["body_done"] = True
        return {"type": "http.request", "body": data, "more_body": remaining > 0}

    out_head: list[bytes] = []

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            status = message["status"]
            out_head.append(b"HTTP/1.1 %d %s\r\n" % (status, _REASONS.get(status, b"")))
            for name, value in message.get("headers", ()):
                out_head.append(name + b": " + value + b"\r\n")
            state["started"] = True
        elif message["type"] == "http.response.body":
            body = message.get("body", b"")
            if not message.get("more_body", False):
                state["done"] = True
                # The app may answer before reading the body (401, 413): then close.
                if not (keep_alive and state["body_done"]):
                    out_head.append(b"connection: close\r\n")
            writer.write(b"".join(out_head) + b"\r\n" + body if out_head else body)
            out_head.clear()
            await writer.drain()

    await app(scope, receive, send)
    if not state["done"]:
        raise _BadRequest(500, "the application sent no answer")
    return keep_alive and bool(state["body_done"])


async def _builtin_main(
    app: Callable[[Scope, Receive, Send], Awaitable[None]],
    sock: socket.socket,
    stop: asyncio.Event,
) -> None:
    server_addr = sock.getsockname()[:2]
    connections = _Connections()
    handlers: set[asyncio.Task[None]] = set()

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            handlers.add(task)
        transport_sock = writer.get_extra_info("socket")
        if transport_sock is not None:
            with contextlib.suppress(OSError):
                transport_sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            await _serve_connection(app, reader, writer, server_addr, connections)
        finally:
            if task is not None:
                handlers.discard(task)

    server = await asyncio.start_server(on_connect, sock=sock, limit=_MAX_HEAD, backlog=2048)
    await stop.wait()
    server.close()
    # Idle keep-alive connections are closed now; one mid-request finishes its answer first.
    connections.close_idle()
    if handlers:
        await asyncio.wait(set(handlers), timeout=5.0)
    for task in handlers:
        task.cancel()


# --- running it -------------------------------------------------------------------------


def uvicorn_available() -> bool:
    try:
        import uvicorn  # noqa: F401
    except ImportError:
        return False
    return True


def _fast_uvicorn_available() -> bool:
    # uvicorn on its pure-Python parser (h11) is slower than the built-in server here.
    if not uvicorn_available():
        return False
    try:
        import httptools  # noqa: F401
    except ImportError:
        return False
    return True


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket (port 0 picks a free one); OSError when it cannot listen."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


class ServiceRunner:
    """Runs an ASGI hook service on a bound socket until `stop()` (or a signal, in `run`)."""

    def __init__(
        self,
        app: Callable[[Scope, Receive, Send], Awaitable[None]],
        sock: socket.socket,
        engine: str = "auto",
    ) -> None:
        if engine == "auto":
            engine = "uvicorn" if _fast_uvicorn_available() else "builtin"
        if engine not in ("uvicorn", "builtin"):
            raise ValueError(f"unknown engine {engine!r}; use auto, uvicorn or builtin")
        self.app = app
        self.sock = sock
        self.engine = engine
        self._stop_requested = threading.Event()
        self._uvicorn_server: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.sock.getsockname()[:2]
        return host, port

    @property
    def url(self) -> str:
        host, port = self.address
        return f"http://{f'[{host}]' if ':' in host else host}:{port}"

    @property
    def running(self) -> bool:
        """True while the background thread of `start_in_thread` serves."""
        return self._thread is not None and self._thread.is_alive()

    def run(self) -> None:
        """Serve in this thread until `stop()` is called from another one."""
        if self.engine == "uvicorn":
            self._run_uvicorn()
        else:
            self._run_builtin()

    def _run_uvicorn(self) -> None:
        import uvicorn

        config = uvicorn.Config(
            self.app,
            access_log=False,
            log_level="warning",
            lifespan="on",
            server_header=False,
            date_header=False,
            backlog=2048,
        )
        server = uvicorn.Server(config)
        self._uvicorn_server = server
        if self._stop_requested.is_set():
            server.should_exit = True
        server.run(sockets=[self.sock])

    def _run_builtin(self) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop_event = asyncio.Event()
            if self._stop_requested.is_set():
                self._stop_event.set()
            if threading.current_thread() is threading.main_thread():
                for sig in (signal.SIGINT, signal.SIGTERM):
                    with contextlib.suppress(NotImplementedError, RuntimeError):
                        self._loop.add_signal_handler(sig, self._stop_event.set)
            await _builtin_main(self.app, self.sock, self._stop_event)

        asyncio.run(main())

    def stop(self) -> None:
        """Ask the server to finish (safe from any thread)."""
        self._stop_requested.set()
        if self._uvicorn_server is not None:
            self._uvicorn_server.should_exit = True
        loop, event = self._loop, self._stop_event
        if loop is not None and event is not None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(event.set)

    def start_in_thread(self) -> ServiceRunner:
        """Serve from a background thread (tests and benchmarks); `close()` ends it."""
        self._thread = threading.Thread(target=self.run, name="hook service", daemon=True)
        self._thread.start()
        return self

    def close(self, timeout: float = 5.0) -> None:
        self.stop()
        if self._thread is not None:
            self._thread.join(timeout)
        self.sock.close()

    def __enter__(self) -> ServiceRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    rules: HookRules | None = None,
    env_file: Path | None = None,
    engine: str = "auto",
    out: TextIO | None = None,
) -> int:
    """`python -m app serve`: run until Ctrl+C or SIGTERM, then return 0 (1 if it cannot listen)."""
    out = out or sys.stderr
    app = create_app(rules=rules, env_file=env_file)
    try:
        sock = bind_socket(host, port)
    except OSError as exc:
        out.write(f"cannot listen on {host}:{port}: {exc.strerror or exc}\n")
        return 1
    runner = ServiceRunner(app, sock, engine)
    # uvicorn re-raises a signal it handled once it has shut down; with these handlers in
    # place that re-raise is harmless and the process exits 0.
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, lambda *_: runner.stop())
    creds = app.credentials
    if creds.defaulted:
        out.write(default_credentials_warning(creds) + "\n")
    else:
        out.write(f"Basic auth user '{creds.user}' (from {creds.source})\n")
    out.write(f"Registration hook service ({runner.engine}) listening on {runner.url}\n")
    for path in _HANDLERS:
        out.write(f"  POST {runner.url}{path}\n")
    out.write("Press Ctrl+C to stop.\n")
    out.flush()

    try:
        runner.run()
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()
    out.write("Registration hook service stopped.\n")
    out.flush()
    return 0


def serve_main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point with its own argument parsing (the CLI's `serve` uses `serve`)."""
    import argparse

    parser = argparse.ArgumentParser(prog="reghook serve", description=serve.__doc__)
    add_serve_arguments(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    return run_serve_args(args)


def add_serve_arguments(parser: Any) -> None:
    """The `serve` options, shared by the CLI's subcommand and `serve_main`."""
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"default {DEFAULT_HOST}")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}; 0 picks one"
    )
    parser.add_argument(
        "--env-file",
        metavar="FILE",
        help=f"read {USER_VAR} / {PASSWORD_VAR} from this file (default: .env here)",
    )
    parser.add_argument("--allowed-domain", default="okta.com", metavar="DOMAIN")
    parser.add_argument("--digits", type=int, default=4, metavar="N")
    parser.add_argument(
        "--engine",
        choices=("auto", "uvicorn", "builtin"),
        default="auto",
        help="auto (default): uvicorn when it is installed with httptools, else built-in",
    )


class ServeArgumentError(ValueError):
    """A `serve` option that cannot work (exit status 2)."""


def rules_from_args(args: Any) -> HookRules:
    try:
        return HookRules(allowed_domain=args.allowed_domain, digits=args.digits)
    except ValueError as exc:
        raise ServeArgumentError(str(exc)) from None


def run_serve_args(args: Any) -> int:
    """Run `serve` for parsed options; 2 for options that cannot work."""
    try:
        rules = rules_from_args(args)
        if not 0 <= args.port <= 65535:
            raise ServeArgumentError("--port must be from 0 to 65535")
        if args.engine == "uvicorn" and not uvicorn_available():
            raise ServeArgumentError("--engine uvicorn: uvicorn is not installed")
    except ServeArgumentError as exc:
        sys.stderr.write(f"serve: error: {exc}\n")
        return 2
    env_file = Path(args.env_file) if args.env_file else None
    return serve(args.host, args.port, rules=rules, env_file=env_file, engine=args.engine)
