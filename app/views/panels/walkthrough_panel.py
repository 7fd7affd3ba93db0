"""The walkthrough: the guide's four steps of one flow (self-service registration or progressive
profile), each showing its part of a run, to step through with the arrow keys while explaining.

    panel = WalkthroughPanel(flow=okta.SSR)
    panel.follow(signup_page)              # lights the steps as the page submits and answers
    panel.show_exchange(history_entry)     # or any exchange, with any target, e.g. a replay

Steps: 1 the person acts (what they typed); 2 Okta calls the hook with this request (the JSON);
3 the hook answers with these commands (the answer's JSON, status, time); 4 Okta applies them
and the person sees this (the commands that ran, the changes, the page's outcome). While a call
runs step 2 is lit; when the exchange arrives step 4 is. Left/Right (or the step buttons)
move back and forth.

Signals:
    step_changed(int)   the step shown now, 0-based

The window wires: `follow(page)` (or `show_pending` / `show_exchange` itself), `set_flow` when
the request type changes, `set_zoom_factor` for the zoom. The panel follows the palette.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.logic import okta
from app.logic.person import walkthrough as W
from app.views.panels.page_look import page_colors, role_font
from app.views.plain_text import plain_label

if TYPE_CHECKING:
    from app.logic.person.outcome import PageOutcome
    from app.logic.run.exchange import Exchange
    from app.views.panels.signup_page import SignupPage

HEADING = "{flow}: the guide's four steps"
STALE = " (changed since this run: send again to see the new one)"
KEYS_HINT = "← / → step back and forth"
STEP_BUTTONS = ("1 · The person acts", "2 · The request", "3 · The answer", "4 · What happens")


class WalkthroughPanel(QWidget):
    """The four steps of one flow; see the module docstring for its interface."""

    step_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, flow: str = okta.SSR) -> None:
        super().__init__(parent)
        self.setObjectName("walkthroughPanel")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._walkthrough = W.walkthrough(flow)
        self._current = 0
        self._stale = False
        self._factor = 1.0
        self._base_point_size = QApplication.font().pointSizeF()
        self._build()
        self._draw()

    # --- public interface -------------------------------------------------------------------

    @property
    def flow(self) -> str:
        return self._walkthrough.flow

    def current_step(self) -> int:
        return self._current

    def step(self, index: int) -> W.Step:
        return self._walkthrough.steps[index]

    def lit_step(self) -> int:
        """The step the run has reached (the one lit when the run's data arrived)."""
        return self._walkthrough.current

    def set_flow(self, flow: str) -> None:
        """Show the empty steps of another flow (a run of that flow fills them)."""
        if flow == self.flow:
            return
        self._walkthrough = W.walkthrough(flow)
        self._go(0)

    def set_stale(self, stale: bool) -> None:
        """The run shown no longer matches what feeds the next call (the heading says so)."""
        if stale != self._stale:
            self._stale = stale
            self._draw()

    def is_stale(self) -> bool:
        return self._stale

    def show_pending(self, request_text: str, target_label: str, timeout_s: float) -> None:
        """A call has started: the request is out; step 2 is lit."""
        self._walkthrough = W.pending(self.flow, request_text, target_label, timeout_s)
        self._go(self._walkthrough.current)

    def show_exchange(self, exchange: Exchange, outcome: PageOutcome | None = None) -> None:
        """Fill the steps from `exchange` (and what the page showed for it); step 4 is lit."""
        self._walkthrough = W.from_exchange(exchange, outcome, self.flow)
        self._stale = False
        self._go(self._walkthrough.current)

    def follow(self, page: SignupPage) -> None:
        """Light the steps as `page` submits and the answer comes back."""
        page.submitted.connect(lambda text: self._on_page_submitted(page, text))
        page.exchange_ready.connect(lambda exchange: self.show_exchange(exchange, page.outcome))

    def next_step(self) -> None:
        self._go(min(W.STEP_COUNT - 1, self._current + 1))

    def previous_step(self) -> None:
        self._go(max(0, self._current - 1))

    def set_step(self, index: int) -> None:
        self._go(max(0, min(W.STEP_COUNT - 1, index)))

    def set_zoom_factor(self, factor: float, base_point_size: float | None = None) -> None:
        self._factor = max(0.25, float(factor))
        if base_point_size is not None:
            self._base_point_size = base_point_size
        self._apply_fonts()

    # --- building and drawing ---------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        top = QHBoxLayout()
        self._heading = plain_label("")
        self._heading.setObjectName("walkthroughHeading")
        top.addWidget(self._heading)
        top.addStretch(1)
        self._hint = plain_label(KEYS_HINT)
        self._hint.setObjectName("walkthroughHint")
        top.addWidget(self._hint)
        layout.addLayout(top)

        row = QHBoxLayout()
        row.setSpacing(6)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: list[QPushButton] = []
        for index in range(W.STEP_COUNT):
            button = QPushButton(STEP_BUTTONS[index])
            button.setObjectName(f"stepButton{index + 1}")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, i=index: self._go(i))
            self._group.addButton(button, index)
            self._buttons.append(button)
            row.addWidget(button, 1)
        layout.addLayout(row)

        self._title = plain_label("")
        self._title.setObjectName("stepTitle")
        self._title.setWordWrap(True)
        self._caption = plain_label("")
        self._caption.setObjectName("stepCaption")
        self._caption.setWordWrap(True)
        self._body = QPlainTextEdit()
        self._body.setObjectName("stepBody")
        self._body.setReadOnly(True)
        self._body.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self._body.installEventFilter(self)
        layout.addWidget(self._title)
        layout.addWidget(self._caption)
        layout.addWidget(self._body, 1)
        self._apply_fonts()
        self._restyle()

    def _go(self, index: int) -> None:
        changed = index != self._current
        self._current = index
        self._draw()
        if changed:
            self.step_changed.emit(index)

    def _draw(self) -> None:
        walkthrough = self._walkthrough
        heading = HEADING.format(flow=W.FLOW_NAMES[walkthrough.flow])
        self._heading.setText(heading + (STALE if self._stale else ""))
        step = walkthrough.steps[self._current]
        self._title.setText(step.title)
        self._caption.setText(step.caption)
        self._body.setPlainText(step.body)
        self._body.setVisible(bool(step.body))
        self._buttons[self._current].setChecked(True)
        for index, button in enumerate(self._buttons):
            button.setToolTip(walkthrough.steps[index].title)
            button.setProperty("reached", index <= walkthrough.current)
        self._apply_fonts()
        self._restyle()

    def _apply_fonts(self) -> None:
        base = QFont(self.font())
        size = self._base_point_size * self._factor
        self._heading.setFont(role_font(base, size, "label"))
        self._hint.setFont(role_font(base, size, "small"))
        self._title.setFont(role_font(base, size * 1.2, "label"))
        self._caption.setFont(role_font(base, size, "body"))
        for button in self._buttons:
            button.setFont(role_font(base, size, "body"))
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(6.0, size))
        is_json = self._walkthrough.steps[self._current].is_json
        self._body.setFont(mono if is_json else role_font(base, size, "body"))

    def _restyle(self) -> None:
        colors = page_colors(self.palette())
        self._hint.setStyleSheet(f"color: {colors.muted};")
        self._caption.setStyleSheet(f"color: {colors.text};")
        self.setStyleSheet(
            f"#walkthroughPanel QPushButton {{ border: 1px solid {colors.border};"
            f" border-radius: 6px; padding: 6px; color: {colors.muted};"
            f" background: {colors.card}; }}"
            f"#walkthroughPanel QPushButton[reached='true'] {{ color: {colors.text}; }}"
            f"#walkthroughPanel QPushButton:checked {{ background: {colors.primary};"
            f" color: {colors.primary_text}; border-color: {colors.primary}; }}"
        )

    # --- events -----------------------------------------------------------------------------

    def _on_page_submitted(self, page: SignupPage, text: str) -> None:
        target = page.target()
        if target is None:
            return
        self.set_flow(page.flow)
        self.show_pending(text, target.url or target.label, target.timeout_s)

    def _step_key(self, event: QKeyEvent) -> bool:
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if event.key() == Qt.Key.Key_Right:
            self.next_step()
            return True
        if event.key() == Qt.Key.Key_Left:
            self.previous_step()
            return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._step_key(event):
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The read-only body would move its cursor on Left/Right; here they step instead.
        if watched is self._body and event.type() == QEvent.Type.KeyPress:
            return self._step_key(event)  # type: ignore[arg-type]
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._restyle()
        super().changeEvent(event)
