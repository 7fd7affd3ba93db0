"""The hook service through its real runner (uvicorn + h11, asyncio and uvloop) on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.logic.bundled_hook import (
    HookRules,
    registration_hook_pp,
    registration_hook_ssr,
    registration_hook_ssr_and_pp,
)
from app.logic.service import (
    MAX_BODY_BYTES,
    Credentials,
    CredentialsError,
    HookService,
    ServiceRunner,
    bind_socket,
    create_app,
    load_credentials,
    read_env_file,
    uvloop_available,
)

USER, PASSWORD = "svc-user", "svc-pass-99"
AUTH = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
ROOT = Path(__file__).resolve().parents[2]
ENGINES = [
    "asyncio",
    pytest.param(
        "uvloop",
        marks=pytest.mark.skipif(not uvloop_available(), reason="uvloop is not installed"),
    ),
]


def ssr(email: str, number: Any = None) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "firstName": "Ana",
        "lastName": "Lee",
        "email": email,
        "login": email,
    }
    if number is not None:
        profile["employeeNumber"] = number
    return {
        "eventId": "e1",
        "requestType": "self.service.registration",
        "data": {"context": {"request": {"method": "POST"}}, "userProfile": profile},
    }


def pp(number: Any) -> dict[str, Any]:
    return {
        "eventId": "e2",
        "requestType": "progressive.profile",
        "data": {
            "context": {
                "user": {
                    "id": "00u1",
                    "profile": {"firstName": "Ana", "lastName": "Lee", "login": "ana@okta.com"},
                }
            },
            "userProfileUpdate": {"employeeNumber": number},
        },
    }


class Service:
    """A running service and what it logged."""

    def __init__(self, engine: str) -> None:
        self.lines: list[str] = []
        self.app = create_app(USER, PASSWORD, log=self.lines.append)
        self.runner = ServiceRunner(self.app, bind_socket("127.0.0.1", 0), engine)
        self.runner.start_in_thread()
        self.host, self.port = self.runner.address

    def connect(self, timeout: float = 5.0) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def post(
        self,
        path: str,
        body: bytes | dict[str, Any],
        headers: dict[str, str] | None = None,
        method: str = "POST",
    ) -> tuple[int, dict[str, str], bytes]:
        raw = json.dumps(body).encode() if isinstance(body, dict) else body
        sent = {"Authorization": AUTH, "Content-Type": "application/json"}
        sent.update(headers or {})
        conn = self.connect()
        try:
            conn.request(method, path, body=raw, headers=sent)
            response = conn.getresponse()
            data = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        finally:
            conn.close()

    def raw(self, data: bytes) -> bytes:
        """Send bytes as they are; return the one answer (head and body) that comes back."""
        with socket.create_connection((self.host, self.port), timeout=5) as sock:
            sock.sendall(data)
            received = b""
            while b"\r\n\r\n" not in received:
                chunk = sock.recv(65536)
                if not chunk:
                    return received
                received += chunk
            head, _, body = received.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            while len(body) < length:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                body += chunk
        return head + b"\r\n\r\n" + body

    def close(self) -> None:
        self.runner.close()


@pytest.fixture(scope="module", params=ENGINES)
def svc(request: pytest.FixtureRequest) -> Iterator[Service]:
    service = Service(request.param)
    yield service
    service.close()


# --- the three endpoints ------------------------------------------------------------------

CASES = [
    ("/registrationHookSSR", ssr("ana@okta.com"), registration_hook_ssr),
    ("/registrationHookSSR", ssr("ana@notokta.com"), registration_hook_ssr),
    ("/registrationHookSSR", pp("1234"), registration_hook_ssr),
    ("/registrationHookPP", pp("1234"), registration_hook_pp),
    ("/registrationHookPP", pp("12345"), registration_hook_pp),
    ("/registrationHookPP", ssr("ana@okta.com"), registration_hook_pp),
    ("/registrationHookSSRandPP", ssr("ana@okta.com", "1234"), registration_hook_ssr_and_pp),
    ("/registrationHookSSRandPP", ssr("ana@okta.com"), registration_hook_ssr_and_pp),
    ("/registrationHookSSRandPP", pp("abcd"), registration_hook_ssr_and_pp),
    ("/registrationHookSSR", {"data": None}, registration_hook_ssr),
    ("/registrationHookSSR", ssr("no-at-sign"), registration_hook_ssr),
]


@pytest.mark.parametrize(("path", "request_value", "logic"), CASES)
def test_endpoints_answer_what_the_logic_answers(
    svc: Service, path: str, request_value: dict[str, Any], logic: Any
) -> None:
    expected = logic(request_value, HookRules())
    status, headers, body = svc.post(path, request_value)
    assert status == 200
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == expected.response
    assert " | ".join(expected.log_lines) in svc.lines


def test_the_sample_answer_byte_for_byte(svc: Service) -> None:
    status, _headers, body = svc.post("/registrationHookSSR", ssr("ana@okta.com"))
    assert status == 200
    assert body == (
        b'{"commands":[{"type":"com.okta.action.update","value":{"registration":"ALLOW"}}]}'
    )


def test_keep_alive_serves_several_calls_on_one_connection(svc: Service) -> None:
    conn = svc.connect()
    try:
        for email in ("a@okta.com", "b@other.example", "c@okta.com"):
            conn.request(
                "POST",
                "/registrationHookSSR",
                body=json.dumps(ssr(email)),
                headers={"Authorization": AUTH},
            )
            response = conn.getresponse()
            assert response.status == 200
            assert json.loads(response.read()) == registration_hook_ssr(ssr(email)).response
    finally:
        conn.close()


def test_express_style_path_matching(svc: Service) -> None:
    status, _h, _b = svc.post("/registrationhookssr/", ssr("ana@okta.com"))
    assert status == 200


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Basic " + base64.b64encode(f"{USER}:wrong".encode()).decode(),
        "Basic " + base64.b64encode(f"{USER}{PASSWORD}".encode()).decode(),
        "Basic not-base64!!",
        "Bearer " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode(),
        "",
    ],
)
def test_401_with_a_challenge(svc: Service, header: str | None) -> None:
    conn = svc.connect()
    headers = {} if header is None else {"Authorization": header}
    conn.request("POST", "/registrationHookSSR", body=b"{}", headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    assert response.status == 401
    assert (
        response.getheader("www-authenticate") == 'Basic realm="registration hook", charset="UTF-8"'
    )
    assert response.getheader("content-type") == "application/json"
    assert json.loads(body) == {"error": "missing or wrong Basic credentials"}


def test_scheme_is_case_insensitive(svc: Service) -> None:
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    status, _h, _b = svc.post(
        "/registrationHookSSR", ssr("a@okta.com"), {"Authorization": f"basic {token}"}
    )
    assert status == 200


def test_auth_is_checked_before_the_body_is_read(svc: Service) -> None:
    # Announces a body that never comes: a server that read it first would hang here.
    head = (
        b"POST /registrationHookSSR HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 500000\r\n\r\n"
    )
    answer = svc.raw(head)
    assert answer.startswith(b"HTTP/1.1 401 ")
    assert b"www-authenticate: basic realm=" in answer.lower()


def test_413_from_content_length_without_reading(svc: Service) -> None:
    head = (
        b"POST /registrationHookSSR HTTP/1.1\r\nHost: x\r\nAuthorization: "
        + AUTH.encode()
        + b"\r\nContent-Length: %d\r\n\r\n" % (MAX_BODY_BYTES + 1)
    )
    answer = svc.raw(head)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b'{"error":"the body is larger than 1024 KB"}' in answer


def test_413_counted_while_reading_a_chunked_body(svc: Service) -> None:
    chunk = b"x" * 65536
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(17)) + b"0\r\n\r\n"
    head = (
        b"POST /registrationHookSSR HTTP/1.1\r\nHost: x\r\nAuthorization: "
        + AUTH.encode()
        + b"\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection((svc.host, svc.port), timeout=5) as sock:
        sock.sendall(head)
        with contextlib.suppress(OSError):  # the server may hang up once it has seen enough
            sock.sendall(body)
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413 ")


def test_a_body_of_exactly_1_mb_is_read(svc: Service) -> None:
    value = {"pad": "x" * (MAX_BODY_BYTES - 20)}
    raw = json.dumps(value).encode()
    raw += b" " * (MAX_BODY_BYTES - len(raw))
    status, _h, body = svc.post("/registrationHookSSR", raw)
    assert status == 200
    assert json.loads(body) == {}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{bad json", "the body is not valid JSON: Expecting property name"),
        (b"", "the body is not valid JSON: Expecting value"),
        (b'{"a": NaN}', "the body is not valid JSON: NaN is not a JSON number"),
        (b"\xff\xfe\x00", "the body is not valid JSON: not UTF-8 text"),
        (b"[" * 100000, "the body is not valid JSON: nested too deeply"),
    ],
)
def test_400_for_a_body_that_is_not_json(svc: Service, raw: bytes, message: str) -> None:
    status, headers, body = svc.post("/registrationHookSSR", raw)
    assert status == 400
    assert headers["content-type"] == "application/json"
    error = json.loads(body)["error"]
    assert error.startswith(message)
    assert "Traceback" not in error


def test_404_for_an_unknown_path(svc: Service) -> None:
    status, headers, body = svc.post("/nope", b"{}")
    assert status == 404
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {"error": "no hook at /nope"}


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_405_with_allow(svc: Service, method: str) -> None:
    status, headers, body = svc.post("/registrationHookPP", b"", method=method)
    assert status == 405
    assert headers["allow"] == "POST"
    assert json.loads(body)["error"].startswith(f"{method} is not allowed here")


# --- load and fuzz ------------------------------------------------------------------------


def test_concurrent_clients_every_answer_correct(svc: Service) -> None:
    clients, per_client = 20, 500
    requests = [
        ("/registrationHookSSR", ssr("ana@okta.com")),
        ("/registrationHookSSR", ssr("ana@evil.example")),
        ("/registrationHookPP", pp("1234")),
        ("/registrationHookSSRandPP", ssr("ana@okta.com", "12")),
    ]
    logic = {
        "/registrationHookSSR": registration_hook_ssr,
        "/registrationHookPP": registration_hook_pp,
        "/registrationHookSSRandPP": registration_hook_ssr_and_pp,
    }
    expected = [logic[path](value).response for path, value in requests]
    bodies = [json.dumps(value).encode() for _path, value in requests]
    wrong: list[str] = []
    done = [0] * clients

    def client(number: int) -> None:
        conn = svc.connect(timeout=10)
        try:
            for i in range(per_client):
                which = (number + i) % len(requests)
                conn.request(
                    "POST", requests[which][0], body=bodies[which], headers={"Authorization": AUTH}
                )
                response = conn.getresponse()
                got = json.loads(response.read())
                if response.status != 200 or got != expected[which]:
                    wrong.append(f"client {number} call {i}: {response.status} {got}")
                done[number] += 1
        except Exception as exc:  # reported below, with the count that got through
            wrong.append(f"client {number}: {type(exc).__name__}: {exc}")
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert wrong == []
    assert sum(done) == clients * per_client


_header_names = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz-ABCXYZ0123456789"), min_size=1, max_size=20
)
_header_values = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60)
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
_bodies = st.one_of(
    st.binary(max_size=300),
    _json_values.map(lambda v: json.dumps(v).encode()),
    st.builds(
        lambda profile, kind: json.dumps(
            {"requestType": kind, "data": {"userProfile": profile, "userProfileUpdate": profile}}
        ).encode(),
        st.dictionaries(
            st.sampled_from(["email", "login", "employeeNumber", "firstName"]), _json_values
        ),
        st.sampled_from(["self.service.registration", "progressive.profile", None]),
    ),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    body=_bodies,
    path=st.sampled_from(
        ["/registrationHookSSR", "/registrationHookPP", "/registrationHookSSRandPP"]
    )
    | st.text(alphabet="abcXYZ/%.-_~019?&=", max_size=30).map(lambda text: "/" + text),
    headers=st.dictionaries(_header_names, _header_values, max_size=4),
    authorized=st.booleans(),
)
def test_fuzzed_bodies_and_headers_never_give_a_500(
    svc: Service, body: bytes, path: str, headers: dict[str, str], authorized: bool
) -> None:
    sent = {
        k: v.strip()
        for k, v in headers.items()
        if k.lower()
        not in ("content-length", "transfer-encoding", "host", "connection", "authorization")
    }
    if authorized:
        sent["Authorization"] = AUTH
    conn = svc.connect()
    try:
        conn.request("POST", path, body=body, headers=sent)
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    assert response.status in (200, 400, 401, 404)
    assert response.getheader("content-type") == "application/json"
    json.loads(data)


# --- the application object, hosted directly ---------------------------------------------


def test_asgi_app_speaks_lifespan_and_http() -> None:
    app = create_app(USER, PASSWORD, log=lambda _line: None)
    sent: list[dict[str, Any]] = []

    async def run() -> None:
        incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]

        async def receive() -> dict[str, Any]:
            return incoming.pop(0)

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await app({"type": "lifespan"}, receive, send)
        body = json.dumps(ssr("x@okta.com")).encode()
        requests = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive_http() -> dict[str, Any]:
            return requests.pop(0)

        scope = {
            "type": "http",
            "method": "POST",
            "path": "/registrationHookSSR",
            "headers": [(b"authorization", AUTH.encode())],
        }
        await app(scope, receive_http, send)

    asyncio.run(run())
    assert [m["type"] for m in sent] == [
        "lifespan.startup.complete",
        "lifespan.shutdown.complete",
        "http.response.start",
        "http.response.body",
    ]
    assert sent[2]["status"] == 200


def test_module_level_asgi_app_is_importable() -> None:
    code = "from app.logic.service import asgi_app; print(callable(asgi_app))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.stdout.strip() == "True"
    assert result.stderr == ""  # credentials are read at first use, not at import


# --- credentials ----------------------------------------------------------------------------


def test_credentials_from_the_environment_win(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("BASIC_AUTH_USER=fileuser\nBASIC_AUTH_PASSWORD=filepass\n")
    creds = load_credentials({"BASIC_AUTH_USER": "u", "BASIC_AUTH_PASSWORD": "p"}, env_file)
    assert (creds.user, creds.password, creds.defaulted) == ("u", "p", False)


def test_credentials_from_the_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "# the guide's file\nexport BASIC_AUTH_USER='alice'\nBASIC_AUTH_PASSWORD=\"s3 cr#t\"\n"
        "OTHER=1 # comment\n"
    )
    creds = load_credentials({}, env_file)
    assert (creds.user, creds.password, creds.defaulted) == ("alice", "s3 cr#t", False)
    assert read_env_file(env_file)["OTHER"] == "1"
    assert "s3 cr#t" not in repr(creds)


def test_defaults_when_nothing_is_set(tmp_path: Path) -> None:
    creds = load_credentials({}, tmp_path / "missing.env")
    assert creds == Credentials("admin", "supersecret", True, "the guide's defaults")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('BASIC_AUTH_USER=ops\nBASIC_AUTH_PASSWORD="supersecret\n', "cannot be read (line 2 of "),
        ("BASIC_AUTH_USER=ops\nBASIC_AUTH_PASSWORD: x\n", "cannot be read (line 2 of "),
        ("BASIC_AUTH_USER=ops\nBASIC_AUTH_PASSWORD=\n", "is empty"),
        ("BASIC_AUTH_USER=ops\nBASIC_AUTH_PASSWORD\n", "is empty"),
        ("BASIC_AUTH_USER=ops\n", "is not set"),
    ],
    ids=["unclosed-quote", "colon", "empty", "bare-name", "absent"],
)
def test_a_user_without_a_usable_password_is_an_error(tmp_path: Path, text: str, why: str) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(text)
    with pytest.raises(CredentialsError) as caught:
        load_credentials({}, env_file)
    message = str(caught.value)
    assert f"BASIC_AUTH_PASSWORD {why}" in message
    assert "\n" not in message
    assert "supersecret" not in message


def test_a_password_without_a_user_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CredentialsError, match="BASIC_AUTH_USER is not set"):
        load_credentials({"BASIC_AUTH_PASSWORD": "p"}, tmp_path / "missing.env")


def test_the_pair_may_come_half_from_each_place(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("BASIC_AUTH_PASSWORD=filepass\n")
    creds = load_credentials({"BASIC_AUTH_USER": "envuser"}, env_file)
    assert (creds.user, creds.password, creds.defaulted) == ("envuser", "filepass", False)


def test_an_env_file_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_bytes(b"BASIC_AUTH_USER=ops\nBASIC_AUTH_PASSWORD=caf\xe9\n")
    with pytest.raises(CredentialsError, match="not UTF-8"):
        load_credentials({}, env_file)


def test_hook_service_is_the_app_class() -> None:
    assert isinstance(create_app("a", "b"), HookService)


# --- `serve` on the command line ------------------------------------------------------------


def _start_serve(
    tmp_path: Path, *extra: str, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], int]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BASIC_AUTH_")}
    environment.update(env or {})
    environment["PYTHONPATH"] = str(ROOT)
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", "0", *extra],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    port = 0
    for line in process.stderr:
        process.banner = getattr(process, "banner", "") + line  # type: ignore[attr-defined]
        if "listening on http://" in line:
            port = int(line.rsplit(":", 1)[1])
            break
    assert port, "the service never said where it listens"
    return process, port


@pytest.mark.parametrize("engine", ["auto", "asyncio"])
def test_serve_subprocess_answers_and_stops_on_ctrl_c(tmp_path: Path, engine: str) -> None:
    (tmp_path / ".env").write_text("BASIC_AUTH_USER=envuser\nBASIC_AUTH_PASSWORD=envpass\n")
    process, port = _start_serve(tmp_path, "--engine", engine)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        token = base64.b64encode(b"envuser:envpass").decode()
        conn.request(
            "POST",
            "/registrationHookSSR",
            body=json.dumps(ssr("ana@okta.com")),
            headers={"Authorization": f"Basic {token}"},
        )
        response = conn.getresponse()
        assert response.status == 200
        assert json.loads(response.read()) == registration_hook_ssr(ssr("ana@okta.com")).response
        conn.close()
    finally:
        process.send_signal(signal.SIGINT)
        out, rest = process.communicate(timeout=10)
    err = process.banner + rest  # type: ignore[attr-defined]
    assert process.returncode == 0, err
    assert "Basic auth user 'envuser' (from .env)" in err
    assert "Ana Lee ana@okta.com has registered!" in out
    assert "Registration hook service stopped." in err
    assert "Traceback" not in err
    assert "WARNING" not in err


def test_serve_says_loudly_when_using_the_defaults(tmp_path: Path) -> None:
    process, _port = _start_serve(tmp_path, "--engine", "asyncio")
    process.send_signal(signal.SIGTERM)
    _out, rest = process.communicate(timeout=10)
    err = process.banner + rest  # type: ignore[attr-defined]
    assert process.returncode == 0
    assert "WARNING: neither BASIC_AUTH_USER nor BASIC_AUTH_PASSWORD is set" in err
    assert "admin / supersecret" in err


def test_serve_stops_on_a_user_without_a_usable_password(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text('BASIC_AUTH_USER=ops\nBASIC_AUTH_PASSWORD="supersecret\n')
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BASIC_AUTH_")}
    result = subprocess.run(
        [sys.executable, "-m", "app", "serve", "--port", "0"],
        cwd=tmp_path,
        env={**environment, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(
        "reghook: error: BASIC_AUTH_PASSWORD cannot be read (line 2 of .env)"
    )
    assert "listening" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "--port must be from 0 to 65535"),
        (["--digits", "0"], "digit count must be a whole number of at least 1"),
        (["--env-file", "/no/such/.env"], "--env-file: no such file"),
        (["--engine", "tornado"], "invalid choice"),
    ],
)
def test_serve_bad_arguments_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import main

    assert main(["serve", *args]) == 2
    assert message in capsys.readouterr().err


def test_serve_port_in_use_exit_1(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "app", "serve", "--port", str(port)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"reghook: error: cannot listen on 127.0.0.1:{port}: Address already in use"
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_stopping_with_an_idle_keep_alive_connection_is_quick(engine: str) -> None:
    service = Service(engine)
    conn = service.connect()
    conn.request(
        "POST",
        "/registrationHookSSR",
        body=json.dumps(ssr("a@okta.com")),
        headers={"Authorization": AUTH},
    )
    assert conn.getresponse().read()
    started = time.perf_counter()
    service.close()
    # The idle connection's 5 s keep-alive did not hold the stop up (how much sooner depends
    # on the machine's load).
    assert time.perf_counter() - started < 5.0
    assert not service.runner.running
    conn.close()
