"""Syntax highlighting for JSON: keys, strings, numbers, true/false/null and punctuation."""

from __future__ import annotations

import re
from bisect import bisect_left

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from app.views.theme import EditorColors, editor_colors

# One pass over a line finds every token; JSON strings never span lines, so no block state.
# A key is a string followed by a colon; an unterminated string runs to the end of the line.
_TOKEN = re.compile(
    r'(?P<key>"(?:[^"\\]|\\.)*"(?=\s*:))'
    r'|(?P<string>"(?:[^"\\]|\\.)*"?)'
    r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<keyword>\b(?:true|false|null)\b)"
    r"|(?P<punctuation>[{}\[\],:]+)"
)

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

#: Characters of one line that get highlighted; beyond this a (minified) giant line stays plain,
#: so editing it does not cost a full re-scan per keystroke.
MAX_HIGHLIGHT_LINE = 10_000


class JsonHighlighter(QSyntaxHighlighter):
    """Colours JSON tokens with the active theme's editor colours."""

    def __init__(self, document: QTextDocument, colors: EditorColors | None = None) -> None:
        super().__init__(document)
        self._formats: dict[str, QTextCharFormat] = {}
        self._colors = colors or editor_colors()
        self._build_formats()

    @property
    def colors(self) -> EditorColors:
        """The colours in use."""
        return self._colors

    def set_colors(self, colors: EditorColors) -> None:
        """Switch colours (on a theme change) and re-highlight the document if they differ."""
        if colors == self._colors:
            return
        self._colors = colors
        self._build_formats()
        self.rehighlight()

    def _build_formats(self) -> None:
        colors = self._colors
        for name, value in (
            ("key", colors.key),
            ("string", colors.string),
            ("number", colors.number),
            ("keyword", colors.keyword),
            ("punctuation", colors.punctuation),
        ):
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(value))
            self._formats[name] = fmt

    def highlightBlock(self, text: str) -> None:
        """Colour one line (Qt calls this for each changed block)."""
        formats = self._formats
        set_format = self.setFormat
        if _ASTRAL.search(text) is None:
            for match in _TOKEN.finditer(text, 0, MAX_HIGHLIGHT_LINE):
                start, end = match.span()
                set_format(start, end - start, formats[match.lastgroup])  # type: ignore[index]
            return
        # Qt counts UTF-16 units: a character outside the BMP (an emoji) takes two.
        astral = [m.start() for m in _ASTRAL.finditer(text, 0, MAX_HIGHLIGHT_LINE)]
        for match in _TOKEN.finditer(text, 0, MAX_HIGHLIGHT_LINE):
            start, end = match.span()
            start += bisect_left(astral, start)
            end += bisect_left(astral, end)
            set_format(start, end - start, formats[match.lastgroup])  # type: ignore[index]
