"""Parsing and validation: exact positions, plain messages, every problem, never an exception."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from app.logic import validation
from app.logic.validation import (
    MAX_PROBLEMS,
    Problem,
    format_path,
    locate,
    parse_json,
    validate_request,
    validate_request_value,
    validate_response,
    validate_response_value,
)

# ---------------------------------------------------------------------------------------------
# parse_json

PARSE_ERRORS = [
    # text, line, column, message
    ("", 1, 1, "there is no JSON here: the text is empty"),
    ("   \n  ", 1, 1, "there is no JSON here: the text is empty"),
    ('{"a": 1,}', 1, 9, 'a comma before "}" is not allowed in JSON'),
    ("[1, 2,]", 1, 7, 'a comma before "]" is not allowed in JSON'),
    ("{'a': 1}", 1, 2, "keys need double quotes, not single quotes"),
    ("{\"a\": 'x'}", 1, 7, "strings need double quotes, not single quotes"),
    ('{"a": True}', 1, 7, "True is not JSON; write true"),
    ('{"a": None}', 1, 7, "None is not JSON; write null"),
    ('{"a": undefined}', 1, 7, 'unexpected text "undefined"; strings need double quotes'),
    ('{"a" 1}', 1, 6, "expected a colon after the key"),
    ('{\n  "a": 1\n  "b": 2\n}', 3, 3, "expected a comma or a closing bracket"),
    ('{"a": "abc', 1, 7, "this string has no closing double quote"),
    ('{"a": "x\ty"}', 1, 9, "a string cannot hold a raw line break or tab"),
    ('{"a": "\\q"}', 1, 8, "invalid escape in a string"),
    ('{"a": 1} {"b": 2}', 1, 10, "there is more text after the end of the JSON value"),
    ('{"a": [1, 2', 1, 12, "the text ends before the object or array is closed"),
    ('{"a":', 1, 6, "the text ends where a value was expected"),
    ("[NaN]", 1, 2, "NaN is not a JSON number"),
    ('{"x": "NaN", "y": -Infinity}', 1, 19, "-Infinity is not a JSON number"),
    ("\ufeff{}", 1, 1, "the text starts with a byte-order mark"),
]


@pytest.mark.parametrize(("text", "line", "column", "message"), PARSE_ERRORS)
def test_parse_errors_are_placed_and_explained(
    text: str, line: int, column: int, message: str
) -> None:
    value, problem = parse_json(text)
    assert value is None
    assert problem is not None
    assert problem.kind == "parse"
    assert problem.path == ""
    assert (problem.line, problem.column) == (line, column)
    assert problem.message.startswith(message)
    assert problem.length >= 1
    assert problem.offset == _offset(text, line, column)


def _offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    return sum(len(part) + 1 for part in lines[: line - 1]) + column - 1


def test_parse_error_snippet_has_a_caret_under_the_spot() -> None:
    text = '{\n  "commands": [\n    {"type": "com.okta.action.update",,}\n  ]\n}'
    _, problem = parse_json(text)
    assert problem is not None
    assert (problem.line, problem.column) == (3, 39)
    excerpt, caret = problem.snippet.split("\n")
    assert excerpt == '    {"type": "com.okta.action.update",,}'
    assert caret == " " * 38 + "^"


def test_parse_error_snippet_of_a_long_line_is_cut_around_the_spot() -> None:
    text = '{"a": "' + "x" * 500 + '" "b": 1}'
    _, problem = parse_json(text)
    assert problem is not None
    excerpt, caret = problem.snippet.split("\n")
    assert len(excerpt) <= 80
    assert excerpt.startswith("…")
    assert excerpt[caret.index("^")] == '"'


def test_parse_error_columns_count_characters_not_bytes() -> None:
    text = '{"name": "Zoë Łukasiewicz 田中", "x": }'
    _, problem = parse_json(text)
    assert problem is not None
    assert problem.column == text.index("}") + 1


def test_huge_integer_is_a_parse_problem_not_an_exception() -> None:
    text = '{"n": ' + "9" * 5000 + "}"
    value, problem = parse_json(text)
    assert value is None
    assert problem is not None
    assert problem.offset == 6
    assert problem.length == 5000


def test_deep_nesting_is_a_parse_problem_not_an_exception() -> None:
    value, problem = parse_json("[" * 100_000 + "]" * 100_000)
    assert value is None
    assert problem is not None
    assert "nested too deeply" in problem.message


def test_valid_json_parses() -> None:
    assert parse_json('{"a": [1, 2.5, "é", true, null]}') == (
        {"a": [1, 2.5, "é", True, None]},
        None,
    )
    assert parse_json("null") == (None, None)


def test_a_text_that_does_not_parse_is_marked_unparsed() -> None:
    result = validate_request("{")
    assert not result.parsed
    assert result.value is None
    assert result.engine is None
    assert [p.kind for p in result.problems] == ["parse"]
    assert validate_response("null").parsed


# ---------------------------------------------------------------------------------------------
# Positions of schema problems

RESPONSE_TEXT = """{
  "commands": [
    {
      "type": "com.okta.action.update",
      "value": {"registration": "ALLOW"}
    },
    {
      "type": "com.action.update",
      "value": {
        "action": "DENY"
      }
    }
  ],
  "error": {"errorSummary": 42}
}"""


def test_every_problem_is_reported_with_exact_line_and_column() -> None:
    result = validate_response(RESPONSE_TEXT)
    assert [p.format() for p in result.problems] == [
        '8:15 commands[1].type: "com.action.update" is not a command Okta knows; '
        'did you mean "com.okta.action.update"?',
        '9:16 commands[1].value: Okta reads the key "registration", not "action"',
        "14:29 error.errorSummary: expected a string, got a number",
    ]
    type_problem = result.problems[0]
    assert RESPONSE_TEXT[type_problem.offset : type_problem.offset + type_problem.length] == (
        '"com.action.update"'
    )
    assert result.problems[1].length == 1  # an object is marked by its opening brace
    assert RESPONSE_TEXT[result.problems[1].offset] == "{"
    assert all(p.kind == "schema" and p.snippet == "" for p in result.problems)


def test_positions_with_windows_line_endings_and_non_ascii() -> None:
    text = '{\r\n  "debugContext": {"note": "Zoë 田中"},\r\n  "commands": "x"\r\n}'
    (problem,) = validate_response(text).problems
    assert (problem.line, problem.column) == (3, 15)
    assert text[problem.offset : problem.offset + problem.length] == '"x"'


def test_an_unknown_key_is_marked_at_the_key() -> None:
    text = '{"commandz": []}'
    (problem,) = validate_response(text).problems
    assert problem.path == "commandz"
    assert text[problem.offset : problem.offset + problem.length] == '"commandz"'
    assert problem.message == 'Okta does not read "commandz" here; did you mean "commands"?'


def test_a_missing_key_points_at_the_enclosing_object() -> None:
    text = '{"commands": [\n  {"type": "com.okta.action.update"}\n]}'
    (problem,) = validate_response(text).problems
    assert problem.path == "commands[0]"
    assert (problem.line, problem.column) == (2, 3)
    assert problem.message == 'missing required key "value"'


def test_a_repeated_key_is_placed_at_the_occurrence_json_keeps() -> None:
    text = '{"commands": [], "commands": 5}'
    (problem,) = validate_response(text).problems
    assert problem.offset == text.rindex("5")


def test_escaped_keys_are_found() -> None:
    text = '{"comm\\u0061nds": 5}'
    (problem,) = validate_response(text).problems
    assert problem.path == "commands"
    assert problem.offset == text.index("5")


def test_problem_format_without_a_path() -> None:
    problem = Problem("", "expected an object, got an array", 1, 1, 0, 1, "schema")
    assert problem.format() == "1:1 expected an object, got an array"


def test_format_path_quotes_keys_that_are_not_names() -> None:
    assert format_path(["commands", 0, "type"]) == "commands[0].type"
    assert format_path(["data", "userProfile", "first name"]) == 'data.userProfile["first name"]'
    assert format_path([0, "a.b"]) == '[0]["a.b"]'
    assert format_path([]) == ""


def test_too_many_problems_are_cut_off_with_a_note() -> None:
    value = {"commands": [{"type": f"bad{i}", "value": {}} for i in range(MAX_PROBLEMS + 50)]}
    problems = validate_response(json.dumps(value)).problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert any("the rest are not listed" in p.message for p in problems)


def test_each_schema_validator_is_compiled_once() -> None:
    validate_request("{}")
    validate_response("{}")
    assert validation._validator("request") is validation._validator("request")
    assert validation._validator("response") is validation._validator("response")


def test_value_helpers_report_paths_without_positions() -> None:
    issues = validate_response_value({"commands": [{"type": "x", "value": {}}]})
    assert [(i.path, i.message) for i in issues] == [
        (
            "commands[0].type",
            '"x" is not a command Okta knows; expected '
            '"com.okta.action.update", "com.okta.user.profile.update" or '
            '"com.okta.user.progressive.profile.update"',
        ),
    ]
    assert validate_request_value([1])[0].message == "expected an object, got an array"


def test_engine_labels() -> None:
    assert validate_request('{"requestType": "progressive.profile"}').engine == "identity"
    assert validate_request('{"eventId": "x"}').engine == "classic"
    assert validate_request("[]").engine is None


# ---------------------------------------------------------------------------------------------
# Properties

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=30,
)

# Values shaped like hook documents, so that the deeper parts of the schemas are reached.
COMMAND_TYPES = st.sampled_from(
    [
        "com.okta.action.update",
        "com.okta.user.profile.update",
        "com.okta.user.progressive.profile.update",
        "com.action.update",
    ]
)
RESPONSE_LIKE = st.fixed_dictionaries(
    {},
    optional={
        "commands": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "type": COMMAND_TYPES | JSON_VALUES,
                    "value": st.dictionaries(
                        st.sampled_from(["registration", "action", "employeeNumber", "password"]),
                        st.sampled_from(["ALLOW", "DENY", "allow"]) | JSON_VALUES,
                    )
                    | JSON_VALUES,
                },
            ),
            max_size=4,
        )
        | JSON_VALUES,
        "error": JSON_VALUES,
        "debugContext": JSON_VALUES,
        "extra": JSON_VALUES,
    },
)


def _request_like(data: Any) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"data": data},
        optional={
            "requestType": st.sampled_from(["self.service.registration", "progressive.profile"])
            | JSON_VALUES,
            "eventTime": st.text(max_size=30) | JSON_VALUES,
            "source": st.text(max_size=30),
        },
    )


REQUEST_LIKE = _request_like(
    st.fixed_dictionaries(
        {},
        optional={
            "context": st.fixed_dictionaries(
                {}, optional={"request": JSON_VALUES, "user": JSON_VALUES}
            )
            | JSON_VALUES,
            "userProfile": st.dictionaries(st.text(max_size=10), JSON_VALUES) | JSON_VALUES,
            "userProfileUpdate": JSON_VALUES,
            "action": JSON_VALUES,
        },
    )
)


def _check_problems(text: str, problems: tuple[Problem, ...]) -> None:
    for problem in problems:
        assert problem.kind in ("parse", "schema")
        assert problem.line >= 1 and problem.column >= 1 and problem.length >= 1
        assert 0 <= problem.offset <= len(text)
        assert problem.message
        problem.format()


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    for validate in (validate_request, validate_response):
        result = validate(text)
        _check_problems(text, result.problems)


@settings(max_examples=200)
@given(st.text(alphabet='{}[]",:0123456789.eE-+ \n\tatrufnlsNI\\'))
def test_json_like_text_never_raises(text: str) -> None:
    for validate in (validate_request, validate_response):
        _check_problems(text, validate(text).problems)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(JSON_VALUES | RESPONSE_LIKE | REQUEST_LIKE, st.sampled_from([None, 0, 2, 4]))
def test_arbitrary_json_values_never_raise(value: Any, indent: int | None) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    for validate in (validate_request, validate_response):
        result = validate(text)
        assert result.parsed
        assert result.value == value
        assert all(p.kind == "schema" for p in result.problems)
        _check_problems(text, result.problems)
    validate_request_value(value)
    validate_response_value(value)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


@settings(max_examples=200)
@given(JSON_VALUES, st.sampled_from([None, 0, 1, 3]), st.booleans())
def test_locate_finds_every_value(value: Any, indent: int | None, ascii_only: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    for path in _paths(value):
        offset, length = locate(text, path)
        expected = value
        for part in path:
            expected = expected[part]
        assert json.loads(text[offset : offset + length]) == expected


def test_locate_gives_the_nearest_ancestor_for_a_missing_path() -> None:
    text = '{"a": {"b": [10, 20]}}'
    assert locate(text, ["a", "b", 5]) == (text.index("["), len("[10, 20]"))
    assert locate(text, ["a", "b", 1]) == (text.index("20"), 2)
    assert locate(text, ["zzz"]) == (0, len(text))
    assert locate("not json", ["a"]) == (0, 1)


WIDE_SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
WIDE_VALUES = (
    WIDE_SCALARS
    | st.lists(WIDE_SCALARS, max_size=4)
    | st.dictionaries(st.text(max_size=4), WIDE_SCALARS, max_size=3)
)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(st.text(max_size=6), WIDE_VALUES, min_size=30, max_size=120),
    st.lists(WIDE_VALUES, min_size=30, max_size=120),
    st.sampled_from([None, 0, 2]),
    st.booleans(),
)
def test_locate_in_wide_containers(
    members: dict[str, Any], items: list[Any], indent: int | None, ascii_only: bool
) -> None:
    value = {"members": members, "items": items}
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    for path in _paths(value):
        offset, length = locate(text, path)
        expected = value
        for part in path:
            expected = expected[part]
        assert json.loads(text[offset : offset + length]) == expected


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "b": {"x": 1}, "a": "kept"}',
        '{"b": {"a": 1}, "a": "kept"}',
        '{"a": 1, "\\u0061": "kept"}',
        '{"\\u0061": 1, "b": 2, "a": "kept"}',
        "{" + ", ".join(f'"k{i}": {i}' for i in range(100)) + ', "k5": "kept"}',
    ],
)
def test_locate_finds_the_occurrence_of_a_repeated_key_that_json_keeps(text: str) -> None:
    key = "k5" if "k5" in text else "a"
    offset, length = locate(text, [key])
    assert text[offset : offset + length] == '"kept"'


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(REQUEST_LIKE | RESPONSE_LIKE | JSON_VALUES)
def test_the_fast_validator_finds_what_plain_jsonschema_finds(value: Any) -> None:
    for name in ("request", "response"):
        fast = validation._validator(name)
        plain = Draft202012Validator(fast.schema)

        def errors(validator: Any) -> list[tuple[str, str | None]]:
            found = validator.iter_errors(value)
            return sorted((format_path(e.absolute_path), e.validator) for e in found)

        assert errors(fast) == errors(plain)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(RESPONSE_LIKE | JSON_VALUES)
def test_the_quick_response_check_passes_only_what_jsonschema_passes(value: Any) -> None:
    plain = Draft202012Validator(validation._validator("response").schema)
    if validation.response_is_valid(value):
        assert list(plain.iter_errors(value)) == []


def test_the_quick_response_check_passes_every_documented_response() -> None:
    from pathlib import Path

    for path in sorted((Path(__file__).parent / "data" / "responses").glob("*.json")):
        value = json.loads(path.read_text(encoding="utf-8"))
        assert validation.response_is_valid(value), path.name
