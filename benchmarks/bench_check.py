"""Benchmark: `reghook check` on 1,000 scenario files, whole process, beside an anchor.

    python benchmarks/bench_check.py [--scenarios 1000] [--runs 5]

The scenarios are the conformance suite's cases repeated, each its own file (so reading and
checking files counts). Three figures, medians of `--runs` whole processes:
- the anchor: `python -c "import json"` (what an empty Python process costs on this machine);
- `check` against the bundled endpoints (goal: under 1 s, whole process);
- `check --jobs 8` against the hook service on 127.0.0.1 (goal: >= 1,000 scenarios/s),
  reported both whole-process and for the run alone (`elapsed_ms` of `check --json`).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.logic.service import ServiceRunner, bind_socket, create_app  # noqa: E402

SUITE = ROOT / "fixtures" / "scenarios" / "guide"
USER, PASSWORD = "bench", "bench-secret"


def write_scenarios(folder: Path, count: int) -> None:
    cases = sorted(SUITE.rglob("*.json"))
    for number, case in zip(range(count), itertools.cycle(cases), strict=False):
        scenario = json.loads(case.read_text(encoding="utf-8"))
        scenario["name"] = f"{scenario['name']} #{number}"
        (folder / f"{number:05d}.json").write_text(json.dumps(scenario), encoding="utf-8")


CPU: dict[str, list[float]] = {}


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv: list[str], env: dict[str, str], what: str = "") -> tuple[float, str]:
    """Wall time of the whole process (and its CPU time under `what`, since a shared machine
    stretches wall time while CPU time stays near what the work costs)."""
    cpu = _child_cpu()
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - started
    if what:
        CPU.setdefault(what, []).append(_child_cpu() - cpu)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:4])}... exited {done.returncode}: {done.stderr[-500:]}")
    return elapsed, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenarios", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "scenarios"
        folder.mkdir()
        write_scenarios(folder, args.scenarios)
        env = {**os.environ, "REGHOOK_DATA_DIR": str(Path(tmp) / "data")}
        check = [python, "-m", "app", "check", str(folder)]
        anchor, bundled, bundled_history, whole, runs = [], [], [], [], []
        app = create_app(USER, PASSWORD, log=lambda _line: None)
        with ServiceRunner(app, bind_socket("127.0.0.1", 0)).start_in_thread() as service:
            remote = [*check, "--url", service.url, "--basic", f"{USER}:{PASSWORD}"]
            remote += ["--jobs", "8", "--json", "--no-history"]
            timed(remote, env)  # warm up the service and the file cache
            for _ in range(args.runs):  # interleaved, so a busy moment hits every figure
                anchor.append(timed([python, "-c", "import json"], env, "anchor")[0])
                bundled.append(timed([*check, "--no-history"], env, "bundled")[0])
                bundled_history.append(timed(check, env, "history")[0])
                elapsed, out = timed(remote, env, "remote")
                whole.append(elapsed)
                runs.append(json.loads(out)["elapsed_ms"] / 1000.0)
            engine = service.engine
    n = args.scenarios
    med = statistics.median
    print(f"{n} scenarios, median of {args.runs} whole processes (min in brackets)")
    cpu = {what: med(values) for what, values in CPU.items()}
    print(
        f"  anchor: python -c 'import json'        {med(anchor):6.3f} s ({min(anchor):.3f})"
        f"  CPU {cpu['anchor']:.3f} s"
    )
    print(
        f"  check, bundled endpoints, --no-history  {med(bundled):6.3f} s ({min(bundled):.3f})"
        f"  CPU {cpu['bundled']:.3f} s  goal < 1 s: {'OK' if med(bundled) < 1.0 else 'OVER'}"
    )
    print(
        f"  check, bundled endpoints, history on    {med(bundled_history):6.3f} s "
        f"({min(bundled_history):.3f})  CPU {cpu['history']:.3f} s"
    )
    rate_whole, rate_run = n / med(whole), n / med(runs)
    print(
        f"  check --jobs 8, service ({engine}) on 127.0.0.1: whole process {med(whole):.3f} s "
        f"= {rate_whole:,.0f}/s (check's CPU {cpu['remote']:.3f} s); the run alone "
        f"{med(runs):.3f} s = {rate_run:,.0f}/s"
        f"  goal >= 1,000/s: {'OK' if rate_whole >= 1000 else 'UNDER'}"
    )
    return 0 if med(bundled) < 1.0 and rate_whole >= 1000 else 1


if __name__ == "__main__":
    raise SystemExit(main())
