"""The window's modal questions and notes, in one place (tests answer them through
QMessageBox's static functions, which these call)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from app.views import strings as S

Button = QMessageBox.StandardButton


def ask(parent: QWidget | None, question: str) -> bool:
    """Yes / No, No by default: True when the person said Yes."""
    answer = QMessageBox.question(parent, S.APP_NAME, question, Button.Yes | Button.No, Button.No)
    return answer == Button.Yes


def ask_yes_no_cancel(parent: QWidget | None, question: str) -> Button:
    """Yes / No / Cancel, Yes by default (a closed box counts as Cancel)."""
    answer = QMessageBox.question(
        parent, S.APP_NAME, question, Button.Yes | Button.No | Button.Cancel, Button.Yes
    )
    return answer if answer in (Button.Yes, Button.No) else Button.Cancel


def warn(parent: QWidget | None, text: str) -> None:
    QMessageBox.warning(parent, S.APP_NAME, text)


def inform(parent: QWidget | None, text: str) -> None:
    QMessageBox.information(parent, S.APP_NAME, text)
