"""Layout at the projector's and a desktop's size, at the smallest size, narrow and after a
shrink; and a visible focus frame at every Tab stop, in both themes."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot
from test_zoom_and_theme import contrast
from window_actions import WINDOW_TEST_MARKS, click_view_response, demo_org, open_window

from app.views.focus_ring import ring_target, shown_rect
from app.views.layout import fitted_geometry
from app.views.main_window import DEFAULT_SIZE, MIN_SIZE, MainWindow
from app.views.settings import Settings

pytestmark = WINDOW_TEST_MARKS


def _editor_lines(window: MainWindow) -> float:
    code = window.request_editor.code_edit
    return code.viewport().height() / code.fontMetrics().lineSpacing()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_the_request_editor_shows_a_dozen_lines_by_default(
    qtbot: QtBot, settings_path: Path, size: tuple[int, int]
) -> None:
    window = open_window(qtbot, settings_path, size=size)
    qtbot.waitUntil(lambda: _editor_lines(window) >= 12)
    assert window.config_scroll.verticalScrollBar().maximum() == 0  # block 1 whole
    click_view_response(qtbot, window)
    view = window.verdict_view
    assert view.header.isVisible() and view.header.height() > 0


def _in_window(widget: QWidget, window: MainWindow) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _controls(root: QWidget) -> list[QWidget]:
    kinds = (QLabel, QPushButton, QLineEdit, QComboBox)
    found = [w for w in root.findChildren(QWidget) if isinstance(w, kinds) and w.isVisible()]
    # A combo's own line edit lies inside it by design.
    return [w for w in found if not isinstance(w.parentWidget(), QComboBox)]


def test_the_smallest_window_keeps_every_control_usable(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(400, 300)
    qtbot.waitUntil(lambda: window.width() <= MIN_SIZE[0] + 1)
    assert (window.width(), window.height()) == MIN_SIZE
    click_view_response(qtbot, window)
    for root in (window.request_block, window.response_panel, window.config):
        controls = _controls(root)
        for widget in controls:
            if isinstance(widget, QPushButton):
                assert widget.width() >= widget.minimumSizeHint().width(), widget.text()
        for a, b in itertools.combinations(controls, 2):
            if a.isAncestorOf(b) or b.isAncestorOf(a) or a.parentWidget() is not b.parentWidget():
                continue
            overlap = _in_window(a, window).intersected(_in_window(b, window))
            assert overlap.isEmpty(), f"{a.objectName() or a} overlaps {b.objectName() or b}"


def test_block1_columns_go_under_each_other_when_narrow(qtbot: QtBot, window: MainWindow) -> None:
    columns = window.config.columns
    assert columns.direction() == QBoxLayout.Direction.LeftToRight
    window.resize(MIN_SIZE[0], 760)
    qtbot.waitUntil(lambda: columns.direction() == QBoxLayout.Direction.TopToBottom)
    assert window.config_scroll.horizontalScrollBar().maximum() == 0  # nothing cut sideways
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: columns.direction() == QBoxLayout.Direction.LeftToRight)


def test_block1_gets_its_height_back_after_a_shrink(qtbot: QtBot, window: MainWindow) -> None:
    bar = window.config_scroll.verticalScrollBar()
    assert bar.maximum() == 0
    window.resize(1280, MIN_SIZE[1])
    qtbot.waitUntil(lambda: window.height() == MIN_SIZE[1])
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.height() == 800)
    qtbot.waitUntil(lambda: bar.maximum() == 0)  # the hint under the target in full again
    hint = window.config.target_hint
    seen = hint.visibleRegion().boundingRect()
    assert seen.height() == hint.height()


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_tab_stop_shows_a_clear_focus_frame(
    qtbot: QtBot, window: MainWindow, mode: str
) -> None:
    window.menu_actions.theme_actions[mode].trigger()
    click_view_response(qtbot, window)
    ring = window.focus_ring
    window.config.target_combo.setFocus(Qt.FocusReason.TabFocusReason)
    seen: list[str] = []
    for _ in range(60):
        focused = QApplication.focusWidget()
        assert focused is not None
        target = ring_target(focused)
        name = target.objectName() or type(target).__name__
        if name == "codeEdit":  # an editor's text area: say which editor
            name = f"{target.parentWidget().objectName()}/{name}"
        if seen and target is window.config.target_combo:
            break
        seen.append(name)
        qtbot.waitUntil(ring.isVisible)
        assert ring.target is target
        frame = QRect(ring.mapTo(window, QPoint(0, 0)), ring.size())
        shown = shown_rect(target, window)
        assert not shown.isEmpty() and frame.contains(shown), name
        background = window.palette().color(window.palette().ColorRole.Window)
        assert contrast(QColor(ring.color()), background) >= 3.0, f"{name}: faint frame"
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    # The order is the sensible one it was: block 1, block 2, block 3.
    for earlier, later in itertools.pairwise(
        ("requestEditor", "viewResponse", "responseEditor", "hookLog", "verdictView")
    ):
        assert any(earlier in n for n in seen) and any(later in n for n in seen), seen
        first = next(i for i, n in enumerate(seen) if earlier in n)
        second = next(i for i, n in enumerate(seen) if later in n)
        assert first < second, seen
    window.menu_actions.theme_actions["system"].trigger()


def test_the_first_start_fits_the_screens_available_area(qtbot: QtBot, settings_path: Path) -> None:
    # As on a first start: no remembered geometry, no size asked for.
    window = MainWindow(demo_org(), Settings(settings_path))
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    available = window.screen().availableGeometry()

    def on_screen() -> bool:
        frame = window.frameGeometry()
        bar = window.statusBar()
        bar_bottom = bar.mapToGlobal(QPoint(0, bar.height() - 1)).y()
        # Top to bottom: the title bar and the whole status bar on the screen.
        fits = available.top() <= frame.top() and frame.bottom() <= available.bottom()
        fits = fits and bar_bottom <= available.bottom()
        if available.width() >= MIN_SIZE[0] + (frame.width() - window.width()):
            fits = fits and available.left() <= frame.left() and frame.right() <= available.right()
        return fits

    qtbot.waitUntil(on_screen)
    # As large as the screen allows, up to the default size.
    assert window.width() >= min(DEFAULT_SIZE[0], available.width() - 40)
    assert window.height() >= min(DEFAULT_SIZE[1], available.height() - 80)


def test_the_fitted_geometry_leaves_room_for_the_frame() -> None:
    available = QRect(0, 24, 1280, 696)  # 1280x720 less a top panel
    inner = fitted_geometry(available, QMargins(1, 30, 1, 1), QSize(1280, 800))
    outer = inner.adjusted(-1, -30, 1, 1)
    assert available.contains(outer) and outer.size() == available.size()
    small = fitted_geometry(available, QMargins(1, 30, 1, 1), QSize(800, 560))
    assert small.size() == QSize(800, 560) and available.contains(small)


def test_the_room_and_the_zoom_need_only_the_blocks_they_are_given(qtbot: QtBot) -> None:
    """The room keeper and the zoom work on any window holding the blocks: no MainWindow."""
    from PySide6.QtWidgets import QMainWindow, QPlainTextEdit, QScrollArea, QSplitter

    from app.views import layout, zoom
    from app.views.request_config import RequestConfigPanel
    from app.views.response_panel import REMOTE_RESPONSE_LINES, ResponsePanel

    window = QMainWindow()
    qtbot.addWidget(window)
    config, response = RequestConfigPanel(demo_org()), ResponsePanel()
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(config)
    code = QPlainTextEdit()
    splitter = QSplitter(Qt.Orientation.Vertical)
    for widget in (scroll, code, response):
        splitter.addWidget(widget)
    window.setCentralWidget(splitter)
    fits: list[int] = []
    splits: list[int] = []
    room = layout.RoomKeeper(
        window,
        config,
        scroll,
        response,
        fit_config_pane=lambda: fits.append(scroll.width()),
        default_split=lambda: splits.append(window.height()),
    )
    room.want_default_split()  # hidden: now, and again once shown
    assert len(splits) == 1
    window.resize(1000, 700)
    with qtbot.waitExposed(window):
        window.show()
    qtbot.waitUntil(lambda: len(splits) == 2 and fits != [])
    config.set_target("remote")  # block 3 gives the log's room to the response
    assert response.response_lines_kept() == REMOTE_RESPONSE_LINES

    sizes = layout.default_sizes(code, code, response, 900, 150)
    assert sizes[0] == 150 and sum(sizes) == 900
    assert sizes[2] >= layout.block_minimums(code, response)[1]

    followed: list[tuple[float, float]] = []
    zoom.apply_window_zoom(
        window,
        1.25,
        10.0,
        config=config,
        titled_blocks=(response,),
        followers=(lambda factor, base: followed.append((factor, base)),),
    )
    assert window.font().pointSizeF() == 12.5 and followed == [(1.25, 10.0)]
    level = window.statusBar().findChild(QLabel, "zoomLevel")
    assert level is not None and level.text() == "Zoom 125%"
