"""Text from outside the program (the hook's answer, the request, a form field, a file name)
shown as the characters it is: Okta's Sign-In Widget shows an errorSummary literally, and
QLabel or a tooltip would otherwise render `<b>` as bold and `<img src=…>` as an image.

Such text is also made safe to lay out: control characters show as visible `\\u001b`
escapes (a raw ESC or NUL draws nothing, or garbage), and a line longer than a label can
show is cut with a note of how much was left out (Qt lays out a wrapped 1 MB line in
quadratic time: the window froze for 48 s)."""

from __future__ import annotations

import re

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from app.logic.text import CONTROL_CHARS, escape_char

#: Longest line a label shows; the card and the headline need a few hundred characters.
LABEL_LINE_LIMIT = 400
#: Longest line of the hook log (a read-only text view, also laid out by Qt).
LOG_LINE_LIMIT = 2000

# What no label may show raw (app.logic.text), and tabs, which push a label's text out of
# line. \n stays (labels have lines).
_CONTROL = re.compile(f"[{CONTROL_CHARS}\t]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return "\\t" if char == "\t" else escape_char(char)


def visible(text: str, limit: int = LABEL_LINE_LIMIT) -> str:
    """`text` with control characters escaped and each line cut to `limit` characters."""
    if not text:
        return text
    text = _CONTROL.sub(_escape, text)
    if len(text) <= limit:
        return text
    lines = text.split("\n")
    return "\n".join(cut_line(line, limit) for line in lines)


def cut_line(line: str, limit: int) -> str:
    if len(line) <= limit:
        return line
    return f"{line[:limit]}… ({len(line) - limit:,} more characters)"


class PlainLabel(QLabel):
    """A QLabel that shows its text literally: never as HTML, control characters escaped,
    long lines cut (see `visible`). `full_text()` is the text as given."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._full = ""
        self.setText(text)

    def setText(self, text: str) -> None:
        self._full = text
        super().setText(visible(text))

    def full_text(self) -> str:
        return self._full


def plain_label(text: str = "", parent: QWidget | None = None) -> PlainLabel:
    """A label that never interprets its text as HTML (QLabel's AutoText guesses from it)."""
    return PlainLabel(text, parent)


def make_plain(label: QLabel) -> QLabel:
    """Switch an existing label to plain text (for labels built elsewhere, e.g. a Chip)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_tooltip(text: str) -> str:
    """`text` as a tooltip that shows it literally.

    A tooltip has no text format of its own: Qt renders it as HTML when it looks like HTML
    (Qt.mightBeRichText). Such text is escaped and wrapped, so Qt renders the escaped
    characters; other text is left as it is (escaping it would show "&lt;" to the person)."""
    text = visible(text, LOG_LINE_LIMIT)
    if not text or not QtGui.Qt.mightBeRichText(text):
        return text
    import html  # only here: html.entities costs ~1.5 ms at start-up for a rare case

    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"
