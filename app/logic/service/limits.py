"""The service's limits, and the two small checks uvicorn and h11 do not offer.

`Limits` holds every bound in one place (sizes, counts, timeouts); `protocol.py` hands the
ones uvicorn and h11 have knobs for to those knobs and enforces the rest itself.

What the libraries lack, and is written here:
- `ChunkLineWatch`: h11 accepts a chunk-size line of any length when it arrives in one read
  (its `max_incomplete_event_size` only counts bytes it is still waiting on), because chunk
  extensions match `;.*`. The watch follows the chunked framing and refuses a long line.
- `AcceptErrorLog`: when `accept()` fails with EMFILE/ENFILE, asyncio logs the error with a
  traceback and retries every second, forever. The handler logs one line, then stays quiet for
  a minute (the retry itself is asyncio's one-second backoff). uvloop does not log at all.
"""

from __future__ import annotations

import asyncio
import errno
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.logic.service.app import MAX_BODY_BYTES


@dataclass(frozen=True)
class Limits:
    """Bounds on one connection and on the whole server (times in seconds)."""

    max_body: int = MAX_BODY_BYTES
    """Request body bytes; past this the answer is 413 and the connection is closed."""
    max_head: int = 16 * 1024
    """Bytes of the request line and header fields together; past this: 431."""
    max_headers: int = 100
    """Header fields in one request; past this: 431."""
    max_chunk_line: int = 1024
    """Bytes of one chunk-size (or trailer) line of a chunked body; past this: 400."""
    head_timeout: float = 5.0
    """From a request's first byte to the end of its head; then the connection is dropped."""
    body_timeout: float = 10.0
    """From the end of the head to the end of the body; then the connection is dropped."""
    keep_alive_timeout: float = 5.0
    """An open connection with no request in progress is closed after this."""
    write_timeout: float = 10.0
    """An answer the client does not take (it stops reading) must be written within this,
    else the connection is dropped."""
    max_connections: int = 4096
    """Open connections. One more makes room by dropping the oldest connection that has not
    sent valid credentials yet; when every one has, the newcomer is answered 503."""
    max_pipelined: int = 16
    """Requests answered from what a client sent in one go (HTTP pipelining); the last of
    these answers says `connection: close` and the rest is not read."""

    def __post_init__(self) -> None:
        for name in (
            "max_body",
            "max_head",
            "max_headers",
            "max_chunk_line",
            "max_connections",
            "max_pipelined",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        for name in ("head_timeout", "body_timeout", "keep_alive_timeout", "write_timeout"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be more than 0")


_SIZE, _DATA, _TRAILER, _DONE = range(4)
_HEX = frozenset(b"0123456789abcdefABCDEF")


class ChunkLineWatch:
    """Follows a chunked body's framing and reports a chunk-size or trailer line too long.

    It only measures lines and skips chunk data; h11 still parses and judges everything.
    A line the watch cannot read as a chunk size is left to h11 (which refuses it).
    """

    def __init__(self, max_line: int, max_trailer: int) -> None:
        self.max_line = max_line
        self.max_trailer = max_trailer
        self._state = _SIZE
        self._line = bytearray()
        self._remaining = 0
        self._trailer = 0

    @property
    def done(self) -> bool:
        return self._state == _DONE

    def feed(self, data: bytes) -> str | None:
        """Watch `data`; the reason to refuse the body, or None."""
        i, n = 0, len(data)
        while i < n and self._state != _DONE:
            if self._state == _DATA:
                take = min(self._remaining, n - i)
                i += take
                self._remaining -= take
                if self._remaining == 0:
                    self._state = _SIZE
                continue
            end = data.find(b"\n", i)
            stop = n if end < 0 else end + 1
            self._line += data[i:stop]
            i = stop
            if len(self._line) > self.max_line:
                return f"a chunk-size or trailer line is longer than {self.max_line} bytes"
            if end < 0:
                return None
            line = bytes(self._line)
            self._line.clear()
            if self._state == _TRAILER:
                self._trailer += len(line)
                if self._trailer > self.max_trailer:
                    return f"the trailer is larger than {self.max_trailer // 1024} KB"
                if line in (b"\r\n", b"\n"):
                    self._state = _DONE
                continue
            digits = line.split(b";", 1)[0].strip(b" \t\r\n")
            if not digits or not set(digits) <= _HEX or len(digits) > 20:
                self._state = _DONE  # not a chunk size: h11 refuses it with a 400
                return None
            size = int(digits, 16)
            if size == 0:
                self._state = _TRAILER
            else:
                self._state = _DATA
                self._remaining = size + 2  # the data and its CRLF
        return None


_ACCEPT_ERRNOS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})


class AcceptErrorLog:
    """An event-loop exception handler: out-of-descriptor accept errors give one line, then
    nothing for `quiet_for` seconds, however often asyncio retries meanwhile.

    Every other error goes to the loop's default handler.
    """

    def __init__(self, log: Callable[[str], None], quiet_for: float = 60.0) -> None:
        self._log = log
        self.quiet_for = quiet_for
        self._last: float | None = None

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, OSError) and exc.errno in _ACCEPT_ERRNOS:
            now = time.monotonic()
            if self._last is None or now - self._last >= self.quiet_for:
                self._last = now
                self._log(
                    f"cannot accept connections: {exc.strerror or exc} "
                    f"(out of file descriptors?); retrying quietly, next report in "
                    f"{self.quiet_for:.0f} s at the earliest"
                )
            return
        loop.default_exception_handler(context)
