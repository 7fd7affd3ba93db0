"""Window tests: each test gets its own settings file and data folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from window_actions import DialogRecorder, open_window

from app.views.main_window import MainWindow


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    """A settings file of this test's own; no test reads or writes the real one."""
    return tmp_path / "settings.ini"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # QStandardPaths follows XDG_* and HOME, so a stray default path still lands in tmp_path.
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    # The history folder follows REGHOOK_DATA_DIR first: a value from the caller's shell must
    # not make tests share (or fill) one history.
    monkeypatch.setenv("REGHOOK_DATA_DIR", str(home / "data"))


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> DialogRecorder:
    """No real modal box ever opens in a window test; each one is recorded and answered."""
    recorder = DialogRecorder()
    recorder.install(monkeypatch)
    return recorder


@pytest.fixture
def window(qtbot: QtBot, settings_path: Path) -> MainWindow:
    """The real main window on the demo org, shown and active, with this test's settings."""
    return open_window(qtbot, settings_path)
