"""One hook call as Okta makes it: the POST, the 3 s budget per attempt, at most one retry,
the OAuth token fetch inside the first attempt, and how each failure is told."""

from __future__ import annotations

import contextlib
import errno
import http.client
import json
import math
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

from app.logic import okta
from app.logic.answer import Attempt, FailureKind, HookAnswer
from app.logic.jsontext import BOM_NOTE, strip_bom
from app.logic.remote.auth import (
    _SLICE_S,
    MAX_BODY_BYTES,
    READ_LIMIT,
    CancelToken,
    HookAuth,
    OAuthClientCredentials,
    RemoteSettings,
    TokenCache,
    basic_auth_value,
    header_problem,
)
from app.logic.remote.policy import _parse_url, _Target
from app.logic.remote.transport import _CURRENT, _Watch, hook_client
from app.logic.text import one_line

# --- one HTTP exchange ------------------------------------------------------------------


@dataclass
class _Exchange:
    """The outcome of one attempt, before it becomes a HookAnswer."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    failure: FailureKind | None = None
    detail: str = ""
    oversize: bool = False
    sent_headers: tuple[tuple[str, str], ...] = ()


def _wire(headers: Iterable[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    # Latin-1, as HTTP/1.1 carries header values (header_problem refused anything else).
    return [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]


def _exchange(
    client: httpx.Client,
    target: _Target,
    headers: list[tuple[str, str]],
    body: bytes,
    watch: _Watch,
    budget: float,
) -> _Exchange:
    """One POST under `watch` (the attempt's deadline and cancel), read to READ_LIMIT bytes.

    `budget` is the whole attempt's time limit, named in a timeout message. The body is read
    raw: a Content-Encoding is reported as the server sent it, never decoded.
    """
    result = _Exchange()
    watch.phase = "connect"
    watch.timed_out_in = None
    response: httpx.Response | None = None
    chunks: list[bytes] = []
    total = 0
    try:
        request = httpx.Request(
            "POST",
            target.url,
            headers=_wire(headers),
            content=body,
            extensions={"timeout": _timeouts(watch)},
        )
        result.sent_headers = tuple(
            (name.decode("latin-1"), value.decode("latin-1")) for name, value in request.headers.raw
        )
        if watch.stopped():
            raise httpx.ConnectError("the call was stopped")
        if watch.remaining() <= 0:
            watch.expired()
            raise httpx.ConnectTimeout("no time left")
        response = client.send(request, stream=True, follow_redirects=False)
        watch.phase = "body"
        result.status = response.status_code
        for name, value in response.headers.multi_items():
            key = name.lower()
            result.headers[key] = (
                f"{result.headers[key]}, {value}" if key in result.headers else value
            )
        # A stub transport's in-memory answer arrives already read; a real one is streamed.
        pieces = [response.content] if response.is_stream_consumed else response.iter_raw()
        for chunk in pieces:
            chunks.append(chunk)
            total += len(chunk)
            if total >= READ_LIMIT:
                break
            if watch.remaining() <= 0:  # a transport that does not keep the deadline itself
                watch.expired()
                raise httpx.ReadTimeout("the attempt's time is up")
        result.body = b"".join(chunks)[:READ_LIMIT]
        if total >= READ_LIMIT:
            result.oversize = True
            result.detail = (
                f"the answer is larger than {MAX_BODY_BYTES // 1024} KB: stopped reading "
                f"after {len(result.body)} bytes"
            )
    except Exception as exc:  # every way a call can fail is reported; none escapes
        result.body = b"".join(chunks)[:READ_LIMIT]
        result.failure, result.detail = _classify(exc, watch, target, budget, result)
    finally:
        if response is not None:
            with contextlib.suppress(Exception):
                response.close()
    return result


def _timeouts(watch: _Watch) -> dict[str, float | None]:
    # httpx's per-operation timeouts, for a transport that does not read the attempt's deadline.
    left = watch.remaining()
    each = None if math.isinf(left) else max(0.001, left)
    return {"connect": each, "read": each, "write": each, "pool": each}


def _chain(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _os_error(exc: BaseException) -> OSError | None:
    for error in _chain(exc):
        if isinstance(error, OSError):
            return error
        behind = getattr(error, "os_error", None)
        if isinstance(behind, OSError):
            return behind
    return None


def _describe_os_error(exc: OSError, target: _Target) -> tuple[FailureKind, str]:
    if isinstance(exc, socket.gaierror):
        return FailureKind.NAME_NOT_RESOLVED, f"the host name '{target.host}' could not be resolved"
    if isinstance(exc, ConnectionRefusedError) or exc.errno == errno.ECONNREFUSED:
        return (
            FailureKind.CONNECTION_REFUSED,
            # The kind already says "connection refused" wherever the two are shown together.
            f"nothing is listening at {target.where}",
        )
    if isinstance(exc, ssl.SSLCertVerificationError):
        why = exc.verify_message or exc.reason or str(exc)
        return (
            FailureKind.TLS,
            f"TLS certificate problem with {target.host}: {why} (trust its CA file, or skip "
            "verification for local development only)",
        )
    if isinstance(exc, ssl.SSLError):
        return FailureKind.TLS, f"TLS handshake with {target.where} failed: {exc.reason or exc}"
    if isinstance(exc, ConnectionResetError | BrokenPipeError | ConnectionAbortedError):
        return FailureKind.DROPPED, f"{target.where} closed the connection before answering"
    text = exc.strerror or str(exc) or type(exc).__name__
    return FailureKind.OTHER, f"network error talking to {target.where}: {text}"


_WAITING = {
    "connect": "a connection",
    "tls": "the TLS handshake",
    "send": "the request to go out",
    "head": "an answer",
    "body": "the rest of the answer",
}


def _mid_answer(target: _Target, partial: _Exchange) -> tuple[FailureKind, str]:
    expected = ""
    length = partial.headers.get("content-length", "")
    if length.isdigit() and "transfer-encoding" not in partial.headers:
        expected = f" of {int(length)}"
    return (
        FailureKind.DROPPED,
        f"{target.where} closed the connection mid-answer after "
        f"{len(partial.body)}{expected} body bytes",
    )


def _timeout_phase(exc: BaseException, phase: str) -> str:
    # A transport that does not report to the watch: the exception says what timed out.
    if phase in ("connect", "tls", "send"):
        if isinstance(exc, httpx.ReadTimeout):
            return "head"
        if isinstance(exc, httpx.WriteTimeout):
            return "send"
    return phase


def _classify(
    exc: BaseException,
    watch: _Watch,
    target: _Target,
    budget: float,
    partial: _Exchange,
) -> tuple[FailureKind, str]:
    """The failure kind and its one-line message. `watch` says whether a cancel or the deadline
    stopped the attempt, and what it was waiting for."""
    if watch.reason is FailureKind.CANCELLED:
        return FailureKind.CANCELLED, "the call was cancelled"
    if watch.timed_out_in is not None or isinstance(exc, httpx.TimeoutException | TimeoutError):
        phase = watch.timed_out_in or _timeout_phase(exc, watch.phase)
        return FailureKind.TIMEOUT, f"timed out after {budget:g} s waiting for {_WAITING[phase]}"
    phase = watch.phase
    if isinstance(exc, httpx.RemoteProtocolError):
        text = str(exc)
        if phase == "body":
            return _mid_answer(target, partial)
        if "without sending a response" in text:
            return FailureKind.DROPPED, f"{target.where} closed the connection without answering"
        if "_SWITCH_UPGRADE" in text:
            return (
                FailureKind.OTHER,
                f"{target.where} answered 101 Switching Protocols to a plain POST (no final "
                "answer came)",
            )
        return FailureKind.OTHER, f"{target.where} did not answer in HTTP: {text:.120}"
    if isinstance(exc, httpx.LocalProtocolError):
        # h11 quotes the offending header value, which may be a secret.
        return FailureKind.OTHER, "a header could not be sent (its name or value is not valid)"
    os_error = _os_error(exc)
    if isinstance(exc, httpx.TransportError):
        if phase == "body":
            return _mid_answer(target, partial)
        if os_error is None:
            text = str(exc) or type(exc).__name__
            return FailureKind.OTHER, f"network error talking to {target.where}: {text:.120}"
        if isinstance(os_error, ssl.SSLError) and phase != "tls":
            return FailureKind.DROPPED, f"{target.where} broke off the TLS connection ({phase})"
        return _describe_os_error(os_error, target)
    if os_error is not None:
        return _describe_os_error(os_error, target)
    return FailureKind.OTHER, f"unexpected error: {type(exc).__name__}: {exc!s:.120}"


def _watch_cancel(cancel: Any, watch: _Watch) -> Callable[[], None]:
    """Fire `watch` when `cancel` is cancelled; returns the function that stops watching.

    A `CancelToken` calls back at once; any other object with a `cancelled` attribute (a
    caller's own flag) is looked at every 20 ms from a small watcher thread.
    """
    if cancel is None:
        return lambda: None
    if isinstance(cancel, CancelToken):
        cancel._watch(watch)
        return lambda: cancel._unwatch(watch)
    finished = threading.Event()

    def poll() -> None:
        while not finished.wait(_SLICE_S):
            if getattr(cancel, "cancelled", False):
                watch.fire(FailureKind.CANCELLED)
                return

    if getattr(cancel, "cancelled", False):
        watch.fire(FailureKind.CANCELLED)
    else:
        threading.Thread(target=poll, name="cancel watch", daemon=True).start()
    return finished.set


# --- OAuth -------------------------------------------------------------------------------


#: A token answer without a usable `expires_in` (absent, not a positive number, NaN) is kept
#: this long (RFC 6749 5.1 makes the field only RECOMMENDED; an hour is what was kept before).
TOKEN_LIFETIME_S = 3600.0
#: And none is kept longer than a day, whatever it claims (infinity included).
MAX_TOKEN_LIFETIME_S = 86400.0


@dataclass
class _TokenResult:
    token: str | None = None
    expires_in: float = 0.0
    failure: FailureKind | None = None
    detail: str = ""
    retry: bool = False  # a failure Okta's one retry is for (timeout, network, 3xx, 5xx)


def _fetch_token(
    creds: OAuthClientCredentials, client: httpx.Client, watch: _Watch, budget: float
) -> _TokenResult:
    """A client_credentials grant, through the hook's client and inside the attempt's budget."""
    try:
        target = _parse_url(creds.token_url)
    except ValueError as exc:
        return _TokenResult(failure=FailureKind.OTHER, detail=f"OAuth token URL: {exc}")
    form = {"grant_type": "client_credentials"}
    if creds.scope:
        form["scope"] = creds.scope
    body = urllib.parse.urlencode(form).encode("ascii")
    # RFC 6749 2.3.1: id and secret are form-encoded before going into the Basic header.
    basic = basic_auth_value(
        urllib.parse.quote_plus(creds.client_id), urllib.parse.quote_plus(creds.client_secret)
    )
    headers = [
        ("Host", target.host_header),
        ("Accept", "application/json"),
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("Authorization", basic),
        ("Content-Length", str(len(body))),
        ("Connection", "close"),
    ]
    got = _exchange(client, target, headers, body, watch, budget)
    if got.failure is not None:
        return _TokenResult(
            failure=got.failure,
            detail=f"OAuth token request: {got.detail}",
            retry=got.failure in _RETRIED,
        )
    try:
        value = json.loads(got.body)
    except ValueError:
        value = None
    if got.status != 200 or not isinstance(value, dict):
        reason = ""
        if isinstance(value, dict):
            reason = str(value.get("error_description") or value.get("error") or "")
        shown = reason or got.body[:80].decode("utf-8", "replace")
        return _TokenResult(
            failure=FailureKind.OTHER,
            detail=f"OAuth token request: HTTP {got.status}: {shown}",
            retry=got.status is not None and got.status >= 500,
        )
    token = value.get("access_token")
    if not isinstance(token, str) or not token:
        return _TokenResult(
            failure=FailureKind.OTHER, detail="OAuth token request: the answer has no access_token"
        )
    expires_in = value.get("expires_in", TOKEN_LIFETIME_S)
    # Compared, never converted first: NaN compares false (and would be cached for ever), and
    # an integer of 400 digits cannot become a float.
    if (
        isinstance(expires_in, bool)
        or not isinstance(expires_in, int | float)
        or not (expires_in > 0)
    ):
        expires_in = TOKEN_LIFETIME_S
    return _TokenResult(token=token, expires_in=float(min(expires_in, MAX_TOKEN_LIFETIME_S)))


# --- the call ----------------------------------------------------------------------------

_DEFAULT_CACHE = TokenCache()


def call_hook(
    url: str,
    body: bytes,
    auth: HookAuth,
    settings: RemoteSettings | None = None,
    cancel: CancelToken | Any | None = None,
    token_cache: TokenCache | None = None,
    *,
    client: httpx.Client | None = None,
) -> HookAnswer:
    """POST `body` to `url` as Okta would and return what came back. Blocking; never raises.

    Each attempt has `settings.timeout_s` in total (DNS, connect, TLS, send, the status line,
    the headers and the whole body; an OAuth token fetch counts inside the first). One retry
    after a timeout, a failed connection, a dropped answer, a 3xx or a 5xx; none after a 2xx or
    a 4xx (Okta exempts only those), and redirects are never followed. A leading UTF-8
    byte-order mark is not sent.

    `client` is the HTTP client to use (tests inject one; a run of many calls passes one kept
    alive, `hook_client(settings, keep_alive=True)`); without it the call builds one from
    `settings`, says `Connection: close` and closes it. An injected client keeps its own TLS
    settings and decides itself whether a connection is reused; only a client over
    `HookTransport` can enforce the attempt's deadline on every socket operation (a reused
    connection's too) and abort a blocked read on cancel.
    """
    settings = settings or RemoteSettings()
    cache = token_cache if token_cache is not None else _DEFAULT_CACHE
    started = time.perf_counter()

    def ms_since(moment: float) -> float:
        return (time.perf_counter() - moment) * 1000.0

    try:
        target = _parse_url(url)
    except ValueError as exc:
        return HookAnswer.failed(FailureKind.OTHER, f"cannot call this URL: {exc}", 0.0, url=url)
    problems = auth.problems()
    if problems:
        return HookAnswer.failed(FailureKind.OTHER, problems[0], 0.0, url=url)
    body, had_bom = strip_bom(body)

    headers = [
        ("Host", target.host_header),
        *okta.REQUEST_HEADERS,
        ("Content-Length", str(len(body))),
    ]
    if auth.oauth is None and auth.header_value:
        headers.append((auth.header_name or okta.DEFAULT_AUTH_HEADER, auth.header_value))
    headers.extend(auth.extra_headers)
    own_client = client is None
    # One call, one connection: say so. An injected client may keep its connection for the next.
    last = [("Connection", "close")] if own_client else []
    session = client if client is not None else hook_client(settings)
    attempts_allowed = okta.MAX_ATTEMPTS if settings.retry else 1
    log: list[Attempt] = []
    got = _Exchange()
    sent: tuple[tuple[str, str], ...] = ()
    attempt_started = started
    try:
        while len(log) < attempts_allowed:
            number = len(log) + 1
            budget = settings.timeout_s
            attempt_started = time.perf_counter()
            watch = _Watch(budget)
            context = _CURRENT.set(watch)
            unwatch = _watch_cancel(cancel, watch)
            retry = False
            try:
                sent_headers, got, retry = _attempt(
                    session, target, headers, last, body, auth, cache, watch, budget
                )
            finally:
                unwatch()
                _CURRENT.reset(context)
            sent = sent_headers or sent
            log.append(
                Attempt(
                    number=number,
                    started_ms=(attempt_started - started) * 1000.0,
                    duration_ms=ms_since(attempt_started),
                    status=got.status,
                    failure=got.failure,
                    detail=got.detail,
                )
            )
            if not retry or getattr(cancel, "cancelled", False):
                break
    finally:
        if own_client:
            session.close()

    attempts = len(log)
    detail = got.detail
    if attempts > 1 and detail:
        detail = f"{detail} (after a retry)"
    elif attempts > 1 and got.status is not None and got.status >= 300:
        detail = f"HTTP {got.status} again after a retry"
    if had_bom:
        detail = f"{detail}; {BOM_NOTE}" if detail else BOM_NOTE
    return HookAnswer(
        status=got.status,
        headers=got.headers,
        body=got.body,
        elapsed_ms=ms_since(started),
        failure=got.failure,
        failure_detail=detail,
        attempts=attempts,
        url=url,
        attempt_ms=log[-1].duration_ms if log else None,
        attempt_log=tuple(log),
        sent_headers=sent,
    )


def _attempt(
    client: httpx.Client,
    target: _Target,
    headers: list[tuple[str, str]],
    last: list[tuple[str, str]],
    body: bytes,
    auth: HookAuth,
    cache: TokenCache,
    watch: _Watch,
    budget: float,
) -> tuple[tuple[tuple[str, str], ...], _Exchange, bool]:
    """One attempt (token fetch included): (headers sent to the hook, outcome, retry it?).
    `last` goes after every other header (the OAuth token's too)."""
    sent_headers = [*headers, *last]
    if auth.oauth is not None:
        token = cache.get(auth.oauth)
        if token is None:
            fetched = _fetch_token(auth.oauth, client, watch, budget)
            if fetched.token is None:
                failed = _Exchange(failure=fetched.failure, detail=fetched.detail)
                return (), failed, fetched.retry
            token = fetched.token
            if header_problem("Authorization", f"Bearer {token}") is not None:
                # Never repeat the token: it is a secret even when it is malformed.
                failed = _Exchange(
                    failure=FailureKind.OTHER,
                    detail="the token endpoint's access_token cannot be sent in a header "
                    "(it has a line break or control character)",
                )
                return (), failed, False
            cache.put(auth.oauth, token, fetched.expires_in)
        sent_headers = [*headers, ("Authorization", f"Bearer {token}"), *last]
        if watch.remaining() <= 0 and not watch.stopped():
            failed = _Exchange(
                failure=FailureKind.TIMEOUT,
                detail=f"timed out after {budget:g} s (the OAuth token fetch used it all)",
            )
            return (), failed, True
    got = _exchange(client, target, sent_headers, body, watch, budget)
    return got.sent_headers, got, _should_retry(got)


_RETRIED = frozenset(
    {
        FailureKind.TIMEOUT,
        FailureKind.CONNECTION_REFUSED,
        FailureKind.NAME_NOT_RESOLVED,
        FailureKind.DROPPED,
        FailureKind.OTHER,
    }
)


def _should_retry(got: _Exchange) -> bool:
    """Okta "attempts at most one retry. A request isn't retried if the external service
    endpoint responds with a 2xx HTTP success code or a 4xx HTTP error code. If the external
    service endpoint responds with a redirect, it isn't followed." (okta-developer-docs
    concepts/inline-hooks/index.md, "Time out and retry", at 468de9c511): so a 3xx, not
    followed, is retried like a 5xx."""
    if got.failure is not None:
        return got.failure in _RETRIED
    if got.status is None:
        return False
    return not (200 <= got.status < 300 or 400 <= got.status < 500)


def describe_answer(answer: HookAnswer, *, show_headers: Iterable[str] = ()) -> str:
    """A few lines on what came back: status or failure, timing, size, attempts.

    Every value from the other side (a header, a token endpoint's error text) is kept to its
    line: a line feed in it could otherwise print a line of its own, such as a false status."""
    lines: list[str] = []
    tries = f", {answer.attempts} attempts" if answer.attempts > 1 else ""
    timing = f"{answer.elapsed_ms:.0f} ms{tries}"
    if answer.status is not None:
        reason = http.client.responses.get(answer.status, "")
        lines.append(f"HTTP {answer.status} {reason}".rstrip() + f" in {timing}")
        if answer.content_type:
            lines.append(f"Content-Type: {one_line(answer.content_type)}")
        encoding = answer.headers.get("content-encoding")
        if encoding and encoding.lower() != "identity":
            lines.append(
                f"Content-Encoding: {one_line(encoding)} (the body is shown as sent, not decoded)"
            )
        if answer.location is not None:
            lines.append(
                f"Location: {one_line(answer.location)} (not followed: Okta never follows)"
            )
        for name in show_headers:
            if name.lower() in answer.headers:
                lines.append(f"{one_line(name)}: {one_line(answer.headers[name.lower()])}")
        lines.append(f"body: {len(answer.body)} bytes")
    if answer.failure is not None:
        lines.append(
            f"FAILED ({answer.failure.value}) in {timing}: {one_line(answer.failure_detail)}"
        )
    elif answer.failure_detail:
        lines.append(f"note: {one_line(answer.failure_detail)}")
    return "\n".join(lines)
