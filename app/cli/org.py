"""`reghook org`: a live Okta org's users, schema and registration hooks, Preview through Okta,
and the calls the System Log records. The window calls the same `app.logic.okta_org` code.

The org: --org URL, else OKTA_CLIENT_ORGURL (or the Python SDK's OKTA_CLIENT_ORG_URL), else
~/.okta/okta.yaml. The credential: OKTA_CLIENT_TOKEN or okta.yaml, else the system keyring,
else a prompt on a terminal (never an argument: it would show in the process list).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.common import (
    UsageError,
    add_connection_arguments,
    add_reading_argument,
    print_json,
    printable,
    read_bytes,
)

HELP = "a live Okta org: users, schema, registration hooks, Preview through Okta, logged calls"


def add_parser(sub: argparse._SubParsersAction) -> None:
    from app.cli.common import Parser
    from app.cli.history import add_history_argument

    p = sub.add_parser(
        "org",
        help=HELP,
        description=f"{HELP}. Exit status: 0 done, 1 (preview) Okta or a rule here refused the "
        "answer, 2 bad arguments or the org refused the call.",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=Parser)
    users = actions.add_parser("users", help="search the org's users (on the org, page by page)")
    users.add_argument(
        "--search",
        default="",
        metavar="TEXT",
        help="start of a name or login, "
        'or an Okta search expression (profile.department eq "Sales")',
    )
    users.add_argument("--max", type=int, default=200, metavar="N", help="at most N (200)")
    schema = actions.add_parser("schema", help="the org's user profile attributes")
    hooks = actions.add_parser("hooks", help="the org's registration inline hooks")
    preview = actions.add_parser(
        "preview", help="send a request to the org's hook through Okta (/execute) and compare"
    )
    preview.add_argument("--hook", required=True, metavar="ID_OR_NAME")
    preview.add_argument("file", nargs="?", default="-", metavar="REQUEST.json|-")
    preview.add_argument(
        "--direct",
        action="store_true",
        help="also call the hook's URI straight (auth value from REGHOOK_AUTH_VALUE), so an "
        "answer Okta refuses can be judged here too",
    )
    add_reading_argument(preview)
    add_history_argument(preview)
    calls = actions.add_parser("calls", help="the calls Okta made to a hook (System Log)")
    calls.add_argument("--hook", required=True, metavar="ID_OR_NAME")
    calls.add_argument(
        "--since",
        metavar="TIME",
        help="a time (2026-12-01T10:00:00Z) or a span back from now (12h, 7d); default 7d",
    )
    calls.add_argument(
        "--scenario",
        type=int,
        metavar="N",
        help="print the Nth call listed (1 = newest) as a scenario file",
    )
    for action in (users, schema, hooks, preview, calls):
        add_connection_arguments(action)
        action.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def _say(text: str) -> None:
    sys.stderr.write(printable(text, keep_newlines=False) + "\n")
    sys.stderr.flush()


def connect(args: argparse.Namespace) -> Any:
    """The org client for --org (or the SDK's variables and okta.yaml) with its credential."""
    from app.logic.okta_org.client import OrgApiError, OrgClient
    from app.logic.okta_org.config import (
        PRIVATE_KEY,
        ConfigError,
        credential_from_store,
        find_config,
        with_secret,
    )
    from app.logic.secret_store import SecretStore

    try:
        config = find_config(getattr(args, "org", None), ca_file=getattr(args, "ca_file", None))
    except ConfigError as exc:
        raise UsageError(printable(str(exc), keep_newlines=False)) from None
    store = SecretStore()
    if config.problem():
        config = credential_from_store(config, store)
    if config.problem() and config.mode != PRIVATE_KEY:
        if not sys.stdin.isatty():
            raise UsageError(
                f"no API token for {config.org_url}: set OKTA_CLIENT_TOKEN, or run on a "
                "terminal to be asked"
            )
        import getpass

        token = getpass.getpass(f"API token for {config.org_url}: ")
        config = with_secret(config, token)
        if token.strip():
            problem = store.set(config.secret_key, token.strip(), getattr(args, "remember", False))
            if problem and getattr(args, "remember", False):
                _say(f"note: {problem}")
    if config.problem():
        raise UsageError(config.problem())
    try:
        return OrgClient(config, on_wait=lambda _s, message: _say(f"{message} (Ctrl+C stops)"))
    except OrgApiError as exc:
        raise UsageError(printable(str(exc), keep_newlines=False)) from None


def run(args: argparse.Namespace) -> int:
    from app.logic.okta_org.client import OrgApiError

    if not getattr(args, "action", None):
        raise UsageError("give an action: users, schema, hooks, preview or calls")
    client = connect(args)
    try:
        return int(ACTIONS[args.action](args, client))
    except OrgApiError as exc:
        raise UsageError(printable(str(exc), keep_newlines=False)) from None
    finally:
        client.close()


def _users(args: argparse.Namespace, client: Any) -> int:
    from app.logic.okta_org.operations import search_users, shown

    if args.max < 1:
        raise UsageError("--max must be at least 1")
    notes: list[str] = []
    found: list[Any] = []
    skipped = 0
    for page in search_users(client, args.search, max_users=args.max, notes=notes):
        skipped += page.skipped
        found += page.users
        if not args.json:  # each page as it arrives
            for user in page.users:
                sys.stdout.write(
                    f"{shown(user.login, 60):<40} {shown(user.display_name, 40):<32} {user.id}\n"
                )
            sys.stdout.flush()
    if args.json:
        print_json([{"id": u.id, "login": u.login, "profile": u.profile} for u in found])
    for note in notes:
        _say(f"note: {note}")
    if skipped:
        _say(f"note: {skipped} entries had no id, profile or login and were skipped")
    if len(found) >= args.max:
        _say(f"note: showing the first {args.max}; narrow the search or raise --max")
    elif not found:
        _say("no user matches")
    return 0


def _schema(args: argparse.Namespace, client: Any) -> int:
    from app.logic.okta_org.operations import fetch_user_schema, shown

    schema, _raw = fetch_user_schema(client)
    rows: list[dict[str, Any]] = [
        {
            "name": a.name,
            "title": a.title,
            "type": a.type,
            "required": a.required,
            "permission": a.permission,
            "custom": a.custom,
        }
        for a in schema.attributes.values()
    ]
    if args.json:
        print_json({"org": client.config.org_url, "attributes": rows})
        return 0
    for row in rows:
        flags = ", ".join(
            part
            for part in (
                "required" if row["required"] else "",
                "custom" if row["custom"] else "",
                row["permission"] if row["permission"] != "READ_WRITE" else "",
            )
            if part
        )
        sys.stdout.write(f"{shown(row['name'], 40):<28} {row['type']:<8} {flags}\n")
    return 0


def _hooks(args: argparse.Namespace, client: Any) -> int:
    from app.logic.okta_org.operations import list_registration_hooks, shown

    hooks = list_registration_hooks(client)
    if args.json:
        print_json([hook.to_json() for hook in hooks])
        return 0
    if not hooks:
        _say("the org has no registration inline hook")
    for hook in hooks:
        auth = f"auth header {shown(hook.auth_header, 40)}" if hook.auth_header else "no auth"
        if hook.channel == "OAUTH":
            auth = "OAuth 2.0"
        sys.stdout.write(
            f"{hook.id}  {shown(hook.name, 40)}  {shown(hook.status, 10)}  "
            f"{shown(hook.uri, 100)}  ({auth})\n"
        )
    return 0


def _hook(client: Any, wanted: str) -> Any:
    from app.logic.okta_org.operations import find_hook, list_registration_hooks

    return find_hook(list_registration_hooks(client), wanted)


def _preview(args: argparse.Namespace, client: Any) -> int:
    import os

    from app.cli.history import record
    from app.cli.verdict import verdict_failed
    from app.logic.okta_org.observations import ObservationStore, citations
    from app.logic.okta_org.preview import preview_through_okta

    body = read_bytes(args.file, what="the request JSON")
    hook = _hook(client, args.hook)
    direct: Any = None  # a UrlTarget (the Target protocol wants a settable `kind`)
    if args.direct:
        from app.logic.remote import HookAuth, check_url
        from app.logic.targets import UrlTarget

        problem = check_url(hook.uri)
        if problem:
            raise UsageError(f"--direct: the hook's URI cannot be called: {problem}")
        value = os.environ.get("REGHOOK_AUTH_VALUE", "")
        direct = UrlTarget(hook.uri, HookAuth(hook.auth_header or "authorization", value))
    schema = None
    try:
        from app.logic.okta_org.operations import fetch_user_schema

        schema, _ = fetch_user_schema(client)
    except Exception as exc:  # the verdict still runs without the org's schema
        _say(f"note: the org's schema could not be read ({exc}); attributes go unchecked")
    preview = preview_through_okta(
        client, hook, body, schema=schema, reading=args.reading, direct_target=direct
    )
    exchange = preview.exchange
    if exchange.verdict is None:
        name = "standard input" if args.file == "-" else args.file
        parse_problem = exchange.parse_problem
        where = (
            f"{parse_problem.line}:{parse_problem.column}: {parse_problem.message}"
            if parse_problem
            else exchange.refusal
        )
        raise UsageError(f"{name}:{printable(where, keep_newlines=False)}")
    items = [(exchange, None)] + ([(preview.direct, None)] if preview.direct else [])
    record(args, items, source="org preview")
    store = ObservationStore()
    problem = store.record(preview.observations)
    if problem:
        _say(f"note: {problem}")
    verdict = exchange.verdict
    cited = citations([p.code for p in verdict.unconfirmed()], store)
    if args.json:
        result = preview.to_json()
        result["citations"] = cited
        print_json(result)
    else:
        lines = [
            f"Through Okta: POST {exchange.url}",
            f"Okta: {preview.okta_said}",
        ]
        if exchange.response_bytes:
            shown_body = exchange.response_bytes[:4096].decode("utf-8", errors="replace")
            lines += ["The hook's answer, as Okta passed it back:", shown_body.rstrip("\n")]
        lines += ["", "This program's verdict of the same answer:", verdict.to_text().rstrip()]
        if preview.direct is not None and preview.direct.verdict is not None:
            lines += ["", "Straight to the hook:", preview.direct.verdict.to_text().rstrip()]
        lines += ["", *[f"DISAGREEMENT: {d}" for d in preview.disagreements]]
        lines += [f"{code}: {sentence}" for code, sentence in cited.items()]
        sys.stdout.write(printable("\n".join(lines).rstrip("\n")) + "\n")
    refused = preview.okta_status != 200
    return 1 if refused or verdict_failed(verdict) else 0


def _calls(args: argparse.Namespace, client: Any) -> int:
    from app.logic.okta_org.calls import hook_calls, parse_since, scenario_from_call

    try:
        since = parse_since(args.since or "7d")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    hook = _hook(client, args.hook)
    notes: list[str] = []
    calls = hook_calls(client, hook.id, since=since, notes=notes)
    for note in notes:
        _say(f"note: {note}")
    if args.scenario is not None:
        if not 1 <= args.scenario <= len(calls):
            raise UsageError(f"--scenario: {len(calls)} calls are listed; pick 1 to {len(calls)}")
        print_json(scenario_from_call(calls[args.scenario - 1]))
        return 0
    if args.json:
        print_json([call.to_json() for call in calls])
        return 0
    if not calls:
        _say(f"the System Log has no call to this hook since {since}")
    for number, call in enumerate(calls, 1):
        sys.stdout.write(f"{number:>3}  {call.line()}\n")
    if calls:
        _say(
            "note: the System Log keeps the time, outcome and user, not the request: "
            "--scenario N rebuilds one from the org's user"
        )
    return 0


ACTIONS = {
    "users": _users,
    "schema": _schema,
    "hooks": _hooks,
    "preview": _preview,
    "calls": _calls,
}


def live_scenario_org(args: argparse.Namespace) -> tuple[Any, Any]:
    """(an org that looks scenario users up on the live org, its client to close after)."""
    from app.logic.okta_org.client import OrgApiError
    from app.logic.okta_org.live import LiveOrg
    from app.logic.okta_org.operations import fetch_user_schema

    client = connect(args)
    try:
        schema, _ = fetch_user_schema(client)
    except OrgApiError as exc:
        client.close()
        raise UsageError(printable(str(exc), keep_newlines=False)) from None
    return LiveOrg(client, schema), client


def live_org(args: argparse.Namespace, user_text: str) -> Any:
    """A `DemoOrg` of the live org's users matching `user_text` (one search, at most one
    page) and the org's schema: what `request --org-live` builds a request from."""
    from app.logic.okta_org.client import OrgApiError
    from app.logic.okta_org.operations import fetch_user_schema, search_users
    from app.logic.org import DemoOrg

    client = connect(args)
    try:
        schema, _ = fetch_user_schema(client)
        users: list[Any] = []
        for page in search_users(client, user_text, max_users=50):
            users += page.users
        return DemoOrg(users=tuple(users), schema=schema), client.config.org_url
    except OrgApiError as exc:
        raise UsageError(printable(str(exc), keep_newlines=False)) from None
    finally:
        client.close()
