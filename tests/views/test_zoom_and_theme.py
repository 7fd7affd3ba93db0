"""Zoom reaches the whole window and is kept; a theme switch repaints everything at once,
readable (checked on the rendered pixels, by WCAG's contrast ratio)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel, QMenu, QWidget
from pytestqt.qtbot import QtBot
from window_actions import WINDOW_TEST_MARKS, ZOE, click_view_response, open_window

from app.views.main_window import MainWindow
from app.views.panels.page_look import contrast_ratio as contrast

pytestmark = WINDOW_TEST_MARKS


def rendered_contrast(widget: QWidget) -> float:
    """The widget as drawn on its parent: the most common pixel is the background, the one
    that differs most from it is the text."""
    parent = widget.parentWidget()
    assert parent is not None
    image = parent.grab(widget.geometry()).toImage().convertToFormat(QImage.Format.Format_RGB32)
    pixels = Counter(
        image.pixel(x, y) for x in range(0, image.width(), 1) for y in range(image.height())
    )
    background = QColor(pixels.most_common(1)[0][0])
    return max(contrast(background, QColor(pixel)) for pixel in pixels)


def _shown(parent: QWidget, name: str) -> QLabel | None:
    """The label on show (a redrawn card's old labels linger until deleted)."""
    return next((w for w in parent.findChildren(QLabel, name) if w.isVisible()), None)


def _readable_parts(window: MainWindow) -> dict[str, QWidget | None]:
    card = window.verdict_view.card
    title = _shown(card, "cardTitle")
    field = _shown(card, "cardField_email")
    panel = window.response_panel
    return {
        "card title": title,
        "card field": field,
        "status chip": panel.status_chip,
        "time chip": panel.time_chip,
        "size chip": panel.size_chip,
    }


def test_switching_the_theme_after_a_result_keeps_the_card_and_chips_readable(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.menu_actions.theme_actions["light"].trigger()
    window.config.set_user(ZOE)
    click_view_response(qtbot, window)
    for mode in ("dark", "light", "dark"):
        window.menu_actions.theme_actions[mode].trigger()
        # The redrawn card's labels show on the event loop's next turn.
        qtbot.waitUntil(lambda: _shown(window.verdict_view.card, "cardTitle") is not None)
        for name, widget in _readable_parts(window).items():
            assert widget is not None and widget.isVisible(), name
            ratio = rendered_contrast(widget)
            assert ratio >= 4.5, f"{name} in {mode}: contrast {ratio:.2f}"
        card = window.verdict_view.card
        card_background = card.parentWidget().grab(card.geometry()).toImage().pixelColor(8, 40)
        base = window.palette().color(window.palette().ColorRole.Base)
        assert contrast(card_background, base) < 1.2, f"the card keeps the old theme in {mode}"
    window.menu_actions.theme_actions["system"].trigger()


def _sizes(qtbot: QtBot, window: MainWindow) -> dict[str, float]:
    card = window.verdict_view.card
    qtbot.waitUntil(lambda: _shown(card, "cardTitle") is not None)
    menu = window.menuBar().findChildren(QMenu)[0]
    return {
        "form field": window.config.form_edit("email").font().pointSizeF(),
        "target combo": window.config.target_combo.font().pointSizeF(),
        "button": window.request_block.generate_button.font().pointSizeF(),
        "view button": window.response_panel.view_button.font().pointSizeF(),
        "block title": window.config.font().pointSizeF(),
        "menu bar": window.menuBar().font().pointSizeF(),
        "menu": menu.font().pointSizeF(),
        "status bar": window.statusBar().font().pointSizeF(),
        "card": _shown(card, "cardTitle").font().pointSizeF(),
        "chip": window.response_panel.time_chip.font().pointSizeF(),
        "request editor": window.request_editor.code_edit.font().pointSizeF(),
    }


def test_zoom_reaches_the_whole_window_and_is_kept(
    qtbot: QtBot, window: MainWindow, settings_path: Path
) -> None:
    click_view_response(qtbot, window)
    before = _sizes(qtbot, window)
    for _ in range(2):
        qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom == 2
    after = _sizes(qtbot, window)
    for name, size in before.items():
        assert after[name] >= size * 1.2, f"{name}: {size} -> {after[name]}"
    level = window.statusBar().findChild(QLabel, "zoomLevel")
    assert level is not None and level.isVisible() and level.text() == "Zoom 125%"
    window.close()

    again = open_window(qtbot, settings_path)
    assert again.zoom == 2
    assert again.statusBar().findChild(QLabel, "zoomLevel").text() == "Zoom 125%"
    assert again.config.form_edit("email").font().pointSizeF() >= before["form field"] * 1.2
    qtbot.keyClick(again, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert again.config.form_edit("email").font().pointSizeF() == before["form field"]
    assert again.statusBar().findChild(QLabel, "zoomLevel").text() == "Zoom 100%"


def test_the_contrast_ratio_is_wcags() -> None:
    # The ratio every contrast check here uses: WCAG 2's extremes and a known middle value.
    assert contrast(QColor("#000000"), QColor("#ffffff")) == 21.0
    assert contrast(QColor("#777777"), QColor("#777777")) == 1.0
    assert round(contrast(QColor("#767676"), QColor("#ffffff")), 2) == 4.54
