"""`reghook respond`: answer a request with the bundled sample logic (through the pipeline)."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import UsageError, display_name, print_json, printable, read_bytes
from app.logic import okta

HELP = "answer a request with the bundled sample logic"


def add_rule_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--allowed-domain", default=okta.ALLOWED_DOMAIN, metavar="DOMAIN")
    p.add_argument("--digits", type=int, default=okta.EMPLOYEE_NUMBER_DIGITS, metavar="N")


def rules_from_args(args: argparse.Namespace):
    from app.logic.bundled_hook import HookRules

    if args.digits < 1:
        raise UsageError("--digits must be 1 or more")
    try:
        return HookRules(allowed_domain=args.allowed_domain, digits=args.digits)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "respond",
        help=HELP,
        description=HELP + ". Prints the answer JSON; the hook's log lines go to stderr.",
    )
    p.add_argument("--hook", required=True, choices=list(okta.ENDPOINTS))
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-")
    add_rule_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.logic.jsontext import loads
    from app.logic.run.pipeline import run_exchange
    from app.logic.targets import BundledTarget

    rules = rules_from_args(args)  # a bad rule is reported before any input is read
    body = read_bytes(args.file, what="the request JSON")
    exchange = run_exchange(body, BundledTarget(okta.ENDPOINTS[args.hook], rules))
    name = display_name(args.file)
    if exchange.parse_problem is not None:
        problem = exchange.parse_problem
        raise UsageError(f"{name}:{problem.line}:{problem.column}: {printable(problem.message)}")
    if exchange.answer is None:
        raise UsageError(f"{name}: {exchange.refusal}")
    for line in exchange.log_lines or ():
        sys.stderr.write(printable(line) + "\n")
    print_json(loads(exchange.answer.body))
    return 0
