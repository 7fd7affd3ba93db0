"""Every row of the README's table "How the bundled logic differs from the guide's sample",
run: one example per row against the stand-in of the guide's sample (`guide_sample.py`, defects
and all) and against ours, and the table has no row without an example here."""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from guide_sample import ROUTES, GuideSampleServer, _Crash
from test_service import AUTH, Service

from app.logic.bundled_hook import HookRules, endpoint_for
from app.logic.org import load_demo_org
from app.logic.request_builder import build_request, policy_fields

README = Path(__file__).parents[2] / "README.md"
ORG = load_demo_org()
ZOE = ORG.find("zoe.lukasiewicz@okta.com")  # okta.com, employee number 4821
SSR_EP, PP_EP, BOTH_EP = "/registrationHookSSR", "/registrationHookPP", "/registrationHookSSRandPP"
CRASH = "HTTP 500"


def _table_rows() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## How the bundled logic differs from the guide's sample", 1)[1]
    section = section.split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [row for row in rows[1:] if not re.fullmatch(r"\|[-| ]+\|", row)]


def _request(kind: str, endpoint: str, **form: Any) -> dict[str, Any]:
    return build_request(kind, ZOE, form=form or None, fields=policy_fields(endpoint, kind), seed=4)


def _without(request: dict[str, Any], *path: str) -> dict[str, Any]:
    parent = request
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    return request


def sample(endpoint: str, request: Any) -> Any:
    try:
        return ROUTES[endpoint](request)
    except _Crash:
        return CRASH


def ours(endpoint: str, request: Any) -> Any:
    return endpoint_for(endpoint)(request, HookRules()).response


def _decision(answer: Any) -> str:
    if answer == CRASH:
        return CRASH
    if "error" in answer:
        return "DENY"
    kinds = [c["type"] for c in answer.get("commands", [])]
    if "com.okta.user.progressive.profile.update" in kinds:
        return "UPDATE"
    return "ALLOW"


def _other_domain_answer() -> Any:
    return sample(SSR_EP, _request("ssr", SSR_EP, email="a@example.com", login="a@example.com"))


def _wrong_digits_answer() -> Any:
    return sample(PP_EP, _request("pp", PP_EP, employeeNumber="12345"))


def row_substring_domain() -> None:
    request = _request("ssr", SSR_EP, email="x@notokta.com", login="x@notokta.com")
    assert _decision(sample(SSR_EP, request)) == "ALLOW"
    assert ours(SSR_EP, request) == _other_domain_answer()


def row_length_only() -> None:
    request = _request("pp", PP_EP, employeeNumber="abcd")
    assert _decision(sample(PP_EP, request)) == "UPDATE"
    assert ours(PP_EP, request) == _wrong_digits_answer()


def row_tests_login() -> None:
    request = _request("ssr", SSR_EP, email="x@example.com", login="x@okta.com")
    assert _decision(sample(SSR_EP, request)) == "ALLOW"
    assert _decision(ours(SSR_EP, request)) == "DENY"


def row_missing_login_or_email() -> None:
    no_login = _without(_request("ssr", SSR_EP), "data", "userProfile", "login")
    assert sample(SSR_EP, no_login) == CRASH
    assert _decision(ours(SSR_EP, no_login)) == "ALLOW"  # the email is read
    no_email = _without(_request("ssr", BOTH_EP), "data", "userProfile", "email")
    assert no_email["data"]["userProfile"]["login"].endswith("@okta.com")
    assert sample(BOTH_EP, no_email) == CRASH
    assert _decision(ours(BOTH_EP, no_email)) == "ALLOW"  # falls back to the login
    neither = _without(_request("ssr", SSR_EP), "data", "userProfile", "login")
    _without(neither, "data", "userProfile", "email")
    denied = ours(SSR_EP, neither)
    assert _decision(denied) == "DENY" and "email" in json.dumps(denied["error"])


def row_missing_update_or_at() -> None:
    no_update = _without(_request("pp", PP_EP, employeeNumber="1234"), "data", "userProfileUpdate")
    assert sample(PP_EP, no_update) == CRASH
    assert "userProfileUpdate" in json.dumps(ours(PP_EP, no_update)["error"])
    no_at = _request("ssr", BOTH_EP, email="zoe", login="zoe")
    assert sample(BOTH_EP, no_at) == CRASH
    assert _decision(ours(BOTH_EP, no_at)) == "DENY"


def row_no_context_user() -> None:
    for endpoint in (PP_EP, BOTH_EP):
        request = _request("pp", endpoint, employeeNumber="1234")
        _without(request, "data", "context", "user")
        assert sample(endpoint, request) == CRASH
        assert _decision(ours(endpoint, request)) == "UPDATE"


def row_logs_added() -> None:
    request = _request("pp", BOTH_EP, employeeNumber="12345")
    result = endpoint_for(BOTH_EP)(request, HookRules())
    assert _decision(result.response) == "DENY"
    assert not any("Employee number added" in line for line in result.log_lines)
    assert any("not added" in line for line in result.log_lines)


def row_server() -> None:
    def post(host: str, port: int, body: bytes, auth: str | None) -> tuple[int, str]:
        conn = http.client.HTTPConnection(host, port, timeout=5)
        try:
            headers = {"Content-Type": "application/json"}
            if auth:
                headers["Authorization"] = auth
            conn.request("POST", SSR_EP, body=body, headers=headers)
            answer = conn.getresponse()
            answer.read()
            return answer.status, answer.getheader("content-type") or ""
        finally:
            conn.close()

    with GuideSampleServer() as stand_in:
        port = int(stand_in.base.rsplit(":", 1)[1])
        # Malformed JSON without credentials: an HTML stack trace, auth never checked.
        status, kind = post("127.0.0.1", port, b"{not json", None)
        assert status == 400 and kind.startswith("text/html")
    service = Service("asyncio")
    try:
        assert post(service.host, service.port, b"{not json", None)[0] == 401  # auth first
        status, kind = post(service.host, service.port, b"{not json", AUTH)
        assert status == 400 and kind.startswith("application/json")
    finally:
        service.close()


def row_case_sensitive_domain() -> None:
    request = _request("ssr", SSR_EP, email="Kai.Nakamura@Okta.com", login="Kai.Nakamura@Okta.com")
    assert _decision(sample(SSR_EP, request)) == "DENY"
    assert _decision(ours(SSR_EP, request)) == "ALLOW"


def row_two_at_signs() -> None:
    address = "x@okta.com@evil.example"
    request = _request("ssr", SSR_EP, email=address, login=address)
    assert _decision(sample(SSR_EP, request)) == "ALLOW"
    assert ours(SSR_EP, request) == _other_domain_answer()


def row_body_not_object() -> None:
    for body in ([], "x"):
        assert sample(SSR_EP, body) == {}
        assert _decision(ours(SSR_EP, body)) == "DENY"
        assert "object" in json.dumps(ours(SSR_EP, body)["error"])
    assert sample(BOTH_EP, []) == CRASH


# The phrase that starts each README row -> its example.
EXAMPLES: dict[str, Callable[[], None]] = {
    "the domain test is a substring test": row_substring_domain,
    "the employee number test checks only the length": row_length_only,
    "the SSR endpoint tests `login`": row_tests_login,
    "a missing `login` (SSR endpoint) or `email` (combined endpoint)": row_missing_login_or_email,
    "a missing `userProfileUpdate`, or an email without `@`": row_missing_update_or_at,
    "a progressive request without `data.context.user`": row_no_context_user,
    'the combined endpoint logs "Employee number added"': row_logs_added,
    "the server answers malformed JSON with an HTML stack trace": row_server,
    "the domain test is case-sensitive": row_case_sensitive_domain,
    "`split('@')[1]` reads the part between the first and a second `@`": row_two_at_signs,
    "a body that is not an object": row_body_not_object,
}


def test_every_row_of_the_table_has_an_example() -> None:
    rows = _table_rows()
    assert len(rows) == len(EXAMPLES)
    for row, phrase in zip(rows, EXAMPLES, strict=True):
        assert row.startswith(f"| {phrase}"), row


@pytest.mark.parametrize("phrase", list(EXAMPLES))
def test_the_row_s_example_differs_as_the_table_says(phrase: str) -> None:
    EXAMPLES[phrase]()
