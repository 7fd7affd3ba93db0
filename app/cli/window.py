"""`reghook window` (and `reghook` with no command): open the desktop window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HELP = "open the window (what running with no command does)"


def add_parser(sub: argparse._SubParsersAction) -> None:
    from app.cli.common import add_org_arguments

    p = sub.add_parser("window", help=HELP, description=HELP + ".")
    add_org_arguments(p)
    p.set_defaults(func=run)


#: Files up to this size are read here, before the window (a bad one is one line on stderr
#: and exit 2); bigger ones are read by the window after its first paint. Either way, once.
READ_BEFORE_WINDOW_BYTES = 1 << 20


def _size(path: Path | None) -> int:
    try:
        return path.stat().st_size if path is not None else 0
    except OSError:
        return 0  # missing or unreadable: reading it here says so in one line


def run(args: argparse.Namespace) -> int:
    users = Path(args.users) if args.users else None
    schema = Path(args.schema) if args.schema else None
    if users is None and schema is None:
        return gui_main([])
    if _size(users) + _size(schema) <= READ_BEFORE_WINDOW_BYTES:
        from app.cli.common import load_org

        org = load_org(args.users, args.schema)  # a bad file: one line on stderr, no window
        return gui_main([], org=org)
    return gui_main([], users_file=users, schema_file=schema)


def gui_main(
    argv: Sequence[str] | None = None,
    users_file: Path | None = None,
    schema_file: Path | None = None,
    org: Any = None,
) -> int:
    """Open the window on `org`, else the demo org, or on the org of `users_file` (and
    `schema_file`), which the window reads after its first paint."""
    from app.views.application import run_app

    return run_app(list(sys.argv[:1]) + list(argv or []), users_file, schema_file, org)
