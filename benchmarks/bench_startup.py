"""Cold start to the first painted window, offscreen: the app vs a bare PySide6 window.

    python benchmarks/bench_startup.py [--runs 15]

Both are started the same way, side by side in one run, each as a fresh subprocess
(`python -c ...`): the time is taken by this process from spawning the child to the child
reporting the first paint of its main window. Reports medians and the ratio (target <= 1.5).
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

# Shared by both children: report the first paint of a QMainWindow on stdout, then quit.
_HARNESS = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    done = False
    def eventFilter(self, obj, event):
        if not self.done and event.type() == QEvent.Type.Paint and isinstance(obj, QMainWindow):
            self.done = True
            sys.stdout.write("painted\\n")
            sys.stdout.flush()
            QTimer.singleShot(0, lambda: QApplication.instance().exit(0))
        return False

app = QApplication(sys.argv[:1])
watcher = FirstPaint()
app.installEventFilter(watcher)
"""

BARE = (
    _HARNESS
    + """
from PySide6.QtWidgets import QLabel
window = QMainWindow()
window.setCentralWidget(QLabel("bare"))
window.resize(1280, 800)
window.show()
sys.exit(app.exec())
"""
)

APP = (
    _HARNESS
    + """
from app.views.main_window import run_app
sys.exit(run_app(sys.argv[:1]))
"""
)


def one_run(code: str, env: dict[str, str]) -> float:
    """Seconds from spawning the child to its first-paint line."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - started
    _out, err = child.communicate(timeout=30)
    if line.strip() != "painted":
        raise RuntimeError(f"child did not paint (exit {child.returncode}): {err.strip()[-500:]}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    # The app's byte-code is compiled into its __pycache__ folders first, as an installed copy
    # has it (Python and PySide6 ship theirs): otherwise each start of the app would time
    # Python's compiler, and how much of it depended on PYTHONDONTWRITEBYTECODE or on what an
    # earlier run left behind, not on the program.
    if not compileall.compile_dir(ROOT / "app", quiet=1):
        raise RuntimeError("the app's modules do not compile")
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ)
        env.pop("PYTHONPYCACHEPREFIX", None)  # the children read the __pycache__ folders
        env.update(
            QT_QPA_PLATFORM="offscreen",
            PYTHONPATH=str(ROOT),
            XDG_CONFIG_HOME=str(Path(home) / "config"),
            QT_LOGGING_RULES="qt.qpa.*=false",
        )
        one_run(BARE, env)  # warm the OS file cache for both, equally
        one_run(APP, env)
        bare: list[float] = []
        app: list[float] = []
        for _ in range(args.runs):  # interleaved, so drift hits both alike
            bare.append(one_run(BARE, env))
            app.append(one_run(APP, env))
    bare_ms = statistics.median(bare) * 1000
    app_ms = statistics.median(app) * 1000
    ratio = app_ms / bare_ms
    print(f"runs each:              {args.runs}")
    print(f"bare PySide6 window:    median {bare_ms:7.1f} ms  (min {min(bare) * 1000:.1f})")
    print(f"registration preview:   median {app_ms:7.1f} ms  (min {min(app) * 1000:.1f})")
    verdict = "met" if ratio <= 1.5 else "NOT met"
    print(f"ratio app / bare:       {ratio:.2f}  (target <= 1.5: {verdict})")
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
