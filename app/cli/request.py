"""`reghook request`: print the request JSON Okta would send for a user of the org."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import UsageError, add_org_arguments, load_org, print_json, printable

HELP = "print the request JSON Okta would send"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("request", help=HELP, description=HELP + ".")
    p.add_argument(
        "--type", required=True, help="self.service.registration | progressive.profile | ssr | pp"
    )
    p.add_argument("--user", required=True, help="login (or id, or a unique part of a name)")
    p.add_argument(
        "--set",
        action="append",
        metavar="FIELD=VALUE",
        help="a form field the person typed (repeatable), e.g. --set employeeNumber=1234",
    )
    add_org_arguments(p)
    p.add_argument("--seed", type=int, help="make eventId and other ids repeatable")
    p.set_defaults(func=run)


def find_user(org: object, text: str) -> object:
    """The one user `text` names (login, id or a unique part of a name); UsageError otherwise."""
    user = org.find(text)  # type: ignore[attr-defined]
    if user is not None:
        return user
    matches = org.search(text)  # type: ignore[attr-defined]
    if len(matches) == 1:
        return matches[0]
    shown = printable(text, keep_newlines=False)
    if not matches:
        raise UsageError(f"no user matches '{shown}' in the org (try part of a name or login)")
    listed = ", ".join(u.login for u in matches[:5])
    more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
    raise UsageError(f"{len(matches)} users match '{shown}': {listed}{more}; give a login")


def form_from_args(items: list[str] | None, schema: object) -> dict[str, str]:
    form: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"--set wants FIELD=VALUE, got '{printable(item[:40])}'")
        if name == "password":
            raise UsageError("--set password: Okta never sends the password to a hook")
        if not schema.has(name):  # type: ignore[attr-defined]
            sys.stderr.write(
                f"warning: --set {printable(name)}: the org's user schema has no such attribute; "
                "Okta's form could not collect it\n"
            )
        form[name] = value
    return form


def run(args: argparse.Namespace) -> int:
    from app.logic.request_builder import build_request, normalise_request_type

    try:
        request_type = normalise_request_type(args.type)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    org = load_org(args.users, args.schema)
    user = find_user(org, args.user)
    form = form_from_args(args.set, org.schema)
    request = build_request(request_type, user, form=form or None, seed=args.seed)
    print_json(request)
    return 0
