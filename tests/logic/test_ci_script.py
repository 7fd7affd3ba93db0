""".ci/run runs the suite on every interpreter even when one fails, prints each result and
exits non-zero at the end. Run in a copy of the script with stand-in interpreters, which
"install" nothing and pass or fail as told."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or shutil.which("bash") is None, reason="a bash script"
)

# A stand-in interpreter: `-c CODE` prints its version (what the script asks), `-m venv DIR`
# makes DIR/bin/python, a stand-in whose exit status is $FAIL_<version> (default 0).
STAND_IN = """#!/usr/bin/env bash
version={version}
if [ "$1" = -c ]; then echo "$version"; exit 0; fi
if [ "$1" = -m ] && [ "$2" = venv ]; then
  mkdir -p "$3/bin"
  printf '#!/usr/bin/env bash\\nvar=FAIL_%s\\nexit "${{!var:-0}}"\\n' "${{version/./_}}" \\
    > "$3/bin/python"
  chmod +x "$3/bin/python"
  exit 0
fi
exit 3
"""


def _executable(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def _run_ci(tmp_path: Path, **fail: int) -> subprocess.CompletedProcess[str]:
    repo = tmp_path / "repo"
    (repo / ".ci").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "run", repo / ".ci" / "run")
    (repo / "README.md").write_text(
        "python3 -m venv .venv && .venv/bin/python -m pytest\n", encoding="utf-8"
    )
    (repo / "scripts").mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, version in (("python3", "3.11"), ("python3.12", "3.12"), ("python3.13", "3.13")):
        _executable(bin_dir / name, STAND_IN.format(version=version))
    # Every system package counts as installed: the script must not reach for apt-get here.
    _executable(bin_dir / "dpkg-query", "#!/usr/bin/env bash\necho 'install ok installed'\n")
    env = {
        "PATH": f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "HOME": str(tmp_path),
        "PYENV_ROOT": str(tmp_path / "no-pyenv"),
        **{f"FAIL_{version}": str(status) for version, status in fail.items()},
    }
    return subprocess.run(
        ["bash", str(repo / ".ci" / "run")],
        capture_output=True,
        text=True,
        env=env,
        cwd=repo,
        timeout=120,
        check=False,
    )


def test_a_failing_interpreter_does_not_stop_the_others(tmp_path: Path) -> None:
    done = _run_ci(tmp_path, **{"3_11": 1})
    assert done.returncode != 0
    results = done.stdout.split("Results:")[1].split("\n")
    assert [line.strip() for line in results if line.strip()] == [
        "Python 3.11 (README): FAILED (exit 1)",
        "mypy baseline: FAILED (exit 1)",
        "Python 3.12: passed",
        "Python 3.13: passed",
    ]


def test_all_passing_exits_0_and_says_so(tmp_path: Path) -> None:
    done = _run_ci(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Python 3.12: passed" in done.stdout and "FAILED" not in done.stdout
