"""`reghook request` with the form's fields, the org URL and a fixed clock."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

ROOT = Path(__file__).resolve().parents[2]
ZOE = "zoe.lukasiewicz@okta.com"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_same_seed_and_clock_give_the_same_bytes_in_two_processes() -> None:
    argv = [
        sys.executable,
        "-m",
        "app",
        "request",
        "--type",
        "pp",
        "--user",
        ZOE,
        "--set",
        "employeeNumber=1234",
        "--seed",
        "7",
        "--now",
        "2026-01-01T00:00:00.000Z",
    ]
    first = subprocess.run(argv, cwd=ROOT, capture_output=True, check=True, timeout=60)
    second = subprocess.run(argv, cwd=ROOT, capture_output=True, check=True, timeout=60)
    assert first.stdout == second.stdout
    request = json.loads(first.stdout)
    assert request["eventTime"] == "2026-01-01T00:00:00.000Z"
    assert request["data"]["userProfileUpdate"] == {"employeeNumber": "1234"}


def test_hook_picks_the_policy_form(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "request", "--type", "ssr", "--user", ZOE, "--seed", "1")
    assert code == 0, err
    assert "employeeNumber" not in json.loads(out)["data"]["userProfile"]
    code, out, err = run(
        capsys, "request", "--type", "ssr", "--user", ZOE, "--hook", "ssr-and-pp", "--seed", "1"
    )
    assert code == 0, err
    assert json.loads(out)["data"]["userProfile"]["employeeNumber"] == "4821"


def test_form_lists_the_attributes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "request",
        "--type",
        "ssr",
        "--user",
        ZOE,
        "--form",
        "email,department",
        "--seed",
        "1",
    )
    assert code == 0, err
    assert json.loads(out)["data"]["userProfile"] == {
        "login": ZOE,
        "email": ZOE,
        "department": "Identity Engineering",
    }
    code, _, err = run(capsys, "request", "--type", "ssr", "--user", ZOE, "--form", "email,")
    assert code == 2 and "--form" in err and err.count("\n") == 1
    code, out, err = run(capsys, "request", "--type", "ssr", "--user", ZOE, "--form", "favColour")
    assert code == 0 and "no such attribute" in err


def test_a_set_field_off_the_form_joins_it_with_a_note(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "request", "--type", "ssr", "--user", ZOE, "--set", "employeeNumber=1"
    )
    assert code == 0
    assert json.loads(out)["data"]["userProfile"]["employeeNumber"] == "1"
    assert "not on the form" in err


def test_progressive_form_for_a_user_who_has_its_fields(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "request", "--type", "pp", "--user", ZOE)
    assert code == 0
    assert json.loads(out)["data"]["userProfileUpdate"] == {}
    assert "Okta would not show this form to this user" in err
    code, out, err = run(capsys, "request", "--type", "pp", "--user", "rosario.jones@example.com")
    assert "would not show" not in err


def test_org_url_and_bad_clock(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "request", "--type", "pp", "--user", ZOE, "--org-url", "https://acme.okta.com"
    )
    assert code == 0
    href = json.loads(out)["data"]["context"]["user"]["_links"]["groups"]["href"]
    assert href.startswith("https://acme.okta.com/api/v1/users/")
    code, _, err = run(capsys, "request", "--type", "pp", "--user", ZOE, "--now", "soon")
    assert code == 2 and "not a time" in err
    code, _, err = run(capsys, "request", "--type", "pp", "--user", ZOE, "--hook", "nope")
    assert code == 2 and "--hook" in err
