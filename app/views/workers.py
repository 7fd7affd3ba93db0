"""Running logic calls off the GUI thread: a QRunnable per call and a runner with Cancel.

The GUI thread never waits for a call: `TaskRunner.start` returns at once, the answer arrives
as a signal on the GUI thread, and an elapsed-time tick keeps the screen alive meanwhile.
"""

from __future__ import annotations

import contextlib
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal


class _WorkerSignals(QObject):
    """Signals of one worker; emitted from the pool thread, delivered on the GUI thread."""

    done = Signal(int, object)  # task id, result
    failed = Signal(int, str)  # task id, one-paragraph explanation


def _emit(signal: Any, *args: Any) -> None:
    # RuntimeError: the receiver went with its window, so nobody is left to tell.
    with contextlib.suppress(RuntimeError):
        signal.emit(*args)


class Worker:
    """Calls `fn()` on a worker thread and reports its result or exception through `signals`
    (a QObject of the GUI thread, so the answer arrives there)."""

    def __init__(self, task_id: int, fn: Callable[[], Any], signals: _WorkerSignals) -> None:
        self.task_id = task_id
        self.fn = fn
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # a bug in a logic call must reach the window, not kill it
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            _emit(self.signals.failed, self.task_id, detail)
            return
        _emit(self.signals.done, self.task_id, result)


class WorkerThreads:
    """Runs workers on daemon threads of Python's own.

    Not a QThreadPool: Qt destroys a pool with its parent widget and waits for the pool's
    threads while holding the interpreter lock, which a worker still running Python code needs,
    so closing a window during a long load hung for good. A daemon thread is never waited for
    by Qt, and one still running when the program ends does not keep it alive.
    """

    def __init__(self, name: str = "worker") -> None:
        self._name = name
        self._threads: list[threading.Thread] = []

    def start(self, work: Callable[[], Any]) -> None:
        """Run `work()` on a thread of its own (a `Worker`'s `run`, or any callable that reports
        back through a signal itself)."""
        self._threads = [t for t in self._threads if t.is_alive()]
        thread = threading.Thread(target=work, name=self._name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def wait_for_done(self, msecs: int) -> bool:
        """Wait up to `msecs` for every started worker; True when none is left running."""
        deadline = time.perf_counter() + max(0, msecs) / 1000.0
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.perf_counter()))
        self._threads = [t for t in self._threads if t.is_alive()]
        return not self._threads


class TaskRunner(QObject):
    """Runs one logic call at a time off the GUI thread, with an elapsed-time tick and Cancel.

    Signals: `started()`, `tick(elapsed_ms)` every `tick_ms` while busy, `succeeded(result)`,
    `failed(message)`, `cancelled()`, and `finished()` after any of the last three. A result
    that arrives after Cancel (or after a newer `start`) is dropped.
    """

    started = Signal()
    tick = Signal(float)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, parent: QObject | None = None, tick_ms: int = 100) -> None:
        super().__init__(parent)
        self._pool = WorkerThreads("logic call")
        self._next_id = 0
        self._current: int | None = None
        self._cancel: Any = None
        self._started_at = 0.0
        self._signals = _WorkerSignals(self)
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self._on_tick)

    @property
    def busy(self) -> bool:
        return self._current is not None

    def elapsed_ms(self) -> float:
        """Milliseconds since the current call started (0 when idle)."""
        if self._current is None:
            return 0.0
        return (time.perf_counter() - self._started_at) * 1000.0

    def start(self, fn: Callable[[], Any], cancel_token: Any = None) -> int:
        """Run `fn` on the pool; a call already running is cancelled first. Returns the task id."""
        if self._current is not None:
            self.cancel()
        self._next_id += 1
        task_id = self._next_id
        worker = Worker(task_id, fn, self._signals)
        self._current = task_id
        self._cancel = cancel_token
        self._started_at = time.perf_counter()
        self._timer.start()
        self.started.emit()
        self._pool.start(worker.run)
        return task_id

    def cancel(self) -> None:
        """Stop waiting for the current call; its result, if it still comes, is ignored."""
        if self._current is None:
            return
        if self._cancel is not None and hasattr(self._cancel, "cancel"):
            self._cancel.cancel()
        self._current = None
        self._cancel = None
        self._timer.stop()
        self.cancelled.emit()
        self.finished.emit()

    def wait_for_done(self, msecs: int = 10_000) -> bool:
        """Block until pool threads finish (used when the window closes, after `cancel`)."""
        return self._pool.wait_for_done(msecs)

    def _on_tick(self) -> None:
        if self._current is not None:
            self.tick.emit(self.elapsed_ms())

    def _settle(self, task_id: int) -> bool:
        if task_id != self._current:
            return False
        self._current = None
        self._cancel = None
        self._timer.stop()
        return True

    def _on_done(self, task_id: int, result: object) -> None:
        if self._settle(task_id):
            self.succeeded.emit(result)
            self.finished.emit()

    def _on_failed(self, task_id: int, message: str) -> None:
        if self._settle(task_id):
            self.failed.emit(message)
            self.finished.emit()
