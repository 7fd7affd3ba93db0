"""Copy as cURL: the exact method, URL, headers and body of a call, secrets from the environment.

The command does the one call and nothing more, in any POSIX shell:

- `--disable` (first, so no `.curlrc` adds options), `--globoff` (so `{a,b}` and `[1-25]` in the
  URL are not globbing patterns that would make several calls), `--proto =http,https`, and the
  URL after `--url` (never read as an option);
- the body goes through `printf '%s' '...' | curl --data-binary @-`: single-quoted, so the shell
  expands nothing in it, and read from standard input, so a body starting with `@` is sent as
  it is instead of naming a file to upload. `printf` is a shell builtin, so a large body is not
  limited by the length of a command line, and, unlike a here-document, adds no line feed;
- a header whose value is a secret (the auth header, a custom header the target keeps secret, a
  value already masked as `***`) reads `"NAME: ${VARIABLE:?...}"`: the command never carries the
  secret, and it stops with one line, sending nothing, when the variable is not set.

Only a request that is JSON (UTF-8) is written: Okta sends nothing else. Content-Length is left
to curl.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from app.logic import okta

if TYPE_CHECKING:
    from app.logic.run.exchange import Exchange
    from app.logic.run.history import HistoryEntry
    from app.logic.targets.base import Target

__all__ = [
    "AUTH_VARIABLE",
    "CurlRefused",
    "curl_command",
    "curl_for_entry",
    "curl_for_exchange",
    "curl_for_target",
    "env_variable",
    "json_body",
    "shell_command",
]

AUTH_VARIABLE = "HOOK_AUTH"
_LEFT_TO_CURL = frozenset({"content-length", "host", "connection", "accept-encoding"})
_NOT_NAME = re.compile(r"[^A-Z0-9]+")
#: Options every command starts with; `--disable` only works as the very first one.
_SAFE_START = ("curl", "--disable", "--globoff", "--proto", "=http,https")


class CurlRefused(ValueError):
    """The call cannot be written as a command; the message says why in one line."""


def env_variable(header: str, auth_header: str = okta.DEFAULT_AUTH_HEADER) -> str:
    """The variable a secret header's value comes from: HOOK_AUTH for the auth header (and
    Authorization), HOOK_HEADER_<NAME> for any other."""
    lowered = header.lower()
    if lowered in (auth_header.lower(), "authorization"):
        return AUTH_VARIABLE
    return "HOOK_HEADER_" + _NOT_NAME.sub("_", header.upper()).strip("_")


def required(variable: str, what: str) -> str:
    """`${VARIABLE:?...}`: the variable's value, or the shell stops with `what` as the reason."""
    # Inside the expansion quotes, `}`, `$` and backquotes would end or change it (bash reads
    # quotes in it even between double quotes).
    reason = re.sub(r"""[}"'$`\\]""", "", what)
    return f"${{{variable}:?set {variable} to {reason}}}"


def json_body(body: bytes | str) -> str:
    """The request as text when it is JSON in UTF-8 (a leading byte-order mark dropped, as the
    call drops it); CurlRefused otherwise."""
    from app.logic.jsontext import strip_bom
    from app.logic.validation import parse_json

    raw = body.encode("utf-8", errors="surrogatepass") if isinstance(body, str) else body
    raw, _had_bom = strip_bom(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CurlRefused(
            f"the request is not UTF-8 text (byte {exc.start}); Okta sends only JSON"
        ) from None
    _value, problem = parse_json(text)
    if problem is not None:
        where = f"line {problem.line}, column {problem.column}"
        raise CurlRefused(f"the request is not JSON ({where}: {problem.message})")
    return text


def shell_command(
    options: Sequence[str], url_word: str, header_words: Sequence[str], body_text: str
) -> str:
    """`printf '%s' BODY | curl SAFE-OPTIONS OPTIONS --url URL HEADERS --data-binary @-`, one
    option per line. `url_word` and `header_words` are already quoted for the shell."""
    lines = [" ".join(_SAFE_START), " ".join(options), f"--url {url_word}"]
    lines += [f"--header {word}" for word in header_words]
    lines.append("--data-binary @-")
    return f"printf '%s' {shlex.quote(body_text)} |\n  " + " \\\n  ".join(lines)


def curl_command(
    url: str,
    headers: Iterable[tuple[str, str]],
    body: bytes | str,
    *,
    secret_headers: Iterable[str] = (),
    auth_header: str = okta.DEFAULT_AUTH_HEADER,
    timeout_s: float = okta.TIMEOUT_S,
    notes: Sequence[str] = (),
) -> str:
    """A POSIX shell command that repeats the call. `secret_headers` names the headers whose
    values must come from the environment (their values here are never written). `notes` are
    comment lines put first. CurlRefused when the body is not JSON."""
    text = json_body(body)
    secret = {name.lower() for name in secret_headers}
    variables: list[str] = []
    words: list[str] = []
    for name, value in headers:
        if name.lower() in _LEFT_TO_CURL:
            continue
        if name.lower() in secret:
            variable = env_variable(name, auth_header)
            scheme = value.partition(" ")[0] if value.endswith(" ***") else ""
            what = "auth header of the hook" if variable == AUTH_VARIABLE else f"{name} header"
            shown = required(variable, f"the value of the {what}")
            if scheme.lower() == "bearer":
                shown = f"Bearer {required(variable, 'an OAuth access token for the hook')}"
            if variable not in variables:
                variables.append(variable)
            words.append(f'"{_double_quoted(name)}: {shown}"')
        elif value:
            words.append(shlex.quote(f"{name}: {value}"))
        else:
            # `Name:` would make curl drop the header; `Name;` sends it empty.
            words.append(shlex.quote(f"{name};"))
    options = ["--silent", "--show-error", "--include", "--request", "POST"]
    options += ["--max-time", f"{timeout_s:g}"]
    command = shell_command(options, shlex.quote(url), words, text)
    comments = [f"# {note}" for note in notes]
    if variables:
        listed = ", ".join(f"${v}" for v in variables)
        comments.append(f"# set {listed} first (the secret is not in this command)")
    return "\n".join([*comments, command])


def _double_quoted(text: str) -> str:
    return re.sub(r'(["\\$`])', r"\\\1", text)


def _serve_address(endpoint: str) -> tuple[str, str]:
    """Where `reghook serve` answers a bundled endpoint, and the note that says to start it."""
    from app.logic.service import DEFAULT_PASSWORD, DEFAULT_PORT, DEFAULT_USER

    url = f"http://127.0.0.1:{DEFAULT_PORT}{endpoint}"
    note = (
        f"the bundled endpoint runs on `reghook serve`: start it first; with the guide's "
        f'credentials, HOOK_AUTH="Basic $(printf %s {DEFAULT_USER}:{DEFAULT_PASSWORD} | base64)"'
    )
    return url, note


def curl_for_target(target: Target, body: bytes | str) -> str:
    """The call `target` would make with `body`; its secrets come from the environment. A
    bundled target is called where `reghook serve` runs it, with its Basic auth."""
    if target.kind != "bundled":
        return _curl_for_call(target, body, [])
    from app.logic.remote import HookAuth
    from app.logic.targets import UrlTarget

    address, note = _serve_address(str(target.describe().get("endpoint", "")))
    # The value is a stand-in: the auth header is always read from $HOOK_AUTH.
    served = UrlTarget(address, HookAuth(header_value="Basic ***"))
    return _curl_for_call(served, body, [note])


def _curl_for_call(target: Any, body: bytes | str, notes: list[str]) -> str:
    secrets = set(target.secrets())
    auth = getattr(target, "auth", None)
    auth_header = getattr(auth, "header_name", None) or okta.DEFAULT_AUTH_HEADER
    raw = body.encode("utf-8", errors="surrogatepass") if isinstance(body, str) else body
    headers = target.planned_headers(raw)
    secret_names = [
        name
        for name, value in headers
        if (value and value in secrets)
        or name.lower() in (auth_header.lower(), "authorization")
        or "***" in value
    ]
    return curl_command(
        target.url,
        headers,
        raw,
        secret_headers=secret_names,
        auth_header=auth_header,
        timeout_s=target.timeout_s,
        notes=notes,
    )


def curl_for_exchange(exchange: Exchange) -> str:
    """A call as it was made, as cURL (live or read back from the history: its secrets were
    masked when it was recorded)."""
    headers: Sequence[tuple[str, str]] = exchange.request_headers
    target = exchange.target
    # A row recorded before JSON keys were all snake_case spells them authHeader, timeoutS.
    auth_header = target.get("auth_header") or target.get("authHeader") or okta.DEFAULT_AUTH_HEADER
    url = exchange.url
    notes: list[str] = []
    if target.get("kind") == "bundled":
        url, note = _serve_address(str(target.get("endpoint", "")))
        notes.append(note)
        headers = [*headers, (auth_header, "***")]
    secret_names = [
        name
        for name, value in headers
        if "***" in value or name.lower() in (auth_header.lower(), "authorization")
    ]
    timeout = target.get("timeout_s") or target.get("timeoutS") or okta.TIMEOUT_S
    return curl_command(
        url,
        headers,
        exchange.request_bytes,
        secret_headers=secret_names,
        auth_header=auth_header,
        timeout_s=float(timeout),
        notes=notes,
    )


def curl_for_entry(entry: HistoryEntry) -> str:
    """A recorded call as cURL: `curl_for_exchange` on the call read back."""
    return curl_for_exchange(entry.exchange)
