"""Secrets a person typed (hook auth values, passwords, OAuth client secrets, API tokens): kept
in memory for the session, and in the system keyring only when the person asks for it.

The keyring is reached through the `keyring` library (Secret Service on Linux, Keychain on macOS,
Windows Credential Locker), imported on first use so that start-up never pays for it. A secret is
never written anywhere else: not the settings file, the history, a log or an export.

Every keyring call may wait on another process (the Secret Service daemon over D-Bus, or the
system asking to unlock the keyring): callers with a window run them off the GUI thread.
"""

from __future__ import annotations

import threading
from typing import Any

#: The service name every secret of this program is filed under in the system keyring.
SERVICE = "reghook-preview"

# The keyring's own words are technical ("No recommended backend was available. Install a
# recommended 3rd party backend package..."); this is what a person reads instead.
_NO_KEYRING = "Kept for this session only: no system keyring is available ({why})."


class SecretStore:
    """Secrets by key: the session's value first, then the system keyring.

    `backend` is a `keyring` backend object; None means the one `keyring` picks for this
    machine (looked up on first use). All methods may be called from any thread.
    """

    def __init__(self, service: str = SERVICE, backend: Any = None) -> None:
        self.service = service
        self._backend = backend
        self._availability: tuple[bool, str] | None = None
        self._session: dict[str, str] = {}
        self._lock = threading.Lock()
        # One keyring call at a time: the Secret Service finds an item, then reads or deletes
        # it, and another thread's write in between (a replace is a new item) made it vanish.
        self._keyring_lock = threading.Lock()

    def availability(self) -> tuple[bool, str]:
        """(usable, reason shown to a person): can a secret be remembered past this session?

        The answer is worked out once per store (finding the keyring may ask D-Bus)."""
        with self._lock:
            if self._availability is None:
                self._availability = self._probe()
            return self._availability

    def get(self, key: str) -> str | None:
        """The secret for `key`: typed this session, else remembered in the keyring, else None.

        A keyring that cannot be read answers None (the person types the secret again)."""
        with self._lock:
            if key in self._session:
                return self._session[key]
        usable, _ = self.availability()
        if not usable:
            return None
        try:
            with self._keyring_lock:
                value = self._keyring().get_password(self.service, key)
        except Exception:
            # Locked, dismissed unlock prompt, daemon gone: nothing remembered is usable now.
            return None
        if value is not None:
            with self._lock:
                self._session.setdefault(key, value)
        return value

    def set(self, key: str, value: str, remember: bool) -> str | None:
        """Keep `value` for the session; with `remember`, in the keyring too.

        Without `remember`, a copy remembered earlier is removed: un-ticking "Remember" means
        the keyring stops holding it. Returns None, or one line saying why the keyring could
        not take the change (the value is still kept for the session)."""
        with self._lock:
            self._session[key] = value
        if remember:
            usable, reason = self.availability()
            if not usable:
                return reason
            try:
                with self._keyring_lock:
                    self._keyring().set_password(self.service, key, value)
            except Exception as exc:
                return f"The system keyring refused to keep it ({_one_line(exc)})."
            return None
        return self._forget_remembered(key)

    def forget(self, key: str) -> None:
        """Drop the secret from the session and from the keyring (a keyring error is ignored:
        there is nothing else to do about it, and the session copy is gone either way)."""
        with self._lock:
            self._session.pop(key, None)
        self._forget_remembered(key)

    def is_remembered(self, key: str) -> bool:
        """True when the keyring holds a value for `key` (False when it cannot be asked)."""
        if not self.availability()[0]:
            return False
        try:
            with self._keyring_lock:
                return self._keyring().get_password(self.service, key) is not None
        except Exception:
            return False

    def _forget_remembered(self, key: str) -> str | None:
        if not self.availability()[0]:
            return None
        from keyring.errors import PasswordDeleteError

        try:
            with self._keyring_lock:
                self._keyring().delete_password(self.service, key)
        except PasswordDeleteError:
            pass  # nothing was remembered: that is the wanted state
        except Exception as exc:
            return f"The system keyring could not forget it ({_one_line(exc)})."
        return None

    def _keyring(self) -> Any:
        if self._backend is None:
            import keyring  # first use only: it scans installed backends and may ask D-Bus

            self._backend = keyring.get_keyring()
        return self._backend

    def _probe(self) -> tuple[bool, str]:
        try:
            backend = self._keyring()
        except Exception as exc:  # a broken keyring config file, a backend failing to load
            return False, _NO_KEYRING.format(why=_one_line(exc))
        from keyring.backends import chainer, fail, null

        if isinstance(backend, fail.Keyring | null.Keyring):
            return False, _NO_KEYRING.format(why="no Secret Service, Keychain or Credential Locker")
        if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
            return False, _NO_KEYRING.format(why="no Secret Service, Keychain or Credential Locker")
        name = getattr(backend, "name", type(backend).__name__)
        return True, f"Kept in the system keyring ({name}) under “{self.service}”."


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
