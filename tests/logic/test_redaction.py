"""Secrets a hook or a token endpoint echoes back never reach a writer: the history file, the
HAR export, `send`'s output (text and JSON) and the JUnit report of `check` hold `***` where
the hook quoted the auth value, the Basic credentials, a custom header's value, the client
secret or the access token, whatever JSON spelling it used. A real server on 127.0.0.1 echoes
them; the files are read as bytes."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hookservers import TOKEN_CLIENT, OddServer, u_escaped

from app.cli import main
from app.logic.redact import MASK, Redaction
from app.logic.remote import HookAuth, basic_auth_value
from app.logic.run.pipeline import run_exchange
from app.logic.targets import UrlTarget

ROOT = Path(__file__).resolve().parents[2]
SSR_REQUEST = ROOT / "tests" / "logic" / "data" / "requests" / "guide-ssr.json"
# A password with a slash (JSON may write it `\/`), a quote, and characters beyond ASCII and
# beyond the BMP (JSON may write them as \u escapes and surrogate pairs).
PASSWORD = 'pa/ss"w0rd-é😀-long'
CREDENTIALS = f"admin:{PASSWORD}"
AUTH = basic_auth_value("admin", PASSWORD)
API_KEY = "key-live-0123456789"


@pytest.fixture(scope="module")
def server() -> Iterator[OddServer]:
    running = OddServer().start()
    yield running
    running.stop()


def spellings(secret: str) -> list[str]:
    """The ways the server (or a JSON writer) may have written `secret`."""
    dumped = json.dumps(secret)[1:-1]
    return sorted(
        {
            secret,
            u_escaped(secret),
            u_escaped(secret).lower(),
            dumped,
            dumped.replace("/", "\\/"),
            json.dumps(secret, ensure_ascii=False)[1:-1].replace("/", "\\/"),
        }
    )


def leaks(data: bytes | str, *secrets: str) -> list[str]:
    """Each spelling of each secret found in `data` (UTF-8 bytes, or text)."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    return [s for secret in secrets for s in spellings(secret) if s in text]


BASIC_SECRETS = (AUTH, CREDENTIALS, AUTH.partition(" ")[2], PASSWORD, API_KEY)


def test_the_exchange_record_is_redacted_once_as_it_is_made(server: OddServer) -> None:
    auth = HookAuth("authorization", AUTH, (("X-Api-Key", API_KEY),))
    target = UrlTarget(server.base + "/echo-secrets", auth)
    exchange = run_exchange(SSR_REQUEST.read_bytes(), target)
    assert exchange.verdict is not None and exchange.verdict.outcome.value == "DENIED"
    written = json.dumps(exchange.to_json(), ensure_ascii=False) + exchange.verdict.to_text()
    assert leaks(written, *BASIC_SECRETS) == []
    assert exchange.answer is not None
    assert (
        exchange.answer.headers["x-echo"] == MASK and exchange.answer.headers["x-key-echo"] == MASK
    )
    # The verdict was read from the real answer: the person's DENY message is there, masked.
    assert [m.text for m in exchange.verdict.messages if m.text == f"refused {MASK}"]


def test_send_output_history_and_har_hold_no_echoed_secret(
    server: OddServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.base + "/echo-secrets"
    args = ["send", "--url", url, "--auth", AUTH, "--header", f"X-Api-Key: {API_KEY}"]
    assert main([*args, str(SSR_REQUEST)]) == 0
    text_out = capsys.readouterr().out
    assert main([*args, "--json", str(SSR_REQUEST)]) == 0
    json_out = capsys.readouterr().out
    assert "DENIED" in text_out and MASK in text_out
    assert leaks(text_out, *BASIC_SECRETS) == [] and leaks(json_out, *BASIC_SECRETS) == []
    # The history file (and anything SQLite keeps beside it), read as bytes.
    data = tmp_path / "data"
    stored = b"".join(p.read_bytes() for p in data.rglob("*") if p.is_file())
    assert stored and leaks(stored, *BASIC_SECRETS) == []
    har = tmp_path / "calls.har"
    assert main(["history", "export", "--har", str(har)]) == 0
    capsys.readouterr()
    assert len(json.loads(har.read_text())["log"]["entries"]) == 2
    assert leaks(har.read_bytes(), *BASIC_SECRETS) == []
    assert main(["history", "show", "1", "--json"]) == 0
    assert leaks(capsys.readouterr().out, *BASIC_SECRETS) == []


def test_the_junit_report_holds_no_echoed_secret(
    server: OddServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({
        "name": "registers", "target": "/registrationHookSSR",
        "request": json.loads(SSR_REQUEST.read_text()), "expect": {"outcome": "ALLOWED"},
    }))  # fmt: skip
    report = tmp_path / "report.xml"
    code = main(["check", str(scenario), "--url", server.base + "/echo-secrets", "--basic",
                 CREDENTIALS, "--junit", str(report)])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 1 and "FAIL" in out
    xml = report.read_bytes()
    assert b"<failure" in xml and MASK.encode() in xml
    assert leaks(xml, *BASIC_SECRETS) == [] and leaks(out + err, *BASIC_SECRETS) == []


def test_the_access_token_and_client_secret_never_reach_a_writer(
    server: OddServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    client_id, client_secret = TOKEN_CLIENT
    monkeypatch.setenv("REGHOOK_OAUTH_CLIENT_SECRET", client_secret)
    oauth = ["--oauth-client-id", client_id]
    # The hook echoes the access token it got ("token-N": the server counts its tokens).
    code = main(["send", "--url", server.base + "/echo-secrets", "--oauth-token-url",
                 server.base + "/token?long=1", *oauth, "--json", str(SSR_REQUEST)])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    tokens = [f"token-{n}-0123456789abcdef" for n in range(1, server.token_count + 1)]
    assert tokens and MASK in out
    stored = b"".join(p.read_bytes() for p in (tmp_path / "data").rglob("*") if p.is_file())
    for token in tokens:
        assert f'"{token}"' not in out and f"Bearer {token}" not in out
        assert token.encode() not in stored
    # A token endpoint that refuses and quotes the client credentials in error_description.
    code = main(["send", "--url", server.base + "/echo-secrets", "--oauth-token-url",
                 server.base + "/token-echoes-secret", *oauth, str(SSR_REQUEST)])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 1 and "OAuth token request: HTTP 401" in out + err
    stored = b"".join(p.read_bytes() for p in (tmp_path / "data").rglob("*") if p.is_file())
    basic = basic_auth_value(client_id, client_secret).partition(" ")[2]
    assert leaks(out + err, client_secret, basic) == []
    assert leaks(stored, client_secret, basic) == []


def test_redaction_finds_every_json_spelling() -> None:
    redaction = Redaction([AUTH])
    assert repr(redaction) == "Redaction(4 secrets)" and PASSWORD not in repr(redaction)
    for spelled in spellings(PASSWORD) + spellings(CREDENTIALS):
        assert redaction.text(f'{{"m": "{spelled}"}}') == '{"m": "***"}', spelled
        assert redaction.data(f"<{spelled}>".encode()) == b"<***>"
    assert redaction.data(b"\xff\xfe not utf-8 \xff") == b"\xff\xfe not utf-8 \xff"
    untouched = {"a": [1, "two", (3.0, None)]}
    assert redaction.value(untouched) is untouched
    short = Redaction(["abc"])  # too short to look for inside text: it would garble answers
    assert short.text("abcdef") == "abcdef"
    base64_only = base64.b64encode(CREDENTIALS.encode()).decode()
    assert redaction.text(base64_only) == MASK
