"""The hook service as an ASGI application: the guide's three endpoints behind Basic auth.

The application enforces what an application can: authentication on the headers (constant
time, before any byte of the body is read), the 1 MB body limit (from Content-Length, and
counted while the body streams in), JSON in and out, one log line per call. What only the
server can enforce (closing the connection after an early answer, header limits, timeouts)
lives in `protocol.py`; hosted on another ASGI server, the application is still correct, just
less well defended.

Every log line is passed through `escape_log` and cut to `MAX_LOG_LINE` characters: a value
that came from the client (a path, a name, an email) can never start a line of its own, turn
the text around (bidi controls) or smuggle a terminal escape, and a long one cannot fill the
disk. Refusals are logged through `RefusalLog`: the first few of every few seconds in full,
the rest as one line that counts them, so a flood of bad requests is not a flood of lines.

A refusal to a caller that has not shown valid credentials (401, 404, 405) closes the
connection: such a caller gets one answer per connection and cannot hold one open.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import json
import sys
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from app.logic import jsontext
from app.logic.bundled_hook import (
    ENDPOINTS,
    HookResult,
    HookRules,
    registration_hook_pp,
    registration_hook_ssr,
    registration_hook_ssr_and_pp,
)
from app.logic.service.credentials import (
    Credentials,
    default_credentials_warning,
    load_credentials,
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 1024 * 1024
REALM = "registration hook"

HANDLERS: dict[str, Callable[[Any, HookRules], HookResult]] = {
    ENDPOINTS["ssr"]: registration_hook_ssr,
    ENDPOINTS["pp"]: registration_hook_pp,
    ENDPOINTS["ssr-and-pp"]: registration_hook_ssr_and_pp,
}
# Express (the sample's server) matches paths case-insensitively and ignores a trailing slash.
_LOOSE_PATHS = {path.lower(): path for path in HANDLERS}

# C0 and C1 controls, DEL, the Unicode line breaks and the bidi controls (marks, embeddings,
# overrides, isolates: U+202E turns the rest of a line around on screen), as \n, \r, \t or
# \u202e. A backslash is left as it is: the bundled logic's own lines already carry escapes
# of that style.
_ESCAPES: dict[int, str] = {
    code: f"\\u{code:04x}"
    for code in (
        *range(0x20),
        *range(0x7F, 0xA0),
        0x061C,
        0x200E,
        0x200F,
        0x2028,
        0x2029,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    )
}
_ESCAPES.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})

#: A value from the client (a path, a method) is cut to this many characters in a log line.
MAX_LOG_VALUE = 120
#: And a whole line (the bundled logic's lines carry names and emails) to this many.
MAX_LOG_LINE = 1000


def escape_log(text: str) -> str:
    """`text` on one line: control characters, line breaks and bidi controls written as
    `\\n`, `\\u001b`, `\\u202e`."""
    return text.translate(_ESCAPES)


def clip(text: str, limit: int = MAX_LOG_VALUE) -> str:
    """`text` cut to `limit` characters, saying how many more there were."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}...(+{len(text) - limit} chars)"


class RefusalLog:
    """Refusal lines: the first `burst` of every `interval` seconds in full, the rest counted
    and written as one line when the interval ends (`flush` writes it at once)."""

    def __init__(
        self,
        write: Callable[[str], None],
        interval: float = 5.0,
        burst: int = 10,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._write = write
        self.interval = interval
        self.burst = burst
        self._clock = clock
        self._window_start: float | None = None
        self._written = 0
        self._held: Counter[int] = Counter()
        self._timer: asyncio.TimerHandle | None = None

    def __call__(self, status: int, line: str) -> None:
        now = self._clock()
        if self._window_start is None or now - self._window_start >= self.interval:
            self.flush()
            self._window_start = now
            self._written = 0
        if self._written < self.burst:
            self._written += 1
            self._write(line)
            return
        self._held[status] += 1
        if self._timer is None:
            self._schedule_flush(self._window_start + self.interval - now)

    def _schedule_flush(self, delay: float) -> None:
        # In the service's event loop the count comes out when the interval ends even if no
        # refusal follows; called without a loop, the next refusal (or `flush`) writes it.
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._timer = loop.call_later(max(0.0, delay), self.flush)

    def flush(self) -> None:
        """Write the count of the refusals held back, if any."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._held:
            return
        total = sum(self._held.values())
        counts = ", ".join(f"{count} x {status}" for status, count in sorted(self._held.items()))
        self._held.clear()
        self._write(
            f"{total} more refusals in the last {self.interval:g} s, not logged one by one "
            f"({counts})"
        )


def stdout_log(line: str) -> None:
    """The default log: one line on stdout, flushed."""
    stream = sys.stdout
    stream.write(line + "\n")
    stream.flush()


_decode = jsontext.DECODER.decode
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
JSON_HEADERS = [(b"content-type", b"application/json")]
CLOSE = (b"connection", b"close")


def error_body(message: str) -> bytes:
    """The JSON body of every refusal: `{"error": message}`."""
    return _encode({"error": message}).encode("utf-8")


class _Disconnected(Exception):
    """The client went away (or the server dropped it) before the body was complete."""


class _TooLarge(Exception):
    """The body grew past the limit while it streamed in."""


class HookService:
    """ASGI application: the guide's three endpoints behind Basic auth, JSON in and out."""

    def __init__(
        self,
        credentials: Credentials,
        rules: HookRules | None = None,
        log: Callable[[str], None] | None = None,
        max_body: int = MAX_BODY_BYTES,
        refusal_interval: float = 5.0,
    ) -> None:
        self.credentials = credentials
        self.rules = rules or HookRules()
        self.max_body = max_body
        self._write_log = log or stdout_log
        self.refusals = RefusalLog(self.log, refusal_interval)
        pair = f"{credentials.user}:{credentials.password}".encode()
        self._expected_header = b"Basic " + base64.b64encode(pair)
        self._user = credentials.user.encode()
        self._password = credentials.password.encode()
        self._unauthorized_headers = [
            *JSON_HEADERS,
            (b"www-authenticate", f'Basic realm="{REALM}", charset="UTF-8"'.encode()),
        ]

    def log(self, line: str) -> None:
        """Write one log line, escaped and cut to `MAX_LOG_LINE` characters."""
        self._write_log(clip(escape_log(line), MAX_LOG_LINE))

    def log_refusal(self, status: int, line: str) -> None:
        """Log a refusal (the server's own refusals use this too), rate-limited."""
        self.refusals(status, line)

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
                self.refusals.flush()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _answer(
        self,
        send: Send,
        status: int,
        body: bytes,
        headers: list[tuple[bytes, bytes]] = JSON_HEADERS,
    ) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [*headers, (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _refuse(
        self,
        scope: Scope,
        send: Send,
        status: int,
        message: str,
        headers: list[tuple[bytes, bytes]] = JSON_HEADERS,
        *,
        close: bool = False,
    ) -> None:
        """Answer `{"error": message}`; `close` (a caller without valid credentials) ends the
        connection after it."""
        method = clip(str(scope.get("method", "?")), 20)
        path = clip(str(scope.get("path", "?")))
        self.log_refusal(status, f"{status} {method} {path}: {message}")
        if close:
            headers = [*headers, CLOSE]
        await self._answer(send, status, error_body(message), headers)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]
        handler = HANDLERS.get(path)
        if handler is None:
            exact = _LOOSE_PATHS.get(path.rstrip("/").lower())
            if exact is None:
                await self._refuse(scope, send, 404, f"no hook at {clip(path)}", close=True)
                return
            handler = HANDLERS[exact]
        if scope["method"] != "POST":
            await self._refuse(
                scope,
                send,
                405,
                f"{clip(scope['method'], 20)} is not allowed here; hooks are called with POST",
                headers=[*JSON_HEADERS, (b"allow", b"POST")],
                close=True,
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
                close=True,
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
        try:
            body = await self._read_body(receive)
        except _TooLarge:
            await self._refuse(scope, send, 413, self._too_large())
            return
        except _Disconnected:
            return  # nobody to answer; the server has logged why it dropped the connection
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
        self.log(" | ".join(result.log_lines))
        await self._answer(send, 200, payload)

    def _too_large(self) -> str:
        return f"the body is larger than {self.max_body // 1024} KB"

    async def _read_body(self, receive: Receive) -> bytes:
        """The whole body; `_TooLarge` as soon as it passes the limit, never after."""
        parts: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                raise _Disconnected
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise _TooLarge
            parts.append(chunk)
            if not message.get("more_body", False):
                return b"".join(parts)


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
    refusal_interval: float = 5.0,
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
    return HookService(creds, rules, log, refusal_interval=refusal_interval)


class LazyApp:
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


asgi_app = LazyApp()
"""For `uvicorn app.logic.service:asgi_app` and other ASGI servers."""
