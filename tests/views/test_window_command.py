"""`python -m app window --users FILE` opens the window on a person's own users."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.cli import main
from app.views import application
from app.views.main_window import MainWindow


def test_window_command_shows_the_users_of_the_given_file(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = tmp_path / "users.json"
    users.write_text(
        json.dumps(
            [
                {
                    "id": "00uabcdefghijklmnopq",
                    "profile": {
                        "login": "ada@example.net",
                        "email": "ada@example.net",
                        "firstName": "Ada",
                        "lastName": "Lovelace",
                    },
                }
            ]
        ),
        encoding="utf-8",
    )
    seen: list[str] = []
    opened: list[MainWindow] = []

    def look_and_close() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        assert len(windows) == 1
        seen.append(windows[0].config.user_combo.currentText())
        opened.extend(windows)
        # exit(), not quit() or a window close: those post a Quit event that can outlive this
        # exec() and end the next test's event loops at once.
        QApplication.exit(0)

    # The real start-up path runs; the settings file stays inside tmp_path (see conftest).
    monkeypatch.setattr(MainWindow, "warm_up", lambda self: None)
    # run_app installs the program's error hook for good; later tests must not inherit it.
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(application, "_HOOK_INSTALLED", False)
    QTimer.singleShot(200, look_and_close)
    assert main(["window", "--users", str(users)]) == 0
    for window in opened:
        qtbot.addWidget(window)  # closed and deleted with the test, outside any exec()
    assert seen and "Ada Lovelace" in seen[0]
