"""Benchmark: one whole preview with the bundled hook, as the window runs it.

build request -> serialise -> validate request -> bundled endpoint -> validate response -> verdict.
Run: `python benchmarks/bench_preview.py [--runs N]`. Goal: median under 1 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.logic.bundled_hook import HookRules
from app.logic.org import load_demo_org
from app.logic.request_builder import PP, SSR, build_request, dumps_request
from app.logic.run.pipeline import run_exchange
from app.logic.targets import BundledTarget
from app.logic.validation import validate_response

CASES = [
    ("/registrationHookSSR", SSR, "zoe.lukasiewicz@okta.com", {}),
    ("/registrationHookSSR", SSR, "rosario.jones@example.com", {}),
    ("/registrationHookPP", PP, "rosario.jones@example.com", {"employeeNumber": "1234"}),
    ("/registrationHookSSRandPP", PP, "rosario.jones@example.com", {"employeeNumber": "12345"}),
    ("/registrationHookSSRandPP", SSR, "priya.raghunathan@okta.com", {}),
]


def one_preview(org, endpoint: str, kind: str, login: str, form: dict, now: datetime) -> None:
    user = org.find(login)
    text = dumps_request(build_request(kind, user, form=form or None, seed=1, now=now))
    result = run_exchange(text, BundledTarget(endpoint, HookRules()), schema=org.schema)
    validate_response(result.response_text())
    assert result.verdict is not None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    org = load_demo_org()
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for case in CASES * 50:  # warm up: schemas compiled, caches filled
        one_preview(org, *case, now)
    print(f"one whole preview, {args.runs} runs per case")
    print(f"{'endpoint':28} {'request type':26} {'median ms':>9} {'p95 ms':>7} {'max ms':>7}")
    medians = []
    for case in CASES:
        samples = []
        for _ in range(args.runs):
            started = time.perf_counter()
            one_preview(org, *case, now)
            samples.append((time.perf_counter() - started) * 1000.0)
        samples.sort()
        median = statistics.median(samples)
        medians.append(median)
        p95 = samples[int(len(samples) * 0.95)]
        print(f"{case[0]:28} {case[1]:26} {median:9.3f} {p95:7.3f} {samples[-1]:7.3f}")
    worst = max(medians)
    print(f"worst median: {worst:.3f} ms (goal < 1 ms): {'OK' if worst < 1.0 else 'OVER'}")
    return 0 if worst < 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
