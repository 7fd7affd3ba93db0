"""Copy as cURL: the exact method, URL, headers and body of a call, secrets from the environment.

A header whose value is a secret (the auth header, a custom header the target keeps secret, a
value already masked as `***`) is written as `"NAME: $VARIABLE"`, so the command never carries
the secret but works once the variable is set. Content-Length is left to curl.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from app.logic import okta

if TYPE_CHECKING:
    from app.logic.run.history import HistoryEntry
    from app.logic.targets.base import Target

__all__ = ["AUTH_VARIABLE", "curl_command", "curl_for_entry", "curl_for_target", "env_variable"]

AUTH_VARIABLE = "HOOK_AUTH"
_LEFT_TO_CURL = frozenset({"content-length", "host", "connection", "accept-encoding"})
_NOT_NAME = re.compile(r"[^A-Z0-9]+")


def env_variable(header: str, auth_header: str = okta.DEFAULT_AUTH_HEADER) -> str:
    """The variable a secret header's value comes from: HOOK_AUTH for the auth header (and
    Authorization), HOOK_HEADER_<NAME> for any other."""
    lowered = header.lower()
    if lowered in (auth_header.lower(), "authorization"):
        return AUTH_VARIABLE
    return "HOOK_HEADER_" + _NOT_NAME.sub("_", header.upper()).strip("_")


def curl_command(
    url: str,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    *,
    secret_headers: Iterable[str] = (),
    auth_header: str = okta.DEFAULT_AUTH_HEADER,
    timeout_s: float = okta.TIMEOUT_S,
) -> str:
    """A POSIX shell command that repeats the call. `secret_headers` names the headers whose
    values must come from the environment (their values here are never written)."""
    secret = {name.lower() for name in secret_headers}
    variables: list[str] = []
    parts = ["curl", "--silent", "--show-error", "--include", "--request", "POST"]
    parts += ["--max-time", f"{timeout_s:g}", shlex.quote(url)]
    lines = [" ".join(parts)]
    for name, value in headers:
        if name.lower() in _LEFT_TO_CURL:
            continue
        if name.lower() in secret:
            variable = env_variable(name, auth_header)
            scheme = value.partition(" ")[0] if value.endswith(" ***") else ""
            shown = f"{scheme} ${variable}" if scheme.lower() == "bearer" else f"${variable}"
            if variable not in variables:
                variables.append(variable)
            lines.append(f'--header "{_double_quoted(name)}: {shown}"')
        else:
            lines.append(f"--header {shlex.quote(f'{name}: {value}')}")
    text = body.decode("utf-8", errors="replace")
    lines.append(f"--data-binary {shlex.quote(text)}")
    command = " \\\n  ".join(lines)
    if variables:
        listed = ", ".join(f"${v}" for v in variables)
        command = f"# set {listed} first (the secret is not in this command)\n{command}"
    return command


def _double_quoted(text: str) -> str:
    return re.sub(r'(["\\$`])', r"\\\1", text)


def curl_for_target(target: Target, body: bytes) -> str:
    """The call `target` would make with `body`; its secrets come from the environment."""
    secrets = set(target.secrets())
    auth = getattr(target, "auth", None)
    auth_header = getattr(auth, "header_name", None) or okta.DEFAULT_AUTH_HEADER
    headers = target.planned_headers(body)
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
        body,
        secret_headers=secret_names,
        auth_header=auth_header,
        timeout_s=target.timeout_s,
    )


def curl_for_entry(entry: HistoryEntry) -> str:
    """A recorded call as cURL (its secrets were masked when it was recorded)."""
    headers: Sequence[tuple[str, str]] = entry.request_headers
    auth_header = entry.target.get("authHeader") or okta.DEFAULT_AUTH_HEADER
    secret_names = [
        name
        for name, value in headers
        if "***" in value or name.lower() in (auth_header.lower(), "authorization")
    ]
    timeout = entry.target.get("timeoutS") or okta.TIMEOUT_S
    return curl_command(
        entry.url,
        headers,
        entry.request_body,
        secret_headers=secret_names,
        auth_header=auth_header,
        timeout_s=float(timeout),
    )
