"""Text from outside the program (the hook's answer, the request, a form field, a file name)
shown as the characters it is: Okta's Sign-In Widget shows an errorSummary literally, and
QLabel or a tooltip would otherwise render `<b>` as bold and `<img src=…>` as an image."""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that never interprets its text as HTML (QLabel's AutoText guesses from it)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def make_plain(label: QLabel) -> QLabel:
    """Switch an existing label to plain text (for labels built elsewhere, e.g. a Chip)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_tooltip(text: str) -> str:
    """`text` as a tooltip that shows it literally.

    A tooltip has no text format of its own: Qt renders it as HTML when it looks like HTML
    (Qt.mightBeRichText). Such text is escaped and wrapped, so Qt renders the escaped
    characters; other text is left as it is (escaping it would show "&lt;" to the person)."""
    if not text or not QtGui.Qt.mightBeRichText(text):
        return text
    import html  # only here: html.entities costs ~1.5 ms at start-up for a rare case

    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"
