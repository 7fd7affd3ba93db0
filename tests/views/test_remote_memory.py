"""The remote settings survive a restart (a new window on the same settings file); their secrets
do only through the system keyring, when the person ticks "Remember", tested against a real
Secret Service (gnome-keyring on a private D-Bus) and without one."""

from __future__ import annotations

from pathlib import Path

import keyring
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot
from window_actions import WINDOW_TEST_MARKS, choose, open_window, retype

from app.logic.secret_store import SERVICE
from app.views import settings as K
from app.views.main_window import MainWindow
from app.views.remote_panel import BasicAuthDialog, RemoteTargetPanel
from app.views.settings import Settings

pytestmark = WINDOW_TEST_MARKS

URL = "http://127.0.0.1:9/registrationHookSSR"
TOKEN_URL = "https://auth.example.com/oauth2/default/v1/token"


def remote_of(qtbot: QtBot, window: MainWindow) -> RemoteTargetPanel:
    """Choose Remote URL… and wait until the keyring has been looked for."""
    choose(window.config.target_combo, "remote")
    qtbot.waitUntil(lambda: window.remote_memory.is_ready, timeout=20_000)
    return window.config.remote_panel


def tick(qtbot: QtBot, box: QCheckBox) -> None:
    """Click the box's indicator (its centre may lie past its text, where a click does nothing)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))


def type_secret(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """Type a secret and leave the field (Tab), as a person does before the next field."""
    retype(qtbot, edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)


def fill_basic_dialog(
    qtbot: QtBot, remote: RemoteTargetPanel, user: str, password: str
) -> dict[str, str]:
    seen: dict[str, str] = {}

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, BasicAuthDialog)
        seen["user"], seen["password"] = dialog.user_edit.text(), dialog.password_edit.text()
        dialog.user_edit.setText(user)
        dialog.password_edit.setText(password)
        dialog.accept()

    QTimer.singleShot(0, fill)
    qtbot.mouseClick(remote.basic_button, Qt.MouseButton.LeftButton)
    return seen


def fill_everything(qtbot: QtBot, remote: RemoteTargetPanel) -> None:
    retype(qtbot, remote.url_edit, "http://dev:url-pa55@127.0.0.1:9/registrationHookSSR")
    retype(qtbot, remote.auth_name_edit, "X-Hook-Auth")
    fill_basic_dialog(qtbot, remote, "hookadmin", "basic-pass-123")
    remote.add_header_row()
    remote.headers_table.item(0, 0).setText("X-Tenant")
    remote.headers_table.item(0, 1).setText("header-value-456")
    tick(qtbot, remote.oauth_check)
    assert remote.oauth_check.isChecked()
    retype(
        qtbot,
        remote.token_url_edit,
        "https://cid:token-url-pa55@auth.example.com/oauth2/default/v1/token",
    )
    retype(qtbot, remote.client_id_edit, "client-1")
    type_secret(qtbot, remote.client_secret_edit, "client-secret-789")
    retype(qtbot, remote.scope_edit, "hooks.write")


SECRETS = ("basic-pass-123", "header-value-456", "client-secret-789", "pa55")


def assert_plain_settings_back(remote: RemoteTargetPanel) -> None:
    assert remote.url_edit.text() == URL  # without dev:pa55@
    assert remote.auth_name_edit.text() == "X-Hook-Auth"
    assert remote.basic_user == "hookadmin"
    assert remote.header_rows()[0][0] == "X-Tenant"
    assert remote.oauth_check.isChecked() and remote.oauth_fields.isVisible()
    assert remote.token_url_edit.text() == TOKEN_URL  # without cid:tok@
    assert remote.client_id_edit.text() == "client-1"
    assert remote.scope_edit.text() == "hooks.write"


def test_restart_restores_remote_settings_but_no_secret_without_a_keyring(
    qtbot: QtBot, settings_path: Path
) -> None:
    first = open_window(qtbot, settings_path)
    remote = remote_of(qtbot, first)
    # keyring's always-failing backend stands for a machine with no keyring: the box says so.
    assert not remote.remember_check.isEnabled()
    assert "no system keyring is available" in remote.keyring_note.text()
    assert "session only" in remote.keyring_note.text()
    fill_everything(qtbot, remote)
    first.close()

    ini = settings_path.read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret not in ini

    second = open_window(qtbot, settings_path)  # the restart: a new window, the same file
    assert second.config.target() == "remote"
    again = remote_of(qtbot, second)
    assert_plain_settings_back(again)
    assert again.auth_value_edit.text() == ""
    assert again.client_secret_edit.text() == ""
    assert again.header_rows()[0][1] == ""
    # The Basic dialog opens on the remembered user; the password was not kept.
    seen = fill_basic_dialog(qtbot, again, "hookadmin", "x")
    assert seen == {"user": "hookadmin", "password": ""}


def test_remembered_secrets_come_back_from_the_system_keyring(
    qtbot: QtBot, settings_path: Path, secret_service
) -> None:
    first = open_window(qtbot, settings_path)
    remote = remote_of(qtbot, first)
    assert remote.remember_check.isEnabled()
    assert "Kept in the system keyring" in remote.keyring_note.text()
    fill_everything(qtbot, remote)
    with qtbot.waitSignal(first.remote_memory.saved, timeout=20_000) as written:
        tick(qtbot, remote.remember_check)
    assert written.args == [""]
    first.close()

    ini = settings_path.read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret not in ini
    # What the keyring itself holds, read with the keyring library.
    assert keyring.get_password(SERVICE, K.OAUTH_CLIENT_SECRET) == "client-secret-789"
    assert keyring.get_password(SERVICE, K.BASIC_PASSWORD_SECRET) == "basic-pass-123"

    second = open_window(qtbot, settings_path)
    again = remote_of(qtbot, second)
    assert_plain_settings_back(again)
    assert again.remember_check.isChecked()
    basic = "Basic aG9va2FkbWluOmJhc2ljLXBhc3MtMTIz"  # hookadmin:basic-pass-123
    assert again.auth_value_edit.text() == basic
    assert again.client_secret_edit.text() == "client-secret-789"
    assert again.header_rows() == [("X-Tenant", "header-value-456")]
    assert "restored" in again.keyring_note.text()
    seen = fill_basic_dialog(qtbot, again, "hookadmin", "basic-pass-123")
    assert seen == {"user": "hookadmin", "password": "basic-pass-123"}

    # Un-ticking takes them out of the keyring; the fields keep them for this session.
    with qtbot.waitSignal(second.remote_memory.saved, timeout=20_000):
        tick(qtbot, again.remember_check)
    for key in K.SECRET_KEYS:
        assert keyring.get_password(SERVICE, key) is None
    assert again.client_secret_edit.text() == "client-secret-789"


def test_a_secret_typed_while_remembering_is_kept_when_the_field_is_left(
    qtbot: QtBot, settings_path: Path, secret_service
) -> None:
    window = open_window(qtbot, settings_path)
    remote = remote_of(qtbot, window)
    retype(qtbot, remote.url_edit, URL)
    with qtbot.waitSignal(window.remote_memory.saved, timeout=20_000):
        tick(qtbot, remote.remember_check)
    # Read once the write is over: reading while the keyring replaces an item can miss it.
    with qtbot.waitSignal(window.remote_memory.saved, timeout=20_000):
        type_secret(qtbot, remote.auth_value_edit, "Bearer typed-later")
    assert keyring.get_password(SERVICE, K.AUTH_VALUE_SECRET) == "Bearer typed-later"


def test_reset_to_defaults_forgets_the_remembered_secrets(
    qtbot: QtBot, settings_path: Path, secret_service
) -> None:
    window = open_window(qtbot, settings_path)
    remote = remote_of(qtbot, window)
    with qtbot.waitSignal(window.remote_memory.saved, timeout=20_000):
        tick(qtbot, remote.remember_check)
    with qtbot.waitSignal(window.remote_memory.saved, timeout=20_000):
        type_secret(qtbot, remote.client_secret_edit, "to-be-forgotten")
    assert keyring.get_password(SERVICE, K.OAUTH_CLIENT_SECRET) == "to-be-forgotten"
    with qtbot.waitSignal(window.remote_memory.saved, timeout=20_000):
        window.reset_to_defaults(confirm=False)
    assert not remote.remember_check.isChecked()
    assert keyring.get_password(SERVICE, K.OAUTH_CLIENT_SECRET) is None


def test_a_hand_edited_settings_file_never_stops_the_remote_settings(
    qtbot: QtBot, settings_path: Path
) -> None:
    settings_path.write_text(
        "[request]\ntarget=remote\n"
        '[remote]\nextra_header_names={"not": "a list"}\nkeyring_remember=maybe\n'
        "oauth_enabled=yes\nbasic_user=@Invalid()\n",
        encoding="utf-8",
    )
    window = open_window(qtbot, settings_path)
    remote = remote_of(qtbot, window)
    assert remote.header_rows() == []  # unreadable: the default, no rows
    assert not remote.remember_check.isChecked()
    assert remote.oauth_check.isChecked()
    retype(qtbot, remote.url_edit, URL)
    remote.add_header_row()
    remote.headers_table.item(0, 0).setText("X-Ok")
    window.close()
    assert Settings(settings_path).get(K.EXTRA_HEADER_NAMES) == '["X-Ok"]'


def test_the_keyring_line_keeps_its_height_whatever_it_says(qtbot: QtBot) -> None:
    # The keyring answers after the panel is laid out: a note that grew moved the blocks below.
    panel = RemoteTargetPanel()
    qtbot.addWidget(panel)
    panel.resize(700, 400)
    panel.show()
    note = panel.keyring_note
    before = (note.height(), panel.sizeHint().height())
    long_reason = "Kept for this session only: " + "no keyring here, " * 30
    panel.set_keyring_state(False, long_reason)
    assert (note.height(), panel.sizeHint().height()) == before
    assert note.text() == long_reason and note.toolTip() == long_reason
    assert QLabel.text(note).endswith("…") and len(QLabel.text(note)) < len(long_reason)
