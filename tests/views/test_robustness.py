"""The window against what the outside world hands it: a damaged settings file, a settings folder
that cannot exist, files that are no requests (a pipe, a folder, 6 MB), HTML in the hook's
answer, and auth values inside the text being saved."""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
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
    open_window,
    retype,
    select_in_editor,
)

from app.views import settings as K
from app.views import strings as S
from app.views.main_window import MAX_OPEN_BYTES, MainWindow, RequestMode
from app.views.settings import Settings, default_settings_path
from app.views.theme import apply_theme

pytestmark = WINDOW_TEST_MARKS


@pytest.fixture(autouse=True)
def _system_theme_after(qapp: QApplication) -> Iterator[None]:
    yield
    apply_theme(qapp, "system")


# --- 1. a damaged settings file ---------------------------------------------------------------

JUNK = bytes(range(256)) * 3

# (what the file holds, the keys it spoils)
GARBAGE: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "huge digits": (b"[rules]\ndigits=2147483648\n", (K.DIGITS,)),
    "negative huge digits": (b"[rules]\ndigits=-99999999999999999999999\n", (K.DIGITS,)),
    "digits out of range": (b"[rules]\ndigits=0\n", (K.DIGITS,)),
    "NaN timeout": (b"[request]\ntarget=remote\n[remote]\ntimeout_s=nan\n", (K.TIMEOUT_S,)),
    "infinite timeout": (b"[request]\ntarget=remote\n[remote]\ntimeout_s=-inf\n", (K.TIMEOUT_S,)),
    "huge timeout": (b"[request]\ntarget=remote\n[remote]\ntimeout_s=1e308\n", (K.TIMEOUT_S,)),
    "zoom 1e9": (b"[view]\nzoom=1e9\n", (K.ZOOM,)),
    "zoom 10^9": (b"[view]\nzoom=1000000000\n", (K.ZOOM,)),
    "binary junk": (
        JUNK + b"\n[rules]\ndigits=\xff\xfe\x00\n[view]\nzoom=\x01\x02\ntheme=\x00dark\n" + JUNK,
        (K.DIGITS, K.ZOOM, K.THEME),
    ),
    "lists and junk everywhere": (
        b"[rules]\ndigits=1,2,3\nallowed_domain=@Invalid(\n[view]\nzoom=a,b\n"
        b"[window]\ngeometry=@ByteArray(\\xff\\x00garbage)\nstate=nonsense\n"
        b"main_splitter=@ByteArray(x)\nresponse_splitter=@Rect(1 2 3 4)\n",
        (K.DIGITS, K.ZOOM, K.ALLOWED_DOMAIN),
    ),
}


@pytest.mark.parametrize("case", list(GARBAGE))
def test_a_damaged_settings_file_opens_the_window_with_defaults(
    qtbot: QtBot, settings_path: Path, case: str
) -> None:
    content, spoiled = GARBAGE[case]
    settings_path.write_bytes(content)
    window = open_window(qtbot, settings_path)
    assert window.isVisible()
    config = window.config
    if K.DIGITS in spoiled:
        assert config.digits_spin.value() == K.DEFAULTS[K.DIGITS]
    if K.ZOOM in spoiled:
        assert window.zoom == K.DEFAULTS[K.ZOOM] == window.request_editor.zoom()
    if K.TIMEOUT_S in spoiled:
        assert config.is_remote()  # the file asked for it: the remote settings are built
        assert config.remote_panel.timeout_spin.value() == K.DEFAULTS[K.TIMEOUT_S]
    if K.ALLOWED_DOMAIN in spoiled:
        assert config.domain_edit.text() == K.DEFAULTS[K.ALLOWED_DOMAIN]
    if K.THEME in spoiled:
        assert window.theme() == "system"
    # The window works, and what the person changes next is kept in the file.
    click_generate(qtbot, window)
    config.digits_spin.setFocus()
    qtbot.keyClick(config.digits_spin, Qt.Key.Key_Up)
    assert window.settings.get(K.DIGITS) == K.DEFAULTS[K.DIGITS] + 1


def test_setters_hold_values_to_the_widgets_range(window: MainWindow) -> None:
    config = window.config
    config.set_rules("okta.com", 2147483648)
    assert config.digits_spin.value() == config.digits_spin.maximum()
    config.set_rules("okta.com", -(10**30))
    assert config.digits_spin.value() == config.digits_spin.minimum()
    remote = config.remote_panel
    remote.set_timeout(float("nan"))
    assert remote.timeout_spin.value() == 3.0
    remote.set_timeout(1e300)
    assert remote.timeout_spin.value() == remote.timeout_spin.maximum()
    window.set_zoom(10**9)
    assert window.zoom == 15
    window.set_zoom(float("nan"))  # type: ignore[arg-type]
    assert window.zoom == 0


def test_run_app_survives_a_damaged_settings_file(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, qapp: QApplication
) -> None:
    from app.views import application, main_window

    qapp.setOrganizationName(S.ORG_NAME)
    qapp.setApplicationName(S.ORG_NAME)
    path = default_settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"[rules]\ndigits=2147483648\n[view]\nzoom=1e9\n")

    hook_when_built: list[object] = []

    class Recording(MainWindow):
        def __init__(self, *args: object, **kwargs: object) -> None:
            hook_when_built.append(sys.excepthook)
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(application, "_HOOK_INSTALLED", False)
    monkeypatch.setattr(main_window, "MainWindow", Recording)
    monkeypatch.setattr(QApplication, "exec", staticmethod(lambda: 0))
    assert application.run_app(["reghook-preview"]) == 0
    shown = [w for w in qapp.topLevelWidgets() if isinstance(w, Recording) and w.isVisible()]
    assert shown, "run_app showed no window"
    qtbot.addWidget(shown[-1])
    # The hook was in place while the window was built, so an error there is shown too.
    assert hook_when_built and hook_when_built[0] is not sys.__excepthook__
    assert shown[-1].config.digits_spin.value() == K.DEFAULTS[K.DIGITS]
    assert shown[-1].zoom == 0


# --- 2. a settings folder that cannot be created ----------------------------------------------


def test_settings_fall_back_to_memory_when_the_folder_cannot_be_created(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the config folder should be", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    settings = Settings()  # the platform's default path, now under a file
    assert not settings.persistent
    assert "Not a directory" in settings.problem

    window = MainWindow(demo_org(), settings)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    message = window.statusBar().currentMessage()
    assert message.startswith("Settings will not be kept after this session:")
    assert "\n" not in message and str(blocker) in message
    # Changes are kept for the session, and nothing is written anywhere.
    window.menu_actions.zoom_in_action.trigger()
    choose(window.config.target_combo, "pp")
    assert settings.get(K.ZOOM) == 1 and settings.get(K.TARGET) == "pp"
    # Said once: the next message takes its place and it does not come back.
    click_generate(qtbot, window)
    assert window.statusBar().currentMessage() == "Request generated."
    window.close()
    assert blocker.read_text(encoding="utf-8").startswith("a file where")


def test_settings_file_that_is_a_folder_is_not_kept(tmp_path: Path) -> None:
    folder = tmp_path / "settings.ini"
    folder.mkdir()
    settings = Settings(folder)
    assert not settings.persistent and "folder" in settings.problem
    settings.set(K.DIGITS, 7)
    assert settings.get(K.DIGITS) == 7
    inside_a_file = tmp_path / "file"
    inside_a_file.write_text("", encoding="utf-8")
    assert not Settings(inside_a_file / "settings.ini").persistent


# --- 3. files that are no request -------------------------------------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    """A named pipe. Should the window read it, a writer comes along after a few seconds and
    closes at once: the read ends (and the test fails) rather than hanging the run."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    path = tmp_path / "request.json"
    os.mkfifo(path)
    stop = threading.Event()

    def unblock() -> None:
        if stop.wait(5):
            return
        while not stop.is_set():
            try:  # succeeds only while someone reads (ENXIO otherwise)
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                stop.wait(0.05)

    thread = threading.Thread(target=unblock, daemon=True)
    thread.start()
    yield path
    stop.set()
    thread.join(2)


def _assert_refused(
    qtbot: QtBot,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: DialogRecorder,
    path: Path,
    *needles: str,
) -> None:
    click_generate(qtbot, window)
    before = window.request_editor.text()
    choose_file_to_open(monkeypatch, path)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    warnings = dialogs.texts("warning")
    assert warnings, "nothing was said"
    for needle in needles:
        assert needle in warnings[-1]
    assert window.request_editor.text() == before
    assert window.mode == RequestMode.GENERATED
    assert not window.has_unsaved_edits()


def test_opening_a_named_pipe_is_refused(
    qtbot: QtBot,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: DialogRecorder,
    fifo: Path,
) -> None:
    _assert_refused(
        qtbot, window, monkeypatch, dialogs, fifo, "is not a regular file", "named pipe"
    )


def test_opening_a_folder_is_refused(
    qtbot: QtBot,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: DialogRecorder,
    tmp_path: Path,
) -> None:
    folder = tmp_path / "requests.json"
    folder.mkdir()
    _assert_refused(qtbot, window, monkeypatch, dialogs, folder, "is not a regular file", "folder")


def test_opening_a_6_mb_file_is_refused_at_once(
    qtbot: QtBot,
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: DialogRecorder,
    tmp_path: Path,
) -> None:
    big = tmp_path / "big.json"
    padding = "x" * (6 * 1024 * 1024)
    big.write_text(json.dumps({"eventId": "e", "data": {"padding": padding}}), encoding="utf-8")
    assert big.stat().st_size > MAX_OPEN_BYTES
    _assert_refused(qtbot, window, monkeypatch, dialogs, big, "big.json", "6.0 MB", "5.0 MB")


def test_a_request_file_within_the_limit_still_opens(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    click_generate(qtbot, window)
    saved = tmp_path / "request.json"
    saved.write_text(window.request_editor.text(), encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(saved)  # a link to a regular file is a regular file
    choose(window.config.target_combo, "pp")
    choose_file_to_open(monkeypatch, link)
    window.menu_actions.open_action.trigger()
    assert window.mode == RequestMode.OPENED
    assert window.request_editor.text() == saved.read_text(encoding="utf-8")


# --- 4. the hook's text is shown literally ----------------------------------------------------

SUMMARY = "Use your <b>work</b> email <img src='/x.png'>"
CAUSE = "<i>Only</i> <a href='https://evil.example'>okta.com</a> emails"


class _Hook(BaseHTTPRequestHandler):
    """/html: an error whose texts hold HTML; anything else echoes the auth header back."""

    answer: ClassVar[dict[str, object]] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.path == "/html":
            body = {
                "error": {
                    "errorSummary": SUMMARY,
                    "errorCauses": [
                        {
                            "errorSummary": SUMMARY,
                            "reason": "INVALID",
                            "locationType": "body",
                            "domain": "end-user",
                        },
                        {
                            "errorSummary": CAUSE,
                            "reason": "INVALID_EMAIL_DOMAIN",
                            "locationType": "body",
                            "location": "data.userProfile.email",
                            "domain": "end-user",
                        },
                    ],
                }
            }
        else:
            body = {"debugContext": {"got": self.headers.get("authorization", "")}}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def hook() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def go_remote(qtbot: QtBot, window: MainWindow, url: str, auth: str = "") -> None:
    choose(window.config.target_combo, "remote")
    remote = window.config.remote_panel
    retype(qtbot, remote.url_edit, url)
    if auth:
        retype(qtbot, remote.auth_value_edit, auth)


def _labels_showing(window: MainWindow, needle: str) -> list[QLabel]:
    return [label for label in window.findChildren(QLabel) if needle in label.text()]


def test_html_from_the_hook_and_the_form_is_shown_literally(
    qtbot: QtBot, window: MainWindow, hook: str
) -> None:
    typed = "<u>ada</u>@okta.com"
    retype(qtbot, window.config.form_edit("email"), typed)
    go_remote(qtbot, window, f"{hook}/html")
    click_view_response(qtbot, window)
    view = window.verdict_view
    assert view.badge_text() == "DENIED"
    card = view.card
    assert SUMMARY in card.banner_messages
    assert card.field_messages.get("email") == CAUSE

    # The widget's own banner ("We found some errors...") comes first; find the hook's.
    banners = [b for b in card.findChildren(QLabel, "cardBanner") if SUMMARY in b.text()]
    banner = banners[0]
    assert banner.text() == f"⚠  {SUMMARY}"
    error = card.findChild(QLabel, "cardError_email")
    assert error.text() == f"⊗ {CAUSE}"
    field = card.findChild(QLabel, "cardField_email")
    assert field.text() == typed
    assert SUMMARY in view.headline_text()
    # Every label that shows the hook's or the person's text shows it as plain text: the tags
    # are characters on the screen, not bold, an image or a link.
    for needle in (SUMMARY, CAUSE, typed):
        labels = _labels_showing(window, needle)
        assert labels, needle
        for label in labels:
            assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    # What the person sees (rendered width) is the whole literal text, not a shorter bold word.
    metrics = banner.fontMetrics()
    assert banner.sizeHint().width() >= metrics.horizontalAdvance("<img src='/x.png'>")


def test_typed_text_in_hints_and_state_lines_is_literal(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    edit = window.config.user_combo.lineEdit()
    edit.setFocus()
    qtbot.keyClicks(edit, "<b>nobody</b>")
    hint = window.config.user_hint
    assert "<b>nobody</b>" in hint.text()
    assert hint.textFormat() == Qt.TextFormat.PlainText
    # A file name shows in block 2's state line.
    click_generate(qtbot, window)
    odd = tmp_path / "<i>odd<b>.json"
    odd.write_text(window.request_editor.text(), encoding="utf-8")
    choose_file_to_open(monkeypatch, odd)
    window.menu_actions.open_action.trigger()
    state = window.request_block.state_label
    assert "<i>odd<b>.json" in state.text()
    assert state.textFormat() == Qt.TextFormat.PlainText


# --- 5. saving never rewrites the text silently -----------------------------------------------

SECRET = "Bearer s3cret-token-value"


def test_a_short_header_value_is_never_replaced(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: DialogRecorder,
) -> None:
    remote = window.config.remote_panel
    remote.add_header_row()
    remote.headers_table.item(0, 0).setText("X-Env")
    remote.headers_table.item(0, 1).setText("com")  # occurs in "com.okta.user.pre-registration"
    remote.auth_value_edit.setText("Bearer ok")  # "ok" is in "okta"; the value is 9 chars
    click_generate(qtbot, window)
    text = window.request_editor.text()
    assert "com.okta" in text
    target = tmp_path / "req.json"
    choose_file_to_save(monkeypatch, target)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert target.read_text(encoding="utf-8") == text
    assert dialogs.texts("question") == []
    assert not window.has_unsaved_edits() and not window.isWindowModified()


def _paste_secret(qtbot: QtBot, window: MainWindow) -> str:
    window.config.remote_panel.auth_value_edit.setText(SECRET)
    click_generate(qtbot, window)
    qtbot.mouseClick(window.request_block.edit_button, Qt.MouseButton.LeftButton)
    select_in_editor(window, '"cloudEventVersion"')
    qtbot.keyClicks(window.request_editor.code_edit, f'"pasted": "{SECRET}", "cloudEventVersion"')
    qtbot.mouseClick(window.request_block.save_button, Qt.MouseButton.LeftButton)
    return window.request_editor.text()


def test_saving_an_auth_value_asks_and_no_keeps_it(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: DialogRecorder,
) -> None:
    text = _paste_secret(qtbot, window)
    target = tmp_path / "req.json"
    choose_file_to_save(monkeypatch, target)
    dialogs.answer = QMessageBox.StandardButton.No
    window.menu_actions.save_request_action.trigger()
    assert dialogs.texts("question") == [S.SAVE_HAS_SECRET]
    assert target.read_text(encoding="utf-8") == text  # exactly as shown
    assert not window.has_unsaved_edits() and not window.isWindowModified()


def test_saving_an_auth_value_asks_and_yes_replaces_it(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: DialogRecorder,
) -> None:
    text = _paste_secret(qtbot, window)
    target = tmp_path / "req.json"
    choose_file_to_save(monkeypatch, target)
    dialogs.answer = QMessageBox.StandardButton.Yes
    window.menu_actions.save_request_action.trigger()
    assert dialogs.texts("question") == [S.SAVE_HAS_SECRET]
    written = target.read_text(encoding="utf-8")
    assert written == text.replace(SECRET, "***")
    assert "s3cret" not in written
    assert "replaced by ***" in window.statusBar().currentMessage()
    # The editor keeps its text; that text is in no file, and the window says so.
    assert window.request_editor.text() == text
    assert window.has_unsaved_edits() and window.isWindowModified()
    assert window.session.baseline == written


def test_saving_an_auth_value_cancel_writes_nothing(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: DialogRecorder,
) -> None:
    _paste_secret(qtbot, window)
    target = tmp_path / "req.json"
    choose_file_to_save(monkeypatch, target)
    dialogs.answer = QMessageBox.StandardButton.Cancel
    window.menu_actions.save_request_action.trigger()
    assert dialogs.texts("question") == [S.SAVE_HAS_SECRET]
    assert not target.exists()
    assert window.has_unsaved_edits() and window.windowFilePath() == ""


def test_saving_a_response_that_echoes_the_auth_value_asks(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: DialogRecorder,
    hook: str,
) -> None:
    go_remote(qtbot, window, f"{hook}/echo", SECRET)
    click_view_response(qtbot, window)
    shown = window.response_panel.response_text()
    assert SECRET in shown
    target = tmp_path / "response.json"
    choose_file_to_save(monkeypatch, target)
    dialogs.answer = QMessageBox.StandardButton.Yes
    window.menu_actions.save_response_action.trigger()
    assert dialogs.texts("question") == [S.SAVE_HAS_SECRET]
    assert target.read_text(encoding="utf-8") == shown.replace(SECRET, "***")
    assert window.response_panel.response_text() == shown  # the view is not rewritten
