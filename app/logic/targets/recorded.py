"""A recorded answer as a target: `verdict` judges a body a person saved, history replays one."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from app.logic import okta
from app.logic.answer import Attempt, HookAnswer
from app.logic.targets.base import TargetReply, okta_headers


@dataclass(frozen=True)
class RecordedTarget:
    """Answers every request with the same recorded `HookAnswer` (status, headers, body)."""

    answer: HookAnswer
    name: str = "recorded answer"
    timeout_s: float = okta.TIMEOUT_S
    kind: str = "recorded"

    @property
    def label(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        return self.answer.url

    def secrets(self) -> tuple[str, ...]:
        return ()

    def planned_headers(self, body: bytes) -> list[tuple[str, str]]:
        return okta_headers(body)

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "url": self.url}

    def call(self, body: bytes, request: Any, cancel: Any = None) -> TargetReply:
        answer = self.answer
        if not answer.attempt_log:
            attempt = Attempt(
                1, 0.0, answer.elapsed_ms, answer.status, answer.failure, answer.failure_detail
            )
            answer = dataclasses.replace(answer, attempt_log=(attempt,))
        if not answer.sent_headers:
            answer = dataclasses.replace(answer, sent_headers=tuple(okta_headers(body)))
        return TargetReply(answer)
