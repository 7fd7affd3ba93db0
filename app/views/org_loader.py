"""File > Open Org… and `--users FILE --schema FILE`: the org is read off the GUI thread, once,
with its progress in the status bar, and its search is indexed after that, so the window
paints and answers while 100,000 (or a million) users load."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from app.views import prompts
from app.views import strings as S
from app.views.workers import Worker, WorkerThreads, _WorkerSignals

if TYPE_CHECKING:
    from app.logic.org import DemoOrg

USERS_FILTER = "Users (*.json *.csv);;All files (*)"
SCHEMA_FILTER = "User schema (*.json);;All files (*)"


@contextmanager
def _objects_settled() -> Iterator[None]:
    """No cycle collection while the org's objects are made, and none over them afterwards:
    they all stay alive, and with a million users one full collection (which any later
    allocation can start, the window's too) holds the interpreter for seconds. `gc.freeze`
    before the collector is back on: its first run would otherwise walk every new object.
    Objects that are let go are still freed at once."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _load(users: Path, schema: Path | None) -> Any:
    """The org, or the one line that says why it cannot be read (never raises)."""
    from app.logic.org import OrgError, load_demo_org

    started = time.perf_counter()
    with _objects_settled():
        try:
            org = load_demo_org(users, schema, yielding=True)
        except OrgError as exc:
            return str(exc)
        except RecursionError:
            return f"{users.name}: the JSON is nested too deeply to read"
        except MemoryError:
            return f"{users.name}: too big to read into memory"
        org.find("")  # builds the login lookup here, not on the GUI thread's first look-up
    return org, time.perf_counter() - started


def _index(org: DemoOrg) -> Any:
    with _objects_settled():
        org.search_index()
    return ("indexed", org)


class OrgLoader(QObject):
    """Loads one org at a time in a worker thread; then indexes its search in another.

    Signals: `loaded(org, users_path)`, `failed(message)` (one line), `indexed(org)`.
    A newer `load` drops the result of an older one."""

    loaded = Signal(object, object)
    failed = Signal(str)
    indexed = Signal(object)

    def __init__(self, status_bar: QStatusBar, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status = status_bar
        self._pool = WorkerThreads("org loader")  # a new org loads while the last one indexes
        self._signals = _WorkerSignals(self)
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(lambda _task, message: self._finish(message))
        self._task = 0
        self._path: Path | None = None
        self._started = 0.0
        self._progress: QProgressBar | None = None
        self._label: QLabel | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self._tick)

    @property
    def busy(self) -> bool:
        return self._path is not None

    def load(self, users: Path, schema: Path | None = None) -> None:
        """Read the org from `users` (and `schema`, else a user-schema.json beside it)."""
        self._task += 1
        self._path = Path(users)
        self._started = time.perf_counter()
        self._show_progress(True)
        self._tick()
        self._timer.start()
        path = self._path
        self._pool.start(Worker(self._task, lambda: _load(path, schema), self._signals).run)

    def index(self, org: DemoOrg) -> None:
        """Build the org's search off the GUI thread; `indexed(org)` when it is ready."""
        if org.search_ready:
            self.indexed.emit(org)
            return
        self._task += 1
        task = self._task

        self._pool.start(Worker(task, lambda: _index(org), self._signals).run)

    def wait_for_done(self, msecs: int = 30_000) -> bool:
        return self._pool.wait_for_done(msecs)

    # --- progress -----------------------------------------------------------------------

    def _show_progress(self, shown: bool) -> None:
        if shown and self._progress is None:
            self._label = QLabel()
            self._label.setObjectName("orgProgressText")
            self._progress = QProgressBar()
            self._progress.setObjectName("orgProgress")
            self._progress.setRange(0, 0)  # busy: the file is read in one go
            self._progress.setMaximumWidth(160)
            self._progress.setMaximumHeight(14)
            self._status.addPermanentWidget(self._label)
            self._status.addPermanentWidget(self._progress)
        if self._progress is not None and self._label is not None:
            self._progress.setVisible(shown)
            self._label.setVisible(shown)

    def _tick(self) -> None:
        if self._path is not None and self._label is not None:
            seconds = time.perf_counter() - self._started
            self._label.setText(S.ORG_LOADING.format(name=self._path.name, seconds=seconds))

    def progress_text(self) -> str:
        return self._label.text() if self._label is not None and self._label.isVisible() else ""

    # --- results ------------------------------------------------------------------------

    def _on_done(self, task: int, result: object) -> None:
        if isinstance(result, tuple) and result and result[0] == "indexed":
            self.indexed.emit(result[1])
            return
        if task != self._task or self._path is None:
            return
        self._finish(result)

    def _finish(self, result: object) -> None:
        path = self._path
        self._path = None
        self._timer.stop()
        self._show_progress(False)
        if isinstance(result, tuple):
            org, seconds = result
            self._status.showMessage(
                S.ORG_LOADED.format(
                    name=path.name if path else "", count=len(org.users), seconds=seconds
                ),
                8000,
            )
            self.loaded.emit(org, path)
            self.index(org)
        else:
            message = str(result).splitlines()[0] if str(result) else "cannot be read"
            self._status.showMessage(message, 8000)
            self.failed.emit(message)


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._then is not None:
            then, self._then = self._then, None
            watched.removeEventFilter(self)
            QTimer.singleShot(0, then)
        return False


def after_first_paint(widget: QWidget, then: Callable[[], None]) -> None:
    """Call `then` once `widget` has painted for the first time (the start-up's org loads
    then, so it never delays the window's first paint)."""
    _FirstPaint(widget, then)


def ask_org_files(parent: QWidget, start: str = "") -> tuple[Path, Path | None] | None:
    """File > Open Org…: the users file, then (optional) a schema file. A `user-schema.json`
    beside the users file is used without asking."""
    from PySide6.QtWidgets import QFileDialog

    from app.logic.org import schema_file_for

    users, _ = QFileDialog.getOpenFileName(parent, S.OPEN_ORG_TITLE, start, USERS_FILTER)
    if not users:
        return None
    users_path = Path(users)
    if schema_file_for(users_path) is not None:
        return users_path, None
    if not prompts.ask(parent, S.ASK_SCHEMA.format(name=users_path.name)):
        return users_path, None
    schema, _ = QFileDialog.getOpenFileName(
        parent, S.OPEN_SCHEMA_TITLE, str(users_path.parent), SCHEMA_FILTER
    )
    return users_path, Path(schema) if schema else None


__all__ = ["OrgLoader", "after_first_paint", "ask_org_files"]
