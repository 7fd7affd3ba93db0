"""Calling a live hook URL the way Okta does: one POST, a 3 s budget, at most one retry.

httpx makes the HTTP exchange (h11 underneath, so 1xx interim answers are skipped). httpx's own
timeouts apply to one socket operation each; Okta's 3 s covers a whole attempt. So the client
built here (`hook_client`, over `HookTransport`) runs on this module's network backend, which
gives every DNS wait, connect, TLS handshake, send and read only what is left of the attempt's
budget, and shuts the attempt's socket at once when the call is cancelled from another thread.

The HTTP client is injected (`call_hook(..., client=...)`); without one, each call builds its
own from its `RemoteSettings` and closes it. Nothing here is a module-level client.

The package: `auth` (who Okta says it is, settings, cancel, token cache), `policy` (what URL
can be called), `transport` (the deadline-keeping network under httpx), `call` (`call_hook`).
"""

from __future__ import annotations

from app.logic.remote.auth import (
    MAX_BODY_BYTES,
    MAX_URL_LENGTH,
    OKTA_TIMEOUT_S,
    READ_LIMIT,
    CancelToken,
    HookAuth,
    OAuthClientCredentials,
    RemoteSettings,
    TokenCache,
    basic_auth_value,
    header_problem,
    parse_header,
)
from app.logic.remote.call import (
    call_hook,
    describe_answer,
)
from app.logic.remote.policy import (
    check_url,
    url_notes,
)
from app.logic.remote.transport import (
    HookBackend,
    HookTransport,
    Resolver,
    hook_client,
)

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_URL_LENGTH",
    "OKTA_TIMEOUT_S",
    "READ_LIMIT",
    "CancelToken",
    "HookAuth",
    "HookBackend",
    "HookTransport",
    "OAuthClientCredentials",
    "RemoteSettings",
    "Resolver",
    "TokenCache",
    "basic_auth_value",
    "call_hook",
    "check_url",
    "describe_answer",
    "header_problem",
    "hook_client",
    "parse_header",
    "url_notes",
]
