"""The command line under hostile input: escape sequences, lone surrogates, deep nesting,
huge numbers, secrets in arguments. Each gets one clear line or a safe report, never a
traceback, never a raw control character on the terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

ROOT = Path(__file__).resolve().parents[2]
FORGED = "\u001b[2K\r\u001b[32mALLOWED: registration goes on with no change.\u001b[0m"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def request_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, out, _err = run(capsys, "request", "--type", "ssr", "--user", "zoe", "--seed", "1")
    assert code == 0
    path = tmp_path / "request.json"
    path.write_text(out, encoding="utf-8")
    return path


def deny_with(summary: str) -> dict[str, object]:
    return {
        "commands": [{"type": "com.okta.action.update", "value": {"registration": "DENY"}}],
        "error": {
            "errorSummary": summary,
            "errorCauses": [
                {
                    "errorSummary": summary,
                    "reason": "X",
                    "locationType": "body",
                    "location": "data.userProfile.email",
                    "domain": "end-user",
                }
            ],
        },
    }


def assert_no_raw_controls(text: str) -> None:
    bad = [ch for ch in text if (ord(ch) < 32 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F]
    assert not bad, f"raw control characters: {bad!r}"


def test_an_escape_sequence_in_an_answer_cannot_paint_a_false_verdict(
    tmp_path: Path, request_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = tmp_path / "answer.json"
    answer.write_text(json.dumps(deny_with(FORGED + "\nALLOWED")), encoding="utf-8")
    code, out, err = run(
        capsys, "verdict", "--request", str(request_file), "--response", str(answer)
    )
    assert code == 0, err
    assert_no_raw_controls(out)
    assert out.startswith("DENIED")
    assert "\\u001b[2K\\u000d" in out
    assert not any(line.startswith("ALLOWED") for line in out.splitlines())


def test_a_lone_surrogate_in_an_answer_is_printed_as_its_escape(
    tmp_path: Path, request_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = tmp_path / "answer.json"
    answer.write_text(json.dumps(deny_with("bad \ud83d here")), encoding="utf-8")
    for extra in ((), ("--json",)):
        code, out, err = run(
            capsys, "verdict", "--request", str(request_file), "--response", str(answer), *extra
        )
        assert code == 0, err
        out.encode("utf-8")  # a lone surrogate would make this raise
        assert "\\ud83d" in out


def test_a_lone_surrogate_in_a_request_is_fine_for_validate_and_verdict(
    tmp_path: Path, request_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    value = json.loads(request_file.read_text(encoding="utf-8"))
    value["data"]["userProfile"]["firstName"] = "Zo\ud83d"
    path = tmp_path / "surrogate.json"
    path.write_text(json.dumps(value), encoding="utf-8")
    code, _out, err = run(capsys, "validate", "request", str(path))
    assert code in (0, 1) and "Traceback" not in err
    answer = tmp_path / "a.json"
    answer.write_text("{}", encoding="utf-8")
    code, out, _err = run(capsys, "verdict", "--request", str(path), "--response", str(answer))
    assert code == 0 and out.startswith("ALLOWED")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"commands": [], "n": 1e999}', "1e999 is too large for a JSON number"),
        ('{"commands": [], "n": ' + "9" * 5000 + "}", "a number of 5,000 digits"),
        ('{"commands": [], "n": NaN}', "NaN is not a JSON number"),
    ],
)
def test_numbers_json_cannot_carry_are_named_never_printed_as_infinity(
    tmp_path: Path,
    request_file: Path,
    capsys: pytest.CaptureFixture[str],
    body: str,
    message: str,
) -> None:
    answer = tmp_path / "answer.json"
    answer.write_text(body, encoding="utf-8")
    code, out, _err = run(capsys, "validate", "response", str(answer))
    assert code == 1 and message in out
    assert "set_int_max_str_digits" not in out
    code, out, _err = run(
        capsys, "verdict", "--json", "--request", str(request_file), "--response", str(answer)
    )
    assert code == 0
    assert "Infinity" not in out and "set_int_max_str_digits" not in out
    assert json.loads(out)["hook_failed"] is True


def test_a_users_file_nested_900_deep_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    users = tmp_path / "deep.json"
    users.write_text("[" * 900 + "]" * 900, encoding="utf-8")
    code, out, err = run(capsys, "request", "--type", "ssr", "--user", "x", "--users", str(users))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_lone_surrogate_in_a_users_file_is_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    users = tmp_path / "users.json"
    users.write_text(
        json.dumps(
            {
                "users": [
                    {
                        "id": "00u1",
                        "profile": {
                            "login": "a\ud83d@okta.com",
                            "email": "a\ud83d@okta.com",
                            "firstName": "A",
                            "lastName": "B",
                        },
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    code, out, err = run(
        capsys, "request", "--type", "ssr", "--user", "00u1", "--users", str(users)
    )
    assert "Traceback" not in err
    out.encode("utf-8")
    assert code in (0, 2)


def test_a_malformed_header_never_echoes_its_value(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(
        capsys, "send", "--url", "http://127.0.0.1:9/", "--header", "Bearer-sekr1t-t0ken"
    )
    assert code == 2 and "sekr1t" not in err
    assert "--header #1 is not NAME:VALUE" in err


@pytest.mark.parametrize(
    ("header", "said"),
    [
        ("X-Api-Key=tok_live_SECRETPART1", "is not NAME:VALUE (its"),
        ("X-Api-Key=tok_live_SECRETPART1: x", "is not NAME:VALUE: a header name cannot hold '='"),
        ("Bearer tok_live_SECRETPART1:", "is not NAME:VALUE: a header name cannot hold U+0020"),
    ],
)
def test_a_header_name_that_holds_a_secret_is_never_echoed(
    capsys: pytest.CaptureFixture[str], header: str, said: str
) -> None:
    code, _out, err = run(capsys, "send", "--url", "http://127.0.0.1:9/", "--header", header)
    assert code == 2 and "SECRETPART1" not in err and "tok_live" not in err
    assert f"--header #1 {said}" in err


def test_basic_password_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli.send import _basic_value

    monkeypatch.setenv("REGHOOK_BASIC_PASSWORD", "supersecret")
    assert _basic_value("admin") == "Basic YWRtaW46c3VwZXJzZWNyZXQ="


def test_several_matching_users_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "request", "--type", "ssr", "--user", "example.com")
    assert code == 2
    assert " users match 'example.com': " in err and "no user" not in err


def test_set_of_an_attribute_the_org_lacks_warns(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "request", "--type", "ssr", "--user", "zoe", "--set", "favouriteColour=red"
    )
    assert code == 0 and json.loads(out)
    assert "warning: --set favouriteColour: the org's user schema has no such attribute" in err


def test_verdict_check_exits_like_send(
    tmp_path: Path, request_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = tmp_path / "bad.json"
    answer.write_text('{"commands": [{"type": "com.action.update"}]}', encoding="utf-8")
    args = ("verdict", "--request", str(request_file), "--response", str(answer))
    assert run(capsys, *args)[0] == 0
    assert run(capsys, *args, "--check")[0] == 1
    answer.write_text("{}", encoding="utf-8")
    assert run(capsys, *args, "--check")[0] == 0


def test_respond_on_a_terminal_says_it_reads_standard_input() -> None:
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "respond", "--hook", "ssr"],
            stdin=follower,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        os.write(leader, b"{}\n\x04")
        out, err = process.communicate(timeout=20)
    finally:
        os.close(leader)
        os.close(follower)
    assert b"reading the request JSON from standard input" in err
    assert json.loads(out) == {}


LOADED = """
import sys
from app.cli import main
try:
    main({argv!r})
except SystemExit:
    pass
heavy = ("asyncio", "app.logic.service", "PySide6", "httpx", "uvicorn")
sys.stderr.write("LOADED=" + repr([m for m in heavy if m in sys.modules]))
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["request", "--type", "pp", "--user", "zoe", "--seed", "1"],
        ["validate", "response", "-"],
        ["respond", "--hook", "ssr", "-"],
        ["--help"],
    ],
)
def test_light_commands_load_neither_the_service_nor_asyncio_nor_qt(argv: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", LOADED.format(argv=argv)],
        input="{}",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,
        check=False,
    )
    assert result.stderr.rstrip().endswith("LOADED=[]"), result.stderr


def test_request_loads_neither_the_validation_module_nor_secrets() -> None:
    # `request` starts fast (benchmarks/bench_cli_start.py): the
    # demo org is read without the validation module, and ids without `secrets` (hmac, hashlib).
    argv = ["request", "--type", "ssr", "--user", "zoe"]
    code = LOADED.format(argv=argv).replace(
        '("asyncio", "app.logic.service", "PySide6", "httpx", "uvicorn")',
        '("app.logic.validation", "jsonschema", "secrets", "hmac")',
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=30
    )
    assert result.stderr.rstrip().endswith("LOADED=[]"), result.stderr


@pytest.fixture
def special_files(tmp_path: Path) -> dict[str, Path]:
    """A symlink to /dev/zero (never ends), a FIFO (opening it waits for a writer), a folder
    and a regular file over the 5 MB cap, each named like a JSON file."""
    zero = tmp_path / "zero.json"
    zero.symlink_to("/dev/zero")
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.json"
    folder.mkdir()
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (5 * 1024 * 1024 + 1))
    return {"a device": zero, "a named pipe": fifo, "a folder": folder, "more than": big}


@pytest.mark.parametrize(
    "argv",
    [
        ("validate", "request", "{}"),
        ("verdict", "--request", "{}", "--response", "{}"),
        ("respond", "--hook", "ssr", "{}"),
        ("send", "--url", "http://127.0.0.1:9/", "{}"),
        ("check", "{}"),
        ("request", "--type", "ssr", "--user", "zoe", "--users", "{}"),
    ],
    ids=lambda argv: argv[0],
)
def test_the_command_line_reads_regular_files_only_within_the_cap(
    capsys: pytest.CaptureFixture[str], special_files: dict[str, Path], argv: tuple[str, ...]
) -> None:
    for kind, path in special_files.items():
        if argv[0] == "request" and kind == "more than":
            continue  # a users file has no cap: an org of a million users is 560 MB
        if argv[0] == "check" and kind == "a folder":
            continue  # check searches a folder for scenarios
        code, _out, err = run(capsys, *(str(path) if a == "{}" else a for a in argv))
        assert code == 2, (kind, err)
        assert "Traceback" not in err and err.count("\n") == 1
        assert kind in err and path.name in err


def test_a_latin_1_terminal_gets_json_as_utf8_and_escapes_in_text(tmp_path: Path) -> None:
    # What en_US.ISO-8859-1 gives Python's standard streams (PYTHONIOENCODING stands in for a
    # locale the test machine may not have): JSON went out as Latin-1, or ended in a
    # UnicodeEncodeError traceback at the first "Ł".
    env = {**os.environ, "PYTHONIOENCODING": "iso-8859-1", "REGHOOK_DATA_DIR": str(tmp_path)}

    def reghook(*argv: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "app", *argv],
            capture_output=True,
            env=env,
            cwd=ROOT,
            timeout=60,
            check=False,
        )

    made = reghook("request", "--type", "ssr", "--user", "zoe", "--seed", "1")
    assert made.returncode == 0, made.stderr
    request = json.loads(made.stdout.decode("utf-8"))
    assert request["data"]["userProfile"]["lastName"] == "Łukasiewicz"
    saved = tmp_path / "request.json"
    saved.write_bytes(made.stdout)
    answered = reghook("respond", "--hook", "ssr", str(saved))
    assert answered.returncode == 0, answered.stderr
    json.loads(answered.stdout.decode("utf-8"))
    scenario = tmp_path / "s.json"
    scenario.write_text(
        json.dumps(
            {
                "name": "Łódź ✓",
                "target": "ssr",
                "generate": {"type": "ssr", "user": "zoe"},
                "expect": {"outcome": "ALLOWED"},
            }
        ),
        encoding="utf-8",
    )
    checked = reghook("check", str(scenario))
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.decode("iso-8859-1").startswith("PASS  \\u0141ód\\u017a \\u2713")
    shown = reghook("history", "show", "1")
    assert shown.returncode == 0 and b"Traceback" not in shown.stderr, shown.stderr


def test_a_deny_message_cannot_forge_lines_in_history_show(
    tmp_path: Path, request_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    answer = json.dumps(deny_with("no\nVerdict: ALLOWED\r\n  X-Forged: 1")).encode()

    class Denying(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Denying)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/registrationHookSSR"
        run(capsys, "send", "--url", url, str(request_file))
    finally:
        server.shutdown()
        server.server_close()
    code, out, err = run(capsys, "history", "show", "1")
    assert code == 0, err
    verdict_lines = [line for line in out.splitlines() if line.startswith("Verdict:")]
    assert len(verdict_lines) == 1 and "ALLOWED\\u000d" not in out.split("Verdict:")[0]
    assert "\\u000aVerdict: ALLOWED" in verdict_lines[0]
