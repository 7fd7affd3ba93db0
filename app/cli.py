"""The command line: `python -m app` (or `reghook`) COMMAND; with no command it opens the window.

Exit codes: 0 done (for `validate`, the document is valid), 1 the document or answer has
problems, 2 bad arguments or an unreadable file (one line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

PROG = "reghook"


class UsageError(Exception):
    """A bad argument or an unreadable file: reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr rather than the usage block."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _read_text(path: str) -> str:
    """A file's text, or standard input for '-'."""
    if path == "-":
        data = sys.stdin.buffer.read()
        name = "standard input"
    else:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
        name = path
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{name} is not UTF-8 text (byte {exc.start})") from None


def _read_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None


def _parse_json_or_fail(text: str, name: str) -> object:
    from app.logic.validation import parse_json

    value, problem = parse_json(text)
    if problem is not None:
        raise UsageError(f"{name}:{problem.line}:{problem.column}: {problem.message}")
    return value


def _load_org(users: str | None):
    from app.logic.org import OrgError, load_demo_org

    try:
        return load_demo_org(Path(users) if users else None)
    except OrgError as exc:
        raise UsageError(str(exc)) from None


def _print_json(value: object) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


# --- request ------------------------------------------------------------------------------


def _cmd_request(args: argparse.Namespace) -> int:
    from app.logic.request_builder import build_request, normalise_request_type

    try:
        request_type = normalise_request_type(args.type)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    org = _load_org(args.users)
    user = org.find(args.user)
    if user is None:
        matches = org.search(args.user)
        if len(matches) != 1:
            hint = ", ".join(u.login for u in matches[:5]) or "none; see the users file"
            raise UsageError(f"no user '{args.user}' in the org (close matches: {hint})")
        user = matches[0]
    form: dict[str, str] = {}
    for item in args.set or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set wants FIELD=VALUE, got '{item}'")
        form[name.strip()] = value
    request = build_request(request_type, user, form=form or None, seed=args.seed)
    _print_json(request)
    return 0


# --- respond ------------------------------------------------------------------------------


def _rules(args: argparse.Namespace):
    from app.logic.bundled_hook import HookRules

    if args.digits < 1:
        raise UsageError("--digits must be 1 or more")
    return HookRules(allowed_domain=args.allowed_domain, digits=args.digits)


def _cmd_respond(args: argparse.Namespace) -> int:
    from app.logic.bundled_hook import endpoint_for

    name = args.file
    request = _parse_json_or_fail(_read_text(name), "standard input" if name == "-" else name)
    result = endpoint_for(args.hook)(request, _rules(args))
    for line in result.log_lines:
        sys.stderr.write(line + "\n")
    _print_json(result.response)
    return 0


# --- validate -----------------------------------------------------------------------------


def _cmd_validate(args: argparse.Namespace) -> int:
    from app.logic.validation import validate_request, validate_response

    text = _read_text(args.file)
    check = validate_request if args.kind == "request" else validate_response
    result = check(text)
    for problem in result.problems:
        sys.stdout.write(problem.format() + "\n")
    if result.ok:
        label = f" ({result.engine} engine)" if getattr(result, "engine", None) else ""
        sys.stderr.write(f"{args.file}: valid {args.kind}{label}\n")
        return 0
    return 1


# --- verdict ------------------------------------------------------------------------------


def _cmd_verdict(args: argparse.Namespace) -> int:
    from app.logic.answer import HookAnswer
    from app.logic.verdict import interpret_response

    request = _parse_json_or_fail(_read_text(args.request), args.request)
    body = _read_bytes(args.response)
    if not 100 <= args.status <= 599:
        raise UsageError(f"--status must be an HTTP status (100-599), got {args.status}")
    if args.elapsed_ms < 0:
        raise UsageError("--elapsed-ms cannot be negative")
    headers = {"content-type": args.content_type} if args.content_type else {}
    if args.location:
        headers["location"] = args.location
    answer = HookAnswer(
        status=args.status, headers=headers, body=body, elapsed_ms=float(args.elapsed_ms)
    )
    org = _load_org(args.users)
    verdict = interpret_response(request, answer, org.schema)
    if args.json:
        _print_json(verdict.to_json())
    else:
        sys.stdout.write(verdict.to_text().rstrip("\n") + "\n")
    return 0


# --- the parser ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Preview Okta registration inline hooks: build requests, run the guide's "
        "sample logic, validate JSON and say what Okta would do with an answer. "
        "With no command, opens the window.",
    )
    from app import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("request", help="print the request JSON Okta would send")
    p.add_argument(
        "--type",
        required=True,
        help="self.service.registration | progressive.profile | ssr | pp",
    )
    p.add_argument("--user", required=True, help="login (or id, or a unique part of a name)")
    p.add_argument(
        "--set",
        action="append",
        metavar="FIELD=VALUE",
        help="a form field the person typed (repeatable), e.g. --set employeeNumber=1234",
    )
    p.add_argument("--users", metavar="FILE", help="a users file instead of the demo org's")
    p.add_argument("--seed", type=int, help="make eventId and other ids repeatable")
    p.set_defaults(func=_cmd_request)

    p = sub.add_parser("respond", help="answer a request with the bundled sample logic")
    p.add_argument("--hook", required=True, choices=["ssr", "pp", "ssr-and-pp"])
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-")
    p.add_argument("--allowed-domain", default="okta.com", metavar="DOMAIN")
    p.add_argument("--digits", type=int, default=4, metavar="N")
    p.set_defaults(func=_cmd_respond)

    p = sub.add_parser("validate", help="check a request or response against Okta's format")
    p.add_argument("kind", choices=["request", "response"])
    p.add_argument("file", metavar="FILE|-")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("verdict", help="say what Okta would do with a hook's answer")
    p.add_argument("--request", required=True, metavar="FILE")
    p.add_argument("--response", required=True, metavar="FILE", help="the answer body, as sent")
    p.add_argument("--status", type=int, default=200, metavar="N")
    p.add_argument("--elapsed-ms", type=float, default=0.0, metavar="N")
    p.add_argument("--content-type", default="application/json", metavar="TYPE")
    p.add_argument("--location", metavar="URL", help="the Location header of a redirect")
    p.add_argument("--users", metavar="FILE", help="a users/schema file instead of the demo org's")
    p.add_argument("--json", action="store_true", help="print the verdict as JSON")
    p.set_defaults(func=_cmd_verdict)

    _add_network_commands(sub)
    return parser


def _add_network_commands(sub: argparse._SubParsersAction) -> None:
    """`send` (call a live hook) and `serve` (run the bundled logic as a hook service)."""


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list:
        return gui_main([])
    try:
        args = build_parser().parse_args(args_list)
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


def gui_main(argv: Sequence[str] | None = None) -> int:
    """Open the window on the demo org."""
    from app.views.main_window import run_app

    return run_app(list(sys.argv[:1]) + list(argv or []))
