"""What came back from a hook call: the raw HTTP answer, or how the call failed.

Both the bundled hook and a remote call produce a `HookAnswer`; the verdict reads only this.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class FailureKind(enum.Enum):
    """Why no HTTP answer arrived (or why the answer could not be read)."""

    TIMEOUT = "timeout"
    CONNECTION_REFUSED = "connection refused"
    NAME_NOT_RESOLVED = "name not resolved"
    TLS = "TLS certificate problem"
    DROPPED = "connection dropped mid-answer"
    CANCELLED = "cancelled"
    OTHER = "network error"


@dataclass(frozen=True)
class Attempt:
    """One try at the hook: when it started (ms after the call began), how long it took, and
    the final HTTP status it got or why it got none."""

    number: int
    started_ms: float
    duration_ms: float
    status: int | None = None
    failure: FailureKind | None = None
    detail: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "started_ms": round(self.started_ms, 3),
            "duration_ms": round(self.duration_ms, 3),
            "status": self.status,
            "failure": self.failure.value if self.failure is not None else None,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class HookAnswer:
    """One hook call's outcome as Okta would receive it.

    `status` is None when the call failed before an HTTP status arrived; then `failure`
    says why. `headers` names are lower-case. `elapsed_ms` covers every attempt (and an
    OAuth token fetch), as Okta's 3 s budget does.
    """

    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    elapsed_ms: float = 0.0
    failure: FailureKind | None = None
    failure_detail: str = ""
    attempts: int = 1
    url: str = ""
    #: How long the attempt that produced this answer took; Okta's 3 s budget applies to each
    #: attempt, so a slow first try followed by a quick retry is not "too slow". None when the
    #: call was made once (then `elapsed_ms` is that attempt's time).
    attempt_ms: float | None = None
    #: Every attempt in order (empty for the bundled hook, which is called in-process once).
    attempt_log: tuple[Attempt, ...] = ()
    #: The headers the last attempt sent, real values included: render them only through
    #: `app.logic.run.exchange`, which masks the target's secrets.
    sent_headers: tuple[tuple[str, str], ...] = ()

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def location(self) -> str | None:
        """Where a redirect pointed (Okta does not follow it)."""
        return self.headers.get("location")

    @classmethod
    def from_json_bytes(cls, body: bytes, elapsed_ms: float = 0.0) -> HookAnswer:
        """A 200 JSON answer, as the bundled hook gives."""
        return cls(
            status=200,
            headers={"content-type": "application/json"},
            body=body,
            elapsed_ms=elapsed_ms,
        )

    @classmethod
    def failed(
        cls, kind: FailureKind, detail: str, elapsed_ms: float, attempts: int = 1, url: str = ""
    ) -> HookAnswer:
        return cls(
            status=None,
            elapsed_ms=elapsed_ms,
            failure=kind,
            failure_detail=detail,
            attempts=attempts,
            url=url,
        )
