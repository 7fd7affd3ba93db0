"""`reghook window` (and `reghook` with no command): open the desktop window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

HELP = "open the window (what running with no command does)"


def add_parser(sub: argparse._SubParsersAction) -> None:
    from app.cli.common import add_org_arguments

    p = sub.add_parser("window", help=HELP, description=HELP + ".")
    add_org_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    users = Path(args.users) if args.users else None
    schema = Path(args.schema) if args.schema else None
    if users is not None or schema is not None:
        from app.cli.common import load_org

        load_org(args.users, args.schema)  # a bad file is one line on stderr, before any window
    return gui_main([], users_file=users, schema_file=schema)


def gui_main(
    argv: Sequence[str] | None = None,
    users_file: Path | None = None,
    schema_file: Path | None = None,
) -> int:
    """Open the window on the demo org (or on the users of `users_file`)."""
    from app.views.main_window import run_app

    extra = {"schema_file": schema_file} if schema_file is not None else {}
    return run_app(list(sys.argv[:1]) + list(argv or []), users_file=users_file, **extra)
