"""One rule for where an error cause shows, from the form the policy shows: the verdict's
`field` (so `verdict --json`, block 3 and a scenario's expect.messages[].field) and the Sign-up
page agree; where Okta documents nothing the verdict says so (UNCONFIRMED) with both readings.
Also: the profile before of a progressive request comes from the org."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from app.logic import okta
from app.logic.answer import HookAnswer
from app.logic.org import load_demo_org
from app.logic.person.outcome import exchange_outcome
from app.logic.person.texts import load_texts
from app.logic.request_builder import build_request, policy_fields
from app.logic.run.pipeline import run_exchange
from app.logic.targets import BundledTarget, RecordedTarget

ORG = load_demo_org()
ZOE = ORG.find("zoe.lukasiewicz@okta.com")
ROSARIO = ORG.find("rosario.jones@example.com")


def _cause_answer(location: str, text: str = "Look here") -> RecordedTarget:
    body = {"error": {"errorCauses": [{"errorSummary": text, "location": location}]}}
    answer = HookAnswer(
        status=200, headers={"content-type": "application/json"}, body=json.dumps(body).encode()
    )
    return RecordedTarget(answer)


def _both(kind: str, user: Any, location: str, form: tuple[str, ...]) -> tuple[Any, Any]:
    """(the verdict's JSON, what the page shows) for one cause on one form."""
    request = build_request(kind, user, fields=form if kind == okta.SSR else None, seed=2)
    exchange = run_exchange(
        json.dumps(request), _cause_answer(location), schema=ORG.schema, forms={kind: form}
    )
    page = exchange_outcome(exchange, form, load_texts("en"), ORG.schema)
    return exchange.verdict.to_json(), page


CASES = [
    # (request type, form, location, the input it shows under; None = the banner)
    (okta.SSR, ("email", "firstName", "lastName"), "data.userProfile.email", "email"),
    # The login is in the request (Okta fills it from the email) but the form has no input.
    (okta.SSR, ("email", "firstName", "lastName"), "data.userProfile.login", None),
    (okta.SSR, ("login", "email", "firstName", "lastName"), "data.userProfile.login", "login"),
    (okta.SSR, ("email", "firstName", "lastName"), "data.userProfile.employeeNumber", None),
    # Progressive: the guide's own example points at data.userProfile (UNCONFIRMED mapping).
    (okta.PP, ("employeeNumber",), "data.userProfile.employeeNumber", "employeeNumber"),
    (okta.PP, ("employeeNumber",), "data.userProfileUpdate.employeeNumber", "employeeNumber"),
    # In the request's user context, but no input of the Employee-number form.
    (okta.PP, ("employeeNumber",), "data.context.user.profile.login", None),
    (okta.PP, ("employeeNumber",), "data.userProfile.email", None),
]


@pytest.mark.parametrize(("kind", "form", "location", "field"), CASES)
def test_the_verdict_and_the_page_put_a_cause_in_the_same_place(
    kind: str, form: tuple[str, ...], location: str, field: str | None
) -> None:
    user = ZOE if kind == okta.SSR else ROSARIO
    verdict, page = _both(kind, user, location, form)
    cause = next(m for m in verdict["messages"] if m["text"] == "Look here")
    assert cause["field"] == field
    under = {name: [n.text for n in notices] for name, notices in page.field_messages.items()}
    if field is None:
        assert "Look here" in [n.text for n in page.banner]
        assert under == {}
    else:
        assert under == {field: ["Look here"]}
    labels = {p["code"]: p["unconfirmed"] for p in verdict["problems"]}
    if field is None:
        assert labels["cause-location-no-field"].startswith("UNCONFIRMED")
    elif kind == okta.PP:
        assert labels["cause-location-progressive"].startswith("UNCONFIRMED")
    else:
        assert not any(code.startswith("cause-location") for code in labels)


def test_without_a_given_form_the_guide_policy_form_of_the_target_decides() -> None:
    """The sample's own answer to a login without @ names data.userProfile.login: the SSR
    policy's form has no Login input, so block 3 and a scenario say the banner."""
    request = build_request(okta.SSR, ZOE, form={"login": "zoe"}, seed=2)
    del request["data"]["userProfile"]["email"]
    target = BundledTarget(okta.ENDPOINTS["ssr"])
    verdict = run_exchange(json.dumps(request), target, schema=ORG.schema).verdict
    located = [m for m in verdict.messages if m.location == "data.userProfile.login"]
    assert located and all(m.field is None for m in located)
    assert "login" not in policy_fields(target.url, okta.SSR)


def test_the_guide_progressive_deny_shows_under_employee_number_labelled() -> None:
    """The guide's progressive deny points at data.userProfile.employeeNumber, though the value
    came in userProfileUpdate: under the policy form's input, with the UNCONFIRMED label."""
    request = build_request(okta.PP, ROSARIO, form={"employeeNumber": "12345"}, seed=2)
    target = BundledTarget(okta.ENDPOINTS["ssr-and-pp"])
    verdict = run_exchange(json.dumps(request), target, schema=ORG.schema).verdict
    assert verdict.outcome.value == "DENIED"
    located = [(m.location, m.field) for m in verdict.messages if m.location]
    assert located == [("data.userProfile.employeeNumber", "employeeNumber")]
    assert any(p.code == "cause-location-progressive" and p.unconfirmed for p in verdict.problems)


def test_progressive_profile_before_comes_from_the_org() -> None:
    request = build_request(okta.PP, ROSARIO, form={"employeeNumber": "1234"}, seed=2)
    assert "email" not in request["data"]["context"]["user"]["profile"]
    target = BundledTarget(okta.ENDPOINTS["pp"])
    with_org = run_exchange(json.dumps(request), target, org=ORG).verdict
    assert with_org.profile_before == ROSARIO.profile  # email, city... the stored profile
    assert with_org.profile_after == {**ROSARIO.profile, "employeeNumber": "1234"}
    assert "profile-before-context" not in {p.code for p in with_org.problems}
    without = run_exchange(json.dumps(request), target, schema=ORG.schema).verdict
    assert without.profile_before == request["data"]["context"]["user"]["profile"]
    assert "profile-before-context" in {p.code for p in without.problems}


def test_a_top_level_summary_beside_causes_is_offered_as_a_labelled_reading() -> None:
    body = {
        "error": {
            "errorSummary": "Incorrect email address. Please contact your admin.",
            "errorCauses": [
                {"errorSummary": "Only okta.com", "location": "data.userProfile.email"}
            ],
        }
    }
    answer = HookAnswer(status=200, body=json.dumps(body).encode())
    request = build_request(okta.SSR, ROSARIO, seed=2)
    verdict = run_exchange(json.dumps(request), RecordedTarget(replace(answer))).verdict
    readings = [(m.text, m.reading) for m in verdict.messages if m.reading]
    assert [text for text, _ in readings] == [body["error"]["errorSummary"]]
    label = readings[0][1]
    assert label.startswith("UNCONFIRMED") and "API spec only the causes show" in label
    assert verdict.messages[0].banner and verdict.messages[0].text == okta.BANNER_TEXT
    assert label in verdict.to_text()
