"""One call from the window: `ExchangeJob` sends a request text to a target off the GUI thread.

    job = ExchangeJob(text, target, schema=org.schema, reading="lenient", source="signup page")
    job.progress.connect(show_elapsed)          # elapsed ms, every `tick_ms` while it runs
    job.finished.connect(show_exchange)         # the `Exchange` (sent or not: it says why)
    job.failed.connect(show_bug)                # a logic call raised: one paragraph
    job.cancelled.connect(show_cancelled)
    job.start()                                 # returns at once
    job.cancel()                                # aborts the remote call too (its own token)

Every call the window makes (View Response, Sign Up, a history Replay sent again) is one job:
the reading and the org's schema travel with it, so what judges the answer is what was chosen
when the call started. A job runs once; exactly one of finished / failed / cancelled follows a
start, and `done` after it. `CallController` starts the window's jobs and makes the finished
one the current run.
"""

from __future__ import annotations

import contextlib
import time
import traceback
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.views.workers import WorkerThreads

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from app.logic.org import UserSchema
    from app.logic.targets import Target

_THREADS = WorkerThreads("exchange")


class _Relay(QObject):
    """Carries the worker thread's answer to the GUI thread (a queued signal)."""

    answered = Signal(object)
    raised = Signal(str)


class ExchangeJob(QObject):
    """One request to one target; see the module docstring."""

    progress = Signal(float)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    #: After any of finished / failed / cancelled.
    done = Signal()

    def __init__(
        self,
        text: str,
        target: Target,
        *,
        schema: UserSchema | None = None,
        reading: str = "strict",
        source: str = "window",
        parent: QObject | None = None,
        org: Any = None,
        forms: Mapping[str, Sequence[str]] | None = None,
        tick_ms: int = 100,
    ) -> None:
        super().__init__(parent)
        from app.logic.remote import CancelToken

        self.text = text
        self.target = target
        self.schema = schema
        self.reading = reading
        self.source = source
        # The org (its copy of a progressive user is the profile before) and the form per
        # request type (the verdict places each message by it, as the page draws it).
        self.org = org
        self.forms = dict(forms) if forms else None
        self.token = CancelToken()
        self._state = "new"  # new -> running -> finished | failed | cancelled
        self._started_at = 0.0
        self._relay = _Relay(self)
        self._relay.answered.connect(self._on_answered)
        self._relay.raised.connect(self._on_raised)
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(lambda: self.progress.emit(self.elapsed_ms()))

    # --- what a caller shows --------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._state == "running"

    @property
    def state(self) -> str:
        """ "new", "running", "finished", "failed" or "cancelled"."""
        return self._state

    @property
    def label(self) -> str:
        return str(self.target.label)

    @property
    def remote(self) -> bool:
        return self.target.kind == "url"

    @property
    def timeout_s(self) -> float:
        return float(self.target.timeout_s)

    @property
    def max_attempts(self) -> int:
        from app.logic import okta

        settings = getattr(self.target, "settings", None)
        if settings is None:
            return 1
        return okta.MAX_ATTEMPTS if getattr(settings, "retry", False) else 1

    def elapsed_ms(self) -> float:
        if self._started_at == 0.0:
            return 0.0
        return (time.perf_counter() - self._started_at) * 1000.0

    # --- running --------------------------------------------------------------------------

    def start(self) -> None:
        if self._state != "new":
            raise RuntimeError("an exchange job runs once")
        self._state = "running"
        self._started_at = time.perf_counter()
        self._timer.start()
        text, target, schema, reading, token, org, forms = (
            self.text,
            self.target,
            self.schema,
            self.reading,
            self.token,
            self.org,
            self.forms,
        )
        relay = self._relay

        def work() -> None:
            from app.logic.run.pipeline import run_exchange

            try:
                # The window shows the answer as it came (Save Response asks before writing a
                # secret the hook echoed); its history and a saved scenario take it redacted.
                exchange = run_exchange(
                    text,
                    target,
                    schema=schema,
                    cancel=token,
                    reading=reading,
                    keep_echoed_secrets=True,
                    forms=forms,
                    org=org,
                )
            except Exception as exc:  # a bug in a logic call must reach the window, not kill it
                detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                _emit(relay.raised, detail)
                return
            _emit(relay.answered, exchange)

        _THREADS.start(work)

    def cancel(self) -> None:
        """Stop waiting (the remote call is aborted through the token); no result follows."""
        if self._state != "running":
            return
        self.token.cancel()
        self._settle("cancelled")
        self.cancelled.emit()
        self.done.emit()

    def _settle(self, state: str) -> None:
        self._state = state
        self._timer.stop()

    def _on_answered(self, exchange: Any) -> None:
        if self._state != "running":
            return  # cancelled meanwhile: the late answer is dropped
        self._settle("finished")
        self.finished.emit(exchange)
        self.done.emit()

    def _on_raised(self, message: str) -> None:
        if self._state != "running":
            return
        self._settle("failed")
        self.failed.emit(message)
        self.done.emit()


def _emit(signal: Any, *args: Any) -> None:
    # RuntimeError: the job went with its window, so nobody is left to tell.
    with contextlib.suppress(RuntimeError):
        signal.emit(*args)


def wait_for_jobs(msecs: int) -> bool:
    """Wait up to `msecs` for calls still running on worker threads (the window closing)."""
    return _THREADS.wait_for_done(msecs)


__all__ = ["ExchangeJob", "wait_for_jobs"]
