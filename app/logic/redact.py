"""The one redaction of secrets: the values a run was given (an auth value, Basic credentials
and their base64, an OAuth client secret, the access token it got) become `***` wherever they
show up, in any spelling JSON allows (`\\uXXXX` in either case, surrogate pairs, `\\/`, short
escapes).

A hook or a token endpoint may echo a secret back (in a header, a DENY message, an
`error_description`); the exchange record is redacted once, as it is made, so the history file,
the HAR export, `send`'s output, the JUnit report and a saved scenario never hold it. Save
Response uses the same functions, and asks first.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import dataclasses
import enum
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

__all__ = [
    "MASK",
    "MIN_SECRET_LENGTH",
    "Redaction",
    "expand_secrets",
    "has_secret",
    "scrub",
    "secret_pattern",
]

MASK = "***"
#: Secrets shorter than this are not searched for inside text: a short value ("com", "1")
#: matches ordinary JSON, and replacing it would damage the text rather than protect anything.
#: (A header whose whole value is a secret is masked whatever its length.)
MIN_SECRET_LENGTH = 8

_SHORT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "/": "\\/",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}


def _char_pattern(char: str) -> str:
    """Every way JSON may spell `char` inside a string: itself, a short escape, \\uXXXX (any
    case), or a surrogate pair for a character beyond the BMP."""
    forms = [re.escape(char)]
    if char in _SHORT_ESCAPES:
        forms.append(re.escape(_SHORT_ESCAPES[char]))
    code = ord(char)
    if code > 0xFFFF:
        high = 0xD800 + ((code - 0x10000) >> 10)
        low = 0xDC00 + ((code - 0x10000) & 0x3FF)
        forms.append(f"(?i:\\\\u{high:04x}\\\\u{low:04x})")
    else:
        forms.append(f"(?i:\\\\u{code:04x})")
    return "(?:" + "|".join(forms) + ")"


@lru_cache(maxsize=64)
def _compiled(wanted: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join("".join(_char_pattern(c) for c in s) for s in wanted))


def secret_pattern(secrets: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern for the secrets (longest first) in plain or JSON-escaped spelling."""
    wanted = sorted({s for s in secrets if len(s) >= MIN_SECRET_LENGTH}, key=lambda s: (-len(s), s))
    if not wanted:
        return None
    return _compiled(tuple(wanted))


def scrub(text: str, secrets: Iterable[str]) -> tuple[str, int]:
    """`text` with every spelling of every secret replaced by ***, and how many were."""
    pattern = secret_pattern(secrets)
    if pattern is None:
        return text, 0
    return pattern.subn(MASK, text)


def has_secret(text: str, secrets: Iterable[str]) -> bool:
    pattern = secret_pattern(secrets)
    return pattern is not None and pattern.search(text) is not None


def expand_secrets(values: Iterable[str]) -> set[str]:
    """The values plus the parts that are secret on their own: the token of "Basic <token>"
    (and the user:password it encodes, and the password alone), the token of "Bearer <token>"."""
    found: set[str] = set()
    for value in values:
        found.add(value)
        scheme, _, token = value.partition(" ")
        if not token or not scheme.isalpha():
            continue
        found.add(token)
        if scheme.lower() == "basic":
            with contextlib.suppress(binascii.Error, UnicodeDecodeError):
                credentials = base64.b64decode(token, validate=True).decode("utf-8")
                found.add(credentials)
                found.add(credentials.partition(":")[2])
    return {value for value in found if value}


class Redaction:
    """The secrets of one run, ready to take out of anything a writer writes. Never shows
    them: its repr says only how many there are."""

    def __init__(self, values: Iterable[str]) -> None:
        self._secrets = frozenset(expand_secrets(v for v in values if v))
        self._pattern = secret_pattern(self._secrets)
        # Every escaped spelling has a backslash: text without one can hold a secret only as
        # itself, which plain substring tests find many times faster than the pattern.
        wanted = [s for s in self._secrets if len(s) >= MIN_SECRET_LENGTH]
        self._plain = tuple(sorted(wanted, key=lambda s: (-len(s), s)))
        self._plain_bytes = tuple(s.encode("utf-8", errors="surrogatepass") for s in self._plain)

    @classmethod
    def of(cls, values: Iterable[str]) -> Redaction:
        """The redaction for these values, made once per set of values (a run of many calls
        to one target shares one)."""
        return _redaction_for(tuple(sorted(v for v in values if v)))

    def __repr__(self) -> str:
        return f"Redaction({len(self._secrets)} secrets)"

    def __bool__(self) -> bool:
        return self._pattern is not None

    def text(self, text: str) -> str:
        if self._pattern is None or not text:
            return text
        if "\\" not in text and not any(s in text for s in self._plain):
            return text
        redacted, count = self._pattern.subn(MASK, text)
        return redacted if count else text

    def data(self, data: bytes) -> bytes:
        """Bytes as they are, but for the secrets: bytes that are not UTF-8 come back the same
        (surrogateescape keeps them through the text pattern)."""
        if self._pattern is None or not data:
            return data
        if b"\\" not in data and not any(s in data for s in self._plain_bytes):
            return data
        text = data.decode("utf-8", errors="surrogateescape")
        redacted, count = self._pattern.subn(MASK, text)
        return redacted.encode("utf-8", errors="surrogateescape") if count else data

    def found_in(self, value: Any) -> bool:
        """Whether any spelling of a secret is in `value` (text, bytes, or containers of them)."""
        if self._pattern is None:
            return False
        try:
            return self._holds(value)
        except RecursionError:
            return True

    def _holds(self, value: Any) -> bool:
        if isinstance(value, str):
            return self.text(value) is not value
        if isinstance(value, bytes):
            return self.data(value) is not value
        if isinstance(value, dict):
            return any(self._holds(k) or self._holds(v) for k, v in value.items())
        if isinstance(value, list | tuple):
            return any(self._holds(item) for item in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return any(self._holds(getattr(value, f.name)) for f in dataclasses.fields(value))
        return False

    def value(self, value: Any) -> Any:
        """`value` with the secrets taken out of every string and bytes in it: dicts (keys
        too), lists, tuples and dataclass records are rebuilt only where something changed, so
        an untouched value comes back as the very same object."""
        if self._pattern is None:
            return value
        try:
            return self._walk(value)
        except RecursionError:
            # Nested deeper than Python can walk: keep nothing rather than a possible secret.
            return MASK

    def _walk(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, bytes):
            return self.data(value)
        if value is None or isinstance(value, bool | int | float | enum.Enum):
            return value
        if isinstance(value, dict):
            items = [(self._walk(k), self._walk(v)) for k, v in value.items()]
            if all(a is k and b is v for (a, b), (k, v) in zip(items, value.items(), strict=True)):
                return value
            return type(value)(items) if type(value) is not dict else dict(items)
        if isinstance(value, list | tuple):
            walked = [self._walk(item) for item in value]
            if all(a is b for a, b in zip(walked, value, strict=True)):
                return value
            return type(value)(walked) if not hasattr(value, "_fields") else type(value)(*walked)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {}
            for item in dataclasses.fields(value):
                if not item.init:
                    continue
                current = getattr(value, item.name)
                walked = self._walk(current)
                if walked is not current:
                    changes[item.name] = walked
            return dataclasses.replace(value, **changes) if changes else value
        return value


@lru_cache(maxsize=32)
def _redaction_for(values: tuple[str, ...]) -> Redaction:
    return Redaction(values)
