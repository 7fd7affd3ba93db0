"""Copy as cURL, the hook's Okta config (API body, Terraform, execute), and the JSON diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.logic import okta
from app.logic.answer import HookAnswer
from app.logic.export.okta_hook import (
    AUTH_PLACEHOLDER,
    HookConfig,
    execute_curl,
    inline_hook_body,
    terraform_resource,
)
from app.logic.remote import HookAuth
from app.logic.run.curl import curl_for_entry, curl_for_exchange, curl_for_target
from app.logic.run.diff import (
    bundled_endpoint_for,
    compare_with_bundled,
    diff_exchanges,
    json_changes,
    side_by_side,
)
from app.logic.run.har import har_entry
from app.logic.run.history import HistoryStore
from app.logic.run.pipeline import run_exchange
from app.logic.targets import BundledTarget, RecordedTarget, UrlTarget

ROOT = Path(__file__).resolve().parents[2]
SSR_REQUEST = ROOT / "tests" / "logic" / "data" / "requests" / "guide-ssr.json"
SECRET = "Basic YWRtaW46c3VwZXJzZWNyZXQ="


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- cURL ---------------------------------------------------------------------------------


def test_curl_never_carries_the_secret_but_works_once_the_variable_is_set(tmp_path: Path) -> None:
    target = UrlTarget(
        "http://127.0.0.1:9/registrationHookSSR",
        HookAuth("authorization", SECRET, (("X-Tenant", "blue"), ("X-Api-Key", "k-123"))),
    )
    body = b'{"a": "it\'s $HOME `x`"}'
    command = curl_for_target(target, body)
    assert SECRET not in command and "k-123" not in command
    assert '--header "authorization: ${HOOK_AUTH:?' in command
    assert '--header "X-Api-Key: ${HOOK_HEADER_X_API_KEY:?' in command
    # The target keeps every custom header's value secret, so cURL takes them all from the env.
    assert '--header "X-Tenant: ${HOOK_HEADER_X_TENANT:?' in command
    assert "Content-Length" not in command and "--location" not in command
    assert "--max-time 3" in command and "--globoff" in command
    # (tests/logic/test_curl_commands.py runs such commands in bash against a real server)


def test_curl_for_a_history_entry_uses_the_masked_record(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    entry_id = store.record(run_exchange(SSR_REQUEST.read_bytes(), BundledTarget("ssr")))
    command = curl_for_entry(store.get(entry_id))
    assert "--url http://127.0.0.1:8082/registrationHookSSR" in command
    assert "--header 'Content-Type: application/json'" in command


def test_send_print_curl_calls_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "send", "--url", "http://127.0.0.1:9/hook", "--auth", SECRET, "--print-curl",
        str(SSR_REQUEST),
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("# set $HOOK_AUTH first")
    assert SECRET not in out and "http://127.0.0.1:9/hook" in out


# --- the hook's Okta config ---------------------------------------------------------------


def test_inline_hook_body_http_and_oauth() -> None:
    body = inline_hook_body(
        HookConfig(
            "Profile Enrollment SSR",
            "https://h.example/registrationHookSSR",
            headers=(("X-Tenant", "blue"),),
        )
    )
    assert body["type"] == okta.EVENT_TYPE and body["version"] == "1.0.0"
    channel = body["channel"]
    assert channel["type"] == "HTTP" and channel["version"] == "1.0.0"
    assert channel["config"]["method"] == "POST"
    assert channel["config"]["headers"] == [{"key": "X-Tenant", "value": "blue"}]
    assert channel["config"]["authScheme"] == {
        "type": "HEADER",
        "key": "authorization",
        "value": AUTH_PLACEHOLDER,
    }
    oauth = inline_hook_body(
        HookConfig(
            "h",
            "https://h.example/x",
            oauth_token_url="https://idp/token",
            oauth_client_id="cid",
            oauth_scope="hooks",
        )
    )["channel"]
    assert oauth["type"] == "OAUTH"
    assert {"authType", "clientId", "clientSecret", "tokenUrl", "scope"} <= set(oauth["config"])
    assert "authScheme" not in oauth["config"]


def test_terraform_resource_keeps_the_secret_in_a_variable() -> None:
    text = terraform_resource(
        HookConfig("Profile & PP ${x}", "https://h.example/registrationHookSSR")
    )
    assert 'resource "okta_inline_hook" "profile_pp_x"' in text
    assert "value = var.hook_auth" in text and "sensitive   = true" in text
    assert '"Profile & PP $${x}"' in text  # HCL templates escaped
    assert f'type    = "{okta.EVENT_TYPE}"' in text
    oauth = terraform_resource(
        HookConfig("h", "https://h/x", oauth_token_url="https://t", oauth_client_id="c")
    )
    assert "channel_json = jsonencode(" in oauth and "var.hook_oauth_client_secret" in oauth


def test_export_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "export", "okta-hook", "--name", "SSR", "--url",
                         "https://h.example/registrationHookSSR")  # fmt: skip
    assert code == 0 and json.loads(out)["channel"]["config"]["uri"].endswith("SSR")
    assert "profile enrollment policy" in err
    code, out, _ = run(capsys, "export", "okta-hook", "--name", "SSR", "--url",
                       "https://h.example/x", "--terraform")  # fmt: skip
    assert code == 0 and out.startswith('variable "hook_auth"')
    code, out, _ = run(capsys, "export", "okta-hook", "--name", "SSR", "--url",
                       "https://h.example/x", "--execute", str(SSR_REQUEST))  # fmt: skip
    assert code == 0 and "/api/v1/inlineHooks/${HOOK_ID:?" in out
    assert run(capsys, "export", "okta-hook", "--name", "x", "--url", "ftp://x")[0] == 2


def test_execute_curl_sends_the_request_as_its_body() -> None:
    command = execute_curl(b'{"eventType": "x"}')
    assert "SSWS ${OKTA_API_TOKEN:?" in command and '\'{"eventType": "x"}\'' in command


# --- diff ---------------------------------------------------------------------------------


def test_json_changes_ignore_key_order_and_name_paths() -> None:
    a = {"commands": [{"type": "t", "value": {"x": 1}}], "b": 1, "c": True}
    b = {"c": True, "b": 1.0, "commands": [{"type": "u", "value": {"x": 1}}, {}], "d": None}
    found = {(c.path, c.kind) for c in json_changes(a, b)}
    assert found == {("commands[0].type", "changed"), ("commands[1]", "added"), ("d", "added")}
    assert json_changes({"k": 1}, {"k": True})[0].kind == "changed"


def test_list_items_are_matched_by_content_not_position() -> None:
    # One extra warning in front of six is one difference, not seven.
    causes = [
        {"errorSummary": f"problem {n}", "location": f"data.userProfile.f{n}"} for n in range(6)
    ]
    extra = {"errorSummary": "new warning", "location": "data.userProfile.email"}
    changes = json_changes({"causes": causes}, {"causes": [extra, *causes]})
    assert [(c.path, c.kind) for c in changes] == [("causes[0]", "added")]
    # An item edited in place is still compared member by member.
    edited = [*causes[:3], {**causes[3], "errorSummary": "reworded"}, *causes[4:]]
    changes = json_changes(causes, edited)
    assert [(c.path, c.kind) for c in changes] == [("[3].errorSummary", "changed")]
    assert json_changes([{"a": 1, "b": 2.0}], [{"b": 2, "a": 1}]) == []
    assert [c.kind for c in json_changes([1, 2], [2])] == ["removed"]


def test_one_extra_cause_in_an_answer_is_one_difference() -> None:
    body = SSR_REQUEST.read_bytes()

    def deny(causes: list[str]) -> bytes:
        error = {
            "errorSummary": "Errors were found in the user profile",
            "errorCauses": [
                {"errorSummary": text, "reason": "INVALID", "location": "data.userProfile.email"}
                for text in causes
            ],
        }
        commands = [{"type": "com.okta.action.update", "value": {"registration": "DENY"}}]
        return json.dumps({"commands": commands, "error": error}).encode()

    six = [f"reason {n}" for n in range(6)]
    before = run_exchange(body, RecordedTarget(HookAnswer.from_json_bytes(deny(six))))
    after = run_exchange(body, RecordedTarget(HookAnswer.from_json_bytes(deny(["new", *six]))))
    diff = diff_exchanges(before, after)
    assert [(c.path, c.kind) for c in diff.body_changes] == [("error.errorCauses[0]", "added")]
    # The verdict: the one new message, besides its headline and the answer's size.
    messages = [c for c in diff.verdict_changes if c.path.startswith("messages")]
    assert [(c.kind, c.after["text"]) for c in messages] == [("added", "new")]


def test_side_by_side_rows_line_up() -> None:
    rows = side_by_side({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4})
    tags = [r.tag for r in rows]
    assert tags[0] == "equal" and "replace" in tags
    assert any(r.left is None and r.tag == "insert" for r in rows)


def test_diff_exchanges_and_compare_with_bundled(tmp_path: Path) -> None:
    body = SSR_REQUEST.read_bytes()
    ours = run_exchange(body, BundledTarget("ssr"))
    allow = b'{"commands":[{"type":"com.okta.action.update","value":{"registration":"ALLOW"}}]}'
    other = run_exchange(body, RecordedTarget(HookAnswer.from_json_bytes(allow)))
    diff = diff_exchanges(ours, other)
    assert not diff.same
    paths = {c.path for c in diff.verdict_changes}
    assert "outcome" in paths and not any("elapsed" in p for p in paths)
    assert any(c.path.startswith("commands[0].value.registration") for c in diff.body_changes)
    assert "Answer body:" in diff.to_text()
    store = HistoryStore(tmp_path / "h.sqlite3")
    entry = store.get(store.record(ours))
    # A call read back from the history is an Exchange too: one type for diff, cURL and HAR.
    recorded = entry.exchange
    assert diff_exchanges(recorded, ours).same
    assert diff_exchanges(recorded, ours).left_label.startswith(f"#{entry.id} ")
    bundled, compared = compare_with_bundled(other)
    assert bundled.url == "bundled:/registrationHookSSR"
    assert not compared.same and compared.right_label.startswith("/registrationHookSSR")
    assert compare_with_bundled(recorded)[1].same
    assert curl_for_exchange(recorded) == curl_for_exchange(ours)
    assert har_entry(recorded, entry.id)["request"] == har_entry(ours)["request"]
    assert har_entry(recorded)["response"]["status"] == har_entry(ours)["response"]["status"]


@pytest.mark.parametrize(
    ("url", "request_type", "endpoint"),
    [
        ("https://h.example/hooks/registrationHookPP", okta.SSR, "/registrationHookPP"),
        ("bundled:/registrationHookSSRandPP", okta.PP, "/registrationHookSSRandPP"),
        ("https://h.example/my-hook", okta.PP, "/registrationHookPP"),
        ("https://h.example/my-hook", okta.SSR, "/registrationHookSSR"),
    ],
)
def test_the_matching_bundled_endpoint(url: str, request_type: str, endpoint: str) -> None:
    assert bundled_endpoint_for(url, {"requestType": request_type}) == endpoint
