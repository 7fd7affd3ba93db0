"""The command line as a person uses it: real files in, text out, exit codes scripts trust."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, value: object) -> Path:
    path = tmp_path / name
    text = value if isinstance(value, str) else json.dumps(value)
    path.write_text(text, encoding="utf-8")
    return path


# --- request ------------------------------------------------------------------------------


def test_request_ssr_for_rosario(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "request", "--type", "ssr", "--user", "rosario.jones@example.com", "--seed", "7"
    )
    assert code == 0, err
    request = json.loads(out)
    assert request["requestType"] == "self.service.registration"
    assert request["eventType"] == "com.okta.user.pre-registration"
    assert request["data"]["context"]["request"]["url"]["value"] == "/idp/idx/enroll/new"
    profile = request["data"]["userProfile"]
    assert profile["email"] == "rosario.jones@example.com"
    assert profile["firstName"] == "Rosario"
    assert "user" not in request["data"]["context"]


def test_request_pp_with_set_fields(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "request",
        "--type",
        "progressive.profile",
        "--user",
        "rosario.jones@example.com",
        "--set",
        "employeeNumber=1234",
    )
    assert code == 0, err
    data = json.loads(out)["data"]
    assert data["userProfileUpdate"] == {"employeeNumber": "1234"}
    assert data["context"]["user"]["id"] == "00u48gwcu01WxvNol0g7"
    assert data["context"]["request"]["url"]["value"] == "/idp/idx/enroll/update"


def test_request_same_seed_same_ids(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ("request", "--type", "pp", "--user", "rosario.jones@example.com", "--seed", "3")
    first = json.loads(run(capsys, *argv)[1])
    second = json.loads(run(capsys, *argv)[1])
    assert first["eventId"] == second["eventId"]


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (("request", "--type", "signup", "--user", "rosario.jones@example.com"), "request type"),
        (("request", "--type", "ssr", "--user", "nobody@nowhere.example"), "no user"),
        (
            ("request", "--type", "ssr", "--user", "rosario.jones@example.com", "--set", "x"),
            "--set",
        ),
        (("request", "--type", "ssr"), "--user"),
        (("respond", "--hook", "nope"), "invalid choice"),
        (("respond", "--hook", "ssr", "--allowed-domain", "", "x.json"), "domain"),
        (("respond", "--hook", "ssr", "--allowed-domain", "@okta.com", "x.json"), "domain"),
        (
            ("request", "--type", "ssr", "--user", "rosario", "--set", "password=hunter2"),
            "password",
        ),
        (("validate", "request", "/nonexistent/file.json"), "cannot read"),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], fragment: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("reghook: error: ")
    assert fragment in err
    assert "Traceback" not in err


def test_a_users_file_of_ones_own(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    users = [
        {
            "id": "00uabcdefghijklmnopq",
            "passwordChanged": "2024-05-01T10:00:00.000Z",
            "profile": {
                "login": "ada@example.net",
                "email": "ada@example.net",
                "firstName": "Ada",
                "lastName": "Lovelace",
            },
        }
    ]
    path = write(tmp_path, "users.json", users)
    code, out, err = run(
        capsys, "request", "--type", "ssr", "--user", "ada@example.net", "--users", str(path)
    )
    assert code == 0, err
    assert json.loads(out)["data"]["userProfile"]["lastName"] == "Lovelace"


def test_a_broken_users_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "users.json", "[{not json")
    code, _, err = run(capsys, "request", "--type", "ssr", "--user", "x", "--users", str(path))
    assert code == 2
    assert err.count("\n") == 1 and "users.json" in err


# --- respond ------------------------------------------------------------------------------


def _request(capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    return json.loads(run(capsys, "request", "--seed", "1", *extra)[1])


def test_respond_denies_other_domain_and_logs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request = _request(capsys, "--type", "ssr", "--user", "rosario.jones@example.com")
    path = write(tmp_path, "request.json", request)
    code, out, err = run(capsys, "respond", "--hook", "ssr", str(path))
    assert code == 0
    response = json.loads(out)
    assert response["commands"] == [
        {"type": "com.okta.action.update", "value": {"registration": "DENY"}}
    ]
    assert response["error"]["errorCauses"][0]["errorSummary"] == (
        "Only okta.com emails can register."
    )
    assert "Type of Okta registration hook request: self.service.registration" in err
    assert "denied registration!" in err


def test_respond_reads_standard_input_and_takes_rules(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    request = _request(capsys, "--type", "ssr", "--user", "rosario.jones@example.com")
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps(request).encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, _ = run(capsys, "respond", "--hook", "ssr", "--allowed-domain", "example.com", "-")
    assert code == 0
    assert json.loads(out) == {
        "commands": [{"type": "com.okta.action.update", "value": {"registration": "ALLOW"}}]
    }


def test_respond_to_malformed_json_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "bad.json", '{\n  "requestType": "progressive.profile",\n  "data": }\n')
    code, out, err = run(capsys, "respond", "--hook", "pp", str(path))
    assert code == 2 and out == ""
    assert err.startswith(f"reghook: error: {path}:3:")


# --- validate -----------------------------------------------------------------------------


def test_validate_a_generated_request(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    request = _request(capsys, "--type", "pp", "--user", "rosario.jones@example.com")
    path = write(tmp_path, "request.json", json.dumps(request, indent=2))
    code, out, _ = run(capsys, "validate", "request", str(path))
    assert code == 0 and out == ""


def test_validate_a_response_copying_okta_api_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        '{\n  "commands": [\n    {\n      "type": "com.action.update",\n'
        '      "value": {"action": "DENY"}\n    }\n  ]\n}\n'
    )
    path = write(tmp_path, "response.json", text)
    code, out, _ = run(capsys, "validate", "response", str(path))
    assert code == 1
    lines = out.splitlines()
    assert any(
        line.startswith("4:") and "commands[0].type" in line and "com.okta.action.update" in line
        for line in lines
    ), lines
    assert all(line.split(" ", 1)[0].count(":") == 1 for line in lines)


# --- verdict ------------------------------------------------------------------------------


def test_verdict_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    request = _request(capsys, "--type", "ssr", "--user", "rosario.jones@example.com")
    req_path = write(tmp_path, "request.json", request)
    _, answer, _ = run(capsys, "respond", "--hook", "ssr", str(req_path))
    resp_path = write(tmp_path, "response.json", answer)

    code, out, err = run(
        capsys, "verdict", "--request", str(req_path), "--response", str(resp_path)
    )
    assert code == 0, err
    assert "DENIED" in out
    assert "Only okta.com emails can register." in out

    code, out, _ = run(
        capsys,
        "verdict",
        "--request",
        str(req_path),
        "--response",
        str(resp_path),
        "--elapsed-ms",
        "3500",
        "--json",
    )
    verdict = json.loads(out)
    assert verdict["outcome"] == "DENIED"
    assert verdict["hook_failed"] is True


def test_verdict_json_places_causes_by_the_form_and_takes_the_profile_from_the_org(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request = _request(
        capsys, "--type", "pp", "--user", "zoe.lukasiewicz@okta.com", "--set", "employeeNumber=1"
    )
    assert "email" not in request["data"]["context"]["user"]["profile"]
    req_path = write(tmp_path, "request.json", request)
    answer = {
        "error": {
            "errorCauses": [
                {"errorSummary": "Four digits.", "location": "data.userProfile.employeeNumber"},
                {"errorSummary": "Not on the form.", "location": "data.context.user.profile.login"},
            ]
        }
    }
    resp_path = write(tmp_path, "response.json", answer)
    code, out, err = run(
        capsys, "verdict", "--request", str(req_path), "--response", str(resp_path), "--json"
    )
    assert code == 0, err
    verdict = json.loads(out)
    fields = {m["text"]: m["field"] for m in verdict["messages"]}
    # The progressive form (the request's userProfileUpdate) has an Employee number input only.
    assert fields["Four digits."] == "employeeNumber"
    assert fields["Not on the form."] is None
    unconfirmed = {p["code"]: p["unconfirmed"] for p in verdict["problems"]}
    assert unconfirmed["cause-location-progressive"].startswith("UNCONFIRMED")
    assert unconfirmed["cause-location-no-field"].startswith("UNCONFIRMED")
    # The profile before is the demo org's Zoë, email and employee number included.
    assert verdict["profile_before"]["email"] == "zoe.lukasiewicz@okta.com"
    assert verdict["profile_before"]["employeeNumber"] == "4821"


def test_verdict_reads_the_action_key_both_ways(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The mistake the API reference's prose invites: strict, the hook failed; lenient, Okta
    ignores the command and the person is let in. Both say what to fix."""
    request = _request(capsys, "--type", "ssr", "--user", "rosario.jones@example.com")
    req_path = write(tmp_path, "request.json", request)
    answer = {"commands": [{"type": "com.okta.action.update", "value": {"action": "DENY"}}]}
    resp_path = write(tmp_path, "response.json", answer)
    outcomes = {}
    for reading in ("strict", "lenient"):
        code, out, err = run(
            capsys, "verdict", "--request", str(req_path), "--response", str(resp_path),
            "--reading", reading, "--json",
        )  # fmt: skip
        assert code == 0, err
        verdict = json.loads(out)
        outcomes[reading] = verdict["outcome"]
        problem = next(p for p in verdict["problems"] if p["code"] == "registration-key")
        assert problem["unconfirmed"] == f"UNCONFIRMED ({reading} reading)"
        assert 'The key is "registration", not "action"' in problem["message"]
        assert problem["rests_on"]
        assert "UNCONFIRMED" in verdict["headline"]
    assert outcomes == {"strict": "DENIED", "lenient": "ALLOWED"}


def test_verdict_of_html_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    request = _request(capsys, "--type", "pp", "--user", "rosario.jones@example.com")
    req_path = write(tmp_path, "request.json", request)
    html = write(tmp_path, "answer.html", "<html><body>Internal Server Error</body></html>")
    code, out, _ = run(
        capsys,
        "verdict",
        "--request",
        str(req_path),
        "--response",
        str(html),
        "--status",
        "500",
        "--content-type",
        "text/html",
        "--json",
    )
    assert code == 0
    verdict = json.loads(out)
    assert verdict["outcome"] == "DENIED" and verdict["hook_failed"] is True


def test_python_dash_m_app_runs_as_a_program(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "request", "--type", "pp", "--user", "Rosario"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["requestType"] == "progressive.profile"


def test_window_with_a_broken_users_file_says_so_before_opening(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "users.json", '{"users": 3}')
    code, out, err = run(capsys, "window", "--users", str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "users.json" in err


def test_request_starts_without_the_heavy_modules() -> None:
    # What made `reghook request` start slowly: dataclasses (with inspect, ast, dis, tokenize)
    # for the org's classes, shutil (with bz2, lzma) for argparse's help width, and the `org`
    # command for three options. None of them is needed to print a request.
    code = (
        "import io, sys, contextlib; from app.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main(['request', '--type', 'ssr', '--user', 'zoe'])\n"
        "heavy = ('dataclasses', 'inspect', 'shutil', 'lzma', 'app.cli.org', 'httpx')\n"
        "print(code, sorted(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.split() == ["0", "[]"], done.stdout + done.stderr
