"""Where the data files live, in a checkout and in an installed copy."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def fixtures_dir() -> Path:
    """The folder with the demo org: inside the package when installed, else the checkout's."""
    installed = _PACKAGE_DIR / "fixtures"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "fixtures"


def schemas_dir() -> Path:
    """The JSON Schemas used for validation (shipped inside `app/logic/schemas/`)."""
    return Path(__file__).resolve().parent / "schemas"


def scenario_suites() -> dict[str, Path]:
    """The scenario suites shipped with the program, by name (`guide`: the guide's
    conformance suite), each a folder of scenario files; found the same way installed."""
    folder = fixtures_dir() / "scenarios"
    if not folder.is_dir():
        return {}
    return {entry.name: entry for entry in sorted(folder.iterdir()) if entry.is_dir()}
