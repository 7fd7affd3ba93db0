"""Input meant to hurt the window: credentials in a URL, secrets in disguise, megabyte-long
lines, control characters from the hook, no display at all, and Ctrl+C in the terminal."""

from __future__ import annotations

import json
import signal
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot
from window_actions import (
    WINDOW_TEST_MARKS,
    DialogRecorder,
    choose,
    choose_file_to_open,
    choose_file_to_save,
    click_generate,
    click_view_response,
    demo_org,
    retype,
)

from app.logic import okta
from app.logic.org import load_demo_org
from app.logic.request_builder import build_request, dumps_request
from app.views import settings as K
from app.views import strings as S
from app.views.main_window import MainWindow
from app.views.settings import Settings

pytestmark = WINDOW_TEST_MARKS

REPO = Path(__file__).resolve().parents[2]
SLASHED_SECRET = "Bearer ab/cd/ef/gh/ij"
ACCESS_TOKEN = "eyJhbGciOi.access-token-value.sig"
ANSI_SUMMARY = "\x1b[31mYou shall not pass\x07\x00"


class _Hook(BaseHTTPRequestHandler):
    """/escaped echoes a secret JSON-escaped; /token hands out ACCESS_TOKEN; /echo sends the
    authorization header back; /ansi denies with control characters in the message."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self, data: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.path == "/escaped":
            # \u0042 is "B" and \/ is "/": the secret in two spellings JSON allows.
            escaped = "\\u0042earer ab\\/cd\\/ef\\/gh\\/ij"
            self._answer(('{"debugContext": {"got": "' + escaped + '"}}').encode())
        elif self.path == "/token":
            self._answer(json.dumps({"access_token": ACCESS_TOKEN, "expires_in": 600}).encode())
        elif self.path == "/ansi":
            cause = {
                "errorSummary": ANSI_SUMMARY,
                "reason": "INVALID_EMAIL_DOMAIN",
                "locationType": "body",
                "location": "data.userProfile.email",
                "domain": "end-user",
            }
            error = {"errorSummary": ANSI_SUMMARY, "errorCauses": [cause]}
            self._answer(json.dumps({"error": error}).encode())
        else:
            got = {"got": self.headers.get("authorization", "")}
            self._answer(json.dumps({"debugContext": got}).encode())


@pytest.fixture
def hook() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# --- the settings file ---------------------------------------------------------------------


def test_the_settings_file_is_readable_by_its_owner_only(
    qtbot: QtBot, window: MainWindow, settings_path: Path
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    window.settings.sync()
    assert window.settings.get(K.ZOOM) == 1
    assert stat.S_IMODE(settings_path.stat().st_mode) == 0o600


def test_an_existing_settings_file_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "settings.ini"
    path.write_text("[view]\nzoom=2\n", encoding="utf-8")
    path.chmod(0o644)
    settings = Settings(path)
    settings.set(K.ZOOM, 3)
    settings.sync()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Settings(path).get(K.ZOOM) == 3


def test_a_url_with_user_and_password_is_stored_without_them(
    qtbot: QtBot, window: MainWindow, settings_path: Path
) -> None:
    choose(window.config.target_combo, "remote")
    remote = window.config.remote_panel
    retype(qtbot, remote.url_edit, "http://alice:pa55word-x@127.0.0.1:9/registrationHookSSR")
    window.settings.sync()
    stored = settings_path.read_text(encoding="utf-8")
    assert "pa55word" not in stored and "alice" not in stored
    assert window.settings.get(K.REMOTE_URL) == "http://127.0.0.1:9/registrationHookSSR"
    # The person is told, next to the field, and the field itself keeps what they typed.
    qtbot.waitUntil(remote.url_notes.isVisible)
    assert S.URL_HAS_CREDENTIALS in remote.url_notes.text()
    assert "alice:pa55word-x@" in remote.url_edit.text()


# --- secrets in disguise -------------------------------------------------------------------


def _save_response(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    target = tmp_path / "response.json"
    choose_file_to_save(monkeypatch, target)
    window.menu_actions.save_response_action.trigger()
    return target.read_text(encoding="utf-8")


def test_save_response_asks_about_a_json_escaped_auth_value(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: DialogRecorder,
    hook: str,
) -> None:
    choose(window.config.target_combo, "remote")
    remote = window.config.remote_panel
    retype(qtbot, remote.url_edit, f"{hook}/escaped")
    retype(qtbot, remote.auth_value_edit, SLASHED_SECRET)
    click_view_response(qtbot, window)
    dialogs.answer = QMessageBox.StandardButton.Yes
    written = _save_response(qtbot, window, tmp_path, monkeypatch)
    assert dialogs.texts("question") == [S.SAVE_HAS_SECRET]
    assert "ab/cd" not in json.dumps(json.loads(written), ensure_ascii=False)
    assert "\\/cd" not in written and "\\u0042earer" not in written


def test_save_response_asks_about_the_oauth_access_token(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: DialogRecorder,
    hook: str,
) -> None:
    choose(window.config.target_combo, "remote")
    remote = window.config.remote_panel
    retype(qtbot, remote.url_edit, f"{hook}/echo")
    remote.oauth_check.setFocus()
    qtbot.keyClick(remote.oauth_check, Qt.Key.Key_Space)
    assert remote.oauth_check.isChecked()
    retype(qtbot, remote.token_url_edit, f"{hook}/token")
    retype(qtbot, remote.client_id_edit, "client-1")
    retype(qtbot, remote.client_secret_edit, "client-secret-1")
    click_view_response(qtbot, window)
    assert ACCESS_TOKEN in window.response_panel.response_text()
    dialogs.answer = QMessageBox.StandardButton.Yes
    written = _save_response(qtbot, window, tmp_path, monkeypatch)
    assert dialogs.texts("question") == [S.SAVE_HAS_SECRET]
    assert ACCESS_TOKEN not in written and "Bearer ***" in written


# --- control characters --------------------------------------------------------------------


def test_control_characters_from_the_hook_show_as_escapes(
    qtbot: QtBot, window: MainWindow, hook: str
) -> None:
    choose(window.config.target_combo, "remote")
    retype(qtbot, window.config.remote_panel.url_edit, f"{hook}/ansi")
    click_view_response(qtbot, window)
    assert window.verdict_view.badge_text() == "DENIED"
    texts = [label.text() for label in window.findChildren(QLabel)]
    shown = [text for text in texts if "You shall not pass" in text]
    assert shown, "the hook's message is not on screen"
    assert all("\\u001b[31m" in text and "\\u0007" in text for text in shown)
    assert not any(char in text for text in texts for char in "\x1b\x07\x00")


# --- megabyte-long lines -------------------------------------------------------------------


@pytest.mark.parametrize("size", [1_000_000, 4_900_000], ids=["1MB", "4.9MB"])
def test_a_request_with_a_huge_one_line_string_keeps_the_window_responsive(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: int,
) -> None:
    request = build_request("self.service.registration", demo_org().users[0])
    request["data"]["userProfile"]["email"] = "a" * size + "@okta.com"
    path = tmp_path / "huge.json"
    path.write_text(dumps_request(request), encoding="utf-8")
    choose_file_to_open(monkeypatch, path)
    # How long the window freezes meanwhile (it once took 48 s) is measured, beside an
    # ordinary request, by benchmarks/bench_hostile_input.py: a time asserted here failed
    # whenever the machine was busy. Here: it opens, answers, and shows no megabyte line.
    window.menu_actions.open_action.trigger()
    assert window.request_editor.text().startswith("{")
    click_view_response(qtbot, window, timeout=120_000)
    assert window.verdict_view.badge_text() in ("ALLOWED", "DENIED", "PROFILE UPDATED")
    log = window.response_panel.log_view.toPlainText()
    assert max(len(line) for line in log.split("\n")) < 2100


@pytest.mark.parametrize("size", [1_000_000, 4_900_000], ids=["1MB", "4.9MB"])
def test_a_users_file_with_a_huge_name_keeps_the_window_responsive(
    qtbot: QtBot, tmp_path: Path, size: int
) -> None:
    users = tmp_path / "users.json"
    huge = "N" * size
    profile = {"login": "huge@okta.com", "email": "huge@okta.com", "firstName": huge}
    profile["lastName"] = "Last"
    users.write_text(json.dumps([{"id": "00uhugehugehugehuge1", "profile": profile}]))
    org = load_demo_org(users)
    window = MainWindow(org, Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    window.resize(1280, 720)
    # The time to open and the longest freeze: benchmarks/bench_hostile_input.py.
    with qtbot.waitExposed(window, timeout=120_000):
        window.show()
    click_generate(qtbot, window)
    click_view_response(qtbot, window, timeout=120_000)
    longest = max(len(label.text()) for label in window.findChildren(QLabel))
    assert longest < 2000


# --- start-up and shut-down ----------------------------------------------------------------


def test_no_display_says_so_in_one_line_and_exits_2(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("only Linux needs a display server")
    done = subprocess.run(
        [sys.executable, "-m", "app"],
        cwd=REPO,
        env={"HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "display" in lines[0], done.stderr
    assert done.stdout == ""


AS_REGHOOK = "import sys; from app.cli import main; sys.argv[0] = 'reghook'; sys.exit(main())"


@pytest.mark.parametrize(
    ("argv", "display", "typed", "why"),
    [
        (["-m", "app"], {"DISPLAY": ":93"}, "python -m app", "no X server answers at DISPLAY=:93"),
        (
            ["-m", "app", "window"],
            {"WAYLAND_DISPLAY": "wayland-93"},
            "python -m app window",
            "no Wayland compositor answers at WAYLAND_DISPLAY=wayland-93",
        ),
        (
            ["-c", AS_REGHOOK, "window"],
            {"DISPLAY": "127.0.0.1:93"},
            "reghook window",
            "no X server answers at DISPLAY=127.0.0.1:93",
        ),
    ],
    ids=["stale-x", "wayland-alone", "reghook-window"],
)
def test_a_display_nobody_answers_is_one_line_naming_the_command(
    tmp_path: Path, argv: list[str], display: dict[str, str], typed: str, why: str
) -> None:
    # Qt aborted here (exit 134) with a "libxcb-cursor0 is needed" hint that was not the cause.
    if not sys.platform.startswith("linux"):
        pytest.skip("only Linux needs a display server")
    env = {"HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(tmp_path), **display}
    done = subprocess.run(
        [sys.executable, *argv], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        f"{typed}: no display to open the window on ({why}); run it in a desktop session, "
        "or set QT_QPA_PLATFORM=offscreen.\n"
    )


def test_a_display_that_answers_is_left_to_qt(tmp_path: Path) -> None:
    from app.views.display import no_display_reason

    if not sys.platform.startswith("linux"):
        pytest.skip("only Linux needs a display server")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("\0/tmp/.X11-unix/X93")  # where an X server on :93 listens
        server.listen(1)
        assert no_display_reason({"DISPLAY": ":93"}, ["reghook"]) == ""
    wayland = tmp_path / "wayland-93"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(wayland))
        server.listen(1)
        env = {"WAYLAND_DISPLAY": "wayland-93", "XDG_RUNTIME_DIR": str(tmp_path)}
        assert no_display_reason(env, ["reghook"]) == ""
        assert env["QT_QPA_PLATFORM"] == "wayland"  # else Qt would try X, and abort


SIGINT_SCRIPT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
QTimer.singleShot(0, lambda: print("shown", flush=True))
from app.views.application import run_app
sys.exit(run_app(sys.argv[:1]))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a process is POSIX")
def test_ctrl_c_in_the_terminal_closes_the_window_cleanly(tmp_path: Path) -> None:
    env = {
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "QT_QPA_PLATFORM": "offscreen",
        "QT_LOGGING_RULES": "qt.qpa.*=false",
        "PYTHONPATH": str(REPO),
    }
    process = subprocess.Popen(
        [sys.executable, "-c", SIGINT_SCRIPT],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "shown"  # the event loop runs
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode in (0, 130), err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    # The layout was saved on the way out, as a normal close does.
    saved = list((tmp_path / "config").rglob("settings.ini"))
    assert saved and "geometry" in saved[0].read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", [okta.PP, okta.SSR])
def test_generate_for_a_user_nested_900_deep_gives_a_request(
    qtbot: QtBot, tmp_path: Path, kind: str
) -> None:
    # The request builder once copied profiles with copy.deepcopy, which a value nested a few
    # hundred deep made raise RecursionError: Generate then did nothing, and said nothing.
    deep: object = "x"
    for _ in range(900):
        deep = [deep]
    profile = {"login": "deep@okta.com", "email": "deep@okta.com", "firstName": "D"}
    profile |= {"lastName": "Deep", "nickName": deep, "employeeNumber": deep}
    users = tmp_path / "users.json"
    users.write_text(json.dumps([{"id": "00udeepdeepdeepdeep1", "profile": profile}]))
    window = MainWindow(load_demo_org(users), Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    choose(window.config.type_combo, kind)
    click_generate(qtbot, window)
    text = window.request_editor.code_edit.toPlainText()
    assert '"deep@okta.com"' in text
