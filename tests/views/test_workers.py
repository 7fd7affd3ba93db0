"""Workers off the GUI thread: a window closed while one still runs Python code closes at once."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.views.workers import TaskRunner


def test_deleting_a_widget_while_its_worker_runs_python_returns_at_once(qtbot: QtBot) -> None:
    # Earlier tests' windows are deleted first, so only this widget is timed below.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    parent = QWidget()
    runner = TaskRunner(parent)
    started, stop, finished = threading.Event(), threading.Event(), threading.Event()

    def work() -> int:
        started.set()
        # Pure Python, so it needs the interpreter lock. It runs until told to stop (or, so
        # that a regression fails this test instead of hanging it, for 60 s at most).
        ends = time.monotonic() + 60.0
        total = 0
        while not stop.is_set() and time.monotonic() < ends:
            total += sum(range(100))
        finished.set()
        return total

    runner.start(work)
    assert started.wait(60)
    parent.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    # A state, not a time: had the deletion waited for the worker, the worker would be done.
    still_running = not finished.is_set()
    stop.set()
    assert finished.wait(60)
    assert still_running, "deleting the widget waited for its worker to finish"


def test_a_result_after_the_window_is_gone_is_dropped_quietly(qtbot: QtBot) -> None:
    parent = QWidget()
    runner = TaskRunner(parent)
    release = threading.Event()
    runner.start(lambda: release.wait(5))
    parent.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    release.set()  # the worker now reports to a runner that no longer exists
    assert runner._pool.wait_for_done(5000)
