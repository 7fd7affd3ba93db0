"""Text from outside (a hook's answer, a file) made safe to show: no raw control characters."""

from __future__ import annotations

import re

# C0 and C1 controls except tab and line feed, DEL, lone surrogates, and the Unicode line and
# paragraph separators: none may reach a terminal or a label raw (an ESC sequence or a carriage
# return can repaint a verdict, a lone surrogate cannot be encoded at all).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_UNSAFE_OR_NEWLINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def printable(text: str, *, keep_newlines: bool = True) -> str:
    """`text` with every control character written as its visible `\\u` escape."""
    pattern = _UNSAFE if keep_newlines else _UNSAFE_OR_NEWLINE
    return pattern.sub(_escape, text)


def one_line(text: str) -> str:
    """`text` for a single line: line breaks escaped too."""
    return printable(text, keep_newlines=False)
