"""Remote calls as a developer reads them: a missing auth value said before sending, the
attempt on the busy line, chips coloured by Okta's outcome, one "connection refused", an empty
body that is not a syntax error, and the last call's headers one click away."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from window_actions import (
    WINDOW_TEST_MARKS,
    DialogRecorder,
    choose,
    click_view_response,
    retype,
)

from app.views import strings as S
from app.views.headers_dialog import HeadersDialog
from app.views.main_window import MainWindow

pytestmark = WINDOW_TEST_MARKS

SECRET = "Basic c2VjcmV0LXZhbHVlLWZvci10ZXN0cw=="


class _Hook(BaseHTTPRequestHandler):
    """/slow (until released), /html (a 200 Okta rejects), /empty (204), else {} as JSON."""

    release = threading.Event()
    seen: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", "0")))
        type(self).seen.append(self.path)
        if self.path == "/slow":
            type(self).release.wait(10)
            self._send(200, b"{}")
        elif self.path == "/html":
            self._send(200, b"<html><body>Hello</body></html>", "text/html")
        elif self.path == "/empty":
            self.send_response(204)
            self.send_header("X-Hook", "empty")
            self.end_headers()
        else:
            self._send(200, json.dumps({"commands": []}).encode())

    def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def hook() -> Iterator[str]:
    _Hook.release = threading.Event()
    _Hook.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    _Hook.release.set()
    server.shutdown()
    server.server_close()


def go_remote(qtbot: QtBot, window: MainWindow, url: str, auth: str = SECRET) -> None:
    choose(window.config.target_combo, "remote")
    remote = window.config.remote_panel
    retype(qtbot, remote.url_edit, url)
    if auth:
        retype(qtbot, remote.auth_value_edit, auth)


def test_an_empty_auth_value_is_said_before_sending(
    qtbot: QtBot, window: MainWindow, hook: str, dialogs: DialogRecorder
) -> None:
    go_remote(qtbot, window, f"{hook}/ok", auth="")
    dialogs.answer = QMessageBox.StandardButton.No
    click_view_response(qtbot, window)
    (question,) = dialogs.texts("question")
    assert "authorization header has no value" in question and "anyway" in question
    assert window.verdict_view.badge_text() == "NOT SENT"
    assert _Hook.seen == []
    assert window.config.remote_panel.auth_value_edit.hasFocus()
    dialogs.answer = QMessageBox.StandardButton.Yes
    click_view_response(qtbot, window)
    assert window.verdict_view.badge_text() == "ALLOWED"
    assert _Hook.seen == ["/ok"]
    click_view_response(qtbot, window)  # asked once for this URL
    assert len(dialogs.texts("question")) == 2


def test_the_busy_line_and_the_chip_name_the_attempt(
    qtbot: QtBot, window: MainWindow, hook: str
) -> None:
    go_remote(qtbot, window, f"{hook}/slow")
    spin = window.config.remote_panel.timeout_spin
    retype(qtbot, spin.lineEdit(), "0.4")
    assert spin.value() == pytest.approx(0.4)
    busy = window.response_panel.busy_label
    with qtbot.waitSignal(window.response_shown, timeout=5000):
        qtbot.mouseClick(window.response_panel.view_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "(attempt 1 of 2)" in busy.text(), timeout=2000)
        qtbot.waitUntil(
            lambda: "(attempt 2 of 2, after a 0.4 s timeout)" in busy.text(), timeout=2000
        )
    chip = window.response_panel.extra_chip
    assert chip.isVisible() and chip.text() == "attempt 2 of 2, after a 0.4 s timeout"
    assert "attempt 1:" in chip.toolTip() and "attempt 2:" in chip.toolTip()


def test_an_html_200_is_not_a_green_chip(qtbot: QtBot, window: MainWindow, hook: str) -> None:
    go_remote(qtbot, window, f"{hook}/ok")
    click_view_response(qtbot, window)
    chip = window.response_panel.status_chip
    assert (chip.text(), chip.tone) == ("HTTP 200", "ok")
    retype(qtbot, window.config.remote_panel.url_edit, f"{hook}/html")
    click_view_response(qtbot, window)
    assert (chip.text(), chip.tone) == ("HTTP 200", "bad")
    assert "Okta rejects it" in chip.toolTip()


def test_an_empty_answer_is_no_body_not_a_syntax_error(
    qtbot: QtBot, window: MainWindow, hook: str
) -> None:
    go_remote(qtbot, window, f"{hook}/ok")
    click_view_response(qtbot, window)
    editor = window.response_editor
    qtbot.waitUntil(lambda: not editor.validation_pending())
    retype(qtbot, window.config.remote_panel.url_edit, f"{hook}/empty")
    click_view_response(qtbot, window)
    assert window.response_panel.status_chip.text() == "HTTP 204"
    assert editor.text() == ""
    qtbot.waitUntil(lambda: not editor.validation_pending())
    assert editor.problems() == ()
    assert "syntax" not in editor.status_label.text().lower()
    assert editor.code_edit.placeholderText() == S.EMPTY_BODY


def test_connection_refused_is_said_once(qtbot: QtBot, window: MainWindow) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    go_remote(qtbot, window, f"http://127.0.0.1:{port}/hook")
    click_view_response(qtbot, window)
    view = window.verdict_view
    shown = [view.headline_text(), *view.rule_texts, window.response_panel.status_chip.toolTip()]
    assert any("nothing is listening at" in text for text in shown)
    for text in shown:
        assert text.lower().count("connection refused") <= 1, text


def test_the_last_calls_headers_are_one_click_away(
    qtbot: QtBot, window: MainWindow, hook: str
) -> None:
    panel = window.response_panel
    assert not panel.headers_button.isEnabled()
    go_remote(qtbot, window, f"{hook}/empty")
    click_view_response(qtbot, window)
    qtbot.mouseClick(panel.headers_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(HeadersDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    sent = dialog.sent_view.toPlainText()
    assert "Content-Type: application/json" in sent
    assert SECRET not in sent and "***" in sent
    assert "x-hook: empty" in dialog.received_view.toPlainText()
    qtbot.mouseClick(dialog.show_secrets, Qt.MouseButton.LeftButton)
    assert f"authorization: {SECRET}" in dialog.sent_view.toPlainText().lower().replace(
        SECRET.lower(), SECRET
    )
    # The record keeps the mask: the value shown came from the window's own memory.
    assert all(SECRET not in value for _, value in window.last_exchange.request_headers)
    qtbot.mouseClick(dialog.show_secrets, Qt.MouseButton.LeftButton)
    assert SECRET not in dialog.sent_view.toPlainText()
    dialog.close()
