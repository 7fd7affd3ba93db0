"""The verdict against Okta's sources: the widget's banner, both readings of an error with only
errorSummary, HTTP statuses explained, and the UNCONFIRMED rules under a strict or lenient
reading."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.logic import okta
from app.logic.answer import HookAnswer
from app.logic.org import load_demo_org
from app.logic.run.pipeline import run_exchange
from app.logic.targets import RecordedTarget
from app.logic.verdict import (
    LENIENT,
    READING_SUMMARY_PASSED_BACK,
    STRICT,
    Outcome,
    Severity,
    interpret_response,
)

ORG = load_demo_org()
SSR_REQUEST = {
    "requestType": "self.service.registration",
    "data": {
        "context": {"request": {"url": {"value": "/idp/idx/enroll/new"}}},
        "userProfile": {"login": "a@x.com", "email": "a@x.com", "firstName": "A", "lastName": "B"},
        "action": "ALLOW",
    },
}
PP_REQUEST = {
    "requestType": "progressive.profile",
    "data": {
        "context": {
            "request": {"url": {"value": "/idp/idx/enroll/update"}},
            "user": {"id": "00uX", "profile": {"login": "a@okta.com", "employeeNumber": "1"}},
        },
        "userProfileUpdate": {"employeeNumber": "12"},
        "action": "ALLOW",
    },
}


def answer(body: Any = None, status: int = 200, content_type: str | None = "application/json"):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"content-type": content_type} if content_type else {}
    return HookAnswer(status=status, headers=headers, body=raw, elapsed_ms=5.0)


def by_code(verdict, code):
    found = [p for p in verdict.problems if p.code == code]
    assert len(found) == 1, verdict.problems
    return found[0]


# --- the banner ----------------------------------------------------------------------------


def test_field_errors_bring_the_widgets_banner_first() -> None:
    body = {
        "error": {
            "errorSummary": "x",
            "errorCauses": [
                {"errorSummary": "Only okta.com emails", "location": "data.userProfile.email"},
                {"errorSummary": "Somewhere else", "location": "data.userProfile.nickName"},
            ],
        }
    }
    verdict = interpret_response(SSR_REQUEST, answer(body))
    assert verdict.banner == okta.BANNER_TEXT
    first, summary, *rest = verdict.messages
    assert (first.text, first.field, first.banner) == (okta.BANNER_TEXT, None, True)
    # The top-level errorSummary beside the causes: the other reading, labelled.
    assert (summary.text, summary.reading) == ("x", READING_SUMMARY_PASSED_BACK)
    assert first.reading == ""
    # A cause whose location names no field of the form goes in the banner (field None).
    assert [(m.text, m.field) for m in rest] == [
        ("Only okta.com emails", "email"),
        ("Somewhere else", None),
    ]
    assert verdict.headline == "DENIED: Only okta.com emails (+1 more)"
    assert "banner above the form: We found some errors." in verdict.to_text()


def test_no_banner_without_a_field_error() -> None:
    body = {"error": {"errorCauses": [{"errorSummary": "Nope"}]}}
    verdict = interpret_response(SSR_REQUEST, answer(body))
    assert verdict.banner is None
    assert [m.text for m in verdict.messages] == ["Nope"]


# --- error with only errorSummary ------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_value", "generic"),
    [
        (SSR_REQUEST, "Registration cannot be completed at this time."),
        (PP_REQUEST, "We found some errors. Please review the form and make corrections."),
    ],
    ids=["ssr", "pp"],
)
def test_error_with_only_error_summary_shows_both_readings(request_value, generic) -> None:
    body = {"error": {"errorSummary": "Your employee number is not on file."}}
    verdict = interpret_response(request_value, answer(body))
    assert verdict.outcome is Outcome.DENIED
    texts = [(m.text, m.reading) for m in verdict.messages]
    assert texts == [
        (generic, "UNCONFIRMED: Okta's API spec (the generic text)"),
        (
            "Your employee number is not on file.",
            "UNCONFIRMED: Okta's 2026 upgrade guide (the errorSummary)",
        ),
    ]
    assert by_code(verdict, "error-summary-shown").unconfirmed
    assert "2026 guide" in verdict.headline
    assert "[UNCONFIRMED: Okta's API spec" in verdict.to_text()


# --- HTTP statuses ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [401, 403])
def test_refused_credentials_are_explained_and_the_body_is_not_judged(status: int) -> None:
    body = {"error": {"errorSummary": "Unauthorized", "bogus": 1}}
    verdict = interpret_response(SSR_REQUEST, answer(body, status=status))
    assert verdict.hook_failed
    problem = by_code(verdict, "http-auth")
    assert "refused the credentials" in problem.message
    assert "auth" in problem.message and "secret" in problem.message
    assert "200" not in problem.message
    assert {p.code for p in verdict.problems} == {"http-auth"}  # no schema check, no 200 advice
    assert "credentials refused" in verdict.headline


def test_404_and_405_say_what_is_wrong() -> None:
    not_found = interpret_response(SSR_REQUEST, answer(b"Not Found", 404, "text/plain"))
    assert "path is wrong" in by_code(not_found, "http-not-found").message
    method = interpret_response(SSR_REQUEST, answer(b"", 405, None))
    assert "does not accept POST" in by_code(method, "http-method").message


# --- UNCONFIRMED rules, strict and lenient -------------------------------------------------

PROFILE = "com.okta.user.profile.update"
PROGRESSIVE = "com.okta.user.progressive.profile.update"


@pytest.mark.parametrize(
    ("request_value", "body", "code", "strict", "lenient"),
    [
        (
            SSR_REQUEST,
            {"commands": [{"type": PROFILE, "value": {"favouriteColour": "blue"}}]},
            "unknown-attribute",
            Severity.ERROR,
            Severity.WARNING,
        ),
        (
            SSR_REQUEST,
            {"commands": [{"type": PROFILE, "value": {"nickName": 7}}]},
            "wrong-type",
            Severity.ERROR,
            Severity.WARNING,
        ),
        (
            SSR_REQUEST,
            {"commands": [{"type": PROFILE, "value": {"costCenter": "C1"}}]},
            "read-only",
            Severity.WARNING,
            Severity.NOTE,
        ),
        (
            PP_REQUEST,
            {"commands": [{"type": PROFILE, "value": {"employeeNumber": "1234"}}]},
            "profile-update-in-pp",
            Severity.ERROR,
            Severity.WARNING,
        ),
        (SSR_REQUEST, b"", "empty-body", Severity.ERROR, Severity.WARNING),
    ],
    ids=["unknown-attribute", "wrong-type", "read-only", "profile-update-in-pp", "empty-200"],
)
def test_unconfirmed_rules_follow_the_reading(request_value, body, code, strict, lenient) -> None:
    for reading, severity in ((STRICT, strict), (LENIENT, lenient)):
        verdict = interpret_response(request_value, answer(body), ORG.schema, reading=reading)
        problem = by_code(verdict, code)
        assert problem.severity is severity, reading
        assert problem.label == f"UNCONFIRMED ({reading} reading)"
        assert verdict.reading == reading
        assert f"[UNCONFIRMED ({reading} reading)]" in verdict.to_text()
        assert (
            verdict.to_json()["problems"][[p.code for p in verdict.problems].index(code)][
                "unconfirmed"
            ]
            == problem.label
        )


def test_content_type_is_unconfirmed_too() -> None:
    for reading, severity in ((STRICT, Severity.WARNING), (LENIENT, Severity.NOTE)):
        verdict = interpret_response(
            SSR_REQUEST, answer({}, content_type="text/html"), reading=reading
        )
        assert by_code(verdict, "content-type").severity is severity


def test_lenient_reading_leaves_out_what_okta_cannot_store() -> None:
    body = {"commands": [{"type": PROFILE, "value": {"favouriteColour": "blue", "nickName": "Ro"}}]}
    strict = interpret_response(SSR_REQUEST, answer(body), ORG.schema)
    assert strict.hook_failed and strict.outcome is Outcome.DENIED
    lenient = interpret_response(SSR_REQUEST, answer(body), ORG.schema, reading=LENIENT)
    assert lenient.outcome is Outcome.PROFILE_UPDATED
    assert [c.name for c in lenient.changes] == ["nickName"]
    empty = interpret_response(SSR_REQUEST, answer(b""), reading=LENIENT)
    assert empty.outcome is Outcome.ALLOWED and not empty.hook_failed


def test_an_unknown_reading_is_refused() -> None:
    with pytest.raises(ValueError, match="reading"):
        interpret_response(SSR_REQUEST, answer({}), reading="loose")


def test_oktas_documented_customer_id_example_is_not_a_failure_with_the_demo_org() -> None:
    body = {"commands": [{"type": PROFILE, "value": {"customerId": 12345}}]}
    verdict = interpret_response(SSR_REQUEST, answer(body), ORG.schema)
    assert not verdict.hook_failed and not verdict.errors()
    assert verdict.outcome is Outcome.PROFILE_UPDATED


def test_run_exchange_threads_the_reading() -> None:
    body = json.dumps({"commands": [{"type": PROFILE, "value": {"x1": 1}}]}).encode()
    target = RecordedTarget(answer(body))
    request = json.dumps(SSR_REQUEST)
    strict = run_exchange(request, target, schema=ORG.schema).verdict
    lenient = run_exchange(request, target, schema=ORG.schema, reading="lenient").verdict
    assert strict.reading == "strict" and strict.hook_failed
    assert lenient.reading == "lenient" and not lenient.hook_failed


def test_verdict_command_takes_reading(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    request = tmp_path / "req.json"
    request.write_text(json.dumps(SSR_REQUEST), encoding="utf-8")
    response = tmp_path / "resp.json"
    response.write_text(json.dumps({"commands": [{"type": PROFILE, "value": {"x1": 1}}]}))
    argv = ["verdict", "--request", str(request), "--response", str(response), "--check"]
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert "UNCONFIRMED (strict reading)" in out
    assert main([*argv, "--reading", "lenient"]) == 0
    assert "UNCONFIRMED (lenient reading)" in capsys.readouterr().out
    assert main([*argv, "--reading", "loose"]) == 2


# --- validate response and the verdict agree ------------------------------------------------

SAME_PROBLEM_BODIES = [
    {"commands": [{"type": "com.action.update", "value": {"action": "DENY"}}]},
    {"commands": [{"type": "com.okta.action.update", "value": {"registration": "allow"}}]},
    {"commands": [{"type": PROFILE, "value": {"password": "x", "nickName": {"a": 1}}}]},
    {"commands": {"type": PROFILE}},
    {"commands": [{"type": PROFILE}]},
    {"commands": [], "error": {"errorSummary": 5, "errorCauses": [{"errorSummary": 1, "x": 2}]}},
    {"error": {"errorCauses": "no"}},
    {"Commands": []},
    {"debugContext": []},
    {"commands": [{"type": PROGRESSIVE, "value": {"a": [1, [2]]}, "extra": 1}]},
]


def _covers(mine: str, theirs: str) -> bool:
    if not mine or not theirs:
        return mine == theirs
    return (
        mine == theirs
        or theirs.startswith((mine + ".", mine + "["))
        or mine.startswith((theirs + ".", theirs + "["))
    )


@pytest.mark.parametrize("body", SAME_PROBLEM_BODIES, ids=range(len(SAME_PROBLEM_BODIES)))
def test_validate_response_and_verdict_report_the_same_problems(body: Any) -> None:
    from app.logic.validation import validate_response

    text = json.dumps(body, indent=2)
    checked = validate_response(text).problems
    assert checked, "each body breaks the response schema"
    verdict = interpret_response(SSR_REQUEST, answer(text.encode()), None)
    found = [p for p in verdict.problems if p.severity is not Severity.NOTE]
    for problem in checked:
        assert any(_covers(p.path, problem.path) for p in found), (problem, verdict.problems)
    # ... and the verdict's own findings are Okta-rule findings at places the schema names.
    for p in found:
        if p.code in ("schema", "unknown-key"):
            assert any(_covers(p.path, problem.path) for problem in checked), p
