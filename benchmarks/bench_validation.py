"""Time validating a 1 MB hook request, valid and with errors (budget: well under 100 ms).

Run: python benchmarks/bench_validation.py [--runs N] [--size BYTES]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.logic.org import load_demo_org
from app.logic.request_builder import SSR, build_request, dumps_request
from app.logic.validation import parse_json, validate_request

BUDGET_MS = 100.0


def large_request(size: int) -> dict[str, Any]:
    """A self-service registration whose form carries enough extra attributes to reach `size`."""
    user = load_demo_org().find("zoe.lukasiewicz@okta.com")
    assert user is not None
    now = datetime(2022, 4, 25, tzinfo=UTC)
    form: dict[str, Any] = {}
    request = build_request(SSR, user, seed=1, now=now)
    index = 0
    while len(dumps_request(request).encode()) < size:
        # Add attributes in batches, sized from how far off the target the document still is.
        batch = max(1, (size - len(dumps_request(request).encode())) // 120)
        for _ in range(batch):
            form[f"customAttribute{index:05d}"] = _attribute_value(index)
            index += 1
        request = build_request(SSR, user, form=form, seed=1, now=now)
    return request


def _attribute_value(index: int) -> Any:
    """A realistic mix: strings, numbers, small arrays, booleans."""
    kind = index % 4
    if kind == 0:
        return f"Value {index} for Zoë Łukasiewicz, department of identity engineering"
    if kind == 1:
        return index * 37
    if kind == 2:
        return ["reader", "writer", f"group-{index}"]
    return index % 3 == 0


def with_errors(request: dict[str, Any]) -> dict[str, Any]:
    """The same request with problems scattered from the top to the bottom of the document."""
    broken = json.loads(json.dumps(request))
    broken["eventTime"] = "yesterday"
    broken["data"]["context"]["request"]["url"]["value"] = "/idp/idx/enroll/update"
    profile = broken["data"]["userProfile"]
    profile["email"] = 1234
    names = list(profile)
    for name in names[:: max(1, len(names) // 40)]:
        profile[name] = {"nested": "objects are not profile values"}
    broken["data"]["action"] = "DENY"
    return broken


def measure(label: str, run: Callable[[], object], runs: int) -> float:
    run()  # first call compiles the schema; measured separately below
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000.0)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    print(f"{label:<44} median {median:7.2f} ms   p95 {p95:7.2f} ms   ({runs} runs)")
    return median


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="timed runs per case (default 50)")
    parser.add_argument("--size", type=int, default=1_000_000, help="document size in bytes")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    validate_request("{}")
    first_ms = (time.perf_counter() - started) * 1000
    print(f"first call (loads and compiles the schema): {first_ms:.1f} ms")

    valid_text = dumps_request(large_request(args.size))
    broken_text = dumps_request(with_errors(json.loads(valid_text)))
    valid = validate_request(valid_text)
    broken = validate_request(broken_text)
    assert valid.ok, valid.problems[:3]
    assert not broken.ok
    print(
        f"valid document: {len(valid_text.encode()):,} bytes; "
        f"document with errors: {len(broken_text.encode()):,} bytes, "
        f"{len(broken.problems)} problems"
    )

    measure("json parse only (1 MB)", lambda: parse_json(valid_text), args.runs)
    median_valid = measure(
        "validate_request, valid (1 MB)", lambda: validate_request(valid_text), args.runs
    )
    median_broken = measure(
        "validate_request, with errors (1 MB)", lambda: validate_request(broken_text), args.runs
    )
    worst = max(median_valid, median_broken)
    verdict = "within" if worst < BUDGET_MS else "OVER"
    print(f"{verdict} the {BUDGET_MS:.0f} ms budget (worst median {worst:.1f} ms)")
    return 0 if worst < BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
