"""The live-org client against the local stand-in org: finding the org, users page by page,
schema, hooks, Preview through Okta (forwarded to a real hook), the System Log, errors, rate
limits and hostile answers; every exchange checked against Okta's published OpenAPI spec."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.logic.okta_org import operations
from app.logic.okta_org.calls import hook_calls, parse_since, scenario_from_call
from app.logic.okta_org.client import OrgApiError, OrgClient
from app.logic.okta_org.config import ConfigError, find_config, normalise_org_url
from app.logic.okta_org.preview import preview_through_okta
from app.logic.remote import HookAuth
from app.logic.targets import UrlTarget
from tests.logic import okta_spec
from tests.logic.okta_standin import (
    HOOK_AUTH,
    TOKEN,
    StandInOrg,
    guide_hook,
    log_event,
    make_user,
)

NOWHERE = Path("/nonexistent-home")


@pytest.fixture
def org() -> Iterator[StandInOrg]:
    server = StandInOrg().start()
    try:
        yield server
        okta_spec.check_all(server)  # every request and answer of the test, against the spec
    finally:
        server.stop()


@pytest.fixture(scope="module")
def hook() -> Iterator[str]:
    with guide_hook() as url:
        yield url


def client_for(org: StandInOrg, **kwargs) -> OrgClient:
    config = find_config(org.url, environ={"OKTA_CLIENT_TOKEN": TOKEN}, home=NOWHERE, cwd=NOWHERE)
    return OrgClient(config, **kwargs)


# --- finding the org ---------------------------------------------------------------------


def test_org_and_token_come_from_either_sdk_spelling_and_okta_yaml(tmp_path: Path) -> None:
    java = find_config(
        environ={"OKTA_CLIENT_ORGURL": "https://dev-1.okta.com/", "OKTA_CLIENT_TOKEN": "t1"},
        home=NOWHERE,
        cwd=NOWHERE,
    )
    assert (java.org_url, java.token, java.mode) == ("https://dev-1.okta.com", "t1", "SSWS")
    python = find_config(
        environ={"OKTA_CLIENT_ORG_URL": "https://dev-2.okta.com", "OKTA_CLIENT_TOKEN": "t2"},
        home=NOWHERE,
        cwd=NOWHERE,
    )
    assert python.org_url == "https://dev-2.okta.com"
    (tmp_path / ".okta").mkdir()
    (tmp_path / ".okta" / "okta.yaml").write_text(
        "okta:\n  client:\n    orgUrl: https://dev-3.okta.com\n    token: from-yaml\n"
    )
    from_yaml = find_config(environ={}, home=tmp_path, cwd=NOWHERE)
    assert (from_yaml.org_url, from_yaml.token) == ("https://dev-3.okta.com", "from-yaml")
    overridden = find_config("https://dev-4.okta.com", environ={}, home=tmp_path, cwd=NOWHERE)
    assert overridden.org_url == "https://dev-4.okta.com"
    assert dict(overridden.sources)["orgUrl"] == "--org"
    assert "from-yaml" not in repr(overridden)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://dev-1.okta.com", "https://"),
        ("https://dev-1.okta.com/api/v1", "address alone"),
        ("https://admin:pw@dev-1.okta.com", "user name or password"),
        ("https://dev-1.okta.com\n", None),
        ("ftp://dev-1.okta.com", "https://"),
        ("", "no org URL"),
    ],
)
def test_org_url_is_https_origin_except_loopback(url: str, words: str | None) -> None:
    if words is None:
        assert normalise_org_url(url) == "https://dev-1.okta.com"
        return
    with pytest.raises(ConfigError, match=words):
        normalise_org_url(url)
    assert normalise_org_url("http://127.0.0.1:8123") == "http://127.0.0.1:8123"
    assert normalise_org_url("http://localhost:80") == "http://localhost"


def test_a_broken_okta_yaml_is_one_line(tmp_path: Path) -> None:
    (tmp_path / ".okta").mkdir()
    (tmp_path / ".okta" / "okta.yaml").write_text("okta: [unclosed\n")
    with pytest.raises(ConfigError, match=r"okta.yaml line \d+: not a YAML file"):
        find_config(environ={}, home=tmp_path, cwd=NOWHERE)


# --- users and schema ------------------------------------------------------------------------


def test_users_search_on_the_org_first_page_first(org: StandInOrg) -> None:
    with client_for(org) as client:
        pages = operations.search_users(client, "user0001")
        first = next(pages)
        # The first page arrives before the second is asked for.
        asked = [s for s in org.seen if s.path == "/api/v1/users"]
        assert len(asked) == 1 and len(first.users) == 5
        rest = list(pages)
    logins = [u.login for page in [first, *rest] for u in page.users]
    assert len(logins) == 10 and all(login.startswith("user0001") for login in logins)
    search = org.seen[0].query["search"][0]
    assert 'profile.login sw "user0001"' in search and 'profile.lastName sw "user0001"' in search


def test_users_search_stops_at_max_users_without_loading_the_rest(org: StandInOrg) -> None:
    with client_for(org) as client:
        pages = list(operations.search_users(client, "", max_users=7))
    assert sum(len(p.users) for p in pages) == 7
    assert len([s for s in org.seen if s.path == "/api/v1/users"]) == 2


def test_a_typed_expression_is_passed_as_it_is_and_quotes_are_escaped() -> None:
    expression = 'profile.department eq "Sales"'
    assert operations.search_expression(expression) == expression
    assert operations.search_expression('a"b') == " or ".join(
        f'profile.{name} sw "a\\"b"' for name in ("login", "email", "firstName", "lastName")
    )
    assert len(operations.search_expression("x" * 5000)) < 1200


def test_the_orgs_schema_becomes_the_projects_model(org: StandInOrg) -> None:
    with client_for(org) as client:
        schema, raw = operations.fetch_user_schema(client)
    assert schema.has("employeeNumber") and schema.attributes["login"].required
    assert raw["definitions"]["base"]["id"] == "#base"


# --- errors, rate limits and hostile answers -------------------------------------------------


def test_a_rate_limit_is_waited_out_shown_and_the_call_goes_on(org: StandInOrg) -> None:
    org.rate_limit_once = True
    waits: list[tuple[float, str]] = []
    with client_for(org, on_wait=lambda s, m: waits.append((s, m))) as client:
        schema, _ = operations.fetch_user_schema(client)
    assert schema.has("login")
    assert len(waits) == 1 and 1.0 <= waits[0][0] <= 3.0 and "rate limit" in waits[0][1]
    assert [s.status for s in org.seen] == [429, 200]


def test_a_rate_limit_wait_can_be_cancelled(org: StandInOrg) -> None:
    org.rate_limit_once = True
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 2  # the first check passes; the wait then sees the cancel

    with client_for(org) as client, pytest.raises(OrgApiError, match="stopped"):
        client.request(
            "GET", "/api/v1/meta/schemas/user/default", operation="schema", cancelled=cancelled
        )
    assert len(org.seen) == 1


def test_a_call_stopped_while_out_announces_no_rate_limit_wait(org: StandInOrg) -> None:
    org.rate_limit_once = True
    asked: list[int] = []
    waits: list[str] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 1  # stopped while the call was out; its answer is a 429

    with (
        client_for(org, on_wait=lambda _s, text: waits.append(text)) as client,
        pytest.raises(OrgApiError, match="stopped"),
    ):
        client.request(
            "GET", "/api/v1/meta/schemas/user/default", operation="schema", cancelled=cancelled
        )
    assert waits == [] and len(org.seen) == 1


def test_401_says_the_token_is_invalid_or_expired(org: StandInOrg) -> None:
    config = find_config(org.url, environ={"OKTA_CLIENT_TOKEN": "wrong"}, home=NOWHERE, cwd=NOWHERE)
    with OrgClient(config) as client, pytest.raises(OrgApiError) as caught:
        operations.list_registration_hooks(client)
    message = str(caught.value)
    assert "invalid, expired or revoked" in message and "E0000011" in message
    assert "wrong" not in message and "\n" not in message


def test_403_names_the_admin_role_or_scope_missing(org: StandInOrg) -> None:
    org.forbidden.add("/api/v1/logs")
    with client_for(org) as client, pytest.raises(OrgApiError) as caught:
        hook_calls(client, "cal1")
    assert "System Log" in str(caught.value) and "E0000006" in str(caught.value)


def test_a_next_link_to_another_host_is_never_followed_with_the_token(org: StandInOrg) -> None:
    elsewhere = StandInOrg().start()
    try:
        org.next_link_host = elsewhere.url.replace("127.0.0.1", "localhost")
        notes: list[str] = []
        with client_for(org) as client:
            pages = list(operations.search_users(client, "", notes=notes))
        assert len(pages) == 1 and elsewhere.seen == []
        assert "another address" in notes[0] and "credential stays" in notes[0]
    finally:
        elsewhere.stop()


def test_an_endless_link_chain_stops(org: StandInOrg) -> None:
    org.endless = True
    org.users = org.users[:3]
    notes: list[str] = []
    with client_for(org) as client:
        pages = list(client.pages("/api/v1/users", operation="users", notes=notes, max_pages=4))
    assert len(pages) == 4 and notes == ["stopped after 4 pages"]


def test_a_huge_page_is_refused_in_one_line(org: StandInOrg, monkeypatch) -> None:
    from app.logic.okta_org import client as client_module

    monkeypatch.setattr(client_module, "MAX_ANSWER_BYTES", 1024 * 1024)
    org.huge_page_bytes = 3 * 1024 * 1024
    with client_for(org) as client, pytest.raises(OrgApiError, match="larger than 1 MB"):
        list(client.pages("/api/v1/users", operation="users"))
    org.seen.clear()  # the padded answer is hostile on purpose, not the spec's shape


def test_megabyte_names_and_control_characters_are_shown_safely(org: StandInOrg) -> None:
    org.users = [make_user(1, first="\x1b[31mRed\u202e" + "x" * 1_000_000, last="Evil")]
    with client_for(org) as client:
        (page,) = list(operations.search_users(client, "\x1b[31mRed"))
    user = page.users[0]
    assert len(user.profile["firstName"]) > 1_000_000  # the org's value, kept whole
    shown = operations.shown(user.display_name)
    assert len(shown) <= operations.SHOWN_LENGTH and "\x1b" not in shown and "\u202e" not in shown
    org.seen.clear()  # a megabyte first name is past the spec's maxLength: hostile on purpose


def test_unusable_user_entries_are_skipped_and_counted(org: StandInOrg) -> None:
    org.users = [make_user(1), {"id": "00ubroken", "profile": {}}, make_user(2)]
    with client_for(org) as client:
        (page,) = list(operations.search_users(client, ""))
    assert len(page.users) == 2 and page.skipped == 1
    org.seen.clear()  # the broken entry is hostile on purpose


# --- hooks, Preview through Okta, the System Log ---------------------------------------------


def test_hooks_list_never_holds_the_auth_value(org: StandInOrg) -> None:
    org.add_hook("cal1", "Sign-up check", "https://hooks.example/ssr", auth_value="s3cret-v")
    with client_for(org) as client:
        hooks = operations.list_registration_hooks(client)
    assert [h.to_json() for h in hooks] == [
        {
            "id": "cal1",
            "name": "Sign-up check",
            "status": "ACTIVE",
            "uri": "https://hooks.example/ssr",
            "authHeader": "authorization",
            "channel": "HTTP",
            "version": "1.0.0",
        }
    ]
    assert org.seen[0].query["type"] == ["com.okta.user.pre-registration"]
    assert "s3cret-v" not in json.dumps([h.to_json() for h in hooks])
    with pytest.raises(OrgApiError, match="no registration hook 'nope'"):
        operations.find_hook(hooks, "nope")
    assert operations.find_hook(hooks, "sign-up CHECK").id == "cal1"


def _request_for(login: str = "isaac.brock@okta.com") -> bytes:
    from app.logic.org import load_demo_org
    from app.logic.request_builder import build_request

    org = load_demo_org()
    user = org.users[0]
    return json.dumps(build_request("self.service.registration", user, seed=1)).encode()


def test_preview_through_okta_reaches_the_real_hook_and_is_judged_here(
    org: StandInOrg, hook: str
) -> None:
    org.add_hook("cal1", "Guide SSR", f"{hook}/registrationHookSSR", auth_value=HOOK_AUTH)
    with client_for(org) as client:
        (target,) = operations.list_registration_hooks(client)
        preview = preview_through_okta(client, target, _request_for())
    assert preview.okta_status == 200 and preview.okta_accepted
    assert preview.exchange.verdict is not None and not preview.exchange.verdict.hook_failed
    assert preview.disagreements == ()
    sent = json.dumps(preview.to_json())
    assert TOKEN not in sent and HOOK_AUTH not in sent


def test_okta_refusing_an_answer_this_program_accepts_is_said_and_observed(
    org: StandInOrg, hook: str
) -> None:
    org.add_hook("cal1", "Guide SSR", f"{hook}/registrationHookSSR", auth_value=HOOK_AUTH)
    org.execute_check = lambda value: ["Invalid command: com.okta.action.update"]
    direct = UrlTarget(f"{hook}/registrationHookSSR", HookAuth("authorization", HOOK_AUTH))
    with client_for(org) as client:
        (target,) = operations.list_registration_hooks(client)
        preview = preview_through_okta(client, target, _request_for(), direct_target=direct)
    assert preview.okta_status == 400 and not preview.okta_accepted
    assert preview.exchange.verdict is not None and preview.exchange.verdict.hook_failed
    assert "Invalid command" in preview.okta_said
    assert preview.disagreements and "this program accepts it" in preview.disagreements[0]
    assert preview.observations and preview.observations[0].agreement == (
        "okta-refused-accepted-here"
    )
    assert "observed on your org on" in preview.observations[0].sentence()


def test_calls_from_the_system_log_newest_first_since_a_time(org: StandInOrg) -> None:
    for stamp, kind in [
        ("2026-12-01T10:00:00.000Z", "inline_hook.executed"),
        ("2026-12-03T10:00:00.000Z", "inline_hook.executed"),
        ("2026-12-03T10:00:00.100Z", "inline_hook.response.processed"),
        ("2026-11-01T10:00:00.000Z", "inline_hook.executed"),
    ]:
        org.events.append(log_event("cal1", "Guide SSR", "ana@okta.com", stamp, kind=kind))
    org.events.append(
        log_event(
            "other", "x", "bob@okta.com", "2026-12-04T00:00:00.000Z", kind="inline_hook.executed"
        )
    )
    with client_for(org) as client:
        calls = hook_calls(client, "cal1", since="2026-11-15T00:00:00.000Z")
    assert [c.published for c in calls] == [
        "2026-12-03T10:00:00.100Z",
        "2026-12-03T10:00:00.000Z",
        "2026-12-01T10:00:00.000Z",
    ]
    query = org.seen[0].query
    assert query["sortOrder"] == ["DESCENDING"] and 'target.id eq "cal1"' in query["filter"][0]
    scenario = scenario_from_call(calls[1])
    assert scenario["generate"] == {"type": "ssr", "user": "ana@okta.com"}
    assert "Known:" in scenario["description"] and "Rebuilt:" in scenario["description"]
    from app.logic.org import load_demo_org
    from app.logic.run.scenarios import parse_scenarios

    demo_login = load_demo_org().users[0].login  # a user the scenario's org has
    (built,) = parse_scenarios(
        json.dumps({**scenario, "generate": {"type": "ssr", "user": demo_login}}), "logged.json"
    )
    assert built.name.startswith("logged call")


def test_a_logged_call_names_its_hook_and_a_target_that_is_no_list_names_nothing() -> None:
    from app.logic.okta_org.calls import _call_from

    event = log_event(
        "cal1", "Guide SSR", "ana@okta.com", "2026-12-01T10:00:00.000Z", kind="inline_hook.executed"
    )
    call = _call_from(event)
    assert call is not None
    assert (call.hook_name, call.user_login) == ("Guide SSR", "ana@okta.com")
    assert call.to_json()["hook"] == "Guide SSR"
    for hostile in (7, "abc", {"type": "InlineHook"}, None):
        odd = _call_from({**event, "target": hostile})
        assert odd is not None and odd.hook_name == ""
        assert odd.user_login == "ana@okta.com"  # the actor still names the user


def test_since_takes_a_time_or_a_span() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    assert parse_since("2h", now) == "2026-12-07T10:00:00.000Z"
    assert parse_since("2026-12-01", now) == "2026-12-01T00:00:00.000Z"
    with pytest.raises(ValueError, match="--since wants"):
        parse_since("yesterday", now)
    with pytest.raises(ValueError, match="future"):
        parse_since("2027-01-01", now)


# --- a service app (private_key_jwt) --------------------------------------------------------


def test_a_service_app_signs_in_with_its_private_key(org: StandInOrg, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    org.public_key_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    org.client_id = "0oaservice"
    key_file = tmp_path / "key.pem"
    key_file.write_text(pem)
    config = find_config(
        org.url,
        environ={
            "OKTA_CLIENT_AUTHORIZATIONMODE": "PrivateKey",
            "OKTA_CLIENT_CLIENTID": "0oaservice",
            "OKTA_CLIENT_PRIVATEKEY": str(key_file),
            "OKTA_CLIENT_SCOPES": "okta.users.read,okta.schemas.read",
        },
        home=NOWHERE,
        cwd=NOWHERE,
    )
    assert config.scopes == ("okta.users.read", "okta.schemas.read")
    with OrgClient(config) as client:
        schema, _ = operations.fetch_user_schema(client)
        operations.fetch_user_schema(client)
    assert schema.has("login")
    token_calls = [s for s in org.seen if s.path == "/oauth2/v1/token"]
    assert len(token_calls) == 1  # the access token is reused until it expires
    assert "scope=okta.users.read+okta.schemas.read" in token_calls[0].body.decode()
    assert org.seen[-1].headers["Authorization"].startswith("Bearer standin-access-")
    org.client_id = "someone-else"
    with OrgClient(config) as client, pytest.raises(OrgApiError, match="could not get a token"):
        operations.fetch_user_schema(client)


@pytest.mark.parametrize(
    ("link", "note"),
    [
        # Another scheme on the same host and port: not the org's origin.
        ("https://127.0.0.1:{port}/api/v1/users?after=5", "another address"),
        ("{url}/api/v1/groups?after=5", "leaves /api/v1/users"),
        ("{url}/api/v1/users?after=0&limit=5", "repeats an earlier page"),
    ],
)
def test_next_links_that_leave_the_listing_are_not_followed(
    org: StandInOrg, link: str, note: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.logic.okta_org import client as client_module

    port = org.server_address[1]
    target = link.format(url=org.url, port=port)
    first = {"done": False}

    def hostile_next(reply):
        if not first["done"]:
            first["done"] = True
            return f"{org.url}/api/v1/users?after=0&limit=5"
        return target

    monkeypatch.setattr(client_module, "_next_link", hostile_next)
    notes: list[str] = []
    with client_for(org) as client:
        pages = list(client.pages("/api/v1/users", operation="users", notes=notes))
    assert len(pages) == 2 and note in notes[0]


def test_garbage_link_headers_end_the_listing_quietly(org: StandInOrg) -> None:
    import httpx

    from app.logic.okta_org.client import OrgReply, _next_link

    for value in ("", "<>", "nonsense; rel=next", '<a>; rel="prev", <b', "<\x00>; rel=next" * 3):
        reply = OrgReply(200, httpx.Headers({"link": value}), b"[]", org.url)
        assert _next_link(reply) in ("", "\x00")
    both = '<https://x/1>; rel="self", <https://x/2>; rel="next"'
    assert _next_link(OrgReply(200, httpx.Headers({"link": both}), b"[]", "")) == "https://x/2"


def test_hook_names_with_control_characters_print_escaped(org: StandInOrg, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    org.add_hook("cal1", "\x1b[2Jevil\u202ename" + "n" * 5000, "https://hooks.example/ssr")
    environ = {k: v for k, v in os.environ.items() if not k.startswith("OKTA_")}
    environ.update(OKTA_CLIENT_TOKEN=TOKEN, HOME=str(tmp_path), PYTHONPATH=os.getcwd())
    result = subprocess.run(
        [sys.executable, "-m", "app", "org", "hooks", "--org", org.url],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
    )
    assert result.returncode == 0
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "\\u001b[2Jevil\\u202ename" in result.stdout and len(result.stdout) < 600


@pytest.mark.parametrize(
    "body",
    [
        b'{"errorCode": "E0000001", "errorSummary": "Api validation failed", "errorCauses": 5}',
        b'{"errorSummary": ["not", "text"], "errorCauses": "x"}',
        b"\xff\xfe not json",
        b'{"errorSummary": "' + b"A" * 100_000 + b'\\u001b[2J"}',
        b"[" * 100_000,
    ],
)
def test_any_error_body_is_one_short_line(body: bytes) -> None:
    from app.logic.okta_org.client import error_line

    for status in (400, 401, 403, 404, 500):
        line = error_line(status, body, "users")
        assert "\n" not in line and "\x1b" not in line and len(line) < 600


def test_a_history_file_that_is_not_a_database_gives_no_observations_and_leaks_nothing(
    tmp_path: Path,
) -> None:
    # The verdict looks up observations in whatever file is at the history path; one that is
    # not SQLite must read as "none seen", without leaving its connection open (Python 3.13
    # reports such a connection as a ResourceWarning, which the suite treats as an error).
    import contextlib
    import os

    from app.logic.okta_org.observations import Observation, ObservationStore

    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"not a database, " * 512)
    store = ObservationStore(path)

    def open_on_the_file() -> int:
        count = 0
        for fd in os.listdir("/proc/self/fd"):
            with contextlib.suppress(OSError):  # closed meanwhile
                count += os.readlink(f"/proc/self/fd/{fd}") == str(path)
        return count

    assert store.for_rule("answer-action-key") == []
    assert store.all() == []
    problem = store.record(
        [
            Observation(
                rule="answer-action-key",
                agreement="okta-refused-accepted-here",
                okta_said="HTTP 400",
                org="https://example.okta.com",
                hook_id="cal1",
                observed_at="2026-12-07T00:00:00Z",
                answer=b"{}",
                rule_text="",
            )
        ]
    )
    assert problem is not None and "could not be kept" in problem
    assert open_on_the_file() == 0
