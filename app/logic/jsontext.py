"""Reading JSON the way Okta's parser does: no NaN or Infinity, no number that overflows.

Python's `json` accepts `NaN`, `Infinity` and turns `1e999` into `inf`, which it would later
print as `Infinity`: none of these are JSON. Every reader in the program goes through `loads`.
"""

from __future__ import annotations

import json
import math
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
