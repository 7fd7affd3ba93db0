"""The demo org: its files load, users are found and searched, bad files give one-line errors."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.logic.org import (
    AttributeDef,
    DemoOrg,
    OrgError,
    OrgUser,
    UserSchema,
    default_users_file,
    fold,
    load_demo_org,
    load_user_schema,
    load_users,
)

ORG = load_demo_org()

BASE_ATTRIBUTES = [
    "login",
    "email",
    "secondEmail",
    "firstName",
    "lastName",
    "middleName",
    "honorificPrefix",
    "honorificSuffix",
    "title",
    "displayName",
    "nickName",
    "profileUrl",
    "primaryPhone",
    "mobilePhone",
    "streetAddress",
    "city",
    "state",
    "zipCode",
    "postalAddress",
    "countryCode",
    "preferredLanguage",
    "locale",
    "timezone",
    "userType",
    "employeeNumber",
    "costCenter",
    "organization",
    "division",
    "department",
    "managerId",
    "manager",
]


def test_demo_org_has_realistic_users() -> None:
    assert len(ORG.users) >= 10
    for user in ORG.users:
        assert re.fullmatch(r"00u[A-Za-z0-9]{17}", user.id)
        for name in ("login", "email", "firstName", "lastName", "timeZone", "locale"):
            assert isinstance(user.profile[name], str) and user.profile[name]
        assert user.profile["mobilePhone"].startswith("+")
        assert user.password_changed is None or re.fullmatch(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", user.password_changed
        )
    domains = {user.profile["email"].rsplit("@", 1)[1].lower() for user in ORG.users}
    assert {"okta.com", "example.com", "example.org", "notokta.com"} <= domains
    numbers = [u.profile["employeeNumber"] for u in ORG.users if "employeeNumber" in u.profile]
    assert any(re.fullmatch(r"\d{4}", n) for n in numbers)
    assert any(re.fullmatch(r"\d{5}", n) for n in numbers)
    assert any(re.fullmatch(r"[A-Za-z]+", n) for n in numbers)
    assert any(not user.display_name.isascii() for user in ORG.users)


def test_rosario_jones_is_the_guide_user() -> None:
    rosario = ORG.find("rosario.jones@example.com")
    assert rosario is not None
    assert rosario.id == "00u48gwcu01WxvNol0g7"
    assert rosario.password_changed == "2022-01-01T00:00:00.000Z"
    assert rosario.display_name == "Rosario Jones"
    assert rosario.login == "rosario.jones@example.com"
    assert rosario.profile["timeZone"] == "America/Los_Angeles"
    assert rosario.profile["locale"] == "en_US"


def test_user_schema_has_the_base_and_custom_attributes() -> None:
    schema = ORG.schema
    for name in (*BASE_ATTRIBUTES, "timeZone", "customerId"):
        assert schema.has(name), name
    assert not schema.has("favouriteColour")
    assert {n for n, a in schema.attributes.items() if a.required} == {
        "login",
        "email",
        "firstName",
        "lastName",
    }
    assert schema.attributes["timeZone"].custom and schema.attributes["customerId"].custom
    assert not schema.attributes["email"].custom
    assert not schema.is_read_only("employeeNumber")  # the guide has the admin make it so
    assert schema.is_read_only("customerId")
    assert schema.is_read_only("managerId")
    assert not schema.is_read_only("nothingLikeThis")
    # customerId is a number, as in Okta's own {"customerId": 12345} example; the rest strings.
    assert schema.attributes["customerId"].type == "number"
    assert all(
        a.title and a.type == "string" for n, a in schema.attributes.items() if n != "customerId"
    )
    for user in ORG.users:
        assert all(schema.has(name) for name in user.profile), user.login


def test_every_demo_value_has_its_attribute_s_type() -> None:
    """A value the schema would refuse makes the verdict flag the demo org itself (Priya's
    customerId was the string "C-100482" under a number attribute)."""
    from app.logic.verdict import _type_ok

    for user in ORG.users:
        for name, value in user.profile.items():
            expected = ORG.schema.attributes[name].type
            assert _type_ok(expected, value), (user.login, name, value, expected)
    assert ORG.find("priya.raghunathan@okta.com").profile["customerId"] == 100482


def test_find_by_login_in_any_case_or_by_id() -> None:
    assert ORG.find("ROSARIO.JONES@EXAMPLE.COM") is ORG.find("rosario.jones@example.com")
    assert ORG.find("  kai.nakamura@okta.com ").login == "Kai.Nakamura@Okta.com"
    assert ORG.find("00u48gwcu01WxvNol0g7").login == "rosario.jones@example.com"
    assert ORG.find("00U48GWCU01WXVNOL0G7") is None  # ids are case-sensitive
    assert ORG.find("nobody@example.com") is None
    assert ORG.find("") is None


@pytest.mark.parametrize(
    ("text", "login"),
    [
        ("zoe", "zoe.lukasiewicz@okta.com"),
        ("ZOË", "zoe.lukasiewicz@okta.com"),
        ("lukasiewicz", "zoe.lukasiewicz@okta.com"),
        ("Łukas", "zoe.lukasiewicz@okta.com"),
        ("jose nunez", "jose.nunez@okta.com"),
        ("José Núñez", "jose.nunez@okta.com"),
        ("soren", "soren.ostergaard@example.org"),
        ("Østergaard", "soren.ostergaard@example.org"),
        ("田中", "misaki.tanaka@okta.com"),
        ("田中 美咲", "misaki.tanaka@okta.com"),
        ("emilie cote", "emilie.cote@example.com"),
        ("notokta", "mallory.reyes@notokta.com"),
    ],
)
def test_search_ignores_case_and_accents(text: str, login: str) -> None:
    assert [user.login for user in ORG.search(text)] == [login]


def test_search_by_domain_and_empty_text() -> None:
    assert len(ORG.search("@okta.com")) >= 5
    assert ORG.search("") == list(ORG.users)
    assert ORG.search("   ") == list(ORG.users)
    assert ORG.search("zzzzzz") == []


def test_fold() -> None:
    assert fold("Zoë Łukasiewicz") == "zoe lukasiewicz"
    assert fold("Søren Østergaard") == "soren ostergaard"
    assert fold("STRASSE") == fold("Straße")


_EXTRA = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
)


def _fold_one_character_at_a_time(text: str) -> str:
    """The definition: case-fold, decompose, drop every combining mark, then the letters
    Unicode does not decompose."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_EXTRA)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(), max_size=6))
def test_fold_of_a_joined_text_is_the_fold_of_each_line(parts: list[str]) -> None:
    # The search index folds thousands of users' lines in one call, joined by NUL.
    assert fold("\0".join(parts)) == "\0".join(_fold_one_character_at_a_time(p) for p in parts)


def test_the_search_text_is_folded_user_by_user() -> None:
    users = tuple(
        OrgUser(f"00u{n}", None, {"login": f"u{n}@x.io", "firstName": first, "lastName": "Ærø"})
        for n, first in enumerate(
            ["Zoë", "Σίσυφος", "plain", "a\0b", "İlkay", "e\u0301\u0327"] * 700
        )
    )
    text, starts = DemoOrg(users, UserSchema({}))._search_text
    lines = text.split("\0")
    assert len(lines) == len(starts) == len(users)
    for user, line in zip(users, lines, strict=True):
        p = user.profile
        raw = f"{user.display_name} | {p['lastName']} {p['firstName']} | {user.login} | "
        assert line == _fold_one_character_at_a_time(raw.replace("\0", " "))


def test_dataclasses_are_frozen_and_hashable() -> None:
    user = ORG.users[0]
    with pytest.raises(AttributeError):
        user.id = "x"  # type: ignore[misc]
    assert len({*ORG.users}) == len(ORG.users)
    assert isinstance(hash(ORG), int)
    assert isinstance(ORG.schema.attributes["login"], AttributeDef)


def _write(tmp_path: Path, name: str, content: object) -> Path:
    path = tmp_path / name
    text = content if isinstance(content, str) else json.dumps(content, indent=2)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_person_can_use_their_own_users_file(tmp_path: Path) -> None:
    okta_export = [
        {
            "id": "00uOWN00000000000001",
            "status": "ACTIVE",
            "created": "2020-01-01T00:00:00.000Z",
            "passwordChanged": None,
            "profile": {"login": "me@corp.example", "email": "me@corp.example", "shoeSize": 44},
            "_links": {"self": {"href": "/api/v1/users/00uOWN00000000000001"}},
        }
    ]
    org = load_demo_org(_write(tmp_path, "mine.json", okta_export))
    assert isinstance(org, DemoOrg)
    (user,) = org.users
    assert user == OrgUser("00uOWN00000000000001", None, user.profile)
    assert user.display_name == "me@corp.example"
    assert org.find("ME@corp.example") is user
    assert isinstance(org.schema, UserSchema)
    wrapped = load_users(_write(tmp_path, "wrapped.json", {"users": okta_export}))
    assert wrapped[0].id == "00uOWN00000000000001"
    assert load_users(str(tmp_path / "wrapped.json")) == wrapped


def test_default_users_file_is_in_the_fixtures() -> None:
    assert default_users_file().name == "users.json"
    assert load_users() == ORG.users


BAD_USERS = [
    ('[\n  {"id": "00u1",\n   "profile": {"login": "a"},\n}\n]', "bad.json line 4: not valid JSON"),
    ('{"people": []}', "bad.json line 1: expected an array of users, got an object"),
    ("[]", "bad.json line 1: the file lists no users"),
    ('[\n  "00u1"\n]', "bad.json line 2: [0]: expected a user object, got a string"),
    (
        '[\n  {"profile": {"login": "a"}}\n]',
        'bad.json line 2: [0]: each user needs an "id" string (like "00u..."), got nothing',
    ),
    (
        '[\n  {"id": 7,\n   "profile": {"login": "a"}}\n]',
        'bad.json line 2: [0].id: each user needs an "id" string (like "00u..."), got a number',
    ),
    (
        '[\n  {"id": "00u1",\n   "profile": []}\n]',
        'bad.json line 3: [0].profile: each user needs a "profile" object, got an array',
    ),
    (
        '[\n  {"id": "00u1",\n   "profile": {"email": "a@b.c"}}\n]',
        'bad.json line 3: [0].profile: each profile needs a "login" string, got nothing',
    ),
    (
        '[{"id": "00u1", "passwordChanged": 5, "profile": {"login": "a"}}]',
        "bad.json line 1: [0].passwordChanged: expected a date-time string or null, got a number",
    ),
    (
        '[\n{"id": "00u1", "profile": {"login": "a"}},\n'
        '{"id": "00u2", "profile": {"login": "A"}}\n]',
        'bad.json line 3: [1].profile.login: login "A" is used twice (also user #1)',
    ),
    (
        '{"users": [\n{"id": "00u1", "profile": {"login": "a"}},\n'
        '{"id": "00u1", "profile": {"login": "b"}}\n]}',
        'bad.json line 3: users[1].id: id "00u1" is used twice (also user #1)',
    ),
]


@pytest.mark.parametrize(("content", "message"), BAD_USERS)
def test_bad_users_files_give_one_line_errors(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(OrgError) as caught:
        load_users(_write(tmp_path, "bad.json", content))
    text = str(caught.value)
    assert text.startswith(message)
    assert "\n" not in text


def test_missing_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(OrgError, match="no such file"):
        load_users(tmp_path / "absent.json")
    with pytest.raises(OrgError, match="is a folder"):
        load_users(tmp_path)
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('[{"id": "00u1", "profile": {"login": "Zoë"}}]'.encode("latin-1"))
    with pytest.raises(OrgError, match="not UTF-8 text"):
        load_users(latin1)


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + b'[{"id": "00u1", "profile": {"login": "a"}}]')
    assert load_users(path)[0].id == "00u1"


BAD_SCHEMAS = [
    ("[]", 'schema.json line 1: expected an object with "base" and "custom", got an array'),
    ('{"base": {}, "extra": {}}', "schema.json line 1: extra: only"),
    ('{"base": []}', "schema.json line 1: base: expected an object of attributes, got an array"),
    (
        '{"base": {\n "a": {"type": "text"}}}',
        "schema.json line 2: base.a.type: expected one of string, number",
    ),
    (
        '{"custom": {\n "a": {"permission": "WRITE"}}}',
        "schema.json line 2: custom.a.permission: expected one of READ_WRITE",
    ),
    ('{"base": {"a": {"required": "yes"}}}', "schema.json line 1: base.a.required: expected true"),
    ('{"base": {"a": 1}}', "schema.json line 1: base.a: expected an attribute object"),
    ('{"base": {"a": {}}, "custom": {"a": {}}}', 'schema.json line 1: custom.a: attribute "a"'),
]


@pytest.mark.parametrize(("content", "message"), BAD_SCHEMAS)
def test_bad_schema_files_give_one_line_errors(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(OrgError) as caught:
        load_user_schema(_write(tmp_path, "schema.json", content))
    assert str(caught.value).startswith(message)


def test_schema_defaults(tmp_path: Path) -> None:
    schema = load_user_schema(_write(tmp_path, "s.json", {"custom": {"shoeSize": {}}}))
    assert schema.attributes["shoeSize"] == AttributeDef(
        name="shoeSize",
        title="shoeSize",
        type="string",
        required=False,
        read_only=False,
        custom=True,
        permission="READ_WRITE",
    )
    hidden = load_user_schema(_write(tmp_path, "h.json", {"base": {"x": {"permission": "HIDE"}}}))
    assert hidden.is_read_only("x")
