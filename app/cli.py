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
        if name.strip() == "password":
            raise UsageError("--set password: Okta never sends the password to a hook")
        form[name.strip()] = value
    request = build_request(request_type, user, form=form or None, seed=args.seed)
    _print_json(request)
    return 0


# --- respond ------------------------------------------------------------------------------


def _rules(args: argparse.Namespace):
    from app.logic.bundled_hook import HookRules

    if args.digits < 1:
        raise UsageError("--digits must be 1 or more")
    try:
        return HookRules(allowed_domain=args.allowed_domain, digits=args.digits)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _cmd_respond(args: argparse.Namespace) -> int:
    from app.logic.bundled_hook import endpoint_for

    rules = _rules(args)  # a bad rule is reported before any input is read
    name = args.file
    request = _parse_json_or_fail(_read_text(name), "standard input" if name == "-" else name)
    result = endpoint_for(args.hook)(request, rules)
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

    p = sub.add_parser("window", help="open the window (what running with no command does)")
    p.add_argument("--users", metavar="FILE", help="a users file instead of the demo org's")
    p.set_defaults(func=_cmd_window)

    _add_network_commands(sub)
    return parser


def _cmd_window(args: argparse.Namespace) -> int:
    users = Path(args.users) if args.users else None
    if users is not None:
        _load_org(args.users)  # a bad file is one line on stderr, before any window opens
    return gui_main([], users_file=users)


def _add_network_commands(sub: argparse._SubParsersAction) -> None:
    """`send` (call a live hook) and `serve` (run the bundled logic as a hook service)."""
    _add_send_command(sub)
    _add_serve_command(sub)


# --- send ---------------------------------------------------------------------------------

_AUTH_ENV = "REGHOOK_AUTH_VALUE"
_OAUTH_SECRET_ENV = "REGHOOK_OAUTH_CLIENT_SECRET"


def _add_send_command(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "send",
        help="POST a request to a live hook URL as Okta would and judge the answer",
        description="Exit status: 0 the answer follows Okta's rules (whatever it decides), "
        "1 Okta would treat the call as failed or the answer as invalid, 2 bad arguments.",
    )
    p.add_argument("--url", required=True, help="the hook's URL (https://...; http:// for local)")
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="the request JSON")
    p.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="NAME:VALUE",
        help="a custom header to send (repeatable)",
    )
    p.add_argument("--auth-header", default="authorization", metavar="NAME")
    p.add_argument(
        "--auth",
        metavar="VALUE",
        help=f"the auth header's value, sent verbatim (or set {_AUTH_ENV})",
    )
    p.add_argument("--basic", metavar="USER:PASSWORD", help="build a Basic auth value")
    p.add_argument("--oauth-token-url", metavar="URL", help="OAuth 2.0 client credentials")
    p.add_argument("--oauth-client-id", metavar="ID")
    p.add_argument(
        "--oauth-client-secret",
        metavar="SECRET",
        help=f"(or set {_OAUTH_SECRET_ENV}, which keeps it out of the process list)",
    )
    p.add_argument("--oauth-scope", default="", metavar="SCOPE")
    p.add_argument("--timeout", type=float, default=3.0, metavar="S", help="default 3 (Okta's)")
    p.add_argument("--no-retry", action="store_true", help="do not retry as Okta would")
    p.add_argument("--ca-file", metavar="FILE", help="also trust this CA bundle")
    p.add_argument(
        "--insecure", action="store_true", help="skip TLS verification (local development only)"
    )
    p.add_argument("--users", metavar="FILE", help="a users/schema file instead of the demo org's")
    p.add_argument("--json", action="store_true", help="print the answer and verdict as JSON")
    p.set_defaults(func=_cmd_send)


def _send_auth(args: argparse.Namespace):
    import os

    from app.logic.remote import HookAuth, OAuthClientCredentials, basic_auth_value, parse_header

    extra: list[tuple[str, str]] = []
    for item in args.header:
        try:
            extra.append(parse_header(item))
        except ValueError as exc:
            raise UsageError(f"--header: {exc}") from None
    value = args.auth if args.auth is not None else os.environ.get(_AUTH_ENV, "")
    if args.basic is not None:
        user, sep, password = args.basic.partition(":")
        if not sep or not user:
            raise UsageError("--basic wants USER:PASSWORD")
        if value:
            raise UsageError("give either --auth or --basic, not both")
        value = basic_auth_value(user, password)
    oauth = None
    oauth_args = (args.oauth_token_url, args.oauth_client_id)
    if any(oauth_args):
        secret = args.oauth_client_secret or os.environ.get(_OAUTH_SECRET_ENV, "")
        if not all(oauth_args) or not secret:
            raise UsageError(
                "OAuth needs --oauth-token-url, --oauth-client-id and a client secret "
                f"(--oauth-client-secret or {_OAUTH_SECRET_ENV})"
            )
        if value:
            raise UsageError("with OAuth the token is the auth header: drop --auth / --basic")
        oauth = OAuthClientCredentials(
            args.oauth_token_url, args.oauth_client_id, secret, args.oauth_scope
        )
    auth = HookAuth(args.auth_header, value, tuple(extra), oauth)
    problems = auth.problems()
    if problems:
        raise UsageError(problems[0])
    return auth


def _cmd_send(args: argparse.Namespace) -> int:
    from app.logic.remote import (
        RemoteSettings,
        call_hook,
        check_url,
        describe_answer,
        masked_headers,
        url_notes,
    )
    from app.logic.verdict import Severity, interpret_response

    problem = check_url(args.url)
    if problem:
        raise UsageError(f"--url: {problem}")
    if oauth_problem := (args.oauth_token_url and check_url(args.oauth_token_url)):
        raise UsageError(f"--oauth-token-url: {oauth_problem}")
    if not 0 < args.timeout <= 60:
        raise UsageError("--timeout must be more than 0 and at most 60 seconds")
    if args.ca_file and not Path(args.ca_file).is_file():
        raise UsageError(f"--ca-file: no such file: {args.ca_file}")
    auth = _send_auth(args)
    if args.file == "-" and sys.stdin.isatty():
        raise UsageError("give the request as FILE, or '-' with the JSON on standard input")
    body = _read_bytes(args.file)
    name = "standard input" if args.file == "-" else args.file
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{name} is not UTF-8 text (byte {exc.start})") from None
    request = _parse_json_or_fail(text, name)
    org = _load_org(args.users)
    settings = RemoteSettings(
        timeout_s=args.timeout,
        ca_file=args.ca_file,
        verify_tls=not args.insecure,
        retry=not args.no_retry,
    )
    answer = call_hook(args.url, body, auth, settings)
    verdict = interpret_response(request, answer, org.schema, timeout_ms=args.timeout * 1000.0)
    notes = url_notes(args.url)
    failed = verdict.hook_failed or any(p.severity is Severity.ERROR for p in verdict.problems)
    if args.json:
        _print_json(
            {
                "url": args.url,
                "notes": notes,
                "sent_headers": [f"{n}: {v}" for n, v in masked_headers(auth)],
                "answer": {
                    "status": answer.status,
                    "headers": answer.headers,
                    "body": answer.body.decode("utf-8", errors="replace"),
                    "elapsed_ms": round(answer.elapsed_ms, 3),
                    "attempts": answer.attempts,
                    "failure": answer.failure.value if answer.failure else None,
                    "failure_detail": answer.failure_detail,
                },
                "verdict": verdict.to_json(),
            }
        )
    else:
        out = sys.stdout
        out.write(f"POST {args.url} ({len(body)} bytes)\n")
        for note in notes:
            out.write(f"note: {note}\n")
        out.write(describe_answer(answer) + "\n")
        if answer.body:
            shown = answer.body[:4096].decode("utf-8", errors="replace")
            more = len(answer.body) - 4096
            out.write(shown.rstrip("\n") + "\n")
            if more > 0:
                out.write(f"... ({more} more bytes not shown)\n")
        out.write("\n" + verdict.to_text().rstrip("\n") + "\n")
    return 1 if failed else 0


# --- serve --------------------------------------------------------------------------------


def _add_serve_command(sub: argparse._SubParsersAction) -> None:
    from app.logic.service import add_serve_arguments

    p = sub.add_parser(
        "serve",
        help="run the guide's hook service (the bundled logic) on this machine",
        description="Basic auth from BASIC_AUTH_USER / BASIC_AUTH_PASSWORD (environment or a "
        ".env file here); the guide's admin / supersecret when unset. Ctrl+C stops it.",
    )
    add_serve_arguments(p)
    p.set_defaults(func=_cmd_serve)


def _cmd_serve(args: argparse.Namespace) -> int:
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


def gui_main(argv: Sequence[str] | None = None, users_file: Path | None = None) -> int:
    """Open the window on the demo org (or on the users of `users_file`)."""
    from app.views.main_window import run_app

    return run_app(list(sys.argv[:1]) + list(argv or []), users_file=users_file)
