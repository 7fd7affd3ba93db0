"""The calls Okta really made to a hook, as its System Log records them (`GET /api/v1/logs`,
events `inline_hook.executed` and `inline_hook.response.processed`), newest first.

What the log holds is not the request: an event has its time (`published`), its `outcome`
(`result`, `reason`), its `target`s (the hook; often the user), `transaction.id` and
`debugContext.debugData` (LogEvent in okta/okta-management-openapi-spec @fdda229e). Which keys
`debugData` has for these two events is not documented (UNCONFIRMED): every key is shown as
logged, none is relied on. A scenario made from an event says what is known (time, outcome, the
user's login when logged) and what is rebuilt (the request, from the org's user and the form's
defaults; the form's values are never logged).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from app.logic.okta_org.client import OrgApiError, OrgClient
from app.logic.okta_org.operations import shown

__all__ = ["EVENT_TYPES", "LoggedCall", "hook_calls", "parse_since", "scenario_from_call"]

LOGS_PATH = "/api/v1/logs"
EVENT_TYPES = ("inline_hook.executed", "inline_hook.response.processed")
#: Events read at most for one listing (pages of 100).
MAX_EVENTS = 1000
LOG_PAGE_SIZE = 100


def parse_since(text: str, now: datetime | None = None) -> str:
    """An ISO 8601 time for `since=`: `2026-01-01`, `2026-01-01T10:00:00Z`, or a span back from
    now (`30m`, `12h`, `7d`). ValueError with a plain message otherwise."""
    now = now or datetime.now(UTC)
    value = text.strip()
    units = {"m": "minutes", "h": "hours", "d": "days"}
    if value[:-1].isdigit() and value[-1:] in units:
        moment = now - timedelta(**{units[value[-1]]: int(value[:-1])})
    else:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                f"--since wants a time like 2026-01-01T10:00:00Z or a span like 12h or 7d, "
                f"got '{shown(value, 40)}'"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
    if moment > now:
        raise ValueError("--since is in the future")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + "000Z"


@dataclass(frozen=True)
class LoggedCall:
    """One System Log event about the hook, as logged (values kept whole; `shown` for display)."""

    uuid: str
    published: str
    event_type: str
    result: str
    reason: str
    display_message: str
    severity: str
    user_login: str
    transaction_id: str
    debug_data: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    #: The hook's name as the event's InlineHook target names it ("" when it names none).
    hook_name: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "uuid": self.uuid,
            "published": self.published,
            "eventType": self.event_type,
            "outcome": {"result": self.result, "reason": self.reason},
            "displayMessage": self.display_message,
            "severity": self.severity,
            "user": self.user_login or None,
            "transactionId": self.transaction_id or None,
            "hook": self.hook_name or None,
            "debugData": self.debug_data,
            "known": self.known(),
            "rebuilt": self.rebuilt(),
        }

    def known(self) -> list[str]:
        found = [f"time {self.published}", f"outcome {self.result or '?'}"]
        if self.reason:
            found.append(f"reason {shown(self.reason, 120)}")
        if self.user_login:
            found.append(f"user {shown(self.user_login, 120)}")
        if self.debug_data:
            found.append("debugData " + ", ".join(shown(k, 40) for k in list(self.debug_data)[:12]))
        return found

    def rebuilt(self) -> list[str]:
        return [
            "the request body (Okta does not log it): rebuilt from the org's user and the "
            "form's fields",
            "the form's values (never logged)",
            "the hook's answer (not logged; only the outcome is)",
        ]

    def line(self) -> str:
        who = f" {shown(self.user_login, 60)}" if self.user_login else ""
        why = f" — {shown(self.reason, 100)}" if self.reason else ""
        return f"{self.published}  {self.event_type:<31} {self.result or '?':<8}{who}{why}"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _object(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else {} (a live answer is read, never trusted)."""
    return value if isinstance(value, dict) else {}


def _call_from(event: Any) -> LoggedCall | None:
    if not isinstance(event, dict) or _text(event.get("eventType")) not in EVENT_TYPES:
        return None
    outcome = _object(event.get("outcome"))
    data = _object(_object(event.get("debugContext")).get("debugData"))
    transaction = _object(event.get("transaction"))
    login = ""
    hook_name = ""
    # A live answer is read, never trusted: a `target` that is not a list names nothing.
    listed = event.get("target")
    targets: list[Any] = listed if isinstance(listed, list) else []
    for what in targets:
        if isinstance(what, dict) and _text(what.get("type")) == "InlineHook":
            hook_name = _text(what.get("displayName")) or _text(what.get("alternateId"))
            break
    for who in [*targets, event.get("actor")]:
        if isinstance(who, dict) and _text(who.get("type")) == "User":
            login = _text(who.get("alternateId"))
            if login:
                break
    return LoggedCall(
        uuid=_text(event.get("uuid")),
        published=_text(event.get("published")),
        event_type=_text(event.get("eventType")),
        result=_text(outcome.get("result")),
        reason=_text(outcome.get("reason")),
        display_message=_text(event.get("displayMessage")),
        severity=_text(event.get("severity")),
        user_login=login,
        transaction_id=_text(transaction.get("id")),
        debug_data=data,
        raw=event,
        hook_name=hook_name,
    )


def log_filter(hook_id: str) -> str:
    quoted = hook_id.replace("\\", "\\\\").replace('"', '\\"')
    kinds = " or ".join(f'eventType eq "{kind}"' for kind in EVENT_TYPES)
    return f'({kinds}) and target.id eq "{quoted}"'


def hook_calls(
    client: OrgClient,
    hook_id: str,
    *,
    since: str | None = None,
    max_events: int = MAX_EVENTS,
    cancelled: Callable[[], bool] | None = None,
    notes: list[str] | None = None,
) -> list[LoggedCall]:
    """The hook's calls from the System Log, newest first, since `since` (ISO 8601)."""
    params = {
        "filter": log_filter(hook_id),
        "sortOrder": "DESCENDING",
        "limit": str(LOG_PAGE_SIZE),
    }
    if since:
        params["since"] = since
    calls: list[LoggedCall] = []
    pages = client.pages(
        LOGS_PATH,
        operation="calls",
        params=params,
        cancelled=cancelled,
        max_pages=max(1, max_events // LOG_PAGE_SIZE),
        notes=notes,
    )
    try:
        for page in pages:
            for event in page:
                call = _call_from(event)
                if call is not None:
                    calls.append(call)
            if len(calls) >= max_events:
                break
    except OrgApiError:
        if not calls:
            raise
        if notes is not None:
            notes.append("the later pages could not be read; the calls shown are the newest")
    calls.sort(key=lambda call: call.published, reverse=True)
    return calls[:max_events]


def scenario_from_call(call: LoggedCall, request_type: str = "ssr") -> dict[str, Any]:
    """A scenario file's content for one logged call: the request rebuilt from the org's user
    (`generate`), and a description that says what is known and what is rebuilt. Which request
    type the call was is not logged (UNCONFIRMED): `request_type` says which to rebuild."""
    if not call.user_login:
        raise OrgApiError("this event names no user, so no request can be rebuilt from it")
    description = (
        f"From the System Log of your org: {call.event_type} at {call.published}. "
        f"Known: {'; '.join(call.known())}. Rebuilt: {'; '.join(call.rebuilt())}."
    )
    scenario: dict[str, Any] = {
        "name": f"logged call {call.published} {call.user_login}"[:200],
        "description": description,
        "generate": {"type": request_type, "user": call.user_login},
        "expect": {},
    }
    if call.event_type == "inline_hook.executed" and call.result in ("SUCCESS", "FAILURE"):
        # UNCONFIRMED: read as "the call reached the hook and got a usable answer" or not.
        scenario["expect"] = {"hook_failed": call.result == "FAILURE"}
    return scenario
