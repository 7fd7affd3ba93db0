"""The window's modal questions and notes, in one place (tests answer them through
QMessageBox's static functions, which these call). QMessageBox is imported on the first
question: the window's first paint needs none."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from app.views import strings as S

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

Answer = Literal["yes", "no", "cancel"]


def ask(parent: QWidget | None, question: str) -> bool:
    """Yes / No, No by default: True when the person said Yes."""
    from PySide6.QtWidgets import QMessageBox

    button = QMessageBox.StandardButton
    answer = QMessageBox.question(parent, S.APP_NAME, question, button.Yes | button.No, button.No)
    return answer == button.Yes


def ask_yes_no_cancel(parent: QWidget | None, question: str) -> Answer:
    """Yes / No / Cancel, Yes by default (a closed box counts as Cancel)."""
    from PySide6.QtWidgets import QMessageBox

    button = QMessageBox.StandardButton
    answer = QMessageBox.question(
        parent, S.APP_NAME, question, button.Yes | button.No | button.Cancel, button.Yes
    )
    if answer == button.Yes:
        return "yes"
    return "no" if answer == button.No else "cancel"


def warn(parent: QWidget | None, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning(parent, S.APP_NAME, text)


def inform(parent: QWidget | None, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.information(parent, S.APP_NAME, text)
