"""`reghook check` end to end: the conformance suite against the bundled endpoints, against
`serve` on 127.0.0.1 and against a stand-in for the guide's sample; JUnit parsed back."""

from __future__ import annotations

import json
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from guide_sample import GuideSampleServer

from app.cli import main
from app.logic.run.history import HistoryStore
from app.logic.service import ServiceRunner, bind_socket, create_app

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "fixtures" / "scenarios" / "guide"
ALL_CASES = sorted(SUITE.rglob("*.json"))
DEFECTS = {p.relative_to(SUITE).as_posix() for p in ALL_CASES if "-defect-" in p.name}
USER, PASSWORD = "bench-user", "bench-pass-7"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def failed_files(report: dict) -> set[str]:
    found = set()
    for result in report["results"]:
        if not result["passed"]:
            found.add(Path(result["file"]).resolve().relative_to(SUITE).as_posix())
    return found


@pytest.fixture(scope="module")
def service() -> Iterator[str]:
    app = create_app(USER, PASSWORD, log=lambda _line: None)
    with ServiceRunner(app, bind_socket("127.0.0.1", 0), "builtin").start_in_thread() as runner:
        yield runner.url


def test_the_suite_names_every_case_of_the_issue() -> None:
    names = {p.stem for p in ALL_CASES}
    for folder in ("ssr", "pp", "ssr-and-pp"):
        assert (SUITE / folder).is_dir()
    for needed in (
        "10-defect-lookalike-notokta",
        "11-defect-lookalike-attacker-suffix",
        "13-defect-login-without-at",
        "12-defect-missing-email",
        "10-defect-four-letters",
        "11-defect-no-user-profile-update",
    ):
        assert needed in names
    assert len(DEFECTS) >= 12


def test_suite_passes_against_the_bundled_endpoints(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    junit = tmp_path / "report.xml"
    code, out, err = run(capsys, "check", str(SUITE), "--junit", str(junit))
    assert code == 0, out + err
    lines = out.splitlines()
    assert lines[-1] == f"{len(ALL_CASES)} passed, 0 failed"
    assert all(line.startswith("PASS  ") for line in lines[:-1])
    root = ET.parse(junit).getroot()
    assert root.tag == "testsuites"
    assert root.get("tests") == str(len(ALL_CASES)) and root.get("failures") == "0"
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == len(ALL_CASES)
    assert not root.findall(".//failure")


def test_suite_passes_against_serve_on_localhost(
    capsys: pytest.CaptureFixture[str], service: str
) -> None:
    code, out, err = run(
        capsys, "check", str(SUITE), "--url", service, "--basic", f"{USER}:{PASSWORD}",
        "--jobs", "4", "--json",
    )  # fmt: skip
    report = json.loads(out)
    assert code == 0, err + json.dumps([r for r in report["results"] if not r["passed"]])
    assert report["passed"] == len(ALL_CASES) and report["failed"] == 0
    assert {r["target"].rsplit("/", 1)[1] for r in report["results"]} == {
        "registrationHookSSR",
        "registrationHookPP",
        "registrationHookSSRandPP",
    }


def test_suite_fails_exactly_where_the_guide_sample_is_wrong(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    junit = tmp_path / "sample.xml"
    with GuideSampleServer() as sample:
        code, out, _err = run(
            capsys, "check", str(SUITE), "--url", sample.base, "--auth", "Basic x",
            "--json", "--junit", str(junit), "--jobs", "2",
        )  # fmt: skip
    assert code == 1
    report = json.loads(out)
    assert failed_files(report) == DEFECTS
    assert report["failed"] == len(DEFECTS)
    root = ET.parse(junit).getroot()
    failures = root.findall(".//testcase/failure")
    assert len(failures) == len(DEFECTS)
    crashed = [f for f in failures if "the call failed" in (f.get("message") or "")]
    assert crashed, "the sample's crashes are reported as failed calls"
    assert any("HTTP 500" in (f.text or "") or "500" in (f.text or "") for f in crashed)


def test_a_failing_scenario_names_the_first_difference(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    scenario = {
        "name": "wrong expectation",
        "target": "ssr",
        "generate": {"type": "ssr", "user": "rosario.jones@example.com"},
        "expect": {"outcome": "ALLOWED"},
    }
    path = tmp_path / "one.json"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    code, out, _err = run(capsys, "check", str(path))
    assert code == 1
    first, last = out.splitlines()
    assert first == f'FAIL  wrong expectation ({path}): outcome: expected "ALLOWED", got "DENIED"'
    assert last == "0 passed, 1 failed"


def test_a_line_feed_in_a_name_or_a_file_name_cannot_print_a_line_of_its_own(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "x\nPASS  forged file"
    folder.mkdir()
    scenario = {
        "name": "wrong\nPASS  forged name\r",
        "target": "ssr",
        "generate": {"type": "ssr", "user": "rosario.jones@example.com"},
        "expect": {"outcome": "ALLOWED"},
    }
    (folder / "one.json").write_text(json.dumps(scenario), encoding="utf-8")
    passing = {**scenario, "name": "fine\u2028PASS  forged too", "expect": {"outcome": "DENIED"}}
    (folder / "two.json").write_text(json.dumps(passing), encoding="utf-8")
    code, out, _err = run(capsys, "check", str(folder))
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 3 and lines[-1] == "1 passed, 1 failed"
    assert lines[0].startswith("FAIL  wrong\\u000aPASS  forged name\\u000d (")
    assert "x\\u000aPASS  forged file" in lines[0]
    assert lines[1] == "PASS  fine\\u2028PASS  forged too"


def test_target_on_the_command_line_overrides_the_scenario(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _err = run(capsys, "check", str(SUITE / "ssr"), "--target", "pp")
    assert code == 1
    assert "passed" in out.splitlines()[-1]


def test_invalid_scenario_file_is_one_line_with_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "name": "x",\n  "expect": {},\n  "taget": "ssr"\n}\n', encoding="utf-8")
    code, out, err = run(capsys, "check", str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert f"{path}:4:3:" in err and '"taget"' in err and 'did you mean "target"' in err


def test_no_scenarios_and_bad_jobs_are_usage_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(capsys, "check", str(tmp_path))[0] == 2
    assert run(capsys, "check", str(SUITE), "--jobs", "0")[0] == 2
    assert run(capsys, "check", str(SUITE), "--target", "ssr", "--url", "http://x")[0] == 2


def test_check_records_each_call_unless_told_not_to(
    capsys: pytest.CaptureFixture[str], _own_data_dir: Path
) -> None:
    assert run(capsys, "check", str(SUITE / "pp"), "--no-history")[0] == 0
    assert not (_own_data_dir / "history.sqlite3").exists()
    assert run(capsys, "check", str(SUITE / "pp"))[0] == 0
    store = HistoryStore(_own_data_dir / "history.sqlite3")
    entries = store.list(100)
    assert len(entries) == len(list((SUITE / "pp").glob("*.json")))
    assert {e.source for e in entries} == {"check"}
    assert all(e.scenario for e in entries)


def test_check_runs_as_a_process(tmp_path: Path) -> None:
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "app", "check", str(SUITE), "--no-history"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"{len(ALL_CASES)} passed, 0 failed"


def test_auth_options_reach_a_scenarios_own_url(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, service: str
) -> None:
    scenario = json.loads((SUITE / "ssr" / "02-other-domain-denied.json").read_text("utf-8"))
    scenario["target"] = service + "/registrationHookSSR"
    path = tmp_path / "own-url.json"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    code, out, _err = run(capsys, "check", str(path), "--no-history")
    assert code == 1 and "the call failed" in out  # 401 without the service's login
    code, out, err = run(capsys, "check", str(path), "--basic", f"{USER}:{PASSWORD}")
    assert code == 0, out + err


class _UnknownAttribute(BaseHTTPRequestHandler):
    """Answers every call by setting an attribute the demo org's schema does not have."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", "0")))
        body = json.dumps(
            {
                "commands": [
                    {
                        "type": "com.okta.user.profile.update",
                        "value": {"favouriteColour": "blue", "nickName": "Ro"},
                    }
                ]
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_check_reads_okta_undocumented_rules_the_way_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    scenario = tmp_path / "lenient.json"
    scenario.write_text(
        json.dumps(
            {
                "name": "an unknown attribute is left out when read leniently",
                "generate": {"type": "ssr", "user": "zoe.lukasiewicz@okta.com"},
                "expect": {"outcome": "PROFILE UPDATED"},
            }
        )
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), _UnknownAttribute)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/hook"
    try:
        common = ("check", str(scenario), "--url", url, "--no-history", "--json")
        code, out, _err = run(capsys, *common, "--reading", "lenient")
        assert code == 0, out
        code, out, _err = run(capsys, *common)  # strict, the default: Okta refuses it
        assert code == 1
        assert json.loads(out)["results"][0]["passed"] is False
        code, _out, err = run(capsys, *common, "--reading", "sloppy")
        assert code == 2 and "--reading" in err
    finally:
        server.shutdown()
        server.server_close()


def test_junit_into_a_missing_folder_is_refused_before_any_call(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    calls: list[str] = []

    class Counting(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            calls.append(self.path)
            self.send_response(500)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/hook"
        report = tmp_path / "no-such-folder" / "report.xml"
        code, out, err = run(
            capsys, "check", str(SUITE / "ssr"), "--url", url, "--junit", str(report)
        )
    finally:
        server.shutdown()
        server.server_close()
    assert code == 2 and out == "" and calls == []
    assert err.startswith(f"reghook: error: --junit {report}: no such folder: ")


def test_a_junit_report_that_fails_late_keeps_the_results(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.logic.run import junit

    def disk_full(_results: object) -> bytes:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(junit, "junit_xml", disk_full)
    code, out, err = run(capsys, "check", str(SUITE / "ssr"), "--junit", str(tmp_path / "r.xml"))
    assert code == 2 and "No space left on device" in err
    assert out.splitlines()[-1].endswith("0 failed") and out.count("PASS  ") >= 3
