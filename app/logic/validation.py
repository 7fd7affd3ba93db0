"""Parse and validate hook requests and responses against the JSON Schemas in `schemas/`.

Every problem comes back with its JSON path, its line and column in the text and a plain message.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right, insort
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from json.decoder import scanstring
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

from app.logic import jsontext, okta
from app.logic.resources import schemas_dir

__all__ = [
    "MAX_PROBLEMS",
    "Issue",
    "Problem",
    "TextPlaces",
    "ValidationResult",
    "format_path",
    "infer_request_type",
    "inferred_type_note",
    "locate",
    "parse_json",
    "request_engine",
    "response_is_valid",
    "validate_request",
    "validate_request_value",
    "validate_response",
    "validate_response_value",
]

MAX_PROBLEMS = 500
"""At most this many problems are reported for one document; a last one says more were left out."""

PathPart = str | int


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document, placed in its text."""

    path: str  # "commands[0].type", "data.userProfile.email", "" for the root
    message: str  # plain English
    line: int  # 1-based
    column: int  # 1-based, in characters
    offset: int  # 0-based character offset of the offending token
    length: int  # characters to underline (>= 1); an object or array is marked by its bracket
    kind: str  # "parse" | "schema"
    snippet: str = ""  # parse errors: the offending line and a caret under the spot

    def format(self) -> str:
        """`LINE:COL PATH: message`, the path left out when it is the root."""
        where = f"{self.line}:{self.column}"
        if self.path:
            return f"{where} {self.path}: {self.message}"
        return f"{where} {self.message}"


@dataclass(frozen=True)
class Issue:
    """A schema problem in a parsed value, before it is placed in any text."""

    parts: tuple[PathPart, ...]
    message: str
    at_key: bool = False  # the problem is the key itself (a key Okta does not read)

    @property
    def path(self) -> str:
        return format_path(self.parts)


@dataclass(frozen=True)
class ValidationResult:
    """The parsed document (None when it did not parse) and everything wrong with it."""

    value: Any | None
    problems: tuple[Problem, ...]
    engine: str | None  # requests: "identity" | "classic"; None when not an object
    parsed: bool = True  # False when the text is not JSON (`value` is then None)

    @property
    def ok(self) -> bool:
        return not self.problems


# ---------------------------------------------------------------------------------------------
# Paths

_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*\Z")


def format_path(parts: Iterable[PathPart]) -> str:
    """`("commands", 0, "type")` -> `commands[0].type`; odd keys are quoted: `a["b c"]`."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _IDENTIFIER.match(part):
            out.append(f".{part}" if out else part)
        else:
            out.append(f"[{json.dumps(part, ensure_ascii=False)}]")
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Positions

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


# A value's place in the text: (key_start, key_end, start, end). key_start is the key's opening
# quote (equal to start for array items and the root); end is one past the value's last character,
# or -1 for an object or array whose end was not needed yet.
_Span = tuple[int, int, int, int]
_Member = tuple[Any, int, int, int, int]  # key (or index), key_start, key_end, start, end

_WS = r"[ \t\n\r]*+"
_STRING = r'"[^"\\]*+(?:\\.[^"\\]*+)*+"'
_ATOM = _STRING + r"|-?[0-9]++(?:\.[0-9]++)?(?:[eE][-+]?[0-9]++)?|true|false|null"
# A scalar, or an array of scalars (profile attributes are one or the other).
_SCALAR = rf"(?:{_ATOM}|\[{_WS}(?:(?:{_ATOM}){_WS},{_WS})*+(?:{_ATOM})?{_WS}\])"
_KEY_TEXT = r'"([^"\\]*+(?:\\.[^"\\]*+)*+)"'


@cache
def _readers() -> tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]]:
    """The member, item and separator matchers, compiled on first use (~2 ms): the window
    imports this module at start, where nothing is located yet.

    One member match reads a key, its colon and, when the value is a scalar (or an array of
    them), the value: group 1 = the key's text, group 2 = the value (None when it is a
    container). An item match reads a scalar item the same way (group 1).
    """
    return (
        re.compile(f"{_KEY_TEXT}{_WS}:{_WS}({_SCALAR})?").match,
        re.compile(f"({_SCALAR})?").match,
        re.compile(f"{_WS}(,?){_WS}").match,
    )


# Skip 32 (or 8) scalar members or items in one match, in C, when looking for the n-th one; a
# failed long stride (an object ahead) falls back to the short one, then to one at a time.
_STRIDES = (32, 8)


@cache
def _strides(is_object: bool) -> tuple[tuple[int, Callable[..., Any]], ...]:
    """The stride matchers, compiled on first use (they cost ~15 ms, not worth it at start)."""
    unit = f"{_STRING}{_WS}:{_WS}{_SCALAR}" if is_object else _SCALAR
    return tuple((size, re.compile(f"(?:{unit}{_WS},{_WS}){{{size}}}").match) for size in _STRIDES)


class _Locator:
    """Finds values in JSON text by path; only used on text that parsed.

    With the parsed value at hand, the member a path names is found by its index: runs of scalar
    siblings are skipped 32 at a time by one regular-expression match, other siblings with the C
    decoder (`raw_decode`). Where the index could mislead (a repeated key), the container is
    scanned member by member instead, keeping the last occurrence of a key as `json` does.
    """

    def __init__(self, text: str, value: Any) -> None:
        self.text = text
        start = _WHITESPACE.match(text).end()
        end = len(text.rstrip(" \t\n\r"))
        self._spans: dict[tuple[PathPart, ...], _Span] = {(): (start, start, start, end)}
        self._values: dict[tuple[PathPart, ...], Any] = {(): value}
        self._children: dict[tuple[PathPart, ...], dict[Any, _Span]] = {}
        self._marks: dict[tuple[PathPart, ...], tuple[dict[int, int], list[int]]] = {}
        self._indexes: dict[tuple[PathPart, ...], dict[str, int]] = {}
        self._last_backslash: int | None = None

    # -- reading one member -------------------------------------------------------------------

    def _read(self, pos: int, index: int, is_object: bool, need_end: bool = True) -> _Member:
        """The member (or item) starting at `pos`; a container's end is -1 unless `need_end`."""
        text = self.text
        match_member, match_item, _ = _readers()
        if is_object:
            match = match_member(text, pos)
            if match is None:  # not reached for text that parsed
                raise ValueError("expected a key")
            key: Any = match.group(1)
            if "\\" in key:
                key = scanstring(text, pos + 1)[0]
            key_end, group = match.end(1) + 1, 2
        else:
            match = match_item(text, pos)
            key, key_end, group = index, pos, 1
        if match.group(group) is not None:
            start, end = match.span(group)
        else:  # an object or an array of containers: the C decoder finds its end
            start = match.end()
            end = _DECODER.raw_decode(text, start)[1] if need_end else -1
        return key, pos, key_end, start, end

    def _after(self, end: int) -> int | None:
        """Where the next sibling starts after a value ending at `end`; None after the last."""
        separator = _readers()[2](self.text, end)
        return separator.end() if separator.group(1) else None

    def _first(self, span: _Span) -> int | None:
        pos = _WHITESPACE.match(self.text, span[2] + 1).end()
        return None if self.text[pos] in "}]" else pos

    # -- the slow, always-right way: every member ----------------------------------------------

    def _scan(self, parts: tuple[PathPart, ...], span: _Span) -> dict[Any, _Span]:
        """Every child of the container at `parts` (a repeated key: the last, as json keeps)."""
        found = self._children.get(parts)
        if found is not None:
            return found
        is_object = self.text[span[2]] == "{"
        children: dict[Any, _Span] = {}
        pos = self._first(span)
        index = 0
        while pos is not None:
            key, key_start, key_end, start, end = self._read(pos, index, is_object)
            children[key] = (key_start, key_end, start, end)
            index += 1
            pos = self._after(end)
        self._children[parts] = children
        return children

    # -- the fast way: straight to the n-th member ---------------------------------------------

    def _nth(
        self, parts: tuple[PathPart, ...], span: _Span, index: int, need_end: bool
    ) -> _Member | None:
        """The `index`-th member of the container at `parts` in text order, or None."""
        is_object = self.text[span[2]] == "{"
        marks = self._marks.get(parts)
        if marks is None:
            first = self._first(span)
            if first is None:
                return None
            marks = self._marks[parts] = ({0: first}, [0])
        positions, counts = marks
        count = counts[bisect_right(counts, index) - 1]
        pos: int | None = positions[count]
        strides = _strides(is_object)
        while pos is not None and count < index:
            for size, stride in strides:
                match = stride(self.text, pos) if index - count >= size else None
                if match is not None:
                    count, pos = count + size, match.end()
                    if count not in positions:
                        positions[count] = pos
                        insort(counts, count)
                    break
            else:
                pos = self._after(self._read(pos, count, is_object)[4])
                count += 1
                # Kept too, so that asking for the next member, then the next, walks on from
                # here instead of from the first (placing N scenarios in one file stays linear).
                if pos is not None and count not in positions:
                    positions[count] = pos
                    insort(counts, count)
        return None if pos is None else self._read(pos, index, is_object, need_end)

    def _member(
        self, parts: tuple[PathPart, ...], span: _Span, container: Any, part: PathPart, last: bool
    ) -> _Span | None:
        if isinstance(container, list):
            found = self._nth(parts, span, part, False) if isinstance(part, int) else None
            return None if found is None else found[1:]
        indexes = self._indexes.get(parts)
        if indexes is None:
            indexes = self._indexes[parts] = {key: i for i, key in enumerate(container)}
        found = self._nth(parts, span, indexes[part], False)
        if found is not None and found[0] == part:
            if last:
                # The value the path ends at: any occurrence holding the value json kept will do.
                if _DECODER.raw_decode(self.text, found[3])[0] == container[part]:
                    return found[1:]
            elif self._last_occurrence(part, found, span):
                return found[1:]
        return self._scan(parts, span).get(part)

    def _last_occurrence(self, key: str, found: _Member, container: _Span) -> bool:
        """True when no later member of the container can repeat `key`.

        A repeat would hold the key's text, or (spelled with escapes) a backslash; when neither
        occurs after this member's value starts, it is the one json kept. (Where the container's
        end is not known yet, the rest of the text is searched: a needless doubt costs a scan.)
        """
        text = self.text
        after = found[4] if found[4] >= 0 else found[3]
        stop = container[3] if container[3] >= 0 else len(text)
        if self._last_backslash is None:
            self._last_backslash = text.rfind("\\")
        quoted = json.dumps(key, ensure_ascii=False)
        return (
            quoted[1:-1] == key
            and self._last_backslash < after
            and text.find(quoted, after, stop) == -1
        )

    def span(self, parts: Sequence[PathPart]) -> _Span:
        """The span of the value at `parts`, or of its deepest ancestor present in the text."""
        path = tuple(parts)
        known = self._spans.get(path)
        if known is not None:
            return known
        current = self._spans[()]
        for depth in range(len(path)):
            prefix = path[: depth + 1]
            cached = self._spans.get(prefix)
            if cached is not None:
                current = cached
                continue
            parent = path[:depth]
            container = self._values[parent]
            part = path[depth]
            if isinstance(container, dict):
                present = isinstance(part, str) and part in container
            elif isinstance(container, list):
                present = type(part) is int and 0 <= part < len(container)
            else:
                present = False
            if not present:
                return current
            child = self._member(parent, current, container, part, depth == len(path) - 1)
            if child is None:
                return current
            self._spans[prefix] = child
            self._values[prefix] = container[part]  # type: ignore[index]
            current = child
        return current


class TextPlaces:
    """Offsets of many paths in one JSON text, parsing and walking it once for all of them.

    `locate` costs a parse of the whole text per call; a file of N scenarios placed one by one
    that way costs N parses. This keeps one locator, and counts lines from the last place asked
    for, so a caller asking in text order pays for each part of the text once.
    """

    def __init__(self, text: str, value: Any) -> None:
        self.text = text
        self._locator = _Locator(text, value)
        self._counted_to = 0
        self._lines_before = 0  # line feeds in text[:_counted_to]
        self._line_start = 0  # where the line holding _counted_to starts

    def offset(self, path: Sequence[PathPart]) -> int:
        """Where the value at `path` starts (its deepest ancestor present, or 0). Never raises."""
        try:
            return self._locator.span(path)[2]
        except (ValueError, IndexError, KeyError, RecursionError):
            return 0

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column of `offset`."""
        text = self.text
        if offset < self._counted_to:
            line_start = text.rfind("\n", 0, offset) + 1
            return text.count("\n", 0, offset) + 1, offset - line_start + 1
        # A file on one line (json.dumps without indent) must not be searched back to its start
        # each time: the last line start seen so far is kept.
        newline = text.rfind("\n", self._counted_to, offset)
        if newline >= 0:
            self._lines_before += text.count("\n", self._counted_to, offset)
            self._line_start = newline + 1
        self._counted_to = offset
        return self._lines_before + 1, offset - self._line_start + 1


def locate(text: str, path: Sequence[PathPart]) -> tuple[int, int]:
    """`(offset, length)` of the value at `path` in `text` (the whole value's span).

    When the path is not there, the deepest enclosing value present is given instead; when the
    text is not JSON, `(0, 1)`. Never raises.
    """
    value, problem = parse_json(text)
    if problem is not None:
        return 0, 1
    try:
        _, _, start, end = _Locator(text, value).span(path)
        if end < 0:
            end = _DECODER.raw_decode(text, start)[1]
    except (ValueError, IndexError, KeyError, RecursionError):
        return 0, 1
    return start, max(1, end - start)


# ---------------------------------------------------------------------------------------------
# Parsing


_STRING_OR_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)')
_STRING_OR_HUGE_FLOAT = re.compile(
    r'"(?:[^"\\]|\\.)*"|(-?[0-9]+(?:\.[0-9]+)?[eE]\+?[0-9]{3,}|-?[0-9]{309,}(?:\.[0-9]+)?)'
)
_STRING_OR_HUGE_INT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?[0-9]{4000,})')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_JSON_WORDS = {"True": "true", "False": "false", "None": "null", "TRUE": "true", "FALSE": "false"}


def _find_token(text: str, pattern: re.Pattern[str]) -> tuple[int, int]:
    for match in pattern.finditer(text):
        if match.group(1):
            return match.start(1), len(match.group(1))
    return 0, 1


def _snippet(text: str, offset: int, width: int = 76) -> str:
    """The line holding `offset` (cut to `width` around it) with a caret under the spot."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    if line_end == -1:
        line_end = len(text)
    line = text[line_start:line_end].rstrip("\r")
    column = offset - line_start
    start = 0
    if len(line) > width:
        start = max(0, min(column - width // 2, len(line) - width))
    excerpt = line[start : start + width]
    lead = "…" if start > 0 else ""
    tail = "…" if start + width < len(line) else ""
    # Tabs and other control characters would push the caret out of line.
    excerpt = "".join(" " if ch < " " else ch for ch in excerpt)
    return f"{lead}{excerpt}{tail}\n{' ' * (len(lead) + column - start)}^"


def _parse_message(text: str, error: json.JSONDecodeError) -> str:
    """Python's decoder message, said plainly, with the likely cause when it is a common slip."""
    pos = error.pos
    here = text[pos : pos + 1]
    before = text[:pos].rstrip()
    previous = before[-1:] if before else ""
    msg = error.msg
    if msg.startswith("Unexpected UTF-8 BOM"):
        return "the text starts with a byte-order mark (U+FEFF); remove it"
    if msg == "Expecting value":
        if not text.strip(" \t\n\r"):
            return "there is no JSON here: the text is empty"
        if pos >= len(text):
            return "the text ends where a value was expected"
        if here == "'":
            return "strings need double quotes, not single quotes"
        if here in "]}" and previous == ",":
            return f'a comma before "{here}" is not allowed in JSON'
        word = _WORD.match(text, pos)
        if word:
            name = word.group()
            if name in _JSON_WORDS:
                return f"{name} is not JSON; write {_JSON_WORDS[name]}"
            return f'unexpected text "{name}"; strings need double quotes'
        return "expected a value (a string, number, object, array, true, false or null)"
    if msg == "Expecting property name enclosed in double quotes":
        if here == "}" and previous == ",":
            return 'a comma before "}" is not allowed in JSON'
        if here == "'":
            return "keys need double quotes, not single quotes"
        if pos >= len(text):
            return "the text ends inside an object"
        return "expected a key in double quotes"
    if msg.startswith("Illegal trailing comma"):
        return f'a comma before "{here}" is not allowed in JSON'
    if msg == "Expecting ':' delimiter":
        return "expected a colon after the key"
    if msg == "Expecting ',' delimiter":
        if pos >= len(text):
            return "the text ends before the object or array is closed"
        return "expected a comma or a closing bracket; is a comma missing before this?"
    if msg == "Extra data":
        return "there is more text after the end of the JSON value"
    if msg.startswith("Unterminated string"):
        return "this string has no closing double quote"
    if msg.startswith("Invalid control character"):
        return "a string cannot hold a raw line break or tab; write \\n or \\t"
    if msg.startswith("Invalid \\escape"):
        return "invalid escape in a string (a backslash must be doubled: \\\\)"
    if msg.startswith("Invalid \\uXXXX escape"):
        return "invalid \\u escape: it needs four hexadecimal digits"
    return f"not valid JSON: {msg[:1].lower()}{msg[1:]}"


def _parse_problem(text: str, offset: int, message: str, length: int = 1) -> Problem:
    offset = max(0, min(offset, len(text)))
    line, column = _line_column(text, offset)
    return Problem(
        path="",
        message=message,
        line=line,
        column=column,
        offset=offset,
        length=max(1, length),
        kind="parse",
        snippet=_snippet(text, offset),
    )


def _after_comma(text: str, offset: int) -> int:
    if text[offset : offset + 1] != ",":
        return offset
    match = _WHITESPACE.match(text, offset + 1)
    return match.end() if match else offset + 1


def parse_json(text: str) -> tuple[Any | None, Problem | None]:
    """`(value, None)` for JSON text, else `(None, problem)` placing the error. Never raises."""
    try:
        return jsontext.loads(text), None
    except json.JSONDecodeError as error:
        offset = error.pos if text.strip(" \t\n\r") else 0
        if error.msg.startswith("Illegal trailing comma"):
            # Python 3.13 points at the comma, older versions at what follows it: report the
            # same place on every version (the bracket the comma stands before).
            offset = _after_comma(text, offset)
            error = json.JSONDecodeError(error.msg, text, offset)
        return None, _parse_problem(text, offset, _parse_message(text, error))
    except jsontext.NotJSONNumber as error:
        if error.why.startswith("is not"):
            pattern = _STRING_OR_CONSTANT
        elif error.why.startswith("is longer"):
            pattern = _STRING_OR_HUGE_INT
        else:
            pattern = _STRING_OR_HUGE_FLOAT
        offset, length = _find_token(text, pattern)
        return None, _parse_problem(text, offset, str(error), length)
    except RecursionError:
        return None, _parse_problem(text, 0, "the JSON is nested too deeply to read")
    except ValueError as error:  # e.g. an integer with more digits than Python converts
        offset, length = _find_token(text, _STRING_OR_HUGE_INT)
        return None, _parse_problem(text, offset, f"not valid JSON: {error}", length)


# ---------------------------------------------------------------------------------------------
# Schema problems in plain English

_TYPE_NAMES = {
    "string": "a string",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "a boolean",
    "object": "an object",
    "array": "an array",
    "null": "null",
}


def json_kind(value: Any) -> str:
    """A JSON value's kind as a message says it: \"a string\", \"an array\", \"null\"..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__


def _show(value: Any, limit: int = 60) -> str:
    """A short JSON rendering of a value for a message."""
    if isinstance(value, dict):
        return "{…}" if value else "{}"
    if isinstance(value, list):
        return "[…]" if value else "[]"
    if isinstance(value, str) and len(value) > limit:
        return json.dumps(value[:limit], ensure_ascii=False)[:-1] + '…"'
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def _join_or(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _join_and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def closest_name(word: str, choices: Iterable[Any]) -> str | None:
    """The choice `word` most likely misspells (case-insensitive), or None."""
    names = [c for c in choices if isinstance(c, str)]
    if not names:
        return None
    folded = {name.casefold(): name for name in names}
    if word.casefold() in folded:
        return folded[word.casefold()]
    import difflib  # only for a misspelt key: not worth importing at start

    match = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


def _expected_types(expected: Any) -> str:
    names = [expected] if isinstance(expected, str) else list(expected)
    return _join_or([_TYPE_NAMES.get(name, name) for name in names])


def _message(error: ValidationError) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance
    custom = schema.get("x-okta-message")
    if isinstance(custom, str):
        return custom.replace("{value}", _show(instance))
    keyword = error.validator
    expected = error.validator_value
    if keyword == "type":
        return f"expected {_expected_types(expected)}, got {json_kind(instance)}"
    if keyword == "enum":
        choices = list(expected)
        shown = [_show(choice) for choice in choices]
        noun = schema.get("x-okta-noun")
        if isinstance(instance, str):
            head = (
                f"{_show(instance)} is not {noun}" if noun else f"{_show(instance)} is not allowed"
            )
            close = closest_name(instance, choices)
            if close is not None:
                return f"{head}; did you mean {_show(close)}?"
            return f"{head}; expected {_join_or(shown)}"
        return f"expected {_join_or(shown)}, got {json_kind(instance)}"
    if keyword == "const":
        if isinstance(instance, str) and isinstance(expected, str):
            return f"expected {_show(expected)}, got {_show(instance)}"
        return f"expected {_show(expected)}, got {json_kind(instance)}"
    if keyword == "pattern":
        hint = schema.get("x-okta-hint")
        if isinstance(hint, str):
            return f"{_show(instance)} is not {hint}"
        return f"{_show(instance)} does not have the expected form ({expected})"
    if keyword == "minLength":
        if expected == 1:
            return "must not be empty"
        return f"must be at least {expected} characters long"
    if keyword in ("not", None):
        return "Okta does not send or accept this here"
    return str(error.message)


def _extra_keys(error: ValidationError) -> tuple[list[str], list[str]]:
    """The keys `additionalProperties: false` refused, and the keys that are allowed there."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    allowed = list(schema.get("properties", {}))
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    instance = error.instance if isinstance(error.instance, dict) else {}
    extras = [
        key for key in instance if key not in allowed and not any(p.search(key) for p in patterns)
    ]
    return extras, allowed


def _key_issues(
    parts: tuple[PathPart, ...], missing: list[str], extras: list[str], allowed: list[str]
) -> list[Issue]:
    """Missing and unexpected keys of one object, a likely misspelling paired with its key."""
    issues: list[Issue] = []
    extras = list(extras)
    unpaired: list[str] = []
    for name in missing:
        wrong = closest_name(name, extras)
        if wrong is None and len(missing) == 1 and len(extras) == 1:
            wrong = extras[0]
        if wrong is None:
            unpaired.append(name)
            continue
        extras.remove(wrong)
        issues.append(Issue(parts, f"Okta reads the key {_show(name)}, not {_show(wrong)}"))
    if unpaired:
        names = [_show(name) for name in unpaired]
        noun = "key" if len(names) == 1 else "keys"
        issues.append(Issue(parts, f"missing required {noun} {_join_and(names)}"))
    for key in extras:
        close = closest_name(key, [name for name in allowed if name not in missing])
        if close is not None:
            message = f"Okta does not read {_show(key)} here; did you mean {_show(close)}?"
        else:
            expected = _join_and([_show(name) for name in allowed])
            message = f"Okta does not read {_show(key)} here; it reads only {expected}"
        issues.append(Issue((*parts, key), message, at_key=True))
    return issues


def _issues(validator: Any, value: Any) -> tuple[list[Issue], bool]:
    """Every schema problem in `value` as plain-English issues; True when some were left out."""
    issues: list[Issue] = []
    missing: dict[tuple[PathPart, ...], list[str]] = {}
    extras: dict[tuple[PathPart, ...], tuple[list[str], list[str]]] = {}
    truncated = False
    for count, error in enumerate(validator.iter_errors(value)):
        if count >= MAX_PROBLEMS:
            truncated = True
            break
        parts = tuple(error.absolute_path)
        if error.validator == "required" and isinstance(error.instance, dict):
            names = missing.setdefault(parts, [])
            for name in error.validator_value:
                if name not in error.instance and name not in names:
                    names.append(name)
            continue
        if error.validator == "additionalProperties" and error.validator_value is False:
            found, allowed = _extra_keys(error)
            known, known_allowed = extras.setdefault(parts, ([], []))
            known.extend(key for key in found if key not in known)
            known_allowed.extend(name for name in allowed if name not in known_allowed)
            continue
        issues.append(Issue(parts, _message(error)))
    for parts in dict.fromkeys([*missing, *extras]):
        found, allowed = extras.get(parts, ([], []))
        issues.extend(_key_issues(parts, missing.get(parts, []), found, allowed))
    unique = list(dict.fromkeys(issues))
    return unique, truncated


# A profile can hold thousands of attributes, and jsonschema descends into each one (about
# 15 µs apiece). When `additionalProperties` is a plain type check, the values are checked
# inline first and jsonschema descends only into the ones that fail, so the errors are the same.

_ANNOTATIONS = frozenset({"title", "description", "$comment", "examples", "default"})
_PY_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}
# The exact Python types json.loads makes that surely pass each JSON type.
_SURE_TYPES: dict[str, frozenset[type]] = {
    "string": frozenset({str}),
    "number": frozenset({int, float}),
    "integer": frozenset({int}),
    "boolean": frozenset({bool}),
    "null": frozenset({type(None)}),
    "array": frozenset({list}),
    "object": frozenset({dict}),
}


class _TypeTest:
    """A Python test equal to a schema that only checks types (and its items' types)."""

    def __init__(self, names: list[str], items: _TypeTest | None) -> None:
        self.tests = [_PY_TYPES[name] for name in names]
        self.sure = frozenset().union(*(_SURE_TYPES[name] for name in names))
        self.items = items

    @classmethod
    def of(cls, schema: Any) -> _TypeTest | None:
        if not isinstance(schema, dict) or not set(schema) <= _ANNOTATIONS | {"type", "items"}:
            return None
        names = schema.get("type")
        names = [names] if isinstance(names, str) else names
        if not isinstance(names, list) or not all(name in _PY_TYPES for name in names):
            return None
        items = None
        if "items" in schema:
            items = cls.of(schema["items"])
            if items is None:
                return None
        return cls(names, items)

    def __call__(self, value: Any) -> bool:
        if type(value) not in self.sure and not any(test(value) for test in self.tests):
            return False
        return self.items is None or not isinstance(value, list) or self.items.all(value)

    def all(self, values: Iterable[Any]) -> bool:
        """True when every value passes; the usual case is settled by one set of types."""
        values = list(values)
        kinds = set(map(type, values))
        if not kinds <= self.sure:
            return all(map(self, values))
        if self.items is None or list not in kinds:
            return True
        return all(self.items.all(value) for value in values if type(value) is list)


@cache
def _validator_class() -> Any:
    """jsonschema's 2020-12 validator with two faster keywords (imported on first use: the
    window opens without paying for jsonschema)."""
    from jsonschema import Draft202012Validator, validators
    from jsonschema.exceptions import ValidationError

    plain_additional = Draft202012Validator.VALIDATORS["additionalProperties"]

    def additional_properties(
        validator: Any, additional: Any, instance: Any, schema: dict[str, Any]
    ) -> Iterator[ValidationError]:
        test = _TypeTest.of(additional)
        if test is None or not isinstance(instance, dict):
            yield from plain_additional(validator, additional, instance, schema)
            return
        if test.all(instance.values()):  # every value passes, so every additional one does
            return
        declared = schema.get("properties", {})
        patterns = [re.compile(pattern) for pattern in schema.get("patternProperties", {})]
        for key, value in instance.items():
            if test(value) or key in declared or any(p.search(key) for p in patterns):
                continue
            yield from validator.descend(value, additional, path=key)

    def not_(
        validator: Any, not_schema: Any, instance: Any, schema: Any
    ) -> Iterator[ValidationError]:
        # jsonschema's own `not` puts repr(instance) in its message, 10 ms for a 1 MB
        # document; messages are written by `_message` here anyway.
        if validator.evolve(schema=not_schema).is_valid(instance):
            yield ValidationError("must not be valid under the schema in 'not'")

    return validators.extend(
        Draft202012Validator, {"additionalProperties": additional_properties, "not": not_}
    )


@cache
def _validator(name: str) -> Any:
    """The compiled validator for `name` (request | response), built on first use."""
    with (schemas_dir() / f"{name}.schema.json").open(encoding="utf-8") as handle:
        schema = json.load(handle)
    return _validator_class()(schema)


_COMMAND_TYPES = frozenset(okta.KNOWN_COMMANDS)
_TOP_KEYS = frozenset({"commands", "error", "debugContext"})
_ERROR_KEYS = frozenset({"errorSummary", "errorCauses"})
_CAUSE_KEYS = frozenset({"errorSummary", "reason", "locationType", "location", "domain"})
_SCALARS = (str, int, float, bool)


def _profile_value_ok(value: Any) -> bool:
    if value is None or isinstance(value, _SCALARS):
        return True
    return isinstance(value, list) and all(isinstance(item, _SCALARS) for item in value)


def response_is_valid(value: Any) -> bool:
    """True only when `value` surely passes response.schema.json: the usual answer is settled
    here in Python, in a fraction of what jsonschema takes (it descends into every command's
    `allOf`/`if`: about 0.4 s for a 255 KB answer of 3,000 commands). False means "ask
    jsonschema", which then finds and words the problems."""
    if not isinstance(value, dict) or not value.keys() <= _TOP_KEYS:
        return False
    if "debugContext" in value and not isinstance(value["debugContext"], dict):
        return False
    if "commands" in value:
        commands = value["commands"]
        if not isinstance(commands, list):
            return False
        for command in commands:
            if not isinstance(command, dict) or len(command) != 2:
                return False
            kind = command.get("type")
            payload = command.get("value")
            if not isinstance(kind, str) or kind not in _COMMAND_TYPES:
                return False
            if not isinstance(payload, dict):
                return False
            if kind == okta.ACTION_UPDATE:
                if len(payload) != 1 or payload.get("registration") not in (okta.ALLOW, okta.DENY):
                    return False
            elif "password" in payload or not all(map(_profile_value_ok, payload.values())):
                return False
    if "error" in value:
        error = value["error"]
        if not isinstance(error, dict) or not error.keys() <= _ERROR_KEYS:
            return False
        if "errorSummary" in error and not isinstance(error["errorSummary"], str):
            return False
        if "errorCauses" in error:
            causes = error["errorCauses"]
            if not isinstance(causes, list):
                return False
            for cause in causes:
                if not isinstance(cause, dict) or not cause.keys() <= _CAUSE_KEYS:
                    return False
                if not all(isinstance(text, str) for text in cause.values()):
                    return False
    return True


def _value_issues(name: str, value: Any) -> list[Issue]:
    if name == "response" and response_is_valid(value):
        return []
    try:
        issues, truncated = _issues(_validator(name), value)
    except RecursionError:
        return [Issue((), "the document is nested too deeply to check")]
    if truncated:
        issues.append(Issue((), f"more than {MAX_PROBLEMS} problems; the rest are not listed"))
    return issues


def validate_request_value(value: Any) -> list[Issue]:
    """Schema problems of a parsed request (no text positions)."""
    return _value_issues("request", value)


def validate_response_value(value: Any) -> list[Issue]:
    """Schema problems of a parsed response (no text positions)."""
    return _value_issues("response", value)


# ---------------------------------------------------------------------------------------------
# Text in, placed problems out


def _place(text: str, value: Any, issues: list[Issue]) -> list[Problem]:
    try:
        locator: _Locator | None = _Locator(text, value)
    except (ValueError, IndexError, KeyError, RecursionError):
        locator = None
    placed: list[tuple[int, int, Issue]] = []
    for issue in issues:
        offset, length = 0, 1
        if locator is not None:
            try:
                span = locator.span(issue.parts)
            except (ValueError, IndexError, KeyError, RecursionError):
                span = None
            if span is not None:
                key_start, key_end, start, end = span
                if issue.at_key and key_end > key_start:
                    offset, length = key_start, key_end - key_start
                elif text[start] in "{[":
                    offset, length = start, 1
                else:
                    offset, length = start, max(1, end - start)
        placed.append((offset, length, issue))
    placed.sort(key=lambda item: (item[0], item[2].path))
    problems: list[Problem] = []
    line, counted = 1, 0  # lines are counted once, front to back, however many problems
    for offset, length, issue in placed:
        line += text.count("\n", counted, offset)
        counted = offset
        column = offset - text.rfind("\n", 0, offset)
        problems.append(
            Problem(
                path=issue.path,
                message=issue.message,
                line=line,
                column=column,
                offset=offset,
                length=length,
                kind="schema",
            )
        )
    return problems


def _validate_text(name: str, text: str) -> tuple[Any | None, tuple[Problem, ...], bool]:
    value, problem = parse_json(text)
    if problem is not None:
        return None, (problem,), False
    return value, tuple(_place(text, value, _value_issues(name, value))), True


_SSR_TYPE = "self.service.registration"
_PP_TYPE = "progressive.profile"
_URL_TYPES = {"/idp/idx/enroll/new": _SSR_TYPE, "/idp/idx/enroll/update": _PP_TYPE}


def infer_request_type(value: Any) -> tuple[str | None, str]:
    """Which request `value` is: `(requestType, how)`.

    `how` is `"given"` (the request names its type), `"url"` or `"shape"` (no `requestType`, as
    Identity Engine orgs of 2021 sent it: read from `data.context.request.url.value`, or from
    `context.user` + `userProfileUpdate`), `"classic"` (no type and nothing Identity Engine
    about it: a Classic Engine registration; the type is then None) or `""` (not an object).
    A `requestType` that is present is `"given"` whatever it holds.
    """
    if not isinstance(value, dict):
        return None, ""
    if "requestType" in value:
        given = value["requestType"]
        return (given if isinstance(given, str) else None), "given"
    data = value.get("data")
    data = data if isinstance(data, dict) else {}
    context = data.get("context")
    context = context if isinstance(context, dict) else {}
    request = context.get("request")
    url = request.get("url") if isinstance(request, dict) else None
    path = url.get("value") if isinstance(url, dict) else None
    if isinstance(path, str) and path in _URL_TYPES:
        return _URL_TYPES[path], "url"
    if isinstance(context.get("user"), dict) and isinstance(data.get("userProfileUpdate"), dict):
        return _PP_TYPE, "shape"
    return None, "classic"


def inferred_type_note(value: Any) -> str:
    """One sentence when the request type was worked out rather than given, else ""."""
    kind, how = infer_request_type(value)
    if how == "url":
        return (
            f"The request has no requestType (Identity Engine orgs of 2021 omitted it); its URL "
            f"makes it a {kind} request."
        )
    if how == "shape":
        return (
            f"The request has no requestType (Identity Engine orgs of 2021 omitted it); "
            f"context.user and userProfileUpdate make it a {kind} request."
        )
    return ""


def request_engine(value: Any) -> str | None:
    """`"identity"` for an Identity Engine request (with a `requestType`, or one that
    `infer_request_type` recognises), `"classic"` for the rest, None if no object."""
    if not isinstance(value, dict):
        return None
    return "classic" if infer_request_type(value)[1] == "classic" else "identity"


def validate_request(text: str) -> ValidationResult:
    """Parse and check a registration hook request. Never raises."""
    value, problems, parsed = _validate_text("request", text)
    return ValidationResult(value, problems, request_engine(value), parsed)


def validate_response(text: str) -> ValidationResult:
    """Parse and check a registration hook response. Never raises."""
    value, problems, parsed = _validate_text("response", text)
    return ValidationResult(value, problems, None, parsed)
