"""A kept-alive hook client (as the scenario runner uses one per thread): the connection is
reused, and every attempt on it still has its own deadline and cancel."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from hookservers import ALLOW

from app.logic.answer import FailureKind
from app.logic.remote import CancelToken, HookAuth, RemoteSettings, call_hook, hook_client
from app.logic.run.runner import TargetChooser, run_scenarios
from app.logic.run.scenarios import parse_scenarios
from app.logic.targets import UrlTarget
from app.logic.targets.session import current_session, run_session

BODY = b'{"eventType": "com.okta.user.pre-registration"}'
FAST = RemoteSettings(timeout_s=0.3, retry=False)


class KeepAliveServer:
    """HTTP/1.1 with keep-alive on 127.0.0.1: `/fast` answers at once (with a cookie),
    `/slow` after `slow_s`; it counts the connections it accepted and the cookies it got."""

    def __init__(self, slow_s: float = 2.0) -> None:
        self.slow_s = slow_s
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.cookies: list[str] = []
        self.stopping = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        buffer = b""
        with sock:
            while True:
                while b"\r\n\r\n" not in buffer:
                    data = sock.recv(65536)
                    if not data:
                        return
                    buffer += data
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                headers = dict(line.lower().split(": ", 1) for line in lines[1:])
                length = int(headers.get("content-length", "0"))
                while len(buffer) < length:
                    buffer += sock.recv(65536)
                buffer = buffer[length:]
                if "cookie" in headers:
                    self.cookies.append(headers["cookie"])
                if lines[0].split(" ")[1] == "/slow" and self.stopping.wait(self.slow_s):
                    return
                answer = (
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Set-Cookie: session=abc\r\nContent-Length: %d\r\n\r\n%s" % (len(ALLOW), ALLOW)
                )
                try:
                    sock.sendall(answer)
                except OSError:
                    return

    def close(self) -> None:
        self.stopping.set()
        self.listener.close()


@pytest.fixture
def server() -> Iterator[KeepAliveServer]:
    found = KeepAliveServer()
    yield found
    found.close()


def test_a_kept_client_reuses_one_connection_and_sends_no_cookie_back(
    server: KeepAliveServer,
) -> None:
    with hook_client(FAST, keep_alive=True) as client:
        answers = [
            call_hook(server.base + "/fast", BODY, HookAuth(), FAST, client=client)
            for _ in range(5)
        ]
    assert [a.status for a in answers] == [200] * 5
    assert server.connections == 1
    assert server.cookies == []
    assert ("Connection", "close") not in answers[0].sent_headers


def test_a_call_without_a_client_closes_its_connection(server: KeepAliveServer) -> None:
    answer = call_hook(server.base + "/fast", BODY, HookAuth(), FAST)
    assert answer.status == 200
    assert answer.sent_headers[-1] == ("Connection", "close")


def test_a_reused_connection_keeps_the_attempts_own_deadline(server: KeepAliveServer) -> None:
    with hook_client(FAST, keep_alive=True) as client:
        first = call_hook(server.base + "/fast", BODY, HookAuth(), FAST, client=client)
        time.sleep(0.4)  # longer than the budget: the first attempt's deadline has passed
        second = call_hook(server.base + "/fast", BODY, HookAuth(), FAST, client=client)
        started = time.perf_counter()
        slow = call_hook(server.base + "/slow", BODY, HookAuth(), FAST, client=client)
        waited = time.perf_counter() - started
        after = call_hook(server.base + "/fast", BODY, HookAuth(), FAST, client=client)
    assert (first.status, second.status) == (200, 200)
    assert slow.failure is FailureKind.TIMEOUT
    assert "waiting for an answer" in slow.failure_detail
    # Its own 0.3 s deadline, not the server's answer after slow_s, ended the reused
    # connection's attempt (how soon past 0.3 s depends on the machine's load).
    assert 0.25 < waited < server.slow_s
    assert after.status == 200  # the timed-out connection was dropped, a new one made
    assert server.connections == 2


def test_a_cancel_stops_a_call_on_a_reused_connection(server: KeepAliveServer) -> None:
    long = RemoteSettings(timeout_s=5.0, retry=False)
    with hook_client(long, keep_alive=True) as client:
        assert call_hook(server.base + "/fast", BODY, HookAuth(), long, client=client).status
        cancel = CancelToken()
        threading.Timer(0.15, cancel.cancel).start()
        started = time.perf_counter()
        answer = call_hook(server.base + "/slow", BODY, HookAuth(), long, cancel, client=client)
        waited = time.perf_counter() - started
    assert answer.failure is FailureKind.CANCELLED
    assert waited < server.slow_s  # the cancel, not the server's answer, ended it
    assert server.connections == 1


def test_a_run_keeps_one_connection_per_thread_and_closes_them(server: KeepAliveServer) -> None:
    texts = [
        f'{{"name": "s{n}", "target": "{server.base}/fast", "request": {{"eventType": '
        '"com.okta.user.pre-registration", "data": {"userProfile": {"email": "a@okta.com"}}}, '
        '"expect": {}}'
        for n in range(12)
    ]
    scenarios = [parse_scenarios(text, f"s{n}.json")[0] for n, text in enumerate(texts)]
    chooser = TargetChooser(url_template=UrlTarget("https://unused.invalid/", settings=FAST))
    results = run_scenarios(scenarios, chooser, jobs=3)
    assert len(results) == 12
    assert all(r.exchange is not None and r.exchange.answer.status == 200 for r in results)
    assert server.connections <= 3
    assert current_session() is None


def test_a_session_closes_what_it_kept() -> None:
    class Thing:
        closed = False

        def close(self) -> None:
            self.closed = True

    with run_session() as session:
        thing = session.get("k", Thing)
        assert session.get("k", Thing) is thing
        with run_session() as inner:
            assert inner is session
        assert not thing.closed
    assert thing.closed
