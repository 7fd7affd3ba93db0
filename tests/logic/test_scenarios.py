"""Scenario files: loading, the schema's one-line errors, generation, and subset matching."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.logic import okta
from app.logic.run.runner import TargetChooser, run_scenario, run_scenarios
from app.logic.run.scenarios import (
    ScenarioError,
    expect_from_verdict,
    load_paths,
    match_expected,
    parse_scenarios,
    scenario_to_json,
)

GOOD = {
    "name": "okta staff register",
    "target": "/registrationHookSSR",
    "generate": {"type": "ssr", "user": "zoe.lukasiewicz@okta.com"},
    "expect": {"outcome": "ALLOWED"},
}


def parse(value: object) -> list:
    text = value if isinstance(value, str) else json.dumps(value, indent=2)
    return parse_scenarios(text, "s.json")


def error_of(value: object) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        parse(value)
    return caught.value


# --- loading ------------------------------------------------------------------------------


def test_one_scenario_and_a_collection() -> None:
    (one,) = parse(GOOD)
    assert one.name == "okta staff register" and one.index is None and one.label == "s.json"
    assert one.request["requestType"] == okta.SSR
    assert json.loads(one.request_bytes) == one.request
    many = parse({"scenarios": [GOOD, {**GOOD, "name": "second"}]})
    assert [s.label for s in many] == ["s.json#1", "s.json#2"]


@pytest.mark.parametrize("indent", [2, None], ids=["indented", "one-line"])
def test_a_big_file_is_read_once_and_each_scenario_placed_on_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, indent: int | None
) -> None:
    # Placing each scenario by parsing the whole file again made N scenarios cost N parses
    # (10,000 took minutes); the demo org was read once per scenario too. Counted, not timed.
    from app.logic import jsontext, org

    items = [{**GOOD, "name": f"s{n}", "description": "x\n" * (n % 3)} for n in range(300)]
    text = json.dumps({"scenarios": items}, indent=indent)
    path = tmp_path / "many.json"
    path.write_text(text, encoding="utf-8")
    parses, org_loads = [], []
    real_loads, real_org = jsontext.loads, org.load_demo_org

    def counting_loads(source: str, *args: object, **kwargs: object) -> object:
        parses.append(source == text)
        return real_loads(source, *args, **kwargs)

    monkeypatch.setattr(jsontext, "loads", counting_loads)
    monkeypatch.setattr(
        org, "load_demo_org", lambda *a, **k: org_loads.append(1) or real_org(*a, **k)
    )
    loaded, errors = load_paths([path])
    assert errors == [] and [s.name for s in loaded] == [f"s{n}" for n in range(300)]
    assert parses.count(True) == 1 and len(org_loads) == 1
    starts = [text.index(json.dumps(f"s{n}")) for n in range(300)]
    expected = [text.count("\n", 0, text.rfind("{", 0, at)) + 1 for at in starts]
    assert [s.line for s in loaded] == expected


def test_an_error_late_in_a_one_line_file_gives_its_column() -> None:
    items = [{**GOOD, "name": f"s{n}"} for n in range(50)]
    items[40]["target"] = "/nowhere"
    text = json.dumps({"scenarios": items})
    with pytest.raises(ScenarioError) as caught:
        parse_scenarios(text, "s.json")
    assert caught.value.line == 1
    assert text[caught.value.column - 1 :].startswith('"/nowhere"')


def test_generation_is_repeatable_and_applies_set_form_and_drop() -> None:
    spec = {
        "name": "pp",
        "generate": {
            "type": "progressive.profile",
            "user": "Rosario",
            "set": {"employeeNumber": "1234"},
            "drop": ["data.context.user.passwordChanged"],
        },
        "expect": {},
    }
    (a,) = parse(spec)
    (b,) = parse(spec)
    assert a.request_bytes == b.request_bytes or a.request["eventId"] == b.request["eventId"]
    assert a.request["data"]["userProfileUpdate"] == {"employeeNumber": "1234"}
    assert "passwordChanged" not in a.request["data"]["context"]["user"]
    (form,) = parse({**GOOD, "generate": {**GOOD["generate"], "form": ["email"]}})
    assert set(form.request["data"]["userProfile"]) == {"login", "email"}


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ('{"name": "x", "expect": {}', 1, 27, "ends before"),
        ('{\n  "expect": {},\n  "request": {}\n}', 1, 1, 'missing required key "name"'),
        ('{\n  "name": "x",\n  "expect": {},\n  "reqest": {}\n}', 4, 3, 'did you mean "request"'),
        ('{\n  "name": "x",\n  "expect": []\n}', 3, 13, "must be object, not an array"),
        ('{\n  "name": "x",\n  "expect": {}\n}', 1, 1, 'needs a "request"'),
        (
            '{"name": "x", "expect": {}, "request": {}, "generate": {"type": "ssr", "user": "a"}}',
            1,
            1,
            "exactly one",
        ),
        (
            '{\n "name": "x",\n "expect": {},\n "generate": {"type": "sso", "user": "Rosario"}\n}',
            4,
            23,
            "unknown request type",
        ),
        (
            '{\n "name": "x",\n "expect": {},\n "generate": {"type": "ssr", "user": "nobody"}\n}',
            4,
            38,
            "no user of the org",
        ),
        (
            '{\n "name": "x",\n "expect": {},\n "request": {},\n "target": "/nope"\n}',
            5,
            12,
            "unknown endpoint",
        ),
        (
            '{\n "name": "x",\n "expect": {},\n "request": {},\n "rules": {"digits": 0}\n}',
            5,
            22,
            "at least 1",
        ),
        ('{"scenarios": []}', 1, 15, "must not be empty"),
        (
            '{"scenarios": [{"name": "a", "expect": {}, "request": {}}, {"name": 3}]}',
            1,
            69,
            "must be string",
        ),
    ],
)
def test_invalid_files_say_where_and_what(text: str, line: int, column: int, words: str) -> None:
    error = error_of(text)
    assert (error.line, error.column) == (line, column), error.format()
    assert words in error.message
    assert error.format().startswith(f"s.json:{line}:{column}: ")
    assert "\n" not in error.format()


def test_load_paths_reports_each_bad_file_and_keeps_the_good(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "good.json").write_text(json.dumps(GOOD), encoding="utf-8")
    (tmp_path / "bad.json").write_bytes(b"\xff\xfe")
    (tmp_path / "notes.txt").write_text("not a scenario", encoding="utf-8")
    scenarios, errors = load_paths([tmp_path, tmp_path / "missing.json"])
    assert [s.name for s in scenarios] == ["okta staff register"]
    assert [e.format() for e in errors] == [
        f"{tmp_path / 'bad.json'}: not UTF-8 text (byte 0)",
        f"{tmp_path / 'missing.json'}: no such file or folder",
    ]


# --- matching -----------------------------------------------------------------------------

ACTUAL = {
    "outcome": "DENIED",
    "hook_failed": False,
    "http": {"status": 200, "elapsed_ms": 0.2},
    "messages": [
        {"text": "A", "field": "email", "location": "data.userProfile.email"},
        {"text": "B", "field": None, "location": None},
    ],
}


@pytest.mark.parametrize(
    ("expected", "difference"),
    [
        ({}, None),
        ({"outcome": "DENIED"}, None),
        ({"http": {"status": 200}}, None),
        ({"messages": [{"text": "B"}, {"text": "A", "field": "email"}]}, None),
        ({"messages": [{"text": "A"}, {"text": "A"}]}, "matches only items already matched"),
        ({"messages": [{"text": "C"}]}, 'no item matches {"text": "C"}'),
        ({"outcome": "ALLOWED"}, 'outcome: expected "ALLOWED", got "DENIED"'),
        ({"http": {"status": 200.0}}, None),
        ({"hook_failed": 0}, "hook_failed: expected 0, got false"),
        ({"headline": "x"}, 'headline: expected "x", but it is absent'),
        ({"http": []}, "http: expected a list"),
        ({"messages": {"text": "A"}}, "messages: expected an object"),
    ],
)
def test_expect_is_a_subset_of_the_verdict(expected: dict, difference: str | None) -> None:
    found = match_expected(expected, ACTUAL)
    if difference is None:
        assert found is None
    else:
        assert found is not None and difference in found


def test_list_matching_finds_an_assignment_greedy_order_would_miss() -> None:
    actual = [{"a": 1, "b": 2}, {"a": 1}]
    assert match_expected([{"a": 1}, {"b": 2}], actual) is None


# --- running ------------------------------------------------------------------------------


def test_a_failed_call_fails_unless_expected(tmp_path: Path) -> None:
    from app.logic.answer import FailureKind, HookAnswer
    from app.logic.targets import RecordedTarget

    (scenario,) = parse({**GOOD, "expect": {"outcome": "DENIED"}})
    broken = RecordedTarget(HookAnswer(status=500, body=b"boom"))
    result = run_scenario(scenario, lambda _s: broken)
    # The difference names the status the hook answered with, so a 500 reads apart from a 404.
    assert not result.passed and result.difference.startswith("the call failed (HTTP 500): ")
    (expected,) = parse({**GOOD, "expect": {"outcome": "DENIED", "hook_failed": True}})
    assert run_scenario(expected, lambda _s: broken).passed
    # A call that got no HTTP answer at all has no status to name.
    unreachable = RecordedTarget(HookAnswer(status=None, failure=FailureKind.CONNECTION_REFUSED))
    result = run_scenario(scenario, lambda _s: unreachable)
    assert not result.passed and result.difference.startswith("the call failed: ")


def test_no_target_is_a_failure_not_a_crash() -> None:
    (scenario,) = parse({k: v for k, v in GOOD.items() if k != "target"})
    result = run_scenario(scenario, TargetChooser())
    assert not result.passed and "no target" in result.difference


def test_rules_reach_the_bundled_endpoint() -> None:
    (scenario,) = parse(
        {
            **GOOD,
            "generate": {"type": "ssr", "user": "rosario.jones@example.com"},
            "rules": {"allowedDomain": "example.com"},
        }
    )
    assert run_scenario(scenario, TargetChooser()).passed


def test_many_threads_keep_the_order() -> None:
    scenarios = parse({"scenarios": [{**GOOD, "name": f"n{i}"} for i in range(40)]})
    seen: list[int] = []
    results = run_scenarios(
        scenarios, TargetChooser(), jobs=4, on_result=lambda i, _r: seen.append(i)
    )
    assert [r.scenario.name for r in results] == [f"n{i}" for i in range(40)]
    assert sorted(seen) == list(range(40))
    assert all(r.passed for r in results)


def test_a_saved_scenario_passes_as_it_stands(tmp_path: Path) -> None:
    (scenario,) = parse({**GOOD, "generate": {"type": "ssr", "user": "rosario.jones@example.com"}})
    result = run_scenario(scenario, TargetChooser())
    saved = scenario_to_json("saved", scenario.request, result.verdict_json, "/registrationHookSSR")
    assert saved["expect"] == expect_from_verdict(result.verdict_json)
    assert any(m["field"] == "email" for m in saved["expect"]["messages"])
    path = tmp_path / "saved.json"
    path.write_text(json.dumps(saved), encoding="utf-8")
    (again,), errors = load_paths([path])
    assert not errors
    assert run_scenario(again, TargetChooser()).passed


# --- the fast schema check agrees with jsonschema ------------------------------------------

_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=False)
    | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)
_KEYS = ["name", "description", "request", "generate", "target", "rules", "expect", "other"]
_INNER = ["type", "user", "set", "form", "drop", "seed", "allowedDomain", "digits", "x"]


def _near_scenarios() -> st.SearchStrategy:
    inner = st.dictionaries(st.sampled_from(_INNER), _JSON | st.just("ssr"), max_size=5)
    value = _JSON | inner | st.just({}) | st.just("n")
    one = st.dictionaries(st.sampled_from(_KEYS), value, max_size=6)
    return one | st.builds(lambda items: {"scenarios": items}, st.lists(one, max_size=3))


@given(_near_scenarios())
def test_surely_valid_never_accepts_what_the_schema_refuses(value: object) -> None:
    from app.logic.run.scenarios import _validator, surely_valid

    if surely_valid(value):
        assert _validator().is_valid(value)


def test_surely_valid_accepts_the_suite() -> None:
    from app.logic.run.scenarios import surely_valid

    for path in Path(__file__).resolve().parents[2].glob("fixtures/scenarios/**/*.json"):
        assert surely_valid(json.loads(path.read_text(encoding="utf-8"))), path


def test_placing_each_scenario_walks_on_from_the_last(monkeypatch: pytest.MonkeyPatch) -> None:
    # Finding the n-th scenario walked the collection from its first member again: N^2/2
    # members read (a 1 MB file of 2,400 scenarios: minutes). Counted, not timed.
    from app.logic import validation

    reads = 0
    read = validation._Locator._read

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal reads
        reads += 1
        return read(self, *args, **kwargs)

    monkeypatch.setattr(validation._Locator, "_read", counting)
    count = 2000
    items = [dict(GOOD, name=f"case {n}") for n in range(count)]
    text = json.dumps({"scenarios": items}, indent=2)
    scenarios = parse(text)
    assert [s.name for s in scenarios] == [f"case {n}" for n in range(count)]
    lines = text.splitlines()
    for scenario in (scenarios[0], scenarios[1], scenarios[-1]):
        assert lines[scenario.line - 1].strip() == "{"
        assert f'"case {scenario.index}"' in lines[scenario.line]
    assert reads < 3 * count


@pytest.mark.parametrize(
    ("base", "own", "sent_to"),
    [
        (
            "http://127.0.0.1:8082",
            "/registrationHookPP",
            "http://127.0.0.1:8082/registrationHookPP",
        ),
        ("http://127.0.0.1:8082/", "ssr-and-pp", "http://127.0.0.1:8082/registrationHookSSRandPP"),
        ("http://u:p@h:1/?k=v", "ssr", "http://u:p@h:1/registrationHookSSR?k=v"),
        ("http://h:1/hooks", "ssr", "http://h:1/hooks"),  # has a path: used as it is
    ],
)
def test_a_base_url_takes_each_scenarios_endpoint(base: str, own: str, sent_to: str) -> None:
    from app.logic.targets import UrlTarget

    scenario = parse(dict(GOOD, target=own))[0]
    assert TargetChooser(url_target=UrlTarget(base))(scenario).address == sent_to


def test_the_window_sends_a_base_url_to_the_request_types_endpoint() -> None:
    from app.logic.targets.base import call_url, request_type_in

    assert request_type_in('{"data": {}, "requestType" : "progressive.profile"}') == okta.PP
    assert request_type_in('{"requestType": 5}') is None
    assert request_type_in("not json") is None

    assert call_url("http://h:8082", okta.SSR) == "http://h:8082/registrationHookSSR"
    assert call_url("https://h/", okta.PP) == "https://h/registrationHookPP"
    assert call_url("https://h/mine", okta.PP) == "https://h/mine"
    assert call_url("not a url", okta.PP) == "not a url"


def test_valid_scenario_files_load_without_jsonschema() -> None:
    # jsonschema is only asked (and imported) for a file the fast check cannot vouch for.
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys; from app.logic.run.scenarios import load_paths; "
        "found, errors = load_paths(['fixtures/scenarios/guide']); "
        "print(len(found), len(errors), 'jsonschema' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    count, errors, imported = done.stdout.split()
    assert int(count) > 10 and errors == "0"
    assert imported == "False"
