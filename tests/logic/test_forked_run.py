"""A run shared out among forked processes: the same results in the same order as in one
process, from other processes, stopped cleanly, and never forked beside another thread."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.logic.bundled_hook import HookRules
from app.logic.org import load_demo_org
from app.logic.run.runner import TargetChooser, can_fork, run_scenarios
from app.logic.run.scenarios import load_paths
from app.logic.service import ServiceRunner, bind_socket, create_app
from app.logic.targets import BundledTarget, UrlTarget

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "fixtures" / "scenarios" / "guide"

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="a run forks only on Linux"
)


@pytest.fixture(autouse=True)
def alone_in_the_process() -> None:
    """Threads an earlier test left to finish (a stalled server's handler, a resolver) are
    waited for: a run forks only when this process runs no other thread."""
    for thread in threading.enumerate():
        if thread is not threading.current_thread():
            thread.join(10.0)
    assert can_fork(), [t.name for t in threading.enumerate()]


def suite_scenarios():
    scenarios, errors = load_paths([SUITE], load_demo_org())
    assert not errors
    return scenarios * 3  # enough to share out


def summary(results) -> list[tuple[str, bool, str, str | None]]:
    return [
        (r.scenario.label, r.passed, r.difference, (r.verdict_json or {}).get("outcome"))
        for r in results
    ]


def test_forked_results_are_those_of_one_process_in_the_same_order(tmp_path: Path) -> None:
    scenarios = suite_scenarios()
    calls = tmp_path / "pids"

    chooser = TargetChooser()

    def target_for(scenario):
        with calls.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return chooser(scenario)

    alone = run_scenarios(scenarios, TargetChooser(), jobs=1)
    seen: list[int] = []
    shared = run_scenarios(
        scenarios, target_for, jobs=4, processes=2, on_result=lambda i, _r: seen.append(i)
    )
    assert summary(shared) == summary(alone)
    assert all(r.passed for r in shared)
    assert sorted(seen) == list(range(len(scenarios)))  # each reported once, here
    pids = set(map(int, calls.read_text(encoding="utf-8").split()))
    assert os.getpid() not in pids and len(pids) == 2  # the work happened in two others
    assert multiprocessing.active_children() == []


def test_a_cancel_stops_the_workers_and_keeps_what_finished() -> None:
    scenarios = suite_scenarios() * 4

    class Cancel:
        cancelled = False

    cancel = Cancel()

    def stop_after_first(_index, _result) -> None:
        cancel.cancelled = True

    results = run_scenarios(
        scenarios,
        lambda _s: BundledTarget("ssr", HookRules()),
        jobs=2,
        processes=2,
        on_result=stop_after_first,
        cancel=cancel,
    )
    assert 0 < len(results) < len(scenarios)
    assert multiprocessing.active_children() == []


def test_failed_calls_come_back_from_a_worker_too() -> None:
    # Nothing listens on this port: every call fails, and each failure crosses the fork.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    scenarios = suite_scenarios()[:12]
    results = run_scenarios(
        scenarios, lambda _s: UrlTarget(f"http://127.0.0.1:{port}/hook"), jobs=2, processes=2
    )
    assert len(results) == len(scenarios)
    assert all(not r.passed and "the call failed" in r.difference for r in results)


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not can_fork()
        results = run_scenarios(suite_scenarios(), TargetChooser(), jobs=2, processes=2)
        assert all(r.passed for r in results)  # run here, on threads
    finally:
        stop.set()
        other.join()


def test_check_with_jobs_shares_a_long_run_against_serve(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    cases = sorted(SUITE.rglob("*.json"))
    for number in range(120):
        case = json.loads(cases[number % len(cases)].read_text(encoding="utf-8"))
        case["name"] = f"{case['name']} #{number}"
        (folder / f"{number:04d}.json").write_text(json.dumps(case), encoding="utf-8")
    app = create_app("bench", "bench-secret", log=lambda _line: None)
    with ServiceRunner(app, bind_socket("127.0.0.1", 0), "builtin").start_in_thread() as service:
        argv = ["check", str(folder), "--url", service.url, "--basic", "bench:bench-secret"]
        env = {**os.environ, "REGHOOK_DATA_DIR": str(tmp_path / "data")}
        runs = {}
        for jobs in ("1", "4"):
            junit = tmp_path / f"junit-{jobs}.xml"
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "app",
                    *argv,
                    "--jobs",
                    jobs,
                    "--json",
                    "--junit",
                    str(junit),
                ],
                capture_output=True,
                text=True,
                env=env,
                cwd=ROOT,
                timeout=120,
                check=False,
            )
            assert done.returncode == 0, done.stderr[-2000:]
            report = json.loads(done.stdout)
            runs[jobs] = [(r["name"], r["passed"], r["outcome"]) for r in report["results"]]
            cases = ET.parse(junit).getroot().findall("./testsuite/testcase")
            runs[jobs].append(sorted(case.get("name") for case in cases))
    assert runs["4"] == runs["1"] and len(runs["1"]) == 121
    # Both runs were recorded, each call once, by the process that printed the report.
    listed = subprocess.run(
        [sys.executable, "-m", "app", "history", "--limit", "1000", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    assert len(json.loads(listed.stdout)) == 240


@contextlib.contextmanager
def _sigint_by_default() -> Iterator[None]:
    """While inside, processes started get SIGINT's default disposition even if this one
    ignores it (a handler, unlike SIG_IGN, is reset to the default by exec)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def test_ctrl_c_ends_a_shared_run_at_once_with_no_process_left(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    case = json.loads(sorted(SUITE.rglob("*.json"))[0].read_text(encoding="utf-8"))
    for number in range(200):
        (folder / f"{number:04d}.json").write_text(json.dumps(case), encoding="utf-8")
    started = time.monotonic()
    silent = socket.socket()  # accepts every connection and never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    held: list[socket.socket] = []
    calling = threading.Event()  # set once four workers' calls hang on the silent server

    def accept() -> None:
        while True:
            try:
                held.append(silent.accept()[0])
            except OSError:
                return
            if len(held) >= 4:
                calling.set()

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    url = f"http://127.0.0.1:{silent.getsockname()[1]}"
    env = {**os.environ, "REGHOOK_DATA_DIR": str(tmp_path / "data")}
    # A test run started in the background of a script ignores SIGINT, and an ignored signal
    # stays ignored across exec: the run would never see the Ctrl+C. A terminal's job starts
    # with SIGINT's default, which Python turns into KeyboardInterrupt; so does this child.
    with _sigint_by_default():
        child = subprocess.Popen(
            [sys.executable, "-m", "app", "check", str(folder), "--url", url, "--jobs", "4"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
            start_new_session=True,  # its own process group, as a terminal's job is
        )
    group = child.pid
    try:
        # The state, not a time: Ctrl+C comes once the workers are calling. (The bound only
        # turns a run that never gets there into a failure instead of a hang.)
        while not calling.wait(0.1):
            assert child.poll() is None, child.communicate()[1][-2000:]
            assert time.monotonic() - started < 300, "the workers never called"
        os.killpg(group, signal.SIGINT)  # what Ctrl+C sends: the whole group
        _out, err = child.communicate(timeout=120)
        # Every process of the run ends with it: the group empties (forked workers included).
        while _group_alive(group):
            assert time.monotonic() - started < 300, "a worker outlived the run"
            time.sleep(0.05)
    finally:
        # Whatever happened above, no process of this run outlives the test.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
        if child.poll() is None:
            child.kill()
        child.communicate()  # also closes its pipes, which a failed wait above left open
        silent.close()
        for conn in held:
            conn.close()
    assert child.returncode == 130
    assert "Traceback" not in err


def _group_alive(group: int) -> bool:
    """True while a process of this group is still running (a zombie, already ended, is not)."""
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False
