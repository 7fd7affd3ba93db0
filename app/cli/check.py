"""`reghook check`: run scenario files against a hook and report PASS / FAIL (JUnit for CI)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from app.cli.common import (
    UsageError,
    add_connection_arguments,
    add_org_arguments,
    add_org_live_argument,
    add_reading_argument,
    load_org,
    print_json,
    printable,
)
from app.logic import okta

HELP = "run scenario files against a hook: PASS / FAIL per scenario, JUnit for CI"
EXIT_TEXT = (
    "Exit status: 0 every scenario passed, 1 some failed (a hook call that fails counts as a "
    "failure unless the scenario expects hook_failed: true), 2 bad arguments or an invalid "
    "scenario file."
)
#: The suites shipped in the package (fixtures/scenarios/NAME); listed here so that `--help`
#: names them without looking at the disk.
SUITES = ("guide",)
#: A progress bar is drawn on a terminal for runs longer than this.
PROGRESS_FROM = 50
#: With --jobs > 1, a run of at least this many scenarios is shared out among processes.
FORK_FROM = 100


def add_parser(sub: argparse._SubParsersAction) -> None:
    from app.cli.history import add_history_argument
    from app.cli.send import add_auth_arguments

    p = sub.add_parser("check", help=HELP, description=f"{HELP}. {EXIT_TEXT}")
    p.add_argument("paths", nargs="*", metavar="PATH", help="scenario files or folders")
    p.add_argument(
        "--suite",
        action="append",
        default=[],
        choices=SUITES,
        help="also run a suite shipped with the program (repeatable): guide, the "
        "conformance suite of Okta's registration hook guide",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--target",
        choices=list(okta.ENDPOINTS),
        help="run every scenario against this bundled endpoint",
    )
    where.add_argument(
        "--url",
        help="run every scenario against this hook URL; a URL without a path "
        "(http://127.0.0.1:8082) takes each scenario's endpoint path",
    )
    add_auth_arguments(p)
    p.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="calls at a time (default 1); on Linux a run of 100 or more scenarios is shared "
        "out among up to one process per CPU core",
    )
    add_reading_argument(p)
    add_history_argument(p)
    add_org_arguments(p)
    add_org_live_argument(p, "the scenarios' users (looked up there by login)")
    add_connection_arguments(p, ca_file=False)
    p.set_defaults(func=run)


class _Progress:
    """A one-line progress bar on stderr (only on a terminal)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.on = total >= PROGRESS_FROM and sys.stderr.isatty()

    def step(self) -> None:
        self.done += 1
        if self.on and (self.done % 10 == 0 or self.done == self.total):
            filled = self.done * 30 // self.total
            bar = "#" * filled + "." * (30 - filled)
            sys.stderr.write(f"\r[{bar}] {self.done}/{self.total}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.on:
            sys.stderr.write("\r" + " " * 50 + "\r")


def _processes(jobs: int, count: int) -> int:
    """Processes for a run: one per CPU core (at most `jobs`) once it is long enough to gain."""
    import os

    if jobs <= 1 or count < FORK_FROM:
        return 1
    return max(1, min(jobs, os.cpu_count() or 1))


def run(args: argparse.Namespace) -> int:
    from app.logic.run.runner import TargetChooser, run_scenarios, summary_line
    from app.logic.run.scenarios import load_paths

    if not 1 <= args.jobs <= 64:
        raise UsageError("--jobs must be from 1 to 64")
    if args.suite:
        from app.logic.resources import scenario_suites

        shipped = scenario_suites()
        missing = [name for name in args.suite if name not in shipped]
        if missing:
            raise UsageError(f"--suite {missing[0]}: not in this installation")
        args.paths = [*args.paths, *(str(shipped[name]) for name in args.suite)]
    if not args.paths:
        raise UsageError("name scenario files or folders, or a shipped suite (--suite guide)")
    from app.cli.send import url_target_from_args

    if args.junit:
        _check_junit_path(args.junit)  # before the run: a typo must not cost a whole run
    url_target = url_template = None
    if args.url:
        url_target = url_target_from_args(args, args.url)
    elif args.auth or args.basic or args.header or args.oauth_token_url:
        # No --url: the auth options go to the scenarios whose own target is a URL.
        url_template = url_target_from_args(args, "https://scenario-target.invalid/")
    if args.org_live:
        if args.users or args.schema:
            raise UsageError(
                "--org-live takes users and schema from the org: drop --users/--schema"
            )
        from app.cli.org import live_scenario_org

        org, client = live_scenario_org(args)
        try:
            scenarios, errors = load_paths(args.paths, org)
        finally:
            client.close()
    else:
        if args.org:
            raise UsageError("--org names a live org: add --org-live")
        org = load_org(args.users, args.schema)
        scenarios, errors = load_paths(args.paths, org)
    if errors:
        for error in errors[:-1]:
            sys.stderr.write(f"{printable(error.format(), keep_newlines=False)}\n")
        raise UsageError(printable(errors[-1].format(), keep_newlines=False))
    if not scenarios:
        raise UsageError("no scenarios found (a folder is searched for *.json)")
    chooser = TargetChooser(args.target, url_target, url_template)
    progress = _Progress(len(scenarios))
    started = time.perf_counter()
    try:
        results = run_scenarios(
            scenarios,
            chooser,
            jobs=args.jobs,
            processes=_processes(args.jobs, len(scenarios)),
            schema=org.schema,
            on_result=lambda _i, _r: progress.step(),
            reading=args.reading,
        )
    finally:
        progress.close()
    run_ms = (time.perf_counter() - started) * 1000.0
    from app.cli.history import record

    record(
        args,
        [(r.exchange, r.scenario.name) for r in results if r.exchange is not None],
        source="check",
    )
    if args.json:
        passed = sum(1 for r in results if r.passed)
        print_json(
            {
                "passed": passed,
                "failed": len(results) - passed,
                "elapsed_ms": round(run_ms, 3),
                "results": [r.to_json() for r in results],
            }
        )
    else:
        from app.logic.text import one_line

        # A scenario's name, its file's name and the difference are each kept to their line:
        # a line feed in a name could otherwise print a PASS line of its own.
        lines = []
        for result in results:
            name = one_line(result.scenario.name)
            if result.passed:
                lines.append(f"PASS  {name}")
            else:
                label, difference = one_line(result.scenario.label), one_line(result.difference)
                lines.append(f"FAIL  {name} ({label}): {difference}")
        lines.append(summary_line(results))
        sys.stdout.write(printable("\n".join(lines)) + "\n")
    if args.junit:
        # After the results are printed: should the file still fail (the folder went away,
        # the disk is full), the run's results are not lost with it.
        from app.logic.run.junit import junit_xml

        try:
            Path(args.junit).write_bytes(junit_xml(results))
        except OSError as exc:
            shown = printable(args.junit, keep_newlines=False)
            raise UsageError(f"--junit {shown}: {exc.strerror or exc}") from None
    return 0 if all(r.passed for r in results) else 1


def _check_junit_path(junit: str) -> None:
    """UsageError, before any call is made, when the JUnit report could not be written."""
    import os

    from app.logic.text import one_line

    path = Path(junit)
    shown = printable(junit, keep_newlines=False)
    folder = path.parent
    if path.is_dir():
        raise UsageError(f"--junit {shown}: is a folder; name the report's file")
    if not folder.is_dir():
        raise UsageError(f"--junit {shown}: no such folder: {one_line(str(folder))}")
    writable = os.access(folder, os.W_OK | os.X_OK)
    if not writable or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"--junit {shown}: not allowed to write there")
