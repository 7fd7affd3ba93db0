"""The Sign-In Widget's Gen3 look for the person's page: its colours on the application's light
or dark palette, the fonts by role at the current zoom, and the spinner shown during a call."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import QWidget

from app.views.theme import palette_is_dark, status_colors

#: Which Sign-In Widget both drawn cards follow, and where its order comes from. Gen3's form is
#: `<InfoSection message={message} />` and then `<Layout uischema={uischema} />`
#: (src/v3/src/components/Form/Form.tsx): the info/error callout comes first, above the title,
#: the subtitle and the inputs, which `transformEnrollProfile.ts` puts in that order, with the
#: submit button, a divider and "Already have an account? Sign in" after them
#: (src/v3/src/transformer/profile/transformEnrollProfile.ts). Gen2 put its banner between the
#: subtitle and the inputs; nothing here draws that.
GEN3_REPOSITORY = "okta/okta-signin-widget"
GEN3_COMMIT = "5225c54fdab58649a28936fbe60f39ff8fb31834"
GEN3_FILES = (
    "src/v3/src/components/Form/Form.tsx",
    "src/v3/src/components/InfoSection/InfoSection.tsx",
    "src/v3/src/transformer/profile/transformEnrollProfile.ts",
)
#: Said on the page and under block 3's card, so nobody takes it for the older widget.
GENERATION_NOTE = (
    "Drawn as the third-generation (Gen3) Sign-In Widget draws it: messages above the title."
)


@dataclass(frozen=True)
class PageColors:
    """Colours of the page, as "#rrggbb"."""

    dark: bool
    backdrop: str  # around the card
    card: str
    text: str
    muted: str  # on the card
    note: str  # the page's explanations, on the backdrop: 4.5:1 or more (WCAG AA)
    border: str
    primary: str  # the submit button (Gen3's blue)
    primary_text: str
    danger: str
    danger_background: str
    highlight_background: str  # an attribute the hook set
    highlight_text: str


def page_colors(palette: QPalette) -> PageColors:
    """The page's colours for the palette the application shows now."""
    dark = palette_is_dark(palette)
    status = status_colors(palette)
    role = QPalette.ColorRole
    return PageColors(
        dark=dark,
        backdrop=palette.color(role.Window).name(),
        card=palette.color(role.Base).name(),
        text=palette.color(role.Text).name(),
        muted=palette.color(role.PlaceholderText).name(),
        note=legible(
            palette.color(role.PlaceholderText),
            palette.color(role.Window),
            palette.color(role.Text),
        ),
        border="#5a5a60" if dark else "#c4c7cc",
        primary="#2f6fd0" if dark else "#1662dd",
        primary_text="#ffffff",
        danger=status.denied,
        danger_background=status.denied_background,
        highlight_background=status.profile_updated_background,
        highlight_text=status.profile_updated,
    )


def _luminance(color: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.red())
        + 0.7152 * channel(color.green())
        + 0.0722 * channel(color.blue())
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def legible(color: QColor, background: QColor, toward: QColor, minimum: float = 4.5) -> str:
    """`color`, moved toward `toward` (the text colour) just far enough to reach `minimum`
    against `background`: a muted line stays muted, but readable."""
    for step in range(21):
        mix = step / 20
        candidate = QColor(
            round(color.red() + (toward.red() - color.red()) * mix),
            round(color.green() + (toward.green() - color.green()) * mix),
            round(color.blue() + (toward.blue() - color.blue()) * mix),
        )
        if contrast_ratio(candidate, background) >= minimum:
            return candidate.name()
    return toward.name()


#: Font size of each role relative to the body text.
FONT_ROLES: dict[str, tuple[float, bool]] = {
    "body": (1.0, False),
    "small": (0.9, False),
    "label": (1.0, True),
    "title": (1.45, True),
    "logo": (1.6, True),
    "button": (1.05, True),
}


def role_font(base: QFont, point_size: float, role: str) -> QFont:
    scale, bold = FONT_ROLES.get(role, (1.0, False))
    font = QFont(base)
    font.setPointSizeF(max(6.0, point_size * scale))
    font.setBold(bold)
    return font


class Spinner(QWidget):
    """A turning arc, as the widget shows while it waits; it turns only while running."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._angle = 0
        self._color = QColor("#1662dd")
        self._timer = QTimer(self)
        self._timer.setInterval(40)
        self._timer.timeout.connect(self._turn)
        self.setFixedSize(QSize(22, 22))

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def set_color(self, color: str) -> None:
        self._color = QColor(color)
        self.update()

    def start(self) -> None:
        self._timer.start()
        self.show()

    def stop(self) -> None:
        self._timer.stop()
        self.hide()

    def _turn(self) -> None:
        self._angle = (self._angle + 30) % 360
        self.update()

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(self._color, max(2.0, self.width() / 9))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        margin = pen.widthF()
        rect = QRectF(margin, margin, self.width() - 2 * margin, self.height() - 2 * margin)
        painter.drawArc(rect, -self._angle * 16, 270 * 16)
        painter.end()
