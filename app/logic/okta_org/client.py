"""The HTTP side of talking to an org's management API: auth, errors, rate limits, pages.

One `OrgClient` per org and credential, over an injected or its own `httpx.Client`. Every
answer is read with a size cap; Okta's error bodies (`errorCode`, `errorSummary`,
`errorCauses`) become one line; a 429 waits for `X-Rate-Limit-Reset` (said through
`on_wait`, cancellable) and goes on; pages follow `Link: <...>; rel="next"` only to the org's
own origin and path, so a next link elsewhere never receives the token.

Proxies and CA bundles come from the environment (`HTTPS_PROXY`, `NO_PROXY`, `SSL_CERT_FILE`,
as httpx reads them), plus an optional CA file; a loopback org (a local stand-in) is reached
directly, never through a proxy.
"""

from __future__ import annotations

import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Generator
from typing import Any, NamedTuple

# httpx imports its own command line (click, rich, pygments) whenever those are installed,
# about a third of its import time; a library use never needs it, and httpx's __init__ falls
# back to a stub when the module cannot be imported.
if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

import httpx

from app.logic.okta_org.config import PRIVATE_KEY, SCOPE_FOR, SSWS, OrgConfig
from app.logic.text import one_line

__all__ = [
    "MAX_ANSWER_BYTES",
    "MAX_PAGES",
    "OrgApiError",
    "OrgClient",
    "OrgReply",
]

#: The biggest answer read from the org: a page of 200 users is well under a megabyte.
MAX_ANSWER_BYTES = 16 * 1024 * 1024
#: The most pages one listing follows (an endless `Link` chain stops here).
MAX_PAGES = 500
#: The longest one wait for a rate limit to reset (Okta's windows are one minute).
MAX_RATE_WAIT_S = 90.0
#: How many 429s in a row one call sits out before giving up.
MAX_RATE_WAITS = 3
#: Per socket operation; the org is a web service, not a hook with Okta's 3 s budget.
TIMEOUT = httpx.Timeout(15.0, connect=10.0)
USER_AGENT = "reghook-preview"

#: Admin roles that can do each operation with an API token (a token acts with the role of
#: the admin who made it).
ROLE_FOR = {
    "users": "an admin role that can view users (Read-only Administrator or above)",
    "schema": "an admin role that can view the user profile schema",
    "hooks": "an admin role that can view inline hooks",
    "preview": "an admin role that can manage inline hooks (a Super Administrator can)",
    "calls": "an admin role that can read the System Log (Read-only Administrator or above)",
}


class OrgApiError(Exception):
    """A call to the org that did not give what was asked; the message is one line."""

    def __init__(self, message: str, *, status: int | None = None, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class Cancelled(OrgApiError):
    """The person stopped the call."""

    def __init__(self) -> None:
        super().__init__("stopped")


class OrgReply(NamedTuple):
    """One answer from the org, read whole (within the cap)."""

    status: int
    headers: httpx.Headers
    body: bytes
    url: str

    def json(self) -> Any:
        from app.logic import jsontext

        try:
            return jsontext.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise OrgApiError(
                f"the org's answer to {_path_of(self.url)} is not JSON "
                f"({len(self.body)} bytes, HTTP {self.status})",
                status=self.status,
            ) from None


def _path_of(url: str) -> str:
    return urllib.parse.urlsplit(url).path or "/"


def _short(text: str, limit: int = 300) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def error_line(status: int, body: bytes, operation: str, mode: str = SSWS) -> str:
    """Okta's error body as one line a person can act on."""
    from app.logic import jsontext

    summary: str = ""
    code: str = ""
    causes: list[str] = []
    try:
        value = jsontext.loads(body.decode("utf-8")) if body else None
    except (ValueError, UnicodeDecodeError, RecursionError):
        value = None
    if isinstance(value, dict):
        summary = _string(value.get("errorSummary"))
        code = _string(value.get("errorCode"))
        if not summary and isinstance(value.get("error_description"), str):
            summary = value["error_description"]  # the OAuth token endpoint's shape
            code = str(value.get("error", ""))
        listed = value.get("errorCauses")
        for cause in listed if isinstance(listed, list) else []:
            if isinstance(cause, dict) and isinstance(cause.get("errorSummary"), str):
                causes.append(cause["errorSummary"])
    said = summary + (f" ({code})" if code else "")
    if causes:
        said += ": " + "; ".join(causes[:5])
    said = _short(said) if said else f"HTTP {status}"
    if operation == "token":  # the OAuth token endpoint, asked with the signed assertion
        return (
            f"the org's token endpoint refused the service app (HTTP {status}): check its "
            f"client id, its public key and the scopes granted to it — Okta said: {said}"
        )
    if status == 401:
        what = "the API token" if mode == SSWS else "the service app's access token"
        return f"the org refused {what}: it is invalid, expired or revoked — Okta said: {said}"
    if status == 403:
        if mode == PRIVATE_KEY:
            need = f"the scope {SCOPE_FOR.get(operation, '?')} granted to the service app"
            need += " and an admin role assigned to it"
        else:
            need = ROLE_FOR.get(operation, "an admin role that allows this")
            need = f"the token's admin to have {need}"
        return f"the org does not allow this: it needs {need} — Okta said: {said}"
    if status == 404:
        return f"the org has no such thing — Okta said: {said}"
    return f"the org answered HTTP {status} — Okta said: {said}"


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _same_origin(url: str, origin: str) -> bool:
    parts, base = urllib.parse.urlsplit(url), urllib.parse.urlsplit(origin)
    try:
        return (
            parts.scheme.lower() == base.scheme.lower()
            and (parts.hostname or "").lower() == (base.hostname or "").lower()
            and (parts.port or None) == (base.port or None)
        )
    except ValueError:
        return False


class OrgClient:
    """Calls one org's management API with one credential.

    `http`: an httpx client to use (tests inject one); without it one is built and closed by
    `close()`. `on_wait(seconds, message)` is told about each rate-limit wait; `cancelled()`
    is polled during waits and between pages. Thread-safe for one call at a time per thread.
    """

    def __init__(
        self,
        config: OrgConfig,
        *,
        http: httpx.Client | None = None,
        on_wait: Callable[[float, str], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        problem = config.problem()
        if problem:
            raise OrgApiError(problem)
        self.config = config
        self._own_http = http is None
        self._http = http or self._build_http(config)
        self.on_wait = on_wait
        self._clock = clock
        self._token_lock = threading.Lock()
        self._access_token: tuple[str, float] | None = None  # (token, expires at)

    @staticmethod
    def _build_http(config: OrgConfig) -> httpx.Client:
        verify: Any = True
        if config.org_url.startswith("http://"):
            # A loopback stand-in over plain HTTP: no TLS, so no need to load the system's CA
            # certificates (tens of milliseconds).
            verify = False
        elif config.ca_file:
            import ssl

            verify = ssl.create_default_context(cafile=config.ca_file)
        # A loopback stand-in is never reached through a proxy; a real org honours
        # HTTPS_PROXY / NO_PROXY / SSL_CERT_FILE as httpx reads them.
        return httpx.Client(
            timeout=TIMEOUT,
            follow_redirects=False,
            trust_env=not config.is_loopback,
            verify=verify,
            headers={"User-Agent": USER_AGENT},
        )

    def close(self) -> None:
        if self._own_http:
            self._http.close()

    def __enter__(self) -> OrgClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- auth -----------------------------------------------------------------------------

    def _authorization(self) -> str:
        if self.config.mode != PRIVATE_KEY:
            return f"SSWS {self.config.token}"
        with self._token_lock:
            now = self._clock()
            if self._access_token is None or self._access_token[1] <= now + 30:
                from app.logic.okta_org.oauth import fetch_access_token

                token, lifetime = fetch_access_token(self._http, self.config, now=now)
                self._access_token = (token, now + lifetime)
            return f"Bearer {self._access_token[0]}"

    # --- one call -------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        operation: str,
        params: dict[str, str] | None = None,
        content: bytes | None = None,
        cancelled: Callable[[], bool] | None = None,
        limit: int | None = None,
    ) -> OrgReply:
        """One call, rate limits sat out; OrgApiError for anything but a 2xx."""
        url = path_or_url if "://" in path_or_url else self.config.org_url + path_or_url
        limit = MAX_ANSWER_BYTES if limit is None else limit
        if not _same_origin(url, self.config.org_url):
            raise OrgApiError(f"not calling {_short(url, 120)}: it is not the org's address")
        headers = {"Accept": "application/json"}
        if content is not None:
            headers["Content-Type"] = "application/json"
        for waits in range(MAX_RATE_WAITS + 1):
            if cancelled is not None and cancelled():
                raise Cancelled()
            headers["Authorization"] = self._authorization()
            reply = self._send(method, url, params, content, headers, limit, operation)
            if reply.status == 429 and waits < MAX_RATE_WAITS:
                self._wait_for_reset(reply, cancelled)
                continue
            if reply.status == 401 and self.config.mode == PRIVATE_KEY and waits == 0:
                with self._token_lock:
                    self._access_token = None  # expired early: one fresh token, then give up
                continue
            if not 200 <= reply.status < 300:
                raise OrgApiError(
                    error_line(reply.status, reply.body, operation, self.config.mode),
                    status=reply.status,
                    code=_error_code(reply.body),
                )
            return reply
        raise OrgApiError("the org kept answering 429 (rate limit); try again in a minute")

    def _send(
        self,
        method: str,
        url: str,
        params: dict[str, str] | None,
        content: bytes | None,
        headers: dict[str, str],
        limit: int,
        operation: str,
    ) -> OrgReply:
        try:
            with self._http.stream(
                method, url, params=params, content=content, headers=headers
            ) as response:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > limit:
                        raise OrgApiError(
                            f"the org's answer to {_path_of(url)} is larger than "
                            f"{limit // (1024 * 1024)} MB; stopped reading it",
                            status=response.status_code,
                        )
                return OrgReply(
                    response.status_code, response.headers, bytes(body), str(response.url)
                )
        except httpx.TimeoutException:
            raise OrgApiError(f"the org did not answer in time ({_path_of(url)})") from None
        except httpx.ProxyError as exc:
            raise OrgApiError(f"the proxy refused the call: {_short(str(exc), 160)}") from None
        except httpx.ConnectError as exc:
            why = _short(str(exc) or "connection failed", 160)
            raise OrgApiError(f"cannot reach {self.config.org_url}: {why}") from None
        except httpx.HTTPError as exc:
            raise OrgApiError(
                f"the call to {_path_of(url)} failed: {_short(str(exc) or type(exc).__name__, 160)}"
            ) from None

    def _wait_for_reset(self, reply: OrgReply, cancelled: Callable[[], bool] | None) -> None:
        """Sit out a 429 until `X-Rate-Limit-Reset` (epoch seconds, read against the answer's
        own `Date` so a wrong local clock does not matter), at most MAX_RATE_WAIT_S."""
        now = self._clock()
        server_now = now
        date = reply.headers.get("date")
        if date:
            import email.utils

            try:
                server_now = email.utils.parsedate_to_datetime(date).timestamp()
            except (TypeError, ValueError, IndexError, OverflowError):
                server_now = now
        try:
            reset = float(reply.headers.get("x-rate-limit-reset", ""))
            seconds = reset - server_now
        except ValueError:
            seconds = 5.0
        seconds = min(max(seconds, 1.0), MAX_RATE_WAIT_S)
        if cancelled is not None and cancelled():
            # Stopped while the call was out: no wait is announced (the window would show a
            # message about a search or reading nobody is waiting for any more).
            raise Cancelled()
        if self.on_wait is not None:
            self.on_wait(seconds, f"the org's rate limit is reached; going on in {seconds:.0f} s")
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if cancelled is not None and cancelled():
                raise Cancelled()
            time.sleep(min(left, 0.05))

    # --- listings -------------------------------------------------------------------------

    def pages(
        self,
        path: str,
        *,
        operation: str,
        params: dict[str, str] | None = None,
        cancelled: Callable[[], bool] | None = None,
        max_pages: int = MAX_PAGES,
        notes: list[str] | None = None,
    ) -> Generator[list[Any], None, None]:
        """Each page of a listing (a JSON array), first page first, following `rel="next"`
        within the org's origin and this path. A next link elsewhere, a link seen before, or
        more than `max_pages` pages stop the listing with a note in `notes`."""
        url = self.config.org_url + path
        seen: set[str] = set()
        page_params = params
        for number in range(max_pages):
            reply = self.request(
                "GET", url, operation=operation, params=page_params, cancelled=cancelled
            )
            value = reply.json()
            if not isinstance(value, list):
                raise OrgApiError(
                    f"the org's answer to {path} is not a list (got {type(value).__name__})"
                )
            yield value
            following = _next_link(reply)
            if not following:
                return
            following = urllib.parse.urljoin(reply.url, following)
            stop = ""
            if not _same_origin(following, self.config.org_url):
                host = urllib.parse.urlsplit(following).hostname or "?"
                stop = (
                    f"the org's next-page link points at another address ({_short(host, 80)}); "
                    "not followed, so your credential stays with the org"
                )
            elif _path_of(following) != path:
                stop = f"the org's next-page link leaves {path}; not followed"
            elif following in seen:
                stop = "the org's next-page link repeats an earlier page; stopped"
            elif number + 1 >= max_pages:
                stop = f"stopped after {max_pages} pages"
            if stop:
                if notes is not None:
                    notes.append(stop)
                return
            seen.add(following)
            url, page_params = following, None


def _next_link(reply: OrgReply) -> str:
    for value in reply.headers.get_list("link"):
        for part in _split_links(value):
            url, _, attrs = part.partition(";")
            url = url.strip()
            if not (url.startswith("<") and url.endswith(">")):
                continue
            rels = [
                attr.split("=", 1)[1].strip().strip('"')
                for attr in attrs.split(";")
                if "=" in attr and attr.split("=", 1)[0].strip().lower() == "rel"
            ]
            if any("next" in rel.split() for rel in rels):
                return url[1:-1]
    return ""


def _split_links(value: str) -> list[str]:
    """A Link header's entries (commas inside <...> kept)."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(value):
        if char == "<":
            depth += 1
        elif char == ">":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            parts.append(value[start:index])
            start = index + 1
    parts.append(value[start:])
    return [part.strip() for part in parts if part.strip()]


def _error_code(body: bytes) -> str:
    from app.logic import jsontext

    try:
        value = jsontext.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return ""
    code = value.get("errorCode") if isinstance(value, dict) else None
    return code if isinstance(code, str) else ""
