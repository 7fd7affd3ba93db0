"""Logic tests: the call history of `send` and `check` goes to this test's own folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("REGHOOK_DATA_DIR", str(data))
    monkeypatch.delenv("REGHOOK_HISTORY_KEEP", raising=False)
    return data
