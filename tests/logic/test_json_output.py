"""What the command line prints for programs: one naming style in JSON (snake_case, as
`elapsed_ms` and `hook_failed`), a failed call that says its HTTP status, and the guide's
suite found by name in an installed copy."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import closing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from app.cli import main
from app.logic.run.history import default_history_path

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "fixtures" / "scenarios" / "guide"
SNAKE = re.compile(r"[a-z][a-z0-9_]*")
#: Values whose keys are not the program's own names: the wire's (headers, bodies), Okta's
#: (a request, an answer, a profile's attribute names) and a scenario file's `rules`.
WIRE_OR_PROFILE = frozenset(
    {"headers", "body", "request", "response_value", "profile_before", "profile_after", "rules"}
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def failing_hook() -> Iterator[str]:
    """A hook on 127.0.0.1 that answers every call 503."""

    class Failing(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            body = b'{"error": "down"}'
            self.send_response(503)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/registrationHookSSR"
    finally:
        server.shutdown()
        server.server_close()


def keys_of(value: object, where: str = "") -> Iterator[tuple[str, str]]:
    """Every object key in `value` with its path; headers and bodies are the wire's, not ours."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, f"{where}.{key}"
            if key not in WIRE_OR_PROFILE:
                yield from keys_of(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from keys_of(item, f"{where}[{index}]")


def test_json_output_names_keys_one_way(
    capsys: pytest.CaptureFixture[str], failing_hook: str
) -> None:
    request = SUITE / "ssr" / "01-okta-email-registers.json"
    outputs = []
    code, out, _err = run(capsys, "check", str(request), "--url", failing_hook, "--json")
    assert code == 1
    outputs.append(json.loads(out))
    code, body, _err = run(capsys, "request", "--type", "ssr", "--user", "zoe")
    sent = Path(default_history_path()).parent / "request.json"
    sent.write_text(body, encoding="utf-8")
    code, out, _err = run(capsys, "send", "--url", failing_hook, str(sent), "--json")
    assert code == 1
    outputs.append(json.loads(out))
    code, out, _err = run(capsys, "history", "--json")
    assert code == 0
    outputs.append(json.loads(out))
    newest = outputs[-1][0]["id"]
    code, out, _err = run(capsys, "history", "show", str(newest), "--json")
    outputs.append(json.loads(out))
    found = [
        path for output in outputs for key, path in keys_of(output) if not SNAKE.fullmatch(key)
    ]
    assert found == []
    attempts = outputs[-1]["answer"]["attempts"]
    assert attempts and {"started_ms", "duration_ms"} <= attempts[0].keys()


def test_a_row_recorded_with_the_old_attempt_names_shows_the_new_ones(
    capsys: pytest.CaptureFixture[str], failing_hook: str
) -> None:
    request = SUITE / "ssr" / "01-okta-email-registers.json"
    run(capsys, "check", str(request), "--url", failing_hook, "--no-retry")
    # closing(): a connection's own `with` commits but leaves it open (a ResourceWarning on 3.13).
    with closing(sqlite3.connect(default_history_path())) as db, db:
        (stored,) = db.execute("SELECT attempts FROM exchanges").fetchone()
        old = [
            {"startedMs" if k == "started_ms" else "durationMs" if k == "duration_ms" else k: v}
            for attempt in json.loads(stored)
            for k, v in attempt.items()
        ]
        merged: dict[str, object] = {}
        for part in old:
            merged |= part
        db.execute("UPDATE exchanges SET attempts = ?", (json.dumps([merged]),))
    code, out, _err = run(capsys, "history", "show", "1", "--json")
    assert code == 0
    (attempt,) = json.loads(out)["answer"]["attempts"]
    assert "duration_ms" in attempt and "durationMs" not in attempt


def test_a_failed_call_says_its_http_status(
    capsys: pytest.CaptureFixture[str], failing_hook: str
) -> None:
    request = SUITE / "ssr" / "01-okta-email-registers.json"
    code, out, _err = run(capsys, "check", str(request), "--url", failing_hook, "--no-retry")
    assert code == 1
    assert "the call failed (HTTP 503): " in out.splitlines()[0]
    code, out, _err = run(
        capsys, "check", str(request), "--url", failing_hook, "--no-retry", "--json"
    )
    (result,) = json.loads(out)["results"]
    assert result["status"] == 503 and "HTTP 503" in result["difference"]


def test_the_guide_suite_is_found_by_name_in_an_installed_copy(tmp_path: Path) -> None:
    # The wheel's layout (pyproject: the package, with fixtures/ inside it as app/fixtures),
    # run from a folder that is not the checkout: `check fixtures/scenarios/guide` only ever
    # worked in a checkout.
    site = tmp_path / "site"
    shutil.copytree(ROOT / "app", site / "app", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "fixtures", site / "app" / "fixtures")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PYTHONPATH": str(site), "HOME": str(tmp_path), "REGHOOK_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "app", "check", "--suite", "guide", "--no-history"],
        capture_output=True,
        text=True,
        env=env,
        cwd=elsewhere,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].endswith("passed, 0 failed")
    assert str(site / "app" / "fixtures") in done.stdout or "PASS" in done.stdout
    helped = subprocess.run(
        [sys.executable, "-m", "app", "check", "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=elsewhere,
        timeout=60,
        check=True,
    )
    assert "--suite {guide}" in helped.stdout


def test_check_needs_paths_or_a_suite(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "check")
    assert code == 2 and "--suite guide" in err
