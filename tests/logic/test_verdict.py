"""Okta's verdict: each row of the contract's §3 table, each rule break, and nothing ever raises."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.logic.answer import FailureKind, HookAnswer
from app.logic.bundled_hook import (
    HookRules,
    registration_hook_pp,
    registration_hook_ssr,
    registration_hook_ssr_and_pp,
)
from app.logic.org import AttributeDef, UserSchema
from app.logic.verdict import (
    READING_SUMMARY_PASSED_BACK,
    AttributeChange,
    EndUserMessage,
    Outcome,
    RuleBreak,
    Severity,
    Verdict,
    interpret_response,
)

# The Sign-In Widget's banner above a form with field errors (Gen2 BaseForm.__showErrors).
WIDGET_BANNER = EndUserMessage(
    "We found some errors. Please review the form and make corrections.", None, None, banner=True
)
# With a top-level errorSummary beside its causes, Okta's sources disagree on what shows: the
# widget's banner and the causes only (the spec) or the summary too (the guide: "passed back").
BANNER_READING = WIDGET_BANNER


def summary_reading(text: str) -> EndUserMessage:
    return EndUserMessage(text, None, None, reading=READING_SUMMARY_PASSED_BACK)


SSR = "self.service.registration"
PP = "progressive.profile"

SSR_FAILURE = "There was an error creating your account. Please try registering again."
PP_FAILURE = "There was an error updating your profile. Please try again later."

ALLOW = {"type": "com.okta.action.update", "value": {"registration": "ALLOW"}}
DENY = {"type": "com.okta.action.update", "value": {"registration": "DENY"}}


def ssr_request(**profile: Any) -> dict[str, Any]:
    user = {
        "firstName": "Rosario",
        "lastName": "Jones",
        "login": "rosario.jones@example.com",
        "email": "rosario.jones@example.com",
    }
    user.update(profile)
    return {
        "eventId": "04Dmt8BcT_aEgM",
        "eventType": "com.okta.user.pre-registration",
        "requestType": SSR,
        "data": {
            "context": {"request": {"method": "POST"}},
            "userProfile": user,
            "action": "ALLOW",
        },
    }


def pp_request(**update: Any) -> dict[str, Any]:
    return {
        "eventId": "vzYp_zMwQu2htIWRbNJdfw",
        "requestType": PP,
        "data": {
            "context": {
                "user": {
                    "id": "00u48gwcu01WxvNo",
                    "profile": {
                        "firstName": "Rosario",
                        "lastName": "Jones",
                        "login": "rosario.jones@okta.com",
                        "locale": "en_US",
                    },
                }
            },
            "action": "ALLOW",
            "userProfileUpdate": update or {"employeeNumber": "1234"},
        },
    }


def attribute(name: str, type_: str = "string", *, required: bool = False, read_only: bool = False):
    return AttributeDef(
        name=name, title=name, type=type_, required=required, read_only=read_only, custom=False
    )


SCHEMA = UserSchema(
    attributes={
        a.name: a
        for a in (
            attribute("login", required=True),
            attribute("email", required=True),
            attribute("firstName", required=True),
            attribute("lastName", required=True),
            attribute("nickName"),
            attribute("locale"),
            attribute("employeeNumber"),
            attribute("costCenter", read_only=True),
            attribute("isContractor", "boolean"),
            attribute("age", "integer"),
            attribute("score", "number"),
            attribute("tags", "array"),
        )
    }
)


def answer(
    value: Any = None,
    *,
    status: int = 200,
    body: bytes | None = None,
    elapsed_ms: float = 12.0,
    content_type: str | None = "application/json",
    headers: dict[str, str] | None = None,
) -> HookAnswer:
    if body is None:
        body = b"" if value is None else json.dumps(value).encode("utf-8")
    all_headers = dict(headers or {})
    if content_type is not None:
        all_headers["content-type"] = content_type
    return HookAnswer(status=status, headers=all_headers, body=body, elapsed_ms=elapsed_ms)


def judge(request: Any, value: Any = None, schema: UserSchema | None = None, **kw: Any) -> Verdict:
    return interpret_response(request, answer(value, **kw), schema)


def codes(verdict: Verdict) -> dict[str, Severity]:
    return {p.code: p.severity for p in verdict.problems}


def the(verdict: Verdict, code: str) -> RuleBreak:
    found = [p for p in verdict.problems if p.code == code]
    assert len(found) == 1, verdict.problems
    return found[0]


def banner(text: str) -> EndUserMessage:
    return EndUserMessage(text, None, None)


def cause(summary: str, location: str | None, **extra: Any) -> dict[str, Any]:
    found = {"errorSummary": summary, "reason": "R", "locationType": "body", "domain": "end-user"}
    if location is not None:
        found["location"] = location
    found.update(extra)
    return found


# ---------------------------------------------------------------------------------------------
# §3, row by row.

SSR_OTHER_DOMAIN = registration_hook_ssr(ssr_request()).response
PP_WRONG_DIGITS = registration_hook_pp(pp_request(employeeNumber="abcd")).response

ROWS = [
    # any error object (even empty): denied, no command runs, causes under their fields
    pytest.param(
        ssr_request(),
        SSR_OTHER_DOMAIN,
        Outcome.DENIED,
        [
            BANNER_READING,
            summary_reading("Incorrect email address. Please contact your admin."),
            EndUserMessage("Only okta.com emails can register.", "email", "data.userProfile.email"),
        ],
        id="error-with-cause-ssr",
    ),
    pytest.param(
        pp_request(employeeNumber="abcd"),
        PP_WRONG_DIGITS,
        Outcome.DENIED,
        [
            BANNER_READING,
            summary_reading("Incorrect employee number. Enter an employee number with 4 digits."),
            EndUserMessage(
                "Employee numbers must have 4 digits.",
                "employeeNumber",
                "data.userProfile.employeeNumber",
            ),
        ],
        id="error-with-cause-pp",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [ALLOW], "error": {"errorCauses": [cause("Bad name", "x.y")]}},
        Outcome.DENIED,
        [EndUserMessage("Bad name", None, "x.y")],
        id="error-beats-allow",
    ),
    # error without errorCauses + DENY
    pytest.param(
        ssr_request(),
        {"commands": [DENY], "error": {"errorSummary": "No."}},
        Outcome.DENIED,
        # Okta's spec and its 2026 upgrade guide disagree: both readings, labelled.
        [
            EndUserMessage(
                "Registration cannot be completed at this time.",
                None,
                None,
                reading="UNCONFIRMED: Okta's API spec (the generic text)",
            ),
            EndUserMessage(
                "No.",
                None,
                None,
                reading="UNCONFIRMED: Okta's 2026 upgrade guide (the errorSummary)",
            ),
        ],
        id="error-no-causes-deny-ssr",
    ),
    pytest.param(
        pp_request(),
        {"commands": [DENY], "error": {"errorSummary": "No.", "errorCauses": []}},
        Outcome.DENIED,
        [
            EndUserMessage(
                "We found some errors. Please review the form and make corrections.",
                None,
                None,
                reading="UNCONFIRMED: Okta's API spec (the generic text)",
            ),
            EndUserMessage(
                "No.",
                None,
                None,
                reading="UNCONFIRMED: Okta's 2026 upgrade guide (the errorSummary)",
            ),
        ],
        id="error-no-causes-deny-pp",
    ),
    # error without errorCauses and without DENY: the same text (any error denies)
    pytest.param(
        ssr_request(),
        {"error": {}},
        Outcome.DENIED,
        [banner("Registration cannot be completed at this time.")],
        id="empty-error-ssr",
    ),
    pytest.param(
        pp_request(),
        {"commands": [], "error": {}},
        Outcome.DENIED,
        [banner("We found some errors. Please review the form and make corrections.")],
        id="empty-error-pp",
    ),
    # DENY command, no error
    pytest.param(
        ssr_request(),
        {"commands": [DENY]},
        Outcome.DENIED,
        [banner("Registration denied.")],
        id="deny-ssr",
    ),
    pytest.param(
        pp_request(),
        {"commands": [DENY]},
        Outcome.DENIED,
        [banner("Profile update denied.")],
        id="deny-pp",
    ),
    # {}, {"commands": []}, ALLOW: allowed, no change
    pytest.param(ssr_request(), {}, Outcome.ALLOWED, [], id="empty-object-ssr"),
    pytest.param(pp_request(), {}, Outcome.ALLOWED, [], id="empty-object-pp"),
    pytest.param(ssr_request(), {"commands": []}, Outcome.ALLOWED, [], id="no-commands"),
    pytest.param(ssr_request(), {"commands": [ALLOW]}, Outcome.ALLOWED, [], id="allow-ssr"),
    pytest.param(pp_request(), {"commands": [ALLOW]}, Outcome.ALLOWED, [], id="allow-pp"),
    pytest.param(
        ssr_request(),
        {"commands": [ALLOW], "debugContext": {"x": 1}},
        Outcome.ALLOWED,
        [],
        id="debug-context",
    ),
    # profile update commands
    pytest.param(
        pp_request(),
        {
            "commands": [
                {
                    "type": "com.okta.user.progressive.profile.update",
                    "value": {"employeeNumber": "1234"},
                }
            ]
        },
        Outcome.PROFILE_UPDATED,
        [],
        id="progressive-update",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [{"type": "com.okta.user.profile.update", "value": {"nickName": "Ro"}}]},
        Outcome.PROFILE_UPDATED,
        [],
        id="profile-update",
    ),
]


@pytest.mark.parametrize(("request_value", "response", "outcome", "messages"), ROWS)
def test_contract_table(
    request_value: dict[str, Any],
    response: dict[str, Any],
    outcome: Outcome,
    messages: list[EndUserMessage],
) -> None:
    verdict = judge(request_value, response, SCHEMA)
    assert verdict.outcome is outcome
    assert list(verdict.messages) == messages
    assert not verdict.hook_failed
    assert not verdict.errors()
    assert verdict.response_value == response
    if "error" in response:
        assert verdict.commands_run == ()
        assert verdict.changes == ()
    if outcome is not Outcome.PROFILE_UPDATED:
        assert verdict.profile_after == verdict.profile_before
    shown = [m for m in messages if not m.banner and m.reading != READING_SUMMARY_PASSED_BACK]
    if shown:
        assert verdict.headline.startswith(f"DENIED: {shown[0].text}")


def test_204_allows_with_no_change() -> None:
    verdict = interpret_response(ssr_request(), HookAnswer(status=204))
    assert verdict.outcome is Outcome.ALLOWED
    assert verdict.problems == ()
    assert (
        verdict.headline == "ALLOWED: registration goes on with no change (HTTP 204 with no body)."
    )
    verdict = interpret_response(pp_request(), HookAnswer(status=204, body=b"{}"))
    assert verdict.outcome is Outcome.ALLOWED
    # Without the org's copy of the user, the profile before is Okta's user context: said.
    assert codes(verdict) == {
        "body-with-204": Severity.NOTE,
        "profile-before-context": Severity.NOTE,
    }


FAILURES = [
    pytest.param(
        HookAnswer.failed(FailureKind.TIMEOUT, "read timed out", 3001.0), "timeout", id="timeout"
    ),
    pytest.param(
        HookAnswer.failed(FailureKind.CONNECTION_REFUSED, "port 9", 3.0),
        "transport",
        id="refused",
    ),
    pytest.param(answer({}, elapsed_ms=3000.5), "too-slow", id="slow"),
    pytest.param(answer({"commands": [ALLOW]}, status=500), "http-status", id="500"),
    pytest.param(answer({"error": {}}, status=400), "http-status", id="400"),
    pytest.param(answer(status=401, content_type=None), "http-auth", id="401"),
    pytest.param(
        answer(status=302, headers={"location": "https://login.example/x"}), "redirect", id="302"
    ),
    pytest.param(
        answer(body=b"<html>oops</html>", content_type="text/html"), "not-json", id="html"
    ),
    pytest.param(answer(body=b"\xff\xfe{}"), "not-json", id="not-utf8"),
    pytest.param(answer(body=b'{"commands": NaN}'), "not-json", id="nan"),
    pytest.param(answer(body=b""), "empty-body", id="empty-200"),
    pytest.param(answer(body=b"  \n"), "empty-body", id="blank-200"),
    pytest.param(answer([ALLOW]), "not-object", id="list"),
    pytest.param(answer(body=b"null"), "not-object", id="null"),
    pytest.param(answer(body=b'"ALLOW"'), "not-object", id="string"),
    pytest.param(
        answer(body=b'{"commands": []' + b" " * (256 * 1024) + b"}"), "body-too-large", id="big"
    ),
]


@pytest.mark.parametrize(("hook_answer", "code"), FAILURES)
def test_hook_failures_deny_with_the_failure_message(hook_answer: HookAnswer, code: str) -> None:
    for request_value, text in ((ssr_request(), SSR_FAILURE), (pp_request(), PP_FAILURE)):
        verdict = interpret_response(request_value, hook_answer)
        assert verdict.outcome is Outcome.DENIED
        assert verdict.hook_failed
        assert verdict.messages == (banner(text),)
        assert verdict.commands_run == ()
        assert verdict.changes == ()
        assert verdict.profile_after == verdict.profile_before
        assert the(verdict, code).severity is Severity.ERROR
        assert verdict.headline.startswith("DENIED: the hook failed (")
        assert verdict.headline.endswith(text)
    # The progressive-profile failure text is flagged as UNCONFIRMED.
    assert "UNCONFIRMED" in the(verdict, "pp-failure-text").message


def test_the_3_s_rule_applies_to_the_answering_attempt() -> None:
    on_time = HookAnswer(status=200, body=b"{}", elapsed_ms=3500.0, attempts=2, attempt_ms=1500.0)
    assert "too-slow" not in codes(interpret_response(ssr_request(), on_time))
    late = HookAnswer(status=200, body=b"{}", elapsed_ms=6200.0, attempts=2, attempt_ms=3200.0)
    verdict = interpret_response(ssr_request(), late)
    assert codes(verdict)["too-slow"] is Severity.ERROR
    assert "The retry's answer took 3200 ms" in the(verdict, "too-slow").message


def test_http_limits_are_exact() -> None:
    assert not judge(ssr_request(), {}, elapsed_ms=3000.0).hook_failed
    assert judge(ssr_request(), {}, elapsed_ms=3000.001).hook_failed
    limit = 256 * 1024
    just_under = b'{"commands": []' + b" " * (limit - 17) + b"}"
    assert len(just_under) == limit - 1
    assert not judge(ssr_request(), body=just_under).hook_failed
    assert judge(ssr_request(), body=just_under + b" ").hook_failed
    assert interpret_response(ssr_request(), answer({}, elapsed_ms=50), timeout_ms=40).hook_failed
    assert interpret_response(ssr_request(), answer({}), max_body=2).hook_failed


def test_failure_details() -> None:
    verdict = judge(ssr_request(), status=302, headers={"location": "https://x.example/h"})
    assert "https://x.example/h" in the(verdict, "redirect").message
    assert "does not follow" in the(verdict, "redirect").message
    verdict = judge(ssr_request(), status=301)
    assert "no Location header" in the(verdict, "redirect").message
    verdict = judge(ssr_request(), body=b"<html><body>TypeError: Cannot read properties")
    assert "<html><body>TypeError" in the(verdict, "not-json").message
    verdict = judge(ssr_request(), {"error": {"errorSummary": "bad"}}, status=400)
    assert verdict.response_value == {"error": {"errorSummary": "bad"}}
    assert codes(verdict)["error-in-status"] is Severity.NOTE
    verdict = interpret_response(
        ssr_request(), HookAnswer.failed(FailureKind.TIMEOUT, "read timed out", 6100.0, 2)
    )
    assert verdict.status is None
    assert codes(verdict) == {"retried": Severity.NOTE, "timeout": Severity.ERROR}


def test_utf8_bom_has_both_readings() -> None:
    """No Okta source says whether its parser skips a byte-order mark (UNCONFIRMED)."""
    body = b"\xef\xbb\xbf" + json.dumps({"commands": [DENY]}).encode()
    strict = judge(ssr_request(), body=body)
    assert strict.hook_failed and the(strict, "answer-bom").label == "UNCONFIRMED (strict reading)"
    assert "remove it" in the(strict, "answer-bom").message
    lenient = interpret_response(ssr_request(), answer(body=body), reading="lenient")
    assert lenient.outcome is Outcome.DENIED and not lenient.hook_failed
    assert the(lenient, "answer-bom").severity is Severity.WARNING


def test_unusual_2xx_status_is_read_like_200() -> None:
    verdict = judge(ssr_request(), {"commands": [DENY]}, status=202)
    assert verdict.outcome is Outcome.DENIED and not verdict.hook_failed
    assert codes(verdict)["unusual-status"] is Severity.WARNING


# ---------------------------------------------------------------------------------------------
# Profile before -> after.


def test_profile_changes_apply_in_command_order_then_key_order() -> None:
    response = {
        "commands": [
            {"type": "com.okta.user.profile.update", "value": {"nickName": "Ro", "locale": "fr"}},
            ALLOW,
            {"type": "com.okta.user.profile.update", "value": {"nickName": "Rosie"}},
        ]
    }
    verdict = judge(ssr_request(), response, SCHEMA)
    assert verdict.outcome is Outcome.PROFILE_UPDATED
    assert verdict.changes == (
        AttributeChange("nickName", None, "Ro", 0, True),
        AttributeChange("locale", None, "fr", 0, True),
        AttributeChange("nickName", "Ro", "Rosie", 2, True),
    )
    assert verdict.profile_before == ssr_request()["data"]["userProfile"]
    assert verdict.profile_after == {
        **ssr_request()["data"]["userProfile"],
        "nickName": "Rosie",
        "locale": "fr",
    }
    assert verdict.commands_run == tuple(response["commands"])
    assert verdict.headline == 'PROFILE UPDATED: nickName = "Ro", locale = "fr", nickName = "Rosie"'


def test_progressive_profile_before_is_the_existing_user_from_the_org() -> None:
    stored = {**pp_request()["data"]["context"]["user"]["profile"], "email": "r@example.com"}
    verdict = interpret_response(
        pp_request(),
        answer(registration_hook_pp(pp_request()).response),
        SCHEMA,
        stored_profile=stored,
    )
    assert verdict.profile_before == stored  # the org's, email and all: not the request's five
    assert verdict.profile_after == {**stored, "employeeNumber": "1234"}
    assert verdict.changes == (AttributeChange("employeeNumber", None, "1234", 0, True),)
    assert verdict.problems == ()


def test_without_the_org_the_profile_before_is_the_request_context_and_says_so() -> None:
    verdict = judge(pp_request(), registration_hook_pp(pp_request()).response, SCHEMA)
    assert verdict.profile_before == pp_request()["data"]["context"]["user"]["profile"]
    assert the(verdict, "profile-before-context").path == "data.context.user.profile"


def test_deny_discards_updates() -> None:
    response = {
        "commands": [{"type": "com.okta.user.profile.update", "value": {"nickName": "R"}}, DENY]
    }
    verdict = judge(ssr_request(), response, SCHEMA)
    assert verdict.outcome is Outcome.DENIED
    assert verdict.changes == ()
    assert verdict.profile_after == verdict.profile_before
    assert codes(verdict)["updates-discarded"] is Severity.NOTE


def test_last_registration_decision_wins() -> None:
    verdict = judge(ssr_request(), {"commands": [DENY, ALLOW]})
    assert verdict.outcome is Outcome.ALLOWED
    assert "(ALLOW)" in the(verdict, "conflicting-registration").message
    assert judge(ssr_request(), {"commands": [ALLOW, DENY]}).outcome is Outcome.DENIED


# ---------------------------------------------------------------------------------------------
# Messages and their fields.


@pytest.mark.parametrize(
    ("request_value", "location", "field"),
    [
        (ssr_request(), "data.userProfile.email", "email"),
        (ssr_request(), "data.userProfile.firstName", "firstName"),
        (pp_request(), "data.userProfile.employeeNumber", "employeeNumber"),
        (pp_request(), "data.userProfileUpdate.employeeNumber", "employeeNumber"),
        # In the request, but no input of the progressive form (Employee number): the banner.
        (pp_request(), "data.context.user.profile.locale", None),
        # A sign-up cause points at data.userProfile only.
        (ssr_request(), "data.context.user.profile.email", None),
        # Okta fills the login from the email: no Login input on the sign-up form.
        (ssr_request(), "data.userProfile.login", None),
        (ssr_request(), "data.userProfile", None),
        (ssr_request(), "email", None),
        (ssr_request(), "", None),
    ],
)
def test_message_fields(request_value: dict[str, Any], location: str, field: str | None) -> None:
    verdict = judge(request_value, {"error": {"errorCauses": [cause("Look here", location)]}})
    shown = EndUserMessage("Look here", field, location)
    assert verdict.messages == ((WIDGET_BANNER, shown) if field else (shown,))
    assert verdict.outcome is Outcome.DENIED


def test_location_naming_an_attribute_the_request_lacks_is_a_banner() -> None:
    response = {"error": {"errorCauses": [cause("Pick a nickname", "data.userProfile.nickName")]}}
    verdict = judge(ssr_request(), response)
    assert verdict.messages == (
        EndUserMessage("Pick a nickname", None, "data.userProfile.nickName"),
    )
    broken = the(verdict, "cause-location-no-field")
    assert broken.path == "error.errorCauses[0].location" and broken.unconfirmed


def test_several_causes_each_show() -> None:
    response = {
        "error": {
            "errorCauses": [
                cause("Bad email", "data.userProfile.email"),
                cause("", "data.userProfile.firstName"),
                cause("Bad name", "data.userProfile.lastName"),
                cause("Global", None),
            ]
        }
    }
    verdict = judge(ssr_request(), response)
    assert verdict.messages == (
        WIDGET_BANNER,
        EndUserMessage("Bad email", "email", "data.userProfile.email"),
        EndUserMessage("Bad name", "lastName", "data.userProfile.lastName"),
        EndUserMessage("Global", None, None),
    )
    assert verdict.headline == "DENIED: Bad email (+2 more)"
    assert the(verdict, "cause-no-summary").severity is Severity.WARNING


def test_causes_without_text_fall_back_to_the_generic_message() -> None:
    verdict = judge(pp_request(), {"error": {"errorCauses": [{"location": "x"}]}})
    assert verdict.messages == (
        banner("We found some errors. Please review the form and make corrections."),
    )


def test_classic_request_shows_only_the_first_user_profile_cause() -> None:
    classic = ssr_request()
    del classic["requestType"]
    response = {
        "error": {
            "errorCauses": [
                cause("First", "data.userProfile.email"),
                cause("Second", "data.userProfile.lastName"),
            ]
        }
    }
    verdict = judge(classic, response)
    assert verdict.messages == (EndUserMessage("First", "email", "data.userProfile.email"),)
    assert verdict.request_type is None
    assert codes(verdict)["classic-request"] is Severity.NOTE
    response = {"error": {"errorCauses": [cause("Elsewhere", "data.other")]}}
    verdict = judge(classic, response)
    assert verdict.messages == (banner("Registration cannot be completed at this time."),)


@pytest.mark.parametrize(
    ("request_value", "text"),
    [
        (None, SSR_FAILURE),
        ([], SSR_FAILURE),
        ({"requestType": "x.y"}, SSR_FAILURE),
        ({"data": {"userProfileUpdate": {}}}, PP_FAILURE),
    ],
)
def test_unknown_request_type_picks_texts_from_the_data(request_value: Any, text: str) -> None:
    verdict = judge(request_value, status=500)
    assert verdict.messages == (banner(text),)
    assert codes(verdict)["request-type-unknown"] is Severity.NOTE
    assert verdict.profile_before == {}


def test_wrong_command_for_the_request_type_still_has_its_attributes_checked() -> None:
    value = {"commands": [{"type": UPDATE, "value": {"favoriteColor": "blue", "password": "x"}}]}
    verdict = judge(pp_request(), value, SCHEMA)
    found = codes(verdict)
    assert found["profile-update-in-pp"] is Severity.ERROR
    assert {p.path for p in verdict.problems if p.severity is Severity.ERROR} >= {
        "commands[0].type",
        "commands[0].value.favoriteColor",
        "commands[0].value.password",
    }
    assert verdict.outcome is Outcome.DENIED and verdict.hook_failed


# ---------------------------------------------------------------------------------------------
# Rule breaks.

UPDATE = "com.okta.user.profile.update"
PROGRESSIVE = "com.okta.user.progressive.profile.update"

BREAKS = [
    pytest.param(
        ssr_request(),
        {"commands": [{"type": "com.action.update", "value": {"registration": "DENY"}}]},
        "unknown-command",
        Severity.ERROR,
        "commands[0].type",
        'did you mean "com.okta.action.update"?',
        id="unknown-command",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [{"type": "allow", "value": {}}]},
        "unknown-command",
        Severity.ERROR,
        "commands[0].type",
        '"allow" is not a command Okta knows.',
        id="unknown-command-no-guess",
    ),
    pytest.param(
        pp_request(),
        {"commands": [{"type": UPDATE, "value": {"employeeNumber": "1234"}}]},
        "profile-update-in-pp",
        Severity.ERROR,
        "commands[0].type",
        "invalid in a progressive profile answer",
        id="profile-update-in-pp",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [{"type": PROGRESSIVE, "value": {"nickName": "R"}}]},
        "progressive-update-in-ssr",
        Severity.WARNING,
        "commands[0].type",
        "UNCONFIRMED",
        id="progressive-update-in-ssr",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [{"type": "com.okta.action.update", "value": {"registration": "deny"}}]},
        "registration-value",
        Severity.ERROR,
        "commands[0].value.registration",
        'write "DENY", upper case',
        id="registration-lower-case",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [{"type": "com.okta.action.update", "value": {"registration": "MAYBE"}}]},
        "registration-value",
        Severity.ERROR,
        "commands[0].value.registration",
        'not "MAYBE"',
        id="registration-other",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [{"type": "com.okta.action.update", "value": {"action": "ALLOW"}}]},
        "registration-key",
        Severity.ERROR,
        "commands[0].value.action",
        'The key is "registration", not "action"',
        id="action-key",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [{"type": UPDATE, "value": {"employeNumber": "1"}}]},
        "unknown-attribute",
        Severity.ERROR,
        "commands[0].value.employeNumber",
        'did you mean "employeeNumber"?',
        id="unknown-attribute",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [{"type": UPDATE, "value": {"password": "hunter2"}}]},
        "password",
        Severity.ERROR,
        "commands[0].value.password",
        "never set the password",
        id="password",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [{"type": UPDATE, "value": {"age": "forty"}}]},
        "wrong-type",
        Severity.ERROR,
        "commands[0].value.age",
        "integer",
        id="wrong-type",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [{"type": UPDATE, "value": {"isContractor": "true"}}]},
        "wrong-type",
        Severity.ERROR,
        "commands[0].value.isContractor",
        "boolean",
        id="wrong-type-boolean",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [{"type": UPDATE, "value": {"email": None}}]},
        "required-null",
        Severity.ERROR,
        "commands[0].value.email",
        "required",
        id="required-null",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [{"type": UPDATE, "value": {"costCenter": "CC-1"}}]},
        "read-only",
        Severity.WARNING,
        "commands[0].value.costCenter",
        "read-only",
        id="read-only",
    ),
    pytest.param(
        ssr_request(),
        {},
        "empty-answer",
        Severity.NOTE,
        "",
        "silently skipped",
        id="empty-answer",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [ALLOW]},
        "redundant-allow",
        Severity.NOTE,
        "commands[0].value.registration",
        "redundant",
        id="redundant-allow",
    ),
    pytest.param(
        ssr_request(),
        {"commands": "ALLOW"},
        "commands-not-list",
        Severity.ERROR,
        "commands",
        "not a string",
        id="commands-not-list",
    ),
    pytest.param(
        ssr_request(),
        {"commands": None},
        "commands-null",
        Severity.WARNING,
        "commands",
        "null",
        id="commands-null",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [["com.okta.action.update"]]},
        "command-not-object",
        Severity.ERROR,
        "commands[0]",
        "an array",
        id="command-not-object",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [{"value": {"registration": "DENY"}}]},
        "command-type-missing",
        Severity.ERROR,
        "commands[0].type",
        "no type",
        id="command-type-missing",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [{"type": 7, "value": {}}]},
        "command-type-not-text",
        Severity.ERROR,
        "commands[0].type",
        "a number",
        id="command-type-number",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [{"type": "com.okta.action.update"}]},
        "command-value-missing",
        Severity.ERROR,
        "commands[0].value",
        "no value",
        id="command-value-missing",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [{"type": "com.okta.action.update", "value": "DENY"}]},
        "command-value-not-object",
        Severity.ERROR,
        "commands[0].value",
        "a string",
        id="command-value-string",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [{"type": "com.okta.action.update", "value": {}}]},
        "registration-missing",
        Severity.ERROR,
        "commands[0].value",
        '{"registration": "ALLOW"}',
        id="registration-missing",
    ),
    pytest.param(
        ssr_request(),
        {"error": "denied"},
        "error-not-object",
        Severity.ERROR,
        "error",
        "a string",
        id="error-string",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [DENY], "error": None},
        "error-null",
        Severity.WARNING,
        "error",
        "no error",
        id="error-null",
    ),
    pytest.param(
        ssr_request(),
        {"error": {"errorCauses": {"errorSummary": "x"}}},
        "error-causes-not-list",
        Severity.ERROR,
        "error.errorCauses",
        "an object",
        id="causes-object",
    ),
    pytest.param(
        ssr_request(),
        {"error": {"errorCauses": ["Bad email"]}},
        "cause-not-object",
        Severity.ERROR,
        "error.errorCauses[0]",
        "a string",
        id="cause-string",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [DENY], "allow": True},
        "unknown-key",
        Severity.WARNING,
        "allow",
        '"allow"',
        id="unknown-top-key",
    ),
    pytest.param(
        ssr_request(),
        {"commands": [DENY], "debugContext": "x"},
        "debug-context",
        Severity.WARNING,
        "debugContext",
        "a string",
        id="debug-context-string",
    ),
]


@pytest.mark.parametrize(("request_value", "response", "code", "severity", "path", "text"), BREAKS)
def test_rule_breaks(
    request_value: dict[str, Any],
    response: dict[str, Any],
    code: str,
    severity: Severity,
    path: str,
    text: str,
) -> None:
    verdict = judge(request_value, response, SCHEMA)
    found = the(verdict, code)
    assert found.severity is severity
    assert found.path == path
    assert text in found.message
    # Every path is reported once: the response schema's problems never repeat ours.
    paths = [p.path for p in verdict.problems if p.path and p.code != "schema"]
    schema_paths = [p.path for p in verdict.problems if p.code == "schema"]
    assert not set(paths) & set(schema_paths)
    if severity is Severity.ERROR:
        # Okta rejects the answer: the flow stops and nothing is applied.
        assert verdict.hook_failed
        assert verdict.outcome is Outcome.DENIED
        expected = PP_FAILURE if request_value["requestType"] == PP else SSR_FAILURE
        assert verdict.messages == (banner(expected),)
        assert verdict.changes == ()
    else:
        assert not verdict.hook_failed


def test_copy_of_the_api_reference_example_reports_both_mistakes_once() -> None:
    response = {"commands": [{"type": "com.action.update", "value": {"action": "ALLOW"}}]}
    verdict = judge(ssr_request(), response, SCHEMA)
    assert [(p.code, p.path) for p in verdict.problems] == [
        ("unknown-command", "commands[0].type"),
        ("registration-key", "commands[0].value.action"),
    ]


def test_progressive_update_in_registration_is_applied() -> None:
    response = {"commands": [{"type": PROGRESSIVE, "value": {"nickName": "R"}}]}
    verdict = judge(ssr_request(), response, SCHEMA)
    assert verdict.outcome is Outcome.PROFILE_UPDATED
    assert verdict.profile_after["nickName"] == "R"


def test_read_only_attribute_is_still_applied() -> None:
    response = {"commands": [{"type": UPDATE, "value": {"costCenter": "CC-1"}}]}
    verdict = judge(ssr_request(), response, SCHEMA)
    assert verdict.outcome is Outcome.PROFILE_UPDATED
    assert verdict.changes == (AttributeChange("costCenter", None, "CC-1", 0, True),)


def test_without_a_schema_attribute_names_are_not_checked() -> None:
    response = {"commands": [{"type": UPDATE, "value": {"anything": 1}}]}
    verdict = judge(ssr_request(), response)
    assert verdict.outcome is Outcome.PROFILE_UPDATED
    assert verdict.problems == ()
    assert verdict.changes[0].known


@pytest.mark.parametrize(
    ("type_", "good", "bad"),
    [
        ("string", "x", 1),
        ("integer", 3, 3.5),
        ("integer", 3.0, True),
        ("number", 2.5, "2.5"),
        ("boolean", False, 0),
        ("array", ["a"], "a"),
    ],
)
def test_attribute_types(type_: str, good: Any, bad: Any) -> None:
    schema = UserSchema(attributes={"x": attribute("x", type_)})
    for value, ok in ((good, True), (bad, False), (None, True)):
        response = {"commands": [{"type": UPDATE, "value": {"x": value}}]}
        verdict = judge(ssr_request(), response, schema)
        assert ("wrong-type" not in codes(verdict)) is ok, (type_, value)


def test_content_type_that_is_not_json_is_a_warning() -> None:
    for content_type in ("text/html; charset=utf-8", None, "text/plain"):
        verdict = judge(ssr_request(), {"commands": [DENY]}, content_type=content_type)
        assert the(verdict, "content-type").severity is Severity.WARNING
        assert verdict.outcome is Outcome.DENIED and not verdict.hook_failed
    for content_type in ("application/json", "Application/JSON; charset=utf-8", "x/y+json"):
        verdict = judge(ssr_request(), {"commands": [DENY]}, content_type=content_type)
        assert "content-type" not in codes(verdict)


def test_error_without_deny_is_noted() -> None:
    verdict = judge(ssr_request(), {"error": {}})
    assert the(verdict, "error-without-deny").severity is Severity.NOTE
    verdict = judge(ssr_request(), {"commands": [DENY], "error": {}})
    assert "error-without-deny" not in codes(verdict)
    assert the(verdict, "commands-ignored").severity is Severity.NOTE


def test_other_schema_problems_become_warnings() -> None:
    response = {"error": {"errorCauses": [cause("Bad", "data.userProfile.email", reason=5)]}}
    verdict = judge(ssr_request(), response)
    schema_break = the(verdict, "schema")
    assert schema_break.severity is Severity.WARNING
    assert schema_break.path == "error.errorCauses[0].reason"
    assert "line 1" in schema_break.message
    assert verdict.outcome is Outcome.DENIED and not verdict.hook_failed


def test_the_bundled_answers_break_nothing() -> None:
    requests = [ssr_request(), ssr_request(email="a@okta.com", employeeNumber="1234"), pp_request()]
    requests.append(pp_request(employeeNumber="12345"))
    for endpoint in (registration_hook_ssr, registration_hook_pp, registration_hook_ssr_and_pp):
        for request_value in requests:
            response = endpoint(request_value).response
            verdict = judge(request_value, response, SCHEMA)
            assert not [p for p in verdict.problems if p.severity is not Severity.NOTE]


def test_guide_scenarios_end_to_end() -> None:
    verdict = judge(ssr_request(), registration_hook_ssr(ssr_request()).response, SCHEMA)
    assert verdict.outcome is Outcome.DENIED
    assert verdict.headline == "DENIED: Only okta.com emails can register."
    okta = ssr_request(email="rosario.jones@okta.com", login="rosario.jones@okta.com")
    verdict = judge(okta, registration_hook_ssr(okta).response, SCHEMA)
    assert verdict.outcome is Outcome.ALLOWED
    verdict = judge(pp_request(), registration_hook_ssr_and_pp(pp_request()).response, SCHEMA)
    assert verdict.outcome is Outcome.PROFILE_UPDATED
    bad = pp_request(employeeNumber="abcd")
    verdict = judge(bad, registration_hook_ssr_and_pp(bad).response, SCHEMA)
    assert verdict.messages == (
        BANNER_READING,
        summary_reading("Incorrect employee number. Enter an employee number with 4 digits."),
        EndUserMessage(
            "Only employee numbers with 4 digits can register.",
            "employeeNumber",
            "data.userProfile.employeeNumber",
        ),
    )
    # The SSR-only endpoint answers {} to a progressive request: allowed, and the note says why.
    verdict = judge(pp_request(), registration_hook_ssr(bad).response, SCHEMA)
    assert verdict.outcome is Outcome.ALLOWED
    assert "silently skipped" in the(verdict, "empty-answer").message


# ---------------------------------------------------------------------------------------------
# Reports.


def test_to_json_shape() -> None:
    verdict = judge(ssr_request(), SSR_OTHER_DOMAIN, SCHEMA)
    data = verdict.to_json()
    assert list(data) == [
        "outcome",
        "request_type",
        "hook_failed",
        "headline",
        "http",
        "reading",
        "messages",
        "commands_run",
        "changes",
        "profile_before",
        "profile_after",
        "problems",
        "response",
    ]
    assert data["outcome"] == "DENIED"
    assert data["request_type"] == SSR
    assert data["hook_failed"] is False
    assert data["http"] == {"status": 200, "elapsed_ms": 12.0, "size_bytes": verdict.size_bytes}
    assert data["reading"] == "strict"
    assert data["messages"] == [
        {
            "text": "We found some errors. Please review the form and make corrections.",
            "field": None,
            "location": None,
            "banner": True,
            "reading": None,
        },
        {
            "text": "Incorrect email address. Please contact your admin.",
            "field": None,
            "location": None,
            "banner": False,
            "reading": READING_SUMMARY_PASSED_BACK,
        },
        {
            "text": "Only okta.com emails can register.",
            "field": "email",
            "location": "data.userProfile.email",
            "banner": False,
            "reading": None,
        },
    ]
    assert data["commands_run"] == []
    assert data["problems"] == [
        {
            "code": "commands-ignored",
            "severity": "note",
            "message": "The answer has an error object, so none of its 1 command(s) run.",
            "path": "commands",
            "unconfirmed": None,
            "rests_on": None,
        },
        {
            "code": "error-summary-with-causes",
            "severity": "note",
            "message": the(verdict, "error-summary-with-causes").message,
            "path": "error.errorSummary",
            "unconfirmed": "UNCONFIRMED (strict reading)",
            "rests_on": data["problems"][1]["rests_on"],
        },
    ]
    # The two Okta sentences that disagree, with where they are.
    assert [(r["repo"], r["commit"][:10]) for r in data["problems"][1]["rests_on"]] == [
        ("okta/okta-management-openapi-spec", "fdda229e82"),
        ("okta/okta-developer-docs", "468de9c511"),
    ]
    assert data["response"] == SSR_OTHER_DOMAIN
    json.dumps(data, allow_nan=False)

    response = {"commands": [{"type": PROGRESSIVE, "value": {"employeeNumber": "1234"}}]}
    data = judge(pp_request(), response, SCHEMA).to_json()
    assert data["outcome"] == "PROFILE UPDATED"
    assert data["changes"] == [
        {
            "name": "employeeNumber",
            "before": None,
            "after": "1234",
            "command_index": 0,
            "known": True,
        }
    ]
    data = interpret_response(
        ssr_request(), HookAnswer.failed(FailureKind.OTHER, "", math.nan)
    ).to_json()
    assert data["http"] == {"status": None, "elapsed_ms": None, "size_bytes": 0}
    json.dumps(data, allow_nan=False)


def test_to_text_report() -> None:
    response = {
        "commands": [
            ALLOW,
            {"type": PROGRESSIVE, "value": {"employeeNumber": "1234"}},
        ]
    }
    text = judge(pp_request(), response, SCHEMA).to_text()
    lines = text.splitlines()
    assert lines[0] == 'PROFILE UPDATED: employeeNumber = "1234"'
    assert "Request type: progressive.profile" in lines
    assert "HTTP: 200, 12.0 ms, " in text
    assert "  no message: the flow goes on" in lines
    assert '  2. "com.okta.user.progressive.profile.update" {"employeeNumber": "1234"}' in lines
    row = next(line for line in lines if "employeeNumber" in line and "(not set)" in line)
    assert " ".join(row.split()) == '* employeeNumber (not set) "1234"'
    assert any(line.split()[:2] == ["note", "commands[0].value.registration:"] for line in lines)

    text = judge(ssr_request(), SSR_OTHER_DOMAIN).to_text()
    assert '  under the "email" field: Only okta.com emails can register.' in text
    assert "Commands run: none" in text

    text = interpret_response(pp_request(), HookAnswer(status=503)).to_text()
    assert f"  at the top of the form: {PP_FAILURE}" in text
    assert any(line.split()[:3] == ["error", "HTTP", "503:"] for line in text.splitlines())
    assert "Rule breaks:" in text
    assert (
        "Rule breaks: none" in interpret_response(ssr_request(), HookAnswer(status=204)).to_text()
    )


# ---------------------------------------------------------------------------------------------
# Nothing raises.

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)

command_types = st.sampled_from(
    ["com.okta.action.update", UPDATE, PROGRESSIVE, "com.action.update", "x"]
)
commands = st.fixed_dictionaries(
    {"type": command_types | json_values},
    optional={
        "value": st.dictionaries(
            st.sampled_from(["registration", "action", "email", "employeeNumber", "password"])
            | st.text(max_size=6),
            st.sampled_from(["ALLOW", "DENY"]) | json_values,
            max_size=3,
        )
        | json_values
    },
)
causes = st.fixed_dictionaries(
    {},
    optional={
        "errorSummary": st.text(max_size=10) | json_values,
        "location": st.sampled_from(
            ["data.userProfile.email", "data.userProfileUpdate.employeeNumber", "x"]
        )
        | json_values,
        "reason": json_values,
    },
)
responses = st.fixed_dictionaries(
    {},
    optional={
        "commands": st.lists(commands, max_size=3) | json_values,
        "error": st.fixed_dictionaries(
            {}, optional={"errorSummary": json_values, "errorCauses": st.lists(causes, max_size=3)}
        )
        | json_values,
        "debugContext": json_values,
    },
)
requests = st.one_of(
    json_values,
    st.builds(ssr_request, employeeNumber=json_values, email=json_values),
    st.builds(pp_request, employeeNumber=json_values),
    st.fixed_dictionaries(
        {"requestType": st.sampled_from([SSR, PP]) | json_values, "data": json_values}
    ),
)
ENDPOINTS = (registration_hook_ssr, registration_hook_pp, registration_hook_ssr_and_pp)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def no_internal_fault(verdict: Verdict) -> None:
    assert "internal" not in codes(verdict), verdict.problems
    json.dumps(verdict.to_json(), default=str)
    verdict.to_text()


@FAST
@given(
    requests,
    st.integers(min_value=1, max_value=9),
    st.text(min_size=1, max_size=10).filter(lambda d: d.strip() and "@" not in d),
)
def test_endpoints_never_raise(request_value: Any, digits: int, domain: str) -> None:
    if any(ch.isspace() for ch in domain):
        domain = "okta.com"
    for rules in (HookRules(), HookRules(domain, digits)):
        for endpoint in ENDPOINTS:
            result = endpoint(request_value, rules)
            assert isinstance(result.response, dict)
            assert result.log_lines and all(isinstance(line, str) for line in result.log_lines)
            json.dumps(result.response)
            verdict = interpret_response(
                request_value, HookAnswer.from_json_bytes(json.dumps(result.response).encode())
            )
            no_internal_fault(verdict)
            assert not verdict.errors(), verdict.problems


@FAST
@given(requests, responses | json_values)
def test_interpret_never_raises_on_json(request_value: Any, response: Any) -> None:
    body = json.dumps(response).encode("utf-8")
    verdict = interpret_response(request_value, HookAnswer.from_json_bytes(body), SCHEMA)
    no_internal_fault(verdict)
    if verdict.hook_failed or verdict.outcome is not Outcome.PROFILE_UPDATED:
        assert verdict.changes == ()
    if verdict.errors():
        assert verdict.hook_failed and verdict.outcome is Outcome.DENIED


@FAST
@given(
    requests,
    st.one_of(st.none(), st.integers(min_value=-1000, max_value=1000)),
    st.binary(max_size=64) | responses.map(lambda r: json.dumps(r).encode()),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dictionaries(st.sampled_from(["content-type", "Location", "x"]), st.text(max_size=10)),
    st.one_of(st.none(), st.sampled_from(list(FailureKind))),
    st.integers(min_value=-1, max_value=3),
)
def test_interpret_never_raises_on_any_answer(
    request_value: Any,
    status: int | None,
    body: bytes,
    elapsed: float,
    headers: dict[str, str],
    failure: FailureKind | None,
    attempts: int,
) -> None:
    hook_answer = HookAnswer(
        status=status,
        headers=headers,
        body=body,
        elapsed_ms=elapsed,
        failure=failure,
        attempts=attempts,
    )
    verdict = interpret_response(request_value, hook_answer, SCHEMA)
    no_internal_fault(verdict)
    assert verdict.size_bytes == len(body)


def test_odd_answer_objects_do_not_raise() -> None:
    weird = HookAnswer(status=True, headers=None, body=None, elapsed_ms="slow")  # type: ignore[arg-type]
    verdict = interpret_response(ssr_request(), weird)
    assert verdict.hook_failed
    assert "internal" not in codes(verdict)


def test_odd_keys_are_reported_once_with_the_validation_spelling() -> None:
    verdict = judge(ssr_request(), {"commands": [DENY], "a b": 1})
    assert [(p.code, p.path) for p in verdict.problems] == [("unknown-key", '["a b"]')]
    response = {
        "commands": [{"type": "com.okta.action.update", "value": {"action": "DENY", "email": "x"}}]
    }
    verdict = judge(ssr_request(), response)
    assert [(p.code, p.path) for p in verdict.problems] == [
        ("unknown-key", "commands[0].value.email"),
        ("registration-key", "commands[0].value.action"),
    ]
