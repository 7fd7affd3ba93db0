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
