"""The request builder: Okta's exact envelope for both request types, deterministic for tests."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.logic.okta import PP_CONTEXT_PROFILE
from app.logic.org import OrgUser, load_demo_org
from app.logic.request_builder import (
    DEFAULT_ORG_URL,
    DEFAULT_SOURCE,
    DEFAULT_SSR_FIELDS,
    FORM_NOT_SHOWN_TEXT,
    PP,
    REQUEST_TYPE_LABELS,
    REQUEST_TYPES,
    SSR,
    build_request,
    context_profile,
    dumps_request,
    form_values,
    format_event_time,
    lacking_fields,
    needs_progressive_form,
    normalise_request_type,
    parse_event_time,
    parse_fields,
    policy_endpoint,
    policy_fields,
)
from app.logic.validation import validate_request

ORG = load_demo_org()
ROSARIO = ORG.find("rosario.jones@example.com")
ZOE = ORG.find("zoe.lukasiewicz@okta.com")
NOW = datetime(2022, 4, 25, 17, 35, 27, 123456, tzinfo=UTC)
ENVELOPE_KEYS = [
    "eventId",
    "eventTime",
    "eventType",
    "eventTypeVersion",
    "contentType",
    "cloudEventVersion",
    "source",
    "requestType",
    "data",
]


def test_constants() -> None:
    assert REQUEST_TYPES == ("self.service.registration", "progressive.profile")
    assert REQUEST_TYPE_LABELS == {
        SSR: "Self-Service Registration",
        PP: "Progressive Profile",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ssr", SSR),
        ("SSR", SSR),
        (" self.service.registration ", SSR),
        ("Self-Service Registration", SSR),
        ("pp", PP),
        ("progressive.profile", PP),
        ("Progressive  Profile", PP),
    ],
)
def test_normalise_request_type(text: str, expected: str) -> None:
    assert normalise_request_type(text) == expected


@pytest.mark.parametrize("text", ["", "registration.self", "progressive.profiles", "ssr pp"])
def test_normalise_request_type_rejects_other_text(text: str) -> None:
    with pytest.raises(ValueError, match="unknown request type"):
        normalise_request_type(text)


def test_self_service_registration_request_is_exact() -> None:
    request = build_request("ssr", ROSARIO, seed=7, now=NOW)
    assert list(request) == ENVELOPE_KEYS
    # Whole seconds, as every Okta sample and capture: the clock's .123456 is dropped.
    assert request["eventTime"] == "2022-04-25T17:35:27.000Z"
    assert request["eventType"] == "com.okta.user.pre-registration"
    assert request["eventTypeVersion"] == "1.0"
    assert request["contentType"] == "application/json"
    assert request["cloudEventVersion"] == "0.1"
    assert request["source"] == DEFAULT_SOURCE == "rul1bufGk5dJdRYw50g4"
    assert request["requestType"] == SSR
    data = request["data"]
    assert list(data) == ["context", "userProfile", "action"]
    assert list(data["context"]) == ["request"]
    http = data["context"]["request"]
    assert http["method"] == "POST"
    assert http["url"] == {"value": "/idp/idx/enroll/new"}
    assert re.fullmatch(r"203\.0\.113\.\d{1,3}", http["ipAddress"])
    assert re.fullmatch(r"req[A-Za-z0-9_-]{22}", http["id"])
    assert data["userProfile"] == {
        "login": "rosario.jones@example.com",
        "email": "rosario.jones@example.com",
        "firstName": "Rosario",
        "lastName": "Jones",
    }
    assert data["action"] == "ALLOW"
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", request["eventId"])


def test_progressive_profile_request_is_exact() -> None:
    request = build_request("pp", ZOE, seed=7, now=NOW)
    assert list(request) == ENVELOPE_KEYS
    assert request["requestType"] == PP
    data = request["data"]
    assert list(data) == ["context", "action", "userProfileUpdate"]
    assert data["context"]["request"]["url"] == {"value": "/idp/idx/enroll/update"}
    user = data["context"]["user"]
    assert user == {
        "passwordChanged": "2023-03-14T09:26:53.000Z",
        "_links": {
            "groups": {"href": f"{DEFAULT_ORG_URL}/api/v1/users/{ZOE.id}/groups"},
            "factors": {"href": f"{DEFAULT_ORG_URL}/api/v1/users/{ZOE.id}/factors"},
        },
        # Okta's IDX user context, not the stored profile: no email, no employeeNumber.
        "profile": {
            "login": "zoe.lukasiewicz@okta.com",
            "firstName": "Zoë",
            "lastName": "Łukasiewicz",
            "locale": ZOE.profile["locale"],
            "timeZone": "Europe/Warsaw",
        },
        "id": ZOE.id,
    }
    assert data["action"] == "ALLOW"
    # Nothing was typed: the stored 4821 is never echoed.
    assert data["userProfileUpdate"] == {}
    assert "userProfile" not in data


def test_rosario_progressive_profile_matches_the_guide_shape() -> None:
    request = build_request(PP, ROSARIO, form={"employeeNumber": "1234"}, seed=1, now=NOW)
    user = request["data"]["context"]["user"]
    assert user["id"] == "00u48gwcu01WxvNol0g7"
    assert user["passwordChanged"] == "2022-01-01T00:00:00.000Z"
    assert user["_links"]["groups"]["href"] == (
        "https://dev-00000000.okta.com/api/v1/users/00u48gwcu01WxvNol0g7/groups"
    )
    assert request["data"]["userProfileUpdate"] == {"employeeNumber": "1234"}


def test_a_user_who_never_set_a_password_has_no_password_changed() -> None:
    user = OrgUser("00uAAAAAAAAAAAAAAAAA", None, {"login": "a@okta.com", "email": "a@okta.com"})
    request = build_request(PP, user, seed=1, now=NOW)
    assert "passwordChanged" not in request["data"]["context"]["user"]
    assert validate_request(dumps_request(request)).ok


def test_same_seed_and_clock_give_the_same_request() -> None:
    first = build_request(SSR, ZOE, seed=42, now=NOW)
    assert build_request(SSR, ZOE, seed=42, now=NOW) == first
    assert build_request(SSR, ZOE, seed=43, now=NOW)["eventId"] != first["eventId"]


def test_without_a_seed_each_request_is_fresh() -> None:
    ids = {build_request(SSR, ZOE)["eventId"] for _ in range(20)}
    assert len(ids) == 20


def test_without_a_clock_the_time_is_now() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    stamp = build_request(SSR, ZOE)["eventTime"]
    when = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    assert before <= when <= datetime.now(UTC)


def test_event_time_is_utc_with_milliseconds() -> None:
    plus_two = timezone(timedelta(hours=2))
    assert format_event_time(datetime(2022, 4, 25, 19, 35, 27, 5000, plus_two)) == (
        "2022-04-25T17:35:27.005Z"
    )
    assert format_event_time(datetime(2022, 1, 1)) == "2022-01-01T00:00:00.000Z"


def test_source_can_be_given() -> None:
    assert build_request(SSR, ZOE, source="reg0000000000000001")["source"] == "reg0000000000000001"


def test_form_fields_are_a_parameter_and_missing_values_are_left_out() -> None:
    fields = ("email", "firstName", "mobilePhone", "department", "costCenter")
    request = build_request(SSR, ZOE, fields=fields, seed=1, now=NOW)
    assert request["data"]["userProfile"] == {
        "login": "zoe.lukasiewicz@okta.com",
        "email": "zoe.lukasiewicz@okta.com",
        "firstName": "Zoë",
        "mobilePhone": "+48 512 345 678",
        "department": "Identity Engineering",
    }
    pp = build_request(PP, ROSARIO, fields=("employeeNumber", "mobilePhone"), seed=1, now=NOW)
    assert pp["data"]["userProfileUpdate"] == {}  # only what is typed, never the stored value


def test_form_overrides_and_adds_values() -> None:
    request = build_request(
        SSR, ROSARIO, form={"email": "rosario@okta.com", "employeeNumber": "12a4"}, seed=1
    )
    assert request["data"]["userProfile"] == {
        "login": "rosario@okta.com",
        "email": "rosario@okta.com",
        "firstName": "Rosario",
        "lastName": "Jones",
        "employeeNumber": "12a4",
    }


def test_login_on_the_form_is_not_replaced_by_the_email() -> None:
    form = {"login": "rj", "email": "rosario@okta.com"}
    profile = build_request(SSR, ROSARIO, form=form, seed=1)["data"]["userProfile"]
    assert profile["login"] == "rj"
    collected = build_request(SSR, ROSARIO, fields=("login", "email"), seed=1)
    assert collected["data"]["userProfile"] == {
        "login": "rosario.jones@example.com",
        "email": "rosario.jones@example.com",
    }


def test_form_values() -> None:
    assert form_values("ssr", ZOE) == {
        "login": "zoe.lukasiewicz@okta.com",
        "email": "zoe.lukasiewicz@okta.com",
        "firstName": "Zoë",
        "lastName": "Łukasiewicz",
    }
    assert form_values("ssr", ZOE, DEFAULT_SSR_FIELDS)["employeeNumber"] == "4821"
    assert form_values("pp", ZOE) == {}
    assert form_values("pp", ROSARIO) == {}
    assert form_values("ssr", ROSARIO, fields=("firstName",)) == {"firstName": "Rosario"}


@pytest.mark.parametrize("request_type", REQUEST_TYPES)
@pytest.mark.parametrize("user", ORG.users, ids=lambda u: u.id)
def test_every_demo_user_gives_a_valid_request(request_type: str, user: OrgUser) -> None:
    result = validate_request(dumps_request(build_request(request_type, user, seed=3, now=NOW)))
    assert result.problems == ()
    assert result.engine == "identity"


def test_dumps_request_is_pretty_keeps_order_and_non_ascii() -> None:
    request = build_request(SSR, ZOE, seed=1, now=NOW)
    text = dumps_request(request)
    assert text.startswith('{\n  "eventId": ')
    assert "Łukasiewicz" in text
    assert json.loads(text) == request
    assert list(json.loads(text)) == ENVELOPE_KEYS


# --- the forms decide the fields -------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "ssr_fields", "pp_fields"),
    [
        ("ssr", ("email", "firstName", "lastName"), ()),
        ("/registrationHookPP", ("email", "firstName", "lastName"), ("employeeNumber",)),
        (
            "https://hooks.example.com/registrationHookSSRandPP",
            ("email", "firstName", "lastName", "employeeNumber"),
            ("employeeNumber",),
        ),
        (None, ("email", "firstName", "lastName"), ("employeeNumber",)),
        ("https://hooks.example.com/mine", ("email", "firstName", "lastName"), ("employeeNumber",)),
    ],
)
def test_each_target_picks_the_guides_policy_forms(
    target: str | None, ssr_fields: tuple, pp_fields: tuple
) -> None:
    assert policy_fields(target, SSR) == ssr_fields
    assert policy_fields(target, PP) == pp_fields


def test_policy_endpoint_names() -> None:
    assert policy_endpoint("ssr-and-pp") == "/registrationHookSSRandPP"
    assert policy_endpoint("/registrationhookpp/") == "/registrationHookPP"
    assert (
        policy_endpoint("http://127.0.0.1:8082/registrationHookSSR?x=1") == "/registrationHookSSR"
    )
    assert policy_endpoint("nothing") is None
    assert policy_endpoint(None) is None


def test_sign_up_profile_never_holds_a_stored_attribute_the_form_lacks() -> None:
    # Zoë has a stored employeeNumber; the SSR policy's form does not collect it.
    plain = build_request(SSR, ZOE, fields=policy_fields("ssr", SSR), seed=1, now=NOW)
    assert "employeeNumber" not in plain["data"]["userProfile"]
    assert "employeeNumber" not in build_request(SSR, ZOE, seed=1, now=NOW)["data"]["userProfile"]
    combined = build_request(SSR, ZOE, fields=policy_fields("ssr-and-pp", SSR), seed=1, now=NOW)
    assert combined["data"]["userProfile"]["employeeNumber"] == "4821"
    assert list(combined["data"]["userProfile"]) == [
        "login",
        "email",
        "firstName",
        "lastName",
        "employeeNumber",
    ]


def test_progressive_update_holds_only_what_was_typed() -> None:
    request = build_request(PP, ZOE, form={"employeeNumber": "7777"}, seed=1, now=NOW)
    assert request["data"]["userProfileUpdate"] == {"employeeNumber": "7777"}
    assert ZOE.profile["employeeNumber"] == "4821"
    assert "employeeNumber" not in request["data"]["context"]["user"]["profile"]
    typed_null = build_request(PP, ZOE, form={"mobilePhone": None}, seed=1, now=NOW)
    assert typed_null["data"]["userProfileUpdate"] == {"mobilePhone": None}


def test_okta_would_not_show_the_progressive_form_to_a_user_who_has_its_fields() -> None:
    assert not needs_progressive_form(ZOE, ("employeeNumber",))
    assert needs_progressive_form(ROSARIO, ("employeeNumber",))
    assert lacking_fields(ZOE, ("employeeNumber", "city")) == ("city",)
    empty = OrgUser("00uAAAAAAAAAAAAAAAAB", None, {"login": "a@okta.com", "employeeNumber": ""})
    assert needs_progressive_form(empty, ("employeeNumber",))
    assert not needs_progressive_form(ZOE, ())
    assert FORM_NOT_SHOWN_TEXT == "Okta would not show this form to this user"


def test_links_are_absolute_on_the_org_url_and_the_request_id_is_oktas_shape() -> None:
    request = build_request(PP, ZOE, seed=5, now=NOW, org_url="https://acme.okta.com/")
    links = request["data"]["context"]["user"]["_links"]
    assert links["groups"]["href"] == f"https://acme.okta.com/api/v1/users/{ZOE.id}/groups"
    assert links["factors"]["href"] == f"https://acme.okta.com/api/v1/users/{ZOE.id}/factors"
    request_id = request["data"]["context"]["request"]["id"]
    # Like the captured reqQFcZNuvhRj2VZbngrI2ZJA / reqQsH_sl8TSiu9WTC3VfS7yw.
    assert len(request_id) == 25 and re.fullmatch(r"req[A-Za-z0-9_-]{22}", request_id)


def test_parse_fields_and_event_time() -> None:
    assert parse_fields(" email,firstName , email,employeeNumber") == (
        "email",
        "firstName",
        "employeeNumber",
    )
    with pytest.raises(ValueError, match="empty"):
        parse_fields("email,,lastName")
    with pytest.raises(ValueError, match="password"):
        parse_fields("email,password")
    assert parse_event_time("2026-01-01T00:00:00.000Z") == datetime(2026, 1, 1, tzinfo=UTC)
    assert format_event_time(parse_event_time("2026-01-01T01:00:00+01:00")) == (
        "2026-01-01T00:00:00.000Z"
    )
    with pytest.raises(ValueError, match="not a time"):
        parse_event_time("tomorrow")


# --- golden: the shapes Okta publishes (tests/logic/data/okta-sources/SOURCES.json) -----------

GUIDE_PP = json.loads(
    (Path(__file__).parent / "data" / "requests" / "guide-pp.json").read_text(encoding="utf-8")
)
SPEC_PP = Path(__file__).parent / "data" / "okta-sources" / "spec-ProgressiveProfileRequest.yaml"
CAPTURED_PP = json.loads(
    (Path(__file__).parent / "data" / "requests" / "okta-captured-2021-pp.json").read_text(
        encoding="utf-8"
    )
)


def _spec_profile_keys() -> list[str]:
    """The attribute names under `profile:` in the spec's ProgressiveProfileRequest example."""
    lines = SPEC_PP.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "profile:")
    indent = len(lines[start + 1]) - len(lines[start + 1].lstrip())
    keys = []
    for line in lines[start + 1 :]:
        if len(line) - len(line.lstrip()) != indent:
            break
        keys.append(line.strip().split(":", 1)[0])
    return keys


def test_progressive_context_profile_is_the_five_every_okta_source_shows() -> None:
    guide = GUIDE_PP["data"]["context"]["user"]["profile"]
    captured = CAPTURED_PP["data"]["context"]["user"]["profile"]
    assert set(guide) == set(captured) == set(_spec_profile_keys()) == set(PP_CONTEXT_PROFILE)
    assert list(captured) == list(PP_CONTEXT_PROFILE)
    # Rosario is the guide's own user: the generated context is the guide's, value for value.
    request = build_request(PP, ROSARIO, form={"employeeNumber": "1234"}, seed=1, now=NOW)
    assert request["data"]["context"]["user"]["profile"] == guide
    assert "email" not in request["data"]["context"]["user"]["profile"]


def test_time_zone_is_spelled_as_okta_spells_it_whatever_the_org_calls_it() -> None:
    base_only = OrgUser(
        "00uAAAAAAAAAAAAAAAAC",
        None,
        {"login": "a@okta.com", "email": "a@okta.com", "timezone": "Asia/Tokyo", "city": "X"},
    )
    assert context_profile(base_only) == {"login": "a@okta.com", "timeZone": "Asia/Tokyo"}


def test_event_time_and_source_have_the_shape_of_every_okta_sample() -> None:
    request = build_request(SSR, ZOE)
    assert request["eventTime"].endswith(".000Z")
    for sample in (GUIDE_PP, CAPTURED_PP):
        assert sample["eventTime"].endswith(".000Z")
    assert CAPTURED_PP["source"] == DEFAULT_SOURCE
    assert re.fullmatch(r"rul[A-Za-z0-9]{17}", request["source"])
