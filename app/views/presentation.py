"""Presentation mode (View menu, F11 or Ctrl+Shift+P): full screen, block 1 and block 2 folded
to one line each, so the answer and the person's screen take the room; what the person typed
stays as one compact row of inputs (typing there types in block 1's form). Esc or the same
shortcut leaves; nothing of it is kept in the settings."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.logic import okta
from app.views import strings as S
from app.views.plain_text import plain_label

if TYPE_CHECKING:
    from app.logic.org import DemoOrg
    from app.views.calls import CallController
    from app.views.request_block import RequestBlock
    from app.views.request_config import RequestConfigPanel
    from app.views.response_panel import ResponsePanel
    from app.views.session import RequestSession

SHORTCUTS = ("F11", "Ctrl+Shift+P")


class PresentationParts(Protocol):
    """What presentation mode folds, shows and follows in the window."""

    @property
    def org(self) -> DemoOrg: ...

    config: RequestConfigPanel
    config_scroll: QScrollArea
    calls: CallController
    session: RequestSession
    request_block: RequestBlock
    response_panel: ResponsePanel


class Presentation(QObject):
    """The mode's action (`action`, checkable), the folded lines and the way back."""

    def __init__(self, window: QMainWindow, parts: PresentationParts) -> None:
        super().__init__(window)
        self.window = window
        self.parts = parts
        self._was_maximized = False
        self.action = QAction(window, text=S.PRESENTATION_MODE)
        self.action.setObjectName("presentationMode")
        self.action.setCheckable(True)
        self.action.setShortcuts([QKeySequence(key) for key in SHORTCUTS])
        self.action.setStatusTip(S.PRESENTATION_TIP)
        self.action.toggled.connect(self._set_presenting)
        window.addAction(self.action)
        # Esc leaves, unless a call runs (then Esc is Cancel's, as everywhere else).
        self.leave_action = QAction(window, text=S.PRESENTATION_LEAVE)
        self.leave_action.setShortcut(QKeySequence("Esc"))
        self.leave_action.setEnabled(False)
        self.leave_action.triggered.connect(self.leave)
        window.addAction(self.leave_action)
        parts.calls.busy_changed.connect(lambda _busy: self._update_leave())
        self.strip = self._build_strip()

    @property
    def presenting(self) -> bool:
        return self.action.isChecked()

    def leave(self) -> None:
        self.action.setChecked(False)

    # --- the folded lines ---------------------------------------------------------------

    def _build_strip(self) -> QWidget:
        strip = QWidget()
        strip.setObjectName("presentationStrip")
        rows = QVBoxLayout(strip)
        rows.setContentsMargins(4, 0, 4, 4)
        rows.setSpacing(2)
        self.block1_line = plain_label()  # names the user from the users file
        self.block1_line.setObjectName("presentationBlock1")
        self.block2_line = plain_label()
        self.block2_line.setObjectName("presentationBlock2")
        self.show_request_button = QToolButton()
        self.show_request_button.setObjectName("showRequest")
        self.show_request_button.setText(S.SHOW_REQUEST)
        self.show_request_button.setCheckable(True)
        self.show_request_button.toggled.connect(self._show_request)
        second = QHBoxLayout()
        second.addWidget(self.block2_line, 1)
        second.addWidget(self.show_request_button)
        # What the person typed, one compact row of inputs mirroring block 1's form.
        self.typed_row = QWidget()
        self.typed_row.setObjectName("presentationTyped")
        self._typed_layout = QHBoxLayout(self.typed_row)
        self._typed_layout.setContentsMargins(0, 0, 0, 0)
        self._typed_layout.setSpacing(6)
        self._typed_edits: dict[str, QLineEdit] = {}
        rows.addWidget(self.block1_line)
        rows.addWidget(self.typed_row)
        rows.addLayout(second)
        strip.setVisible(False)
        body = self.window.centralWidget()
        central = body.layout() if body is not None else None
        if isinstance(central, QVBoxLayout):  # the window's column of blocks
            central.insertWidget(0, strip)
        for changed in (self.parts.config.config_changed, self.parts.config.target_changed):
            changed.connect(self._update_lines)
        self.parts.session.changed.connect(self._update_lines)
        return strip

    def _update_lines(self, *_args: object) -> None:
        if not self.presenting:
            return
        config = self.parts.config
        user = config.user()
        name = f"{user.display_name} <{user.login}>" if user is not None else "?"
        kind = okta.REQUEST_TYPE_LABELS.get(config.request_type(), config.request_type())
        self.block1_line.setText(
            S.PRESENTATION_BLOCK1.format(target=config.target_label(), user=name, type=kind)
        )
        self.block2_line.setText(
            S.PRESENTATION_BLOCK2.format(state=self.parts.request_block.state_label.text())
        )
        self._sync_typed()

    def _sync_typed(self) -> None:
        """The row's inputs are block 1's form fields, with what is typed there."""
        config = self.parts.config
        values = config.form()
        if list(values) != list(self._typed_edits):
            self._rebuild_typed(list(values))
        for name, edit in self._typed_edits.items():
            if not edit.hasFocus() and edit.text() != values[name]:
                edit.setText(values[name])

    def _rebuild_typed(self, names: list[str]) -> None:
        layout = self._typed_layout
        while layout.count():
            item = layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self._typed_edits = {}
        caption = QLabel(S.PRESENTATION_TYPED)
        caption.setObjectName("hint")
        layout.addWidget(caption)
        schema = self.parts.org.schema
        for name in names:
            attribute = schema.attributes.get(name)
            title = attribute.title if attribute is not None and attribute.title else name
            label = plain_label(f"{title}:")  # a title from the users file
            edit = QLineEdit()
            edit.setObjectName(f"presented_{name}")
            edit.setAccessibleName(title)
            label.setBuddy(edit)
            edit.textEdited.connect(lambda text, field=name: self._on_typed(field, text))
            layout.addWidget(label)
            layout.addWidget(edit, 1)
            self._typed_edits[name] = edit
        # Tab goes through the row, then to Show request, as the row reads.
        chain = [*self._typed_edits.values(), self.show_request_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _on_typed(self, name: str, text: str) -> None:
        # As if typed in block 1's own field: the request and the answer follow as usual.
        target = self.parts.config.form_edit(name)
        target.setText(text)
        target.textEdited.emit(text)

    def typed_edit(self, name: str) -> QLineEdit:
        return self._typed_edits[name]

    def _show_request(self, shown: bool) -> None:
        self.show_request_button.setText(S.HIDE_REQUEST if shown else S.SHOW_REQUEST)
        if self.presenting:
            self.parts.request_block.setVisible(shown)

    # --- in and out ---------------------------------------------------------------------

    def _set_presenting(self, on: bool) -> None:
        window, parts = self.window, self.parts
        if on:
            self._was_maximized = window.isMaximized()
            window.showFullScreen()
        elif window.isFullScreen():
            if self._was_maximized:
                window.showMaximized()
            else:
                window.showNormal()
        parts.config_scroll.setVisible(not on)
        parts.request_block.setVisible(not on or self.show_request_button.isChecked())
        self.strip.setVisible(on)
        self._update_leave()
        self._update_lines()
        if on:
            parts.response_panel.view_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_leave(self) -> None:
        self.leave_action.setEnabled(self.presenting and not self.parts.calls.busy)


__all__ = ["SHORTCUTS", "Presentation"]
