"""The focus ring at every Tab stop of the window with a dock open (its panel's controls
included) and in presentation mode (the row of what the person typed included)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from window_actions import WINDOW_TEST_MARKS, ZOE, click_view_response

from app.views.focus_ring import ring_target, shown_rect
from app.views.main_window import MainWindow

pytestmark = WINDOW_TEST_MARKS


def _name(widget: QWidget) -> str:
    parent = widget.parentWidget()
    owner = parent.objectName() if parent is not None else ""
    return f"{owner}/{widget.objectName() or type(widget).__name__}"


def tab_round(qtbot: QtBot, window: MainWindow, start: QWidget) -> list[str]:
    """Tab from `start` until it comes round; at each stop the ring frames what is shown."""
    ring = window.focus_ring
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(start.hasFocus)
    seen: list[str] = []
    missing: list[str] = []
    for _ in range(150):
        focused = QApplication.focusWidget()
        assert focused is not None
        target = ring_target(focused)
        if seen and target is ring_target(start):
            break
        seen.append(_name(target))
        shown = shown_rect(target, window)
        if not shown.isEmpty():
            try:
                qtbot.waitUntil(
                    lambda t=target: ring.isVisible() and ring.target is t, timeout=1000
                )
            except Exception:
                missing.append(_name(target))
            else:
                frame = QRect(ring.mapTo(window, QPoint(0, 0)), ring.size())
                if not frame.contains(shown):
                    missing.append(_name(target))
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert missing == [], missing
    return seen


@pytest.mark.parametrize("dock", ["signupDock", "scenariosDock", "historyDock", "walkthroughDock"])
def test_the_ring_reaches_every_stop_of_an_open_dock(
    qtbot: QtBot, window: MainWindow, dock: str
) -> None:
    window.config.set_user(ZOE)
    click_view_response(qtbot, window)
    panel = window.workbench.docks[dock]
    panel.toggleViewAction().trigger()
    qtbot.waitUntil(lambda: panel.isVisible() and panel.widget() is not None)
    seen = tab_round(qtbot, window, window.config.target_combo)
    tab = Qt.FocusPolicy.TabFocus
    inside = [
        _name(ring_target(w))
        for w in panel.widget().findChildren(QWidget)
        # (a widget with a focus proxy hands the focus on: the proxy is the stop)
        if w.focusPolicy() & tab and w.isVisible() and w.isEnabled() and w.focusProxy() is None
    ]
    if panel.widget().focusPolicy() & tab:
        inside.append(_name(ring_target(panel.widget())))
    assert inside and set(inside) <= set(seen), (set(inside) - set(seen), seen[-12:])


def test_the_ring_in_presentation_mode(qtbot: QtBot, window: MainWindow) -> None:
    window.config.set_user(ZOE)
    click_view_response(qtbot, window)
    window.presentation.action.trigger()
    presentation = window.presentation
    names = list(window.config.form())
    qtbot.waitUntil(lambda: all(presentation.typed_edit(n).isVisible() for n in names))
    seen = tab_round(qtbot, window, window.response_panel.view_button)
    assert any("presented_email" in s for s in seen), "\n".join(seen)
    window.presentation.leave()
