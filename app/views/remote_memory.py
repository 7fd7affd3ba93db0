"""What the remote settings remember between starts: their plain values through the settings
table (URL without its userinfo, auth header name, Basic user, custom header names, OAuth
settings), their secrets through `SecretStore` only when the person ticks "Remember secrets in
the system keyring".

Every keyring call runs on a worker thread (finding the keyring imports `keyring` and asks
D-Bus; unlocking it may wait on the person): the GUI thread only hands over and receives values.
"""

from __future__ import annotations

import contextlib
import json
import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from app.logic import okta
from app.views import settings as K
from app.views import strings as S
from app.views.workers import WorkerThreads

if TYPE_CHECKING:
    from app.logic.secret_store import SecretStore
    from app.views.remote_panel import RemoteTargetPanel
    from app.views.settings import SettingsBinder

#: After the window is shown, how long the keyring waits (the first paint comes first).
AFTER_FIRST_PAINT_MS = 400
#: How long closing the window waits for the last keyring write (the daemon answers in ms; a
#: keyring waiting on an unlock prompt is not waited for past this).
CLOSE_WAIT_MS = 3000


class _KeyringSignals(QObject):
    """Answers of the keyring worker threads, delivered on the GUI thread."""

    probed = Signal(bool, str)  # usable, reason
    loaded = Signal(object)  # {secret key: value or None}
    saved = Signal(int, str)  # generation, problem ("" when none)


def _emit(signal: Any, *args: Any) -> None:
    with contextlib.suppress(RuntimeError):  # the window closed meanwhile
        signal.emit(*args)


class RemoteMemory(QObject):
    """Binds a `RemoteTargetPanel` to the settings table and its secrets to a `SecretStore`."""

    #: The keyring has been looked for and remembered secrets (if any) are in the panel.
    ready = Signal()
    #: A keyring write finished ("" or the problem it met).
    saved = Signal(str)

    def __init__(self, binder: SettingsBinder, store: SecretStore, parent: QObject) -> None:
        super().__init__(parent)
        self.binder = binder
        self.store = store
        self.panel: RemoteTargetPanel | None = None
        self.is_ready = False
        self._usable = False
        self._reason = ""
        self._threads = WorkerThreads("keyring")
        self._signals = _KeyringSignals(self)
        self._signals.probed.connect(self._on_probed)
        self._signals.loaded.connect(self._on_loaded)
        self._signals.saved.connect(self._on_saved)
        # Writes run on threads of their own; the newest one wins, older ones are skipped.
        self._write_lock = threading.Lock()
        self._generation = 0
        self._latest_started = 0
        self._last_written: tuple[bool, dict[str, str]] | None = None

    # --- wiring -------------------------------------------------------------------------

    def attach(self, panel: RemoteTargetPanel) -> None:
        """The panel was just built: show the remembered values, remember what changes, and
        look for the keyring (off the GUI thread)."""
        self.panel = panel
        binder = self.binder
        binder.bind_text(K.REMOTE_URL, panel.url_edit, panel.storable_url)
        binder.bind_text(K.AUTH_HEADER_NAME, panel.auth_name_edit, empty=okta.DEFAULT_AUTH_HEADER)
        binder.bind_spin(K.TIMEOUT_S, panel.timeout_spin)
        binder.bind_text(K.CA_FILE, panel.ca_file_edit)
        binder.bind_text(K.OAUTH_TOKEN_URL, panel.token_url_edit, panel.storable_url)
        binder.bind_text(K.OAUTH_CLIENT_ID, panel.client_id_edit)
        binder.bind_text(K.OAUTH_SCOPE, panel.scope_edit)
        check = panel.oauth_check
        binder.bind(K.OAUTH_ON, check.setChecked, check.toggled, bool)
        binder.bind(K.BASIC_USER, panel.set_basic_user, panel.basic_user_changed, str)
        binder.bind(
            K.EXTRA_HEADER_NAMES,
            panel.restore_header_names,
            panel.headers_changed,
            panel.header_names_json,
        )
        remember = panel.remember_check
        binder.bind(K.KEYRING_REMEMBER, remember.setChecked, remember.toggled, bool)
        binder.restore(REMOTE_KEYS)
        panel.secrets_edited.connect(self.save)
        panel.headers_changed.connect(self.save)
        remember.toggled.connect(self.save)
        window = panel.window()
        if window.isVisible():
            self._threads.start(self._probe)
        else:
            # Built while the window restores a Remote target: the keyring is looked for
            # after the first paint (importing `keyring` would compete with it for the GIL).
            window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show:
            watched.removeEventFilter(self)
            QTimer.singleShot(AFTER_FIRST_PAINT_MS, self, self._start_probe)
        return False

    def _start_probe(self) -> None:
        self._threads.start(self._probe)

    def flush(self) -> None:
        """At close: write what changed since the last write, waiting a little for it."""
        self.save()
        self._threads.wait_for_done(CLOSE_WAIT_MS)

    # --- keyring work (worker threads) --------------------------------------------------

    def _probe(self) -> None:
        usable, reason = self.store.availability()
        _emit(self._signals.probed, usable, reason)

    def _load(self) -> None:
        values = {key: self.store.get(key) for key in K.SECRET_KEYS}
        _emit(self._signals.loaded, values)

    def _write(self, generation: int, remember: bool, secrets: dict[str, str]) -> None:
        with self._write_lock:
            if generation < self._latest_started:
                return  # a newer write already ran: this one's values are older
            self._latest_started = generation
            problems = [
                problem
                for key, value in secrets.items()
                if (problem := self.store.set(key, value, remember and bool(value)))
            ]
        _emit(self._signals.saved, generation, problems[0] if problems else "")

    # --- GUI thread ---------------------------------------------------------------------

    def save(self) -> None:
        """Hand the panel's secrets to the keyring thread: kept when "Remember" is ticked,
        removed from the keyring when it is not. Nothing happens before the remembered values
        were read back (writing first would overwrite them with empty fields)."""
        panel = self.panel
        if panel is None or not self.is_ready:
            return
        remember = panel.remember_check.isChecked() and self._usable
        secrets = self._secrets(panel)
        state = (remember, secrets)
        if state == self._last_written or (
            not remember and self._last_written is not None and not self._last_written[0]
        ):
            return  # nothing new to keep, or nothing kept to remove
        self._last_written = state
        self._generation += 1
        generation = self._generation
        self._threads.start(lambda: self._write(generation, remember, secrets))

    @staticmethod
    def _secrets(panel: RemoteTargetPanel) -> dict[str, str]:
        values = panel.header_values()
        return {
            K.AUTH_VALUE_SECRET: panel.auth_value_edit.text(),
            K.BASIC_PASSWORD_SECRET: panel.basic_password,
            K.OAUTH_CLIENT_SECRET: panel.client_secret_edit.text(),
            K.HEADER_VALUES_SECRET: json.dumps(values) if any(values) else "",
        }

    def _on_probed(self, usable: bool, reason: str) -> None:
        panel = self.panel
        if panel is None:
            return
        self._usable = usable
        self._reason = reason
        panel.set_keyring_state(usable, reason)
        if usable and panel.remember_check.isChecked():
            self._threads.start(self._load)
            return
        if not usable and panel.remember_check.isChecked():
            # Shown as off (nothing can be kept), but the settings file keeps the choice for a
            # start where the keyring is back.
            with self.binder.paused():
                panel.remember_check.setChecked(False)
        self._last_written = (False, self._secrets(panel))
        self._become_ready()

    def _on_loaded(self, values: dict[str, str | None]) -> None:
        panel = self.panel
        if panel is None:
            return
        # A field the person typed in meanwhile keeps what they typed.
        if values.get(K.AUTH_VALUE_SECRET) and not panel.auth_value_edit.text():
            panel.auth_value_edit.setText(values[K.AUTH_VALUE_SECRET] or "")
        if values.get(K.OAUTH_CLIENT_SECRET) and not panel.client_secret_edit.text():
            panel.client_secret_edit.setText(values[K.OAUTH_CLIENT_SECRET] or "")
        if values.get(K.BASIC_PASSWORD_SECRET) and not panel.basic_password:
            panel.basic_password = values[K.BASIC_PASSWORD_SECRET] or ""
        header_values = _json_list(values.get(K.HEADER_VALUES_SECRET))
        if header_values:
            panel.fill_header_values(header_values)
        if any(values.values()):
            panel.keyring_note.setText(f"{self._reason} {S.KEYRING_RESTORED}")
        self._last_written = (True, self._secrets(panel))
        self._become_ready()

    def _become_ready(self) -> None:
        self.is_ready = True
        self.ready.emit()
        self.save()  # what the person changed while the keyring was being read

    def _on_saved(self, generation: int, problem: str) -> None:
        panel = self.panel
        if panel is not None and generation == self._generation:
            panel.keyring_note.setText(problem or self._reason)
        self.saved.emit(problem)


def _json_list(text: str | None) -> list[str]:
    """A remembered JSON list of strings; [] for anything else (the keyring can be edited)."""
    try:
        values = json.loads(text or "[]")
    except ValueError:
        return []
    if isinstance(values, list) and all(isinstance(v, str) for v in values):
        return values
    return []


#: The settings the remote panel shows, in the order they are restored.
REMOTE_KEYS = (
    K.REMOTE_URL,
    K.AUTH_HEADER_NAME,
    K.TIMEOUT_S,
    K.CA_FILE,
    K.OAUTH_TOKEN_URL,
    K.OAUTH_CLIENT_ID,
    K.OAUTH_SCOPE,
    K.OAUTH_ON,
    K.BASIC_USER,
    K.EXTRA_HEADER_NAMES,
    K.KEYRING_REMEMBER,
)

__all__ = ["CLOSE_WAIT_MS", "REMOTE_KEYS", "RemoteMemory"]
