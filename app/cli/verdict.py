"""`reghook verdict`: say what Okta would do with an answer a hook gave (a recorded answer)."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import (
    UsageError,
    add_org_arguments,
    add_reading_argument,
    load_org,
    print_json,
    printable,
    read_bytes,
)

HELP = "say what Okta would do with a hook's answer"
EXIT_TEXT = (
    "Exit status: 0 a verdict was given; with --check, 0 only when the answer follows Okta's "
    "rules (whatever it decides) and 1 when Okta would treat the call as failed or the answer "
    "as invalid, as `send` does; 2 bad arguments or an unreadable file."
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("verdict", help=HELP, description=f"{HELP}. {EXIT_TEXT}")
    p.add_argument("--request", required=True, metavar="FILE")
    p.add_argument("--response", required=True, metavar="FILE", help="the answer body, as sent")
    p.add_argument("--status", type=int, default=200, metavar="N")
    p.add_argument("--elapsed-ms", type=float, default=0.0, metavar="N")
    p.add_argument("--content-type", default="application/json", metavar="TYPE")
    p.add_argument("--location", metavar="URL", help="the Location header of a redirect")
    add_org_arguments(p)
    add_reading_argument(p)
    p.add_argument("--json", action="store_true", help="print the verdict as JSON")
    p.add_argument("--check", action="store_true", help="exit 1 when the answer fails, as send")
    p.set_defaults(func=run)


def verdict_failed(verdict: object) -> bool:
    from app.logic.verdict import Severity

    problems = verdict.problems  # type: ignore[attr-defined]
    return verdict.hook_failed or any(p.severity is Severity.ERROR for p in problems)  # type: ignore[attr-defined]


def evidence_text(verdict: object) -> str:
    """What Preview through Okta saw a live org do about this verdict's UNCONFIRMED rules, as
    lines to print after it ("" when nothing was seen, or no rule is UNCONFIRMED)."""
    if not verdict.unconfirmed():  # type: ignore[attr-defined]
        return ""
    from app.logic.okta_org.observations import evidence_lines

    lines = evidence_lines(verdict)
    if not lines:
        return ""
    return "\nSeen on a live org (org preview):\n" + "".join(f"  {line}\n" for line in lines)


def run(args: argparse.Namespace) -> int:
    from app.logic.answer import HookAnswer
    from app.logic.run.pipeline import run_exchange
    from app.logic.targets import RecordedTarget

    if not 100 <= args.status <= 599:
        raise UsageError(f"--status must be an HTTP status (100-599), got {args.status}")
    if not 0 <= args.elapsed_ms < 1e9:
        raise UsageError("--elapsed-ms must be from 0 to 1e9")
    request = read_bytes(args.request, what="the request JSON")
    body = read_bytes(args.response, what="the answer body")
    headers = {"content-type": args.content_type} if args.content_type else {}
    if args.location:
        headers["location"] = args.location
    answer = HookAnswer(
        status=args.status, headers=headers, body=body, elapsed_ms=float(args.elapsed_ms)
    )
    org = load_org(args.users, args.schema)
    exchange = run_exchange(
        request, RecordedTarget(answer), schema=org.schema, reading=args.reading, org=org
    )
    if exchange.verdict is None:
        problem = exchange.parse_problem
        where = f"{problem.line}:{problem.column}: {problem.message}" if problem else ""
        raise UsageError(f"{args.request}:{printable(where or exchange.refusal)}")
    verdict = exchange.verdict
    if args.json:
        print_json(verdict.to_json())
    else:
        sys.stdout.write(printable(verdict.to_text().rstrip("\n")) + "\n")
        sys.stdout.write(printable(evidence_text(verdict)))
    return 1 if args.check and verdict_failed(verdict) else 0
