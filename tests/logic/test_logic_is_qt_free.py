"""`app/logic` is plain Python: no module under it may import Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

LOGIC_DIR = Path(__file__).resolve().parents[2] / "app" / "logic"
QT_PACKAGES = ("PySide6", "PyQt5", "PyQt6", "PySide2", "shiboken6", "qtpy")


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_logic_module_names_qt() -> None:
    modules = sorted(LOGIC_DIR.rglob("*.py"))
    assert modules, "app/logic has no modules"
    offenders = {
        str(path.relative_to(LOGIC_DIR)): sorted(_imported_roots(path) & set(QT_PACKAGES))
        for path in modules
    }
    assert {name: qt for name, qt in offenders.items() if qt} == {}


def test_importing_every_logic_module_loads_no_qt() -> None:
    # Catches indirect imports too: a logic module importing a helper that imports Qt.
    names = [
        "app.logic." + ".".join(path.relative_to(LOGIC_DIR).with_suffix("").parts)
        for path in sorted(LOGIC_DIR.rglob("*.py"))
        if path.name != "__init__.py"
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {QT_PACKAGES!r})\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=LOGIC_DIR.parents[1],
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
