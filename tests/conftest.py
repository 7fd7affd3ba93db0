"""Test-wide set-up: Qt runs headless, and nothing touches the real home folder."""

from __future__ import annotations

import os

# Qt reads these before the first QApplication exists, so they are set at import time.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")


def _use_the_shipped_fonts() -> None:
    """Qt finds fonts through fontconfig: point it at the fonts in tests/fonts (DejaVu Sans and
    Sans Mono, the fonts the layout was made with) and nothing else, so a layout test measures
    the same text on every machine. With the machine's fonts, one whose monospace font is Noto
    Sans Mono showed 10.5 editor lines where DejaVu shows 12. Also for the processes tests
    start (they inherit the environment)."""
    import atexit
    import shutil
    import tempfile
    from pathlib import Path
    from xml.sax.saxutils import escape

    fonts = Path(__file__).resolve().parent / "fonts"
    cache = Path(tempfile.mkdtemp(prefix="reghook-test-fonts-"))
    atexit.register(shutil.rmtree, cache, ignore_errors=True)
    aliases = "".join(
        f"<alias><family>{generic}</family><prefer><family>{family}</family></prefer></alias>"
        for generic, family in (
            ("monospace", "DejaVu Sans Mono"),
            ("sans-serif", "DejaVu Sans"),
            ("serif", "DejaVu Sans"),
        )
    )
    config = cache / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><dir>{escape(str(fonts))}</dir><cachedir>{escape(str(cache))}</cachedir>"
        f"{aliases}</fontconfig>\n",
        encoding="utf-8",
    )
    os.environ["FONTCONFIG_FILE"] = str(config)


_use_the_shipped_fonts()

# Property tests check correctness, not speed (benchmarks do that): a busy machine must not
# turn a slow example into a failure.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

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
