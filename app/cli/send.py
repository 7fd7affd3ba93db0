"""`reghook send`: POST a request to a live hook URL as Okta would, and judge the answer."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.cli.common import (
    UsageError,
    add_org_arguments,
    add_reading_argument,
    load_org,
    print_json,
    printable,
    read_bytes,
)
from app.logic import okta

HELP = "POST a request to a live hook URL as Okta would and judge the answer"
AUTH_ENV = "REGHOOK_AUTH_VALUE"
BASIC_PASSWORD_ENV = "REGHOOK_BASIC_PASSWORD"
OAUTH_SECRET_ENV = "REGHOOK_OAUTH_CLIENT_SECRET"


def add_auth_arguments(p: argparse.ArgumentParser) -> None:
    """How Okta identifies itself to the hook: shared by `send` and `check`."""
    p.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="NAME:VALUE",
        help="a custom header to send (repeatable)",
    )
    p.add_argument("--auth-header", default=okta.DEFAULT_AUTH_HEADER, metavar="NAME")
    p.add_argument(
        "--auth",
        metavar="VALUE",
        help=f"the auth header's value, sent verbatim (or set {AUTH_ENV})",
    )
    p.add_argument(
        "--basic",
        metavar="USER[:PASSWORD]",
        help="build a Basic auth value; without :PASSWORD the password comes from "
        f"{BASIC_PASSWORD_ENV} or a prompt, so it never shows in the process list",
    )
    p.add_argument("--oauth-token-url", metavar="URL", help="OAuth 2.0 client credentials")
    p.add_argument("--oauth-client-id", metavar="ID")
    p.add_argument(
        "--oauth-client-secret",
        metavar="SECRET",
        help=f"(or set {OAUTH_SECRET_ENV}, which keeps it out of the process list)",
    )
    p.add_argument("--oauth-scope", default="", metavar="SCOPE")
    p.add_argument("--timeout", type=float, default=okta.TIMEOUT_S, metavar="S", help="default 3")
    p.add_argument("--no-retry", action="store_true", help="do not retry as Okta would")
    p.add_argument("--ca-file", metavar="FILE", help="also trust this CA bundle")
    p.add_argument(
        "--insecure", action="store_true", help="skip TLS verification (local development only)"
    )


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "send",
        help=HELP,
        description=f"{HELP}. Exit status: 0 the answer follows Okta's rules (whatever it "
        "decides), 1 Okta would treat the call as failed or the answer as invalid, 2 bad "
        "arguments.",
    )
    p.add_argument("--url", required=True, help="the hook's URL (https://...; http:// for local)")
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="the request JSON")
    add_auth_arguments(p)
    add_org_arguments(p)
    add_reading_argument(p)
    p.add_argument("--json", action="store_true", help="print the whole exchange as JSON")
    p.add_argument(
        "--print-curl",
        action="store_true",
        help="print the call as a cURL command (the auth value from $HOOK_AUTH) and send nothing",
    )
    from app.cli.history import add_history_argument

    add_history_argument(p)
    p.set_defaults(func=run)


def _custom_headers(items: list[str]) -> list[tuple[str, str]]:
    from app.logic.remote import parse_header

    headers = []
    for number, item in enumerate(items, 1):
        try:
            headers.append(parse_header(item))
        except ValueError as exc:
            text = printable(str(exc), keep_newlines=False)
            raise UsageError(
                f"--header #{number}{'' if text.startswith('is ') else ':'} {text}"
            ) from None
    return headers


def _basic_value(spec: str) -> str:
    from app.logic.remote import basic_auth_value

    user, sep, password = spec.partition(":")
    if not user:
        raise UsageError("--basic wants USER or USER:PASSWORD")
    if not sep:
        password = os.environ.get(BASIC_PASSWORD_ENV, "")
        if not password:
            if not sys.stdin.isatty():
                raise UsageError(
                    f"--basic {user}: set {BASIC_PASSWORD_ENV}, or run on a terminal to be asked"
                )
            import getpass

            password = getpass.getpass(f"Password for {user}: ")
    return basic_auth_value(user, password)


def auth_from_args(args: argparse.Namespace):  # -> HookAuth
    from app.logic.remote import HookAuth, OAuthClientCredentials

    extra = _custom_headers(args.header)
    value = args.auth if args.auth is not None else os.environ.get(AUTH_ENV, "")
    if args.basic is not None:
        if value:
            raise UsageError("give either --auth or --basic, not both")
        value = _basic_value(args.basic)
    oauth = None
    oauth_args = (args.oauth_token_url, args.oauth_client_id)
    if any(oauth_args):
        secret = args.oauth_client_secret or os.environ.get(OAUTH_SECRET_ENV, "")
        if not all(oauth_args) or not secret:
            raise UsageError(
                "OAuth needs --oauth-token-url, --oauth-client-id and a client secret "
                f"(--oauth-client-secret or {OAUTH_SECRET_ENV})"
            )
        if value:
            raise UsageError("with OAuth the token is the auth header: drop --auth / --basic")
        oauth = OAuthClientCredentials(
            args.oauth_token_url, args.oauth_client_id, secret, args.oauth_scope
        )
    auth = HookAuth(args.auth_header, value, tuple(extra), oauth)
    problems = auth.problems()
    if problems:
        raise UsageError(printable(problems[0], keep_newlines=False))
    return auth


def url_target_from_args(args: argparse.Namespace, url: str):  # -> UrlTarget
    from app.logic.remote import RemoteSettings, check_url
    from app.logic.targets import UrlTarget

    problem = check_url(url)
    if problem:
        raise UsageError(f"--url: {printable(problem, keep_newlines=False)}")
    if oauth_problem := (args.oauth_token_url and check_url(args.oauth_token_url)):
        raise UsageError(f"--oauth-token-url: {printable(oauth_problem, keep_newlines=False)}")
    if not 0 < args.timeout <= 60:
        raise UsageError("--timeout must be more than 0 and at most 60 seconds")
    if args.ca_file and not Path(args.ca_file).is_file():
        raise UsageError(f"--ca-file: no such file: {args.ca_file}")
    settings = RemoteSettings(
        timeout_s=args.timeout,
        ca_file=args.ca_file,
        verify_tls=not args.insecure,
        retry=not args.no_retry,
    )
    return UrlTarget(url, auth_from_args(args), settings)


def report(exchange: object) -> str:
    """The exchange as `send` prints it for people."""
    from app.logic.remote import describe_answer, url_notes
    from app.logic.text import one_line

    ex = exchange
    # Values inside a line keep to it (one_line): a line feed in one must not forge a line.
    lines = [f"POST {one_line(ex.url)} ({len(ex.request_bytes)} bytes)"]  # type: ignore[attr-defined]
    lines += [f"note: {one_line(note)}" for note in url_notes(ex.url)]  # type: ignore[attr-defined]
    lines += [f"note: {one_line(note)}" for note in ex.notes]  # type: ignore[attr-defined]
    answer = ex.answer  # type: ignore[attr-defined]
    lines.append(describe_answer(answer))
    if answer.body:
        shown = answer.body[:4096].decode("utf-8", errors="replace")
        lines.append(shown.rstrip("\n"))
        if len(answer.body) > 4096:
            lines.append(f"... ({len(answer.body) - 4096} more bytes not shown)")
    lines += ["", ex.verdict.to_text().rstrip("\n")]  # type: ignore[attr-defined]
    from app.cli.verdict import evidence_text

    evidence = evidence_text(ex.verdict)  # type: ignore[attr-defined]
    if evidence:
        lines.append(evidence.rstrip("\n"))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from app.cli.verdict import verdict_failed
    from app.logic.run.pipeline import run_exchange

    target = url_target_from_args(args, args.url)
    body = read_bytes(args.file, what="the request JSON")
    if args.print_curl:
        from app.logic.run.curl import CurlRefused, curl_for_target

        try:
            command = curl_for_target(target, body)
        except CurlRefused as exc:
            name = "standard input" if args.file == "-" else args.file
            raise UsageError(f"{name}: {printable(str(exc), keep_newlines=False)}") from None
        from app.cli.common import write_utf8

        write_utf8(command + "\n")  # the body must reach curl as the UTF-8 it is
        return 0
    org = load_org(args.users, args.schema)
    exchange = run_exchange(body, target, schema=org.schema, reading=args.reading, org=org)
    from app.cli.history import record

    record(args, [(exchange, None)], source="send")
    name = "standard input" if args.file == "-" else args.file
    if exchange.verdict is None:
        problem = exchange.parse_problem
        where = (
            f"{problem.line}:{problem.column}: {problem.message}" if problem else exchange.refusal
        )
        raise UsageError(f"{name}:{printable(where, keep_newlines=False)}")
    if args.json:
        print_json(exchange.to_json())
    else:
        sys.stdout.write(printable(report(exchange)) + "\n")
    return 1 if verdict_failed(exchange.verdict) else 0
