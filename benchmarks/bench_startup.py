"""Cold start to the first painted window, offscreen: `python -m app` vs a bare PySide6 window.

    python benchmarks/bench_startup.py [--runs 15] [--also OTHER_CHECKOUT]

Both are whole processes started the same way, interleaved in one run: `python -m app` (the
README's command; the app prints the time of its main window's first paint when
REGHOOK_REPORT_FIRST_PAINT is set) and `python -c` with a bare QMainWindow that prints the
same. The time is from just before the spawn to the printed time of the first paint. Reports
medians and the ratio (target <= 1.5). `--also DIR` interleaves a third process, `python -m
app` of another copy of the project (an older commit, say), to see what a change costs.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.5

BARE = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj is window:
            sys.stdout.write(f"painted {time.time():.6f}\\n")
            sys.stdout.flush()
            window.removeEventFilter(self)
            QTimer.singleShot(0, lambda: app.exit(0))
        return False

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("bare"))
window.resize(1280, 800)
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
sys.exit(app.exec())
"""

APP = ["-m", "app"]


def one_run(args: list[str], env: dict[str, str], root: Path = ROOT) -> float:
    """Seconds from just before spawning the child (in `root`) to its first paint."""
    started = time.time()
    child = subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**env, "PYTHONPATH": str(root)},
        cwd=root,
    )
    assert child.stdout is not None
    line = child.stdout.readline().split()
    _out, err = child.communicate(timeout=30)
    if len(line) != 2 or line[0] != "painted":
        raise RuntimeError(f"child did not paint (exit {child.returncode}): {err.strip()[-500:]}")
    return float(line[1]) - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--also", type=Path, help="another copy of the project to time too")
    args = parser.parse_args(argv)
    other: Path | None = args.also.resolve() if args.also else None
    if other is not None and not compileall.compile_dir(other / "app", quiet=1):
        raise RuntimeError(f"{other}'s modules do not compile")
    # The app's byte-code is compiled into its __pycache__ folders first, as an installed copy
    # has it (Python and PySide6 ship theirs): otherwise each start would time the compiler.
    if not compileall.compile_dir(ROOT / "app", quiet=1):
        raise RuntimeError("the app's modules do not compile")
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ)
        env.pop("PYTHONPYCACHEPREFIX", None)  # the children read the __pycache__ folders
        env.update(
            QT_QPA_PLATFORM="offscreen",
            PYTHONPATH=str(ROOT),
            HOME=home,
            XDG_CONFIG_HOME=str(Path(home) / "config"),
            QT_LOGGING_RULES="qt.qpa.*=false",
            REGHOOK_REPORT_FIRST_PAINT="1",
        )
        bare_args = ["-c", BARE]
        one_run(bare_args, env)  # warm the OS file cache for both, equally
        one_run(APP, env)
        bare: list[float] = []
        app: list[float] = []
        also: list[float] = []
        for _ in range(args.runs):  # interleaved, so drift hits both alike
            bare.append(one_run(bare_args, env))
            app.append(one_run(APP, env))
            if other is not None:
                also.append(one_run(APP, env, other))
    bare_ms = statistics.median(bare) * 1000
    app_ms = statistics.median(app) * 1000
    ratio = app_ms / bare_ms
    print(f"runs each:              {args.runs}")
    print(f"bare PySide6 window:    median {bare_ms:7.1f} ms  (min {min(bare) * 1000:.1f})")
    print(f"python -m app:          median {app_ms:7.1f} ms  (min {min(app) * 1000:.1f})")
    if also:
        also_ms = statistics.median(also) * 1000
        print(f"the other copy:         median {also_ms:7.1f} ms  (min {min(also) * 1000:.1f})")
        print(f"ratio other / bare:     {also_ms / bare_ms:.2f}")
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(f"ratio app / bare:       {ratio:.2f}  (target <= {TARGET}: {verdict})")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
