"""Light, dark and follow-the-system themes: the application palette, editor colours and the
verdict's status colours, all readable on either background."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

ThemeMode = Literal["system", "light", "dark"]
THEME_MODES: tuple[ThemeMode, ...] = get_args(ThemeMode)
THEME_LABELS: dict[ThemeMode, str] = {
    "system": "Follow system",
    "light": "Light",
    "dark": "Dark",
}

# Application properties that remember what apply_theme() changed, so "system" can undo it.
_PROP_MODE = "reghookThemeMode"
_PROP_ORIGINAL_STYLE = "reghookOriginalStyle"


@dataclass(frozen=True)
class EditorColors:
    """Colours of the JSON editor, as "#rrggbb" strings (usable in QColor and style sheets)."""

    dark: bool
    background: str
    foreground: str
    gutter_background: str
    gutter_foreground: str
    gutter_current: str
    gutter_problem: str
    current_line: str
    bracket_match: str
    bracket_mismatch: str
    key: str
    string: str
    number: str
    keyword: str
    punctuation: str
    error_underline: str


@dataclass(frozen=True)
class StatusColors:
    """Verdict colours: a text colour for each outcome plus a soft background to put it on."""

    dark: bool
    allowed: str
    allowed_background: str
    denied: str
    denied_background: str
    profile_updated: str
    profile_updated_background: str
    warning: str
    warning_background: str


LIGHT_EDITOR = EditorColors(
    dark=False,
    background="#ffffff",
    foreground="#1f2328",
    gutter_background="#f3f4f6",
    gutter_foreground="#8c959f",
    gutter_current="#1f2328",
    gutter_problem="#cf222e",
    current_line="#eef3fb",
    bracket_match="#c8e1ff",
    bracket_mismatch="#ffcecb",
    key="#0550ae",
    string="#a31515",
    number="#116329",
    keyword="#8250df",
    punctuation="#57606a",
    error_underline="#e5000b",
)

DARK_EDITOR = EditorColors(
    dark=True,
    background="#1e1e1e",
    foreground="#d4d4d4",
    gutter_background="#252526",
    gutter_foreground="#858585",
    gutter_current="#e6e6e6",
    gutter_problem="#f48771",
    current_line="#2a2d32",
    bracket_match="#264f78",
    bracket_mismatch="#6e2b2b",
    key="#9cdcfe",
    string="#ce9178",
    number="#b5cea8",
    keyword="#c586c0",
    punctuation="#a9b1ba",
    error_underline="#ff6464",
)

LIGHT_STATUS = StatusColors(
    dark=False,
    allowed="#1a7f37",
    allowed_background="#dafbe1",
    denied="#cf222e",
    denied_background="#ffebe9",
    profile_updated="#0969da",
    profile_updated_background="#ddf4ff",
    warning="#9a6700",
    warning_background="#fff8c5",
)

DARK_STATUS = StatusColors(
    dark=True,
    allowed="#3fb950",
    allowed_background="#173a24",
    denied="#ff7b72",
    denied_background="#4a1d1d",
    profile_updated="#58a6ff",
    profile_updated_background="#0f2f52",
    warning="#e3b341",
    warning_background="#3b2e0a",
)


def _build_palette(
    colors: dict[QPalette.ColorRole, str], disabled: dict[QPalette.ColorRole, str]
) -> QPalette:
    palette = QPalette()
    for role, value in colors.items():
        palette.setColor(role, QColor(value))
    for role, value in disabled.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(value))
    return palette


def dark_palette() -> QPalette:
    """A complete dark palette for the Fusion style."""
    role = QPalette.ColorRole
    return _build_palette(
        {
            role.Window: "#2b2b2e",
            role.WindowText: "#e6e6e6",
            role.Base: "#1e1e1e",
            role.AlternateBase: "#26262a",
            role.ToolTipBase: "#2b2b2e",
            role.ToolTipText: "#e6e6e6",
            role.PlaceholderText: "#8c8c8c",
            role.Text: "#e6e6e6",
            role.Button: "#37373b",
            role.ButtonText: "#e6e6e6",
            role.BrightText: "#ff7b72",
            role.Light: "#4a4a4f",
            role.Midlight: "#3c3c41",
            role.Mid: "#303034",
            role.Dark: "#19191b",
            role.Shadow: "#0c0c0c",
            role.Highlight: "#2f6fd0",
            role.HighlightedText: "#ffffff",
            role.Link: "#6cb6ff",
            role.LinkVisited: "#b392f0",
            role.Accent: "#2f6fd0",
        },
        {
            role.WindowText: "#7a7a7a",
            role.Text: "#7a7a7a",
            role.ButtonText: "#7a7a7a",
            role.Highlight: "#45454a",
            role.HighlightedText: "#a0a0a0",
        },
    )


def light_palette() -> QPalette:
    """A complete light palette for the Fusion style."""
    role = QPalette.ColorRole
    return _build_palette(
        {
            role.Window: "#efefef",
            role.WindowText: "#1b1b1b",
            role.Base: "#ffffff",
            role.AlternateBase: "#f5f5f5",
            role.ToolTipBase: "#ffffdc",
            role.ToolTipText: "#1b1b1b",
            role.PlaceholderText: "#6e6e6e",
            role.Text: "#1b1b1b",
            role.Button: "#efefef",
            role.ButtonText: "#1b1b1b",
            role.BrightText: "#ffffff",
            role.Light: "#ffffff",
            role.Midlight: "#e3e3e3",
            role.Mid: "#a0a0a0",
            role.Dark: "#9f9f9f",
            role.Shadow: "#767676",
            role.Highlight: "#3070d0",
            role.HighlightedText: "#ffffff",
            role.Link: "#0b57d0",
            role.LinkVisited: "#6f42c1",
            role.Accent: "#3070d0",
        },
        {
            role.WindowText: "#9e9e9e",
            role.Text: "#9e9e9e",
            role.ButtonText: "#9e9e9e",
            role.Highlight: "#c8c8c8",
            role.HighlightedText: "#ffffff",
        },
    )


def shown_palette() -> QPalette:
    """The palette the application shows now. A widget with a style sheet of its own keeps the
    colours that sheet gave it in `palette()`, so whatever draws with a sheet reads this one
    (else a theme switch leaves it in the old colours)."""
    return QGuiApplication.palette()


def palette_is_dark(palette: QPalette) -> bool:
    """True when the palette draws light text on a dark background."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    return base.lightness() < text.lightness()


def _is_dark(mode_or_palette: ThemeMode | str | QPalette | None) -> bool:
    if isinstance(mode_or_palette, QPalette):
        return palette_is_dark(mode_or_palette)
    if mode_or_palette is None or mode_or_palette == "system":
        # Whatever the application shows now: an explicit dark palette or the system's scheme.
        app = QGuiApplication.instance()
        return palette_is_dark(QGuiApplication.palette()) if app is not None else False
    if mode_or_palette == "dark":
        return True
    if mode_or_palette == "light":
        return False
    raise ValueError(f"unknown theme mode: {mode_or_palette!r} (expected system, light or dark)")


def editor_colors(mode_or_palette: ThemeMode | str | QPalette | None = None) -> EditorColors:
    """Editor colours for a theme mode, or for whatever a palette shows (light or dark)."""
    return DARK_EDITOR if _is_dark(mode_or_palette) else LIGHT_EDITOR


def status_colors(mode_or_palette: ThemeMode | str | QPalette | None = None) -> StatusColors:
    """Verdict colours (ALLOWED, DENIED, PROFILE UPDATED, warning) for a mode or palette."""
    return DARK_STATUS if _is_dark(mode_or_palette) else LIGHT_STATUS


def current_mode(app: QApplication) -> ThemeMode:
    """The mode last given to apply_theme() ("system" if it was never called)."""
    mode = app.property(_PROP_MODE)
    return mode if mode in THEME_MODES else "system"


def apply_theme(app: QApplication, mode: ThemeMode | str) -> None:
    """Switch the whole application to the light, dark or the system's own look.

    Light and dark use the Fusion style (native styles may ignore a custom palette); "system"
    restores the style the application started with and the platform's palette, so Qt follows
    the system's colour scheme again, including later changes.
    """
    if mode not in THEME_MODES:
        raise ValueError(f"unknown theme mode: {mode!r} (expected system, light or dark)")
    # The palette goes first: whoever reacts to colorSchemeChanged then reads the new palette.
    hints = app.styleHints()
    original = app.property(_PROP_ORIGINAL_STYLE)
    if mode == "system":
        # Nothing recorded: the style was never changed, and nothing asks for it (touching
        # app.style() costs the start about 8 ms of PySide6 types).
        if original is not None and app.style().name().lower() != str(original).lower():
            app.setStyle(str(original))
        # A palette with nothing set resolves entirely to the platform's palette.
        app.setPalette(QPalette())
        hints.unsetColorScheme()
    else:
        if original is None:  # the style to go back to for "system"
            app.setProperty(_PROP_ORIGINAL_STYLE, app.style().name())
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")
        app.setPalette(dark_palette() if mode == "dark" else light_palette())
        hints.setColorScheme(Qt.ColorScheme.Dark if mode == "dark" else Qt.ColorScheme.Light)
    app.setProperty(_PROP_MODE, mode)
    # Qt workaround: QApplication.setPalette() reaches widgets through posted events (seen with
    # Qt 6.12); deliver them now so every widget shows the theme when this function returns.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationPaletteChange)
