"""Scenarios: a request (given or generated), where to send it, and what the verdict must say.

A scenario file holds one scenario or `{"scenarios": [...]}`; `load_paths` reads files and
folders (recursively, `*.json`), checks them against `schemas/scenario.schema.json` and
reports each bad file in one line with its line and column. `match_expected` compares an
`expect` object with `Verdict.to_json()` as a subset and names the first difference.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.logic.files import MAX_REQUEST_FILE_BYTES
from app.logic.resources import schemas_dir

if TYPE_CHECKING:
    from app.logic.org import DemoOrg
    from app.logic.validation import TextPlaces

__all__ = [
    "MAX_SCENARIO_FILE_BYTES",
    "Scenario",
    "ScenarioError",
    "expect_from_verdict",
    "find_scenario_files",
    "load_file",
    "load_paths",
    "match_expected",
    "scenario_to_json",
]

#: A scenario file is read whole; anything bigger is surely not one.
MAX_SCENARIO_FILE_BYTES = MAX_REQUEST_FILE_BYTES


@dataclass(frozen=True)
class ScenarioError(Exception):
    """A scenario file that cannot be used: where (line and column) and what is wrong."""

    path: str
    message: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return self.format()

    def format(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Scenario:
    """One scenario, its request already built (as the bytes that go on the wire)."""

    name: str
    path: str  # the file it came from
    index: int | None  # its place in a `{"scenarios": [...]}` file, None for a one-scenario file
    line: int  # where it starts in the file
    request: Any
    request_bytes: bytes
    expect: dict[str, Any]
    target: str | None = None  # an endpoint name or path, or a URL
    rules: dict[str, Any] | None = None
    description: str = ""
    source: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def label(self) -> str:
        """`file.json` or `file.json#3`: where a person finds it."""
        return self.path if self.index is None else f"{self.path}#{self.index + 1}"

    @property
    def expects_failure(self) -> bool:
        """True when the scenario says the call itself fails (Okta's failure path)."""
        return self.expect.get("hook_failed") is True


# ---------------------------------------------------------------------------------------------
# Finding and reading files


def find_scenario_files(paths: Iterable[str | Path]) -> Iterator[tuple[str, Path | None]]:
    """Each scenario file under `paths` (a folder is searched recursively for `*.json`, in
    name order). A path that does not exist comes back with None."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for found in sorted(path.rglob("*.json")):
                if found.is_file():
                    yield str(found), found
        elif path.exists():
            yield str(given), path
        else:
            yield str(given), None


def load_paths(
    paths: Iterable[str | Path], org: DemoOrg | None = None
) -> tuple[list[Scenario], list[ScenarioError]]:
    """Every scenario under `paths`, and one error per file that is not a valid scenario file."""
    scenarios: list[Scenario] = []
    errors: list[ScenarioError] = []
    org_for = _org_getter(org)  # the demo org is read once for the whole run, when needed
    for shown, path in find_scenario_files(paths):
        if path is None:
            errors.append(ScenarioError(shown, "no such file or folder"))
            continue
        try:
            scenarios.extend(_load_file(path, shown, org_for))
        except ScenarioError as exc:
            errors.append(exc)
    return scenarios, errors


def load_file(
    path: Path, org: DemoOrg | None = None, *, shown: str | None = None
) -> list[Scenario]:
    """The scenarios of one file; ScenarioError (with line and column) when it is not valid."""
    return _load_file(path, shown or str(path), _org_getter(org))


def _org_getter(org: DemoOrg | None) -> Callable[[], DemoOrg]:
    """`org`, or the bundled demo org read on first use and then kept."""
    if org is not None:
        given = org
        return lambda: given

    @cache
    def demo_org() -> DemoOrg:
        from app.logic.org import load_demo_org

        return load_demo_org()

    return demo_org


def _load_file(path: Path, shown: str, org_for: Callable[[], DemoOrg]) -> list[Scenario]:
    from app.logic.files import FileRefusedError, read_regular_file

    try:
        data = read_regular_file(path, MAX_SCENARIO_FILE_BYTES)
    except FileRefusedError as refused:
        raise ScenarioError(shown, f"{refused}: not a scenario file") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(shown, f"not UTF-8 text (byte {exc.start})") from None
    return _parse_scenarios(text, shown, org_for)


def parse_scenarios(text: str, shown: str, org: DemoOrg | None = None) -> list[Scenario]:
    """The scenarios in `text` (the content of the file `shown`)."""
    return _parse_scenarios(text, shown, _org_getter(org))


def _parse_scenarios(text: str, shown: str, org_for: Callable[[], DemoOrg]) -> list[Scenario]:
    from app.logic.validation import TextPlaces, parse_json

    value, problem = parse_json(text)
    if problem is not None:
        raise ScenarioError(shown, problem.message, problem.line, problem.column)
    # One walk of the text places every scenario: each placed alone would parse it again.
    places = TextPlaces(text, value)
    _check_schema(places, value, shown)
    if isinstance(value, dict) and "scenarios" in value:
        items = [
            (index, item, ("scenarios", index)) for index, item in enumerate(value["scenarios"])
        ]
    else:
        items = [(None, value, ())]
    built = []
    for index, item, parts in items:
        built.append(_build(places, shown, index, item, parts, org_for))
    return built


# ---------------------------------------------------------------------------------------------
# Checking against the schema


@cache
def _validator() -> Any:
    import json

    from jsonschema import Draft202012Validator

    with (schemas_dir() / "scenario.schema.json").open(encoding="utf-8") as handle:
        return Draft202012Validator(json.load(handle))


def _where(places: TextPlaces, parts: Sequence[str | int], at_key: bool = False) -> tuple[int, int]:
    import json

    text = places.text
    offset = places.offset(parts)
    if at_key and parts and isinstance(parts[-1], str):
        key_at = text.rfind(json.dumps(parts[-1], ensure_ascii=False), 0, offset)
        offset = key_at if key_at >= 0 else offset
    return places.line_column(offset)


def _fail(
    places: TextPlaces,
    shown: str,
    parts: Sequence[str | int],
    message: str,
    at_key: bool = False,
) -> ScenarioError:
    from app.logic.validation import format_path

    line, column = _where(places, parts, at_key)
    path = format_path(parts)
    return ScenarioError(shown, f"{path}: {message}" if path else message, line, column)


def _schema_message(error: Any) -> tuple[list[str | int], str, bool]:
    from app.logic.validation import closest_name, json_kind

    parts = list(error.absolute_path)
    keyword = error.validator
    if keyword == "required":
        missing = [n for n in error.validator_value if n not in (error.instance or {})]
        names = " and ".join(f'"{n}"' for n in missing)
        return parts, f"missing required key {names}", False
    if keyword == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extras = [key for key in error.instance if key not in allowed]
        key = extras[0]
        close = closest_name(key, allowed)
        hint = f'; did you mean "{close}"?' if close else f"; use {', '.join(allowed)}"
        return [*parts, key], f'unknown key "{key}"{hint}', True
    if keyword == "type":
        wanted = error.validator_value
        wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
        return parts, f"must be {wanted}, not {json_kind(error.instance)}", False
    if keyword in ("minLength", "minItems"):
        return parts, "must not be empty", False
    if keyword == "minimum":
        return parts, f"must be at least {error.validator_value}", False
    return parts, str(error.message), False


# A check of the schema's own rules in plain Python, for speed: a run of 1,000 files would
# spend most of its time in jsonschema otherwise. It only ever says "surely valid"; anything
# else goes to jsonschema, which has the last word and the words for the message.
_SCENARIO_KEYS = frozenset(
    {"name", "description", "request", "generate", "target", "rules", "expect"}
)
_GENERATE_KEYS = frozenset({"type", "user", "set", "form", "drop", "seed"})


def _text_ok(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def _names_ok(value: Any) -> bool:
    return isinstance(value, list) and all(_text_ok(item) for item in value)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _generate_ok(spec: Any) -> bool:
    if not isinstance(spec, dict) or not spec.keys() <= _GENERATE_KEYS:
        return False
    if not (_text_ok(spec.get("type")) and _text_ok(spec.get("user"))):
        return False
    typed = spec.get("set", {})
    if not isinstance(typed, dict) or any(isinstance(v, dict) for v in typed.values()):
        return False
    return (
        _names_ok(spec.get("form", []))
        and _names_ok(spec.get("drop", []))
        and _whole(spec.get("seed", 0))
    )


def _rules_ok(rules: Any) -> bool:
    if not isinstance(rules, dict) or not rules.keys() <= {"allowedDomain", "digits"}:
        return False
    digits = rules.get("digits", 1)
    return _text_ok(rules.get("allowedDomain", "x")) and _whole(digits) and digits >= 1


def _scenario_ok(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and item.keys() <= _SCENARIO_KEYS
        and _text_ok(item.get("name"))
        and isinstance(item.get("expect"), dict)
        and isinstance(item.get("description", ""), str)
        and isinstance(item.get("request", {}), dict)
        and _text_ok(item.get("target", "x"))
        and ("generate" not in item or _generate_ok(item["generate"]))
        and ("rules" not in item or _rules_ok(item["rules"]))
    )


def surely_valid(value: Any) -> bool:
    """True when `value` certainly passes scenario.schema.json (False means: ask jsonschema)."""
    if isinstance(value, dict) and "scenarios" in value:
        items = value["scenarios"]
        return (
            len(value) == 1
            and isinstance(items, list)
            and bool(items)
            and all(_scenario_ok(item) for item in items)
        )
    return _scenario_ok(value)


def _check_schema(places: TextPlaces, value: Any, shown: str) -> None:
    if surely_valid(value):
        return  # no jsonschema at all: importing it is a tenth of a short `check` run
    from jsonschema.exceptions import relevance

    try:
        errors = sorted(_validator().iter_errors(value), key=lambda e: list(e.absolute_path))
    except RecursionError:
        raise ScenarioError(shown, "nested too deeply to check") from None
    if not errors:
        return
    # The deepest error is the one a person can fix; among equals, jsonschema's own ranking.
    first = max(errors, key=lambda e: (len(e.absolute_path), -relevance(e)[0]))
    parts, message, at_key = _schema_message(first)
    raise _fail(places, shown, parts, message, at_key)


# ---------------------------------------------------------------------------------------------
# Building one scenario


def _build(
    places: TextPlaces,
    shown: str,
    index: int | None,
    item: dict[str, Any],
    parts: tuple[str | int, ...],
    org_for: Callable[[], DemoOrg],
) -> Scenario:
    from app.logic.jsontext import dumps

    has_request, has_generate = "request" in item, "generate" in item
    if has_request == has_generate:
        message = (
            'give exactly one of "request" or "generate", not both'
            if has_request
            else 'needs a "request" (the request as sent) or a "generate" (how to build one)'
        )
        raise _fail(places, shown, parts, message)
    request = item["request"] if has_request else _generate(places, shown, item, parts, org_for)
    target = item.get("target")
    if target is not None:
        problem = _target_problem(target)
        if problem:
            raise _fail(places, shown, (*parts, "target"), problem)
    rules = item.get("rules")
    if rules is not None:
        from app.logic.bundled_hook import HookRules

        try:
            HookRules(**_rule_kwargs(rules))
        except ValueError as exc:
            raise _fail(places, shown, (*parts, "rules"), str(exc)) from None
    line, _column = _where(places, parts)
    return Scenario(
        name=item["name"],
        path=shown,
        index=index,
        line=line,
        request=request,
        request_bytes=dumps(request, indent=None).encode("utf-8"),
        expect=item["expect"],
        target=target,
        rules=rules,
        description=item.get("description", ""),
        source=item,
    )


def _rule_kwargs(rules: dict[str, Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    if "allowedDomain" in rules:
        kwargs["allowed_domain"] = rules["allowedDomain"]
    if "digits" in rules:
        kwargs["digits"] = rules["digits"]
    return kwargs


def _target_problem(target: str) -> str | None:
    from app.logic.targets.bundled import endpoint_path

    if target.startswith(("http://", "https://")):
        return None
    try:
        endpoint_path(target)
    except ValueError as exc:
        return f"{exc} (or give a URL)"
    return None


def _generate(
    places: TextPlaces,
    shown: str,
    item: dict[str, Any],
    parts: tuple[str | int, ...],
    org_for: Callable[[], DemoOrg],
) -> Any:
    from app.logic.request_builder import build_request, normalise_request_type, policy_fields

    spec = item["generate"]
    at = (*parts, "generate")
    try:
        kind = normalise_request_type(spec["type"])
    except ValueError as exc:
        raise _fail(places, shown, (*at, "type"), str(exc)) from None
    org = org_for()
    user = org.find(spec["user"])
    if user is None:
        matches = org.search(spec["user"])
        if len(matches) != 1:
            found = "no user" if not matches else f"{len(matches)} users"
            raise _fail(places, shown, (*at, "user"), f"{found} of the org match; give a login")
        user = matches[0]
    if "password" in spec.get("set", {}):
        raise _fail(places, shown, (*at, "set", "password"), "Okta never sends the password")
    seed = spec.get("seed", zlib.crc32(item["name"].encode("utf-8")))
    # The form is the scenario's `form`, else the one the guide's policy for its target has.
    fields = spec.get("form") or policy_fields(item.get("target"), kind)
    request = build_request(
        kind, user, form=dict(spec.get("set", {})) or None, fields=fields, seed=seed
    )
    for number, dotted in enumerate(spec.get("drop", [])):
        if not _drop(request, dotted):
            raise _fail(places, shown, (*at, "drop", number), f"the built request has no {dotted}")
    return request


def _drop(value: Any, dotted: str) -> bool:
    *parents, last = dotted.split(".")
    for key in parents:
        if not isinstance(value, dict) or key not in value:
            return False
        value = value[key]
    if not isinstance(value, dict) or last not in value:
        return False
    del value[last]
    return True


# ---------------------------------------------------------------------------------------------
# Matching an expectation against a verdict


def match_expected(expected: Any, actual: Any, path: tuple[str | int, ...] = ()) -> str | None:
    """None when `expected` is a subset of `actual`; else the first difference, in words.

    Objects match key by key, recursively; a list matches when each expected item matches a
    different actual item (any order); any other value must be equal (1 and 1.0 are equal,
    true and 1 are not).
    """
    from app.logic.validation import format_path

    where = format_path(path) or "the verdict"
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{where}: expected an object, got {_short(actual)}"
        for key, item in expected.items():
            if key not in actual:
                return f"{format_path((*path, key))}: expected {_short(item)}, but it is absent"
            found = match_expected(item, actual[key], (*path, key))
            if found is not None:
                return found
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return f"{where}: expected a list, got {_short(actual)}"
        return _match_list(expected, actual, path, where)
    if _same(expected, actual):
        return None
    return f"{where}: expected {_short(expected)}, got {_short(actual)}"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b and (isinstance(a, int | float) == isinstance(b, int | float))


def _match_list(
    expected: list[Any], actual: list[Any], path: tuple[str | int, ...], where: str
) -> str | None:
    fits = [
        [j for j, got in enumerate(actual) if match_expected(want, got, (*path, j)) is None]
        for want in expected
    ]
    owner: dict[int, int] = {}  # actual index -> expected index (Kuhn's matching)

    def assign(i: int, seen: set[int]) -> bool:
        for j in fits[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or assign(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i, want in enumerate(expected):
        if assign(i, set()):
            continue
        if not fits[i]:
            if not actual:
                return f"{where}: expected an item like {_short(want)}, but the list is empty"
            closest = _closest_difference(want, actual, path)
            return f"{where}: no item matches {_short(want)} ({closest})"
        return f"{where}: {_short(want)} matches only items already matched by others"
    return None


def _closest_difference(want: Any, actual: list[Any], path: tuple[str | int, ...]) -> str:
    if len(actual) == 1:
        return match_expected(want, actual[0], (*path, 0)) or ""
    return f"got {_short(actual)}"


def _short(value: Any, limit: int = 120) -> str:
    from app.logic.jsontext import dumps

    try:
        text = dumps(value, indent=None)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ---------------------------------------------------------------------------------------------
# Writing scenarios


def expect_from_verdict(verdict_json: dict[str, Any]) -> dict[str, Any]:
    """What a saved scenario expects of a verdict: its outcome and the messages the person sees
    (and `hook_failed` when the call failed, so the saved scenario passes as it stands)."""
    expect: dict[str, Any] = {"outcome": verdict_json["outcome"]}
    if verdict_json.get("hook_failed"):
        expect["hook_failed"] = True
    messages = [{"text": m["text"], "field": m["field"]} for m in verdict_json.get("messages", [])]
    if messages:
        expect["messages"] = messages
    return expect


def scenario_to_json(
    name: str, request: Any, verdict_json: dict[str, Any], target: str | None = None
) -> dict[str, Any]:
    """A scenario for the request as it stands and the verdict it got (ready to save)."""
    scenario: dict[str, Any] = {"name": name}
    if target:
        scenario["target"] = target
    scenario["request"] = request
    scenario["expect"] = expect_from_verdict(verdict_json)
    return scenario
