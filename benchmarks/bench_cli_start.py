"""Benchmark: `reghook request --type ssr --user zoe`, whole process, beside an empty Python.

    python benchmarks/bench_cli_start.py [--runs 30]

Interleaved run by run (so a busy moment on a shared machine hits every figure alike):
- the anchor: `python -c "import json, argparse"`;
- `reghook request`: what the `reghook` console script runs (`from app.cli import main`);
- `python -m app request`: the same through `-m` (runpy adds a few milliseconds).

Goal: `reghook request` at most 2.5x the anchor (medians). Two settings, reported apart:
- bytecode cached, as an installed package runs (pip compiles on install): a temporary
  `PYTHONPYCACHEPREFIX`, filled by a warm-up run, nothing written into the tree;
- no bytecode for the app (`PYTHONDONTWRITEBYTECODE=1` and no `__pycache__` in a source
  checkout): every app module is compiled from source at each start.
Wall-clock medians (min in brackets) and the CPU time of each process (median).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 2.5
ARGS = ["request", "--type", "ssr", "--user", "zoe"]


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    cpu = _child_cpu()
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, env=env, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-400:]!r}")
    return elapsed, _child_cpu() - cpu


def measure(commands: dict[str, list[str]], env: dict[str, str], runs: int) -> dict[str, tuple]:
    for argv in commands.values():  # warm-up: file cache, and the bytecode when it is cached
        run_once(argv, env)
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            elapsed, used = run_once(argv, env)
            wall[name].append(elapsed)
            cpu[name].append(used)
    med = statistics.median
    return {name: (med(wall[name]), min(wall[name]), med(cpu[name])) for name in commands}


def report(title: str, figures: dict[str, tuple]) -> float:
    anchor = figures["anchor"][0]
    print(title)
    for name, (median, least, cpu) in figures.items():
        ratio = "" if name == "anchor" else f"  {median / anchor:.2f}x the anchor"
        print(
            f"  {name:24s} {median * 1000:6.1f} ms ({least * 1000:.1f})  "
            f"CPU {cpu * 1000:5.1f} ms{ratio}"
        )
    return figures["reghook request"][0] / anchor


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30, help="interleaved runs (at least 20)")
    args = parser.parse_args()
    runs = max(20, args.runs)
    python = sys.executable
    commands = {
        "anchor": [python, "-c", "import json, argparse"],
        "reghook request": [
            python,
            "-c",
            "import sys; from app.cli import main; sys.exit(main())",
            *ARGS,
        ],
        "python -m app request": [python, "-m", "app", *ARGS],
    }
    base = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    with tempfile.TemporaryDirectory() as cache:
        cached = measure(commands, {**base, "PYTHONPYCACHEPREFIX": cache}, runs)
    uncached = measure(commands, {**base, "PYTHONDONTWRITEBYTECODE": "1"}, runs)
    print(f"median of {runs} interleaved runs, whole processes")
    ratio = report("bytecode cached (as installed):", cached)
    report("no bytecode for the app (compiled at each start):", uncached)
    verdict = "OK" if ratio <= GOAL else "OVER"
    print(f"reghook request / anchor, bytecode cached: {ratio:.2f}x  goal <= {GOAL}x: {verdict}")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
