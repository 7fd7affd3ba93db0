"""The network under httpx: what goes on the wire in how many sends, and TLS made on demand."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator

import pytest

from app.logic.remote import HookAuth, RemoteSettings, call_hook
from app.logic.remote import transport as T
from app.logic.service import ServiceRunner, bind_socket, create_app


@pytest.fixture
def pair() -> Iterator[tuple[T._HookStream, socket.socket]]:
    ours, peer = socket.socketpair()
    peer.setblocking(False)
    stream = T._HookStream(ours, T._Watch(5.0))
    yield stream, peer
    stream.close()
    peer.close()


def _waiting(peer: socket.socket) -> bytes:
    try:
        return peer.recv(1 << 20)
    except BlockingIOError:
        return b""


def test_a_small_request_goes_out_in_one_send_when_the_answer_is_read(pair) -> None:
    stream, peer = pair
    stream.write(b"POST /hook HTTP/1.1\r\nContent-Length: 2\r\n\r\n")
    stream.write(b"{}")
    assert _waiting(peer) == b""  # nothing sent yet: the head waits for its body
    peer.sendall(b"HTTP/1.1 204 No Content\r\n\r\n")
    # Reading the answer first sends what was written: head and body in one piece.
    assert stream.read(65536, timeout=2.0) == b"HTTP/1.1 204 No Content\r\n\r\n"
    assert _waiting(peer) == b"POST /hook HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"


def test_a_large_body_streams_without_waiting_for_the_read(pair) -> None:
    stream, peer = pair
    head = b"POST /hook HTTP/1.1\r\n\r\n"
    body = b"x" * T.WRITE_BUFFER_BYTES
    got = bytearray()

    def drain() -> None:
        peer.setblocking(True)
        peer.settimeout(2.0)
        while len(got) < len(head) + len(body):
            chunk = peer.recv(1 << 20)
            if not chunk:
                break
            got.extend(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    stream.write(head)
    stream.write(body)  # over the buffer: sent now, the head before it
    reader.join(5.0)
    assert bytes(got) == head + body


def test_a_call_to_an_http_hook_loads_no_ca_certificates(monkeypatch) -> None:
    made: list[str] = []
    real = ssl.create_default_context

    def counting(*args, **kwargs):
        made.append("context")
        return real(*args, **kwargs)

    T._tls_context.cache_clear()
    monkeypatch.setattr(ssl, "create_default_context", counting)
    app = create_app("u", "p", log=lambda _line: None)
    with ServiceRunner(app, bind_socket("127.0.0.1", 0)).start_in_thread() as service:
        auth = HookAuth(header_value="Basic dTpw")
        answer = call_hook(
            f"{service.url}/registrationHookSSR", b"{}", auth, RemoteSettings(timeout_s=2.0)
        )
    assert answer.status is not None and answer.failure is None
    assert made == []  # the 45 ms of loading the system's CA bundle is for https only


def test_an_unreadable_ca_file_is_a_message_not_a_traceback(tmp_path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    try:
        port = listener.getsockname()[1]
        settings = RemoteSettings(timeout_s=1.0, ca_file=str(tmp_path / "missing-ca.pem"))
        answer = call_hook(f"https://127.0.0.1:{port}/hook", b"{}", HookAuth(), settings)
    finally:
        listener.close()
    assert answer.status is None
    assert "the CA file cannot be used: No such file or directory" in answer.failure_detail


def test_the_hook_client_does_not_import_httpx_command_line_client() -> None:
    # httpx's package imports its CLI (click, pygments) when they are installed: a seventh of
    # what importing httpx costs each `send` and `check`.
    import importlib.util
    import subprocess
    import sys
    from pathlib import Path

    if importlib.util.find_spec("click") is None:
        pytest.skip("click is not installed: httpx would not import it anyway")
    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys, app.logic.remote, httpx; "
        "print(sorted(m for m in ('click', 'pygments', 'rich') if m in sys.modules), "
        "callable(httpx.main))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.split() == ["[]", "True"]
