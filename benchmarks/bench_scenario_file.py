"""Benchmark: N scenarios in one file load as fast as the same N as separate files.

    python benchmarks/bench_scenario_file.py [--scenarios 10000] [--runs 3]

The anchor is the same scenarios written one per file and read by the same `load_paths` in the
same run (so the figures share the machine's moment). Goal: one file <= 1.2x the anchor. Each
scenario is placed in its file (for its line number), which once cost a parse of the whole file
per scenario; a second size a tenth as large shows the cost grows linearly.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.logic.org import load_demo_org  # noqa: E402
from app.logic.run.scenarios import load_paths  # noqa: E402

SUITE = ROOT / "fixtures" / "scenarios" / "guide"
GOAL = 1.2


def scenarios(count: int) -> list[dict[str, object]]:
    cases = [json.loads(case.read_text(encoding="utf-8")) for case in sorted(SUITE.rglob("*.json"))]
    made = []
    for number, case in zip(range(count), itertools.cycle(cases), strict=False):
        made.append({**case, "name": f"{case['name']} #{number}"})
    return made


def write_both(folder: Path, count: int) -> tuple[Path, Path]:
    items = scenarios(count)
    one = folder / f"one-{count}.json"
    one.write_text(json.dumps({"scenarios": items}, indent=2), encoding="utf-8")
    separate = folder / f"separate-{count}"
    separate.mkdir()
    for number, item in enumerate(items):
        (separate / f"{number:05d}.json").write_text(json.dumps(item, indent=2), encoding="utf-8")
    return one, separate


def timed_load(path: Path, count: int) -> float:
    org = load_demo_org()
    started = time.perf_counter()
    loaded, errors = load_paths([path], org)
    elapsed = time.perf_counter() - started
    if errors or len(loaded) != count:
        raise SystemExit(f"{path}: {len(loaded)} scenarios, errors {errors[:1]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenarios", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    med = statistics.median
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for count in (args.scenarios // 10, args.scenarios):
            one, separate = write_both(Path(tmp), count)
            timed_load(one, count)  # warm up imports and the file cache
            ones, separates = [], []
            for _ in range(args.runs):  # interleaved, so a busy moment hits both
                separates.append(timed_load(separate, count))
                ones.append(timed_load(one, count))
            results[count] = (med(ones), med(separates))
    print(f"median of {args.runs} loads (load_paths, demo org given)")
    for count, (one_s, separate_s) in results.items():
        ratio = one_s / separate_s
        verdict = "OK" if ratio <= GOAL else "OVER"
        print(
            f"  {count:>6,} scenarios: one file {one_s:7.3f} s, anchor {count:,} files "
            f"{separate_s:7.3f} s, ratio {ratio:.2f}  goal <= {GOAL}x: {verdict}"
        )
        ok = ok and ratio <= GOAL
    small, large = sorted(results)
    growth = results[large][0] / results[small][0]
    print(f"  one file, {large:,} / {small:,} scenarios: {growth:.1f}x the time (linear: ~10x)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
