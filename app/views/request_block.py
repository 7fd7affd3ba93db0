"""Block 2, "Preview example Inline Hook request": Generate Request, the console's Edit / Save /
Reset, the line that says where the request stands, and the request's JSON editor."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.views import strings as S
from app.views.json_editor import JsonEditor
from app.views.plain_text import plain_label
from app.views.request_config import emphasise_title
from app.views.theme import status_colors


class RequestBlock(QGroupBox):
    """Block 2: the buttons and the request editor (what they do lives in `session.py`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(S.BLOCK2_TITLE, parent)
        self.setObjectName("block2")
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.generate_button = QPushButton(S.GENERATE)
        self.generate_button.setObjectName("generateRequest")
        self.generate_button.setToolTip("Build the request Okta would send (Ctrl+G)")
        self.edit_button = QPushButton(S.EDIT)
        self.edit_button.setObjectName("editRequest")
        self.save_button = QPushButton(S.SAVE)
        self.save_button.setObjectName("saveRequest")
        self.reset_button = QPushButton(S.RESET)
        self.reset_button.setObjectName("resetRequest")
        # Shows a file's name, a user's name from the users file, a JSON parse message.
        self.state_label = plain_label(S.STATE_EMPTY)
        self.state_label.setObjectName("requestState")
        self.state_label.setWordWrap(True)
        bar.addWidget(self.generate_button)
        bar.addSpacing(12)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.save_button)
        bar.addWidget(self.reset_button)
        bar.addSpacing(12)
        bar.addWidget(self.state_label, 1)
        layout.addLayout(bar)
        self.editor = JsonEditor(valid_text="Valid request")
        self.editor.setObjectName("requestEditor")
        self.editor.code_edit.setPlaceholderText(S.REQUEST_PLACEHOLDER)
        self.editor.set_read_only(True)
        layout.addWidget(self.editor, 1)
        emphasise_title(self)

    def set_state(self, text: str, *, tone: str = "plain") -> None:
        """The line beside the buttons; tone "bad" or "warn" draws it in that colour."""
        self.state_label.setText(text)
        colors = status_colors(self.palette())
        color = {"bad": colors.denied, "warn": colors.warning}.get(tone)
        self.state_label.setStyleSheet(f"color: {color};" if color else "")
