"""The exchange record: one request sent to one target, everything that came back, and
Okta's verdict, with every secret value already masked.

A record can be shown, stored in history, diffed and exported without further care: the
real auth values exist only inside the target while it calls.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.logic import okta
from app.logic.answer import FailureKind, HookAnswer

if TYPE_CHECKING:
    from app.logic.redact import Redaction
    from app.logic.validation import Problem
    from app.logic.verdict import Verdict

MASK = "***"
_ALWAYS_MASKED = frozenset({"authorization", "proxy-authorization", "cookie", "x-api-key"})


def mask_value(name: str, value: str, secrets: Iterable[str]) -> str:
    """A header value as it may be shown: a secret replaced by `***` (an auth header's scheme,
    such as `Bearer`, is kept when the value is not itself a configured secret)."""
    secrets = tuple(secrets)
    if value and value in secrets:
        return MASK
    lowered = name.lower()
    if lowered in _ALWAYS_MASKED or lowered == okta.DEFAULT_AUTH_HEADER:
        scheme, sep, _rest = value.partition(" ")
        if sep and scheme.lower() in ("bearer", "basic", "ssws"):
            return f"{scheme} {MASK}"
        return MASK if value else value
    shown = value
    for secret in secrets:
        if secret and secret in shown:
            shown = shown.replace(secret, MASK)
    return shown


def mask_headers(
    headers: Iterable[tuple[str, str]], secrets: Iterable[str], auth_header: str | None = None
) -> tuple[tuple[str, str], ...]:
    secrets = tuple(s for s in secrets if s)
    masked = []
    for name, value in headers:
        if auth_header and name.lower() == auth_header.lower():
            masked.append((name, mask_value("authorization", value, secrets)))
        else:
            masked.append((name, mask_value(name, value, secrets)))
    return tuple(masked)


@dataclass(frozen=True)
class Exchange:
    """One call as it happened. `answer` is None when nothing was sent (`parse_problem` or
    `refusal` says why); `verdict` is None exactly then, or when the call was read back from
    the history, which keeps the verdict as JSON (`recorded_verdict`; `verdict_json()` gives
    either). `label` names the call where two are shown side by side."""

    target: dict[str, Any]
    target_label: str
    url: str
    started_at: str
    request_bytes: bytes
    request_headers: tuple[tuple[str, str], ...]
    request: Any = None
    parse_problem: Problem | None = None
    refusal: str = ""
    answer: HookAnswer | None = None
    log_lines: tuple[str, ...] | None = None
    verdict: Verdict | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    recorded_verdict: dict[str, Any] | None = None
    #: The answer's full size when the stored body was cut short (history keeps a prefix).
    recorded_size: int | None = None
    label: str = ""
    #: Set only on a record that still holds what the hook echoed of a secret (the window's,
    #: which shows the answer as it came): the redaction every writer applies first.
    redaction: Redaction | None = field(default=None, compare=False, repr=False)

    @property
    def sent(self) -> bool:
        return self.answer is not None

    @property
    def cancelled(self) -> bool:
        return self.answer is not None and self.answer.failure is FailureKind.CANCELLED

    @property
    def response_bytes(self) -> bytes:
        return self.answer.body if self.answer is not None else b""

    @property
    def response_size(self) -> int:
        if self.recorded_size is not None:
            return self.recorded_size
        return len(self.response_bytes)

    def verdict_json(self) -> dict[str, Any] | None:
        """The verdict as JSON: made now, or as recorded."""
        if self.verdict is not None:
            return self.verdict.to_json()
        return self.recorded_verdict

    def response_value(self) -> Any:
        """The answer body as JSON when it is JSON, else its text (None when empty)."""
        if not self.response_bytes:
            return None
        from app.logic.jsontext import loads

        try:
            return loads(self.response_bytes)
        except (ValueError, RecursionError):
            return self.response_bytes.decode("utf-8", errors="replace")

    def side_label(self) -> str:
        return self.label or f"{self.target_label} ({self.started_at})"

    def response_text(self) -> str:
        """The answer's body for reading: pretty JSON when it is JSON, else as text."""
        if not self.response_bytes:
            return ""
        from app.logic.jsontext import pretty_or_text

        return pretty_or_text(self.response_bytes)

    def with_masked_answer(self, secrets: Iterable[str], auth_header: str | None) -> Exchange:
        if self.answer is None:
            return self
        sent = mask_headers(self.answer.sent_headers, secrets, auth_header)
        detail = self.answer.failure_detail
        for secret in secrets:
            if secret and secret in detail:
                detail = detail.replace(secret, MASK)
        answer = dataclasses.replace(self.answer, sent_headers=sent, failure_detail=detail)
        return dataclasses.replace(
            self, answer=answer, request_headers=sent or self.request_headers
        )

    def redacted(self, redaction: Redaction | None = None) -> Exchange:
        """This record as every writer writes it: the run's secrets (`redaction`, else the
        one the record carries) taken out of all that came back (the answer, its headers and
        failure text, the log, the verdict and its messages), in any spelling JSON allows.
        The request is the person's own text and stays as it is."""
        redaction = redaction or self.redaction
        if not redaction or not self._echoes(redaction):
            return self if self.redaction is None else dataclasses.replace(self, redaction=None)
        return dataclasses.replace(
            self,
            answer=redaction.value(self.answer),
            log_lines=redaction.value(self.log_lines),
            verdict=redaction.value(self.verdict),
            notes=redaction.value(self.notes),
            redaction=None,
        )

    def _echoes(self, redaction: Redaction) -> bool:
        """Whether anything that came back holds a secret. Everything else in the record (the
        verdict, its messages) is read from these, so when they hold none it holds none: this
        quick look spares a scenario run walking every verdict."""
        answer = self.answer
        if answer is None:
            return False
        texts = [answer.failure_detail, *answer.headers.keys(), *answer.headers.values()]
        texts += [attempt.detail for attempt in answer.attempt_log]
        texts += self.log_lines or ()
        texts += self.notes
        return redaction.found_in(answer.body) or redaction.found_in("\n".join(texts))

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready record (what `send --json` prints and history stores)."""
        answer = self.answer
        return {
            "started_at": self.started_at,
            "target": self.target,
            "url": self.url,
            "notes": list(self.notes),
            "request": {
                "headers": [[name, value] for name, value in self.request_headers],
                "size": len(self.request_bytes),
                "body": self.request_bytes.decode("utf-8", errors="replace"),
            },
            "sent": self.sent,
            "refusal": self.refusal or (self.parse_problem.format() if self.parse_problem else ""),
            "answer": None
            if answer is None
            else {
                "status": answer.status,
                "headers": dict(answer.headers),
                "body": answer.body.decode("utf-8", errors="replace"),
                "elapsed_ms": round(answer.elapsed_ms, 3),
                "attempts": [a.to_json() for a in answer.attempt_log],
                "failure": answer.failure.value if answer.failure else None,
                "failure_detail": answer.failure_detail,
            },
            "log": list(self.log_lines) if self.log_lines is not None else None,
            "verdict": self.verdict.to_json() if self.verdict is not None else None,
        }
