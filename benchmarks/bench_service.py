"""The hook service under load, side by side with a bare ASGI app on the same server settings.

    python benchmarks/bench_service.py [--duration S] [--engine auto|asyncio|uvloop]

1. Throughput: wrk posts the valid SSR call to the service, and the same request to a bare
   ASGI app that answers a fixed 100-byte JSON, both on `ServiceRunner` (uvicorn + h11, the
   same limits), at 20 and 200 connections. Goal: the service >= 0.8x the bare app, p99 under
   50 ms at 200 connections.
2. Slow clients: 2,000 connections held open against the service (half silent, half
   trickling a head one byte at a time, reconnecting when dropped) while a legitimate call is
   timed every 0.25 s. Goal: the service stays under 150 MiB RSS and every legitimate call
   answers in under 100 ms.

3. Callers without credentials (`--hostile`, this part alone, no wrk needed): 200 connections
   that pipeline `GET /x` and never read, then 4,100 connections that each send `GET /x` and
   come back every 4 s, while a legitimate call is timed every 0.25 s. Goal: every legitimate
   call answers 200 (none 503) in under 100 ms; the service's CPU and log stay bounded.

Needs wrk (Debian: apt-get install wrk) for 1. Raises its own descriptor limit (`ulimit -n`) to
the hard limit; the servers inherit it. Servers log to a temporary file.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import http.client
import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AUTH = "Basic " + base64.b64encode(b"admin:supersecret").decode()
SSR_BODY = json.dumps(
    {
        "eventId": "GOsk2x3PRjqO_Jb9gc0a1g",
        "eventType": "com.okta.user.pre-registration",
        "requestType": "self.service.registration",
        "data": {
            "context": {"request": {"method": "POST", "ipAddress": "127.0.0.1"}},
            "userProfile": {
                "firstName": "Zoe",
                "lastName": "Tan",
                "email": "zoe.tan@okta.com",
                "login": "zoe.tan@okta.com",
                "employeeNumber": "1234",
            },
            "action": "ALLOW",
        },
    },
    separators=(",", ":"),
)
LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "AUTH"
wrk.body = [[BODY]]
done = function(summary, latency, requests)
    io.write(string.format("p50_us %d\\n", latency:percentile(50)))
    io.write(string.format("p99_us %d\\n", latency:percentile(99)))
end
""".replace("AUTH", AUTH).replace("BODY", SSR_BODY)

SERVER_CHILD = """
import sys
from app.logic.service import ServiceRunner, bind_socket, create_app

kind, engine = sys.argv[1], sys.argv[2]
if kind == "service":
    app = create_app("admin", "supersecret", log=lambda line: print(line))
else:
    BODY = (b'{"commands":[{"type":"com.okta.action.update","value":{"registration":"ALLOW"}}],'
            b'"x":"123456789012"}')
    assert len(BODY) == 100

    async def app(scope, receive, send):
        if scope["type"] != "http":
            message = await receive()
            while message["type"] != "lifespan.shutdown":
                await send({"type": message["type"] + ".complete"})
                message = await receive()
            await send({"type": "lifespan.shutdown.complete"})
            return
        more = True
        while more:
            more = (await receive()).get("more_body", False)
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"application/json"), (b"content-length", b"100")]})
        await send({"type": "http.response.body", "body": BODY})

runner = ServiceRunner(app, bind_socket("127.0.0.1", 0), engine, log=print)
print("PORT", runner.address[1], runner.description, flush=True, file=sys.stderr)
runner.run()
"""


def start_server(kind: str, engine: str, work: Path) -> tuple[subprocess.Popen[bytes], int]:
    log = (work / f"{kind}.log").open("wb")
    err = work / f"{kind}.err"
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER_CHILD, kind, engine],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=log,
        stderr=err.open("wb"),
    )
    for _ in range(100):
        match = re.search(r"PORT (\d+)", err.read_text())
        if match:
            return process, int(match.group(1))
        time.sleep(0.1)
    raise SystemExit(f"the {kind} server did not start:\n{err.read_text()}")


def wrk(port: int, connections: int, duration: int, script: Path) -> dict[str, float]:
    url = f"http://127.0.0.1:{port}/registrationHookSSR"
    threads = str(min(2, connections))
    base = ["wrk", "-t", threads, "-c", str(connections), "-s", str(script)]
    subprocess.run([*base, "-d", "2s", url], capture_output=True, check=True)  # warm-up
    out = subprocess.run(
        [*base, "-d", f"{duration}s", url], capture_output=True, text=True, check=True
    ).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": int(re.search(r"p50_us (\d+)", out).group(1)) / 1000,  # type: ignore[union-attr]
        "p99": int(re.search(r"p99_us (\d+)", out).group(1)) / 1000,  # type: ignore[union-attr]
        "non2xx": float(non2xx.group(1)) if non2xx else 0.0,
        "errors": errors.group(1).strip() if errors else "none",  # type: ignore[dict-item]
    }


def rss_mib(pid: int) -> tuple[float, float]:
    """(current, peak) resident size of `pid` in MiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(value.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def legit_call_ms(port: int) -> float:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("POST", "/registrationHookSSR", body=SSR_BODY, headers={"Authorization": AUTH})
        response = conn.getresponse()
        response.read()
        assert response.status == 200, response.status
    finally:
        conn.close()
    return (time.perf_counter() - started) * 1000


def slow_clients(port: int, pid: int, count: int, seconds: float) -> dict[str, float]:
    """Hold `count` idle and trickling connections for `seconds`; time legitimate calls."""

    def opened(trickle: bool) -> socket.socket | None:
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=2)
        except OSError:
            return None
        sock.setblocking(False)
        if trickle:
            with contextlib.suppress(OSError):
                sock.send(b"POST /registrationHookSSR HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        return sock

    socks: list[tuple[socket.socket | None, bool]] = [
        (opened(i % 2 == 1), i % 2 == 1) for i in range(count)
    ]
    latencies: list[float] = []
    peak_rss = 0.0
    reconnects = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for index, (sock, trickle) in enumerate(socks):
            alive = sock is not None
            if sock is not None:
                try:
                    if sock.recv(1024) == b"":
                        alive = False
                except BlockingIOError:
                    pass
                except OSError:
                    alive = False
                if alive and trickle:
                    try:
                        sock.send(b"x")
                    except OSError:
                        alive = False
            if not alive:
                if sock is not None:
                    sock.close()
                socks[index] = (opened(trickle), trickle)
                reconnects += 1
        latencies.append(legit_call_ms(port))
        peak_rss = max(peak_rss, rss_mib(pid)[0])
        time.sleep(0.25)
    open_now = sum(1 for sock, _ in socks if sock is not None)
    for sock, _ in socks:
        if sock is not None:
            sock.close()
    latencies.sort()
    return {
        "calls": len(latencies),
        "median": latencies[len(latencies) // 2],
        "max": latencies[-1],
        "rss": peak_rss,
        "open": open_now,
        "reconnects": reconnects,
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of `pid` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def legit_status_ms(port: int) -> tuple[int, float]:
    """A legitimate call's status and time (503 counts, it does not raise)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("POST", "/registrationHookSSR", body=SSR_BODY, headers={"Authorization": AUTH})
        response = conn.getresponse()
        response.read()
        return response.status, (time.perf_counter() - started) * 1000
    except OSError:
        return 0, (time.perf_counter() - started) * 1000
    finally:
        conn.close()


def hostile(port: int, pid: int, log: Path, seconds: float) -> bool:
    """The two attacks of callers without credentials, one after the other."""
    ok = True
    pipelined = b"GET /x HTTP/1.1\r\nHost: x\r\n\r\n" * 4096  # 128 KB, never read

    def pipeliner() -> socket.socket | None:
        try:
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.settimeout(2)
            sock.connect(("127.0.0.1", port))
            sock.setblocking(False)
            with contextlib.suppress(OSError):
                sock.send(pipelined)
            return sock
        except OSError:
            return None

    def one_get() -> socket.socket | None:
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=2)
            sock.sendall(b"GET /x HTTP/1.1\r\nHost: x\r\n\r\n")
            sock.setblocking(False)
            return sock
        except OSError:
            return None

    for name, count, make, every in (
        ("200 pipelining GET /x, never reading", 200, pipeliner, 0.0),
        ("4,100 sending GET /x every 4 s", 4100, one_get, 4.0),
    ):
        log_before, cpu_before = log.stat().st_size, cpu_seconds(pid)
        socks: list[socket.socket | None] = [make() for _ in range(count)]
        sent_at = [time.monotonic()] * count
        statuses: dict[int, int] = {}
        latencies: list[float] = []
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            for index, sock in enumerate(socks):
                if every and time.monotonic() - sent_at[index] >= every:
                    if sock is not None:
                        sock.close()
                    socks[index], sent_at[index] = make(), time.monotonic()
                elif not every and sock is not None:  # keep pushing, never read
                    with contextlib.suppress(OSError):
                        sock.send(pipelined)
            status, took = legit_status_ms(port)
            statuses[status] = statuses.get(status, 0) + 1
            latencies.append(took)
            time.sleep(0.25)
        elapsed = time.monotonic() - started
        cpu = (cpu_seconds(pid) - cpu_before) / elapsed * 100
        log_kb = (log.stat().st_size - log_before) / 1024
        for sock in socks:
            if sock is not None:
                sock.close()
        latencies.sort()
        met = set(statuses) == {200} and latencies[-1] < 100
        ok &= met
        print(
            f"{name} for {elapsed:.0f} s: legitimate calls {statuses} (status: count), median "
            f"{latencies[len(latencies) // 2]:.1f} ms, max {latencies[-1]:.1f} ms; service CPU "
            f"{cpu:.0f}%, log {log_kb:.0f} KB: {'met' if met else 'NOT met'}"
        )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--engine", default="auto")
    parser.add_argument("--slow-clients", type=int, default=2000)
    parser.add_argument("--slow-seconds", type=float, default=12.0)
    parser.add_argument(
        "--hostile", action="store_true", help="only 3: callers without credentials"
    )
    args = parser.parse_args()
    if args.hostile:
        return hostile_only(args)
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = args.slow_clients * 2 + 512
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(wanted, soft)), hard))
    print(f"descriptor limit: {resource.getrlimit(resource.RLIMIT_NOFILE)[0]}")

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        script = work / "ssr.lua"
        script.write_text(LUA)
        servers = {kind: start_server(kind, args.engine, work) for kind in ("service", "bare")}
        try:
            desc = re.search(r"PORT \d+ (.*)", (work / "service.err").read_text())
            print(f"server: {desc.group(1) if desc else '?'}")
            ok = True
            for connections in (20, 200):
                figures = {
                    kind: wrk(port, connections, args.duration, script)
                    for kind, (_p, port) in servers.items()
                }
                service, bare = figures["service"], figures["bare"]
                ratio = service["rps"] / bare["rps"]
                for kind, f in figures.items():
                    print(
                        f"{connections:>4} conns {kind:>7}: {f['rps']:>8.0f} req/s, "
                        f"p50 {f['p50']:.2f} ms, p99 {f['p99']:.2f} ms, "
                        f"non-2xx {f['non2xx']:.0f}, socket errors {f['errors']}"
                    )
                met = ratio >= 0.8 and (connections != 200 or service["p99"] < 50)
                ok &= met
                print(
                    f"{connections:>4} conns   ratio: {ratio:.2f}x the bare app: "
                    f"{'met' if met else 'NOT met'}"
                )
            service_process, service_port = servers["service"]
            print(f"service RSS before slow clients: {rss_mib(service_process.pid)[0]:.0f} MiB")
            slow = slow_clients(
                service_port, service_process.pid, args.slow_clients, args.slow_seconds
            )
            met = slow["rss"] < 150 and slow["max"] < 100
            ok &= met
            print(
                f"{args.slow_clients} idle + slow-loris connections for {args.slow_seconds:.0f} s "
                f"({slow['open']:.0f} open at the end, {slow['reconnects']:.0f} re-opened after "
                f"being dropped): peak RSS {slow['rss']:.0f} MiB; {slow['calls']:.0f} legitimate "
                f"calls, median {slow['median']:.1f} ms, max {slow['max']:.1f} ms: "
                f"{'met' if met else 'NOT met'}"
            )
        finally:
            for process, _port in servers.values():
                process.terminate()
                process.wait(10)
    return 0 if ok else 1


def hostile_only(args: argparse.Namespace) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 10_000:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 10_000), hard))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        process, port = start_server("service", args.engine, work)
        try:
            return 0 if hostile(port, process.pid, work / "service.log", args.slow_seconds) else 1
        finally:
            process.terminate()
            process.wait(10)


if __name__ == "__main__":
    sys.exit(main())
