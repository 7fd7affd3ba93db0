"""Where the request in block 2 stands, and the console's Edit / Save / Reset / Generate on it.

`RequestSession` owns the request's mode, the text that is safe to drop (generated, opened or
written to a file) and the file it came from; the window only wires buttons and actions to it.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from app.logic import okta
from app.views import prompts
from app.views import strings as S

if TYPE_CHECKING:
    from app.logic.validation import Problem, ValidationResult
    from app.views.request_block import RequestBlock
    from app.views.request_config import RequestConfigPanel


class RequestMode(enum.Enum):
    """Where the request text in block 2 stands (the console's Edit / Save / Reset)."""

    EMPTY = "empty"
    GENERATED = "generated"
    EDITING = "editing"
    SAVED = "saved"
    OPENED = "opened"


def validate_request_text(text: str) -> ValidationResult:
    from app.logic.validation import validate_request

    return validate_request(text)


class RequestSession(QObject):
    """The request's edit state. Signals: `generated` (a new request is in the editor),
    `changed` (mode, file or unsaved state moved: update buttons and title), `message`
    (a status bar line and how many ms it shows)."""

    generated = Signal()
    changed = Signal()
    message = Signal(str, int)

    def __init__(
        self, config: RequestConfigPanel, block: RequestBlock, dialog_parent: QWidget
    ) -> None:
        super().__init__(dialog_parent)
        self.config = config
        self.block = block
        self.editor = block.editor
        self._dialog_parent = dialog_parent
        self.mode = RequestMode.EMPTY
        self.baseline = ""  # text that is safe to drop: generated, opened or saved to a file
        self.file_path: Path | None = None
        self.stale = False
        self._quiet = False
        block.generate_button.clicked.connect(self.generate_request)
        block.edit_button.clicked.connect(self.edit_request)
        block.save_button.clicked.connect(self.save_edits)
        block.reset_button.clicked.connect(self.reset_request)
        self.editor.text_edited.connect(self._on_text_edited)
        config.config_changed.connect(self.on_config_changed)

    # --- state --------------------------------------------------------------------------

    @property
    def editing(self) -> bool:
        return self.mode == RequestMode.EDITING

    @property
    def has_request(self) -> bool:
        return self.mode != RequestMode.EMPTY

    def has_unsaved_edits(self) -> bool:
        """True when the editor holds text that exists nowhere else (typed, not in a file)."""
        return self.editor.text() != self.baseline

    def ensure_validator(self) -> None:
        if self.editor.validator is None:
            self.editor.set_validator(validate_request_text)

    # --- the console's buttons ----------------------------------------------------------

    def generate(self) -> bool:
        """Put the request for block 1's user and form in the editor (no questions asked)."""
        from app.logic.request_builder import build_request, dumps_request

        user = self.config.user()
        if user is None:
            self.block.set_state(S.CHOOSE_USER, tone="bad")
            return False
        # A field left blank is not on the form at all (the user's own value is not used).
        typed = {name: value for name, value in self.config.form().items() if value.strip()}
        request = build_request(self.config.request_type(), user, form=typed, fields=tuple(typed))
        self._replace(dumps_request(request), RequestMode.GENERATED, None)
        self.generated.emit()
        return True

    def generate_request(self) -> None:
        """Generate Request (Ctrl+G): the JSON Okta would send for the chosen user and form."""
        if self.has_unsaved_edits() and not self._ask(S.REPLACE_EDITED):
            return
        self.config.undo_request_values()
        if self.generate():
            self.message.emit("Request generated.", 3000)

    def edit_request(self) -> None:
        """Edit: the editor becomes writable (Save keeps the changes, Reset drops them)."""
        if self.mode == RequestMode.EMPTY and not self.generate():
            return
        self.mode = RequestMode.EDITING
        self.editor.set_read_only(False)
        self._changed()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def save_edits(self) -> bool:
        """Save: keep the edited text, provided it is JSON (else say where it is not)."""
        if self.mode != RequestMode.EDITING:
            return True
        problem = self._parse_problem()
        if problem is not None:
            self.block.set_state(
                S.SAVE_REFUSED.format(where=S.where(problem, snippet=False)), tone="bad"
            )
            self.editor.validate_now()
            self.editor.go_to(problem.line, problem.column)
            return False
        self.mode = RequestMode.SAVED
        self.editor.set_read_only(True)
        self._changed()
        self.message.emit("Edits saved.", 3000)
        return True

    def reset_request(self) -> None:
        """Reset: regenerate from the chosen user (asks first when edits would be lost)."""
        if self.has_unsaved_edits() and not self._ask(S.RESET_CONFIRM):
            return
        self.config.undo_request_values()
        if self.generate():
            self.message.emit("Request regenerated from the chosen user.", 3000)

    def format_request(self) -> None:
        """Format (Ctrl+Shift+F): pretty-print the request; starts editing when needed."""
        if self.mode == RequestMode.EMPTY:
            return
        if self.mode != RequestMode.EDITING:
            self.edit_request()
        if self.editor.format_json():
            return
        problem = self._parse_problem()
        if problem is not None:
            self.block.set_state(
                f"Cannot format: not valid JSON. {S.where(problem, snippet=False)}", tone="bad"
            )
            self.editor.go_to(problem.line, problem.column)

    # --- files --------------------------------------------------------------------------

    def load(self, text: str, path: Path | None, request_type: str | None) -> None:
        """The request opened from `path` (or replayed from history) replaces the editor's;
        block 1 follows its type, its user (when the org has them) and its form values."""
        from app.logic.person.form_sync import parse_request

        self._replace(text, RequestMode.OPENED, path)
        request = parse_request(text)
        self._quiet = True
        try:
            if request_type is not None:
                self.config.set_request_type(request_type)
            if request is not None:
                self.config.follow_request(request, choose_user=True)
        finally:
            self._quiet = False
        self._changed()

    def replay(self, text: str) -> None:
        """A history entry's request replaces the editor's (block 1 follows its type)."""
        from app.logic.jsontext import loads

        try:
            value = loads(text)
        except ValueError:
            value = None
        kind = value.get("requestType") if isinstance(value, dict) else None
        self.load(text, None, kind if kind in okta.REQUEST_TYPES else None)

    def mark_written(self, written: str, path: Path) -> None:
        """`written` is now in `path`. When *** replaced an auth value, the editor's text is
        still in no file, and the window keeps saying so (modified, asked before quitting)."""
        self.baseline = written
        self.file_path = path
        self._changed()

    # --- reactions ----------------------------------------------------------------------

    def on_config_changed(self) -> None:
        if self._quiet:
            return
        if self.mode == RequestMode.GENERATED:
            self.generate()  # still the untouched generated request: keep it in step
        elif self.mode != RequestMode.EMPTY:
            self.stale = True
            self.show_state()

    def _on_text_edited(self) -> None:
        from app.logic.person.form_sync import parse_request

        request = parse_request(self.editor.text())
        if request is not None:  # the form shows what the JSON now says
            self.config.follow_request(request, undoable=True)
        self.changed.emit()
        if self.mode == RequestMode.EDITING:
            self.show_state()

    def show_state(self) -> None:
        """The line beside the buttons says where the request stands."""
        text, tone = self._state()
        self.block.set_state(text, tone=tone)

    def _state(self) -> tuple[str, str]:
        if self.mode == RequestMode.EMPTY:
            return S.STATE_EMPTY, "plain"
        if self.mode == RequestMode.EDITING:
            return S.STATE_EDITING, "plain"
        if self.stale:
            return S.STATE_STALE, "warn"
        if self.mode == RequestMode.GENERATED:
            from app.logic.okta import REQUEST_TYPE_LABELS

            user = self.config.user()
            name = user.display_name if user else "?"
            kind = REQUEST_TYPE_LABELS.get(self.config.request_type(), "")
            return S.STATE_GENERATED.format(user=name, type=kind), "plain"
        if self.mode == RequestMode.OPENED and self.file_path is not None:
            return S.STATE_OPENED.format(name=self.file_path.name), "plain"
        return S.STATE_SAVED, "plain"

    # --- plumbing -----------------------------------------------------------------------

    def _replace(self, text: str, mode: RequestMode, path: Path | None) -> None:
        self.ensure_validator()
        self.editor.set_text(text, undoable=True)
        self.editor.set_read_only(True)
        self.baseline = self.editor.text()
        self.file_path = path
        self.mode = mode
        self.stale = False
        self.config.forget_request_values()
        self._changed()

    def _changed(self) -> None:
        self.show_state()
        self.changed.emit()

    def _parse_problem(self) -> Problem | None:
        from app.logic.validation import parse_json

        _value, problem = parse_json(self.editor.text())
        return problem

    def _ask(self, question: str) -> bool:
        return prompts.ask(self._dialog_parent, question)
