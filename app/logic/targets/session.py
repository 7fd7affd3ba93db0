"""What targets may keep from one call to the next during a run of many calls.

The scenario runner opens a `RunSession` for a run; inside it each worker thread gets its own
kept things (a URL target keeps one keep-alive HTTP client per call settings, as Okta keeps
its connections to a hook), and all of them are closed when the run ends. Outside a run
nothing is kept: the window and `send` make one call per connection.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeVar

__all__ = ["RunSession", "current_session", "run_session"]

T = TypeVar("T")


class RunSession:
    """Things kept per thread for one run, each closed (its `close()`) when the run ends."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[Any] = []

    def get(self, key: Hashable, open_: Callable[[], T]) -> T:
        """This thread's thing under `key`, opened with `open_()` the first time."""
        kept: dict[Hashable, Any] | None = getattr(self._local, "kept", None)
        if kept is None:
            kept = self._local.kept = {}
        if key not in kept:
            kept[key] = found = open_()
            with self._lock:
                self._opened.append(found)
        return kept[key]

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        self._local = threading.local()
        for thing in opened:
            with contextlib.suppress(Exception):
                thing.close()


_ACTIVE: contextvars.ContextVar[RunSession | None] = contextvars.ContextVar(
    "reghook_run_session", default=None
)


def current_session() -> RunSession | None:
    """The run this call belongs to, if any (threads started for a run carry its context)."""
    return _ACTIVE.get()


@contextlib.contextmanager
def run_session() -> Iterator[RunSession]:
    """Open a run (or join the one already open) and close what it kept when it ends."""
    found = _ACTIVE.get()
    if found is not None:
        yield found
        return
    session = RunSession()
    token = _ACTIVE.set(session)
    try:
        yield session
    finally:
        _ACTIVE.reset(token)
        session.close()
