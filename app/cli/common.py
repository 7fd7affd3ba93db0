"""What every command shares: the one-line error, reading files, printing safely."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from app.logic.text import printable

PROG = "reghook"


class UsageError(Exception):
    """A bad argument or an unreadable file: reported in one line, exit status 2."""


def _terminal_columns() -> int:
    """What `shutil.get_terminal_size()` says, without importing shutil (and with it bz2,
    lzma and fnmatch): argparse makes a help formatter for every argument it adds."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, as wide as the terminal (less 2, as argparse does)."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = _terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr rather than the usage block."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def add_connection_arguments(p: argparse.ArgumentParser, *, ca_file: bool = True) -> None:
    """How to reach a live org: shared by every `org` action and by `request` and `check`
    `--org-live` (here, so that they do not import the `org` command to add them; `check` has
    its own --ca-file, which then serves both)."""
    p.add_argument(
        "--org",
        metavar="URL",
        help="the org, https://YOUR-ORG.okta.com (default: OKTA_CLIENT_ORGURL or "
        "~/.okta/okta.yaml); the API token comes from OKTA_CLIENT_TOKEN, okta.yaml, the "
        "keyring or a prompt",
    )
    if ca_file:
        p.add_argument("--ca-file", metavar="FILE", help="also trust this CA bundle")
    p.add_argument(
        "--remember",
        action="store_true",
        help="keep a typed token (or key) in the system keyring for next time",
    )


def add_org_live_argument(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--org-live",
        action="store_true",
        help=f"take {what} and the schema from a live org, not from files; the org from "
        "--org, OKTA_CLIENT_ORGURL or ~/.okta/okta.yaml",
    )


def _speaks_utf8(stream: object) -> bool:
    import codecs

    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def safe_text_streams() -> None:
    """Standard output and error never raise UnicodeEncodeError: under a locale that is not
    UTF-8 (en_US.ISO-8859-1, say), what the encoding lacks is written as a backslash escape
    (`Łukasiewicz` as `\\u0141ukasiewicz`) instead of ending the command in a traceback."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not _speaks_utf8(stream):
            reconfigure(errors="backslashreplace")


def write_utf8(text: str) -> None:
    """`text` on standard output as UTF-8 bytes, whatever the locale's encoding: for JSON
    (UTF-8 is what JSON is, and what `respond` reads back) and commands whose data must
    reach a program unchanged (a cURL body)."""
    stream = sys.stdout
    raw = getattr(stream, "buffer", None)
    if raw is None or _speaks_utf8(stream):
        stream.write(text)
        return
    stream.flush()  # what was written as text goes first
    raw.write(text.encode("utf-8", "backslashreplace"))
    raw.flush()


def print_json(value: object) -> None:
    """JSON on standard output, as UTF-8 whatever the locale (never NaN or Infinity; lone
    surrogates as escapes)."""
    from app.logic.jsontext import dumps

    write_utf8(dumps(value) + "\n")


def display_name(path: str) -> str:
    return "standard input" if path == "-" else path


def read_bytes(path: str, *, what: str = "the JSON") -> bytes:
    """A file's bytes, or standard input for '-' (saying so when that is a terminal); at most
    the window's Open Request cap, from a regular file only."""
    if path == "-":
        if sys.stdin.isatty():
            sys.stderr.write(f"{PROG}: reading {what} from standard input (end with Ctrl+D)\n")
        return sys.stdin.buffer.read()
    from app.logic.files import FileRefusedError, read_regular_file

    # A regular file, with the window's cap: a FIFO would block and /dev/zero never end.
    try:
        return read_regular_file(path)
    except FileRefusedError as refused:
        raise UsageError(f"cannot read {printable(path, keep_newlines=False)}: {refused}") from None


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
