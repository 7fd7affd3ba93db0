"""A local stand-in for the guide's sample service, defects and all (okta-contract.md §6).

It answers as the sample's JavaScript does: a substring domain test on `login` (SSR) or
`email` (combined), a length-only employee-number test, a crash (HTTP 500 with an HTML stack
trace) where the sample reads a missing field, and JSON sent as `text/html`.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ALLOWED = "okta.com"


class _Crash(Exception):
    """Where the sample's handler throws (reading a property of undefined)."""


def _get(value: Any, key: str) -> Any:
    # JavaScript: a property of undefined or null throws; of an array, string or number it is
    # undefined.
    if value is None:
        raise _Crash(f"Cannot read properties of undefined (reading '{key}')")
    return value.get(key) if isinstance(value, dict) else None


def _length_is_4(value: Any) -> bool:
    # JavaScript: `employeeNumber && employeeNumber.length === 4`.
    return isinstance(value, str | list) and bool(value) and len(value) == 4


def _domain_of(address: Any) -> str:
    if not isinstance(address, str):
        raise _Crash("Cannot read properties of undefined (reading 'split')")
    parts = address.split("@")
    if len(parts) < 2:
        raise _Crash("Cannot read properties of undefined (reading 'includes')")
    return parts[1]


def _allow(decision: str) -> dict[str, Any]:
    return {"type": "com.okta.action.update", "value": {"registration": decision}}


def _cause(summary: str, reason: str, location: str) -> dict[str, Any]:
    return {
        "errorSummary": summary,
        "reason": reason,
        "locationType": "body",
        "location": location,
        "domain": "end-user",
    }


def ssr(body: Any) -> dict[str, Any]:
    if _get(body, "requestType") != "self.service.registration":
        return {}
    profile = _get(_get(body, "data"), "userProfile")
    if ALLOWED in _domain_of(_get(profile, "login")):
        return {"commands": [_allow("ALLOW")]}
    return {
        "commands": [_allow("DENY")],
        "error": {
            "errorSummary": "Incorrect email address. Please contact your admin.",
            "errorCauses": [
                _cause(
                    "Only okta.com emails can register.",
                    "INVALID_EMAIL_DOMAIN",
                    "data.userProfile.email",
                )
            ],
        },
    }


def _pp_number(body: Any) -> Any:
    return _get(_get(_get(body, "data"), "userProfileUpdate"), "employeeNumber")


def _log_context_user(body: Any) -> None:
    # The sample's console.log lines read data.context.user.profile[...] on every progressive
    # request: without context.user (or its profile) the handler throws.
    _get(_get(_get(_get(body, "data"), "context"), "user"), "profile")
    _get(_get(_get(_get(_get(body, "data"), "context"), "user"), "profile"), "login")


def pp(body: Any) -> dict[str, Any]:
    if _get(body, "requestType") != "progressive.profile":
        return {}
    number = _pp_number(body)
    _log_context_user(body)
    if _length_is_4(number):
        return {
            "commands": [
                {
                    "type": "com.okta.user.progressive.profile.update",
                    "value": {"employeeNumber": number},
                }
            ]
        }
    return {
        "commands": [],
        "error": {
            "errorSummary": "Incorrect employee number. Enter an employee number with 4 digits.",
            "errorCauses": [
                _cause(
                    "Employee numbers must have 4 digits.",
                    "INVALID_EMPLOYEE_NUMBER",
                    "data.userProfile.employeeNumber",
                )
            ],
        },
    }


def ssr_and_pp(body: Any) -> dict[str, Any]:
    if _get(body, "requestType") == "progressive.profile":
        _log_context_user(body)
        number = _pp_number(body)
        if _length_is_4(number):
            return pp(body)
        return {
            "commands": [_allow("DENY")],
            "error": {
                "errorSummary": (
                    "Incorrect employee number. Enter an employee number with 4 digits."
                ),
                "errorCauses": [
                    _cause(
                        "Only employee numbers with 4 digits can register.",
                        "INVALID_EMPLOYEE_NUMBER",
                        "data.userProfile.employeeNumber",
                    )
                ],
            },
        }
    profile = _get(_get(body, "data"), "userProfile")
    domain = _domain_of(_get(profile, "email"))
    if ALLOWED in domain and _length_is_4(_get(profile, "employeeNumber")):
        return {"commands": [_allow("ALLOW")]}
    return {
        "commands": [_allow("DENY")],
        "error": {
            "errorSummary": (
                "Incorrect email address or employee number. Please contact your admin."
            ),
            "errorCauses": [
                _cause(
                    'To register, you must have an "okta" email and a 4-digit employee number.',
                    "INVALID_EMAIL_DOMAIN",
                    "data.userProfile.email",
                )
            ],
        },
    }


ROUTES = {
    "/registrationHookSSR": ssr,
    "/registrationHookPP": pp,
    "/registrationHookSSRandPP": ssr_and_pp,
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length)
        route = ROUTES.get(self.path)
        if route is None:
            self._send(404, b"Cannot POST " + self.path.encode())
            return
        try:
            body = json.loads(raw)
        except ValueError:
            # express.json() answers malformed JSON with an HTML stack trace, before the route.
            self._send(
                400, b"<pre>SyntaxError: Unexpected token in JSON<br> &nbsp;at JSON.parse</pre>"
            )
            return
        if not isinstance(body, dict | list):
            # express.json()'s strict mode refuses a bare scalar the same way.
            self._send(400, b"<pre>SyntaxError: Unexpected token in JSON</pre>")
            return
        try:
            answer = route(body)
        except _Crash as exc:
            self._send(500, f"<pre>TypeError: {exc}<br> &nbsp;at server.js</pre>".encode())
            return
        self._send(200, json.dumps(answer).encode())

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")  # as express's send() does
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class GuideSampleServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> GuideSampleServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
