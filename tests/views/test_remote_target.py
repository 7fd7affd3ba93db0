"""The "Remote URL…" target against real HTTP servers on 127.0.0.1: the bundled logic served by
the program's own hook service, and a small server that misbehaves on purpose."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot
from window_actions import (
    ROSARIO,
    WINDOW_TEST_MARKS,
    ZOE,
    choose,
    choose_file_to_save,
    click_generate,
    click_view_response,
    response_json,
    retype,
)

from app.logic.service import ServiceRunner, bind_socket, create_app
from app.views.main_window import MainWindow
from app.views.remote_panel import BasicAuthDialog

pytestmark = WINDOW_TEST_MARKS

USER, PASSWORD = "admin", "s3cret-for-tests"
BASIC = "Basic YWRtaW46czNjcmV0LWZvci10ZXN0cw=="  # admin:s3cret-for-tests


@pytest.fixture(scope="module")
def hook_service() -> Iterator[str]:
    """The program's own hook service (the guide's logic) on a free loopback port."""
    service = create_app(USER, PASSWORD, log=lambda _line: None)
    runner = ServiceRunner(service, bind_socket("127.0.0.1", 0), engine="builtin")
    runner.start_in_thread()
    yield runner.url
    runner.close()


class _Misbehaving(BaseHTTPRequestHandler):
    """Answers by path: /slow (until released), /500, /html, /redirect, /echo (auth back)."""

    release = threading.Event()
    seen_headers: ClassVar[list[dict[str, str]]] = []
    seen_calls: ClassVar[list[tuple[str, bytes]]] = []  # (path as sent, body)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        body = self.rfile.read(length)
        type(self).seen_headers.append({k.lower(): v for k, v in self.headers.items()})
        type(self).seen_calls.append((self.path, body))
        if self.path == "/slow":
            type(self).release.wait(10)
            self._send(200, b"{}")
        elif self.path == "/500":
            self._send(500, b'{"message": "boom"}')
        elif self.path == "/html":
            self._send(200, b"<html><body>Hello</body></html>", "text/html")
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "https://elsewhere.example/hook")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/deny-echo":
            # A DENY whose message quotes the auth value, \u-escaped as JSON allows.
            auth = self.headers.get("authorization", "")
            spelled = "".join(f"\\u{ord(c):04x}" for c in auth)
            body = (
                '{"commands":[{"type":"com.okta.action.update","value":{"registration":"DENY"}}],'
                f'"error":{{"errorSummary":"Refused {spelled}"}}}}'
            )
            self._send(200, body.encode())
        else:
            echoed = {"debugContext": {"got": self.headers.get("authorization", "")}}
            self._send(200, json.dumps(echoed).encode())

    def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def odd_server() -> Iterator[str]:
    _Misbehaving.release = threading.Event()
    _Misbehaving.seen_headers = []
    _Misbehaving.seen_calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Misbehaving)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    _Misbehaving.release.set()
    server.shutdown()
    server.server_close()


def go_remote(qtbot: QtBot, window: MainWindow, url: str, auth: str = "") -> None:
    choose(window.config.target_combo, "remote")
    remote = window.config.remote_panel
    retype(qtbot, remote.url_edit, url)
    if auth:
        retype(qtbot, remote.auth_value_edit, auth)


def test_remote_hook_service_with_the_basic_dialog(
    qtbot: QtBot, window: MainWindow, hook_service: str
) -> None:
    window.config.set_user(ROSARIO)
    go_remote(qtbot, window, f"{hook_service}/registrationHookSSR")
    remote = window.config.remote_panel
    assert "Okta requires https" in remote.url_notes.text()
    assert remote.url_notes.isVisible()

    # The person opens the Basic dialog and types a user and a password.
    def fill_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, BasicAuthDialog)
        dialog.user_edit.setText(USER)
        dialog.password_edit.setText(PASSWORD)
        dialog.accept()

    QTimer.singleShot(0, fill_dialog)
    qtbot.mouseClick(remote.basic_button, Qt.MouseButton.LeftButton)
    assert remote.auth_value_edit.text() == BASIC
    assert remote.auth_value_edit.echoMode() == QLineEdit.EchoMode.Password
    remote.auth_value_edit.show_action.trigger()
    assert remote.auth_value_edit.echoMode() == QLineEdit.EchoMode.Normal
    remote.auth_value_edit.show_action.trigger()
    assert remote.auth_value_edit.echoMode() == QLineEdit.EchoMode.Password

    click_generate(qtbot, window)
    click_view_response(qtbot, window)
    verdict = window.verdict_view
    assert verdict.badge_text() == "DENIED"
    assert verdict.card.field_messages["email"] == "Only okta.com emails can register."
    assert window.response_panel.status_chip.text() == "HTTP 200"
    assert response_json(window)["commands"][0]["value"] == {"registration": "DENY"}

    window.config.set_user(ZOE)  # okta.com: allowed by the same live service
    click_view_response(qtbot, window)
    assert verdict.badge_text() == "ALLOWED"


def test_remote_settings_use_the_block_text_font_not_its_title(
    qtbot: QtBot, window: MainWindow
) -> None:
    choose(window.config.target_combo, "remote")
    remote = window.config.remote_panel
    for widget in (remote.url_edit, remote.url_notes, remote.auth_name_edit):
        assert not widget.font().bold()
        assert widget.font().pointSizeF() == window.config.target_combo.font().pointSizeF()


def test_wrong_password_is_a_failed_call(
    qtbot: QtBot, window: MainWindow, hook_service: str
) -> None:
    go_remote(qtbot, window, f"{hook_service}/registrationHookSSR", "Basic d3Jvbmc6d3Jvbmc=")
    click_view_response(qtbot, window)
    assert window.response_panel.status_chip.text() == "HTTP 401"
    assert window.verdict_view.badge_text() == "DENIED"
    verdict = window.verdict_view.verdict
    assert verdict is not None and verdict.hook_failed
    assert "error creating your account" in " ".join(window.verdict_view.card.banner_messages)


def test_progressive_profile_through_the_live_service(
    qtbot: QtBot, window: MainWindow, hook_service: str
) -> None:
    choose(window.config.type_combo, "progressive.profile")
    window.config.set_user(ZOE)
    go_remote(qtbot, window, f"{hook_service}/registrationHookSSRandPP", BASIC)
    click_generate(qtbot, window)
    retype(qtbot, window.config.form_edit("employeeNumber"), "2468")
    click_view_response(qtbot, window)
    assert window.verdict_view.badge_text() == "PROFILE UPDATED"
    assert response_json(window)["commands"][0]["value"] == {"employeeNumber": "2468"}


def test_slow_hook_ticks_and_cancel_stops_it(
    qtbot: QtBot, window: MainWindow, odd_server: str
) -> None:
    go_remote(qtbot, window, f"{odd_server}/slow")
    click_generate(qtbot, window)
    panel = window.response_panel
    qtbot.mouseClick(panel.view_button, Qt.MouseButton.LeftButton)
    assert not panel.view_button.isEnabled()
    qtbot.waitUntil(panel.cancel_button.isVisible, timeout=2000)
    first = panel.busy_label.text()
    assert first.startswith("Calling http://127.0.0.1")
    # The event loop keeps running: the elapsed time on screen moves on.
    qtbot.waitUntil(lambda: panel.busy_label.text() != first, timeout=2000)
    with qtbot.waitSignal(window.response_shown, timeout=2000):
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert "Cancelled" in window.verdict_view.headline_text()
    assert panel.view_button.isEnabled()
    assert not panel.cancel_button.isVisible()


def test_timeout_is_reported_with_the_retry(
    qtbot: QtBot, window: MainWindow, odd_server: str
) -> None:
    go_remote(qtbot, window, f"{odd_server}/slow")
    window.config.remote_panel.timeout_spin.setValue(0.3)
    click_view_response(qtbot, window)
    panel = window.response_panel
    assert panel.status_chip.text() == "timeout"
    assert panel.extra_chip.text() == "attempt 2 of 2, after a 0.3 s timeout"
    assert window.verdict_view.badge_text() == "DENIED"
    assert len(_Misbehaving.seen_headers) == 2


@pytest.mark.parametrize(
    ("path", "chip", "extra"),
    [
        ("/500", "HTTP 500", "attempt 2 of 2, after HTTP 500"),
        ("/html", "HTTP 200", ""),
        # A redirect is retried once (Okta exempts only a 2xx and a 4xx), never followed.
        ("/redirect", "HTTP 302", "attempt 2 of 2, after HTTP 302"),
    ],
)
def test_misbehaving_answers(
    qtbot: QtBot, window: MainWindow, odd_server: str, path: str, chip: str, extra: str
) -> None:
    go_remote(qtbot, window, odd_server + path)
    click_view_response(qtbot, window)
    panel = window.response_panel
    assert panel.status_chip.text() == chip
    assert window.verdict_view.badge_text() == "DENIED"
    verdict = window.verdict_view.verdict
    assert verdict is not None and verdict.hook_failed
    if extra:
        assert panel.extra_chip.text() == extra
    if path == "/html":
        assert "<html>" in window.response_editor.text()  # the body as it came
    if path == "/redirect":
        assert "elsewhere.example" in panel.extra_chip.toolTip()


def test_headers_sent_and_secrets_never_saved(
    qtbot: QtBot,
    window: MainWindow,
    odd_server: str,
    tmp_path: Path,
    settings_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    go_remote(qtbot, window, f"{odd_server}/echo", "Bearer very-secret-token")
    remote = window.config.remote_panel
    remote.add_header_row()
    remote.headers_table.item(0, 0).setText("X-Tenant")
    remote.headers_table.item(0, 1).setText("blue-team-value")
    click_view_response(qtbot, window)
    sent = _Misbehaving.seen_headers[-1]
    assert sent["authorization"] == "Bearer very-secret-token"
    assert sent["x-tenant"] == "blue-team-value"
    assert sent["content-type"] == "application/json"
    assert sent["accept"] == "application/json"
    assert "very-secret-token" in window.response_editor.text()  # the service echoed it
    # The window shows the answer as it came; its history has *** in the secret's place.
    from app.logic.run.history import open_default_store

    qtbot.waitUntil(lambda: bool(open_default_store().list(1)))
    (entry,) = open_default_store().list(1)
    assert b"very-secret-token" not in entry.response_body and b"***" in entry.response_body

    target = tmp_path / "response.json"
    choose_file_to_save(monkeypatch, target)
    window.menu_actions.save_response_action.trigger()
    written = target.read_text(encoding="utf-8")
    assert "very-secret-token" not in written and "***" in written
    window.close()
    ini = settings_path.read_text(encoding="utf-8")
    assert "very-secret-token" not in ini and "blue-team-value" not in ini
    assert "/echo" in ini  # the URL is remembered, the secrets are not


def test_save_current_as_scenario_writes_no_echoed_secret(
    qtbot: QtBot, window: MainWindow, odd_server: str, tmp_path: Path, monkeypatch
) -> None:
    click_generate(qtbot, window)
    go_remote(qtbot, window, f"{odd_server}/deny-echo", "Bearer very-secret-token")
    click_view_response(qtbot, window)
    assert _Misbehaving.seen_headers[-1]["authorization"] == "Bearer very-secret-token"
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.workbench.scenarios is not None)
    panel = window.workbench.scenarios
    assert panel is not None
    saved_to = tmp_path / "echo.json"
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    dialog = panel.save_dialog  # one dialog: the name and the file
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    retype(qtbot, dialog.file_edit, str(saved_to))
    with qtbot.waitSignal(panel.scenario_saved):
        qtbot.keyClick(dialog.file_edit, Qt.Key.Key_Return)
    written = saved_to.read_text(encoding="utf-8")
    assert "very-secret-token" not in written and "\\u0076\\u0065" not in written
    scenario = json.loads(written)
    assert scenario["expect"]["outcome"] == "DENIED"
    assert "Refused ***" in [m["text"] for m in scenario["expect"]["messages"]]


def test_copy_as_curl_runs_in_bash_as_exactly_the_one_call(
    qtbot: QtBot, window: MainWindow, odd_server: str, tmp_path: Path
) -> None:
    bash, curl = shutil.which("bash"), shutil.which("curl")
    if bash is None or curl is None:
        pytest.skip("needs bash and curl")
    click_generate(qtbot, window)
    # A URL that curl would glob into several, a body with what a shell would run.
    go_remote(qtbot, window, f"{odd_server}/echo/{{a,b}}/[1-25]", "Bearer very-secret-token")
    hostile = '$(touch pwned) `touch pwned2` it\'s \\"q\\" @/etc/hostname '
    text = window.request_editor.text().replace('"firstName": "', '"firstName": "' + hostile)
    window.request_editor.set_text(text)
    qtbot.keyClick(
        window,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    command = QApplication.clipboard().text()
    assert "very-secret-token" not in command and "pwned" in command
    # HOOK_AUTH is the whole auth value, as the status bar says.
    auth = "Bearer very-secret-token"
    work = tmp_path / "work"
    work.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(work), "HOOK_AUTH": auth}
    done = subprocess.run([bash, "-c", command], cwd=work, env=env, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert _Misbehaving.seen_calls == [("/echo/{a,b}/[1-25]", text.encode("utf-8"))]
    assert _Misbehaving.seen_headers[-1]["authorization"] == "Bearer very-secret-token"
    assert list(work.iterdir()) == []  # nothing in the body ran


def test_bad_url_is_explained_without_a_call(qtbot: QtBot, window: MainWindow) -> None:
    go_remote(qtbot, window, "ftp://example.com/hook")
    click_view_response(qtbot, window)
    assert window.verdict_view.badge_text() == "NOT SENT"
    assert "Cannot call the hook" in window.verdict_view.headline_text()


def test_the_services_base_url_answers_from_the_request_types_endpoint(
    qtbot: QtBot, window: MainWindow, hook_service: str
) -> None:
    window.config.set_user(ROSARIO)
    go_remote(qtbot, window, hook_service, BASIC)  # http://127.0.0.1:PORT, as serve prints it
    remote = window.config.remote_panel
    assert "goes to /registrationHookSSR or /registrationHookPP" in remote.url_notes.text()
    click_generate(qtbot, window)
    click_view_response(qtbot, window)
    assert window.response_panel.status_chip.text() == "HTTP 200"
    assert window.verdict_view.badge_text() == "DENIED"  # the SSR endpoint's domain rule
    assert window.verdict_view.card.field_messages["email"] == "Only okta.com emails can register."


def test_the_scenarios_dock_runs_the_suite_against_the_services_base_url(
    qtbot: QtBot, window: MainWindow, hook_service: str
) -> None:
    from PySide6.QtGui import QKeySequence

    go_remote(qtbot, window, hook_service, BASIC)
    combo = QKeySequence("Ctrl+T")[0]
    qtbot.keyClick(window, combo.key(), combo.keyboardModifiers())
    qtbot.waitUntil(lambda: window.workbench.scenarios is not None)
    panel = window.workbench.scenarios
    suite = Path(__file__).resolve().parents[2] / "fixtures" / "scenarios" / "guide"
    with qtbot.waitSignal(panel.folder_loaded, timeout=20_000) as loaded:
        panel.open_folder(suite)
    count = loaded.args[1]
    with qtbot.waitSignal(panel.run_finished, timeout=60_000) as finished:
        qtbot.mouseClick(panel.run_all_button, Qt.MouseButton.LeftButton)
    assert finished.args == [count, 0]  # PP and SSRandPP cases included: each its endpoint


def test_export_okta_hook_config_names_the_endpoint_of_a_base_url(
    qtbot: QtBot, window: MainWindow
) -> None:
    # Okta calls exactly the URL in its hook: the export gets the endpoint, not the base.
    go_remote(qtbot, window, "https://hooks.example.com", "Basic x")
    window.workbench.export_config_action.trigger()
    dialog = window.workbench.config_dialog
    qtbot.addWidget(dialog)
    assert dialog.url_edit.text() == "https://hooks.example.com/registrationHookSSR"
    dialog.close()


def test_a_progressive_request_goes_to_the_base_urls_pp_endpoint(
    qtbot: QtBot, window: MainWindow, hook_service: str
) -> None:
    choose(window.config.type_combo, "progressive.profile")
    window.config.set_user(ZOE)
    go_remote(qtbot, window, hook_service, BASIC)
    click_generate(qtbot, window)
    retype(qtbot, window.config.form_edit("employeeNumber"), "2468")
    click_view_response(qtbot, window)
    assert window.verdict_view.badge_text() == "PROFILE UPDATED"
    assert response_json(window)["commands"][0]["value"] == {"employeeNumber": "2468"}
