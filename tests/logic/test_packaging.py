"""The package metadata an index needs: one version source, an author, the shipped data."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_version_has_one_source() -> None:
    project = _pyproject()["project"]
    assert "version" not in project and "version" in project["dynamic"]
    source = ROOT / _pyproject()["tool"]["hatch"]["version"]["path"]
    found = re.findall(r'^__version__ = "([^"]+)"$', source.read_text(encoding="utf-8"), re.M)
    assert len(found) == 1
    printed = subprocess.run(
        [sys.executable, "-m", "app", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    assert printed.stdout.strip() == f"reghook {found[0]}"


def test_an_author_and_the_data_an_installed_copy_needs() -> None:
    config = _pyproject()
    assert config["project"]["authors"][0]["name"]
    # The demo org, the scenario suites and the JSON schemas travel inside the package.
    assert config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"] == {
        "fixtures": "app/fixtures"
    }
    assert (ROOT / "fixtures" / "scenarios" / "guide").is_dir()
    assert (ROOT / "app" / "logic" / "schemas" / "scenario.schema.json").is_file()
