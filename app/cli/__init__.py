"""The command line: `python -m app` (or `reghook`) COMMAND; with no command it opens the window.

One module per command. Only the module of the command being run is imported, so `request`,
`validate` and `respond` never load the service, asyncio or Qt.

Exit codes: 0 done (for `validate`, the document is valid), 1 the document or answer has
problems, 2 bad arguments or an unreadable file (one line on stderr, never a traceback).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from app.cli.common import PROG, Parser, UsageError  # noqa: F401 (lazy, see __getattr__)

#: name -> (module, one-line help). The help is here so `--help` imports no command module.
COMMANDS: dict[str, tuple[str, str]] = {
    "request": ("app.cli.request", "print the request JSON Okta would send"),
    "respond": ("app.cli.respond", "answer a request with the bundled sample logic"),
    "validate": ("app.cli.validate", "check a request or response against Okta's format"),
    "verdict": ("app.cli.verdict", "say what Okta would do with a hook's answer"),
    "send": ("app.cli.send", "POST a request to a live hook URL as Okta would and judge it"),
    "serve": ("app.cli.serve", "run the guide's hook service (the bundled logic) here"),
    "check": ("app.cli.check", "run scenario files against a hook: PASS / FAIL, JUnit for CI"),
    "history": ("app.cli.history", "list the recorded calls; show one; export them as HAR"),
    "export": ("app.cli.export", "print the hook's Okta configuration (API body or Terraform)"),
    "org": ("app.cli.org", "a live Okta org: users, schema, hooks, Preview through Okta, calls"),
    "window": ("app.cli.window", "open the window (what running with no command does)"),
}

__all__ = ["COMMANDS", "PROG", "UsageError", "build_parser", "gui_main", "main"]


def __getattr__(name: str) -> Any:
    # Imported when asked for: the window's start (no arguments) needs no argparse.
    if name in ("PROG", "Parser", "UsageError"):
        from app.cli import common

        return getattr(common, name)
    raise AttributeError(name)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; only `command`'s module is imported and adds its arguments."""
    from app.cli.common import PROG, Parser

    parser = Parser(
        prog=PROG,
        description="Preview Okta registration inline hooks: build requests, run the guide's "
        "sample logic, validate JSON and say what Okta would do with an answer. "
        "With no command, opens the window.",
    )
    from app import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name, (module, help_text) in COMMANDS.items():
        if name == command:
            importlib.import_module(module).add_parser(sub)
        elif command is None:
            # Only the top level's help and errors list the other commands: making a parser
            # for each costs a command's start-up a few milliseconds (argparse asks gettext
            # for its words every time).
            sub.add_parser(name, help=help_text, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list:
        return gui_main([])
    from app.cli.common import PROG, UsageError, safe_text_streams

    safe_text_streams()
    command = next((a for a in args_list if not a.startswith("-")), None)
    try:
        args = build_parser(command if command in COMMANDS else None).parse_args(args_list)
        if not getattr(args, "func", None):
            raise UsageError(f"unknown command; see '{PROG} --help'")
        return int(args.func(args))
    except UsageError as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def gui_main(argv: Sequence[str] | None = None, users_file: Path | None = None) -> int:
    """Open the window on the demo org (or on the users of `users_file`). As the
    `reghook-preview` program (no arguments given here), it reads the command line's own:
    `reghook-preview --users FILE --schema FILE` is `reghook window --users FILE ...`."""
    if argv is None and users_file is None:
        return main(["window", *sys.argv[1:]])
    from app.cli.window import gui_main as open_window

    return open_window(argv, users_file=users_file)
