"""The parts of a verdict built with the first verdict (block 3 opens empty): the sign-up card
the person would see, the rule breaks and the profile before -> after."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.views import strings as S
from app.views.plain_text import plain_label
from app.views.theme import shown_palette

if TYPE_CHECKING:
    from app.views.theme import StatusColors


def clear_layout(layout: Any) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())


class SignInCard(QFrame):
    """A small mock of Okta's sign-up (or progressive profile) form with the hook's messages."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.setMinimumWidth(260)
        self.setMaximumWidth(380)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(22, 16, 22, 18)
        self._layout.setSpacing(4)
        #: What the card shows, for tests: field -> (value, message or None); banner lines.
        self.field_messages: dict[str, str | None] = {}
        self.banner_messages: list[str] = []
        self.reading_messages: list[tuple[str, str]] = []
        self.outcome_note = ""

    def _add(self, widget: QWidget) -> None:
        # Qt workaround: a child with a style sheet does not follow its parent's later font
        # (the projector zoom), so each one gets the card's font explicitly.
        widget.setFont(self.font())
        self._layout.addWidget(widget)

    def show_form(
        self,
        *,
        progressive: bool,
        fields: list[tuple[str, str, str]],
        inline: dict[str, list[str]],
        banners: list[str],
        outcome_note: str,
        colors: StatusColors,
        font: QFont | None = None,
        readings: Sequence[tuple[str, str]] = (),
    ) -> None:
        """Draw the card. `fields` holds (name, title, value); `inline` maps name -> messages."""
        clear_layout(self._layout)
        if font is not None:
            self.setFont(font)
        self.field_messages = {
            name: "\n".join(inline.get(name, [])) or None for name, _, _ in fields
        }
        self.banner_messages = list(banners)
        self.reading_messages = list(readings)
        self.outcome_note = outcome_note
        palette = shown_palette()  # the card's own sheet would give the old theme's colours
        text = palette.color(QPalette.ColorRole.Text).name()
        muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
        base = palette.color(QPalette.ColorRole.Base).name()
        self.setStyleSheet(
            f"#signInCard {{ background: {base}; border: 1px solid {muted}; border-radius: 6px; }}"
        )

        logo = QLabel("okta")
        logo.setObjectName("cardLogo")
        logo.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        logo.setStyleSheet(f"color: {colors.profile_updated}; font-weight: bold;")
        logo_font = QFont(self.font())
        logo_font.setPointSizeF(self.font().pointSizeF() * 1.25)
        logo.setFont(logo_font)
        self._layout.addWidget(logo)
        self._layout.addSpacing(6)
        # Gen3 order: the info/error callout first, then the title and the inputs
        # (app.views.panels.page_look.GEN3_FILES).

        for message in banners:
            banner = plain_label(f"⚠  {message}")
            banner.setObjectName("cardBanner")
            banner.setWordWrap(True)
            banner.setStyleSheet(
                f"background: {colors.denied_background}; color: {colors.denied};"
                f" border: 1px solid {colors.denied}; border-radius: 4px; padding: 6px;"
            )
            self._add(banner)
            self._layout.addSpacing(4)
        for label_text, message in readings:
            caption = plain_label(label_text)
            caption.setObjectName("cardReadingLabel")
            caption.setWordWrap(True)
            caption.setStyleSheet(f"color: {colors.warning}; font-style: italic;")
            self._add(caption)
            reading = plain_label(f"⚠  {message}")
            reading.setObjectName("cardReading")
            reading.setWordWrap(True)
            reading.setStyleSheet(
                f"background: {colors.denied_background}; color: {colors.denied};"
                f" border: 1px dashed {colors.denied}; border-radius: 4px; padding: 6px;"
            )
            self._add(reading)
            self._layout.addSpacing(4)

        title = QLabel(S.CARD_PP_TITLE if progressive else S.CARD_SSR_TITLE)
        title.setObjectName("cardTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        title.setWordWrap(True)
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_font.setPointSizeF(self.font().pointSizeF() * 1.15)
        title.setFont(title_font)
        title.setStyleSheet(f"color: {text};")
        self._layout.addWidget(title)
        self._layout.addSpacing(6)

        for name, title_text, value in fields:
            messages = inline.get(name, [])
            label = plain_label(title_text)
            label.setStyleSheet(f"color: {text};")
            self._add(label)
            box = plain_label(value if value else " ")
            box.setObjectName(f"cardField_{name}")
            border = colors.denied if messages else muted
            width = 2 if messages else 1
            box.setStyleSheet(
                f"background: {base}; color: {text}; border: {width}px solid {border};"
                " border-radius: 4px; padding: 5px 8px;"
            )
            box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._add(box)
            for message in messages:
                error = plain_label(f"⊗ {message}")
                error.setObjectName(f"cardError_{name}")
                error.setWordWrap(True)
                error.setStyleSheet(f"color: {colors.denied};")
                self._add(error)
            self._layout.addSpacing(6)

        button = QLabel(S.CARD_PP_BUTTON if progressive else S.CARD_SSR_BUTTON)
        button.setAlignment(Qt.AlignmentFlag.AlignCenter)
        button.setStyleSheet(
            f"background: {colors.profile_updated}; color: {'#0d1117' if colors.dark else 'white'};"
            " border-radius: 4px;"
            " padding: 7px; font-weight: bold;"
        )
        self._layout.addSpacing(4)
        self._add(button)
        if outcome_note:
            note = QLabel(outcome_note)
            note.setObjectName("cardOutcome")
            note.setWordWrap(True)
            note.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            note.setStyleSheet(f"color: {colors.allowed}; padding-top: 6px;")
            self._add(note)


class VerdictDetails:
    """The parts of a verdict under the headline: the sign-up card beside the rule breaks and
    the profile before -> after."""

    def __init__(self) -> None:
        self.columns = QHBoxLayout()
        self.columns.setSpacing(14)
        card_column = QVBoxLayout()
        self.card_caption = QLabel(S.CARD_CAPTION)
        self.card_caption.setObjectName("hint")
        self.card = SignInCard()
        card_column.addWidget(self.card_caption)
        card_column.addWidget(self.card)
        card_column.addStretch(1)
        self.columns.addLayout(card_column, 0)

        details = QVBoxLayout()
        self.profile_title = QLabel(S.PROFILE_TITLE)
        self.profile_title.setObjectName("sectionTitle")
        self.profile_note = plain_label()
        self.profile_note.setObjectName("hint")
        self.profile_note.setWordWrap(True)
        self.profile_table = QTableWidget(0, 3)
        self.profile_table.setObjectName("profileTable")
        self.profile_table.setHorizontalHeaderLabels(["Attribute", "Before", "After"])
        self.profile_table.verticalHeader().setVisible(False)
        self.profile_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.profile_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.profile_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.profile_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.profile_table.horizontalHeader()
        # Every column as wide as its values (no "rosario.jones@okt..."); the last one takes
        # what is left, and a scroll bar appears rather than cutting a value.
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.profile_table.setTextElideMode(Qt.TextElideMode.ElideNone)
        # Never a cut value: when the columns are wider than the table, it scrolls sideways
        # (and is that much taller, so the scroll bar covers no row).
        self.rules_title = QLabel(S.RULES_TITLE_VERDICT)
        self.rules_title.setObjectName("sectionTitle")
        self.rules_box = QVBoxLayout()
        self.rules_box.setSpacing(4)
        # The rules first: what the answer gets wrong matters more than an unchanged profile.
        details.addWidget(self.rules_title)
        details.addLayout(self.rules_box)
        details.addSpacing(8)
        details.addWidget(self.profile_title)
        details.addWidget(self.profile_note)
        details.addWidget(self.profile_table)
        details.addStretch(1)
        self.columns.addLayout(details, 1)

    def widgets(self) -> tuple[QWidget, ...]:
        return (
            self.card_caption,
            self.card,
            self.profile_title,
            self.profile_note,
            self.profile_table,
            self.rules_title,
        )


__all__ = ["SignInCard", "VerdictDetails", "clear_layout"]
