"""Your own org at full size, in the window (offscreen):

1. first paint of `run_app(users_file=F)` with a 100,000-user F against a bare PySide6 window
   (target <= 1.5x: the org is read after the first paint, in a worker, once);
2. the window's longest stall while the org loads and its search is indexed (a 5 ms timer on
   the GUI thread measures the gaps), and how long that takes;
3. each keystroke in the user search once indexed (target < 16 ms).

With --million, 2 and 3 again with a 1,000,000-user file ("opens without freezing"). The files
are generated in a temporary folder and never kept.

--open-org: File > Open Org of a 72 MB users file in Okta's API shape (100,000 users) against
its anchor, `python -c "import json; json.load(open(F))"`, the two taking turns run by run:
loaded and searchable in <= 2x the anchor, and no stall of the window's event loop over 50 ms
while it loads (goals of this benchmark, not of the tests).

    python benchmarks/bench_window_org.py [--runs 7] [--million] [--open-org]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_org import write_users  # noqa: E402
from bench_startup import BARE, one_run  # noqa: E402

RATIO_BUDGET = 1.5
KEYSTROKE_BUDGET_MS = 16.0
OPEN_ORG_RATIO_BUDGET = 2.0
STALL_BUDGET_MS = 50.0


def json_load_seconds(users: Path) -> tuple[float, float]:
    """Wall and CPU time of a process that only `json.load`s `users` (start-up included)."""
    import resource
    import subprocess

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    before, started = cpu(), time.perf_counter()
    code = f"import json; json.load(open({str(users)!r}, encoding='utf-8'))"
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started, cpu() - before


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def open_org(runs: int) -> bool:
    """File > Open Org of a 72 MB Okta-shape file, beside json.load of it, interleaved."""
    with tempfile.TemporaryDirectory() as folder:
        users = Path(folder) / "users.json"
        write_users(users, 100_000, full=True)
        size = users.stat().st_size / 1e6
        anchors, searchable, stalls, cpu_anchor, cpu_window, idle = [], [], [], [], [], []
        for _ in range(runs):
            wall, cpu = json_load_seconds(users)
            anchors.append(wall)
            cpu_anchor.append(cpu)
            cpu_before = time.process_time()
            figures = in_window(users, "zoë łast9999")
            cpu_window.append(time.process_time() - cpu_before)
            searchable.append(figures["indexed_s"])
            stalls.append(figures["worst_stall_ms"])
            idle.append(figures["idle_worst_ms"])
        med = statistics.median
        ratio = med(searchable) / med(anchors)
        worst = max(stalls)
        print(f"File > Open Org, 100,000 users ({size:.0f} MB, Okta's API shape), {runs} runs:")
        print(
            f"  json.load process (anchor):  median {med(anchors):.2f} s (min {min(anchors):.2f})"
            f", CPU {med(cpu_anchor):.2f} s"
        )
        print(
            f"  loaded and searchable:       median {med(searchable):.2f} s "
            f"(min {min(searchable):.2f}): {ratio:.2f}x the anchor "
            f"(goal <= {OPEN_ORG_RATIO_BUDGET:g}x: {_met(ratio <= OPEN_ORG_RATIO_BUDGET)})"
        )
        print(
            f"  longest event-loop stall:    median {med(stalls):.0f} ms, worst {worst:.0f} ms "
            f"(goal <= {STALL_BUDGET_MS:g} ms: {_met(worst <= STALL_BUDGET_MS)})"
            f"; the window process's CPU over the load {med(cpu_window):.2f} s"
        )
        print(
            f"  the same window idle:        median {med(idle):.0f} ms, worst {max(idle):.0f} ms "
            "(what this machine's scheduler alone costs the ticker)"
        )
    return ratio <= OPEN_ORG_RATIO_BUDGET and worst <= STALL_BUDGET_MS


def first_paint(users: Path, runs: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ)
        env.pop("PYTHONPYCACHEPREFIX", None)
        env.update(
            QT_QPA_PLATFORM="offscreen",
            PYTHONPATH=str(ROOT),
            XDG_CONFIG_HOME=str(Path(home) / "config"),
            QT_LOGGING_RULES="qt.qpa.*=false",
            REGHOOK_DATA_DIR=str(Path(home) / "data"),
            REGHOOK_REPORT_FIRST_PAINT="1",
        )
        # The README's command with the org: `python -m app window --users F`, whole process.
        bare_args, app_args = ["-c", BARE], ["-m", "app", "window", "--users", str(users)]
        one_run(bare_args, env)
        one_run(app_args, env)
        bare, app = [], []
        for _ in range(runs):
            bare.append(one_run(bare_args, env))
            app.append(one_run(app_args, env))
    return statistics.median(bare) * 1000, statistics.median(app) * 1000


def in_window(users: Path, typed: str) -> dict[str, float]:
    """Load `users` through the window's own loader; the longest GUI stall meanwhile; then
    the time of each keystroke in the user search."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, Qt, QTimer
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    from app.logic.org import load_demo_org
    from app.views.main_window import MainWindow
    from app.views.settings import Settings

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        window = MainWindow(load_demo_org(), Settings(Path(folder) / "settings.ini"))
        window.resize(1280, 720)
        window.show()
        app.processEvents()
        gaps: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            gaps.append(now - last[0])
            last[0] = now

        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(tick)
        state = {"loaded": 0.0, "indexed": 0.0}
        started = time.perf_counter()
        window.org_loader.loaded.connect(
            lambda *_: state.__setitem__("loaded", time.perf_counter() - started)
        )
        window.org_loader.indexed.connect(
            lambda *_: state.__setitem__("indexed", time.perf_counter() - started)
        )
        # The anchor for stalls: the same ticker with nothing loading, for two seconds (on a
        # shared machine the window's thread is not always given a core when it asks).
        timer.start()
        last[0] = time.perf_counter()
        idle_until = last[0] + 2.0
        while time.perf_counter() < idle_until:
            app.processEvents()
            time.sleep(0.001)
        idle_worst = max(gaps) * 1000 if gaps else 0.0
        gaps.clear()
        started = time.perf_counter()
        last[0] = started
        window.load_org(users)
        while not state["indexed"]:
            app.processEvents()
            time.sleep(0.001)
        timer.stop()
        line = window.config.user_combo.lineEdit()
        line.setFocus()
        keys = []
        for char in typed:
            begun = time.perf_counter()
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    line, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
                )
            app.processEvents()
            keys.append((time.perf_counter() - begun) * 1000)
        window.close_without_asking()
        app.processEvents()
    return {
        "loaded_s": state["loaded"],
        "indexed_s": state["indexed"],
        "worst_stall_ms": max(gaps) * 1000 if gaps else 0.0,
        "idle_worst_ms": idle_worst,
        "median_key_ms": statistics.median(keys),
        "worst_key_ms": max(keys),
    }


def report(label: str, figures: dict[str, float]) -> bool:
    ok = figures["worst_key_ms"] < KEYSTROKE_BUDGET_MS
    print(f"{label}:")
    print(f"  read in a worker:          {figures['loaded_s']:6.2f} s")
    print(f"  search indexed:            {figures['indexed_s']:6.2f} s")
    print(f"  longest window stall:      {figures['worst_stall_ms']:6.0f} ms")
    print(
        f"  keystroke in user search:  median {figures['median_key_ms']:.1f} ms, worst "
        f"{figures['worst_key_ms']:.1f} ms (target < {KEYSTROKE_BUDGET_MS:.0f}: "
        f"{'met' if ok else 'NOT met'})"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--million", action="store_true", help="also a 1,000,000-user file")
    parser.add_argument(
        "--open-org", action="store_true", help="only File > Open Org of 72 MB vs json.load"
    )
    args = parser.parse_args(argv)
    if args.open_org:
        return 0 if open_org(args.runs) else 1
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        users = Path(folder) / "users.json"
        write_users(users, 100_000)
        size = users.stat().st_size / 1e6
        bare_ms, app_ms = first_paint(users, args.runs)
        ratio = app_ms / bare_ms
        print(f"100,000 users ({size:.0f} MB), {args.runs} runs each:")
        print(f"  bare PySide6 window:       median {bare_ms:7.1f} ms")
        print(f"  window with --users:       median {app_ms:7.1f} ms")
        met = ratio <= RATIO_BUDGET
        verdict = "met" if met else "NOT met"
        print(f"  ratio:                     {ratio:.2f} (target <= 1.5: {verdict})")
        ok &= met
        ok &= report("100,000 users in the window", in_window(users, "zoë łast9999"))
        if args.million:
            users.unlink()
            write_users(users, 1_000_000)
            ok &= report("1,000,000 users in the window", in_window(users, "zoë łast999999"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
