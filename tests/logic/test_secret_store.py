"""SecretStore against a real Secret Service (gnome-keyring on a private D-Bus) and without one."""

from __future__ import annotations

import subprocess
import sys

import keyring
import pytest
from keyring.errors import KeyringLocked

from app.logic.secret_store import SERVICE, SecretStore


def test_remembered_secret_survives_a_new_store(secret_service) -> None:
    store = SecretStore()
    usable, reason = store.availability()
    assert usable, reason
    assert "system keyring" in reason

    assert store.set("remote/auth_value", "Basic czNjcmV0", remember=True) is None
    # What the keyring library itself reads from the daemon, not the store's session copy.
    assert keyring.get_password(SERVICE, "remote/auth_value") == "Basic czNjcmV0"
    # A new process's store: nothing typed this session, the keyring answers.
    assert SecretStore().get("remote/auth_value") == "Basic czNjcmV0"
    assert SecretStore().is_remembered("remote/auth_value")


def test_unticking_remember_removes_the_kept_copy(secret_service) -> None:
    store = SecretStore()
    assert store.set("remote/basic_password", "hunter2", remember=True) is None
    assert store.set("remote/basic_password", "hunter3", remember=False) is None
    assert store.get("remote/basic_password") == "hunter3"  # still there for the session
    assert keyring.get_password(SERVICE, "remote/basic_password") is None
    assert SecretStore().get("remote/basic_password") is None


def test_forget_drops_session_and_keyring(secret_service) -> None:
    store = SecretStore()
    store.set("remote/oauth_client_secret", "cs-1", remember=True)
    store.forget("remote/oauth_client_secret")
    assert store.get("remote/oauth_client_secret") is None
    assert SecretStore().get("remote/oauth_client_secret") is None
    store.forget("never/set")  # forgetting what was never kept is not an error


def test_session_value_comes_before_the_keyring(secret_service) -> None:
    SecretStore().set("remote/auth_value", "kept", remember=True)
    store = SecretStore()
    store.set("remote/auth_value", "typed now", remember=False)
    assert store.get("remote/auth_value") == "typed now"


def test_without_a_keyring_the_secret_stays_for_the_session() -> None:
    # The test-wide default: keyring's always-failing backend.
    store = SecretStore()
    usable, reason = store.availability()
    assert not usable
    assert "no system keyring is available" in reason and "this session only" in reason
    assert store.set("remote/auth_value", "tok", remember=True) == reason
    assert store.get("remote/auth_value") == "tok"
    assert SecretStore().get("remote/auth_value") is None
    store.forget("remote/auth_value")
    assert store.get("remote/auth_value") is None


@pytest.mark.skipif(sys.platform != "linux", reason="Secret Service is the Linux keyring")
def test_no_session_bus_means_no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    # No backend forced and no D-Bus session: keyring's own detection finds nothing usable.
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    usable, reason = SecretStore().availability()
    assert not usable
    assert "this session only" in reason


class _LockedKeyring:
    """A keyring whose unlock prompt the person dismissed. (Not a KeyringBackend subclass: the
    keyring library would find it and chain it into every other test's keyring.)"""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")


def test_a_locked_keyring_is_a_sentence_not_a_traceback() -> None:
    store = SecretStore(backend=_LockedKeyring())
    assert store.availability()[0]
    assert store.get("remote/auth_value") is None
    problem = store.set("remote/auth_value", "tok", remember=True)
    assert problem == "The system keyring refused to keep it (Failed to unlock the collection!)."
    assert store.get("remote/auth_value") == "tok"
    assert store.set("remote/auth_value", "tok", remember=False) is not None


def test_keyring_is_not_imported_until_a_secret_is_asked_for() -> None:
    code = (
        "import sys\n"
        "from app.logic.secret_store import SecretStore\n"
        "store = SecretStore()\n"
        "assert 'keyring' not in sys.modules, 'imported at start'\n"
        "store.availability()\n"
        "assert 'keyring' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
