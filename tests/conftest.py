"""Test-wide set-up: Qt runs headless, and nothing touches the real home folder."""

from __future__ import annotations

import os

# Qt reads these before the first QApplication exists, so they are set at import time.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

# Property tests check correctness, not speed (benchmarks do that): a busy machine must not
# turn a slow example into a failure.
from hypothesis import settings as _hypothesis_settings

_hypothesis_settings.register_profile("default", deadline=None)
_hypothesis_settings.load_profile("default")


import keyring.core  # noqa: E402
import pytest  # noqa: E402
from keyring_daemon import MISSING, SecretServiceDaemon  # noqa: E402


@pytest.fixture(autouse=True)
def _no_real_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """The keyring library never reaches the keyring of whoever runs the tests: it finds no
    session bus, is told to use its always-failing backend, and looks again in each test."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)


@pytest.fixture(scope="session")
def _secret_service_daemon(tmp_path_factory: pytest.TempPathFactory):
    if MISSING:
        pytest.skip(MISSING)
    daemon = SecretServiceDaemon(tmp_path_factory.mktemp("secret-service"))
    daemon.start()
    try:
        yield daemon
    finally:
        daemon.stop()


@pytest.fixture
def secret_service(_secret_service_daemon: SecretServiceDaemon, monkeypatch: pytest.MonkeyPatch):
    """A real Secret Service (gnome-keyring on a private bus) that `keyring` finds on its own,
    emptied of this program's secrets after the test."""
    daemon = _secret_service_daemon
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", daemon.address)
    # keyring reads a config file from here: the caller's own must not pick another backend.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(daemon.root / "config"))
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    yield daemon
    daemon.forget_all("reghook-preview")
