"""Block 3, "View service's response": View Response, the answer's chips (HTTP status, time,
size), the response JSON read-only, the hook's log lines, and Okta's verdict beside them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.logic import okta
from app.views import strings as S
from app.views.json_editor import JsonEditor
from app.views.plain_text import LOG_LINE_LIMIT, make_plain, plain_label, plain_tooltip, visible
from app.views.request_config import emphasise_title
from app.views.theme import shown_palette, status_colors
from app.views.verdict_view import VerdictView

if TYPE_CHECKING:
    from app.logic.answer import HookAnswer
    from app.logic.org import UserSchema
    from app.logic.validation import ValidationResult
    from app.logic.verdict import Verdict

#: Lines of the answer block 3 keeps whatever the splitter says: a remote answer is what the
#: person came for (its log is on the hook's own machine); beside the bundled hook's log, fewer.
REMOTE_RESPONSE_LINES = 8
BUNDLED_RESPONSE_LINES = 2
#: How long a call may run before the busy line and Cancel appear (avoids a flicker when the
#: bundled hook answers in a few milliseconds).
BUSY_DELAY_MS = 150


def format_size(size: int) -> str:
    """Bytes in a short human form: 512 B, 3.4 KB, 1.2 MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def format_ms(ms: float) -> str:
    if ms < 0.1:
        return "<0.1 ms"
    if ms < 10:
        return f"{ms:.1f} ms"
    if ms < 10_000:
        return f"{ms:.0f} ms"
    return f"{ms / 1000:.1f} s"


def attempts_chip(answer: HookAnswer) -> tuple[str, str, str]:
    """The chip for a retried call: "attempt 2 of 2, after a 3 s timeout", its tone and a
    tooltip with one line per attempt."""
    log = answer.attempt_log
    first = log[0] if log else None
    if first is not None and first.failure is not None and first.failure.value == "timeout":
        why = f"after a {round(first.duration_ms / 1000, 1):g} s timeout"
    elif first is not None and first.failure is not None:
        why = f"after {first.failure.value}"
    elif first is not None and first.status is not None:
        why = f"after HTTP {first.status}"
    else:
        why = "Okta retried once"
    lines = []
    for attempt in log:
        got = f"HTTP {attempt.status}" if attempt.status is not None else None
        got = got or (attempt.failure.value if attempt.failure is not None else "?")
        lines.append(
            f"attempt {attempt.number}: at {format_ms(attempt.started_ms)}, "
            f"{format_ms(attempt.duration_ms)}, {got}"
        )
    if answer.location:
        # A redirect is retried (Okta exempts only 2xx and 4xx), never followed: say where to.
        lines.append(f"Location: {answer.location} (not followed)")
    text = f"attempt {answer.attempts} of {okta.MAX_ATTEMPTS}, {why}"
    return text, "warn", "\n".join(lines) or "Okta retried once"


def validate_answer_text(text: str) -> ValidationResult:
    from app.logic.validation import validate_response

    return validate_response(text)


def checks_json_syntax(response_text: str, status: int | None) -> bool:
    """Whether the response editor lists JSON syntax problems: only for a body Okta reads as
    JSON (a 2xx answer) that sets out to be JSON. An empty body, an HTML error page, a call
    cancelled or never sent is already said by the verdict; a syntax line beside it is noise."""
    start = response_text.lstrip()[:1]
    return status is not None and 200 <= status < 300 and start in ("{", "[")


class Chip(QLabel):
    """A small rounded label; `tone` is "ok", "bad", "warn" or "plain"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tone = "plain"
        make_plain(self)  # a chip may show the hook's failure text or a redirect's Location
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setVisible(False)

    def set_chip(self, text: str, tone: str = "plain", tooltip: str = "") -> None:
        self.tone = tone
        self.setText(visible(text))
        self.setToolTip(plain_tooltip(tooltip))
        self.setVisible(bool(text))
        if text:  # a hidden chip needs no style sheet (each one costs a re-polish)
            self.restyle()

    def restyle(self) -> None:
        palette = shown_palette()  # not self.palette(): the chip's own sheet colours that
        colors = status_colors(palette)
        plain = palette.color(QPalette.ColorRole.WindowText).name()
        fg, bg = {
            "ok": (colors.allowed, colors.allowed_background),
            "bad": (colors.denied, colors.denied_background),
            "warn": (colors.warning, colors.warning_background),
        }.get(self.tone, (plain, "transparent"))
        sheet = (
            f"color: {fg}; background: {bg}; border: 1px solid {fg};"
            " border-radius: 9px; padding: 1px 9px;"
        )
        # Setting a style sheet sends a PaletteChange of its own: only set a different one.
        if sheet != self.styleSheet():
            self.setStyleSheet(sheet)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.restyle()


class ResponsePanel(QGroupBox):
    """Block 3. `view_requested` / `cancel_requested` ask the window to start or stop a call."""

    view_requested = Signal()
    cancel_requested = Signal()
    #: The person asked for the last call's request and response headers.
    headers_requested = Signal()

    def __init__(self, schema: UserSchema | None = None, parent: QWidget | None = None) -> None:
        super().__init__(S.BLOCK3_TITLE, parent)
        self.setObjectName("block3")
        layout = QVBoxLayout(self)

        bar = QHBoxLayout()
        self.view_button = QPushButton(S.VIEW_RESPONSE)
        self.view_button.setObjectName("viewResponse")
        self.view_button.setToolTip("Send the request to the chosen hook (Ctrl+Enter)")
        self.view_button.setDefault(False)
        self.view_button.clicked.connect(self.view_requested)
        self.cancel_button = QPushButton(S.CANCEL)
        self.cancel_button.setObjectName("cancelCall")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.headers_button = QPushButton(S.HEADERS_BUTTON)
        self.headers_button.setObjectName("showHeaders")
        self.headers_button.setToolTip("The request and response headers of the last call")
        self.headers_button.setEnabled(False)
        self.headers_button.clicked.connect(self.headers_requested)
        self.busy_label = plain_label()  # shows the URL the person typed
        self.busy_label.setObjectName("busyLabel")
        self.busy_label.setVisible(False)
        self.status_chip = Chip()
        self.status_chip.setObjectName("chipStatus")
        self.time_chip = Chip()
        self.time_chip.setObjectName("chipTime")
        self.size_chip = Chip()
        self.size_chip.setObjectName("chipSize")
        self.extra_chip = Chip()
        self.extra_chip.setObjectName("chipExtra")
        bar.addWidget(self.view_button)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.busy_label)
        bar.addStretch(1)
        for chip in (self.status_chip, self.time_chip, self.size_chip, self.extra_chip):
            bar.addWidget(chip)
        bar.addWidget(self.headers_button)
        layout.addLayout(bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("responseSplitter")
        self.splitter.setChildrenCollapsible(False)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(3)
        response_title = QLabel(S.RESPONSE_TITLE)
        response_title.setObjectName("sectionTitle")
        self.response_editor = JsonEditor()
        self.response_editor.setObjectName("responseEditor")
        self.response_editor.set_read_only(True)
        response_title.setBuddy(self.response_editor)
        log_title = QLabel(S.LOG_TITLE)
        log_title.setObjectName("sectionTitle")
        self.log_title = log_title
        self.log_view = QPlainTextEdit()
        self.log_view.setObjectName("hookLog")
        self.log_view.setReadOnly(True)
        self.log_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.log_view.setPlaceholderText(S.NO_LOG)
        self.log_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        left_layout.addWidget(response_title)
        left_layout.addWidget(self.response_editor, 1)
        left_layout.addWidget(log_title)
        left_layout.addWidget(self.log_view)

        self.verdict_view = VerdictView(schema)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.verdict_view)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)

        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.timeout.connect(self._show_busy)
        self._busy_text = ""
        self._log_lines = 3
        self._remote = False
        # "Valid response" comes and goes with each answer: its line keeps its room, so the
        # blocks do not move between calls.
        status = self.response_editor.status_label
        policy = status.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        status.setSizePolicy(policy)
        self._fit_log()
        emphasise_title(self)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # A chip's own sheet keeps Qt from telling it about a new application palette.
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            for chip in (self.status_chip, self.time_chip, self.size_chip, self.extra_chip):
                if chip.text():
                    chip.restyle()

    # --- state --------------------------------------------------------------------------

    def clear(self) -> None:
        for chip in (self.status_chip, self.time_chip, self.size_chip, self.extra_chip):
            chip.set_chip("")
        self.response_editor.set_text("", undoable=False)
        self.log_view.setPlainText("")
        self.verdict_view.clear()

    def response_text(self) -> str:
        return self.response_editor.text()

    def set_busy(self, busy: bool, text: str = "") -> None:
        """While a call runs: View Response off; after a short delay, the busy line and Cancel."""
        self.view_button.setEnabled(not busy)
        self._busy_text = text
        if busy:
            self._busy_timer.start(BUSY_DELAY_MS)
        else:
            self._busy_timer.stop()
            self.busy_label.setVisible(False)
            self.cancel_button.setVisible(False)

    def set_busy_text(self, text: str) -> None:
        self._busy_text = text
        self.busy_label.setText(text)

    def _show_busy(self) -> None:
        self.busy_label.setText(self._busy_text)
        self.busy_label.setVisible(True)
        self.cancel_button.setVisible(True)

    # --- results ------------------------------------------------------------------------

    def show_not_sent(self, message: str, detail: str = "", badge: str = "NOT SENT") -> None:
        """Nothing was sent (the request is not JSON, a rule is not valid, ...), or the call
        was stopped (`badge` CANCELLED).

        `detail` is shown in a monospace font (e.g. the offending line with a caret)."""
        for chip in (self.status_chip, self.time_chip, self.size_chip, self.extra_chip):
            chip.set_chip("")
        self._check_json_syntax(False)
        self.response_editor.set_text("", undoable=False)
        self.log_view.setPlainText("")
        self._dim_answer(False)
        self.headers_button.setEnabled(False)  # nothing was sent this time
        self.verdict_view.show_message(message, detail=detail, badge=badge)

    def _check_json_syntax(self, check: bool) -> None:
        editor = self.response_editor
        wanted = validate_answer_text if check else None
        if editor.validator is not wanted:
            editor.set_validator(wanted)

    def has_result(self) -> bool:
        """True while an answer (or why nothing was sent) is on show."""
        view = self.verdict_view
        return view.verdict is not None or view.badge.isVisible()

    def set_stale(self, stale: bool, note: str = S.VERDICT_STALE) -> None:
        """The answer and verdict no longer match what block 1 and 2 say: dim them."""
        self._dim_answer(stale)
        self.verdict_view.set_stale(stale, note)

    def is_stale(self) -> bool:
        return self.verdict_view.is_stale()

    def _dim_answer(self, dim: bool) -> None:
        from PySide6.QtWidgets import QGraphicsOpacityEffect

        for widget in (self.response_editor, self.log_view):
            if dim and widget.graphicsEffect() is None:
                effect = QGraphicsOpacityEffect(widget)
                effect.setOpacity(0.4)
                widget.setGraphicsEffect(effect)
            elif not dim and widget.graphicsEffect() is not None:
                widget.setGraphicsEffect(None)  # type: ignore[arg-type]

    def show_result(
        self,
        *,
        verdict: Verdict,
        request: Any,
        response_text: str,
        log_lines: tuple[str, ...] | list[str] | None,
        answer: HookAnswer | None = None,
        form_fields: Sequence[str] = (),
    ) -> None:
        """Show one answer: chips, response JSON, log lines (None: a remote hook) and verdict."""
        self._set_chips(verdict, answer)
        self._dim_answer(False)
        self.response_editor.code_edit.setPlaceholderText(S.EMPTY_BODY)
        self._check_json_syntax(checks_json_syntax(response_text, verdict.status))
        self.response_editor.set_text(response_text, undoable=False)
        self.headers_button.setEnabled(True)
        if log_lines is None:
            self.log_view.setPlainText("")
            self.log_view.setPlaceholderText(S.REMOTE_NO_LOG)
        else:
            self.log_view.setPlaceholderText(S.NO_LOG)
            self.log_view.setPlainText(
                "\n".join(visible(line, LOG_LINE_LIMIT) for line in log_lines)
            )
        self.verdict_view.show_verdict(verdict, request, form_fields)

    def _set_chips(self, verdict: Verdict, answer: HookAnswer | None) -> None:
        status = verdict.status
        if status is not None:
            # Coloured by what Okta makes of the answer: an HTML 200 is a failed hook.
            accepted = 200 <= status < 300 and not verdict.hook_failed
            tip = "HTTP status of the answer"
            if not accepted and verdict.errors():
                tip += f"; Okta rejects it: {verdict.errors()[0].message}"
            self.status_chip.set_chip(f"HTTP {status}", "ok" if accepted else "bad", tip)
        elif answer is not None and answer.failure is not None:
            self.status_chip.set_chip(answer.failure.value, "bad", answer.failure_detail)
        else:
            self.status_chip.set_chip("no answer", "bad")
        slow = verdict.elapsed_ms >= 3000
        self.time_chip.set_chip(
            format_ms(verdict.elapsed_ms),
            "bad" if slow else "plain",
            "Time from sending the request to the whole answer (Okta waits 3 s)",
        )
        big = verdict.size_bytes >= okta.MAX_RESPONSE_BYTES
        self.size_chip.set_chip(
            format_size(verdict.size_bytes),
            "bad" if big else "plain",
            "Size of the answer's body (Okta refuses 256 KB or more)",
        )
        if answer is not None and answer.attempts > 1:
            self.extra_chip.set_chip(*attempts_chip(answer))
        elif answer is not None and answer.location:
            self.extra_chip.set_chip("redirect", "warn", f"Location: {answer.location}")
        else:
            self.extra_chip.set_chip("")

    # --- zoom ---------------------------------------------------------------------------

    def set_zoom_factor(self, factor: float, base_point_size: float) -> None:
        """Scale the verdict and the log (the response editor follows the editor zoom)."""
        self.verdict_view.set_zoom_factor(factor)
        font = QFont(self.log_view.font())
        font.setPointSizeF(max(6.0, base_point_size * factor))
        self.log_view.setFont(font)
        self._fit_log()

    def set_remote(self, remote: bool) -> None:
        """A remote hook's log stays on its own machine: for a remote target the log's room
        goes to the response, which then keeps REMOTE_RESPONSE_LINES lines at any size."""
        self._remote = remote
        self.log_title.setVisible(not remote)
        self.log_view.setVisible(not remote)
        self._fit_log()

    def response_lines_kept(self) -> int:
        return REMOTE_RESPONSE_LINES if self._remote else BUNDLED_RESPONSE_LINES

    def _fit_log(self) -> None:
        metrics = self.log_view.fontMetrics()
        margins = self.log_view.contentsMargins()
        height = metrics.lineSpacing() * self._log_lines + margins.top() + margins.bottom() + 10
        self.log_view.setMaximumHeight(height)
        # At 1280x720 block 3 yields room to a dozen request lines: the answer and the log
        # may shrink to a few lines each (the verdict beside them keeps its pinned header).
        spacing = metrics.lineSpacing()
        self.log_view.setMinimumHeight(min(height, 2 * spacing + 10))
        code = self.response_editor.code_edit
        lines = self.response_lines_kept()
        chrome = 2 * code.frameWidth() + 4
        if self._remote:  # the lines it keeps stay whole under a sideways scroll bar
            chrome += code.horizontalScrollBar().sizeHint().height()
        code.setMinimumHeight(lines * code.fontMetrics().lineSpacing() + chrome)
