"""A JSON-aware diff of two calls: their answer bodies and their verdicts, side by side.

`json_changes` lists what differs by JSON path (key order and formatting never count);
`side_by_side` lines up the two pretty-printed documents row by row for a two-column view.
`diff_exchanges` works on exchange records and history entries alike; `compare_with_bundled`
runs a call's request through the matching bundled endpoint and diffs the two.
"""

from __future__ import annotations

import difflib
import json
import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.logic import okta

if TYPE_CHECKING:
    from app.logic.org import UserSchema
    from app.logic.run.exchange import Exchange

__all__ = [
    "Change",
    "ExchangeDiff",
    "Row",
    "bundled_endpoint_for",
    "compare_with_bundled",
    "diff_exchanges",
    "json_changes",
    "side_by_side",
]

#: Verdict fields that differ from call to call without meaning anything.
_VOLATILE = ("elapsed_ms",)


@dataclass(frozen=True)
class Change:
    """One difference: `kind` is "added" (only in b), "removed" (only in a) or "changed"."""

    path: str
    kind: str
    before: Any = None
    after: Any = None

    def format(self) -> str:
        where = self.path or "(the whole document)"
        if self.kind == "added":
            return f"+ {where}: {_short(self.after)}"
        if self.kind == "removed":
            return f"- {where}: {_short(self.before)}"
        return f"~ {where}: {_short(self.before)} -> {_short(self.after)}"


@dataclass(frozen=True)
class Row:
    """One row of a side-by-side view: the left and right line (None where a side has none)
    and `tag`: "equal", "replace", "delete" (left only) or "insert" (right only)."""

    left: str | None
    right: str | None
    tag: str


@dataclass(frozen=True)
class ExchangeDiff:
    """Two calls compared: the labels of the two sides, and for the body and the verdict the
    changes by path and the side-by-side rows."""

    left_label: str
    right_label: str
    body_changes: tuple[Change, ...]
    verdict_changes: tuple[Change, ...]
    body_rows: tuple[Row, ...]
    verdict_rows: tuple[Row, ...]

    @property
    def same(self) -> bool:
        return not self.body_changes and not self.verdict_changes

    def to_text(self) -> str:
        lines = [f"a: {self.left_label}", f"b: {self.right_label}", "", "Answer body:"]
        lines += [f"  {c.format()}" for c in self.body_changes] or ["  the same"]
        lines += ["", "Verdict:"]
        lines += [f"  {c.format()}" for c in self.verdict_changes] or ["  the same"]
        return "\n".join(lines)


def _short(value: Any, limit: int = 100) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _equal(a: Any, b: Any) -> bool:
    return (type(a) is type(b) and a == b) or (
        isinstance(a, int | float)
        and isinstance(b, int | float)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
        and a == b
    )


def json_changes(a: Any, b: Any) -> list[Change]:
    """What differs between two JSON values, by path. Objects are compared key by key (order
    does not count); lists by matching equal items first (see `_walk_list`)."""
    from app.logic.validation import format_path

    found: list[tuple[tuple[str | int, ...], str, Any, Any]] = []
    _walk(a, b, (), found)
    return [Change(format_path(parts), kind, before, after) for parts, kind, before, after in found]


_Found = list[tuple[tuple[str | int, ...], str, Any, Any]]


def _walk(a: Any, b: Any, parts: tuple[str | int, ...], found: _Found) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a:
            if key not in b:
                found.append(((*parts, key), "removed", a[key], None))
            else:
                _walk(a[key], b[key], (*parts, key), found)
        found.extend(((*parts, k), "added", None, b[k]) for k in b if k not in a)
        return
    if isinstance(a, list) and isinstance(b, list):
        _walk_list(a, b, parts, found)
        return
    if not _equal(a, b):
        found.append((parts, "changed", a, b))


def _walk_list(a: list[Any], b: list[Any], parts: tuple[str | int, ...], found: _Found) -> None:
    """Items are matched by content, not by position: one warning added in front of six is
    one added item, not seven changed ones. Items that only differ inside (a message whose
    text changed) are compared member by member; the paths name b's index (a's for removals).
    """
    matcher = difflib.SequenceMatcher(
        a=[_identity(item) for item in a], b=[_identity(item) for item in b], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for n in range(paired):
            _walk(a[i1 + n], b[j1 + n], (*parts, j1 + n), found)
        found.extend(((*parts, i), "removed", a[i], None) for i in range(i1 + paired, i2))
        found.extend(((*parts, j), "added", None, b[j]) for j in range(j1 + paired, j2))


def _identity(value: Any) -> str:
    """A list item as text that is equal exactly when two items are (`_equal`'s rules: key
    order never counts, 1 and 1.0 are the same number, True is not 1)."""
    return json.dumps(_canonical(value), sort_keys=True, ensure_ascii=False)


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _pretty(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.splitlines()
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True).splitlines()


def side_by_side(a: Any, b: Any) -> list[Row]:
    """The two values pretty-printed (keys sorted, so order never shows as a change) and lined
    up row by row."""
    left, right = _pretty(a), _pretty(b)
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(a=left, b=right, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [Row(left[i], right[j1 + n], "equal") for n, i in enumerate(range(i1, i2))]
            continue
        count = max(i2 - i1, j2 - j1)
        for n in range(count):
            lt = left[i1 + n] if i1 + n < i2 else None
            rt = right[j1 + n] if j1 + n < j2 else None
            kind = (
                "replace"
                if lt is not None and rt is not None
                else ("delete" if lt is not None else "insert")
            )
            rows.append(Row(lt, rt, kind))
    return rows


# ---------------------------------------------------------------------------------------------
# Calls: exchange records and history entries


def _sides(record: Exchange) -> tuple[Any, dict[str, Any] | None, str]:
    """(answer body as JSON or text, verdict JSON, label) of a call, live or read back."""
    return record.response_value(), record.verdict_json(), record.side_label()


def _stable_verdict(verdict: dict[str, Any] | None) -> dict[str, Any] | None:
    if verdict is None:
        return None
    stable = {k: v for k, v in verdict.items() if k != "response"}
    if isinstance(stable.get("http"), dict):
        stable["http"] = {k: v for k, v in stable["http"].items() if k not in _VOLATILE}
    return stable


def diff_exchanges(a: Exchange, b: Exchange) -> ExchangeDiff:
    """Compare two calls (live, or read back from the history with `HistoryEntry.exchange`):
    their answer bodies and their verdicts (timing left out: it differs every time)."""
    body_a, verdict_a, label_a = _sides(a)
    body_b, verdict_b, label_b = _sides(b)
    verdict_a, verdict_b = _stable_verdict(verdict_a), _stable_verdict(verdict_b)
    return ExchangeDiff(
        left_label=label_a,
        right_label=label_b,
        body_changes=tuple(json_changes(body_a, body_b)),
        verdict_changes=tuple(json_changes(verdict_a, verdict_b)),
        body_rows=tuple(side_by_side(body_a, body_b)),
        verdict_rows=tuple(side_by_side(verdict_a, verdict_b)),
    )


def bundled_endpoint_for(url: str, request: Any) -> str:
    """The bundled endpoint that matches a call: the one its URL's path names, else the one
    for its request type (progressive profile -> PP, anything else -> SSR)."""
    try:
        path = urllib.parse.urlsplit(url).path if "://" in url else url.partition(":")[2] or url
    except ValueError:
        path = ""
    lowered = path.rstrip("/").lower()
    for endpoint in okta.ENDPOINTS.values():
        if lowered.endswith(endpoint.lower()):
            return endpoint
    kind = request.get("requestType") if isinstance(request, dict) else None
    return okta.ENDPOINTS["pp"] if kind == okta.PP else okta.ENDPOINTS["ssr"]


def compare_with_bundled(
    record: Exchange,
    *,
    schema: UserSchema | None = None,
    rules: Any = None,
    reading: str = "strict",
) -> tuple[Exchange, ExchangeDiff]:
    """Run `record`'s request through the matching bundled endpoint and diff the two calls
    (the record on the left, the bundled logic on the right, judged the `reading` way)."""
    from app.logic.run.pipeline import run_exchange
    from app.logic.targets import BundledTarget

    body = record.request_bytes
    request: Any = record.request
    if request is None:
        from app.logic.jsontext import loads

        try:
            request = loads(body)
        except (ValueError, RecursionError):
            request = None
    endpoint = bundled_endpoint_for(record.url, request)
    target = BundledTarget(endpoint, rules) if rules is not None else BundledTarget(endpoint)
    bundled = run_exchange(body, target, schema=schema, reading=reading)
    return bundled, diff_exchanges(record, bundled)
