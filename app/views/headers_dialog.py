"""The last call's request and response headers, one click from block 3. Secret values are
`***` as the record holds them; the show toggle puts back the values this window holds in
memory now (the record never keeps them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.views import strings as S
from app.views.plain_text import visible

if TYPE_CHECKING:
    from app.logic.run.exchange import Exchange

MASK = "***"


def header_lines(headers: Iterable[tuple[str, str]], reveal: dict[str, str] | None = None) -> str:
    """One "Name: value" line per header; a masked value is replaced from `reveal` (lower-case
    name -> value) when it has one."""
    lines = []
    for name, value in headers:
        shown = value
        if reveal and MASK in value and name.lower() in reveal:
            shown = reveal[name.lower()]
        lines.append(f"{visible(name)}: {visible(shown)}")
    return "\n".join(lines) or S.HEADERS_NONE


class HeadersDialog(QDialog):
    """Request headers (as sent, masked) above the response headers, with the show toggle."""

    def __init__(
        self,
        exchange: Exchange,
        reveal: Callable[[], dict[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("headersDialog")
        self.setWindowTitle(S.HEADERS_TITLE)
        self._exchange = exchange
        self._reveal = reveal
        layout = QVBoxLayout(self)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        if parent is not None:
            mono.setPointSizeF(max(mono.pointSizeF(), parent.font().pointSizeF()))
        self.sent_view = QPlainTextEdit()
        self.sent_view.setObjectName("sentHeaders")
        self.received_view = QPlainTextEdit()
        self.received_view.setObjectName("receivedHeaders")
        for title, view in (
            (S.HEADERS_SENT, self.sent_view),
            (S.HEADERS_RECEIVED, self.received_view),
        ):
            view.setReadOnly(True)
            view.setFont(mono)
            view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            label = QLabel(title)
            label.setObjectName("sectionTitle")
            label.setBuddy(view)
            layout.addWidget(label)
            layout.addWidget(view, 1)
        self.show_secrets = QCheckBox(S.HEADERS_SHOW_SECRETS)
        self.show_secrets.setObjectName("showSecrets")
        self.show_secrets.toggled.connect(self._fill)
        layout.addWidget(self.show_secrets)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 420)
        self._fill()

    def _fill(self) -> None:
        reveal = self._reveal() if self.show_secrets.isChecked() else None
        self.sent_view.setPlainText(header_lines(self._exchange.request_headers, reveal))
        answer = self._exchange.answer
        received = list(answer.headers.items()) if answer is not None else []
        self.received_view.setPlainText(header_lines(received))
