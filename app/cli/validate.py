"""`reghook validate`: check a request or a response against Okta's format."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import display_name, printable, read_text

HELP = "check a request or response against Okta's format"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help=HELP,
        description=HELP + ". Exit status: 0 valid, 1 problems (one line each), 2 unreadable.",
    )
    p.add_argument("kind", choices=["request", "response"])
    p.add_argument("file", metavar="FILE|-")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.logic.validation import validate_request, validate_response

    text = read_text(args.file, what=f"the {args.kind} JSON")
    check = validate_request if args.kind == "request" else validate_response
    result = check(text)
    for problem in result.problems:
        sys.stdout.write(printable(problem.format(), keep_newlines=False) + "\n")
    if result.ok:
        label = f" ({result.engine} engine)" if getattr(result, "engine", None) else ""
        sys.stderr.write(f"{display_name(args.file)}: valid {args.kind}{label}\n")
        return 0
    return 1
