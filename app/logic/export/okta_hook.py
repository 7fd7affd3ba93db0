"""The hook's Okta configuration: the body of `POST /api/v1/inlineHooks`, the same hook as a
Terraform `okta_inline_hook` resource, and the cURL for `POST /api/v1/inlineHooks/{id}/execute`.

Secrets are never written: the auth value and an OAuth client secret are placeholders
(`${HOOK_AUTH}`, `${HOOK_OAUTH_CLIENT_SECRET}`), the Okta API token is `$OKTA_API_TOKEN`.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.logic import okta

__all__ = [
    "AUTH_PLACEHOLDER",
    "HOOK_VERSION",
    "OAUTH_SECRET_PLACEHOLDER",
    "POLICY_NOTE",
    "HookConfig",
    "execute_curl",
    "inline_hook_body",
    "terraform_resource",
]

HOOK_VERSION = "1.0.0"
CHANNEL_VERSION = "1.0.0"
AUTH_PLACEHOLDER = "${HOOK_AUTH}"
OAUTH_SECRET_PLACEHOLDER = "${HOOK_OAUTH_CLIENT_SECRET}"
POLICY_NOTE = (
    "Then bind it to a profile enrollment policy: Security > User Profile Policies (Profile "
    "Enrollment) > the policy > Inline hook, and choose when it runs (new users, existing "
    "users, or both)."
)


@dataclass(frozen=True)
class HookConfig:
    """What the exports need to know about the hook."""

    name: str
    url: str
    auth_header: str = okta.DEFAULT_AUTH_HEADER
    headers: Sequence[tuple[str, str]] = field(default_factory=tuple)
    #: OAuth 2.0 client credentials instead of an auth header: (token URL, client id, scope).
    oauth_token_url: str | None = None
    oauth_client_id: str | None = None
    oauth_scope: str = ""
    oauth_auth_type: str = "client_secret_post"

    @property
    def oauth(self) -> bool:
        return bool(self.oauth_token_url and self.oauth_client_id)


def inline_hook_body(config: HookConfig) -> dict[str, Any]:
    """The JSON body for `POST /api/v1/inlineHooks` (Okta's management API)."""
    headers = [{"key": name, "value": value} for name, value in config.headers]
    channel_config: dict[str, Any] = {"uri": config.url, "method": "POST", "headers": headers}
    if config.oauth:
        channel_config.update(
            {
                "authType": config.oauth_auth_type,
                "clientId": config.oauth_client_id,
                "clientSecret": OAUTH_SECRET_PLACEHOLDER,
                "tokenUrl": config.oauth_token_url,
                "scope": config.oauth_scope,
            }
        )
        channel_type = "OAUTH"
    else:
        channel_config["authScheme"] = {
            "type": "HEADER",
            "key": config.auth_header,
            "value": AUTH_PLACEHOLDER,
        }
        channel_type = "HTTP"
    return {
        "name": config.name,
        "type": okta.EVENT_TYPE,
        "version": HOOK_VERSION,
        "channel": {"type": channel_type, "version": CHANNEL_VERSION, "config": channel_config},
    }


def _hcl_string(value: str) -> str:
    # HCL strings are JSON strings, except that ${ and %{ start templates.
    return json.dumps(value, ensure_ascii=False).replace("${", "$${").replace("%{", "%%{")


def _resource_name(name: str) -> str:
    slug = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_")
    if not slug or not slug[0].isalpha():
        slug = "hook_" + slug
    return slug


def terraform_resource(config: HookConfig) -> str:
    """The same hook as an `okta_inline_hook` resource, its secret in a sensitive variable."""
    name = _resource_name(config.name)
    lines = [
        'variable "hook_auth" {',
        "  type      = string",
        "  sensitive = true",
        '  description = "The auth header value Okta sends the hook"',
        "}",
        "",
        f'resource "okta_inline_hook" "{name}" {{',
        f"  name    = {_hcl_string(config.name)}",
        f"  type    = {_hcl_string(okta.EVENT_TYPE)}",
        f"  version = {_hcl_string(HOOK_VERSION)}",
        '  status  = "ACTIVE"',
    ]
    if config.oauth:
        # The provider takes an OAuth channel as JSON (channel_json), with the secret in it.
        lines[0:5] = [
            'variable "hook_oauth_client_secret" {',
            "  type      = string",
            "  sensitive = true",
            "}",
        ]
        channel = inline_hook_body(config)["channel"]
        config_json = dict(channel["config"])
        config_json["clientSecret"] = "__SECRET__"
        encoded = json.dumps({**channel, "config": config_json}, indent=2, ensure_ascii=False)
        encoded = encoded.replace("${", "$${").replace(
            '"__SECRET__"', "var.hook_oauth_client_secret"
        )
        body = "\n".join("  " + line for line in encoded.splitlines())
        lines.append(f"  channel_json = jsonencode({body.strip()})")
    else:
        lines += [
            "  channel = {",
            f"    version = {_hcl_string(CHANNEL_VERSION)}",
            f"    uri     = {_hcl_string(config.url)}",
            '    method  = "POST"',
            "  }",
            "  auth = {",
            f"    key   = {_hcl_string(config.auth_header)}",
            '    type  = "HEADER"',
            "    value = var.hook_auth",
            "  }",
        ]
    for header, value in config.headers:
        lines += [
            "  headers {",
            f"    key   = {_hcl_string(header)}",
            f"    value = {_hcl_string(value)}",
            "  }",
        ]
    lines.append("}")
    return "\n".join(lines) + "\n"


def execute_curl(request_body: bytes | str, *, org_url: str = "https://${OKTA_ORG}") -> str:
    """cURL for `POST /api/v1/inlineHooks/{id}/execute` with `request_body` as its body: Okta
    then calls the hook as it would for a real registration and answers the hook's response."""
    text = request_body.decode("utf-8") if isinstance(request_body, bytes) else request_body
    url = f"{org_url.rstrip('/')}/api/v1/inlineHooks/${{HOOK_ID}}/execute"
    return " \\\n  ".join(
        [
            "# set OKTA_ORG (your-org.okta.com), HOOK_ID and OKTA_API_TOKEN first",
            f'curl --silent --show-error --request POST "{url}"',
            "--header 'Accept: application/json'",
            "--header 'Content-Type: application/json'",
            '--header "Authorization: SSWS $OKTA_API_TOKEN"',
            f"--data-binary {shlex.quote(text)}",
        ]
    ).replace(" \\\n  curl", "\ncurl", 1)
