"""A bundled endpoint (the guide's sample logic, corrected) as a target: called in-process."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from app.logic import okta
from app.logic.answer import Attempt, HookAnswer
from app.logic.bundled_hook import HookRules, endpoint_for
from app.logic.targets.base import TargetReply, okta_headers

#: The address `reghook serve` gives the same endpoints, shown so records read like a call.
LOCAL_BASE = "bundled:"


def endpoint_path(name_or_path: str) -> str:
    """'ssr', 'pp', 'ssr-and-pp' or an endpoint path (any case), as the endpoint's path."""
    if name_or_path in okta.ENDPOINTS:
        return okta.ENDPOINTS[name_or_path]
    loose = name_or_path.rstrip("/").lower()
    for path in okta.ENDPOINTS.values():
        if path.lower() == loose:
            return path
    endpoint_for(name_or_path)  # raises the ValueError that lists the endpoints
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class BundledTarget:
    """One of the three sample endpoints with its rules (allowed domain, digits)."""

    endpoint: str = okta.ENDPOINTS["ssr"]
    rules: HookRules = field(default_factory=HookRules)
    timeout_s: float = okta.TIMEOUT_S
    kind: str = "bundled"

    def __post_init__(self) -> None:
        object.__setattr__(self, "endpoint", endpoint_path(self.endpoint))

    @property
    def label(self) -> str:
        return f"{self.endpoint} (bundled)"

    @property
    def url(self) -> str:
        return LOCAL_BASE + self.endpoint

    def secrets(self) -> tuple[str, ...]:
        return ()

    def planned_headers(self, body: bytes) -> list[tuple[str, str]]:
        return okta_headers(body)

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "endpoint": self.endpoint,
            "rules": {
                "allowedDomain": self.rules.allowed_domain,
                "digits": self.rules.digits,
            },
        }

    def call(self, body: bytes, request: Any, cancel: Any = None) -> TargetReply:
        started = time.perf_counter()
        result = endpoint_for(self.endpoint)(request, self.rules)
        payload = json.dumps(result.response, ensure_ascii=False).encode("utf-8")
        elapsed_ms = (time.perf_counter() - started) * 1000.0
        answer = HookAnswer(
            status=200,
            headers={"content-type": "application/json"},
            body=payload,
            elapsed_ms=elapsed_ms,
            url=self.url,
            attempt_log=(Attempt(1, 0.0, elapsed_ms, status=200),),
            sent_headers=tuple(okta_headers(body)),
        )
        return TargetReply(answer, tuple(result.log_lines))
