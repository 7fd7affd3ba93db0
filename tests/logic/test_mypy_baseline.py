"""The mypy baseline check: errors per file are counted from mypy's output, and a file with
more errors than its allowance fails the check while fewer only asks to lower it."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("mypy_baseline", ROOT / "scripts/mypy_baseline.py")
assert _spec is not None and _spec.loader is not None
baseline = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(baseline)

OUTPUT = """\
app/views/menus.py:12: error: "MainWindow" has no attribute "x"  [attr-defined]
app/views/menus.py:12: note: see the docs
app/views/menus.py:40:7: error: Incompatible types  [assignment]
app\\logic\\org.py:3: error: Missing  [misc]
Found 3 errors in 2 files (checked 117 source files)
"""


def test_errors_are_counted_per_file() -> None:
    assert baseline.count_errors(OUTPUT) == Counter(
        {"app/views/menus.py": 2, "app/logic/org.py": 1}
    )


def test_more_errors_fail_fewer_ask_to_lower_the_baseline() -> None:
    allowed = baseline.read_baseline("# header\n2 app/views/menus.py\n1 app/logic/org.py\n")
    grown, shrunk = baseline.compare(Counter({"app/views/menus.py": 3}), allowed)
    assert grown == ["app/views/menus.py: 3 errors, the baseline allows 2"]
    assert shrunk == ["app/logic/org.py: 0 errors, down from 1"]
    grown, _ = baseline.compare(Counter({"app/new.py": 1}), allowed)
    assert grown == ["app/new.py: 1 errors, the baseline allows 0"]


def test_the_baseline_file_reads_back_what_was_written() -> None:
    counts = Counter({"app/b.py": 2, "app/a.py": 1, "app/c.py": 0})
    text = baseline.format_baseline(counts)
    assert text.splitlines()[1:] == ["1 app/a.py", "2 app/b.py"]
    assert baseline.read_baseline(text) == Counter({"app/a.py": 1, "app/b.py": 2})


def test_the_repository_has_a_baseline() -> None:
    assert baseline.read_baseline((ROOT / "mypy-baseline.txt").read_text(encoding="utf-8"))


def test_a_mypy_that_cannot_run_fails_instead_of_counting_no_errors() -> None:
    import sys

    import pytest

    # What a venv without mypy gives: exit 1, "No module named mypy", no error lines.
    with pytest.raises(SystemExit) as stopped:
        baseline.run_mypy([sys.executable, "-m", "no_such_module_for_mypy_baseline"])
    assert stopped.value.code == 2
