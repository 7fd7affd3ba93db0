"""A local stand-in for the few management API operations the live-org client uses, on
127.0.0.1 (http.server), so no test needs a real org or the internet.

It answers as Okta documents: users paged by `Link: <...>; rel="next"` (small pages), `search=`
with `sw` on profile attributes, the user schema, registration hooks, `/execute` forwarded to a
real hook on 127.0.0.1, System Log events, 401/403/429 in Okta's error shape, and the OAuth
token endpoint for `private_key_jwt`. Switches make it hostile (a next link to another host,
an endless chain, a huge page, megabyte strings, control characters). It records every request
and answer so the tests can validate both against Okta's published OpenAPI spec.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import json
import re
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HOOK_USER, HOOK_PASSWORD = "hook-user", "hook-pass-9"
HOOK_AUTH = "Basic " + base64.b64encode(f"{HOOK_USER}:{HOOK_PASSWORD}".encode()).decode()
TOKEN = "00standin-api-token-0123456789abcdef"
ERROR_401 = {
    "errorCode": "E0000011",
    "errorSummary": "Invalid token provided",
    "errorLink": "E0000011",
    "errorId": "oaeStandin401",
    "errorCauses": [],
}
ERROR_403 = {
    "errorCode": "E0000006",
    "errorSummary": "You do not have permission to perform the requested action",
    "errorLink": "E0000006",
    "errorId": "oaeStandin403",
    "errorCauses": [],
}
ERROR_429 = {
    "errorCode": "E0000047",
    "errorSummary": "API call exceeded rate limit due to too many requests.",
    "errorLink": "E0000047",
    "errorId": "oaeStandin429",
    "errorCauses": [],
}


@dataclass
class Seen:
    """One exchange as the stand-in saw it (for spec validation)."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    status: int = 0
    answer_headers: dict[str, str] = field(default_factory=dict)
    answer: bytes = b""


def make_user(number: int, first: str = "", last: str = "") -> dict[str, Any]:
    first = first or f"User{number:05d}"
    last = last or "Standin"
    login = f"{first.lower()}.{last.lower()}@okta.com"
    return {
        "id": f"00u{number:017d}",
        "status": "ACTIVE",
        "created": "2024-05-01T08:00:00.000Z",
        "activated": "2024-05-01T08:00:01.000Z",
        "statusChanged": "2024-05-01T08:00:01.000Z",
        "lastLogin": None,
        "lastUpdated": "2026-11-30T09:15:00.000Z",
        "passwordChanged": "2024-05-02T10:11:12.000Z",
        "type": {"id": "otyabcdefghij0123456"},
        "profile": {
            "firstName": first,
            "lastName": last,
            "login": login,
            "email": login,
            "mobilePhone": None,
            "secondEmail": None,
        },
        "credentials": {"provider": {"type": "OKTA", "name": "OKTA"}},
        "_links": {},
    }


def default_users(count: int = 30) -> list[dict[str, Any]]:
    users = json.loads((ROOT / "fixtures" / "okta-api-org" / "users.json").read_text("utf-8"))
    users += [make_user(number) for number in range(count)]
    return users


def hook_entry(hook_id: str, name: str, uri: str, header: str = "authorization") -> dict[str, Any]:
    return {
        "id": hook_id,
        "name": name,
        "status": "ACTIVE",
        "type": "com.okta.user.pre-registration",
        "version": "1.0.0",
        "created": "2026-01-01T00:00:00.000Z",
        "lastUpdated": "2026-01-01T00:00:00.000Z",
        "channel": {
            "type": "HTTP",
            "version": "1.0.0",
            "config": {
                "uri": uri,
                "method": "POST",
                "headers": [],
                "authScheme": {"type": "HEADER", "key": header},
            },
        },
        "_links": {},
    }


def log_event(
    hook_id: str,
    hook_name: str,
    login: str,
    published: str,
    *,
    kind: str,
    result: str = "SUCCESS",
    reason: str = "",
) -> dict[str, Any]:
    return {
        "uuid": f"evt-{published}-{kind}",
        "published": published,
        "eventType": kind,
        "version": "0",
        "severity": "INFO",
        "displayMessage": "Inline hook executed"
        if kind.endswith("executed")
        else "Inline hook response processed",
        "actor": {"id": "00u0", "type": "User", "alternateId": login, "displayName": login},
        "outcome": {"result": result, **({"reason": reason} if reason else {})},
        "target": [
            {
                "id": hook_id,
                "type": "InlineHook",
                "alternateId": hook_name,
                "displayName": hook_name,
            },
            {"id": "00u1", "type": "User", "alternateId": login, "displayName": login},
        ],
        "transaction": {"type": "WEB", "id": "standin-transaction", "detail": {}},
        "debugContext": {"debugData": {"requestUri": "/idp/idx/enroll/new"}},
        "authenticationContext": {},
        "client": {},
        "request": {"ipChain": []},
        "securityContext": {},
    }


class StandInOrg(ThreadingHTTPServer):
    """The stand-in org. Set the public attributes before or between calls."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.token = TOKEN
        self.users: list[dict[str, Any]] = default_users()
        self.schema = json.loads(
            (ROOT / "fixtures" / "okta-api-org" / "user-schema.json").read_text("utf-8")
        )
        self.hooks: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.page_size = 5  # small pages whatever `limit` asks, so paging is exercised
        self.rate_limit_once = False
        self.rate_limit_reset_s = 1  # how far ahead that 429's X-Rate-Limit-Reset is
        self.forbidden: set[str] = set()  # paths answered 403
        self.next_link_host = ""  # a next link to this host instead of the org's own
        self.endless = False  # every page has a next link
        self.huge_page_bytes = 0  # pad the users answer to this many bytes
        #: Okta's contract check on /execute: a function (hook answer value) -> causes list; a
        #: non-empty list answers 400 naming them.
        self.execute_check: Any = None
        self.public_key_pem = ""  # the service app's key, for private_key_jwt
        self.client_id = ""
        self.access_tokens: set[str] = set()
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> StandInOrg:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def add_hook(
        self, hook_id: str, name: str, uri: str, header: str = "authorization", auth_value: str = ""
    ) -> None:
        entry = hook_entry(hook_id, name, uri, header)
        entry["_standin_auth"] = auth_value
        self.hooks.append(entry)


_TERM = re.compile(r'(profile\.\w+|id) (sw|eq) "((?:[^"\\]|\\.)*)"')


def _matches(user: dict[str, Any], search: str) -> bool:
    """Okta's `search=` for the terms used here: `sw` and `eq` on profile attributes and
    `id`, joined by `or` (case-insensitive values, as Okta compares them)."""
    terms = _TERM.findall(search)
    if not terms:
        return True
    profile = user.get("profile", {})
    for name, operator, value in terms:
        wanted = value.replace('\\"', '"').replace("\\\\", "\\").casefold()
        have = user.get("id") if name == "id" else profile.get(name.removeprefix("profile."))
        have = str(have or "").casefold()
        if have == wanted or (operator == "sw" and have.startswith(wanted)):
            return True
    return False


class _Handler(BaseHTTPRequestHandler):
    server: StandInOrg
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # quiet
        return

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        seen = Seen(self.command, parts.path, query, dict(self.headers.items()), body)
        status, headers, answer = self._answer(parts.path, query, body)
        seen.status, seen.answer_headers, seen.answer = status, headers, answer
        with self.server.lock:
            self.server.seen.append(seen)
        self.send_response(status)
        headers.setdefault("Content-Type", "application/json")
        headers["Content-Length"] = str(len(answer))
        headers["Date"] = formatdate(usegmt=True)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(answer)

    def _json(self, status: int, value: Any, headers: dict[str, str] | None = None):
        return status, dict(headers or {}), json.dumps(value).encode()

    def _authorised(self) -> bool:
        value = self.headers.get("Authorization", "")
        if value == f"SSWS {self.server.token}":
            return True
        return value.startswith("Bearer ") and value[7:] in self.server.access_tokens

    def _answer(self, path: str, query: dict[str, list[str]], body: bytes):
        server = self.server
        if path == "/oauth2/v1/token":
            return self._token(body)
        if server.rate_limit_once:
            server.rate_limit_once = False
            reset = str(int(time.time()) + server.rate_limit_reset_s)
            return self._json(
                429,
                ERROR_429,
                {
                    "X-Rate-Limit-Limit": "600",
                    "X-Rate-Limit-Remaining": "0",
                    "X-Rate-Limit-Reset": reset,
                },
            )
        if not self._authorised():
            return self._json(401, ERROR_401)
        if path in server.forbidden:
            return self._json(403, ERROR_403)
        if path == "/api/v1/users" and self.command == "GET":
            return self._users(query)
        if path == "/api/v1/meta/schemas/user/default":
            return self._json(200, server.schema)
        if path == "/api/v1/inlineHooks" and self.command == "GET":
            wanted = query.get("type", [""])[0]
            hooks = [
                {k: v for k, v in copy.deepcopy(h).items() if not k.startswith("_")}
                for h in server.hooks
                if not wanted or h["type"] == wanted
            ]
            return self._json(200, hooks)
        match = re.fullmatch(r"/api/v1/inlineHooks/([^/]+)/execute", path)
        if match and self.command == "POST":
            return self._execute(urllib.parse.unquote(match.group(1)), body)
        if path == "/api/v1/logs":
            return self._logs(query)
        return self._json(
            404,
            {
                "errorCode": "E0000022",
                "errorSummary": "The endpoint does not support the provided HTTP method",
                "errorCauses": [],
            },
        )

    def _users(self, query: dict[str, list[str]]):
        server = self.server
        search = query.get("search", [""])[0]
        after = int(query.get("after", ["0"])[0] or 0)
        found = [u for u in server.users if _matches(u, search)]
        limit = min(int(query.get("limit", ["200"])[0]), server.page_size)
        page = found[after : after + limit]
        headers: dict[str, str] = {}
        more = after + limit < len(found) or server.endless
        links = [f'<{server.url}/api/v1/users?limit={limit}>; rel="self"']
        if more:
            next_query = urllib.parse.urlencode(
                {"limit": limit, "after": after + limit, **({"search": search} if search else {})}
            )
            host = server.next_link_host or server.url
            links.append(f'<{host}/api/v1/users?{next_query}>; rel="next"')
        headers["Link"] = ", ".join(links)
        status, headers, data = self._json(200, page, headers)
        if server.huge_page_bytes:
            data = data[:-1] + b" " * server.huge_page_bytes + b"]"
        return status, headers, data

    def _execute(self, hook_id: str, body: bytes):
        server = self.server
        hook = next((h for h in server.hooks if h["id"] == hook_id), None)
        if hook is None:
            return self._json(
                404,
                {
                    "errorCode": "E0000007",
                    "errorSummary": f"Not found: Resource not found: {hook_id} (InlineHook)",
                    "errorCauses": [],
                },
            )
        config = hook["channel"]["config"]
        request = urllib.request.Request(
            config["uri"],
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                **(
                    {config["authScheme"]["key"]: hook["_standin_auth"]}
                    if hook.get("_standin_auth")
                    else {}
                ),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=3) as response:
                status, data = response.status, response.read(256 * 1024 + 1)
        except urllib.error.HTTPError as exc:
            status, data = exc.code, exc.read()
        except OSError as exc:
            return self._json(
                400,
                {
                    "errorCode": "E0000001",
                    "errorSummary": "Api validation failed: inlineHook",
                    "errorCauses": [
                        {
                            "errorSummary": f"Error while calling the external service: "
                            f"{type(exc).__name__}"
                        }
                    ],
                },
            )
        if status != 200:
            return self._json(
                400,
                {
                    "errorCode": "E0000001",
                    "errorSummary": "Api validation failed: inlineHook",
                    "errorCauses": [{"errorSummary": f"Returned error response: {status}"}],
                },
            )
        try:
            value = json.loads(data)
        except ValueError:
            return self._json(
                400,
                {
                    "errorCode": "E0000001",
                    "errorSummary": "Api validation failed: inlineHook",
                    "errorCauses": [{"errorSummary": "Unable to parse the response"}],
                },
            )
        causes = server.execute_check(value) if server.execute_check else []
        if causes:
            return self._json(
                400,
                {
                    "errorCode": "E0000001",
                    "errorSummary": "Api validation failed: inlineHook",
                    "errorCauses": [{"errorSummary": cause} for cause in causes],
                },
            )
        return 200, {"Content-Type": "application/json"}, data

    def _logs(self, query: dict[str, list[str]]):
        server = self.server
        wanted = re.search(r'target\.id eq "([^"]+)"', query.get("filter", [""])[0])
        since = query.get("since", [""])[0]
        events = [
            e
            for e in server.events
            if (not wanted or any(t.get("id") == wanted.group(1) for t in e["target"]))
            and (not since or e["published"] >= since)
        ]
        events.sort(
            key=lambda e: e["published"],
            reverse=query.get("sortOrder", ["ASCENDING"])[0] == "DESCENDING",
        )
        return self._json(200, events[: int(query.get("limit", ["100"])[0])])

    def _token(self, body: bytes):
        import jwt

        form = urllib.parse.parse_qs(body.decode())
        assertion = form.get("client_assertion", [""])[0]
        try:
            claims = jwt.decode(
                assertion,
                self.server.public_key_pem,
                algorithms=["RS256"],
                audience=f"{self.server.url}/oauth2/v1/token",
            )
        except jwt.PyJWTError as exc:
            return self._json(
                401,
                {
                    "error": "invalid_client",
                    "error_description": f"The client_assertion is invalid: {exc}",
                },
            )
        if claims.get("iss") != self.server.client_id or claims.get("sub") != self.server.client_id:
            return self._json(
                401, {"error": "invalid_client", "error_description": "The client id is not known."}
            )
        token = f"standin-access-{len(self.server.access_tokens)}"
        self.server.access_tokens.add(token)
        return self._json(
            200,
            {
                "token_type": "Bearer",
                "expires_in": 3600,
                "access_token": token,
                "scope": form.get("scope", [""])[0],
            },
        )


@contextlib.contextmanager
def guide_hook() -> Iterator[str]:
    """The guide's hook service (what `reghook serve` runs) on 127.0.0.1; its base URL. Its
    Basic auth value is HOOK_AUTH."""
    from app.logic.service import ServiceRunner, bind_socket, create_app

    runner = ServiceRunner(
        create_app(HOOK_USER, HOOK_PASSWORD, log=lambda _line: None),
        bind_socket("127.0.0.1", 0),
        "asyncio",
    )
    runner.start_in_thread()
    host, port = runner.address[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        runner.close()
