"""Preview through Okta: the current request sent to the org's registration hook by Okta itself
(`POST /api/v1/inlineHooks/{id}/execute`, as the Admin Console's Preview tab does), with this
program's verdict of the same answer beside what Okta said.

Okta documents the endpoint (okta/okta-management-openapi-spec @fdda229e, `executeInlineHook`):
it calls the hook with the 3 s / one retry rules, answers the hook's response "if it matches the
correct data contract", and "a 400 error ... with more information about what failed"
otherwise. So a 200 means Okta accepted the answer, a 400 that Okta refused it or the call. Where
that and a rule here disagree, that is evidence about the rule: `Observation`s say so.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.logic.answer import FailureKind, HookAnswer
from app.logic.okta_org.client import OrgApiError, OrgClient
from app.logic.okta_org.observations import Observation
from app.logic.okta_org.operations import OrgHook, hook_path
from app.logic.targets.base import TargetReply, okta_headers

if TYPE_CHECKING:
    from app.logic.org import UserSchema
    from app.logic.run.exchange import Exchange
    from app.logic.targets.base import Target

__all__ = [
    "Observation",
    "OktaPreview",
    "OktaPreviewTarget",
    "judge_preview",
    "preview_through_okta",
]

#: Okta's answer to /execute is read with this cap (the hook's answer is at most 256 KB).
MAX_PREVIEW_BYTES = 1024 * 1024


@dataclass
class OktaPreviewTarget:
    """The org's hook reached through Okta's /execute: a target like any other, so the exchange
    is recorded, shown and judged as every call is. A 400 becomes a failed call whose detail
    is Okta's message; any other error (401, 403, network) is kept in `error` for the caller."""

    client: OrgClient
    hook: OrgHook
    cancelled: Any = None
    kind: str = "okta-preview"
    error: OrgApiError | None = None
    okta_status: int | None = None
    okta_said: str = ""
    okta_causes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.hook.name or self.hook.id} through Okta ({self.client.config.org_url})"

    @property
    def url(self) -> str:
        return self.client.config.org_url + hook_path(self.hook.id, "/execute")

    @property
    def timeout_s(self) -> float:
        # Okta keeps the hook's 3 s itself; the time seen here adds the trip to the org.
        return math.inf

    def secrets(self) -> tuple[str, ...]:
        return self.client.config.secrets()

    def planned_headers(self, body: bytes) -> list[tuple[str, str]]:
        scheme = "SSWS" if self.client.config.mode == "SSWS" else "Bearer"
        return [*okta_headers(body), ("Authorization", f"{scheme} ***")]

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "org": self.client.config.org_url,
            "hookId": self.hook.id,
            "hookName": self.hook.name,
            "hookUri": self.hook.uri,
            # What a cURL copy of this call allows: Okta's 3 s for the hook plus the trip to
            # the org (the client's own read timeout).
            "timeoutS": 15.0,
        }

    def call(self, body: bytes, request: Any, cancel: Any = None) -> TargetReply:
        started = time.perf_counter()
        cancelled = self.cancelled or (lambda: bool(cancel is not None and cancel.cancelled))
        try:
            reply = self.client.request(
                "POST",
                hook_path(self.hook.id, "/execute"),
                operation="preview",
                content=body,
                cancelled=cancelled,
                limit=MAX_PREVIEW_BYTES,
            )
        except OrgApiError as exc:
            elapsed = (time.perf_counter() - started) * 1000.0
            self.okta_status = exc.status
            self.okta_said = str(exc)
            if exc.status == 400:
                self.okta_causes = _causes(exc)
                return TargetReply(
                    HookAnswer(
                        status=None,
                        elapsed_ms=elapsed,
                        failure=FailureKind.OTHER,
                        failure_detail=f"Okta refused it: {exc}",
                        url=self.url,
                    )
                )
            self.error = exc
            return TargetReply(
                HookAnswer(
                    status=None,
                    elapsed_ms=elapsed,
                    failure=FailureKind.CANCELLED
                    if exc.__class__.__name__ == "Cancelled"
                    else FailureKind.OTHER,
                    failure_detail=str(exc),
                    url=self.url,
                )
            )
        elapsed = (time.perf_counter() - started) * 1000.0
        self.okta_status = reply.status
        self.okta_said = f"Okta accepted the hook's answer (HTTP {reply.status})"
        headers = {name.lower(): value for name, value in reply.headers.items()}
        return TargetReply(
            HookAnswer(
                status=200, headers=headers, body=reply.body, elapsed_ms=elapsed, url=self.url
            )
        )


def _causes(error: OrgApiError) -> tuple[str, ...]:
    text = str(error)
    _, _, said = text.partition("Okta said: ")
    return tuple(part.strip() for part in said.split(";") if part.strip())


@dataclass(frozen=True)
class OktaPreview:
    """Okta's answer beside this program's verdict of the same answer."""

    exchange: Exchange  # the call through Okta, with this program's verdict of Okta's answer
    okta_status: int | None
    okta_said: str
    direct: Exchange | None = None  # the same request sent straight to the hook, if asked
    disagreements: tuple[str, ...] = ()
    observations: tuple[Observation, ...] = field(default_factory=tuple)

    @property
    def okta_accepted(self) -> bool:
        return self.okta_status == 200

    def to_json(self) -> dict[str, Any]:
        return {
            "okta": {"status": self.okta_status, "said": self.okta_said},
            "exchange": self.exchange.to_json(),
            "direct": self.direct.to_json() if self.direct is not None else None,
            "disagreements": list(self.disagreements),
            "observations": [
                {
                    "rule": o.rule,
                    "agreement": o.agreement,
                    "oktaSaid": o.okta_said,
                    "org": o.org,
                    "hookId": o.hook_id,
                    "observedAt": o.observed_at,
                    "sentence": o.sentence(),
                }
                for o in self.observations
            ],
        }


def _refused_here(exchange: Exchange | None) -> bool:
    verdict = exchange.verdict if exchange is not None else None
    return verdict is not None and (verdict.hook_failed or bool(verdict.errors()))


def preview_through_okta(
    client: OrgClient,
    hook: OrgHook,
    request: bytes | str,
    *,
    schema: UserSchema | None = None,
    reading: str = "strict",
    direct_target: Target | None = None,
    cancelled: Any = None,
) -> OktaPreview:
    """Send `request` to `hook` through Okta and judge Okta's answer here; with
    `direct_target`, also send it straight to the hook, so an answer Okta refuses can be
    judged here too. OrgApiError when the org itself refuses (401, 403, network)."""
    from app.logic.run.pipeline import run_exchange

    target = OktaPreviewTarget(client, hook, cancelled)
    exchange = run_exchange(request, target, schema=schema, reading=reading)
    if target.error is not None:
        raise target.error
    direct = None
    if direct_target is not None and exchange.sent:
        direct = run_exchange(request, direct_target, schema=schema, reading=reading)
    return judge_preview(target, exchange, direct)


def judge_preview(
    target: OktaPreviewTarget, exchange: Exchange, direct: Exchange | None = None
) -> OktaPreview:
    """What Okta said about `exchange` (a call through `target`) beside this program's
    verdict, the disagreements said plainly and the observations to keep. `direct`: the same
    request sent straight to the hook, which lets an answer Okta refused be judged here."""
    hook = target.hook
    observed_at = exchange.started_at
    org = target.client.config.org_url
    observations: list[Observation] = []
    disagreements: list[str] = []
    answer = exchange.response_bytes
    if target.okta_status == 200 and exchange.verdict is not None:
        verdict = exchange.verdict
        refused = [p for p in verdict.problems if p.severity.value == "error"]
        if refused or verdict.hook_failed:
            names = ", ".join(p.code for p in refused) or "the call"
            disagreements.append(
                f"Okta accepted this answer, but a rule here refuses it ({names}): evidence "
                "about a rule Okta does not document"
            )
        for problem in verdict.unconfirmed() or tuple(refused):
            observations.append(
                Observation(
                    rule=problem.code,
                    agreement="okta-accepted-refused-here"
                    if problem.severity.value == "error"
                    else "agree",
                    okta_said=target.okta_said,
                    org=org,
                    hook_id=hook.id,
                    observed_at=observed_at,
                    answer=answer,
                    rule_text=problem.message,
                )
            )
    elif target.okta_status == 400:
        judged = direct if direct is not None else None
        if judged is not None and judged.verdict is not None and not _refused_here(judged):
            disagreements.append(
                "Okta refused this answer, but this program accepts it: evidence about a rule "
                f"Okta does not document — Okta said: {target.okta_said}"
            )
            # Each UNCONFIRMED rule the answer touched is a suspect; with none, the refusal is
            # kept under no rule (Okta refused something no rule here names).
            suspects = [(p.code, p.message) for p in judged.verdict.unconfirmed()] or [("", "")]
            for code, message in suspects:
                observations.append(
                    Observation(
                        rule=code,
                        agreement="okta-refused-accepted-here",
                        okta_said=target.okta_said,
                        org=org,
                        hook_id=hook.id,
                        observed_at=observed_at,
                        answer=judged.response_bytes,
                        rule_text=message,
                    )
                )
    return OktaPreview(
        exchange=exchange,
        okta_status=target.okta_status,
        okta_said=target.okta_said,
        direct=direct,
        disagreements=tuple(disagreements),
        observations=tuple(observations),
    )
