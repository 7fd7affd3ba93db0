"""Text from outside (a hook's answer, a file) made safe to show: no raw control characters."""

from __future__ import annotations

import re

#: Characters that must never reach a terminal or a label raw: C0 controls but tab and line
#: feed, DEL, C1 controls, the Unicode line and paragraph separators, and the bidi embeddings,
#: overrides and isolates. An ESC sequence or a carriage return can repaint a verdict, a bidi
#: override can reorder it, and none of them shows itself. Each surface adds what it must
#: also escape (a label: tabs; a terminal: lone surrogates, which it cannot encode).
CONTROL_CHARS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_SURROGATES = "\ud800-\udfff"
_UNSAFE = re.compile(f"[{CONTROL_CHARS}{_SURROGATES}]")
_UNSAFE_OR_NEWLINE = re.compile(f"[{CONTROL_CHARS}{_SURROGATES}\x09\x0a]")


def escape_char(char: str) -> str:
    """One character as its visible `\\u` escape."""
    return f"\\u{ord(char):04x}"


def _escape(match: re.Match[str]) -> str:
    return escape_char(match.group())


def printable(text: str, *, keep_newlines: bool = True) -> str:
    """`text` with every control character written as its visible `\\u` escape."""
    pattern = _UNSAFE if keep_newlines else _UNSAFE_OR_NEWLINE
    return pattern.sub(_escape, text)


def one_line(text: str) -> str:
    """`text` for a single line: line breaks escaped too."""
    return printable(text, keep_newlines=False)
