"""Okta's verdict, plain to see: the outcome badge, the sign-up card the person would see with its
inline messages or page banner, the profile before -> after, and every broken rule."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.logic import okta
from app.views import strings as S
from app.views.plain_text import plain_label, plain_tooltip, visible
from app.views.theme import StatusColors, status_colors
from app.views.verdict_card import place_messages, rule_text
from app.views.viewport import viewport_of

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTableWidget

    from app.logic.org import UserSchema
    from app.logic.verdict import Verdict
    from app.views.verdict_details import SignInCard, VerdictDetails

PP_TYPE = okta.PP
#: Every text the badge shows (its room is kept for the widest).
BADGE_TEXTS = ("ALLOWED", "DENIED", "PROFILE UPDATED", "NOT SENT", "CANCELLED")
#: The headline beside the badge shows at most this many lines (all of it in its tooltip).
MAX_HEADLINE_LINES = 3
_NOT_SET = "(not set)"


def _json_text(value: Any) -> str:
    """A profile value as the person would read it (strings bare, others as JSON)."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    import json

    return json.dumps(value, ensure_ascii=False)


def capitalised_headline(reason: str, outcome: str) -> str:
    """The line beside the badge starts with a capital: a plain word is capitalised; an
    attribute name ("employeeNumber = ...") or a quoted text keeps its spelling after a lead-in."""
    first_word = reason.split(" ", 1)[0]
    if not reason or reason[:1].isupper():
        return reason
    if first_word.isalpha() and first_word.islower():  # a plain word, not an attribute name
        return reason[:1].upper() + reason[1:]
    if outcome == "PROFILE UPDATED":
        return f"The hook sets {reason}"
    return f"The person sees: {reason}"


class VerdictView(QScrollArea):
    """Everything Okta would decide and show for one answer; empty until `show_verdict`."""

    def __init__(self, schema: UserSchema | None = None, parent: QWidget | None = None) -> None:
        # Before anything: QScrollArea's own filter watches its parts as they are built.
        self._reveal_pending = False
        super().__init__(parent)
        self.setObjectName("verdictView")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.schema = schema
        self._verdict: Verdict | None = None
        self._request: Any = None
        self._form_fields: tuple[str, ...] = ()
        #: (text, "error" or "info", detail, badge) of the message shown instead of a verdict.
        self._message: tuple[str, str, str, str] | None = None
        self._zoom_factor = 1.0
        self._base_point_size = self.font().pointSizeF()
        #: rule code -> what a live org was seen doing about it ("observed on your org on …"),
        #: cited beside an UNCONFIRMED label; None until an org is connected.
        self.citation_for: Callable[[str], str | None] | None = None

        self._body = QWidget()
        self._body.setObjectName("verdictBody")
        self.setWidget(self._body)
        outer = QVBoxLayout(self._body)
        outer.setContentsMargins(10, 8, 10, 8)
        outer.setSpacing(8)

        top = QHBoxLayout()
        self.badge = QLabel()
        self.badge.setObjectName("verdictBadge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Never squeezed ("FILE UPDA"): the headline beside it wraps instead, and the view's
        # minimum width keeps room for the widest badge.
        self.badge.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        # The headline quotes the hook's errorSummary; the detail quotes the request.
        self.headline = plain_label(S.VERDICT_EMPTY)
        self.headline.setObjectName("verdictHeadline")
        self.headline.setWordWrap(True)
        # Its longest word must not claim room the badge needs: narrow, it wraps and is cut.
        self.headline.setMinimumWidth(1)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail = plain_label()
        self.detail.setObjectName("verdictDetail")
        self.detail.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setVisible(False)
        self.stale_note = plain_label(S.VERDICT_STALE)
        self.stale_note.setObjectName("verdictStale")
        self.stale_note.setVisible(False)
        text_column = QVBoxLayout()
        text_column.addWidget(self.headline)
        text_column.addWidget(self.detail)
        text_column.addWidget(self.stale_note)
        text_column.addStretch(1)
        top.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(text_column, 1)
        # The badge and the headline are pinned above what scrolls (in the viewport's top
        # margin): after any View Response, at any zoom, the outcome is in view.
        self.header = QWidget(self)
        self.header.setObjectName("verdictHeader")
        self.header.setLayout(top)
        top.setContentsMargins(10, 8, 10, 4)
        self._stale = False
        self._table_rows_height = 0
        self._headline_text = S.VERDICT_EMPTY
        self._shown_headline_width = -1
        # A timer of the view's own: it dies with the view (a bare singleShot would fire
        # on a deleted card).
        self._reveal_timer = QTimer(self)
        self._reveal_timer.setSingleShot(True)
        self._reveal_timer.setInterval(0)
        self._reveal_timer.timeout.connect(self._reveal_first_message)
        self._body.installEventFilter(self)
        self.verticalScrollBar().actionTriggered.connect(self._stop_revealing)

        outer.addStretch(1)
        self._outer = outer
        # The card, the rule breaks and the profile table stay hidden until the first verdict:
        # they are built then (see `details`), not while the window opens.
        self._details: VerdictDetails | None = None

        #: For tests and screenshots: the texts of the rule-break rows, in order.
        self.rule_texts: list[str] = []
        self.clear()

    # --- public -------------------------------------------------------------------------

    @property
    def verdict(self) -> Verdict | None:
        return self._verdict

    @property
    def details(self) -> VerdictDetails:
        """The card, the rule breaks and the profile table; built the first time they are
        needed, below the headline."""
        if self._details is None:
            from app.views.verdict_details import VerdictDetails

            details = VerdictDetails()
            for widget in details.widgets():
                widget.setVisible(False)  # a verdict shows them; a message keeps them hidden
            self._outer.insertLayout(0, details.columns)
            self._details = details
        return self._details

    @property
    def card(self) -> SignInCard:
        return self.details.card

    @property
    def profile_note(self) -> QLabel:
        return self.details.profile_note

    @property
    def profile_table(self) -> QTableWidget:
        return self.details.profile_table

    def badge_text(self) -> str:
        return self.badge.text()

    def headline_text(self) -> str:
        return self._headline_text

    def _set_headline(self, text: str) -> None:
        """The line beside the badge: whole in its tooltip, cut to MAX_HEADLINE_LINES on
        screen (a hook's long errorSummary must not push the card out of view; the card and
        the status bar show it whole)."""
        self._headline_text = text
        self._shown_headline_width = -1
        self.headline.setText(text)
        self.headline.setToolTip("")

    def _cut_headline(self, width: int) -> None:
        text = self._headline_text
        if width <= 0 or width == self._shown_headline_width:
            return
        self._shown_headline_width = width
        metrics = QFontMetrics(self.headline.font())
        limit = MAX_HEADLINE_LINES * metrics.lineSpacing()
        flags = int(Qt.TextFlag.TextWordWrap)

        def height(candidate: str) -> int:
            return metrics.boundingRect(QRect(0, 0, width, 100_000), flags, candidate).height()

        if height(text) <= limit:
            self.headline.setText(text)
            self.headline.setToolTip("")
            return
        low, high = 0, len(text)  # the longest start of the text that fits, with "…"
        while low < high:
            middle = (low + high + 1) // 2
            if height(text[:middle].rstrip() + "…") <= limit:
                low = middle
            else:
                high = middle - 1
        self.headline.setText(text[:low].rstrip() + "…")
        self.headline.setToolTip(plain_tooltip(text))

    def minimumSizeHint(self) -> QSize:
        """The same whatever is shown (a longer headline or a taller header must not move the
        window's splitters), and wide enough for the widest badge beside a short headline."""
        hint = super().minimumSizeHint()
        badge = QFontMetrics(self._badge_font())
        widest = max(badge.horizontalAdvance(text) for text in BADGE_TEXTS) + 2 * 16 + 2 * 2
        body = QFontMetrics(self._body.font())
        width = 10 + widest + 12 + body.averageCharWidth() * 12 + 10
        height = badge.height() + 2 * 6 + 2 * 2 + 12 + 3 * body.lineSpacing()
        return QSize(max(hint.width(), width), height)

    def clear(self) -> None:
        """Back to the empty state (nothing has been sent yet)."""
        self._verdict = None
        self._message = None
        self.badge.setVisible(False)
        self._set_headline(S.VERDICT_EMPTY)
        self._set_details_visible(False)
        self._fit_header()

    def show_message(
        self, text: str, *, error: bool = True, detail: str = "", badge: str = "NOT SENT"
    ) -> None:
        """No verdict, but something to say (e.g. the request is not JSON, nothing was sent).

        `detail` goes under the text in a monospace font (an excerpt with a caret lines up)."""
        self._verdict = None
        self._reveal_pending = False
        self._message = (text, "error" if error else "info", detail, badge)
        colors = status_colors(self.palette())
        self.badge.setVisible(error)
        if error:
            self._style_badge(badge, colors.warning, colors.warning_background)
        self.headline.setFont(self._body.font())
        self._set_headline(text)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self._set_details_visible(False)
        self.set_stale(False)
        self.verticalScrollBar().setValue(0)
        self._fit_header()

    def show_verdict(self, verdict: Verdict, request: Any, form_fields: Sequence[str] = ()) -> None:
        """Show Okta's verdict on one answer to `request` (the parsed request JSON).

        `form_fields` are the inputs the form had; one the person left blank (so the request
        does not carry it) is still drawn on the card, empty.
        """
        self._verdict = verdict
        self._request = request
        self._form_fields = tuple(form_fields)
        self._message = None
        self._render()
        self.set_stale(False)
        self.verticalScrollBar().setValue(0)
        # Once laid out: the first message under a field (else the banner) in view, below
        # the pinned badge, at any zoom; again as the card settles, until the person scrolls.
        self._reveal_pending = True
        self._reveal_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self._body
            and self._reveal_pending
            and event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest)
        ):
            self._reveal_timer.start()
        return super().eventFilter(watched, event)

    def _stop_revealing(self, *_args: object) -> None:
        self._reveal_pending = False

    def _reveal_first_message(self) -> None:
        if not self._reveal_pending or self._verdict is None or self._details is None:
            return
        card = self.card
        shown = [w for w in card.findChildren(QLabel) if w.isVisible()]
        first = next((w for w in shown if w.objectName().startswith("cardError_")), None)
        if first is None:
            first = next((w for w in shown if w.objectName() == "cardBanner"), None)
        if first is None:
            return
        # Qt workaround: the layouts may still wait for their posted LayoutRequest; place the
        # card's rows now, or the scroll goes to where the message was before.
        for widget in (card, self._body):
            layout = widget.layout()
            if layout is not None:
                layout.activate()
        self.ensureWidgetVisible(first, 0, 12)

    def is_stale(self) -> bool:
        return self._stale

    def set_stale(self, stale: bool, note: str = S.VERDICT_STALE) -> None:
        """Mark what is shown as out of date: dimmed, with a note saying why."""
        from PySide6.QtWidgets import QGraphicsOpacityEffect

        self._stale = stale
        self.stale_note.setText(note)
        self.stale_note.setVisible(stale)
        for widget in (self._body, self.badge):
            if stale and widget.graphicsEffect() is None:
                # Once: a second dimming effect over the first drew the answer twice.
                effect = QGraphicsOpacityEffect(widget)
                effect.setOpacity(0.4)
                widget.setGraphicsEffect(effect)
            elif not stale and widget.graphicsEffect() is not None:
                widget.setGraphicsEffect(None)  # type: ignore[arg-type]
        self._fit_header()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_header()
        self._fit_table()

    def _fit_table(self) -> None:
        if self._details is None or not self._table_rows_height:
            return
        table = self.profile_table
        height = self._table_rows_height
        if table.horizontalHeader().length() > viewport_of(table).width():
            height += table.horizontalScrollBar().sizeHint().height()
        table.setFixedHeight(height)

    def _fit_header(self) -> None:
        width = self.width()
        header = self.header
        layout = header.layout()
        if layout is None:
            return
        margins = layout.contentsMargins()
        badge = self.badge.sizeHint().width() + layout.spacing() if self.badge.isVisible() else 0
        self._cut_headline(width - margins.left() - margins.right() - badge)
        height = layout.heightForWidth(width) if layout.hasHeightForWidth() else -1
        if height <= 0:
            height = layout.sizeHint().height()
        self.setViewportMargins(0, height, 0, 0)
        header.setGeometry(0, 0, width, height)

    def set_zoom_factor(self, factor: float) -> None:
        """Scale every font of the verdict (projector zoom)."""
        self._zoom_factor = factor
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, self._base_point_size * factor))
        self._body.setFont(font)
        self._rerender()

    # --- drawing ------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._rerender()

    def _rerender(self) -> None:
        if self._verdict is not None:
            self._render()
        elif self._message is not None:
            text, kind, detail, badge = self._message
            stale = self._stale
            self.show_message(text, error=kind == "error", detail=detail, badge=badge)
            self.set_stale(stale)

    def refresh_citations(self) -> None:
        """Draw the verdict again: what a live org was seen doing has changed."""
        self._rerender()

    def _set_details_visible(self, visible: bool) -> None:
        if not visible:
            self.rule_texts = []
            if self._details is None:
                return  # nothing to hide: they are built for the first verdict
        details = self.details
        for widget in details.widgets():
            widget.setVisible(visible)
        if not visible:
            from app.views.verdict_details import clear_layout

            clear_layout(details.rules_box)

    def _badge_font(self) -> QFont:
        font = QFont(self._body.font())
        font.setBold(True)
        font.setPointSizeF(self._body.font().pointSizeF() * 1.9)
        return font

    def _style_badge(self, text: str, color: str, background: str) -> None:
        self.badge.setText(text)
        self.badge.setFont(self._badge_font())
        self.badge.setStyleSheet(
            f"color: {color}; background: {background}; border: 2px solid {color};"
            " border-radius: 8px; padding: 6px 16px;"
        )
        self.badge.setVisible(True)

    def _render(self) -> None:
        from app.logic.verdict import Outcome

        verdict = self._verdict
        assert verdict is not None
        colors = status_colors(self.palette())
        if verdict.outcome is Outcome.ALLOWED:
            self._style_badge("ALLOWED", colors.allowed, colors.allowed_background)
        elif verdict.outcome is Outcome.PROFILE_UPDATED:
            self._style_badge(
                "PROFILE UPDATED", colors.profile_updated, colors.profile_updated_background
            )
        else:
            self._style_badge("DENIED", colors.denied, colors.denied_background)
        self.detail.setVisible(False)
        headline = verdict.headline
        prefix = f"{verdict.outcome.value}: "
        if headline.upper().startswith(prefix):
            # The badge already says it; the line beside it says why.
            headline = headline[len(prefix) :]
            headline = capitalised_headline(headline, verdict.outcome.value)
        headline_font = QFont(self._body.font())
        headline_font.setPointSizeF(self._body.font().pointSizeF() * 1.15)
        self.headline.setFont(headline_font)
        self._set_headline(headline)
        self.stale_note.setFont(self._body.font())
        self._set_details_visible(True)
        self._render_card(verdict, colors)
        self._render_profile(verdict, colors)
        self._render_rules(verdict, colors)

    def _request_type(self, verdict: Verdict) -> str | None:
        if verdict.request_type:
            return verdict.request_type
        if isinstance(self._request, dict):
            value = self._request.get("requestType")
            return value if isinstance(value, str) else None
        return None

    def _title(self, name: str) -> str:
        if self.schema is not None:
            attribute = self.schema.attributes.get(name)
            if attribute is not None and attribute.title:
                return attribute.title
        return name

    def _card_fields(self, progressive: bool) -> list[tuple[str, str, str]]:
        """The form's fields as the request carries them (login hidden: the email is the login)."""
        data = self._request.get("data") if isinstance(self._request, dict) else None
        source_key = "userProfileUpdate" if progressive else "userProfile"
        source = data.get(source_key) if isinstance(data, dict) else None
        fields: list[tuple[str, str, str]] = []
        if isinstance(source, dict):
            for name, value in source.items():
                if name == "login" and "email" in source:
                    continue
                fields.append((name, self._title(name), _json_text(value)))
        present = {name for name, _, _ in fields}
        if not progressive and "email" in present:
            present.add("login")
        for name in self._form_fields:
            if name not in present:
                fields.append((name, self._title(name), ""))
        return fields

    def _render_card(self, verdict: Verdict, colors: StatusColors) -> None:
        from app.logic.verdict import Outcome

        progressive = self._request_type(verdict) == PP_TYPE
        fields = self._card_fields(progressive)
        placed = place_messages(verdict.messages, (name for name, _, _ in fields))
        note = ""
        if verdict.outcome is not Outcome.DENIED:
            note = S.PROCEEDS_PP if progressive else S.PROCEEDS_SSR
        self.card.show_form(
            progressive=progressive,
            fields=fields,
            inline=placed.inline,
            banners=placed.banners,
            outcome_note=note,
            colors=colors,
            font=self._body.font(),
            readings=placed.readings,
        )

    def _render_profile(self, verdict: Verdict, colors: StatusColors) -> None:
        from app.logic.verdict import Outcome

        before = verdict.profile_before or {}
        after = verdict.profile_after or {}
        changed = {change.name for change in verdict.changes}
        names = list(before)
        names.extend(name for name in after if name not in before)
        # Changed rows first, so the change is in view without scrolling.
        names.sort(key=lambda name: name not in changed and before.get(name) == after.get(name))
        from PySide6.QtWidgets import QTableWidgetItem

        table = self.profile_table
        table.setRowCount(len(names))
        highlight = QColor(colors.profile_updated_background)
        bold = QFont(self._body.font())
        bold.setBold(True)
        for row, name in enumerate(names):
            cells = [
                name,
                _json_text(before[name]) if name in before else _NOT_SET,
                _json_text(after[name]) if name in after else _NOT_SET,
            ]
            is_changed = name in changed or before.get(name) != after.get(name)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(visible(text))
                item.setToolTip(plain_tooltip(text))
                if is_changed:
                    item.setBackground(highlight)
                    item.setForeground(QColor(colors.profile_updated))
                    item.setFont(bold)
                table.setItem(row, column, item)
        table.resizeRowsToContents()
        height = table.horizontalHeader().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(row) for row in range(table.rowCount()))
        self._table_rows_height = height
        self._fit_table()
        if verdict.changes:
            count = len(verdict.changes)
            self.profile_note.setText(
                f"{count} attribute{'s' if count != 1 else ''} changed (highlighted)."
            )
        elif verdict.outcome is Outcome.DENIED:
            self.profile_note.setText(S.PROFILE_NO_CHANGE_DENIED)
        else:
            self.profile_note.setText(S.PROFILE_NO_CHANGE)

    def _render_rules(self, verdict: Verdict, colors: StatusColors) -> None:
        from PySide6.QtWidgets import QStyle

        from app.logic.verdict import Severity
        from app.views.verdict_details import clear_layout

        rules_box = self.details.rules_box
        clear_layout(rules_box)
        self.rule_texts = []
        icon_size = max(14, round(16 * self._zoom_factor))
        style = self.style()
        if not verdict.problems:
            ok = QLabel(S.RULES_OK)
            ok.setObjectName("rulesOk")
            ok.setStyleSheet(f"color: {colors.allowed};")
            ok.setFont(self._body.font())  # a style sheet stops font inheritance (zoom)
            rules_box.addWidget(ok)
            self.rule_texts.append(S.RULES_OK)
            return

        icons = {
            Severity.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
            Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
            Severity.NOTE: QStyle.StandardPixmap.SP_MessageBoxInformation,
        }
        for problem in verdict.problems:
            row = QHBoxLayout()
            row.setSpacing(6)
            icon = QLabel()
            icon.setPixmap(
                style.standardIcon(icons.get(problem.severity, icons[Severity.NOTE])).pixmap(
                    QSize(icon_size, icon_size)
                )
            )
            icon.setToolTip(problem.severity.value)
            icon.setAlignment(Qt.AlignmentFlag.AlignTop)
            label_text = problem.label
            cited = (
                self.citation_for(problem.code) if problem.reading and self.citation_for else None
            )
            if cited:
                label_text = f"{label_text}; {cited}"
            text = rule_text(problem.severity.value, problem.message, problem.path, label_text)
            label = plain_label(text)  # the message may quote the hook's answer
            label.setObjectName(f"rule_{problem.code}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(label, 1)
            rules_box.addLayout(row)
            self.rule_texts.append(text)
