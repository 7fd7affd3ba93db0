"""Golden tests for the bundled endpoints: the guide's cases exactly, and the fixed defects."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.logic.bundled_hook import (
    ENDPOINTS,
    HookResult,
    HookRules,
    endpoint_for,
    registration_hook_pp,
    registration_hook_ssr,
    registration_hook_ssr_and_pp,
)

SSR = "self.service.registration"
PP = "progressive.profile"

# ---------------------------------------------------------------------------------------------
# The sample's answers, written out exactly as the guide's code builds them (key order matters).

SSR_ALLOW = {"commands": [{"type": "com.okta.action.update", "value": {"registration": "ALLOW"}}]}

SSR_OTHER_DOMAIN = {
    "commands": [{"type": "com.okta.action.update", "value": {"registration": "DENY"}}],
    "error": {
        "errorSummary": "Incorrect email address. Please contact your admin.",
        "errorCauses": [
            {
                "errorSummary": "Only okta.com emails can register.",
                "reason": "INVALID_EMAIL_DOMAIN",
                "locationType": "body",
                "location": "data.userProfile.email",
                "domain": "end-user",
            }
        ],
    },
}

PP_UPDATE_1234 = {
    "commands": [
        {
            "type": "com.okta.user.progressive.profile.update",
            "value": {"employeeNumber": "1234"},
        }
    ]
}

PP_WRONG_DIGITS = {
    "commands": [],
    "error": {
        "errorSummary": "Incorrect employee number. Enter an employee number with 4 digits.",
        "errorCauses": [
            {
                "errorSummary": "Employee numbers must have 4 digits.",
                "reason": "INVALID_EMPLOYEE_NUMBER",
                "locationType": "body",
                "location": "data.userProfile.employeeNumber",
                "domain": "end-user",
            }
        ],
    },
}

COMBINED_PP_WRONG_DIGITS = {
    "commands": [{"type": "com.okta.action.update", "value": {"registration": "DENY"}}],
    "error": {
        "errorSummary": "Incorrect employee number. Enter an employee number with 4 digits.",
        "errorCauses": [
            {
                "errorSummary": "Only employee numbers with 4 digits can register.",
                "reason": "INVALID_EMPLOYEE_NUMBER",
                "locationType": "body",
                "location": "data.userProfile.employeeNumber",
                "domain": "end-user",
            }
        ],
    },
}

COMBINED_SSR_DENIED = {
    "commands": [{"type": "com.okta.action.update", "value": {"registration": "DENY"}}],
    "error": {
        "errorSummary": "Incorrect email address or employee number. Please contact your admin.",
        "errorCauses": [
            {
                "errorSummary": (
                    'To register, you must have an "okta" email and a 4-digit employee number.'
                ),
                "reason": "INVALID_EMAIL_DOMAIN",
                "locationType": "body",
                "location": "data.userProfile.email",
                "domain": "end-user",
            }
        ],
    },
}

DENY = [{"type": "com.okta.action.update", "value": {"registration": "DENY"}}]


def field_error(commands: list[Any], location: str, reason: str, cause: str) -> dict[str, Any]:
    """Our answer where the sample would crash: the endpoint's deny shape, naming the field."""
    return {
        "commands": commands,
        "error": {
            "errorSummary": f"The hook could not check this request. {cause}",
            "errorCauses": [
                {
                    "errorSummary": cause,
                    "reason": reason,
                    "locationType": "body",
                    "location": location,
                    "domain": "end-user",
                }
            ],
        },
    }


# ---------------------------------------------------------------------------------------------
# Requests (only what the endpoints read; the guide's Rosario Jones).

_MISSING = object()


def ssr_request(
    email: Any = "rosario.jones@okta.com",
    login: Any = _MISSING,
    employee_number: Any = _MISSING,
    request_type: Any = SSR,
) -> dict[str, Any]:
    profile: dict[str, Any] = {"firstName": "Rosario", "lastName": "Jones"}
    if login is _MISSING:
        login = email
    if login is not None:
        profile["login"] = login
    if email is not None:
        profile["email"] = email
    if employee_number is not _MISSING:
        profile["employeeNumber"] = employee_number
    request: dict[str, Any] = {
        "eventId": "04Dmt8BcT_aEgM",
        "eventType": "com.okta.user.pre-registration",
        "data": {"context": {"request": {"method": "POST"}}, "userProfile": profile},
    }
    if request_type is not _MISSING:
        request["requestType"] = request_type
    request["data"]["action"] = "ALLOW"
    return request


def pp_request(employee_number: Any = "1234", request_type: Any = PP) -> dict[str, Any]:
    update: dict[str, Any] = {}
    if employee_number is not _MISSING:
        update["employeeNumber"] = employee_number
    return {
        "eventId": "vzYp_zMwQu2htIWRbNJdfw",
        "requestType": request_type,
        "data": {
            "context": {
                "user": {
                    "id": "00u48gwcu01WxvNo",
                    "profile": {
                        "firstName": "Rosario",
                        "lastName": "Jones",
                        "timeZone": "America/Los_Angeles",
                        "login": "rosario.jones@okta.com",
                        "locale": "en_US",
                    },
                }
            },
            "action": "ALLOW",
            "userProfileUpdate": update,
        },
    }


def assert_answer(result: HookResult, expected: dict[str, Any], *logs: str) -> None:
    # Compare the serialised text too: the same JSON value includes the same key order.
    assert result.response == expected
    assert json.dumps(result.response) == json.dumps(expected)
    if logs:
        assert result.log_lines == logs


TYPE_SSR = f"Type of Okta registration hook request: {SSR}"
TYPE_PP = f"Type of Okta registration hook request: {PP}"


# ---------------------------------------------------------------------------------------------
# /registrationHookSSR


@pytest.mark.parametrize(
    ("email", "expected", "log"),
    [
        (
            "rosario.jones@okta.com",
            SSR_ALLOW,
            "Rosario Jones rosario.jones@okta.com has registered!",
        ),
        (
            "Rosario.Jones@OKTA.COM",
            SSR_ALLOW,
            "Rosario Jones Rosario.Jones@OKTA.COM has registered!",
        ),
        (
            "rosario.jones@example.com",
            SSR_OTHER_DOMAIN,
            "Rosario Jones rosario.jones@example.com denied registration!",
        ),
        # Look-alikes the sample's substring test lets through.
        ("x@notokta.com", SSR_OTHER_DOMAIN, "Rosario Jones x@notokta.com denied registration!"),
        (
            "x@okta.com.attacker.example",
            SSR_OTHER_DOMAIN,
            "Rosario Jones x@okta.com.attacker.example denied registration!",
        ),
        (
            "x@okta.community",
            SSR_OTHER_DOMAIN,
            "Rosario Jones x@okta.community denied registration!",
        ),
        # Subdomains are not the domain: the contract says "exactly".
        ("x@eng.okta.com", SSR_OTHER_DOMAIN, "Rosario Jones x@eng.okta.com denied registration!"),
        ("x@okta.com.", SSR_OTHER_DOMAIN, "Rosario Jones x@okta.com. denied registration!"),
        ("x@okta.com ", SSR_OTHER_DOMAIN, "Rosario Jones x@okta.com  denied registration!"),
        # The Kelvin sign lower-cases to "k" in Unicode; it is not the ASCII letter.
        ("x@o\u212ata.com", SSR_OTHER_DOMAIN, "Rosario Jones x@o\u212ata.com denied registration!"),
        ("x@", SSR_OTHER_DOMAIN, "Rosario Jones x@ denied registration!"),
        # The domain is what follows the first @, as in the sample, which denies these too.
        ("okta.com@example.com", SSR_OTHER_DOMAIN, None),
        ("x@example.com@okta.com", SSR_OTHER_DOMAIN, None),
        ("a@b@okta.com", SSR_OTHER_DOMAIN, None),
        # The sample's split('@')[1] lets this one through; two @ is no email address.
        ("x@okta.com@evil.example", SSR_OTHER_DOMAIN, None),
        # The sample's includes() is case-sensitive and denies this one; domains ignore case.
        ("Kai.Nakamura@Okta.com", SSR_ALLOW, "Rosario Jones Kai.Nakamura@Okta.com has registered!"),
    ],
)
def test_ssr_email_domain(email: str, expected: dict[str, Any], log: str | None) -> None:
    result = registration_hook_ssr(ssr_request(email))
    assert_answer(result, expected)
    assert result.log_lines[0] == TYPE_SSR
    if log is not None:
        assert result.log_lines == (TYPE_SSR, log)


def test_ssr_checks_email_not_login() -> None:
    # The sample tests the login while its error speaks of the email.
    request = ssr_request("rosario.jones@example.com", login="rosario.jones@okta.com")
    assert_answer(
        registration_hook_ssr(request),
        SSR_OTHER_DOMAIN,
        TYPE_SSR,
        "Rosario Jones rosario.jones@example.com denied registration!",
    )
    request = ssr_request("rosario.jones@okta.com", login="rosario.jones@example.com")
    assert_answer(registration_hook_ssr(request), SSR_ALLOW)


def test_ssr_uses_login_only_when_the_form_has_no_email() -> None:
    request = ssr_request(None, login="rosario.jones@okta.com")
    assert_answer(
        registration_hook_ssr(request),
        SSR_ALLOW,
        TYPE_SSR,
        "Rosario Jones rosario.jones@okta.com has registered!",
    )
    request = ssr_request(None, login="rosario.jones@example.com")
    assert_answer(registration_hook_ssr(request), SSR_OTHER_DOMAIN)


def test_ssr_ignores_the_employee_number() -> None:
    assert_answer(registration_hook_ssr(ssr_request(employee_number="abcd")), SSR_ALLOW)


@pytest.mark.parametrize("request_type", [PP, "something.else", None, 7])
def test_ssr_answers_other_request_types_with_empty_object(request_type: Any) -> None:
    result = registration_hook_ssr(pp_request(request_type=request_type))
    assert_answer(result, {})
    assert result.log_lines == (
        "Type of Okta registration hook request: "
        + (request_type if isinstance(request_type, str) else json.dumps(request_type)),
        "Not a self-service registration request: answered {} (no change).",
    )


def test_ssr_answers_a_request_without_request_type_with_empty_object() -> None:
    result = registration_hook_ssr(ssr_request(request_type=_MISSING))
    assert_answer(result, {})
    assert result.log_lines[0] == "Type of Okta registration hook request: (none)"


SSR_FIELD_CASES = [
    pytest.param(
        ssr_request(None, login=None),
        field_error(
            DENY, "data.userProfile.email", "MISSING_FIELD", "data.userProfile.email is missing."
        ),
        "Rosario Jones registration denied: data.userProfile.email is missing.",
        id="no-email-no-login",
    ),
    pytest.param(
        ssr_request("rosario.jones"),
        field_error(
            DENY,
            "data.userProfile.email",
            "INVALID_EMAIL",
            "data.userProfile.email is not an email address (it has no @).",
        ),
        "Rosario Jones registration denied: "
        "data.userProfile.email is not an email address (it has no @).",
        id="email-without-at",
    ),
    pytest.param(
        ssr_request(""),
        field_error(
            DENY,
            "data.userProfile.email",
            "INVALID_EMAIL",
            "data.userProfile.email is not an email address (it has no @).",
        ),
        None,
        id="email-empty",
    ),
    pytest.param(
        ssr_request(1234),
        field_error(
            DENY,
            "data.userProfile.email",
            "INVALID_FIELD_TYPE",
            "data.userProfile.email must be a string, not a number.",
        ),
        None,
        id="email-number",
    ),
    pytest.param(
        ssr_request(None, login=["rosario.jones@okta.com"]),
        field_error(
            DENY,
            "data.userProfile.login",
            "INVALID_FIELD_TYPE",
            "data.userProfile.login must be a string, not an array.",
        ),
        None,
        id="login-list-no-email",
    ),
    pytest.param(
        ssr_request(None, login="rosario"),
        field_error(
            DENY,
            "data.userProfile.login",
            "INVALID_EMAIL",
            "data.userProfile.login is not an email address (it has no @).",
        ),
        None,
        id="login-without-at",
    ),
    pytest.param(
        {"requestType": SSR, "data": {"userProfile": {"email": None}}},
        field_error(
            DENY,
            "data.userProfile.email",
            "INVALID_FIELD_TYPE",
            "data.userProfile.email must be a string, not null.",
        ),
        "registration denied: data.userProfile.email must be a string, not null.",
        id="email-null",
    ),
    pytest.param(
        {"requestType": SSR},
        field_error(DENY, "data", "MISSING_FIELD", "data is missing."),
        "Registration denied: data is missing.",
        id="no-data",
    ),
    pytest.param(
        {"requestType": SSR, "data": "x"},
        field_error(DENY, "data", "INVALID_FIELD_TYPE", "data must be an object, not a string."),
        None,
        id="data-string",
    ),
    pytest.param(
        {"requestType": SSR, "data": {"action": "ALLOW"}},
        field_error(DENY, "data.userProfile", "MISSING_FIELD", "data.userProfile is missing."),
        "Registration denied: data.userProfile is missing.",
        id="no-userProfile",
    ),
    pytest.param(
        {"requestType": SSR, "data": {"userProfile": []}},
        field_error(
            DENY,
            "data.userProfile",
            "INVALID_FIELD_TYPE",
            "data.userProfile must be an object, not an array.",
        ),
        None,
        id="userProfile-list",
    ),
]


@pytest.mark.parametrize(("request_value", "expected", "log"), SSR_FIELD_CASES)
def test_ssr_names_the_missing_or_mistyped_field(
    request_value: Any, expected: dict[str, Any], log: str | None
) -> None:
    result = registration_hook_ssr(request_value)
    assert_answer(result, expected)
    if log is not None:
        assert result.log_lines[-1].endswith(log)


def root_error(commands: list[Any], kind: str) -> dict[str, Any]:
    return field_error(
        commands, "", "INVALID_FIELD_TYPE", f"The request body must be a JSON object, not {kind}."
    )


@pytest.mark.parametrize(
    ("request_value", "kind"),
    [
        ([], "an array"),
        ("text", "a string"),
        (None, "null"),
        (3.5, "a number"),
        (True, "a boolean"),
    ],
)
def test_every_endpoint_denies_a_request_that_is_not_an_object(
    request_value: Any, kind: str
) -> None:
    assert_answer(registration_hook_ssr(request_value), root_error(DENY, kind))
    assert_answer(registration_hook_pp(request_value), root_error([], kind))
    assert_answer(registration_hook_ssr_and_pp(request_value), root_error(DENY, kind))
    result = registration_hook_pp(request_value)
    assert result.log_lines == (
        "Type of Okta registration hook request: (none)",
        f"Profile update denied: the request body must be a JSON object, not {kind}.",
    )


# ---------------------------------------------------------------------------------------------
# /registrationHookPP


def test_pp_four_digits_updates_the_profile() -> None:
    assert_answer(
        registration_hook_pp(pp_request("1234")),
        PP_UPDATE_1234,
        TYPE_PP,
        "Rosario Jones rosario.jones@okta.com has updated profile!",
    )


WRONG_NUMBERS = [
    pytest.param("12345", id="five-digits"),
    pytest.param("123", id="three-digits"),
    pytest.param("abcd", id="letters"),
    pytest.param("12a4", id="letter-inside"),
    pytest.param("１２３４", id="full-width-digits"),
    pytest.param("١٢٣٤", id="arabic-indic-digits"),
    pytest.param("12 4", id="space"),
    pytest.param(" 123", id="leading-space"),
    pytest.param("", id="empty"),
    pytest.param(1234, id="json-number"),
    pytest.param(12.34, id="json-float"),
    pytest.param(None, id="null"),
    pytest.param(["1", "2", "3", "4"], id="list-of-four"),
    pytest.param({"length": 4}, id="object-with-length"),
    pytest.param(True, id="boolean"),
    pytest.param(_MISSING, id="missing"),
]


@pytest.mark.parametrize("number", WRONG_NUMBERS)
def test_pp_wrong_numbers_get_the_wrong_digits_answer(number: Any) -> None:
    assert_answer(
        registration_hook_pp(pp_request(number)),
        PP_WRONG_DIGITS,
        TYPE_PP,
        "Rosario Jones rosario.jones@okta.com employee number is not the correct number of digits!",
    )


@pytest.mark.parametrize("request_type", [SSR, "something.else", None])
def test_pp_answers_other_request_types_with_empty_object(request_type: Any) -> None:
    result = registration_hook_pp(ssr_request(request_type=request_type))
    assert_answer(result, {})
    assert result.log_lines[-1] == "Not a progressive profile request: answered {} (no change)."


PP_FIELD_CASES = [
    pytest.param(
        {"requestType": PP, "data": {"context": {"user": {"profile": {"login": "r@okta.com"}}}}},
        "data.userProfileUpdate",
        "MISSING_FIELD",
        "data.userProfileUpdate is missing.",
        "r@okta.com profile update denied: data.userProfileUpdate is missing.",
        id="no-userProfileUpdate",
    ),
    pytest.param(
        {"requestType": PP, "data": {"userProfileUpdate": "1234"}},
        "data.userProfileUpdate",
        "INVALID_FIELD_TYPE",
        "data.userProfileUpdate must be an object, not a string.",
        "unknown user profile update denied: "
        "data.userProfileUpdate must be an object, not a string.",
        id="userProfileUpdate-string",
    ),
    pytest.param(
        {"requestType": PP},
        "data",
        "MISSING_FIELD",
        "data is missing.",
        "Profile update denied: data is missing.",
        id="no-data",
    ),
    pytest.param(
        {"requestType": PP, "data": None},
        "data",
        "INVALID_FIELD_TYPE",
        "data must be an object, not null.",
        "Profile update denied: data must be an object, not null.",
        id="data-null",
    ),
]


@pytest.mark.parametrize(("request_value", "location", "reason", "cause", "log"), PP_FIELD_CASES)
def test_pp_names_the_missing_or_mistyped_field(
    request_value: Any, location: str, reason: str, cause: str, log: str
) -> None:
    assert_answer(
        registration_hook_pp(request_value),
        field_error([], location, reason, cause),
        TYPE_PP,
        log,
    )
    assert_answer(
        registration_hook_ssr_and_pp(request_value),
        field_error(DENY, location, reason, cause),
        TYPE_PP,
        log,
    )


def test_pp_without_the_user_context_still_answers() -> None:
    # The sample reads data.context.user.profile only for its log line.
    request = {"requestType": PP, "data": {"userProfileUpdate": {"employeeNumber": "1234"}}}
    assert_answer(
        registration_hook_pp(request), PP_UPDATE_1234, TYPE_PP, "unknown user has updated profile!"
    )
    assert_answer(
        registration_hook_ssr_and_pp(request),
        PP_UPDATE_1234,
        TYPE_PP,
        "Employee number added to profile (unknown user): 1234",
    )


# ---------------------------------------------------------------------------------------------
# /registrationHookSSRandPP


def test_combined_pp_four_digits_updates_the_profile() -> None:
    assert_answer(
        registration_hook_ssr_and_pp(pp_request("1234")),
        PP_UPDATE_1234,
        TYPE_PP,
        "Employee number added to profile rosario.jones@okta.com: 1234",
    )


@pytest.mark.parametrize("number", WRONG_NUMBERS)
def test_combined_pp_wrong_numbers_are_denied_and_not_logged_as_added(number: Any) -> None:
    result = registration_hook_ssr_and_pp(pp_request(number))
    assert_answer(result, COMBINED_PP_WRONG_DIGITS)
    assert result.log_lines[0] == TYPE_PP
    assert not any("Employee number added" in line for line in result.log_lines)
    assert result.log_lines[1].startswith(
        "Employee number not added to profile rosario.jones@okta.com: "
    )


def test_combined_pp_log_lines_say_why() -> None:
    result = registration_hook_ssr_and_pp(pp_request("abcd"))
    assert result.log_lines[1] == (
        "Employee number not added to profile rosario.jones@okta.com: abcd is not 4 digits"
    )
    result = registration_hook_ssr_and_pp(pp_request(1234))
    assert result.log_lines[1] == (
        "Employee number not added to profile rosario.jones@okta.com: 1234 is not 4 digits"
    )
    result = registration_hook_ssr_and_pp(pp_request(_MISSING))
    assert result.log_lines[1] == (
        "Employee number not added to profile rosario.jones@okta.com: no employee number was sent"
    )


@pytest.mark.parametrize(
    ("email", "number", "expected"),
    [
        ("rosario.jones@okta.com", "1234", SSR_ALLOW),
        ("ROSARIO.JONES@Okta.Com", "0000", SSR_ALLOW),
        ("rosario.jones@example.com", "1234", COMBINED_SSR_DENIED),
        ("rosario.jones@notokta.com", "1234", COMBINED_SSR_DENIED),
        ("rosario.jones@okta.com.attacker.example", "1234", COMBINED_SSR_DENIED),
        ("rosario.jones@eng.okta.com", "1234", COMBINED_SSR_DENIED),
        ("rosario.jones@okta.com", "12345", COMBINED_SSR_DENIED),
        ("rosario.jones@okta.com", "abcd", COMBINED_SSR_DENIED),
        ("rosario.jones@okta.com", "１２３４", COMBINED_SSR_DENIED),
        ("rosario.jones@okta.com", "12 4", COMBINED_SSR_DENIED),
        ("rosario.jones@okta.com", 1234, COMBINED_SSR_DENIED),
        ("rosario.jones@okta.com", None, COMBINED_SSR_DENIED),
        ("rosario.jones@okta.com", _MISSING, COMBINED_SSR_DENIED),
        ("rosario.jones@example.com", "12345", COMBINED_SSR_DENIED),
    ],
)
def test_combined_registration_needs_domain_and_number(
    email: str, number: Any, expected: dict[str, Any]
) -> None:
    result = registration_hook_ssr_and_pp(ssr_request(email, employee_number=number))
    assert_answer(result, expected)
    verb = "has registered!" if expected is SSR_ALLOW else "denied registration!"
    assert result.log_lines == (TYPE_SSR, f"Rosario Jones {email} {verb}")


@pytest.mark.parametrize("request_type", [_MISSING, None, "something.else", SSR])
def test_combined_treats_every_non_progressive_request_as_registration(request_type: Any) -> None:
    request = ssr_request(employee_number="1234", request_type=request_type)
    assert_answer(registration_hook_ssr_and_pp(request), SSR_ALLOW)


def test_combined_registration_checks_email_then_login() -> None:
    request = ssr_request("rosario@example.com", login="rosario@okta.com", employee_number="1234")
    assert_answer(registration_hook_ssr_and_pp(request), COMBINED_SSR_DENIED)
    request = ssr_request(None, login="rosario@okta.com", employee_number="1234")
    assert_answer(registration_hook_ssr_and_pp(request), SSR_ALLOW)


@pytest.mark.parametrize(
    ("request_value", "expected"),
    [
        (ssr_request(None, login=None, employee_number="1234"), SSR_FIELD_CASES[0].values[1]),
        (ssr_request("rosario.jones", employee_number="1234"), SSR_FIELD_CASES[1].values[1]),
        (ssr_request(1234, employee_number="1234"), SSR_FIELD_CASES[3].values[1]),
        ({"requestType": SSR}, SSR_FIELD_CASES[7].values[1]),
        ({"requestType": SSR, "data": {"action": "ALLOW"}}, SSR_FIELD_CASES[9].values[1]),
        ({"data": {}}, SSR_FIELD_CASES[9].values[1]),
    ],
)
def test_combined_registration_names_the_missing_or_mistyped_field(
    request_value: Any, expected: dict[str, Any]
) -> None:
    assert_answer(registration_hook_ssr_and_pp(request_value), expected)


# ---------------------------------------------------------------------------------------------
# Settings


def test_other_rules_change_the_texts() -> None:
    rules = HookRules(allowed_domain="example.org", digits=6)
    result = registration_hook_ssr(ssr_request("a@okta.com"), rules)
    cause = result.response["error"]["errorCauses"][0]["errorSummary"]
    assert cause == "Only example.org emails can register."
    assert_answer(registration_hook_ssr(ssr_request("a@Example.ORG"), rules), SSR_ALLOW)

    result = registration_hook_pp(pp_request("1234"), rules)
    assert result.response["error"] == {
        "errorSummary": "Incorrect employee number. Enter an employee number with 6 digits.",
        "errorCauses": [
            {
                "errorSummary": "Employee numbers must have 6 digits.",
                "reason": "INVALID_EMPLOYEE_NUMBER",
                "locationType": "body",
                "location": "data.userProfile.employeeNumber",
                "domain": "end-user",
            }
        ],
    }
    assert registration_hook_pp(pp_request("123456"), rules).response == {
        "commands": [
            {
                "type": "com.okta.user.progressive.profile.update",
                "value": {"employeeNumber": "123456"},
            }
        ]
    }
    result = registration_hook_ssr_and_pp(pp_request("1234"), rules)
    assert result.response["error"]["errorCauses"][0]["errorSummary"] == (
        "Only employee numbers with 6 digits can register."
    )
    result = registration_hook_ssr_and_pp(
        ssr_request("a@okta.com", employee_number="123456"), rules
    )
    assert result.response["error"]["errorCauses"][0]["errorSummary"] == (
        'To register, you must have an "example.org" email and a 6-digit employee number.'
    )
    bank = HookRules(allowed_domain="bank.test", digits=1)
    result = registration_hook_ssr_and_pp(ssr_request("a@okta.com", employee_number="1"), bank)
    assert result.response["error"]["errorCauses"][0]["errorSummary"] == (
        'To register, you must have a "bank.test" email and a 1-digit employee number.'
    )
    assert registration_hook_pp(pp_request("12"), bank).response["error"]["errorCauses"][0][
        "errorSummary"
    ] == ("Employee numbers must have 1 digit.")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"allowed_domain": ""},
        {"allowed_domain": "  "},
        {"allowed_domain": "a@okta.com"},
        {"allowed_domain": "okta .com"},
        {"digits": 0},
        {"digits": -1},
        {"digits": True},
        {"digits": 4.0},
    ],
)
def test_rules_refuse_nonsense(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        HookRules(**kwargs)


@pytest.mark.parametrize(
    ("name", "function"),
    [
        ("ssr", registration_hook_ssr),
        ("/registrationHookSSR", registration_hook_ssr),
        ("registrationhookssr", registration_hook_ssr),
        ("PP", registration_hook_pp),
        ("/registrationHookPP", registration_hook_pp),
        ("ssr-and-pp", registration_hook_ssr_and_pp),
        ("/registrationHookSSRandPP", registration_hook_ssr_and_pp),
    ],
)
def test_endpoint_for(name: str, function: Any) -> None:
    assert endpoint_for(name) is function


def test_endpoint_for_unknown_name() -> None:
    with pytest.raises(ValueError, match="unknown endpoint"):
        endpoint_for("/registrationHook")


def test_endpoints_table() -> None:
    assert ENDPOINTS == {
        "ssr": "/registrationHookSSR",
        "pp": "/registrationHookPP",
        "ssr-and-pp": "/registrationHookSSRandPP",
    }


def test_answers_are_fresh_objects() -> None:
    first = registration_hook_ssr(ssr_request("a@example.com")).response
    first["error"]["errorCauses"].clear()
    assert registration_hook_ssr(ssr_request("a@example.com")).response == SSR_OTHER_DOMAIN


def test_log_lines_cannot_be_forged() -> None:
    request = ssr_request("x@okta.com")
    request["data"]["userProfile"]["firstName"] = "Eve\nRosario Jones r@okta.com has registered!"
    result = registration_hook_ssr(request)
    assert len(result.log_lines) == 2
    assert all("\n" not in line for line in result.log_lines)
    assert result.log_lines[1] == (
        "Eve\\u000aRosario Jones r@okta.com has registered! Jones x@okta.com has registered!"
    )
    request["requestType"] = "a\rb"
    assert registration_hook_ssr(request).log_lines[0].endswith("a\\u000db")


# --- mobilePhone, as the current guide's progressive sample copies it ---------------------


@pytest.mark.parametrize(
    ("update", "expected"),
    [
        ({"employeeNumber": "1234", "mobilePhone": "+1 415 555 0134"}, "+1 415 555 0134"),
        ({"employeeNumber": "1234", "mobilePhone": None}, None),
        ({"employeeNumber": "1234", "mobilePhone": ""}, ""),
    ],
    ids=["text", "null", "empty"],
)
def test_pp_copies_mobile_phone_whenever_the_key_is_present(update: dict, expected: Any) -> None:
    request = pp_request("1234")
    request["data"]["userProfileUpdate"] = update
    response = registration_hook_pp(request).response
    assert response == {
        "commands": [
            {
                "type": "com.okta.user.progressive.profile.update",
                "value": {"employeeNumber": "1234", "mobilePhone": expected},
            }
        ]
    }
    # Byte for byte what the sample's JSON.stringify gives (key order: employeeNumber first).
    assert json.dumps(response, separators=(",", ":")).endswith(
        '"value":{"employeeNumber":"1234","mobilePhone":' + json.dumps(expected) + "}}]}"
    )


def test_pp_without_mobile_phone_key_sends_only_the_number() -> None:
    value = registration_hook_pp(pp_request("1234")).response["commands"][0]["value"]
    assert value == {"employeeNumber": "1234"}


def test_the_combined_endpoint_does_not_copy_mobile_phone_as_its_sample_does_not() -> None:
    request = pp_request("1234")
    request["data"]["userProfileUpdate"]["mobilePhone"] = "+1 415 555 0134"
    value = registration_hook_ssr_and_pp(request).response["commands"][0]["value"]
    assert value == {"employeeNumber": "1234"}


def test_a_wrong_number_with_mobile_phone_is_still_the_samples_denial() -> None:
    request = pp_request("12")
    request["data"]["userProfileUpdate"]["mobilePhone"] = None
    response = registration_hook_pp(request).response
    assert response["commands"] == [] and "mobilePhone" not in json.dumps(response)
