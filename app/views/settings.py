"""The window's remembered state: a defaults table, typed reads/writes over an INI QSettings,
and `SettingsBinder`, the one key -> widget table that both restores and resets the window.

Only the keys in `DEFAULTS` can be written, and none of them holds a secret: hook auth values,
passwords and OAuth client secrets live in memory only. The file is readable by its owner only.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths, SignalInstance

from app.logic import okta

# Keys, grouped the way they appear in the INI file.
GEOMETRY = "window/geometry"
WINDOW_STATE = "window/state"
MAIN_SPLITTER = "window/main_splitter"
RESPONSE_SPLITTER = "window/response_splitter"
TARGET = "request/target"
USER = "request/user"
REQUEST_TYPE = "request/type"
ALLOWED_DOMAIN = "rules/allowed_domain"
DIGITS = "rules/digits"
ZOOM = "view/zoom"
THEME = "view/theme"
AUTO_RERUN = "view/auto_rerun"
READING = "view/reading"
REMOTE_URL = "remote/url"
AUTH_HEADER_NAME = "remote/auth_header_name"
TIMEOUT_S = "remote/timeout_s"
CA_FILE = "remote/ca_file"
OAUTH_TOKEN_URL = "remote/oauth_token_url"
OAUTH_CLIENT_ID = "remote/oauth_client_id"
OAUTH_SCOPE = "remote/oauth_scope"
OAUTH_ON = "remote/oauth_enabled"
BASIC_USER = "remote/basic_user"
#: The custom headers' names, as a JSON list (their values are secrets: see SECRET_KEYS).
EXTRA_HEADER_NAMES = "remote/extra_header_names"
#: Whether the person ticked "Remember secrets in the system keyring".
KEYRING_REMEMBER = "remote/keyring_remember"
LAST_DIR = "files/last_dir"
HISTORY_ON = "history/enabled"
#: The live org last connected in File > Connect to Okta Org… (its URL only; the token lives
#: in the system keyring when the person asks, never here).
ORG_URL = "org/url"
#: The org's hook that block 1 last called through Okta (its id and name, never its auth
#: value): the next start makes it the target again once the org answers.
ORG_TARGET_HOOK = "org/targetHook"
#: The value of TARGET when block 1 calls that hook through Okta.
OKTA_TARGET = "okta"
ORG_TARGET_HOOK_NAME = "org/targetHookName"

THEMES = ("system", "light", "dark")

#: Every key the window keeps, with its default; the default's type is the key's type.
DEFAULTS: dict[str, Any] = {
    GEOMETRY: b"",
    WINDOW_STATE: b"",
    MAIN_SPLITTER: b"",
    RESPONSE_SPLITTER: b"",
    TARGET: "ssr",
    USER: "",
    REQUEST_TYPE: okta.SSR,
    ALLOWED_DOMAIN: "okta.com",
    DIGITS: 4,
    ZOOM: 0,
    THEME: "system",
    AUTO_RERUN: True,
    READING: "strict",
    REMOTE_URL: "http://127.0.0.1:8082/registrationHookSSR",
    AUTH_HEADER_NAME: "authorization",
    TIMEOUT_S: 3.0,
    CA_FILE: "",
    OAUTH_TOKEN_URL: "",
    OAUTH_CLIENT_ID: "",
    OAUTH_SCOPE: "",
    OAUTH_ON: False,
    BASIC_USER: "",
    EXTRA_HEADER_NAMES: "[]",
    KEYRING_REMEMBER: False,
    LAST_DIR: "",
    HISTORY_ON: True,
    ORG_URL: "",
    ORG_TARGET_HOOK: "",
    ORG_TARGET_HOOK_NAME: "",
}

#: The secrets of the remote settings: never settings keys, only names in the system keyring
#: (app/logic/secret_store.py), used there when the person ticks "Remember".
AUTH_VALUE_SECRET = "remote/auth_value"
BASIC_PASSWORD_SECRET = "remote/basic_password"
OAUTH_CLIENT_SECRET = "remote/oauth_client_secret"
#: The custom headers' values, as a JSON list in the same order as EXTRA_HEADER_NAMES.
HEADER_VALUES_SECRET = "remote/extra_header_values"
SECRET_KEYS = (AUTH_VALUE_SECRET, BASIC_PASSWORD_SECRET, OAUTH_CLIENT_SECRET, HEADER_VALUES_SECRET)

# Words that must never appear in a key: a guard against a secret slipping into the file.
_FORBIDDEN_KEY_WORDS = ("secret", "password", "header_value", "token_value")


def default_settings_path() -> Path:
    """Where the settings file lives for a normal run (the platform's per-user config folder)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppConfigLocation)
    if not folder:
        folder = str(Path.home() / ".config" / "reghook-preview")
    return Path(folder) / "settings.ini"


class _MemoryStore:
    """The part of QSettings that `Settings` uses (same method names), kept in a dict: for a
    session whose settings file cannot be created (nothing is written anywhere)."""

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}

    def value(self, key: str) -> Any:
        return self._values.get(key)

    def setValue(self, key: str, value: Any) -> None:
        self._values[key] = value

    def clear(self) -> None:
        self._values.clear()

    def sync(self) -> None:
        pass

    def allKeys(self) -> list[str]:
        return list(self._values)


class Settings:
    """Typed access to the window's settings; `path` None means the platform's default file.

    When the file's folder cannot be created (say XDG_CONFIG_HOME names a file), the settings
    live in memory for the session: `persistent` is False and `problem` says why, in one line.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_settings_path()
        self.problem = ""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            # A settings file that cannot exist must not stop the window from opening.
            where = exc.filename or self.path.parent
            self.problem = f"cannot create {where} ({exc.strerror or exc})"
        else:
            if self.path.is_dir():  # QSettings would fail to write it without a word
                self.problem = f"{self.path} is a folder, not a file"
            else:
                _make_private(self.path)
        self._qsettings: QSettings | _MemoryStore
        if self.problem:
            self._qsettings = _MemoryStore()
        else:
            self._qsettings = QSettings(str(self.path), QSettings.Format.IniFormat)

    @property
    def persistent(self) -> bool:
        """True when changes reach the settings file (False: kept for this session only)."""
        return not self.problem

    def get(self, key: str) -> Any:
        """The stored value converted to the default's type, or the default when absent or odd."""
        default = DEFAULTS[key]
        raw = self._qsettings.value(key)
        if raw is None:
            return default
        return _convert(raw, default)

    def set(self, key: str, value: Any) -> None:
        """Store a value for a known key (unknown keys are refused, so no secret sneaks in)."""
        if key not in DEFAULTS or any(word in key for word in _FORBIDDEN_KEY_WORDS):
            raise KeyError(f"not a settings key: {key}")
        default = DEFAULTS[key]
        value = _convert(value, default)
        if isinstance(default, bytes):
            self._qsettings.setValue(key, QByteArray(value))
        else:
            self._qsettings.setValue(key, value)

    def reset_to_defaults(self) -> None:
        """Forget everything stored; every `get` answers its default again."""
        self._qsettings.clear()
        self._qsettings.sync()

    def sync(self) -> None:
        """Write pending changes to the file now."""
        self._qsettings.sync()

    def stored_keys(self) -> list[str]:
        """The keys currently present in the file (for tests and diagnostics)."""
        return list(self._qsettings.allKeys())


def _make_private(path: Path) -> None:
    """Create `path` empty with mode 0600 (or take an existing one back to 0600).

    QSettings writes through QSaveFile, which keeps the mode of the file it replaces: a file
    that exists with 0600 before the first write stays 0600, whatever the umask says. The
    settings hold URLs, OAuth client ids and folders: nobody else on the machine needs them."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        return  # unreadable or a dangling link: QSettings reports it, the window still opens
    try:
        if sys.platform != "win32":
            os.fchmod(fd, 0o600)
    except OSError:
        pass
    finally:
        os.close(fd)


def within(value: Any, low: float, high: float) -> Any:
    """`value` when it lies in low..high; a ValueError otherwise (a stored value outside its
    widget's range did not come from the window: it is treated as unreadable, not clamped)."""
    if not low <= value <= high:
        raise ValueError(f"{value!r} is outside {low}..{high}")
    return value


@dataclass(frozen=True)
class Binding:
    """One setting shown by one widget: `apply` shows a value; `read` turns the arguments of
    `changed` into the value to store (None: nothing to store, e.g. a rule being typed)."""

    key: str
    apply: Callable[[Any], object]
    changed: SignalInstance | None = None
    read: Callable[..., Any] | None = None


class SettingsBinder:
    """The window's settings table: each key bound once, to restore, store and reset it.

    Stores are ignored until `restore` has run (showing a stored value emits the widget's
    signal) and while `paused()` (a reset, or the window putting a value in on its own)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._bindings: dict[str, Binding] = {}
        self._active = False
        self._paused = 0

    def bind(
        self,
        key: str,
        apply: Callable[[Any], object],
        changed: SignalInstance | None = None,
        read: Callable[..., Any] | None = None,
    ) -> None:
        if key not in DEFAULTS:
            raise KeyError(f"not a settings key: {key}")
        binding = Binding(key, apply, changed, read)
        self._bindings[key] = binding
        if changed is not None and read is not None:
            changed.connect(lambda *args: self.store(key, read(*args)))

    def bind_text(
        self, key: str, edit: Any, clean: Callable[[str], str] = str.strip, empty: str = ""
    ) -> None:
        """A QLineEdit: its text, cleaned (e.g. stripped) before it is stored."""
        self.bind(key, lambda v: edit.setText(v or empty), edit.textChanged, clean)

    def bind_spin(self, key: str, spin: Any) -> None:
        """A QSpinBox or QDoubleSpinBox; a stored value outside its range is unreadable."""
        kind = type(DEFAULTS[key])
        self.bind(
            key,
            lambda v: spin.setValue(within(kind(v), spin.minimum(), spin.maximum())),
            spin.valueChanged,
            kind,
        )

    def store(self, key: str, value: Any) -> None:
        if self._active and not self._paused and value is not None:
            self.settings.set(key, value)

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Widgets change without their values being stored."""
        self._paused += 1
        try:
            yield
        finally:
            self._paused -= 1

    def restore(self, keys: Iterable[str] | None = None) -> None:
        """Show the stored value of each bound key (in binding order), then start storing."""
        wanted = list(self._bindings) if keys is None else list(keys)
        with self.paused():
            for key in wanted:
                self._apply(self._bindings[key], self.settings.get(key))
        self._active = True

    def reset(self) -> None:
        """Forget every stored value and show each bound key's default."""
        self.settings.reset_to_defaults()
        with self.paused():
            for binding in self._bindings.values():
                binding.apply(DEFAULTS[binding.key])
        self.settings.reset_to_defaults()

    @staticmethod
    def _apply(binding: Binding, value: Any) -> None:
        """A value that cannot be shown gives way to the key's default. A settings file is
        edited by hand, copied between versions, or damaged: the window must still open."""
        try:
            binding.apply(value)
        except Exception as exc:
            sys.stderr.write(
                f"Setting {binding.key} = {value!r} ignored ({exc}); using the default.\n"
            )
            binding.apply(DEFAULTS[binding.key])


def _convert(raw: Any, default: Any) -> Any:
    """`raw` as the type of `default`; the default when it cannot be read as that type."""
    try:
        if isinstance(default, bytes):
            if isinstance(raw, QByteArray):
                return bytes(raw.data())
            if isinstance(raw, bytes | bytearray):
                return bytes(raw)
            return default
        if isinstance(default, bool):
            if isinstance(raw, str):
                return raw.strip().lower() in ("1", "true", "yes", "on")
            return bool(raw)
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            number = float(raw)
            # NaN and infinity parse, but no setting means them (a spin box cannot show them).
            return number if math.isfinite(number) else default
        if isinstance(default, str):
            return raw if isinstance(raw, str) else str(raw)
    except (TypeError, ValueError, OverflowError):
        return default
    return raw
