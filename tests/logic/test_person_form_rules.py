"""The forms the person fills in, the checks before any call, and the request they become."""

from __future__ import annotations

import json

import pytest

from app.logic import okta
from app.logic.org import load_demo_org
from app.logic.person import form_rules as F
from app.logic.person.texts import load_texts

ORG = load_demo_org()
EN = load_texts("en")


def test_the_guide_policy_decides_the_fields() -> None:
    assert F.guide_form("/registrationHookSSR", okta.SSR) == ("email", "firstName", "lastName")
    assert F.guide_form("/registrationHookPP", okta.PP) == ("employeeNumber",)
    assert F.guide_form("/registrationHookSSRandPP", okta.SSR)[-1] == "employeeNumber"
    assert F.guide_form("https://hook.example/x", okta.PP) == ("employeeNumber",)


def test_one_policy_and_the_default_sign_up_form_has_no_employee_number() -> None:
    from app.logic.request_builder import policy_fields

    for endpoint in (*okta.ENDPOINTS.values(), "", "https://hook.example/x"):
        for kind in okta.REQUEST_TYPES:
            assert F.guide_form(endpoint, kind) == policy_fields(endpoint or None, kind)
    assert F.guide_form("", okta.SSR) == okta.SIGN_UP_FIELDS
    assert F.guide_form("/registrationHookSSR", okta.PP) == ()  # the SSR policy has none
    assert not hasattr(F, "GUIDE_FORMS")


def test_labels_and_requirement() -> None:
    fields = F.form_fields(("email", "customerId"), EN, ORG.schema, required=("email",))
    assert [(f.label, f.required, f.email) for f in fields] == [
        ("Email", True, True),
        (ORG.schema.attributes["customerId"].title, False, False),
    ]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, {"email": "blank", "firstName": "blank", "lastName": "blank"}),
        ({"email": "ada", "firstName": "A", "lastName": "L"}, {"email": "shape"}),
        ({"email": "ada@okta", "firstName": "A", "lastName": "L"}, {"email": "shape"}),
        ({"email": "a da@okta.com", "firstName": "A", "lastName": "L"}, {"email": "shape"}),
        ({"email": "ada@okta.com", "firstName": " ", "lastName": "L"}, {}),  # as the widget
        ({"email": "x@notokta.com", "firstName": "A", "lastName": "L"}, {}),
    ],
)
def test_checks_before_the_call(values: dict[str, str], expected: dict[str, str]) -> None:
    fields = F.form_fields(F.guide_form("/registrationHookSSR", okta.SSR), EN, ORG.schema)
    words = {
        "blank": EN.get("model.validation.field.blank"),
        "shape": EN.get("registration.error.invalidLoginEmail.Email"),
    }
    assert F.check_form(fields, values, EN) == {k: words[v] for k, v in expected.items()}


def test_an_empty_optional_input_is_not_sent() -> None:
    fields = F.form_fields(("email", "mobilePhone"), EN, ORG.schema, required=("email",))
    assert F.submitted_values(fields, {"email": "a@okta.com", "mobilePhone": ""}) == {
        "email": "a@okta.com"
    }
    assert F.check_form(fields, {"email": "a@okta.com"}, EN) == {}


def test_a_sign_up_request_holds_only_what_was_typed() -> None:
    text = F.request_text(okta.SSR, {"email": "ada@okta.com", "firstName": "Ada"}, seed=3)
    request = json.loads(text)
    assert request["requestType"] == okta.SSR
    assert request["data"]["userProfile"] == {
        "login": "ada@okta.com",
        "email": "ada@okta.com",
        "firstName": "Ada",
    }


def test_a_progressive_request_carries_the_user_and_only_the_typed_update() -> None:
    zoe = ORG.find("zoe.lukasiewicz@okta.com")
    assert zoe is not None
    request = json.loads(F.request_text(okta.PP, {"employeeNumber": "7777"}, zoe, seed=3))
    assert request["data"]["userProfileUpdate"] == {"employeeNumber": "7777"}
    assert request["data"]["context"]["user"]["id"] == zoe.id
    with pytest.raises(ValueError, match="existing user"):
        F.request_text(okta.PP, {"employeeNumber": "7777"})
