"""Running the hook service: uvicorn with the guarded h11 protocol on a bound socket.

`ServiceRunner` configures uvicorn from `Limits` (its own knobs wherever it has one, the
guarded protocol for the rest: see `protocol.py`), installs the one-line EMFILE report on the
event loop, and runs either in the calling thread (`run`, for `serve`) or in a background
thread (`start_in_thread`, for tests and benchmarks). `serve` is `python -m app serve`.

Engines: `auto` (uvloop when installed, else asyncio), `asyncio`, `uvloop`. The HTTP server
is uvicorn + h11 in every case. `builtin` and `uvicorn`, the names of the engines before the
hand-written server was removed, are still accepted (as `asyncio` and `auto`).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import uvicorn

from app.logic.bundled_hook import HookRules
from app.logic.service.app import (
    HANDLERS,
    MAX_LOG_LINE,
    ASGIApp,
    HookService,
    RefusalLog,
    clip,
    create_app,
    escape_log,
)
from app.logic.service.credentials import CredentialsError, default_credentials_warning
from app.logic.service.limits import AcceptErrorLog, Limits
from app.logic.service.protocol import protocol_class

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8082
ENGINES = ("auto", "asyncio", "uvloop")
_ENGINE_ALIASES = {"builtin": "asyncio", "uvicorn": "auto"}
_BACKLOG = 2048


def uvloop_available() -> bool:
    try:
        import uvloop  # noqa: F401
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
        sock.listen(_BACKLOG)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _stderr_log(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _refusals_to(log: Callable[[str], None]) -> Callable[[int, str], None]:
    """A refusal log for an application that has none: escaped, cut, rate-limited lines."""
    return RefusalLog(lambda line: log(clip(escape_log(line), MAX_LOG_LINE)))


class ServiceRunner:
    """Runs an ASGI hook service on a bound socket until `stop()` (or a signal, in `run`)."""

    def __init__(
        self,
        app: ASGIApp,
        sock: socket.socket,
        engine: str = "auto",
        *,
        limits: Limits | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        engine = _ENGINE_ALIASES.get(engine, engine)
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
        if engine == "uvloop" and not uvloop_available():
            raise ValueError("engine 'uvloop': uvloop is not installed")
        if engine == "auto":
            engine = "uvloop" if uvloop_available() else "asyncio"
        self.app = app
        self.sock = sock
        self.engine = engine
        self.limits = limits or Limits()
        refusal_log: Callable[[int, str], None]
        if log is not None:
            refusal_log = _refusals_to(log)
        elif isinstance(app, HookService):
            log, refusal_log = app.log, app.log_refusal
        else:
            log, refusal_log = _stderr_log, _refusals_to(_stderr_log)
        self.accept_log = AcceptErrorLog(log)
        self._protocol = protocol_class(self.limits, refusal_log)
        self._stop_requested = threading.Event()
        self._server: uvicorn.Server | None = None
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
    def open_connections(self) -> int:
        """How many connections the server holds open now."""
        server = self._server
        return len(server.server_state.connections) if server is not None else 0

    @property
    def running(self) -> bool:
        """True while the background thread of `start_in_thread` serves."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def description(self) -> str:
        """What serves, for the start-up banner: `uvicorn + h11 on uvloop`."""
        return f"uvicorn {uvicorn.__version__} + h11 on {self.engine}"

    def _config(self) -> uvicorn.Config:
        limits = self.limits
        return uvicorn.Config(
            self.app,
            http=self._protocol,
            loop=self.engine,
            ws="none",
            lifespan="on",
            access_log=False,
            log_config=None,
            log_level="error",
            server_header=False,
            date_header=False,
            proxy_headers=False,
            backlog=_BACKLOG,
            timeout_keep_alive=limits.keep_alive_timeout,  # type: ignore[arg-type]
            # Connections are bounded by the protocol (at connect); this bounds requests in
            # flight, which can never be more than the connections, counting the ones being
            # dropped to make room (at most one backlog of newcomers at a time).
            limit_concurrency=limits.max_connections + _BACKLOG + 1,
            h11_max_incomplete_event_size=limits.max_head,
            timeout_graceful_shutdown=5,
        )

    def run(self) -> None:
        """Serve in this thread until `stop()` is called from another one (or a signal)."""
        config = self._config()
        server = uvicorn.Server(config)
        self._server = server
        if self._stop_requested.is_set():
            server.should_exit = True

        async def main() -> None:
            asyncio.get_running_loop().set_exception_handler(self.accept_log)
            await server.serve(sockets=[self.sock])

        with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:
            runner.run(main())

    def stop(self) -> None:
        """Ask the server to finish (safe from any thread)."""
        self._stop_requested.set()
        if self._server is not None:
            self._server.should_exit = True

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
    prog: str = "reghook",
    limits: Limits | None = None,
) -> int:
    """`python -m app serve`: run until Ctrl+C or SIGTERM, then return 0 (1 if it cannot listen,
    2 if the credentials are half set)."""
    out = out or sys.stderr
    try:
        app = create_app(rules=rules, env_file=env_file)
    except CredentialsError as exc:
        out.write(f"{prog}: error: {exc}\n")
        return 2
    try:
        sock = bind_socket(host, port)
    except OSError as exc:
        out.write(f"{prog}: error: cannot listen on {host}:{port}: {exc.strerror or exc}\n")
        return 1
    runner = ServiceRunner(app, sock, engine, limits=limits)
    # uvicorn re-raises a signal it handled once it has shut down; with these handlers in
    # place that re-raise is harmless and the process exits 0.
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, lambda *_: runner.stop())
    creds = app.credentials
    if creds.defaulted:
        out.write(default_credentials_warning(creds) + "\n")
    else:
        out.write(f"Basic auth user '{creds.user}' (from {creds.source})\n")
    out.write(f"Registration hook service ({runner.description}) listening on {runner.url}\n")
    for path in HANDLERS:
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
        with contextlib.suppress(OSError):
            sock.close()
    out.write("Registration hook service stopped.\n")
    out.flush()
    return 0
