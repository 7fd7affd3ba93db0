"""`reghook serve`: run the bundled logic as a real hook service on this machine."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import UsageError

HELP = "run the guide's hook service (the bundled logic) on this machine"


def add_parser(sub: argparse._SubParsersAction) -> None:
    from app.logic.service import add_serve_arguments

    p = sub.add_parser(
        "serve",
        help=HELP,
        description="Basic auth from BASIC_AUTH_USER / BASIC_AUTH_PASSWORD (environment or a "
        ".env file here); the guide's admin / supersecret when neither is set, and an error when "
        "only one has a value. Ctrl+C stops it.",
    )
    add_serve_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.logic.service import ServeArgumentError, rules_from_args, serve, uvloop_available

    try:
        rules = rules_from_args(args)
    except ServeArgumentError as exc:
        raise UsageError(str(exc)) from None
    if not 0 <= args.port <= 65535:
        raise UsageError("--port must be from 0 to 65535")
    if args.engine == "uvloop" and not uvloop_available():
        raise UsageError("--engine uvloop: uvloop is not installed (pip install uvloop)")
    if args.env_file and not Path(args.env_file).is_file():
        raise UsageError(f"--env-file: no such file: {args.env_file}")
    env_file = Path(args.env_file) if args.env_file else None
    return serve(args.host, args.port, rules=rules, env_file=env_file, engine=args.engine)
