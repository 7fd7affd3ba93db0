"""Your own org: Okta's API shapes for users and schema, a CSV export, a schema beside the users
file, and a search that stays quick at 100,000 users."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.cli import main
from app.logic.org import (
    DemoOrg,
    OrgError,
    OrgUser,
    UserSchema,
    fold,
    json_array_in_pieces,
    load_demo_org,
    load_user_schema,
    load_users,
    schema_file_for,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
API_USERS = FIXTURES / "okta-api-org" / "users.json"
API_SCHEMA = FIXTURES / "okta-api-org" / "user-schema.json"
CSV_USERS = FIXTURES / "csv-org" / "users.csv"


def test_okta_list_users_answer_reads_as_it_is() -> None:
    users = load_users(API_USERS)
    assert [u.login for u in users] == [
        "isaac.brock@okta.com",
        "amara.okoye@example.com",
        "li.wei@okta.com",
    ]
    assert users[0].id == "00ub0oNGTSWTBKOLGLNR"
    assert users[1].profile["mobilePhone"] is None  # unset attributes come as null
    assert users[2].password_changed is None


def test_okta_schema_answer_reads_base_custom_types_and_self_permissions() -> None:
    schema = load_user_schema(API_SCHEMA)
    assert schema.has("loyaltyTier") and schema.attributes["loyaltyTier"].custom
    assert schema.attributes["customerId"].type == "number"
    assert schema.is_read_only("employeeNumber")  # SELF READ_ONLY, Okta's default
    assert schema.is_read_only("customerId")
    assert not schema.is_read_only("nickName")
    assert {n for n, a in schema.attributes.items() if a.required} == {
        "login",
        "firstName",
        "lastName",
        "email",
    }
    assert not schema.has("timeZone")


def test_a_schema_beside_the_users_file_is_the_orgs() -> None:
    assert schema_file_for(API_USERS) == API_SCHEMA
    assert schema_file_for(CSV_USERS) is None
    org = load_demo_org(API_USERS)
    assert org.schema.has("loyaltyTier")
    assert not load_demo_org(CSV_USERS).schema.has("loyaltyTier")  # demo org's schema


def test_a_csv_export_reads_with_profile_prefixes_ids_and_status() -> None:
    users = load_users(CSV_USERS)
    assert users[0].id == "00ucsvAAAAAAAAAAAA01"
    assert users[0].profile == {
        "login": "noa.levi@okta.com",
        "email": "noa.levi@okta.com",
        "firstName": "Noa",
        "lastName": "Levi",
        "employeeNumber": "5012",
    }
    assert users[1].id.startswith("00ucsv") and len(users[1].id) == 20
    assert users[1].profile["lastName"] == "O'Brien, Jr"
    assert "status" not in users[1].profile and "employeeNumber" not in users[1].profile


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello there\n", "expected a users file"),
        ("email,firstName\na@b.c,A\n", 'needs a "login" column'),
        ("login,email\na@b.c,a@b.c,extra\n", "3 cells"),
        ("login\na@b.c\nA@B.C\n", "used twice"),
        ("", "expected a users file"),
    ],
)
def test_anything_else_gets_one_line_saying_what_was_expected(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "users.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OrgError, match=message) as caught:
        load_users(path)
    assert "\n" not in str(caught.value)


def test_verdict_checks_attributes_against_the_given_org(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request = tmp_path / "req.json"
    code = main(
        ["request", "--type", "ssr", "--user", "isaac.brock@okta.com", "--users", str(API_USERS)]
    )
    assert code == 0
    request.write_text(capsys.readouterr().out, encoding="utf-8")
    response = tmp_path / "resp.json"
    update = {"loyaltyTier": "silver", "timeZone": "UTC", "customerId": 7}
    response.write_text(
        json.dumps({"commands": [{"type": "com.okta.user.profile.update", "value": update}]})
    )
    argv = ["verdict", "--request", str(request), "--response", str(response), "--json"]
    assert main([*argv, "--users", str(API_USERS)]) == 0  # the schema beside it
    problems = json.loads(capsys.readouterr().out)["problems"]
    by_path = {p["path"]: (p["code"], p["severity"]) for p in problems}
    assert "commands[0].value.loyaltyTier" not in by_path  # the org has it
    assert by_path["commands[0].value.timeZone"] == ("unknown-attribute", "error")
    assert by_path["commands[0].value.customerId"] == ("read-only", "warning")
    # The same with the schema named, and against the demo org's schema for contrast.
    assert main([*argv, "--users", str(CSV_USERS), "--schema", str(API_SCHEMA)]) == 0
    assert "timeZone" in capsys.readouterr().out
    assert main([*argv]) == 0
    demo = {p["path"]: p["code"] for p in json.loads(capsys.readouterr().out)["problems"]}
    assert demo["commands[0].value.loyaltyTier"] == "unknown-attribute"


def test_request_reads_a_csv_org(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["request", "--type", "ssr", "--user", "Siobhán", "--users", str(CSV_USERS)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert json.loads(out)["data"]["userProfile"]["lastName"] == "O'Brien, Jr"


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "users.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def test_a_quoted_line_break_in_a_csv_cell_is_kept_and_the_lines_still_count(
    tmp_path: Path,
) -> None:
    path = _csv(
        tmp_path,
        'login,streetAddress\r\n"a@example.com","1 Main St\r\nApt 2"\r\nb@example.com,x\r\n'
        "c@example.com\r\nb@example.com,again\r\n",
    )
    with pytest.raises(
        OrgError, match=r"users\.csv line 6: login \"b@example\.com\" is used twice"
    ):
        load_users(path)
    path = _csv(tmp_path, 'login,streetAddress\n"a@example.com","1 Main St\r\nApt 2"\n')
    (user,) = load_users(path)
    assert user.profile["streetAddress"] == "1 Main St\r\nApt 2"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1e", "\x1c"])
def test_unicode_line_separators_in_a_csv_cell_are_data_not_rows(
    tmp_path: Path, separator: str
) -> None:
    # str.splitlines() broke rows at these: the cell's tail became a user not in the file.
    path = _csv(tmp_path, f"login,nickName\na@example.com,Ann{separator}evil@example.com\n")
    (user,) = load_users(path)
    assert user.login == "a@example.com"
    assert user.profile["nickName"] == f"Ann{separator}evil@example.com"


def test_a_csv_header_naming_a_column_twice_is_refused_with_the_names(tmp_path: Path) -> None:
    path = _csv(tmp_path, "login,email,profile.login,email\na@x.com,a@x.com,b@x.com,c@x.com\n")
    with pytest.raises(OrgError) as caught:
        load_users(path)
    assert str(caught.value) == (
        'users.csv line 1: the header names a column twice: "login" (columns 1 and 3), '
        '"email" (columns 2 and 4)'
    )


def test_a_broken_okta_schema_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "schema.json"
    path.write_text('{"definitions": {"base": {"properties": {"x": {"type": "object"}}}}}')
    with pytest.raises(OrgError, match=r"line 1: definitions\.base\.properties\.x\.type"):
        load_user_schema(path)


# --- search at scale ------------------------------------------------------------------------


def _big_org(count: int) -> DemoOrg:
    users = tuple(
        OrgUser(
            f"00u{i:017d}",
            None,
            {
                "login": f"user{i}@example.com",
                "email": f"user{i}@example.com",
                "firstName": "Zoë" if i % 2 else f"First{i}",
                "lastName": f"Last{i}",
            },
        )
        for i in range(count)
    )
    return DemoOrg(users, UserSchema({}))


def test_search_folds_once_and_caps_matches() -> None:
    # How quick a keystroke's search is (goal < 16 ms) is measured in benchmarks/bench_org.py:
    # a wall-clock assertion here failed whenever the machine was busy.
    org = _big_org(100_000)
    org.search_index()
    assert [u.login for u in org.search("ZOE last99999", limit=5)] == ["user99999@example.com"]
    assert len(org.search("zoe", limit=50)) == 50
    assert len(org.search("zoe")) == 50_000
    assert org.search("", limit=3) == list(org.users[:3])
    for text in ("u", "us", "use", "user", "user1", "user12", "zo", "zoë", "nobody"):
        assert len(org.search(text, limit=50)) <= 50


def test_search_never_matches_across_two_users() -> None:
    org = _big_org(3)
    assert org.search("example.com user1") == []
    assert fold("Zoë Łukasiewicz") == "zoe lukasiewicz" and fold("ABC") == "abc"


@pytest.mark.parametrize(
    "text",
    [
        "[]",
        " [ ] \n",
        '[{"a": 1}, {"b": [1, 2.5, "x"]}]',
        '\n[\n  {"id": "00u1", "profile": {"login": "a@b.c"}} ,\n  3 , null\n]\n',
    ],
)
def test_a_json_array_in_pieces_is_the_same_value(text: str) -> None:
    assert json_array_in_pieces(text) == json.loads(text)


@pytest.mark.parametrize(
    "text", ["", "{}", "[1,]", "[1 2]", "[1] x", "[NaN]", "[1e999]", '["a"', "[,1]"]
)
def test_json_array_in_pieces_leaves_anything_else_to_the_whole_parse(text: str) -> None:
    assert json_array_in_pieces(text) is None


_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def _cut(text: str, cuts: list[int]) -> list[str]:
    points = sorted({min(max(0, c), len(text)) for c in cuts})
    bounds = [0, *points, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


@settings(max_examples=300, deadline=None)
@given(st.lists(_VALUES, max_size=6), st.lists(st.integers(0, 400), max_size=6), st.booleans())
def test_a_json_array_cut_anywhere_into_pieces_is_the_same_value(
    items: list[object], cuts: list[int], spaced: bool
) -> None:
    # The window reads a big users file as pieces of decoded text, never joined: an element
    # (or a number, or a space) cut between two pieces must read as if it were whole.
    text = json.dumps(items, indent=1 if spaced else None)
    assert json_array_in_pieces(_cut(text, cuts)) == json.loads(text)


@pytest.mark.parametrize("text", ["[1.0000000000000002e+16, -2.25E-3, 10, 0.5]", "[7e5]"])
def test_a_number_cut_anywhere_is_the_same_number(text: str) -> None:
    # Cut after "e", "e+", "." or "-", the first piece alone parses as a shorter number.
    for cut in range(1, len(text)):
        assert json_array_in_pieces([text[:cut], text[cut:]]) == json.loads(text), cut


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["[1,]", "[1 2]", "[1] x", "[NaN]", "[1e999]", '["a"', "[,1]", "[[1]", "{}"]),
    st.lists(st.integers(0, 8), max_size=4),
)
def test_a_wrong_array_cut_into_pieces_is_left_to_the_whole_parse(
    text: str, cuts: list[int]
) -> None:
    assert json_array_in_pieces(_cut(text, cuts)) is None


def test_a_users_file_loads_the_same_in_pieces_and_errors_the_same(tmp_path: Path) -> None:
    assert load_users(API_USERS, yielding=True) == load_users(API_USERS)
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + API_USERS.read_bytes())
    assert load_users(bom, yielding=True) == load_users(API_USERS)
    broken = tmp_path / "users.json"
    broken.write_text('[{"id": "00u1", "profile": {"login": "a@b.c"}},]', encoding="utf-8")
    with pytest.raises(OrgError) as whole:
        load_users(broken)
    with pytest.raises(OrgError) as pieces:
        load_users(broken, yielding=True)
    assert str(pieces.value) == str(whole.value)
    org = load_demo_org(API_USERS, yielding=True)
    assert org.users == load_demo_org(API_USERS).users


def test_find_is_a_lookup_and_the_first_user_of_a_login_wins() -> None:
    org = _big_org(100_000)
    assert org.find("USER99999@example.com") is org.users[99_999]
    # A lookup, not a scan: asked again with the users' list gone, it still answers.
    users, org.__dict__["users"] = org.users, ()
    try:
        assert org.find("user99999@EXAMPLE.com") is users[99_999]
        assert org.find(users[5].id) is users[5]
        assert org.find("nobody") is None
    finally:
        org.__dict__["users"] = users
    twice = DemoOrg(
        (*org.users[:2], OrgUser("other", None, {"login": "user0@example.com"})), org.schema
    )
    assert twice.find("user0@example.com") is twice.users[0]
    assert not twice.search_ready
    twice.search_index()
    assert twice.search_ready


# --- any JSON in any place: a one-line OrgError, never a TypeError ---------------------------

_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("required", [{"x": 1}]),
        ("required", "login"),
        ("permissions", 5),
        ("permissions", {"principal": "SELF"}),
        ("type", {"x": 1}),
        ("type", [{"x": 1}]),
    ],
)
def test_an_okta_schema_with_a_wrong_kind_of_value_is_one_line(
    tmp_path: Path, where: str, value: object
) -> None:
    attribute: dict[str, object] = {"type": "string"}
    block: dict[str, object] = {"properties": {"login": attribute}}
    if where == "required":
        block["required"] = value
    else:
        attribute[where] = value
    path = tmp_path / "schema.json"
    path.write_text(json.dumps({"definitions": {"base": block}}), encoding="utf-8")
    with pytest.raises(OrgError) as caught:
        load_user_schema(path)
    assert f"definitions.base.{'' if where == 'required' else 'properties.login.'}{where}" in str(
        caught.value
    )


@settings(max_examples=150)
@given(base=_ANY_JSON, attribute=_ANY_JSON, required=_ANY_JSON, permissions=_ANY_JSON)
def test_any_json_in_an_okta_schema_loads_or_is_one_line(
    tmp_path_factory: pytest.TempPathFactory,
    base: object,
    attribute: object,
    required: object,
    permissions: object,
) -> None:
    path = tmp_path_factory.mktemp("schema") / "schema.json"
    shapes = [
        {"definitions": {"base": base}},
        {"definitions": {"base": {"properties": {"login": attribute}}}},
        {"definitions": {"base": {"properties": {"login": {}}, "required": required}}},
        {"definitions": {"custom": {"properties": {"x": {"permissions": permissions}}}}},
    ]
    for shape in shapes:
        path.write_text(json.dumps(shape), encoding="utf-8")
        try:
            load_user_schema(path)
        except OrgError as error:
            assert "\n" not in str(error)


def test_an_element_longer_than_the_limit_falls_back_to_the_whole_parse(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from app.logic import org as org_module

    monkeypatch.setattr(org_module, "_GROW_LIMIT", 8)
    monkeypatch.setattr(org_module, "_PIECE_BYTES", 16)
    text = json.dumps([{"a": "x" * 40}, 1])
    assert json_array_in_pieces(_cut(text, [10, 20, 30])) is None  # the caller parses whole
    assert json_array_in_pieces(_cut(text, [])) == json.loads(text)
    users = tmp_path / "users.json"
    users.write_bytes(API_USERS.read_bytes())
    assert load_users(users, yielding=True) == load_users(API_USERS)
