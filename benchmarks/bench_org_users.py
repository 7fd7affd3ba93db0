"""Benchmark: `reghook org users --search` on the local stand-in org, whole process, beside
`reghook request` on the demo org plus the same round trips made from a warm process.

    python benchmarks/bench_org_users.py [--runs 20]

Interleaved run by run (a busy moment on a shared machine hits every figure alike):
- the anchor: `reghook request --type ssr --user zoe` (the demo org, no network);
- `reghook org users --org URL --search user0001` (two pages of 5 users from the stand-in);
- the round trips alone: the same search from this process, modules already imported.

Goal: `org users` at most 2x the anchor plus the round trips (medians).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.logic.okta_standin import TOKEN, StandInOrg  # noqa: E402

GOAL = 2.0


def run_once(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, env=env, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-400:]!r}")
    return elapsed


def round_trips(url: str) -> float:
    from app.logic.okta_org.client import OrgClient
    from app.logic.okta_org.config import find_config
    from app.logic.okta_org.operations import search_users

    config = find_config(url, environ={"OKTA_CLIENT_TOKEN": TOKEN}, home=Path("/nonexistent"))
    started = time.perf_counter()
    with OrgClient(config) as client:
        for _page in search_users(client, "user0001"):
            pass
    return time.perf_counter() - started


def _load() -> str:
    """The machine's 1-minute load average (a shared machine's figures depend on it)."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    load_before = _load()
    org = StandInOrg().start()
    # PYTHONDONTWRITEBYTECODE would make every run compile the program's modules again (tens
    # of ms, more for the command that loads more modules): a person's installed copy, or a
    # checkout run once, has them compiled. The warm-up run below writes them.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("OKTA_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(OKTA_CLIENT_TOKEN=TOKEN, HOME="/nonexistent", PYTHONPATH=str(ROOT))
    commands = {
        "request (anchor)": [
            sys.executable,
            "-m",
            "app",
            "request",
            "--type",
            "ssr",
            "--user",
            "zoe",
        ],
        "org users --search": [
            sys.executable,
            "-m",
            "app",
            "org",
            "users",
            "--org",
            org.url,
            "--search",
            "user0001",
        ],
    }
    try:
        for argv in commands.values():
            run_once(argv, env)
        round_trips(org.url)
        wall: dict[str, list[float]] = {name: [] for name in commands}
        trips: list[float] = []
        for _ in range(max(5, args.runs)):
            for name, argv in commands.items():
                wall[name].append(run_once(argv, env))
            trips.append(round_trips(org.url))
    finally:
        org.stop()
    med = statistics.median
    anchor, users, trip = med(wall["request (anchor)"]), med(wall["org users --search"]), med(trips)
    budget = GOAL * anchor + trip
    fastest = {name: min(times) for name, times in wall.items()}
    print(f"load average before / after: {load_before} / {_load()}")
    print(
        f"request (anchor)      {anchor * 1000:7.1f} ms median, "
        f"{fastest['request (anchor)'] * 1000:7.1f} ms min"
    )
    print(
        f"org users --search    {users * 1000:7.1f} ms median, "
        f"{fastest['org users --search'] * 1000:7.1f} ms min  ({users / anchor:.2f}x the anchor)"
    )
    print(
        f"round trips alone     {trip * 1000:7.1f} ms median, {min(trips) * 1000:7.1f} ms min "
        "(2 pages, warm process)"
    )
    print(
        f"goal (medians): <= 2x anchor + round trips = {budget * 1000:.1f} ms -> "
        f"{'met' if users <= budget else 'NOT met'}"
    )
    return 0 if users <= budget else 1


if __name__ == "__main__":
    raise SystemExit(main())
