"""Hold mypy's error count per file to `mypy-baseline.txt`: it may only shrink.

    python scripts/mypy_baseline.py            # run mypy on app/, fail if a file has more errors
    python scripts/mypy_baseline.py --update   # write the counts of today (after fixing some)

The baseline lists "<count> <path>" per file with errors. A file not listed may have none. When
a file has fewer errors than listed, the run passes and says to lower the baseline with
--update, so the next change cannot quietly spend what was fixed.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "mypy-baseline.txt"
_ERROR = re.compile(r"^(?P<path>[^:\s]+\.py):\d+(?::\d+)?: error: ")


def count_errors(output: str) -> Counter[str]:
    """Errors per file in mypy's output (notes and the summary line are not errors)."""
    counts: Counter[str] = Counter()
    for line in output.splitlines():
        found = _ERROR.match(line)
        if found:
            counts[found.group("path").replace("\\", "/")] += 1
    return counts


def read_baseline(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            number, path = line.split(maxsplit=1)
            counts[path] = int(number)
    return counts


def format_baseline(counts: Counter[str]) -> str:
    lines = ["# mypy errors per file (scripts/mypy_baseline.py): these may only go down."]
    lines += [f"{counts[path]} {path}" for path in sorted(counts) if counts[path]]
    return "\n".join(lines) + "\n"


def compare(now: Counter[str], allowed: Counter[str]) -> tuple[list[str], list[str]]:
    """(files over their allowance, files under it), each as a readable line."""
    grown = [
        f"{path}: {now[path]} errors, the baseline allows {allowed[path]}"
        for path in sorted(now)
        if now[path] > allowed[path]
    ]
    shrunk = [
        f"{path}: {now[path]} errors, down from {allowed[path]}"
        for path in sorted(allowed)
        if now[path] < allowed[path]
    ]
    return grown, shrunk


def run_mypy(command: list[str] | None = None) -> str:
    done = subprocess.run(
        command or [sys.executable, "-m", "mypy", "app"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    # 2: mypy itself failed (bad config, crash). 1 without a single error line is not mypy
    # finding errors but Python failing to run it ("No module named mypy"): counting that as
    # zero errors would pass every run.
    if done.returncode not in (0, 1) or (done.returncode == 1 and not count_errors(done.stdout)):
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(2)
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="write today's counts")
    args = parser.parse_args(argv)
    now = count_errors(run_mypy())
    if args.update:
        BASELINE.write_text(format_baseline(now), encoding="utf-8")
        print(f"{sum(now.values())} errors in {len(now)} files written to {BASELINE.name}")
        return 0
    grown, shrunk = compare(now, read_baseline(BASELINE.read_text(encoding="utf-8")))
    for line in grown:
        print(f"more mypy errors than {BASELINE.name} allows: {line}")
    for line in shrunk:
        print(f"fewer mypy errors: {line} (run with --update to keep it so)")
    print(f"mypy: {sum(now.values())} errors in {len(now)} files")
    return 1 if grown else 0


if __name__ == "__main__":
    raise SystemExit(main())
