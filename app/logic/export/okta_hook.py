"""The hook's Okta configuration: the body of `POST /api/v1/inlineHooks`, the same hook as a
Terraform `okta_inline_hook` resource, and the cURL for `POST /api/v1/inlineHooks/{id}/execute`.

Secrets are never written: the auth value and an OAuth client secret are placeholders
(`${HOOK_AUTH}`, `${HOOK_OAUTH_CLIENT_SECRET}`) or sensitive Terraform variables, and the
`/execute` command reads the Okta API token from `$OKTA_API_TOKEN`. `HookConfig.problems()`
checks the inputs as a call checks them.
"""

from __future__ import annotations

import json
import re
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


# Control characters, and lone surrogates that neither UTF-8 nor HCL can carry.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


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

    def problems(self) -> list[str]:
        """What Okta could not take, checked as strictly as a call checks it, one line each
        (a header's value is never repeated: it may be a secret)."""
        from app.logic.remote import check_url, header_problem

        found: list[str] = []
        if not self.name.strip():
            found.append("the hook needs a name")
        texts = {
            "name": self.name,
            "OAuth client id": self.oauth_client_id or "",
            "OAuth scope": self.oauth_scope,
        }
        for what, text in texts.items():
            if _CONTROL.search(text):
                found.append(f"the {what} has a line break or control character")
        if problem := check_url(self.url):
            found.append(f"the hook URL: {problem}")
        if self.oauth_token_url and (problem := check_url(self.oauth_token_url)):
            found.append(f"the OAuth token URL: {problem}")
        if bool(self.oauth_token_url) != bool(self.oauth_client_id):
            found.append("OAuth needs both a token URL and a client id")
        if not self.oauth and (problem := header_problem(self.auth_header, "")):
            found.append(f"the auth header: {problem}")
        for name, value in self.headers:
            if problem := header_problem(name, value):
                found.append(problem)
        return found


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
            }
        )
        if config.oauth_scope:
            # Without scopes the key is left out, as in Okta's own request example
            # (okta/okta-management-openapi-spec, dist/current/management-minimal.yaml at
            # fdda229e82940cf5af4611ad673ca6a27974e31b: the example
            # InlineHookMgmtCreateOAuthClientSecretRequest has no scope, and Okta answers
            # `"scope": null` in InlineHookMgmtCreateOAuthClientSecretResponse).
            channel_config["scope"] = config.oauth_scope
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


class _Variable:
    """A Terraform variable reference inside an HCL value (written bare, never quoted)."""

    def __init__(self, name: str) -> None:
        self.name = name


#: HCL quoted-template escapes (hashicorp/hcl, hclsyntax/spec.md "Template Expressions"):
#: only these letters after a backslash; every other control character goes as \uNNNN.
_HCL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_HCL_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f-\x9f\u2028\u2029]')


def _hcl_string(value: str) -> str:
    """`value` as an HCL quoted string that Terraform reads back as exactly `value`: its
    backslash escapes are HCL's (JSON's \\b, \\f and \\/ are not), and `${` and `%{` are
    written `$${` and `%%{` so nothing in it becomes an interpolation or a directive."""
    escaped = _HCL_NEEDS_ESCAPE.sub(
        lambda m: _HCL_ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), value
    )
    return '"' + escaped.replace("${", "$${").replace("%{", "%%{") + '"'


def _hcl_value(value: Any, indent: str) -> str:
    """A JSON-shaped value as an HCL expression (object and tuple constructors)."""
    if isinstance(value, _Variable):
        return f"var.{value.name}"
    if isinstance(value, str):
        return _hcl_string(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        rows = [f"{inner}{_hcl_string(str(k))} = {_hcl_value(v, inner)}" for k, v in value.items()]
        return "{\n" + "\n".join(rows) + f"\n{indent}}}"
    if not value:
        return "[]"
    rows = [f"{inner}{_hcl_value(v, inner)}," for v in value]
    return "[\n" + "\n".join(rows) + f"\n{indent}]"


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
        "  type        = string",
        "  sensitive   = true",
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
        # The provider takes an OAuth channel only as JSON (channel_json). The secret is put in
        # as the variable itself, never by replacing a marker text a value could also hold.
        lines[0:5] = [
            'variable "hook_oauth_client_secret" {',
            "  type        = string",
            "  sensitive   = true",
            '  description = "The OAuth client secret Okta uses to get a token for the hook"',
            "}",
        ]
        channel = inline_hook_body(config)["channel"]
        channel["config"]["clientSecret"] = _Variable("hook_oauth_client_secret")
        lines.append(f"  channel_json = jsonencode({_hcl_value(channel, '  ')})")
        # No `headers` blocks here: with channel_json set the provider builds the channel from
        # the JSON alone and never reads them (okta/terraform-provider-okta,
        # okta/services/idaas/resource_okta_inline_hook.go at
        # e59c130b0b6e4b9f76aacbba437515cd5e95cc71, buildInlineHook); they are in
        # channel_json's config.headers.
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


def execute_curl(request_body: bytes | str) -> str:
    """cURL for `POST /api/v1/inlineHooks/{id}/execute` with `request_body` as its body: Okta
    then calls the hook as it would for a real registration and answers the hook's response.
    The org, the hook id and the API token come from the environment; the command stops,
    sending nothing, when one is not set. CurlRefused when the request is not JSON."""
    from app.logic.run.curl import json_body, required, shell_command

    text = json_body(request_body)
    org = "https://" + required("OKTA_ORG", "your-org.okta.com")
    hook_id = required("HOOK_ID", "the inline hook id")
    url = f'"{org}/api/v1/inlineHooks/{hook_id}/execute"'
    token = required("OKTA_API_TOKEN", "an Okta API token")
    headers = ["'Accept: application/json'", "'Content-Type: application/json'"]
    headers.append(f'"Authorization: SSWS {token}"')
    options = ["--silent", "--show-error", "--request", "POST"]
    command = shell_command(options, url, headers, text)
    return "# set OKTA_ORG (your-org.okta.com), HOOK_ID and OKTA_API_TOKEN first\n" + command
