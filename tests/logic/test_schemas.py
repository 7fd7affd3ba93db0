"""The request and response JSON Schemas: Okta's documented examples pass, wrong answers fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from app.logic.resources import schemas_dir
from app.logic.validation import validate_request, validate_response

DATA = Path(__file__).parent / "data"
REQUEST_EXAMPLES = sorted((DATA / "requests").glob("*.json"))
RESPONSE_EXAMPLES = sorted((DATA / "responses").glob("*.json"))


@pytest.mark.parametrize("name", ["request", "response"])
def test_schema_files_are_valid_draft_2020_12(name: str) -> None:
    schema = json.loads((schemas_dir() / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert schema["title"] and schema["description"]


def test_there_are_examples_to_check() -> None:
    assert len(REQUEST_EXAMPLES) >= 4
    assert len(RESPONSE_EXAMPLES) >= 10


@pytest.mark.parametrize("path", REQUEST_EXAMPLES, ids=lambda p: p.stem)
def test_documented_requests_are_valid(path: Path) -> None:
    result = validate_request(path.read_text(encoding="utf-8"))
    assert result.problems == ()
    expected_engine = "classic" if "classic" in path.stem else "identity"
    assert result.engine == expected_engine


@pytest.mark.parametrize("path", RESPONSE_EXAMPLES, ids=lambda p: p.stem)
def test_documented_responses_are_valid(path: Path) -> None:
    result = validate_response(path.read_text(encoding="utf-8"))
    assert result.problems == ()
    assert result.engine is None


GUIDE_SSR = json.loads((DATA / "requests" / "guide-ssr.json").read_text(encoding="utf-8"))
GUIDE_PP = json.loads((DATA / "requests" / "guide-pp.json").read_text(encoding="utf-8"))


def _changed(base: dict, path: tuple, value: object) -> dict:
    """A deep copy of `base` with the value at `path` replaced (or removed when value is ...)."""
    copy = json.loads(json.dumps(base))
    target = copy
    for part in path[:-1]:
        target = target[part]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return copy


WRONG_RESPONSES = [
    pytest.param(
        {"commands": [{"type": "com.action.update", "value": {"action": "DENY"}}]},
        {
            "commands[0].type": '"com.action.update" is not a command Okta knows; '
            'did you mean "com.okta.action.update"?',
            "commands[0].value": 'Okta reads the key "registration", not "action"',
        },
        id="okta-api-reference-example",
    ),
    pytest.param(
        {"commands": [{"type": "com.okta.action.update", "value": {"action": "ALLOW"}}]},
        {"commands[0].value": 'Okta reads the key "registration", not "action"'},
        id="value-key-action",
    ),
    pytest.param(
        {"commands": [{"type": "com.action.update", "value": {"registration": "DENY"}}]},
        {
            "commands[0].type": '"com.action.update" is not a command Okta knows; '
            'did you mean "com.okta.action.update"?'
        },
        id="type-com-action-update",
    ),
    pytest.param(
        {"commands": [{"type": "com.okta.action.update", "value": {"registration": "allow"}}]},
        {
            "commands[0].value.registration": '"allow" is not a registration decision Okta knows;'
            ' did you mean "ALLOW"?'
        },
        id="lower-case-allow",
    ),
    pytest.param(
        {"commands": [{"type": "com.okta.action.update", "value": {"registration": "REJECT"}}]},
        {
            "commands[0].value.registration": '"REJECT" is not a registration decision Okta '
            'knows; expected "ALLOW" or "DENY"'
        },
        id="registration-reject",
    ),
    pytest.param(
        {"commands": {"type": "com.okta.action.update", "value": {"registration": "DENY"}}},
        {"commands": "expected an array, got an object"},
        id="commands-not-array",
    ),
    pytest.param(
        {"commands": [{"type": "com.okta.action.update"}]},
        {"commands[0]": 'missing required key "value"'},
        id="command-without-value",
    ),
    pytest.param(
        {"command": []},
        {"command": 'Okta does not read "command" here; did you mean "commands"?'},
        id="typo-command",
    ),
    pytest.param(
        {"commands": [{"type": "com.okta.user.profile.update", "value": {"password": "x"}}]},
        {"commands[0].value.password": "a hook may never set the password"},
        id="sets-password",
    ),
    pytest.param(
        {
            "commands": [
                {"type": "com.okta.user.progressive.profile.update", "value": {"a": {"b": 1}}}
            ]
        },
        {
            "commands[0].value.a": "expected a string, a number, a boolean, an array or null, "
            "got an object"
        },
        id="profile-value-object",
    ),
    pytest.param(
        {"error": {"errorSummary": "x", "errorCauses": {"errorSummary": "y"}}},
        {"error.errorCauses": "expected an array, got an object"},
        id="error-causes-not-array",
    ),
    pytest.param(
        {"error": {"errorCauses": [{"errorSumary": "y"}]}},
        {
            "error.errorCauses[0].errorSumary": 'Okta does not read "errorSumary" here; '
            'did you mean "errorSummary"?'
        },
        id="error-cause-typo",
    ),
    pytest.param(
        {"error": "Only okta.com emails can register."},
        {"error": "expected an object, got a string"},
        id="error-is-a-string",
    ),
    pytest.param(
        {"debugContext": "x"},
        {"debugContext": "expected an object, got a string"},
        id="debug-context-string",
    ),
    pytest.param([], {"": "expected an object, got an array"}, id="root-array"),
]


@pytest.mark.parametrize(("value", "expected"), WRONG_RESPONSES)
def test_wrong_responses_are_rejected_with_plain_messages(value: object, expected: dict) -> None:
    result = validate_response(json.dumps(value, indent=2))
    assert {p.path: p.message for p in result.problems} == expected


WRONG_REQUESTS = [
    pytest.param(
        _changed(GUIDE_SSR, ("data", "userProfile", "email"), 1234),
        {"data.userProfile.email": "expected a string, got a number"},
        id="email-number",
    ),
    pytest.param(
        _changed(GUIDE_SSR, ("requestType",), "self.registration"),
        {
            "requestType": '"self.registration" is not a request type Okta sends; '
            'did you mean "self.service.registration"?'
        },
        id="request-type-typo",
    ),
    pytest.param(
        _changed(
            GUIDE_SSR, ("data", "context", "request", "url", "value"), "/idp/idx/enroll/update"
        ),
        {
            "data.context.request.url.value": "a self.service.registration request comes from "
            '"/idp/idx/enroll/new", not "/idp/idx/enroll/update"'
        },
        id="ssr-with-pp-url",
    ),
    pytest.param(
        _changed(GUIDE_SSR, ("data", "action"), "DENY"),
        {"data.action": 'Okta always sends "ALLOW" here, not "DENY"'},
        id="action-deny",
    ),
    pytest.param(
        _changed(GUIDE_SSR, ("data", "userProfile"), ...),
        {"data": 'missing required key "userProfile"'},
        id="ssr-without-user-profile",
    ),
    pytest.param(
        _changed(GUIDE_SSR, ("eventType",), "com.okta.user.registration"),
        {
            "eventType": 'expected "com.okta.user.pre-registration", '
            'got "com.okta.user.registration"'
        },
        id="event-type",
    ),
    pytest.param(
        _changed(GUIDE_SSR, ("eventTime",), "2022-04-25 17:35:27"),
        {"eventTime": '"2022-04-25 17:35:27" is not a UTC time like "2022-04-25T17:35:27.000Z"'},
        id="event-time",
    ),
    pytest.param(
        _changed(GUIDE_PP, ("data", "userProfileUpdate"), ...),
        {"data": 'missing required key "userProfileUpdate"'},
        id="pp-without-update",
    ),
    pytest.param(
        _changed(GUIDE_PP, ("data", "context", "user", "id"), "abc"),
        {
            "data.context.user.id": '"abc" is not an Okta user id starting with "00u", '
            'like "00u48gwcu01WxvNol0g7"'
        },
        id="pp-user-id",
    ),
    pytest.param(
        _changed(GUIDE_PP, ("data", "userProfile"), {"email": "a@b.c"}),
        {
            "data.userProfile": "Okta sends userProfile only with self.service.registration; "
            "a progressive.profile request has context.user.profile and userProfileUpdate"
        },
        id="pp-with-user-profile",
    ),
    pytest.param(
        _changed(GUIDE_SSR, ("eventId",), ...) | {"source": ""},
        {"": 'missing required key "eventId"', "source": "must not be empty"},
        id="several-problems",
    ),
]


@pytest.mark.parametrize(("value", "expected"), WRONG_REQUESTS)
def test_wrong_requests_are_rejected_with_plain_messages(value: object, expected: dict) -> None:
    result = validate_request(json.dumps(value, indent=2))
    assert {p.path: p.message for p in result.problems} == expected


def test_classic_engine_request_is_labelled_and_accepts_null_action() -> None:
    text = (DATA / "requests" / "contract-classic.json").read_text(encoding="utf-8")
    result = validate_request(text)
    assert result.ok
    assert result.engine == "classic"
    assert result.value["data"]["action"] is None


def test_extra_profile_attributes_are_fine_in_requests_and_responses() -> None:
    request = _changed(GUIDE_SSR, ("data", "userProfile", "favouriteColour"), "teal")
    request["data"]["userProfile"]["shoeSize"] = 44
    request["data"]["userProfile"]["groupsWanted"] = ["a", "b"]
    assert validate_request(json.dumps(request)).ok
    response = {
        "commands": [
            {"type": "com.okta.user.profile.update", "value": {"shoeSize": 44, "nick": None}}
        ]
    }
    assert validate_response(json.dumps(response)).ok
