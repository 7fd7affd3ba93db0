"""What every command shares: the one-line error, reading files, printing safely."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, NoReturn

from app.logic.text import printable

PROG = "reghook"


class UsageError(Exception):
    """A bad argument or an unreadable file: reported in one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr rather than the usage block."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def print_json(value: object) -> None:
    """JSON on standard output (never NaN or Infinity; lone surrogates as escapes)."""
    from app.logic.jsontext import dumps

    sys.stdout.write(dumps(value) + "\n")


def display_name(path: str) -> str:
    return "standard input" if path == "-" else path


def read_bytes(path: str, *, what: str = "the JSON") -> bytes:
    """A file's bytes, or standard input for '-' (saying so when that is a terminal)."""
    if path == "-":
        if sys.stdin.isatty():
            sys.stderr.write(f"{PROG}: reading {what} from standard input (end with Ctrl+D)\n")
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None


def read_text(path: str, *, what: str = "the JSON") -> str:
    """A file's text (UTF-8, a byte-order mark skipped), or standard input for '-'."""
    data = read_bytes(path, what=what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{display_name(path)} is not UTF-8 text (byte {exc.start})") from None


def parse_json_or_fail(text: str, name: str) -> object:
    from app.logic.validation import parse_json

    value, problem = parse_json(text)
    if problem is not None:
        raise UsageError(f"{name}:{problem.line}:{problem.column}: {printable(problem.message)}")
    return value


def load_org(users: str | None, schema: str | None = None) -> Any:
    from app.logic.org import OrgError, load_demo_org

    try:
        return load_demo_org(Path(users) if users else None, Path(schema) if schema else None)
    except OrgError as exc:
        raise UsageError(printable(str(exc), keep_newlines=False)) from None
    except RecursionError:
        raise UsageError(f"{users or schema}: the JSON is nested too deeply to read") from None


def add_org_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--users",
        metavar="FILE",
        help="your org's users instead of the demo org's: the project's users JSON, Okta's "
        "GET /api/v1/users answer as it is, or a CSV with a header row of attribute names",
    )
    parser.add_argument(
        "--schema",
        metavar="FILE",
        help="the org's user schema, which the verdict checks attributes against: the "
        "project's schema JSON or Okta's GET /api/v1/meta/schemas/user/default answer "
        "(default: user-schema.json beside the users file, else the demo org's)",
    )


def add_reading_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reading",
        choices=("strict", "lenient"),
        default="strict",
        help="how to read the rules Okta does not document (labelled UNCONFIRMED): strict "
        "(default) reads an answer Okta might refuse as refused; lenient reads Okta as going "
        "on without the part it cannot use",
    )
