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
    started, stop = threading.Event(), threading.Event()

    def work() -> int:
        started.set()
        # Pure Python, so it needs the interpreter lock; it ends by itself after 5 s, so a
        # regression fails this test instead of hanging it.
        ends = time.perf_counter() + 5.0
        total = 0
        while not stop.is_set() and time.perf_counter() < ends:
            total += sum(range(100))
        return total

    runner.start(work)
    assert started.wait(5)
    began = time.perf_counter()
    parent.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    took = time.perf_counter() - began
    stop.set()
    assert took < 2.0, f"closing waited {took:.1f} s for a worker"


def test_a_result_after_the_window_is_gone_is_dropped_quietly(qtbot: QtBot) -> None:
    parent = QWidget()
    runner = TaskRunner(parent)
    release = threading.Event()
    runner.start(lambda: release.wait(5))
    parent.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    release.set()  # the worker now reports to a runner that no longer exists
    assert runner._pool.wait_for_done(5000)
