"""The Okta hook exports read back exactly: the Terraform resource is evaluated by the real
`terraform` (offline, `terraform console`) and parsed by python-hcl2, and every value it holds
comes back as given, however much HCL template syntax or control characters it holds."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.logic.export.okta_hook import HookConfig, inline_hook_body, terraform_resource

TERRAFORM = shutil.which("terraform")
CLIENT_SECRET = 's3cr3t-"${x}"-%{y}'

# Values that HCL would read as templates, escapes it does not have, and a value equal to the
# marker an earlier version swapped for the secret.
HOSTILE = 'cid-%{ for i in [1] }EVALUATED%{ endfor } ${var.x} $${lit} %%{lit} \b\f/\\"\t\n é 日本'
OAUTH = HookConfig(
    name="Hook ${path.module} %{ if true }yes%{ endif } \b\f",
    url="https://h.example/hook?a=${b}&c=%{d}",
    headers=(("X-Tenant", "__SECRET__"), ("X-Note", "a %{ for x in [1] }b%{ endfor }")),
    oauth_token_url="https://idp.example/oauth2/v1/token?x=${y}",
    oauth_client_id=HOSTILE,
    oauth_scope="__SECRET__",
)
HTTP = HookConfig(
    name="Hook ${path.module}",
    url="https://h.example/registrationHookSSR",
    auth_header="X-Auth-${x}",
    headers=(("X-Tenant", HOSTILE.replace("\n", " ").replace("\t", " ")),),
)


def terraform_values(text: str, tmp_path: Path, expression: str) -> Any:
    """Evaluate `expression` with the export's resource turned into `locals` (its `headers`
    blocks into `headers_N` objects), in the real terraform, offline."""
    if TERRAFORM is None:
        pytest.skip("terraform is not installed")
    count = iter(range(100))
    text = re.sub(r'^resource "okta_inline_hook" "\w+" \{$', "locals {", text, flags=re.M)
    text = re.sub(r"^  headers \{$", lambda _m: f"  headers_{next(count)} = {{", text, flags=re.M)
    folder = tmp_path / "tf"
    folder.mkdir(exist_ok=True)
    (folder / "main.tf").write_text(text, encoding="utf-8")
    (folder / "cli.tfrc").write_text("")
    done = subprocess.run(
        [TERRAFORM, "console", "-no-color"],
        input=f"base64encode(nonsensitive(jsonencode({expression})))\n",
        cwd=folder,
        env={
            "TF_CLI_CONFIG_FILE": str(folder / "cli.tfrc"),
            "PATH": "/usr/bin:/bin",
            # Variables from the environment: terraform ignores those the file does not declare.
            "TF_VAR_hook_oauth_client_secret": CLIENT_SECRET,
            "TF_VAR_hook_auth": "a",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(base64.b64decode(json.loads(done.stdout.strip())))


def test_terraform_reads_every_oauth_value_back_exactly(tmp_path: Path) -> None:
    text = terraform_resource(OAUTH)
    assert CLIENT_SECRET not in text and "__SECRET__" in text  # the value, kept as a value
    name, channel = terraform_values(text, tmp_path, "[local.name, jsondecode(local.channel_json)]")
    expected = inline_hook_body(OAUTH)["channel"]
    expected["config"]["clientSecret"] = CLIENT_SECRET
    assert name == OAUTH.name
    assert channel == expected
    assert channel["config"]["clientId"] == HOSTILE  # no template was evaluated
    assert channel["config"]["scope"] == "__SECRET__"
    assert channel["config"]["headers"][0] == {"key": "X-Tenant", "value": "__SECRET__"}


def test_terraform_reads_every_http_value_back_exactly(tmp_path: Path) -> None:
    text = terraform_resource(HTTP)
    got = terraform_values(
        text, tmp_path, "[local.name, local.channel, local.auth, local.headers_0]"
    )
    assert got[0] == HTTP.name
    assert got[1] == {"version": "1.0.0", "uri": HTTP.url, "method": "POST"}
    assert got[2] == {"key": "X-Auth-${x}", "type": "HEADER", "value": "a"}
    assert got[3] == {"key": "X-Tenant", "value": HTTP.headers[0][1]}


@pytest.mark.parametrize("config", [OAUTH, HTTP], ids=["oauth", "http"])
def test_python_hcl2_parses_the_resource(config: HookConfig) -> None:
    hcl2 = pytest.importorskip("hcl2")
    parsed = hcl2.loads(terraform_resource(config))
    (resource,) = parsed["resource"]
    assert set(resource) <= {"okta_inline_hook", '"okta_inline_hook"'}  # quoted from 7.x on


def test_the_oauth_resource_keeps_headers_in_channel_json_only() -> None:
    # The provider ignores `headers` blocks when channel_json is set: they would do nothing.
    text = terraform_resource(OAUTH)
    assert "headers {" not in text and '"headers" = [' in text


def test_no_scope_leaves_the_key_out() -> None:
    config = HookConfig("h", "https://h.example/x", oauth_token_url="https://t.example/t",
                        oauth_client_id="cid")  # fmt: skip
    assert "scope" not in inline_hook_body(config)["channel"]["config"]
    assert "scope" not in terraform_resource(config)
    scoped = HookConfig("h", "https://h.example/x", oauth_token_url="https://t.example/t",
                        oauth_client_id="cid", oauth_scope="hooks")  # fmt: skip
    assert inline_hook_body(scoped)["channel"]["config"]["scope"] == "hooks"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--oauth-token-url", "https://user:pw-SECRET@idp.example/t", "--oauth-client-id", "c"],
         "OAuth token URL: put credentials"),
        (["--oauth-token-url", "https://idp.example/t\nX: 1", "--oauth-client-id", "c"],
         "OAuth token URL: the URL contains a control character"),
        (["--oauth-token-url", "https://idp.example/t", "--oauth-client-id", "c\nd"],
         "client id has a line break"),
        (["--header", "X-Key: tok-SECRET\r\nInjected: 1"], "line break or control character"),
        (["--header", "X Key: tok-SECRET"], "header name is not valid"),
        (["--header", "X-Key=tok-SECRET: v"], "header name is not valid"),
        (["--header", "X-Key=tok-SECRET"], "is not NAME:VALUE"),
        (["--auth-header", "bad header"], "auth header"),
        (["--url", "https://user:pw-SECRET@h.example/x"], "hook URL: put credentials"),
    ],
)  # fmt: skip
def test_export_checks_its_inputs_as_send_does(
    capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    argv = ["export", "okta-hook", "--name", "h", "--url", "https://h.example/x", *extra]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert message in err and "SECRET" not in err and "Traceback" not in err
