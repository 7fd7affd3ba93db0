"""Block 3 at a projector's size: the badge is never cut, the headline starts with a capital
and stays short, the message under a field is in view at zoom +2, no JSON syntax line sits
beside CANCELLED / NOT SENT / a wrong path, and the blocks keep their place between calls."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot
from window_actions import (
    ROSARIO,
    WINDOW_TEST_MARKS,
    ZOE,
    choose,
    click_generate,
    click_view_response,
    open_window,
    retype,
)

from app.logic import okta
from app.views.main_window import MainWindow
from app.views.verdict_view import MAX_HEADLINE_LINES

pytestmark = WINDOW_TEST_MARKS

ALLOW = {"commands": [{"type": "com.okta.action.update", "value": {"registration": "ALLOW"}}]}


class _Hook(BaseHTTPRequestHandler):
    """/slow waits for `release`; /missing is a 404 HTML page; /long denies with a long
    errorSummary; anything else allows."""

    release = threading.Event()
    long_text: ClassVar[str] = " ".join(["The hook explains at great length why not."] * 9)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.path == "/slow":
            type(self).release.wait(10)
            self._send(200, json.dumps(ALLOW).encode())
        elif self.path == "/missing":
            self._send(404, b"<html><body>Not Found</body></html>", "text/html")
        elif self.path == "/long":
            deny = {
                "commands": [{"type": "com.okta.action.update", "value": {"registration": "DENY"}}],
                "error": {"errorSummary": "x", "errorCauses": [{"errorSummary": self.long_text}]},
            }
            self._send(200, json.dumps(deny).encode())
        else:
            self._send(200, json.dumps(ALLOW).encode())

    def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def hook() -> Iterator[str]:
    _Hook.release = threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    _Hook.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def projector(qtbot: QtBot, settings_path: Path) -> MainWindow:
    return open_window(qtbot, settings_path, size=(1280, 720))


def go_remote(qtbot: QtBot, window: MainWindow, url: str) -> None:
    choose(window.config.target_combo, "remote")
    remote = window.config.remote_panel
    retype(qtbot, remote.url_edit, url)
    retype(qtbot, remote.auth_value_edit, "Basic dGVzdDp0ZXN0")


def no_syntax_line(window: MainWindow) -> bool:
    editor = window.response_editor
    listed = editor._problem_list is not None and editor.problem_list.isVisible()
    return editor.problems() == () and not listed


def in_viewport(view: QWidget, widget: QWidget) -> bool:
    viewport = view.viewport()
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return widget.isVisible() and viewport.rect().contains(QRect(top_left, widget.size()))


def test_no_json_syntax_line_beside_a_wrong_path_cancelled_or_not_sent(
    qtbot: QtBot, window: MainWindow, hook: str
) -> None:
    go_remote(qtbot, window, f"{hook}/registrationHookSSR")
    click_view_response(qtbot, window)  # a JSON answer: the response editor checks it
    qtbot.waitUntil(lambda: window.response_editor.status_label.text() == "Valid response")
    retype(qtbot, window.config.remote_panel.url_edit, f"{hook}/missing")
    click_view_response(qtbot, window)
    assert "wrong URL path" in window.verdict_view.verdict.headline
    assert no_syntax_line(window) and not window.response_editor.validation_pending()
    retype(qtbot, window.config.remote_panel.url_edit, f"{hook}/slow")
    qtbot.mouseClick(window.response_panel.view_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.response_panel.cancel_button.isVisible)
    with qtbot.waitSignal(window.response_shown):
        qtbot.mouseClick(window.response_panel.cancel_button, Qt.MouseButton.LeftButton)
    assert window.verdict_view.badge_text() == "CANCELLED"
    assert no_syntax_line(window) and not window.response_editor.validation_pending()
    retype(qtbot, window.config.remote_panel.url_edit, "")
    click_view_response(qtbot, window)
    assert window.verdict_view.badge_text() == "NOT SENT"
    assert no_syntax_line(window) and not window.response_editor.validation_pending()


def test_the_badge_is_whole_with_a_dock_open_in_presentation_mode(
    qtbot: QtBot, projector: MainWindow
) -> None:
    window = projector
    choose(window.config.target_combo, "pp")
    choose(window.config.type_combo, okta.PP)
    assert window.config.set_user(ZOE)
    retype(qtbot, window.config.form_edit("employeeNumber"), "7777")
    click_generate(qtbot, window)
    click_view_response(qtbot, window)
    view = window.verdict_view
    assert view.badge_text() == "PROFILE UPDATED"
    window.workbench.docks["signupDock"].toggleViewAction().trigger()
    window.presentation.action.trigger()
    qtbot.waitUntil(window.presentation.strip.isVisible)

    def whole() -> bool:
        badge = view.badge
        metrics = badge.fontMetrics()
        return (
            badge.width() >= badge.sizeHint().width()
            and badge.contentsRect().width() >= metrics.horizontalAdvance(badge.text())
            and badge.visibleRegion().boundingRect().width() == badge.width()
        )

    qtbot.waitUntil(whole)
    # A projector's window rather than the test screen's full size, and narrower still.
    for width in (1280, 1100):
        window.showNormal()
        window.resize(width, 720)
        qtbot.waitUntil(lambda w=width: window.width() == w)
        qtbot.waitUntil(whole)
    # The headline beside it starts with a capital, and names the attribute as spelt.
    shown = view.headline_text()
    assert shown[0].isupper() and "employeeNumber" in shown
    window.presentation.leave()


def test_a_long_headline_stays_short_and_whole_in_its_tooltip(
    qtbot: QtBot, projector: MainWindow, hook: str
) -> None:
    window = projector
    go_remote(qtbot, window, f"{hook}/long")
    click_view_response(qtbot, window)
    view = window.verdict_view
    assert _Hook.long_text in view.headline_text()
    qtbot.waitUntil(lambda: view.headline.text().endswith("…"))
    lines = view.headline.height() / view.headline.fontMetrics().lineSpacing()
    assert lines <= MAX_HEADLINE_LINES + 0.5
    assert _Hook.long_text in view.headline.toolTip()
    card = view.card
    assert any(_Hook.long_text in b.text() for b in card.findChildren(QLabel, "cardBanner"))


def test_the_message_under_its_field_is_in_view_after_a_second_run_at_zoom_2(
    qtbot: QtBot, projector: MainWindow
) -> None:
    window = projector
    for _ in range(2):
        window.zoom_in()
    assert window.config.set_user(ROSARIO)  # example.com: the message goes under Email
    click_generate(qtbot, window)
    click_view_response(qtbot, window)
    click_view_response(qtbot, window)
    view = window.verdict_view
    qtbot.waitUntil(lambda: view.card.findChild(QLabel, "cardError_email") is not None)
    message = view.card.findChild(QLabel, "cardError_email")
    qtbot.waitUntil(lambda: in_viewport(view, message))


def test_the_blocks_keep_their_place_between_calls(
    qtbot: QtBot, projector: MainWindow, hook: str
) -> None:
    window = projector
    go_remote(qtbot, window, f"{hook}/registrationHookSSR")
    click_view_response(qtbot, window)

    def place() -> tuple[list[int], QRect]:
        editor = window.response_editor
        return window.splitter.sizes(), QRect(editor.mapTo(window, QPoint(0, 0)), editor.size())

    settled = place()
    retype(qtbot, window.config.remote_panel.url_edit, f"{hook}/slow")
    qtbot.mouseClick(window.response_panel.view_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.response_panel.cancel_button.isVisible)
    assert place() == settled
    with qtbot.waitSignal(window.response_shown):
        qtbot.mouseClick(window.response_panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: place() == settled)
    retype(qtbot, window.config.remote_panel.url_edit, f"{hook}/missing")
    click_view_response(qtbot, window)
    qtbot.waitUntil(lambda: place() == settled)
    retype(qtbot, window.config.remote_panel.url_edit, f"{hook}/registrationHookSSR")
    click_view_response(qtbot, window)
    qtbot.waitUntil(lambda: place() == settled)


def test_remote_mode_keeps_eight_lines_of_response(
    qtbot: QtBot, projector: MainWindow, hook: str
) -> None:
    window = projector
    go_remote(qtbot, window, f"{hook}/registrationHookSSR")
    click_view_response(qtbot, window)
    code = window.response_editor.code_edit

    def lines() -> float:
        return code.viewport().height() / code.fontMetrics().lineSpacing()

    qtbot.waitUntil(lambda: lines() >= 8)
    window.zoom_in()
    qtbot.waitUntil(lambda: lines() >= 8)
