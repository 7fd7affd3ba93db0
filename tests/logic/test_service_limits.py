"""The service's defences, each against a real server on 127.0.0.1 and a raw-socket client.

The server here runs with short timeouts (`FAST`) so that every test ends in about a second;
`test_the_default_timeouts` checks the defaults the real service uses.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.logic.service import (
    Limits,
    RefusalLog,
    ServiceRunner,
    bind_socket,
    create_app,
    escape_log,
    uvloop_available,
)

USER, PASSWORD = "lim-user", "lim-pass-7"
AUTH = b"Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode())
ROOT = Path(__file__).resolve().parents[2]
FAST = Limits(head_timeout=0.5, body_timeout=0.5, keep_alive_timeout=0.5, max_connections=40)
DEFAULT_KEEP_ALIVE_S = Limits().keep_alive_timeout
ENGINES = [
    "asyncio",
    pytest.param(
        "uvloop",
        marks=pytest.mark.skipif(not uvloop_available(), reason="uvloop is not installed"),
    ),
]
SSR = json.dumps(
    {
        "requestType": "self.service.registration",
        "data": {"userProfile": {"firstName": "Ana", "lastName": "Lee", "email": "a@okta.com"}},
    }
).encode()


class Server:
    """A running service with `limits`, what it logged, and raw-socket helpers.

    Refusals are logged one by one unless `burst` is given (the rate limit has tests of its
    own; the others look for their one line)."""

    def __init__(
        self,
        engine: str,
        limits: Limits = FAST,
        *,
        app: Any = None,
        burst: int = 1_000_000,
        refusal_interval: float = 5.0,
    ) -> None:
        self.lines: list[str] = []
        if app is None:
            app = create_app(
                USER, PASSWORD, log=self.lines.append, refusal_interval=refusal_interval
            )
            app.refusals.burst = burst
            log = None  # the service's own (escaped, rate-limited) log
        else:
            log = self.lines.append  # another ASGI application: the runner logs its refusals
        self.app = app
        self.runner = ServiceRunner(
            app, bind_socket("127.0.0.1", 0), engine, limits=limits, log=log
        )
        self.runner.start_in_thread()
        self.address = self.runner.address

    def connect(self, timeout: float = 3.0) -> socket.socket:
        return socket.create_connection(self.address, timeout=timeout)

    def close(self) -> None:
        self.runner.close()


@pytest.fixture(scope="module", params=ENGINES)
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    running = Server(request.param)
    yield running
    running.close()


def wait_until(condition: Callable[[], bool], within: float = 10.0, what: str = "") -> None:
    """Wait for a state of the server (polled), failing after `within` seconds."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {within} s: {what}")
        time.sleep(0.02)


def post_head(length: int | None = None, *extra: bytes, auth: bytes = AUTH) -> bytes:
    lines = [b"POST /registrationHookSSR HTTP/1.1", b"Host: x", b"Authorization: " + auth]
    if length is not None:
        lines.append(b"Content-Length: %d" % length)
    lines.extend(extra)
    return b"\r\n".join(lines) + b"\r\n\r\n"


def read_answer(sock: socket.socket) -> tuple[bytes, bytes]:
    """One answer: (head, body) by its Content-Length."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"closed before a whole answer: {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head, body


def closed_by_server(sock: socket.socket, within: float) -> float:
    """Seconds until the server closes `sock` (reading and ignoring what it sends)."""
    started = time.monotonic()
    sock.settimeout(within)
    try:
        while sock.recv(65536):
            pass
    except ConnectionResetError:
        pass
    except TimeoutError:
        raise AssertionError(f"still open after {within} s") from None
    return time.monotonic() - started


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


class Sender(threading.Thread):
    """Sends `head`, then `filler` over and over until the server stops taking it."""

    def __init__(self, sock: socket.socket, head: bytes, limit: int, filler: bytes) -> None:
        super().__init__(daemon=True)
        self.sock, self.head, self.limit, self.filler = sock, head, limit, filler
        self.sent = 0
        self.error: OSError | None = None

    def run(self) -> None:
        try:
            self.sock.sendall(self.head)
            while self.sent < self.limit:
                self.sent += self.sock.send(self.filler)
        except OSError as exc:
            self.error = exc


# --- slow clients ---------------------------------------------------------------------------


def test_the_default_timeouts() -> None:
    limits = Limits()
    assert (limits.keep_alive_timeout, limits.head_timeout, limits.body_timeout) == (5, 5, 10)
    runner = ServiceRunner(create_app(USER, PASSWORD), bind_socket("127.0.0.1", 0))
    try:
        config = runner._config()
        assert config.timeout_keep_alive == 5
        assert config.h11_max_incomplete_event_size == 16 * 1024
    finally:
        runner.close()


def trickle(sock: socket.socket, data: bytes) -> int:
    """Send `data` one byte every 0.1 s until the server hangs up; how many bytes went.

    Each byte comes well within any read timeout, so only a deadline for the whole head (or
    body) ends it before the last byte: a busy machine sends fewer bytes by then, never more.
    """
    sent = 0
    with contextlib.suppress(OSError):  # the server hangs up mid-trickle
        for byte in data:
            sock.sendall(bytes([byte]))
            sent += 1
            time.sleep(0.1)
    return sent


def test_a_trickling_head_is_dropped(server: Server) -> None:
    with server.connect() as sock:
        sock.sendall(b"POST /registrationHookSSR HTTP/1.1\r\n")
        started = time.monotonic()
        sent = trickle(sock, b"X" * 50)  # 5 s of head, against a 0.5 s head deadline
        elapsed = time.monotonic() - started + closed_by_server(sock, 2.0)
    assert sent < 50
    assert elapsed > 0.4  # not before its deadline


def test_a_trickling_body_is_dropped(server: Server) -> None:
    assert len(SSR) > 50
    with server.connect() as sock:
        sock.sendall(post_head(len(SSR)))
        started = time.monotonic()
        sent = trickle(sock, SSR[:50])  # 5 s of body, against a 0.5 s body deadline
        elapsed = time.monotonic() - started + closed_by_server(sock, 2.0)
    assert sent < 50
    assert elapsed > 0.4
    assert not any(line.startswith("200") for line in server.lines)


def test_an_idle_keep_alive_connection_is_closed(server: Server) -> None:
    with server.connect() as sock:
        sock.sendall(post_head(len(SSR)) + SSR)
        head, _body = read_answer(sock)
        assert head.startswith(b"HTTP/1.1 200 ")
        # Closed by this server's 0.5 s keep-alive: not before it, and well before the
        # default 5 s (closed_by_server fails then), however busy the machine is.
        assert closed_by_server(sock, DEFAULT_KEEP_ALIVE_S) > 0.3


def test_a_silent_new_connection_is_closed(server: Server) -> None:
    with server.connect() as sock:
        assert closed_by_server(sock, DEFAULT_KEEP_ALIVE_S) > 0.3


# --- sizes ----------------------------------------------------------------------------------


def test_a_1_gb_chunk_is_refused_as_it_streams_and_the_connection_closed(server: Server) -> None:
    before = rss_bytes()
    with server.connect(timeout=5) as sock:
        head = post_head(None, b"Transfer-Encoding: chunked") + b"40000000\r\n"
        sender = Sender(sock, head, 1 << 30, b"x" * 65536)
        sender.start()
        answer, body = read_answer(sock)
        closed_by_server(sock, 3.0)
        sender.join(5)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"connection: close" in answer.lower()
    assert json.loads(body) == {"error": "the body is larger than 1024 KB"}
    assert not sender.is_alive()
    assert sender.error is not None  # the server stopped reading and hung up
    assert sender.sent < 64 << 20
    assert rss_bytes() - before < 64 << 20


def test_413_from_content_length_closes_the_connection(server: Server) -> None:
    with server.connect() as sock:
        sock.sendall(post_head(2 << 20))
        answer, _body = read_answer(sock)
        assert answer.startswith(b"HTTP/1.1 413 ")
        closed_by_server(sock, 1.0)


def test_401_reads_nothing_of_the_body(server: Server) -> None:
    with server.connect(timeout=5) as sock:
        sender = Sender(sock, post_head(256 << 20, auth=b"Basic bm86bm8="), 256 << 20, b"y" * 65536)
        sender.start()
        answer, body = read_answer(sock)
        closed_by_server(sock, 3.0)
        sender.join(5)
    assert answer.startswith(b"HTTP/1.1 401 ")
    assert json.loads(body) == {"error": "missing or wrong Basic credentials"}
    assert sender.error is not None
    # What the kernel buffers on both ends, not what the server read: far below 256 MB.
    assert sender.sent < 32 << 20


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([b"X-%d: 1" % n for n in range(101)], "more than 100 header fields"),
        ([b"X-Big: " + b"b" * 20000], "the request head is larger than 16 KB"),
    ],
)
def test_431_for_too_many_or_too_large_header_fields(
    server: Server, extra: list[bytes], message: str
) -> None:
    with server.connect() as sock:
        sock.sendall(post_head(2, *extra) + b"{}")
        answer, body = read_answer(sock)
        closed_by_server(sock, 1.0)
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert b"content-type: application/json" in answer
    assert json.loads(body) == {"error": message}


def test_431_for_a_head_that_keeps_coming(server: Server) -> None:
    with server.connect() as sock:
        with contextlib.suppress(OSError):
            sock.sendall(b"POST /registrationHookSSR HTTP/1.1\r\nX-Big: ")
            for _ in range(20):
                sock.sendall(b"b" * 1024)
        answer, body = read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert json.loads(body) == {"error": "the request head is larger than 16 KB"}


@pytest.mark.parametrize(
    "size_line",
    [b"-2", b"0x2", b"2;" + b"e" * 65536, b"0" * 65536 + b"2"],
    ids=["negative", "0x-prefix", "64KB-extension", "64KB-digits"],
)
def test_400_for_a_bad_chunk_size(server: Server, size_line: bytes) -> None:
    with server.connect() as sock:
        with contextlib.suppress(OSError):
            sock.sendall(post_head(None, b"Transfer-Encoding: chunked") + size_line + b"\r\n{}\r\n")
        answer, body = read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"content-type: application/json" in answer
    assert "error" in json.loads(body)


HOLDING = Limits(
    head_timeout=30, body_timeout=30, keep_alive_timeout=30, write_timeout=0.5, max_connections=8
)


@pytest.fixture(params=ENGINES)
def holding(request: pytest.FixtureRequest) -> Iterator[Server]:
    """A fresh server of 8 connections whose timeouts never end a test on their own."""
    running = Server(request.param, HOLDING)
    yield running
    running.close()


def valid_call(server: Server, sock: socket.socket | None = None) -> bytes:
    """One authenticated SSR call (on `sock` when given, else on a new connection)."""
    own = sock is None
    sock = sock or server.connect()
    try:
        sock.sendall(post_head(len(SSR)) + SSR)
        head, _body = read_answer(sock)
    finally:
        if own:
            sock.close()
    return head


def is_open(sock: socket.socket) -> bool:
    """Whether the server still holds `sock` open: reads what has come, looking for its end."""
    sock.setblocking(False)
    try:
        while sock.recv(65536):
            pass
        return False
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        sock.setblocking(True)


def test_connections_proven_by_a_valid_call_are_kept_and_the_next_gets_503(
    holding: Server,
) -> None:
    socks = [holding.connect() for _ in range(HOLDING.max_connections)]
    try:
        for sock in socks:
            assert valid_call(holding, sock).startswith(b"HTTP/1.1 200 ")
        with holding.connect() as extra:
            answer, body = read_answer(extra)
            closed_by_server(extra, 2.0)
        assert answer.startswith(b"HTTP/1.1 503 ")
        assert json.loads(body) == {"error": "too many connections"}
        assert all(is_open(sock) for sock in socks)
    finally:
        for sock in socks:
            sock.close()


def test_silent_connections_make_room_for_a_caller_oldest_first(holding: Server) -> None:
    socks = [holding.connect() for _ in range(HOLDING.max_connections)]
    try:
        wait_until(lambda: holding.runner.open_connections == len(socks), what="all accepted")
        assert valid_call(holding).startswith(b"HTTP/1.1 200 ")
        assert not is_open(socks[0])
        assert all(is_open(sock) for sock in socks[1:])
    finally:
        for sock in socks:
            sock.close()


def test_a_refusal_to_a_caller_without_credentials_closes_the_connection(holding: Server) -> None:
    # Each holds a connection the way the 4,100 clients did (one GET every few seconds) and
    # never reads: every one is closed after its first answer, and a caller gets through.
    socks = [holding.connect() for _ in range(2 * HOLDING.max_connections)]
    try:
        for sock in socks:
            # The server may have dropped the oldest already, to make room for the newest.
            with contextlib.suppress(OSError):
                sock.sendall(b"GET /x HTTP/1.1\r\nHost: x\r\n\r\n")
        wait_until(lambda: not any(is_open(sock) for sock in socks), what="all closed")
        assert valid_call(holding).startswith(b"HTTP/1.1 200 ")
    finally:
        for sock in socks:
            sock.close()
    for request in (
        b"POST /registrationHookSSR HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
        b"PUT /registrationHookSSR HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
    ):
        with holding.connect() as sock:
            sock.sendall(request)
            answer, _body = read_answer(sock)
            assert b"connection: close" in answer.lower()
            closed_by_server(sock, 2.0)


class Pipeliner(threading.Thread):
    """Sends `request` `count` times in one stream and never reads an answer."""

    def __init__(self, sock: socket.socket, request: bytes, count: int) -> None:
        super().__init__(daemon=True)
        self.sock, self.data = sock, request * count

    def run(self) -> None:
        with contextlib.suppress(OSError):  # the server hangs up mid-stream
            self.sock.sendall(self.data)


def never_reading_socket(server: Server) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect: no window
    sock.settimeout(10)
    sock.connect(server.address)
    return sock


def test_a_pipelining_client_without_credentials_that_never_reads_is_dropped(
    holding: Server,
) -> None:
    with never_reading_socket(holding) as sock:
        sender = Pipeliner(sock, b"GET /x HTTP/1.1\r\nHost: x\r\n\r\n", 200_000)
        sender.start()
        wait_until(lambda: any("/x" in line for line in holding.lines), what="an answer")
        wait_until(lambda: holding.runner.open_connections == 0, what="the connection dropped")
        sender.join(10)
        assert not sender.is_alive()
    assert sum("/x" in line for line in holding.lines) == 1
    assert valid_call(holding).startswith(b"HTTP/1.1 200 ")


def test_a_pipelining_caller_gets_a_bounded_number_of_answers(holding: Server) -> None:
    with never_reading_socket(holding) as sock:
        sender = Pipeliner(sock, post_head(len(SSR)) + SSR, 5_000)
        sender.start()
        wait_until(lambda: any("has registered" in line for line in holding.lines), what="one")
        wait_until(lambda: holding.runner.open_connections == 0, what="the connection closed")
        sender.join(10)
        assert not sender.is_alive()
    answered = sum("has registered" in line for line in holding.lines)
    # Limits.max_pipelined from each read the server made before it closed (a read holds
    # dozens of these requests, so a few reads at most), not 5,000.
    assert answered <= 4 * HOLDING.max_pipelined


_answering = threading.Event()


async def _huge_answer(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """An ASGI app whose one answer (32 MB) a client that does not read can never take."""
    if scope["type"] != "http":
        return
    _answering.set()
    body = b"z" * (32 << 20)
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


@pytest.mark.parametrize("engine", ENGINES)
def test_an_answer_the_client_never_takes_is_dropped_after_the_write_timeout(
    engine: str,
) -> None:
    server = Server(engine, HOLDING, app=_huge_answer)
    try:
        with never_reading_socket(server) as sock:
            _answering.clear()
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert _answering.wait(10)
            wait_until(lambda: server.runner.open_connections == 0, what="dropped")
    finally:
        server.close()


# --- what goes out --------------------------------------------------------------------------


def test_head_gets_no_body(server: Server) -> None:
    with server.connect() as sock:
        sock.sendall(b"HEAD /registrationHookSSR HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):  # a 405 to a caller without credentials: then closed
            data += chunk
    assert data.startswith(b"HTTP/1.1 405 ")
    assert b"content-length: " in data
    assert data.endswith(b"\r\n\r\n")  # a body here would be read as the next answer


def test_a_path_cannot_forge_a_log_line(server: Server) -> None:
    with server.connect() as sock:
        sock.sendall(b"GET /x%0aAdmin%20Root%20has%20registered!%1b[2J HTTP/1.1\r\nHost: x\r\n\r\n")
        answer, _body = read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 404 ")
    line = next(line for line in server.lines if "Admin Root" in line)
    assert "\n" not in line
    assert "\x1b" not in line
    assert r"/x\nAdmin Root has registered!\u001b[2J" in line


def test_a_name_in_the_body_cannot_forge_a_log_line(server: Server) -> None:
    body = json.dumps(
        {
            "requestType": "self.service.registration",
            "data": {
                "userProfile": {
                    "firstName": "Ana\nMallory",
                    "lastName": "Lee\r",
                    "email": "a@okta.com",
                }
            },
        }
    ).encode()
    with server.connect() as sock:
        sock.sendall(post_head(len(body)) + body)
        answer, _body = read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert any(
        r"Ana\u000aMallory Lee\u000d a@okta.com has registered!" in line for line in server.lines
    )
    assert not any("\n" in line or "\r" in line for line in server.lines)


def test_escape_log() -> None:
    assert escape_log("a\nb\r\tc\x1b[0m\x7f\x85\u2028\\d é") == (
        r"a\nb\r\tc\u001b[0m\u007f\u0085\u2028\d é"
    )


@pytest.mark.parametrize(
    "control",
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C, 0x9B, 0x00],
)
def test_escape_log_writes_bidi_and_control_characters_as_escapes(control: int) -> None:
    assert escape_log(f"evil{chr(control)}txt.exe") == f"evil\\u{control:04x}txt.exe"


def test_a_bidi_override_in_a_path_reaches_the_log_escaped(server: Server) -> None:
    with server.connect() as sock:
        sock.sendall(b"GET /invoice%E2%80%AEfdp.exe HTTP/1.1\r\nHost: x\r\n\r\n")
        answer, _body = read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 404 ")
    line = next(line for line in server.lines if "invoice" in line)
    assert "\u202e" not in line
    assert r"/invoice\u202efdp.exe" in line


def test_long_values_are_cut_in_the_log(server: Server) -> None:
    path = b"/" + b"A" * 12_000
    with server.connect() as sock:
        sock.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        answer, body = read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 404 ")
    line = next(line for line in server.lines if "AAAA" in line)
    assert len(line) < 400
    assert "(+11881 chars)" in line
    assert len(json.loads(body)["error"]) < 200
    name = "N" * 200_000
    call = json.dumps(
        {
            "requestType": "self.service.registration",
            "data": {"userProfile": {"firstName": name, "lastName": "L", "email": "a@okta.com"}},
        }
    ).encode()
    with server.connect() as sock:
        sock.sendall(post_head(len(call)) + call)
        answer, _body = read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 200 ")
    line = next(line for line in server.lines if "NNNN" in line)
    assert len(line) < 1100


@pytest.mark.parametrize("engine", ENGINES)
def test_a_flood_of_refusals_is_logged_as_a_count(engine: str) -> None:
    flood = Server(engine, HOLDING, burst=10, refusal_interval=3600)
    try:
        for n in range(60):
            with flood.connect() as sock:
                sock.sendall(b"GET /flood-%d HTTP/1.1\r\nHost: x\r\n\r\n" % n)
                read_answer(sock)
        assert sum("/flood-" in line for line in flood.lines) == 10
    finally:
        flood.close()  # the end of the service writes the count held back
    assert flood.lines[-1] == (
        "50 more refusals in the last 3600 s, not logged one by one (50 x 404)"
    )


def test_the_refusal_count_comes_out_when_its_interval_ends() -> None:
    written: list[str] = []

    async def flood() -> None:
        counted = asyncio.Event()

        def write(line: str) -> None:
            written.append(line)
            if "more refusals" in line:
                counted.set()

        log = RefusalLog(write, interval=0.05, burst=2, clock=lambda: 100.0)
        for n in range(5):
            log(401, f"401 POST /h{n}: missing or wrong Basic credentials")
        log(404, "404 GET /x: no hook at /x")
        assert len(written) == 2
        await asyncio.wait_for(counted.wait(), 10)

    asyncio.run(flood())
    assert written[2:] == [
        "4 more refusals in the last 0.05 s, not logged one by one (3 x 401, 1 x 404)"
    ]


def test_refusals_in_a_new_interval_are_logged_again() -> None:
    now = [0.0]
    written: list[str] = []
    log = RefusalLog(written.append, interval=5, burst=1, clock=lambda: now[0])
    log(404, "first")
    log(404, "held")
    now[0] = 5.0
    log(405, "second")
    assert written == [
        "first",
        "1 more refusals in the last 5 s, not logged one by one (1 x 404)",
        "second",
    ]


# --- out of file descriptors ------------------------------------------------------------------

_EMFILE_CHILD = """
import resource, sys, time
from app.logic.service import Limits, ServiceRunner, bind_socket, create_app
resource.setrlimit(resource.RLIMIT_NOFILE, (40, 40))
app = create_app("u", "p", log=lambda line: print(line, file=sys.stderr, flush=True))
runner = ServiceRunner(app, bind_socket("127.0.0.1", 0), sys.argv[1], limits=Limits(
    keep_alive_timeout=30, head_timeout=30))
runner.start_in_thread()
print(runner.address[1], flush=True)
sys.stdin.readline()
runner.close()
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_running_out_of_descriptors_logs_one_line(engine: str) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", _EMFILE_CHILD, engine],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    socks: list[socket.socket] = []
    try:
        assert child.stdout is not None
        port = int(child.stdout.readline())
        for _ in range(60):  # more than the child's 40 descriptors
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=2))
        time.sleep(2.5)  # asyncio retries accept() every second
    finally:
        for sock in socks:
            sock.close()
        _out, err = child.communicate("\n", timeout=10)
    lines = err.splitlines()
    assert "Traceback" not in err
    if engine == "asyncio":  # uvloop (libuv) does not report it at all
        assert len(lines) == 1, err
        assert lines[0].startswith("cannot accept connections: Too many open files")
    else:
        assert len(lines) <= 1, err
