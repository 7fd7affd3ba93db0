"""What the hook client costs per call on top of httpx itself.

    python benchmarks/bench_client.py [--runs 500]

A local server on 127.0.0.1 answers every POST at once with the same JSON and closes the
connection (as every hook call does: `Connection: close`). In one run, interleaved call by
call, the same request goes out four ways:

- `httpx.Client().post`: one bare httpx client, reused (the floor);
- `httpx per call`: a bare httpx client built and closed for each call;
- `call_hook(client=...)`: the hook client injected and reused;
- `call_hook`: the default path, which builds its own client from the settings each call.

The differences of the medians (and p95s) against the first line are the client's overhead:
the per-attempt deadline, the cancel hook, the URL and header checks, the raw body read and
the HookAnswer with its attempt log.
"""

from __future__ import annotations

import argparse
import json
import socket
import socketserver
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.logic.remote import (  # noqa: E402
    CancelToken,
    HookAuth,
    RemoteSettings,
    basic_auth_value,
    call_hook,
    hook_client,
)

ANSWER = json.dumps(
    {"commands": [{"type": "com.okta.action.update", "value": {"registration": "ALLOW"}}]}
).encode()
RESPONSE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
    b"Connection: close\r\n\r\n%s" % (len(ANSWER), ANSWER)
)
BODY = json.dumps(
    {
        "eventId": "evt-bench",
        "eventType": "com.okta.user.pre-registration",
        "requestType": "self.service.registration",
        "data": {"userProfile": {"email": "ana@example.org", "login": "ana@example.org"}},
    },
    indent=2,
).encode()


class _Instant(socketserver.BaseRequestHandler):
    """Reads one request (head + Content-Length bytes) and answers at once."""

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk:
                return
            rest += chunk
        sock.sendall(RESPONSE)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()

    server = _Server(("127.0.0.1", 0), _Instant)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/registrationHookSSR"
    auth = HookAuth(header_value=basic_auth_value("admin", "supersecret"))
    settings = RemoteSettings()
    headers = {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "authorization": auth.header_value,
        "Connection": "close",
    }
    bare = httpx.Client(trust_env=False)
    injected = hook_client(settings)

    def bare_reused() -> None:
        response = bare.post(url, content=BODY, headers=headers)
        assert response.status_code == 200 and response.content == ANSWER

    def bare_per_call() -> None:
        with httpx.Client(trust_env=False) as client:
            response = client.post(url, content=BODY, headers=headers)
        assert response.status_code == 200 and response.content == ANSWER

    def ours_injected() -> None:
        answer = call_hook(url, BODY, auth, settings, CancelToken(), client=injected)
        assert answer.status == 200 and answer.body == ANSWER, answer.failure_detail

    def ours_default() -> None:
        answer = call_hook(url, BODY, auth, settings, CancelToken())
        assert answer.status == 200 and answer.body == ANSWER, answer.failure_detail

    ways: dict[str, Callable[[], None]] = {
        "httpx.Client().post (reused)": bare_reused,
        "httpx client per call": bare_per_call,
        "call_hook(client=hook_client())": ours_injected,
        "call_hook (own client per call)": ours_default,
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(50):  # warm-up: imports, caches, the server's threads
        for way in ways.values():
            way()
    for _ in range(args.runs):
        for name, way in ways.items():
            started = time.perf_counter()
            way()
            times[name].append(time.perf_counter() - started)
    bare.close()
    injected.close()
    server.shutdown()
    server.server_close()

    ms = 1000.0
    floor_name = next(iter(ways))
    floor_med = statistics.median(times[floor_name]) * ms
    floor_p95 = _p95(times[floor_name]) * ms
    print(f"runs: {args.runs} of each, interleaved; local server, new connection per call")
    print(f"{'':34} {'median':>9} {'p95':>9} {'+median':>9} {'+p95':>9}")
    for name in ways:
        med, p95 = statistics.median(times[name]) * ms, _p95(times[name]) * ms
        extra_med, extra_p95 = med - floor_med, p95 - floor_p95
        print(f"{name:34} {med:7.3f}ms {p95:7.3f}ms {extra_med:+7.3f}ms {extra_p95:+7.3f}ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
