"""Running scenarios through the one pipeline, one after another or on N threads.

`run_scenarios` keeps the scenarios' order in its results whatever order they finish in, and
calls `on_result` on the caller's thread (a progress bar, a table row, a history record).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.logic.run.scenarios import Scenario, match_expected

if TYPE_CHECKING:
    from app.logic.org import UserSchema
    from app.logic.run.exchange import Exchange
    from app.logic.targets.base import Target
    from app.logic.verdict import Verdict

__all__ = [
    "NoTarget",
    "ScenarioResult",
    "TargetChooser",
    "call_failed",
    "can_fork",
    "run_scenario",
    "run_scenarios",
    "summary_line",
]


class NoTarget(ValueError):
    """Neither the command line nor the scenario says where to send the request."""


@dataclass(frozen=True)
class ScenarioResult:
    """How one scenario went: the exchange (None when it could not be sent), pass or fail, and
    for a failure the first difference between what it expects and what happened."""

    scenario: Scenario
    passed: bool
    difference: str
    elapsed_ms: float
    exchange: Exchange | None = None
    target_label: str = ""

    @property
    def verdict_json(self) -> dict[str, Any] | None:
        ex = self.exchange
        return ex.verdict.to_json() if ex is not None and ex.verdict is not None else None

    def to_json(self) -> dict[str, Any]:
        verdict = self.verdict_json
        return {
            "name": self.scenario.name,
            "file": self.scenario.label,
            "target": self.target_label,
            "passed": self.passed,
            "difference": self.difference,
            "elapsed_ms": round(self.elapsed_ms, 3),
            "status": _status_of(self.exchange),
            "outcome": verdict["outcome"] if verdict else None,
            "hook_failed": verdict["hook_failed"] if verdict else None,
        }


def _status_of(exchange: Exchange | None) -> int | None:
    """The HTTP status the hook answered with (None when nothing came back)."""
    answer = exchange.answer if exchange is not None else None
    return answer.status if answer is not None else None


def call_failed(verdict: Verdict) -> bool:
    """True when Okta would treat the call as failed or the answer as invalid."""
    from app.logic.verdict import Severity

    return verdict.hook_failed or any(p.severity is Severity.ERROR for p in verdict.problems)


class TargetChooser:
    """Picks the target of each scenario: the command line's choice, else the scenario's own.

    `endpoint` (a bundled endpoint) or `url_target` (a `UrlTarget`) override the scenario's
    `target`. A `url_target` whose URL has no path (`http://127.0.0.1:8082` or `.../`) is a
    base: a scenario whose target is an endpoint path is sent to that path on it, so one run
    covers every endpoint of a service. `url_template` (a `UrlTarget` whose address is not
    used) gives a scenario's own URL its auth and call settings.
    """

    def __init__(
        self,
        endpoint: str | None = None,
        url_target: Target | None = None,
        url_template: Target | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.url_target = url_target
        self.url_template = url_template
        self._cache: dict[tuple[Any, ...], Target] = {}

    def __call__(self, scenario: Scenario) -> Target:
        key = (scenario.target, _rules_key(scenario.rules))
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._choose(scenario)
        return found

    def _choose(self, scenario: Scenario) -> Target:
        from app.logic.targets import BundledTarget, UrlTarget
        from app.logic.targets.base import endpoint_url, is_base_url
        from app.logic.targets.bundled import endpoint_path

        own = scenario.target
        own_is_url = own is not None and own.startswith(("http://", "https://"))
        if self.url_target is not None:
            base = self.url_target
            address = getattr(base, "address", None)
            if address and own and not own_is_url and is_base_url(address):
                joined = endpoint_url(address, endpoint_path(own))
                return dataclasses.replace(base, address=joined)  # type: ignore[type-var]
            return base
        endpoint = self.endpoint or (own if own and not own_is_url else None)
        if endpoint is not None:
            return BundledTarget(endpoint, _rules(scenario.rules))
        if own_is_url:
            if self.url_template is not None:
                return dataclasses.replace(self.url_template, address=own)  # type: ignore[type-var]
            return UrlTarget(own)  # type: ignore[arg-type]
        raise NoTarget('no target: give --target or --url, or a "target" in the scenario')


def _rules_key(rules: dict[str, Any] | None) -> tuple[Any, ...]:
    return tuple(sorted(rules.items())) if rules else ()


def _rules(rules: dict[str, Any] | None) -> Any:
    from app.logic.bundled_hook import HookRules

    if not rules:
        return HookRules()
    kwargs: dict[str, Any] = {}
    if "allowedDomain" in rules:
        kwargs["allowed_domain"] = rules["allowedDomain"]
    if "digits" in rules:
        kwargs["digits"] = rules["digits"]
    return HookRules(**kwargs)


def _scenario_form(scenario: Scenario) -> dict[str, Any] | None:
    """A generated scenario's own `form`, by its request type (else the verdict takes the
    guide's policy form for the target, as the request was generated with)."""
    from app.logic.request_builder import normalise_request_type

    spec = scenario.source.get("generate") if isinstance(scenario.source, dict) else None
    if not isinstance(spec, dict) or not spec.get("form"):
        return None
    try:
        return {normalise_request_type(spec.get("type", "")): tuple(spec["form"])}
    except ValueError:
        return None


def run_scenario(
    scenario: Scenario,
    target_for: Callable[[Scenario], Target],
    *,
    schema: UserSchema | None = None,
    cancel: Any = None,
    reading: str = "strict",
) -> ScenarioResult:
    """Send one scenario's request and hold the verdict (read the `reading` way, see
    `app.logic.verdict`) against its `expect`. Never raises."""
    from app.logic.run.pipeline import run_exchange

    started = time.perf_counter()
    try:
        target = target_for(scenario)
    except (NoTarget, ValueError) as exc:
        return ScenarioResult(scenario, False, str(exc), 0.0)
    exchange = run_exchange(
        scenario.request_bytes,
        target,
        schema=schema,
        cancel=cancel,
        reading=reading,
        forms=_scenario_form(scenario),
    )
    elapsed = (time.perf_counter() - started) * 1000.0
    verdict = exchange.verdict
    if verdict is None:
        why = exchange.refusal or (
            exchange.parse_problem.format() if exchange.parse_problem else ""
        )
        return ScenarioResult(scenario, False, f"not sent: {why}", elapsed, exchange, target.label)
    actual = verdict.to_json()
    difference = None
    if call_failed(verdict) and not scenario.expects_failure:
        status = _status_of(exchange)
        said = f" (HTTP {status})" if status is not None else ""
        difference = f"the call failed{said}: {verdict.headline}"
    if difference is None:
        difference = match_expected(scenario.expect, actual)
    passed = difference is None
    return ScenarioResult(scenario, passed, difference or "", elapsed, exchange, target.label)


def run_scenarios(
    scenarios: Sequence[Scenario],
    target_for: Callable[[Scenario], Target],
    *,
    jobs: int = 1,
    processes: int = 1,
    schema: UserSchema | None = None,
    on_result: Callable[[int, ScenarioResult], None] | None = None,
    cancel: Any = None,
    reading: str = "strict",
) -> list[ScenarioResult]:
    """Every scenario's result, in the scenarios' order, each verdict read the `reading` way.
    With `jobs` > 1 the calls run on that many threads (a remote hook spends its time waiting);
    `on_result(index, result)` is called on this thread as each one finishes. A `cancel` token
    with `cancelled` stops the run: the scenarios not started yet are left out of the results.

    With `processes` > 1 (the command line: one per CPU core) the run is shared out among that
    many forked processes, `jobs` calls at a time in all, where the platform forks safely
    (Linux, and no other thread running in this process); otherwise it stays in this one.
    Checking answers is CPU work, and one Python process uses one core however many threads
    wait on the hook."""
    from app.logic.targets.session import run_session

    if processes > 1 and len(scenarios) >= 2 * processes and can_fork():
        return _run_forked(
            scenarios, target_for, jobs, processes, schema, on_result, cancel, reading
        )
    # A target keeps its connection from one scenario to the next on each thread (as Okta
    # does); everything kept is closed when the run ends.
    with run_session():
        return _run_all(scenarios, target_for, jobs, schema, on_result, cancel, reading)


def can_fork() -> bool:
    """Whether a run may fork: on Linux, and only while this process runs no other thread
    (a fork copies one thread, and a lock another thread held would stay locked)."""
    import sys
    import threading

    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return False
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


#: What a forked worker runs: (scenarios, target_for, jobs, schema, reading), set just before
#: the fork (the children get it with the rest of the memory; nothing of it is pickled).
_FORKED: tuple[Sequence[Scenario], Callable[[Scenario], Target], int, Any, str] | None = None
#: Scenarios per task handed to a worker: at least 4 tasks a process and at most 50
#: scenarios a task, so the progress moves and a slow part does not hold one worker alone.
_CHUNKS_PER_PROCESS = 4
_CHUNK_MAX = 50


def _ignore_interrupt() -> None:
    import signal

    # Ctrl+C reaches the whole process group: the parent stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_chunk(bounds: tuple[int, int]) -> list[tuple[int, bool, str, float, Any, str]]:
    """In a worker: run scenarios[start:stop] and send back what the parent cannot rebuild
    (the scenario itself stays behind: the parent has it)."""
    from app.logic.targets.session import run_session

    assert _FORKED is not None
    scenarios, target_for, jobs, schema, reading = _FORKED
    start, stop = bounds
    with run_session():
        done = _run_all(scenarios[start:stop], target_for, jobs, schema, None, None, reading)
    return [
        (start + i, r.passed, r.difference, r.elapsed_ms, r.exchange, r.target_label)
        for i, r in enumerate(done)
    ]


def _run_forked(
    scenarios: Sequence[Scenario],
    target_for: Callable[[Scenario], Target],
    jobs: int,
    processes: int,
    schema: UserSchema | None,
    on_result: Callable[[int, ScenarioResult], None] | None,
    cancel: Any,
    reading: str = "strict",
) -> list[ScenarioResult]:
    import multiprocessing

    global _FORKED
    count = len(scenarios)
    size = max(1, min(_CHUNK_MAX, -(-count // (processes * _CHUNKS_PER_PROCESS))))
    chunks = [(start, min(start + size, count)) for start in range(0, count, size)]
    results: list[ScenarioResult | None] = [None] * count
    _FORKED = (scenarios, target_for, max(1, -(-jobs // processes)), schema, reading)
    pool = multiprocessing.get_context("fork").Pool(processes, initializer=_ignore_interrupt)
    finished = False
    try:
        for batch in pool.imap_unordered(_run_chunk, chunks):
            for index, passed, difference, elapsed, exchange, label in batch:
                result = ScenarioResult(
                    scenarios[index], passed, difference, elapsed, exchange, label
                )
                results[index] = result
                if on_result is not None:
                    on_result(index, result)
            if cancel is not None and getattr(cancel, "cancelled", False):
                break
        else:
            finished = True
    finally:
        if finished:
            pool.close()
        else:  # stopped (a cancel, Ctrl+C, an error): what the workers are doing is dropped
            pool.terminate()
        pool.join()
        _FORKED = None
    return [r for r in results if r is not None]


def _run_all(
    scenarios: Sequence[Scenario],
    target_for: Callable[[Scenario], Target],
    jobs: int,
    schema: UserSchema | None,
    on_result: Callable[[int, ScenarioResult], None] | None,
    cancel: Any,
    reading: str = "strict",
) -> list[ScenarioResult]:
    results: list[ScenarioResult | None] = [None] * len(scenarios)

    def stopped() -> bool:
        return bool(cancel is not None and getattr(cancel, "cancelled", False))

    if jobs <= 1 or len(scenarios) <= 1:
        for index, scenario in enumerate(scenarios):
            if stopped():
                break
            result = run_scenario(
                scenario, target_for, schema=schema, cancel=cancel, reading=reading
            )
            results[index] = result
            if on_result is not None:
                on_result(index, result)
        return [r for r in results if r is not None]

    import contextvars
    from concurrent.futures import ThreadPoolExecutor, as_completed

    def one(index: int) -> tuple[int, ScenarioResult | None]:
        if stopped():
            return index, None
        return index, run_scenario(
            scenarios[index], target_for, schema=schema, cancel=cancel, reading=reading
        )

    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="scenario") as pool:
        # Each task runs in a copy of this context, so it belongs to this run's session.
        futures = [
            pool.submit(contextvars.copy_context().run, one, index)
            for index in range(len(scenarios))
        ]
        for future in as_completed(futures):
            index, result = future.result()
            if result is None:
                continue
            results[index] = result
            if on_result is not None:
                on_result(index, result)
    return [r for r in results if r is not None]


def summary_line(results: Sequence[ScenarioResult]) -> str:
    passed = sum(1 for r in results if r.passed)
    return f"{passed} passed, {len(results) - passed} failed"
