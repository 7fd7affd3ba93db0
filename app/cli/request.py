"""`reghook request`: print the request JSON Okta would send for a user of the org."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import (
    UsageError,
    add_connection_arguments,
    add_org_arguments,
    add_org_live_argument,
    load_org,
    print_json,
    printable,
)

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
    p.add_argument(
        "--hook",
        metavar="ENDPOINT",
        help="the guide's policy whose form to fill: ssr, pp, ssr-and-pp or an endpoint path "
        "(default: Okta's default sign-up form, Email, First name, Last name; the progressive "
        "form has Employee number)",
    )
    p.add_argument(
        "--form",
        metavar="ATTR,ATTR",
        help="the attributes the form collects, instead of the policy's (e.g. "
        "--form email,firstName,lastName,employeeNumber)",
    )
    add_org_arguments(p)
    p.add_argument(
        "--org-url",
        metavar="URL",
        help="the org's base URL the _links point at (default: a made-up "
        "https://dev-00000000.okta.com)",
    )
    add_org_live_argument(p, "the user (searched there by --user)")
    add_connection_arguments(p)
    p.add_argument("--seed", type=int, help="make eventId and other ids repeatable")
    p.add_argument(
        "--now",
        metavar="TIME",
        help="the eventTime, e.g. 2026-01-01T00:00:00.000Z; with --seed the output is the same "
        "byte for byte every time",
    )
    p.set_defaults(func=run)


def find_user(org: object, text: str) -> object:
    """The one user `text` names (login, id or a unique part of a name); UsageError otherwise."""
    user = org.find(text)  # type: ignore[attr-defined]
    if user is not None:
        return user
    matches = org.search(text, limit=6)  # type: ignore[attr-defined]
    if len(matches) == 1:
        return matches[0]
    shown = printable(text, keep_newlines=False)
    if not matches:
        raise UsageError(f"no user matches '{shown}' in the org (try part of a name or login)")
    listed = ", ".join(u.login for u in matches[:5])
    more = " and more" if len(matches) > 5 else ""
    count = f"{len(matches)}" if len(matches) <= 5 else "more than 5"
    raise UsageError(f"{count} users match '{shown}': {listed}{more}; give a login")


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


def form_fields(args: argparse.Namespace, request_type: str, schema: object) -> tuple[str, ...]:
    """The form's attributes: --form, else the --hook policy's form (else Okta's default)."""
    from app.logic.request_builder import parse_fields, policy_endpoint, policy_fields

    if args.hook and policy_endpoint(args.hook) is None:
        raise UsageError(f"--hook {printable(args.hook)}: use ssr, pp or ssr-and-pp")
    if args.form is None:
        return policy_fields(args.hook, request_type)
    try:
        fields = parse_fields(args.form)
    except ValueError as exc:
        raise UsageError(f"--form: {exc}") from None
    for name in fields:
        if not schema.has(name):  # type: ignore[attr-defined]
            sys.stderr.write(
                f"warning: --form {printable(name)}: the org's user schema has no such "
                "attribute; Okta's form could not collect it\n"
            )
    return fields


def run(args: argparse.Namespace) -> int:
    from app.logic.okta import DEFAULT_ORG_URL
    from app.logic.request_builder import (
        FORM_NOT_SHOWN_TEXT,
        PP,
        build_request,
        needs_progressive_form,
        normalise_request_type,
        parse_event_time,
    )

    try:
        request_type = normalise_request_type(args.type)
        now = parse_event_time(args.now) if args.now else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.org_live:
        if args.users or args.schema:
            raise UsageError(
                "--org-live takes users and schema from the org: drop --users/--schema"
            )
        from app.cli.org import live_org

        org, live_url = live_org(args, args.user)
    else:
        if args.org:
            raise UsageError("--org names a live org: add --org-live (or use --org-url for _links)")
        org, live_url = load_org(args.users, args.schema), None
    org_url = args.org_url or live_url or DEFAULT_ORG_URL
    if not org_url.startswith(("https://", "http://")):
        raise UsageError(f"--org-url wants an https:// URL, got '{printable(org_url[:60])}'")
    user = find_user(org, args.user)
    fields = form_fields(args, request_type, org.schema)
    form = form_from_args(args.set, org.schema)
    extra = [name for name in form if name not in fields]
    if extra:
        sys.stderr.write(
            f"note: --set {', '.join(printable(n) for n in extra)}: not on the form; the form "
            "collects it too (choose the form's fields with --form)\n"
        )
        fields = (*fields, *extra)
    if request_type == PP and fields and not needs_progressive_form(user, fields):
        sys.stderr.write(
            f"note: {FORM_NOT_SHOWN_TEXT}: {printable(user.login)} already has "
            f"{', '.join(fields)} (Okta prompts only for attributes a user lacks)\n"
        )
    request = build_request(
        request_type,
        user,
        form=form or None,
        fields=fields,
        seed=args.seed,
        now=now,
        org_url=org_url,
    )
    print_json(request)
    return 0
