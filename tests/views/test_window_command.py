"""`python -m app window --users FILE` opens the window on a person's own users."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from app.cli import main
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

    def look_and_close() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        assert len(windows) == 1
        seen.append(windows[0].config.user_combo.currentText())
        windows[0].close()
        QApplication.instance().quit()

    # The real start-up path runs; the settings file stays inside tmp_path (see conftest).
    monkeypatch.setattr(MainWindow, "warm_up", lambda self: None)
    QTimer.singleShot(200, look_and_close)
    assert main(["window", "--users", str(users)]) == 0
    assert seen and "Ada Lovelace" in seen[0]
