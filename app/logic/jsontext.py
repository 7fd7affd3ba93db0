"""Reading JSON the way Okta's parser does: no NaN or Infinity, no number that overflows.

Python's `json` accepts `NaN`, `Infinity` and turns `1e999` into `inf`, which it would later
print as `Infinity`: none of these are JSON. Every reader in the program goes through `loads`.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any


class NotJSONNumber(ValueError):
    """A number JSON cannot carry: NaN, Infinity, or one too large for a double."""

    def __init__(self, token: str, why: str) -> None:
        super().__init__(f"{token} {why}")
        self.token = token
        self.why = why


def reject_constant(name: str) -> Any:
    raise NotJSONNumber(name, "is not a JSON number")


def finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        shown = text if len(text) <= 24 else text[:21] + "..."
        raise NotJSONNumber(shown, "is too large for a JSON number (it overflows a double)")
    return value


#: CPython refuses to convert longer digit strings (a guard against quadratic time).
MAX_INT_DIGITS = 4300


def bounded_int(text: str) -> int:
    digits = len(text) - text.startswith("-")
    if digits > MAX_INT_DIGITS:
        raise NotJSONNumber(
            f"a number of {digits:,} digits",
            f"is longer than this program reads (at most {MAX_INT_DIGITS:,} digits)",
        )
    return int(text)


def loads(text: str | bytes, **kwargs: Any) -> Any:
    """`json.loads` that rejects NaN, Infinity and overflowing numbers with `NotJSONNumber`."""
    kwargs.setdefault("parse_constant", reject_constant)
    kwargs.setdefault("parse_float", finite_float)
    kwargs.setdefault("parse_int", bounded_int)
    return json.loads(text, **kwargs)


DECODER = json.JSONDecoder(
    parse_constant=reject_constant, parse_float=finite_float, parse_int=bounded_int
)


UTF8_BOM = b"\xef\xbb\xbf"


BOM_NOTE = "the request started with a UTF-8 byte-order mark; it was sent without it"


def dig(value: Any, *keys: str) -> Any:
    """`value[k1][k2]...` through nested objects, or None where one is missing or not an
    object (a hook's answer or a request may be any JSON at all)."""
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def strip_bom(body: bytes) -> tuple[bytes, bool]:
    """`body` without a leading UTF-8 byte-order mark, and whether it had one.

    Okta sends JSON without a BOM; a file saved by some editors starts with one, and a strict
    JSON parser on the hook's side refuses it.
    """
    if body.startswith(UTF8_BOM):
        return body[len(UTF8_BOM) :], True
    return body, False


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(value: Any, *, indent: int | None = 2) -> str:
    """JSON for people and files: non-ASCII kept, never NaN/Infinity, and a lone surrogate
    (which no UTF-8 file or terminal can carry) written as its \\u escape."""
    text = json.dumps(value, indent=indent, ensure_ascii=False, allow_nan=False)
    if _LONE_SURROGATE.search(text):
        text = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


# --- pretty printing that keeps the text's own spelling -------------------------------------

INDENT = "  "


class _JsonObject(list):
    """An object's (key, value) pairs in source order, duplicates kept."""


class _JsonNumber(str):
    """A number exactly as written (so 1.0, 1e5 and huge integers survive formatting)."""


def _dump_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _emit(value: Any, indent: str, out: list[str]) -> None:
    if isinstance(value, _JsonObject):
        if not value:
            out.append("{}")
            return
        inner = indent + INDENT
        out.append("{\n")
        for index, (key, item) in enumerate(value):
            if index:
                out.append(",\n")
            out.append(inner)
            out.append(_dump_string(key))
            out.append(": ")
            _emit(item, inner, out)
        out.append("\n" + indent + "}")
    elif isinstance(value, list):
        if not value:
            out.append("[]")
            return
        inner = indent + INDENT
        out.append("[\n")
        for index, item in enumerate(value):
            if index:
                out.append(",\n")
            out.append(inner)
            _emit(item, inner, out)
        out.append("\n" + indent + "]")
    elif isinstance(value, _JsonNumber):
        out.append(str(value))
    elif isinstance(value, str):
        out.append(_dump_string(value))
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    else:
        out.append("null")


def pretty_json(text: str) -> str | None:
    """`text` pretty-printed with 2-space indents, or None when it is not valid JSON.

    Key order, duplicate keys, the exact spelling of numbers and non-ASCII text are kept; a
    trailing newline is kept if there was one.
    """
    try:
        value = json.loads(
            text,
            object_pairs_hook=_JsonObject,
            parse_float=_JsonNumber,
            parse_int=_JsonNumber,
            parse_constant=reject_constant,
        )
        out: list[str] = []
        _emit(value, "", out)
    except (ValueError, RecursionError):
        return None
    result = "".join(out)
    if _LONE_SURROGATE.search(result):
        # A lone surrogate can only come from a \u escape: write it back as one.
        result = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", result)
    if text.endswith("\n"):
        result += "\n"
    return result


def pretty_or_text(body: bytes) -> str:
    """An answer body for reading: pretty JSON when it is JSON, else the text as decoded."""
    text = body.decode("utf-8", errors="replace")
    pretty = pretty_json(text)
    return pretty if pretty is not None else text
