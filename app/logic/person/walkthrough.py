"""The guide's four steps of one flow, filled in from one exchange, for the walkthrough panel:
the person acts; Okta calls the hook with this request; the hook answers with these commands;
Okta applies them and the person sees this.

`walkthrough(flow)` gives the steps before any run (what each step will show), `pending` while
the hook is being called, `from_exchange` once the exchange is recorded (also for an exchange
replayed from history, with any target).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.logic import okta
from app.logic.jsontext import dig

if TYPE_CHECKING:
    from app.logic.person.outcome import PageOutcome
    from app.logic.run.exchange import Exchange

STEP_COUNT = 4
_TITLES = {
    okta.SSR: (
        "1. The person signs up",
        "2. Okta calls the hook with this request",
        "3. The hook answers with these commands",
        "4. Okta applies them and the person sees this",
    ),
    okta.PP: (
        "1. The person signs in and fills in the progressive form",
        "2. Okta calls the hook with this request",
        "3. The hook answers with these commands",
        "4. Okta applies them and the person sees this",
    ),
}
_WAITING = (
    "Type into the page and press the button.",
    "The request appears here when the page is submitted.",
    "The hook's answer appears here.",
    "What Okta does and what the person sees appear here.",
)
FLOW_NAMES = {okta.SSR: "Self-service registration", okta.PP: "Progressive profile"}


@dataclass(frozen=True)
class Step:
    """One step: its title, a one-line caption for this run, and the text it shows."""

    title: str
    caption: str
    body: str
    is_json: bool = False


@dataclass(frozen=True)
class Walkthrough:
    """The four steps of one flow and the step lit now (0-based)."""

    flow: str
    steps: tuple[Step, ...]
    current: int


def _flow(flow: str | None) -> str:
    return okta.PP if flow == okta.PP else okta.SSR


def walkthrough(flow: str | None) -> Walkthrough:
    """The steps before any run: what each will show."""
    kind = _flow(flow)
    steps = tuple(
        Step(title, waiting, "") for title, waiting in zip(_TITLES[kind], _WAITING, strict=True)
    )
    return Walkthrough(kind, steps, 0)


def _typed(request: Any, kind: str) -> dict[str, Any]:
    part = dig(request, "data", "userProfileUpdate" if kind == okta.PP else "userProfile")
    return part if isinstance(part, dict) else {}


def _person_step(kind: str, request: Any, extra: str = "") -> Step:
    typed = _typed(request, kind)
    page = "the sign-up page" if kind == okta.SSR else "the progressive profile page"
    lines = [f"{name}: {_show(value)}" for name, value in typed.items()]
    if kind == okta.PP:
        login = dig(request, "data", "context", "user", "profile", "login")
        if isinstance(login, str) and login:
            lines.insert(0, f"(signed in as {login})")
    body = "\n".join(lines) or "(nothing typed)"
    caption = f"On {page} ({okta.URL_PATHS[kind]}) the person submits:"
    return Step(_TITLES[kind][0], caption + extra, body)


def _show(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _request_text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


def pending(
    flow: str | None, request_text: str, target_label: str, timeout_s: float
) -> Walkthrough:
    """Steps while the hook is being called: the request is out, the answer not yet in."""
    kind = _flow(flow)
    try:
        request = json.loads(request_text)
    except ValueError:
        request = None
    titles = _TITLES[kind]
    steps = (
        _person_step(kind, request),
        Step(titles[1], f"POST to {target_label}", _request_text(request_text), True),
        Step(titles[2], f"Waiting for the hook: Okta gives it {timeout_s:g} s.", ""),
        Step(titles[3], _WAITING[3], ""),
    )
    return Walkthrough(kind, steps, 1)


def from_exchange(
    exchange: Exchange, outcome: PageOutcome | None = None, flow: str | None = None
) -> Walkthrough:
    """The four steps of a recorded exchange; the last step is lit. `outcome` is what the page
    showed (without it, step 4 lists the verdict's messages)."""
    request = exchange.request
    declared = request.get("requestType") if isinstance(request, dict) else None
    kind = _flow(declared or flow)
    titles = _TITLES[kind]
    person = _person_step(kind, request)
    if not exchange.sent:
        why = exchange.refusal or (
            exchange.parse_problem.format() if exchange.parse_problem else ""
        )
        steps = (
            person,
            Step(titles[1], f"Not sent: {why}", _request_text(exchange.request_bytes), True),
            Step(titles[2], "No call, so no answer.", ""),
            Step(titles[3], "Nothing happens: the request never left.", ""),
        )
        return Walkthrough(kind, steps, 1)
    call = Step(
        titles[1],
        f"POST to {exchange.url or exchange.target_label}",
        _request_text(exchange.request_bytes),
        True,
    )
    answer = exchange.answer
    assert answer is not None
    verdict = exchange.verdict
    if answer.status is None:
        caption = f"No HTTP answer after {answer.elapsed_ms / 1000:.2f} s"
        if answer.failure is not None:
            caption += f" ({answer.failure.value})"
        reply = Step(titles[2], caption, answer.failure_detail or "(no body)")
    else:
        size = len(answer.body)
        caption = f"HTTP {answer.status} in {answer.elapsed_ms:.0f} ms, {size} bytes"
        body = exchange.response_text() or "(empty body)"
        reply = Step(titles[2], caption, body, bool(exchange.response_text()))
    result = Step(titles[3], verdict.headline if verdict else "", _effects(exchange, outcome))
    return Walkthrough(kind, (person, call, reply, result), 3)


def _effects(exchange: Exchange, outcome: PageOutcome | None) -> str:
    verdict = exchange.verdict
    if verdict is None:
        return ""
    lines: list[str] = []
    if verdict.commands_run:
        lines.append("Commands run, in order:")
        for index, command in enumerate(verdict.commands_run, 1):
            lines.append(f"  {index}. {command.get('type')} {_show(command.get('value'))}")
    else:
        sent = dig(verdict.response_value, "commands")
        count = len(sent) if isinstance(sent, list) else 0
        if count and verdict.hook_failed:
            lines.append(f"Commands run: none of the answer's {count}: the hook failed")
        elif count:
            lines.append(f"Commands run: none of the answer's {count}: its error object stops them")
        else:
            lines.append("Commands run: none")
    for change in verdict.changes:
        before = "(not set)" if change.before is None else _show(change.before)
        lines.append(f"  {change.name}: {before} -> {_show(change.after)}")
    lines.append("")
    lines.append("The person sees:")
    if outcome is not None:
        for notice in outcome.banner:
            lines.append(f"  banner [{notice.source}]: {notice.text}")
        for name, notices in outcome.field_messages.items():
            for notice in notices:
                lines.append(f"  under {name} [{notice.source}]: {notice.text}")
        if not outcome.stays_on_form:
            lines.append(f"  the next screen: {outcome.title}")
            if outcome.body:
                lines.append(f"  {outcome.body}")
        if outcome.note:
            lines.append("")
            lines.append(outcome.note)
    else:
        for message in verdict.messages:
            where = f"under {message.field}" if message.field else "banner"
            lines.append(f"  {where}: {message.text}")
        if not verdict.messages:
            lines.append("  no message: the flow goes on")
    return "\n".join(lines)
