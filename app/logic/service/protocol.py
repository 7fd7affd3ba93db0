"""uvicorn's h11 protocol with the service's limits: the connection-level half of the defences.

Why uvicorn + h11 (see also the README's performance table). Measured on the project's
2-core machine with wrk, 20 connections, the service's valid SSR call: uvicorn + httptools
9,800 req/s (11,700 on uvloop), uvicorn + h11 4,600 req/s (5,200 on uvloop). httptools is
twice as fast, but its parser (llhttp) has no limit on the size or number of header fields
and httptools accumulates a header value of any length in Python bytes, so every bound would
have to be written by hand around it. h11 is pure Python, installs with the base package and
brings most of the bounds itself: `max_incomplete_event_size` caps a head that is still
coming in, its chunk-size grammar refuses `-2` and `0x2`, and it frames bodies strictly. The
service answers one call per registration; a few thousand calls a second is far beyond what
Okta sends, and the goal that matters (the service costs little next to a bare app on the same
server, tail latency under 50 ms) holds on h11. uvloop, when installed (the `serve` extra),
is used as the event loop.

What uvicorn and h11 provide, used through their knobs (`runner.py` sets them):
`timeout_keep_alive` (idle keep-alive connections), `h11_max_incomplete_event_size` (a head
still arriving), `limit_concurrency` (requests in flight), `timeout_graceful_shutdown`.

What they lack, added by `GuardedH11Protocol` below:
- a connection that has sent nothing is closed after the keep-alive timeout too (uvicorn arms
  that timer only after a first answer);
- a head must be complete `head_timeout` after its first byte, a body `body_timeout` after its
  head (slowloris), else the connection is dropped;
- a complete head that arrived in one read is measured too: too many or too large header
  fields give 431 (h11 only counts what it is still waiting on);
- the body is counted as it streams in: past `max_body` nothing more is read and the
  application answers 413; when the application answers before the body is complete (401,
  413), reading stops at once and the connection is closed after the answer (uvicorn would
  read the rest of the body and throw it away, to keep the connection);
- chunk-size lines are measured (`ChunkLineWatch`);
- protocol errors are answered with the service's JSON `{"error": ...}` (400 or 431) and one
  escaped log line instead of uvicorn's text/plain 400 and its warning;
- an answer must be written within `write_timeout` once the client stops reading (uvicorn
  waits for the socket to drain for ever), and a connection closed with an answer still
  buffered is dropped after the same time;
- at most `max_pipelined` requests are answered from what a client sent in one go: the last
  answer says `connection: close` (a client that pipelines and never reads cannot make the
  service answer, and log, without end);
- a connection past `max_connections` makes room by dropping the oldest connection that has
  not yet had an answer under 400 (none of its callers has shown valid credentials) and is not
  in the middle of a request; when every connection has, the newcomer gets 503 and is closed.
  Callers without credentials get one answer per connection (the application closes after
  401, 404 and 405), so they cannot hold the service's capacity against callers that have.
"""

from __future__ import annotations

import asyncio
import functools
from typing import Any, ClassVar, Protocol

import h11
from uvicorn.protocols.http.flow_control import CLOSE_HEADER, FlowControl
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.logic.service.app import ASGIApp, Message, Receive, Scope, Send, clip, error_body
from app.logic.service.limits import ChunkLineWatch, Limits

_IDLE, _HEAD, _BODY, _ANSWERING = range(4)
_REASONS = {400: b"Bad Request", 431: b"Request Header Fields Too Large"}
_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n"
    b"content-length: %d\r\nconnection: close\r\n\r\n%s"
) % (len(error_body("too many connections")), error_body("too many connections"))


class _Flow(FlowControl):
    """uvicorn's flow control, with a stop that the application's `receive` cannot undo."""

    stopped = False

    def stop(self) -> None:
        self.stopped = True
        self.pause_reading()

    def resume_reading(self) -> None:
        if not self.stopped:
            super().resume_reading()


class RefusalSink(Protocol):
    """Where a refusal goes: its status and its line (the application's `log_refusal`)."""

    def __call__(self, status: int, line: str, /) -> None: ...


def _no_log(status: int, line: str) -> None:
    """The refusal log of a protocol class not made by `protocol_class`."""


class ConnectionBook:
    """The open connections of one server, and which of them have not been answered below 400
    yet, oldest first (the ones dropped to make room)."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.open: set[GuardedH11Protocol] = set()
        self.unproven: dict[GuardedH11Protocol, None] = {}

    def admit(self, conn: GuardedH11Protocol) -> bool:
        """Count `conn` in; False when the server is full of connections that have proven
        themselves (the newcomer is then refused)."""
        if len(self.open) >= self.capacity:
            victim = next((c for c in self.unproven if c.evictable), None)
            if victim is None:
                return False
            self.forget(victim)
            victim.evict()
        self.open.add(conn)
        self.unproven[conn] = None
        return True

    def proven(self, conn: GuardedH11Protocol) -> None:
        self.unproven.pop(conn, None)

    def forget(self, conn: GuardedH11Protocol) -> None:
        self.open.discard(conn)
        self.unproven.pop(conn, None)


class GuardedH11Protocol(H11Protocol):
    """uvicorn's `H11Protocol` held to `limits` (class attributes: see `protocol_class`)."""

    limits: ClassVar[Limits] = Limits()
    log: ClassVar[RefusalSink] = staticmethod(_no_log)
    book: ClassVar[ConnectionBook] = ConnectionBook(Limits().max_connections)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app = functools.partial(self._guarded_app, self.app)
        self._h11_next_event = self.conn.next_event
        self.conn.next_event = self._next_event  # type: ignore[method-assign]
        self._phase = _IDLE
        self._timer: asyncio.TimerHandle | None = None
        self._body_bytes = 0
        self._body_complete = True
        self._chunks: ChunkLineWatch | None = None
        self._refusal: tuple[int, str] | None = None
        self._request_line = ("-", "-")
        self._write_timer: asyncio.TimerHandle | None = None
        self._pipelined = 0  # requests parsed since the client last sent anything
        self._close_after_answer = False

    # -- connection life
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.flow = _Flow(transport)
        if not self.book.admit(self):
            self._stop_reading()
            transport.write(_BUSY)
            transport.close()
            self._bound_closing_write()
            return
        # uvicorn arms its keep-alive timer only after an answer; a silent new connection
        # is held to the same timeout.
        self.timeout_keep_alive_task = self.loop.call_later(
            self.timeout_keep_alive, self.timeout_keep_alive_handler
        )

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_timer()
        self._cancel_write_timer()
        self.book.forget(self)
        super().connection_lost(exc)

    @property
    def evictable(self) -> bool:
        """Whether dropping this connection loses no request in progress."""
        return self._phase in (_IDLE, _HEAD)

    def evict(self) -> None:
        """Drop the connection to make room for a newcomer (not logged, as a timeout is not)."""
        self._cancel_timer()
        self._stop_reading()
        self.transport.abort()

    def data_received(self, data: bytes) -> None:
        flow = self.flow
        if isinstance(flow, _Flow) and flow.stopped:
            return  # nothing more is read once the answer is decided (or the limit passed)
        self._pipelined = 0
        if self._phase == _IDLE:
            self._phase = _HEAD
            self._arm(self.limits.head_timeout)
        elif self._chunks is not None and not self._chunks.done:
            reason = self._chunks.feed(data)
            if reason is not None:
                self._refuse(400, reason)
                return
        super().data_received(data)

    def on_response_complete(self) -> None:
        if self._body_complete:
            self._phase = _IDLE
        self._close_after_answer = False
        if self.transport.is_closing():
            self._bound_closing_write()
        super().on_response_complete()

    # -- writing: an answer the client does not take is dropped after `write_timeout`
    def pause_writing(self) -> None:
        super().pause_writing()
        if self._write_timer is None:
            self._write_timer = self.loop.call_later(self.limits.write_timeout, self._abort)

    def resume_writing(self) -> None:
        super().resume_writing()
        if not self.transport.is_closing():
            self._cancel_write_timer()

    def _bound_closing_write(self) -> None:
        """A closing transport waits until its buffer is written: not longer than the limit."""
        if self._write_timer is None and self.transport.get_write_buffer_size():
            self._write_timer = self.loop.call_later(self.limits.write_timeout, self._abort)

    def _cancel_write_timer(self) -> None:
        if self._write_timer is not None:
            self._write_timer.cancel()
            self._write_timer = None

    def _abort(self) -> None:
        self._write_timer = None
        self._cancel_timer()
        self._stop_reading()
        self.transport.abort()

    # -- h11's events, seen on their way to uvicorn
    def _next_event(self) -> Any:
        if self._body_bytes > self.limits.max_body:
            return h11.PAUSED  # past the limit: parse no further
        try:
            event = self._h11_next_event()
        except h11.RemoteProtocolError as exc:
            if self._refusal is None:
                if exc.error_status_hint == 431 and self._phase in (_IDLE, _HEAD):
                    self._refusal = (431, self._head_too_large())
                else:
                    self._refusal = (400, f"malformed request: {exc}")
            raise
        kind = type(event)
        if kind is h11.Data:
            self._body_bytes += len(event.data)
            if self._body_bytes > self.limits.max_body:
                # The application sees the overflow and answers 413; nothing more is read.
                self._stop_reading()
        elif kind is h11.Request:
            self._on_head(event)
        elif kind is h11.EndOfMessage:
            self._cancel_timer()
            self._phase = _ANSWERING
            self._body_complete = True
            self._chunks = None
        return event

    def _on_head(self, event: h11.Request) -> None:
        self._cancel_timer()
        self._request_line = (
            clip(event.method.decode("ascii", "replace"), 20),
            clip(event.target.decode("ascii", "replace")),
        )
        self._pipelined += 1
        if self._pipelined >= self.limits.max_pipelined and self.conn.trailing_data[0]:
            self._close_after_answer = True
        limits = self.limits
        raw = event.headers.raw_items()
        if len(raw) > limits.max_headers:
            self._refusal = (431, f"more than {limits.max_headers} header fields")
            raise h11.RemoteProtocolError("too many header fields", error_status_hint=431)
        size = len(event.method) + len(event.target) + sum(len(n) + len(v) + 4 for n, v in raw)
        if size > limits.max_head:
            self._refusal = (431, self._head_too_large())
            raise h11.RemoteProtocolError("head too large", error_status_hint=431)
        self._phase = _BODY
        self._body_bytes = 0
        self._body_complete = False
        self._arm(limits.body_timeout)
        for name, value in event.headers:
            if name == b"transfer-encoding" and value.lower().endswith(b"chunked"):
                self._chunks = ChunkLineWatch(limits.max_chunk_line, limits.max_head)
                reason = self._chunks.feed(self.conn.trailing_data[0])
                if reason is not None:
                    self._refusal = (400, reason)
                    raise h11.RemoteProtocolError(reason, error_status_hint=400)

    def _head_too_large(self) -> str:
        return f"the request head is larger than {self.limits.max_head // 1024} KB"

    # -- the application, held to the connection's state
    async def _guarded_app(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                if message["status"] < 400:
                    self.book.proven(self)
                close = self._close_after_answer
                if not self._body_complete:
                    # An answer before the whole body (401, 413): read nothing more, then close.
                    self._stop_reading()
                    self._cancel_timer()
                    close = True
                headers = list(message.get("headers", ()))
                if close and CLOSE_HEADER not in headers:
                    message = {**message, "headers": [*headers, CLOSE_HEADER]}
            await send(message)

        await app(scope, receive, guarded_send)

    # -- refusals and timeouts
    def send_400_response(self, msg: str) -> None:
        status, message = self._refusal or (400, f"malformed request: {msg}")
        self._refusal = None
        self._refuse(status, message)

    def _refuse(self, status: int, message: str) -> None:
        """Answer a protocol-level refusal as JSON, log it, close the connection."""
        self._cancel_timer()
        method, path = self._request_line if self._phase != _HEAD else ("-", "-")
        self.log(status, f"{status} {method} {path}: {message}")
        cycle = self.cycle
        started = False
        if cycle is not None and not cycle.response_complete:
            started = cycle.response_started
            cycle.disconnected = True  # the application's answer, if any, is dropped
            cycle.message_event.set()
        self._stop_reading()
        if not started:
            body = error_body(message)
            self.transport.write(
                b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n"
                b"connection: close\r\n\r\n%s" % (status, _REASONS[status], len(body), body)
            )
        self.transport.close()
        self._bound_closing_write()

    def _stop_reading(self) -> None:
        flow = self.flow
        if isinstance(flow, _Flow):
            flow.stop()
        else:
            flow.pause_reading()

    def _arm(self, seconds: float) -> None:
        self._cancel_timer()
        self._timer = self.loop.call_later(seconds, self._drop)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _drop(self) -> None:
        """A head or body that did not arrive in time: close without a word (not logged,
        so that a slow-loris attack cannot flood the log)."""
        self._timer = None
        self._stop_reading()
        if not self.transport.is_closing():
            self.transport.close()


def protocol_class(limits: Limits, log: RefusalSink) -> type[GuardedH11Protocol]:
    """A `GuardedH11Protocol` subclass bound to these limits, this refusal log and a book of
    its own connections (for uvicorn: one per server)."""
    return type(
        "GuardedH11Protocol",
        (GuardedH11Protocol,),
        {
            "limits": limits,
            "log": staticmethod(log),
            "book": ConnectionBook(limits.max_connections),
        },
    )
