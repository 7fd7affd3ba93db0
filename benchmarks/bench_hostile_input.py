"""Benchmark: the window with megabyte-long lines, beside Qt laying out the same line alone.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_hostile_input.py

Two cases, each timed with a 20 ms QTimer on the GUI thread (the longest gap between its ticks
is the longest the window froze):
- Open Request of a request whose email is one line of 1 MB and of 4.9 MB, then View Response
  (goal: no freeze over 2 s and 5 s; it once took 48 s);
- the window opened on a users file whose first name is 1 MB and 4.9 MB long, Generate, View
  Response (goal: opened and no freeze over 4 s).
The anchors, measured in the same run: the same steps with an ordinary request and name, which
say what the machine's load alone costs at that moment. (A bare QPlainTextEdit is no anchor:
it takes minutes to lay out a shaped 1 MB line, which the editor never does.)
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from app.logic.org import load_demo_org
from app.logic.request_builder import build_request, dumps_request
from app.views.main_window import MainWindow
from app.views.settings import Settings

SIZES = (1_000_000, 4_900_000)


class TickWatch:
    """A 20 ms QTimer; `worst` is the longest the event loop went without delivering it."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._tick)
        self.last = time.perf_counter()
        self.worst = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def __enter__(self) -> TickWatch:
        self.last = time.perf_counter()
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._tick()
        self.timer.stop()


def wait_for(signal: object, timeout_ms: int = 60_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def settle(ms: int = 100) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def open_huge_request(folder: Path, size: int) -> float:
    window = MainWindow(load_demo_org(), Settings(folder / f"settings-{size}.ini"))
    window.resize(1280, 800)
    window.show()
    settle()
    request = build_request("self.service.registration", load_demo_org().users[0])
    request["data"]["userProfile"]["email"] = "a" * size + "@okta.com"
    path = folder / f"huge-{size}.json"
    path.write_text(dumps_request(request), encoding="utf-8")
    QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (str(path), "JSON"))  # type: ignore[method-assign]
    with TickWatch() as watch:
        window.menu_actions.open_action.trigger()
        window.response_panel.view_button.click()
        wait_for(window.response_shown)
        settle()
    window.close_without_asking()
    return watch.worst


def open_huge_name(folder: Path, size: int) -> tuple[float, float]:
    users = folder / f"users-{size}.json"
    profile = {"login": "huge@okta.com", "email": "huge@okta.com", "firstName": "N" * size}
    profile["lastName"] = "Last"
    users.write_text(json.dumps([{"id": "00uhugehugehugehuge1", "profile": profile}]))
    org = load_demo_org(users)
    with TickWatch() as watch:
        started = time.perf_counter()
        window = MainWindow(org, Settings(folder / f"settings-name-{size}.ini"))
        window.resize(1280, 720)
        window.show()
        QApplication.processEvents()
        opened = time.perf_counter() - started
        window.request_block.generate_button.click()
        window.response_panel.view_button.click()
        wait_for(window.response_shown)
        settle()
    window.close_without_asking()
    return opened, watch.worst


def main() -> int:
    QApplication.instance() or QApplication(sys.argv[:1])
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = open_huge_request(folder, 10)
        for size, limit in zip(SIZES, (2.0, 5.0), strict=True):
            worst = open_huge_request(folder, size)
            ok = ok and worst < limit
            print(
                f"Open Request, {size / 1e6:.1f} MB line: longest freeze {worst:.2f} s "
                f"(goal < {limit:.0f} s: {'OK' if worst < limit else 'OVER'}); anchor, the "
                f"same steps with a 10-character email: {base:.2f} s"
            )
        base_opened, base_worst = open_huge_name(folder, 4)
        for size in SIZES:
            opened, worst = open_huge_name(folder, size)
            ok = ok and opened < 4.0 and worst < 4.0
            print(
                f"window on a {size / 1e6:.1f} MB first name: opened in {opened:.2f} s, longest "
                f"freeze {worst:.2f} s (goal < 4 s: {'OK' if max(opened, worst) < 4 else 'OVER'})"
                f"; anchor, a 4-character name: opened in {base_opened:.2f} s, longest freeze "
                f"{base_worst:.2f} s"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
