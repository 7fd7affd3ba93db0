"""The printed cURL commands run in a real bash with the real curl against servers on 127.0.0.1:
each makes exactly one POST with exactly the request's bytes, whatever the URL, the body or
the variables hold, and stops, sending nothing, when a secret's variable is not set."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hookservers import (
    OddServer,
    make_self_signed_cert,
    server_tls_context,
)

from app.cli import main
from app.logic.export.okta_hook import execute_curl
from app.logic.remote import HookAuth, basic_auth_value
from app.logic.run.curl import CurlRefused, curl_command, curl_for_entry, curl_for_target
from app.logic.run.history import HistoryStore
from app.logic.run.pipeline import run_exchange
from app.logic.service import DEFAULT_PORT
from app.logic.targets import BundledTarget, UrlTarget

ROOT = Path(__file__).resolve().parents[2]
SSR_REQUEST = ROOT / "tests" / "logic" / "data" / "requests" / "guide-ssr.json"
SECRET = "Basic YWRtaW46c3VwZXJzZWNyZXQ="
BASH = shutil.which("bash")
CURL = shutil.which("curl")
pytestmark = pytest.mark.skipif(not (BASH and CURL), reason="needs bash and curl")

# Everything a shell or curl could read as more than text, in one body.
HOSTILE_BODY = (
    '{"data": {"userProfile": {"login": "@/etc/hostname", "firstName": "$(touch pwned)",\n'
    '  "lastName": "`touch pwned2` it\'s \\"quoted\\" ${HOME} \\\\ %s {a,b} [1-25]",\n'
    '  "city": "Zürich \\u2028 日本"}}}\n\n'
).encode()


@pytest.fixture(scope="module")
def server() -> Iterator[OddServer]:
    running = OddServer().start()
    yield running
    running.stop()


def run_bash(command: str, cwd: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """`command` in a fresh bash, with only PATH and the given variables set; HOME is `cwd`,
    so no .curlrc of this machine's takes part."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd), **variables}
    assert BASH is not None
    return subprocess.run(
        [BASH, "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


def seen_since(server: OddServer, before: int) -> list:
    with server.lock:
        return list(server.seen[before:])


@pytest.mark.parametrize("path", ["/echo/{a,b}", "/echo/[1-25]", "/echo/x?q={1,2}&r=[0-9]"])
def test_one_post_with_the_exact_body_whatever_the_url_and_body_hold(
    server: OddServer, tmp_path: Path, path: str
) -> None:
    target = UrlTarget(
        server.base + path,
        HookAuth("authorization", SECRET, (("X-Api-Key", "k'1\"$(touch pwned3)`x`"),)),
    )
    command = curl_for_target(target, HOSTILE_BODY)
    assert SECRET not in command and "pwned3" not in command
    before = len(server.seen)
    done = run_bash(
        command, tmp_path, HOOK_AUTH=SECRET, HOOK_HEADER_X_API_KEY="k'1\"$(touch pwned3)`x`"
    )
    assert done.returncode == 0, done.stderr
    seen = seen_since(server, before)
    assert len(seen) == 1  # no globbing: one URL, one call
    assert seen[0].method == "POST" and seen[0].target == path
    assert seen[0].body == HOSTILE_BODY
    assert seen[0].headers["authorization"] == SECRET
    assert seen[0].headers["x-api-key"] == "k'1\"$(touch pwned3)`x`"
    assert seen[0].headers["content-type"] == "application/json"
    assert list(tmp_path.iterdir()) == []  # nothing in the body or a value ran


def test_an_unset_secret_variable_stops_the_command_before_any_call(
    server: OddServer, tmp_path: Path
) -> None:
    target = UrlTarget(server.base + "/echo/unset", HookAuth("authorization", SECRET))
    command = curl_for_target(target, b"{}")
    before = len(server.seen)
    done = run_bash(command, tmp_path)  # HOOK_AUTH not set
    assert done.returncode != 0
    assert "HOOK_AUTH" in done.stderr and "auth header" in done.stderr
    empty = run_bash(command, tmp_path, HOOK_AUTH="")  # set but empty fails as loudly
    assert empty.returncode != 0 and "HOOK_AUTH" in empty.stderr
    assert seen_since(server, before) == []


def test_an_oauth_target_takes_the_token_from_hook_auth(server: OddServer, tmp_path: Path) -> None:
    from app.logic.remote import OAuthClientCredentials

    oauth = OAuthClientCredentials(server.base + "/token", "cid", "client-secret-9")
    target = UrlTarget(server.base + "/echo/oauth", HookAuth(oauth=oauth))
    command = curl_for_target(target, b'{"a": 1}')
    assert "client-secret-9" not in command
    before = len(server.seen)
    done = run_bash(command, tmp_path, HOOK_AUTH="tok-123")
    assert done.returncode == 0, done.stderr
    (seen,) = seen_since(server, before)
    assert seen.headers["authorization"] == "Bearer tok-123" and seen.body == b'{"a": 1}'


@pytest.mark.parametrize(
    "body",
    [b"@/etc/hostname", b"", b"not json", b'{"a": 1', b'{"a": "\xff"}', b"\xef\xbb\xbf@x"],
)
def test_a_request_that_is_not_json_is_refused(body: bytes) -> None:
    target = UrlTarget("http://127.0.0.1:9/hook", HookAuth("authorization", SECRET))
    with pytest.raises(CurlRefused, match=r"not (JSON|UTF-8)"):
        curl_for_target(target, body)
    with pytest.raises(CurlRefused):
        execute_curl(body)


def test_send_print_curl_refuses_a_body_that_is_not_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request = tmp_path / "req.json"
    request.write_bytes(b"@/etc/hostname")
    code = main(["send", "--url", "http://127.0.0.1:9/hook", "--print-curl", str(request)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert "is not JSON" in err and "Traceback" not in err


def test_send_print_curl_runs_as_printed(
    server: OddServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request = tmp_path / "req.json"
    request.write_bytes(HOSTILE_BODY)
    url = server.base + "/echo/{a,b}"
    assert main(["send", "--url", url, "--basic", "admin:pw", "--print-curl", str(request)]) == 0
    command = capsys.readouterr().out
    work = tmp_path / "work"
    work.mkdir()
    before = len(server.seen)
    done = run_bash(command, work, HOOK_AUTH=basic_auth_value("admin", "pw"))
    assert done.returncode == 0, done.stderr
    (seen,) = seen_since(server, before)
    assert seen.body == HOSTILE_BODY and seen.target == "/echo/{a,b}"
    assert seen.headers["authorization"] == basic_auth_value("admin", "pw")


def test_header_values_written_into_the_command_arrive_verbatim(
    server: OddServer, tmp_path: Path
) -> None:
    headers = [
        ("Content-Type", "application/json"),
        ("X-Quoted", 'it\'s "q" $(touch pwned) `touch pwned2` ${HOME} @/etc/hostname'),
        ("X-Empty", ""),
    ]
    command = curl_command(server.base + "/echo/h", headers, b"[]")
    before = len(server.seen)
    done = run_bash(command, tmp_path)
    assert done.returncode == 0, done.stderr
    (seen,) = seen_since(server, before)
    assert seen.headers["x-quoted"] == headers[1][1]
    assert seen.headers["x-empty"] == ""  # sent empty, not dropped
    assert list(tmp_path.iterdir()) == []


def test_a_curlrc_adds_nothing(server: OddServer, tmp_path: Path) -> None:
    (tmp_path / ".curlrc").write_text('url = "http://127.0.0.1:9/elsewhere"\nheader = "X-Rc: 1"\n')
    command = curl_command(server.base + "/echo/rc", [], b"{}")
    before = len(server.seen)
    done = run_bash(command, tmp_path)
    assert done.returncode == 0, done.stderr
    (seen,) = seen_since(server, before)
    assert "x-rc" not in seen.headers


def test_a_bundled_target_is_called_on_reghook_serve(tmp_path: Path) -> None:
    from app.logic.service import (
        DEFAULT_PASSWORD,
        DEFAULT_USER,
        ServiceRunner,
        bind_socket,
        create_app,
    )

    command = curl_for_target(BundledTarget("ssr"), SSR_REQUEST.read_bytes())
    assert "reghook serve" in command.splitlines()[0]
    assert f"--url http://127.0.0.1:{DEFAULT_PORT}/registrationHookSSR" in command
    store = HistoryStore(tmp_path / "h.sqlite3")
    entry = store.get(store.record(run_exchange(SSR_REQUEST.read_bytes(), BundledTarget("ssr"))))
    assert curl_for_entry(entry) == command  # a recorded bundled call reads the same
    # Run it against a real service (on a free port instead of the default one).
    runner = ServiceRunner(
        create_app(DEFAULT_USER, DEFAULT_PASSWORD, log=lambda _line: None),
        bind_socket("127.0.0.1", 0),
    )
    runner.start_in_thread()
    try:
        port = runner.url.rsplit(":", 1)[1].split("/")[0]
        here = command.replace(f"127.0.0.1:{DEFAULT_PORT}/", f"127.0.0.1:{port}/")
        auth = basic_auth_value(DEFAULT_USER, DEFAULT_PASSWORD)
        done = run_bash(here, tmp_path, HOOK_AUTH=auth)
    finally:
        runner.close()
    assert done.returncode == 0, done.stderr
    head, _, body = done.stdout.partition("\n\n")  # text mode reads CRLF as LF
    assert head.startswith("HTTP/1.1 200")
    bundled = run_exchange(SSR_REQUEST.read_bytes(), BundledTarget("ssr"))
    assert json.loads(body) == json.loads(bundled.response_bytes)


def test_execute_curl_posts_the_request_to_okta_once(tmp_path: Path) -> None:
    made = make_self_signed_cert(tmp_path)
    if isinstance(made, str):
        pytest.skip(made)
    cert, key = made
    server = OddServer(tls=server_tls_context(cert, key)).start()
    try:
        command = execute_curl(HOSTILE_BODY)
        assert command.startswith("# set OKTA_ORG")
        work = tmp_path / "work"
        work.mkdir()
        unset = run_bash(command, work, OKTA_ORG=f"localhost:{server.port}", HOOK_ID="cal1")
        assert unset.returncode != 0 and "OKTA_API_TOKEN" in unset.stderr
        done = run_bash(
            command,
            work,
            OKTA_ORG=f"localhost:{server.port}",
            HOOK_ID="cal1",
            OKTA_API_TOKEN="00tok",
            CURL_CA_BUNDLE=str(cert),
        )
        assert done.returncode == 0, done.stderr
        with server.lock:
            seen = list(server.seen)
    finally:
        server.stop()
    assert len(seen) == 1
    assert seen[0].target == "/api/v1/inlineHooks/cal1/execute"
    assert seen[0].headers["authorization"] == "SSWS 00tok"
    assert seen[0].body == HOSTILE_BODY
    assert list(work.iterdir()) == []


def test_export_execute_refuses_a_request_that_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request = tmp_path / "req.json"
    request.write_bytes(b'{"a": "\xff\xfe"}')
    code = main(["export", "okta-hook", "--name", "h", "--url", "https://h.example/x",
                 "--execute", str(request)])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and "not UTF-8" in err and "Traceback" not in err


def test_history_show_curl_refuses_a_recorded_call_that_was_not_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from app.logic.run.history import open_default_store

    recorded = open_default_store().record(run_exchange(b"@/etc/hostname", BundledTarget("ssr")))
    assert recorded is not None
    code = main(["history", "show", str(recorded), "--curl"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert "cannot be repeated with curl" in err and "not JSON" in err and "Traceback" not in err
