"""`reghook export okta-hook`: the hook's configuration for Okta (API body or Terraform)."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import UsageError, print_json, printable, read_bytes
from app.logic import okta

HELP = "print the hook's Okta configuration (POST /api/v1/inlineHooks body, or Terraform)"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help=HELP, description=HELP + ". The secret is a placeholder.")
    p.add_argument("what", choices=["okta-hook"])
    p.add_argument("--name", required=True, help="the hook's name in Okta")
    p.add_argument("--url", required=True, help="the hook's https:// URL")
    p.add_argument("--auth-header", default=okta.DEFAULT_AUTH_HEADER, metavar="NAME")
    p.add_argument(
        "--header", action="append", default=[], metavar="NAME:VALUE", help="a custom header"
    )
    p.add_argument("--oauth-token-url", metavar="URL", help="use OAuth 2.0 client credentials")
    p.add_argument("--oauth-client-id", metavar="ID")
    p.add_argument("--oauth-scope", default="", metavar="SCOPE")
    p.add_argument("--terraform", action="store_true", help="an okta_inline_hook resource")
    p.add_argument(
        "--execute",
        metavar="REQUEST",
        help="print the cURL for POST /api/v1/inlineHooks/{id}/execute with this request file",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.logic.export.okta_hook import (
        POLICY_NOTE,
        HookConfig,
        execute_curl,
        inline_hook_body,
        terraform_resource,
    )
    from app.logic.run.curl import CurlRefused

    headers = []
    for number, item in enumerate(args.header, 1):
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            # The text is not repeated: a header's value is often a secret.
            raise UsageError(f"--header #{number} is not NAME:VALUE (its text is not repeated)")
        headers.append((name.strip(), value.strip()))
    config = HookConfig(
        name=args.name,
        url=args.url,
        auth_header=args.auth_header,
        headers=tuple(headers),
        oauth_token_url=args.oauth_token_url,
        oauth_client_id=args.oauth_client_id,
        oauth_scope=args.oauth_scope,
    )
    problems = config.problems()
    if problems:
        raise UsageError(printable(problems[0], keep_newlines=False))
    if args.execute:
        body = read_bytes(args.execute, what="the request JSON")
        try:
            command = execute_curl(body)
        except CurlRefused as exc:
            reason = printable(str(exc), keep_newlines=False)
            raise UsageError(f"{args.execute}: {reason}") from None
        from app.cli.common import write_utf8

        write_utf8(command + "\n")  # the body must reach curl as the UTF-8 it is
        return 0
    if args.terraform:
        sys.stdout.write(terraform_resource(config))
    else:
        print_json(inline_hook_body(config))
    if not args.url.lower().startswith("https://"):
        sys.stderr.write("note: Okta accepts only https:// hook URLs\n")
    sys.stderr.write(f"note: {POLICY_NOTE}\n")
    return 0
