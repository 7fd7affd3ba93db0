"""Time the verdict of a legal answer just under Okta's 256 KB limit (budget: < 20 ms).

Three shapes: thousands of progressive update commands; one update command with thousands of
attributes of an org that has them; and thousands of attributes the org lacks (not legal, but
it must stay quick: "did you mean" is worked out for the first few only).

Run: python benchmarks/bench_verdict.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.logic import okta
from app.logic.answer import HookAnswer
from app.logic.org import AttributeDef, UserSchema, load_demo_org
from app.logic.request_builder import PP, SSR, build_request
from app.logic.verdict import interpret_response

BUDGET_MS = 20.0
LIMIT = okta.MAX_RESPONSE_BYTES - 1024  # legal: under 256 KB


def _fill(make: Any) -> tuple[dict[str, Any], bytes]:
    """The largest answer `make(n)` gives under LIMIT bytes."""
    low, high = 1, 20000
    while low < high:
        mid = (low + high + 1) // 2
        if len(json.dumps(make(mid)).encode()) < LIMIT:
            low = mid
        else:
            high = mid - 1
    value = make(low)
    return value, json.dumps(value).encode()


def many_commands(n: int) -> dict[str, Any]:
    command = {"type": okta.PROGRESSIVE_UPDATE, "value": {"employeeNumber": "1234"}}
    return {"commands": [command] * n}


def many_attributes(n: int) -> dict[str, Any]:
    value = {f"customAttribute{i:05d}": f"value {i}" for i in range(n)}
    return {"commands": [{"type": okta.PROFILE_UPDATE, "value": value}]}


def big_schema(base: UserSchema, n: int = 20000) -> UserSchema:
    attributes = dict(base.attributes)
    for i in range(n):
        name = f"customAttribute{i:05d}"
        attributes[name] = AttributeDef(name, name, "string", False, False, True)
    return UserSchema(attributes)


def measure(request: dict[str, Any], body: bytes, schema: UserSchema, runs: int) -> list[float]:
    answer = HookAnswer(status=200, headers={"content-type": "application/json"}, body=body)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        interpret_response(request, answer, schema)
        times.append((time.perf_counter() - started) * 1000.0)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    org = load_demo_org()
    user = org.find("zoe.lukasiewicz@okta.com")
    pp = build_request(PP, user, form={"employeeNumber": "1234"}, seed=1)
    ssr = build_request(SSR, user, seed=1)
    wide = big_schema(org.schema)
    cases = [
        ("thousands of update commands", pp, *_fill(many_commands), org.schema, True),
        ("thousands of attributes the org has", ssr, *_fill(many_attributes), wide, True),
        ("thousands of attributes the org lacks", ssr, *_fill(many_attributes), org.schema, False),
    ]
    worst = 0.0
    for name, request, value, body, schema, legal in cases:
        times = measure(request, body, schema, args.runs)
        median = statistics.median(times)
        if legal:
            worst = max(worst, median)
        count = (
            len(value["commands"])
            if len(value["commands"]) > 1
            else len(value["commands"][0]["value"])
        )
        print(
            f"{name}: {len(body) / 1024:.0f} KB ({count}), median {median:.1f} ms, "
            f"p95 {sorted(times)[int(len(times) * 0.95) - 1]:.1f} ms"
        )
    verdict = "ok" if worst < BUDGET_MS else "OVER BUDGET"
    print(f"worst median of the legal answers: {worst:.1f} ms (budget {BUDGET_MS:g} ms): {verdict}")
    return 0 if worst < BUDGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
