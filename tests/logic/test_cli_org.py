"""`reghook org ...` and `reghook request --org-live`, run as a person runs them (a separate
process) against the local stand-in org and the guide's real hook on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.logic import okta_spec
from tests.logic.okta_standin import HOOK_AUTH, TOKEN, StandInOrg, guide_hook, log_event
from tests.logic.test_okta_org import _request_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def org() -> Iterator[StandInOrg]:
    server = StandInOrg().start()
    try:
        yield server
        okta_spec.check_all(server)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def hook() -> Iterator[str]:
    with guide_hook() as url:
        yield url


def reghook(
    tmp_path: Path, *args: str, token: str | None = TOKEN, stdin: bytes = b"", **env: str
) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("OKTA_") and k != "REGHOOK_AUTH_VALUE"
    }
    environ.update(
        HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT), REGHOOK_DATA_DIR=str(tmp_path / "d")
    )
    if token is not None:
        environ["OKTA_CLIENT_TOKEN"] = token
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        input=stdin.decode(),
        capture_output=True,
        text=True,
        env=environ,
        cwd=tmp_path,
        timeout=60,
    )


def test_org_users_search_prints_each_page_and_json(org: StandInOrg, tmp_path: Path) -> None:
    result = reghook(tmp_path, "org", "users", "--org", org.url, "--search", "user0001")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 10 and all(line.startswith("user0001") for line in lines)
    as_json = reghook(
        tmp_path, "org", "users", "--search", "isaac", "--json", OKTA_CLIENT_ORGURL=org.url
    )
    assert [u["login"] for u in json.loads(as_json.stdout)] == ["isaac.brock@okta.com"]


def test_org_users_stops_at_max_and_says_so(org: StandInOrg, tmp_path: Path) -> None:
    result = reghook(tmp_path, "org", "users", "--org", org.url, "--max", "6")
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 6
    assert "showing the first 6" in result.stderr
    assert len([s for s in org.seen if s.path == "/api/v1/users"]) == 2


def test_org_schema_and_hooks(org: StandInOrg, tmp_path: Path) -> None:
    org.add_hook("cal1", "Guide SSR", "https://hooks.example/ssr", auth_value="v4lue-secret")
    schema = reghook(tmp_path, "org", "schema", "--org", org.url, "--json")
    names = [a["name"] for a in json.loads(schema.stdout)["attributes"]]
    assert "employeeNumber" in names
    hooks = reghook(tmp_path, "org", "hooks", "--org", org.url)
    assert hooks.returncode == 0
    assert "cal1  Guide SSR  ACTIVE  https://hooks.example/ssr  (auth header authorization)" in (
        hooks.stdout
    )
    assert "v4lue-secret" not in hooks.stdout + hooks.stderr


def test_no_token_and_no_terminal_is_one_line_exit_2(org: StandInOrg, tmp_path: Path) -> None:
    result = reghook(tmp_path, "org", "hooks", "--org", org.url, token=None)
    assert result.returncode == 2
    assert result.stderr.startswith("reghook: error: no API token for http://127.0.0.1:")
    assert "Traceback" not in result.stderr


def test_a_bad_token_is_one_line_and_never_echoed(org: StandInOrg, tmp_path: Path) -> None:
    result = reghook(tmp_path, "org", "users", "--org", org.url, token="not-the-token")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "invalid, expired or revoked" in result.stderr and "not-the-token" not in result.stderr


def test_http_to_a_real_host_is_refused(tmp_path: Path) -> None:
    result = reghook(tmp_path, "org", "users", "--org", "http://dev-1.okta.com")
    assert result.returncode == 2 and "must use https://" in result.stderr


def test_org_preview_through_okta_and_history(org: StandInOrg, hook: str, tmp_path: Path) -> None:
    org.add_hook("cal1", "Guide SSR", f"{hook}/registrationHookSSR", auth_value=HOOK_AUTH)
    request = tmp_path / "request.json"
    request.write_bytes(_request_for())
    result = reghook(
        tmp_path, "org", "preview", "--org", org.url, "--hook", "Guide SSR", str(request)
    )
    assert result.returncode == 0, result.stderr
    assert "Okta: Okta accepted the hook's answer (HTTP 200)" in result.stdout
    assert "This program's verdict of the same answer:" in result.stdout
    listed = reghook(tmp_path, "history", "--json")
    (entry,) = json.loads(listed.stdout)
    assert "through Okta" in entry["target"] and TOKEN not in listed.stdout


def test_org_preview_disagreement_is_said_kept_and_cited(
    org: StandInOrg,
    hook: str,
    tmp_path: Path,
) -> None:
    org.add_hook("cal1", "Guide SSR", f"{hook}/registrationHookSSR", auth_value=HOOK_AUTH)
    org.execute_check = lambda value: ["Invalid command: com.okta.action.update"]
    request = tmp_path / "request.json"
    request.write_bytes(_request_for())
    result = reghook(
        tmp_path,
        "org",
        "preview",
        "--org",
        org.url,
        "--hook",
        "cal1",
        "--direct",
        str(request),
        "--json",
        REGHOOK_AUTH_VALUE=HOOK_AUTH,
    )
    assert result.returncode == 1, result.stderr
    answer = json.loads(result.stdout)
    assert answer["okta"]["status"] == 400
    assert "this program accepts it" in answer["disagreements"][0]
    assert answer["observations"][0]["sentence"].startswith("observed on your org on ")
    assert HOOK_AUTH not in result.stdout and TOKEN not in result.stdout
    from app.logic.okta_org.observations import ObservationStore

    store = ObservationStore(tmp_path / "d" / "history.sqlite3")
    kept = store.all()
    assert kept and kept[0].agreement == "okta-refused-accepted-here"
    assert kept[0].org == org.url


def test_org_calls_lists_newest_first_and_makes_a_scenario(org: StandInOrg, tmp_path: Path) -> None:
    org.add_hook("cal1", "Guide SSR", "https://hooks.example/ssr")
    for stamp in ("2026-12-05T10:00:00.000Z", "2026-12-06T10:00:00.000Z"):
        org.events.append(
            log_event("cal1", "Guide SSR", "ana@okta.com", stamp, kind="inline_hook.executed")
        )
    result = reghook(
        tmp_path, "org", "calls", "--org", org.url, "--hook", "cal1", "--since", "2026-12-01"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("  1  2026-12-06T10:00:00.000Z")
    scenario = reghook(
        tmp_path,
        "org",
        "calls",
        "--org",
        org.url,
        "--hook",
        "Guide SSR",
        "--since",
        "2026-12-01",
        "--scenario",
        "2",
    )
    value = json.loads(scenario.stdout)
    assert value["generate"]["user"] == "ana@okta.com" and "2026-12-05" in value["description"]
    bad = reghook(tmp_path, "org", "calls", "--org", org.url, "--hook", "nope")
    assert bad.returncode == 2 and "no registration hook 'nope'" in bad.stderr


def test_request_org_live_builds_from_the_orgs_user_and_schema(
    org: StandInOrg, tmp_path: Path
) -> None:
    result = reghook(
        tmp_path,
        "request",
        "--type",
        "ssr",
        "--user",
        "isaac",
        "--org-live",
        "--org",
        org.url,
        "--seed",
        "1",
    )
    assert result.returncode == 0, result.stderr
    request = json.loads(result.stdout)
    assert request["data"]["userProfile"]["email"] == "isaac.brock@okta.com"
    assert request["data"]["context"]["request"]["url"]["value"] == "/idp/idx/enroll/new"
    assert any(s.path == "/api/v1/meta/schemas/user/default" for s in org.seen)


def test_an_unconfirmed_rule_cites_what_a_live_org_was_seen_doing(tmp_path: Path) -> None:
    from app.logic.okta_org.observations import Observation, ObservationStore

    request = tmp_path / "request.json"
    request.write_bytes(_request_for())
    answer = tmp_path / "answer.json"
    answer.write_text('{"commands": []}')
    args = ("verdict", "--request", str(request), "--response", str(answer), "--status", "201")
    before = reghook(tmp_path, *args)
    assert "UNCONFIRMED" in before.stdout and "Seen on a live org" not in before.stdout
    ObservationStore(tmp_path / "d" / "history.sqlite3").record(
        [
            Observation(
                rule="unusual-status",
                agreement="okta-refused-accepted-here",
                okta_said="Okta said: Returned error response: 201",
                org="https://dev-1.okta.com",
                hook_id="cal1",
                observed_at="2026-12-06T10:00:00.000Z",
                answer=b"{}",
            )
        ]
    )
    after = reghook(tmp_path, *args)
    assert "Seen on a live org (org preview):" in after.stdout
    assert (
        "unusual-status: observed on your org on 2026-12-06: Okta refused an answer this "
        "program accepts (https://dev-1.okta.com)" in after.stdout
    )


def test_check_org_live_generates_each_scenarios_request_from_the_org(
    org: StandInOrg, tmp_path: Path
) -> None:
    scenario = {
        "name": "isaac signs up",
        "target": "ssr",
        "generate": {"type": "ssr", "user": "isaac.brock@okta.com"},
        "expect": {"outcome": "ALLOWED"},
    }
    (tmp_path / "isaac.json").write_text(json.dumps(scenario))
    result = reghook(
        tmp_path,
        "check",
        "--org-live",
        "--org",
        org.url,
        "--no-history",
        str(tmp_path / "isaac.json"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASS" in result.stdout
    searched = [s.query.get("search", [""])[0] for s in org.seen if s.path == "/api/v1/users"]
    assert searched == ['profile.login eq "isaac.brock@okta.com"']
    missing = dict(scenario, generate={"type": "ssr", "user": "nobody@okta.com"})
    (tmp_path / "isaac.json").write_text(json.dumps(missing))
    bad = reghook(
        tmp_path,
        "check",
        "--org-live",
        "--org",
        org.url,
        "--no-history",
        str(tmp_path / "isaac.json"),
    )
    assert bad.returncode == 2 and "generate.user" in bad.stderr
