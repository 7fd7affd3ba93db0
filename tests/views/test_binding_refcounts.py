"""Guard against a Qt binding that leaks references to None/True/False.

PySide6 6.12.0 on Python 3.11 lowers those objects' reference counts on every None-returning
call and every signal emit, and the interpreter aborts after a few thousand: the pin in
pyproject.toml keeps such a binding out, and this test says so loudly if one comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPlainTextEdit


class _Emitter(QObject):
    fired = Signal(bool)


def test_calls_and_signals_keep_singleton_refcounts(qtbot) -> None:
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    emitter = _Emitter()
    seen: list[bool] = []
    emitter.fired.connect(seen.append)
    before = {name: sys.getrefcount(obj) for name, obj in (("None", None), ("True", True))}
    for index in range(500):
        editor.setPlainText("x")
        emitter.fired.emit(index % 2 == 0)
    seen.clear()
    after = {name: sys.getrefcount(obj) for name, obj in (("None", None), ("True", True))}
    drift = {name: after[name] - before[name] for name in before}
    assert all(value > -50 for value in drift.values()), drift
