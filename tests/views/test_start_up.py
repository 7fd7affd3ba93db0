"""What the window's start loads before its first paint: only what that paint shows.

Each check runs a fresh `python` (PySide6 creates its Python types once per process, and this
test process has long since created them all). A Qt class PySide6 has not created yet is
missing from its module's `__dict__`, which is how these see what was loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Built on first use, never for the first paint.
DEFERRED_MODULES = (
    "app.views.remote_panel",
    "app.views.form_fields_dialog",
    "app.views.problem_list",
    "app.views.verdict_details",
    "app.views.headers_dialog",
    "app.views.okta_config_dialog",
    "app.views.okta_org_dialog",
    "app.logic.okta_org.client",
    "httpx",
    "keyring",  # about 0.2 s with its backend's detection (benchmarks/bench_keyring.py)
    "asyncio",
    "jsonschema",
)
DEFERRED_CLASSES = (
    "QStyle",
    "QMessageBox",
    "QFileDialog",
    "QDialog",
    "QTableWidget",
    "QListWidget",
    "QWizard",
    "QGradient",  # QtGui: its 170 presets come with any QPainter.fillRect
)

FIRST_PAINT = """
import json, sys
from app.cli import main
code = main([])
from PySide6 import QtGui, QtWidgets
made = {**QtGui.__dict__, **QtWidgets.__dict__}
print(json.dumps({
    "code": code,
    "modules": [m for m in MODULES if m in sys.modules],
    "classes": [c for c in CLASSES if c in made],
}))
"""

VIEWPORT = """
import json
from PySide6 import QtWidgets
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QScrollArea
from app.views.viewport import viewport_of
app = QApplication([])
editor, area = QPlainTextEdit(), QScrollArea()
found = [viewport_of(editor), viewport_of(area)]
same = found[0] is editor.viewport() and found[1] is area.viewport()
quiet = "QWizard" not in QtWidgets.__dict__
QScrollArea().viewport()  # the plain call: PySide6 now loads every QWidget subclass
print(json.dumps({"same": same, "quiet": quiet, "loud": "QWizard" in QtWidgets.__dict__}))
"""


def run_python(code: str, tmp_path: Path, **env: str) -> dict:
    environ = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
        "REGHOOK_DATA_DIR": str(tmp_path / "data"),
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=environ,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_first_paint_loads_no_dialog_table_style_or_network_code(tmp_path: Path) -> None:
    code = FIRST_PAINT.replace("MODULES", repr(DEFERRED_MODULES)).replace(
        "CLASSES", repr(DEFERRED_CLASSES)
    )
    seen = run_python(code, tmp_path, REGHOOK_REPORT_FIRST_PAINT="1")
    assert seen == {"code": 0, "modules": [], "classes": []}


def test_a_remembered_remote_target_looks_for_the_keyring_after_the_first_paint(
    tmp_path: Path,
) -> None:
    # The remote settings are built for the first paint here; `keyring` still waits for it.
    folder = tmp_path / "config" / "reghook-preview" / "reghook-preview"
    folder.mkdir(parents=True)
    (folder / "settings.ini").write_text(
        "[request]\ntarget=remote\n[remote]\nurl=http://127.0.0.1:9/registrationHookSSR\n"
        "keyring_remember=true\n",
        encoding="utf-8",
    )
    code = FIRST_PAINT.replace("MODULES", repr(("app.views.remote_panel", "keyring"))).replace(
        "CLASSES", "()"
    )
    seen = run_python(
        code,
        tmp_path,
        REGHOOK_REPORT_FIRST_PAINT="1",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    assert seen == {"code": 0, "modules": ["app.views.remote_panel"], "classes": []}


def test_viewport_of_gives_the_viewport_without_loading_every_widget_class(
    tmp_path: Path,
) -> None:
    seen = run_python(VIEWPORT, tmp_path)
    # The same objects, without the type search; the plain call shows what it would cost.
    assert seen == {"same": True, "quiet": True, "loud": True}
