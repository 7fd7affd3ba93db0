"""The one call path: request bytes + a target -> an exchange record with Okta's verdict.

The window, `respond`, `send`, `verdict` and the scenario runner all call `run_exchange`; none
of them branches on what kind of target answered.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from app.logic.jsontext import BOM_NOTE, strip_bom
from app.logic.redact import Redaction
from app.logic.run.exchange import Exchange, mask_headers

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from app.logic.org import DemoOrg, UserSchema
    from app.logic.targets.base import Target


def _now_iso() -> str:
    moment = datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _encode(request: bytes | str) -> tuple[bytes | None, str]:
    if isinstance(request, bytes):
        return request, ""
    try:
        return request.encode("utf-8"), ""
    except UnicodeEncodeError as exc:
        char = request[exc.start]
        line = request.count("\n", 0, exc.start) + 1
        column = exc.start - (request.rfind("\n", 0, exc.start) + 1) + 1
        return None, (
            f"line {line}, column {column}: the text holds a lone surrogate "
            f"(U+{ord(char):04X}) that UTF-8 cannot carry; write it as \\u{ord(char):04x}"
        )


def policy_form(
    target: Target, request: Any, forms: Mapping[str, Sequence[str]] | None = None
) -> tuple[str, ...] | None:
    """The form the request came from: `forms[type]` when given, else the guide's policy form
    for the endpoint `target` calls; None when neither is known (the verdict then reads the
    form from the request)."""
    from app.logic import okta
    from app.logic.request_builder import policy_endpoint, policy_fields
    from app.logic.validation import infer_request_type

    kind, _how = infer_request_type(request)
    if kind not in okta.REQUEST_TYPES:
        return None
    if forms and kind in forms:
        return tuple(forms[kind])
    endpoint = policy_endpoint(getattr(target, "url", None))
    return policy_fields(endpoint, kind) if endpoint is not None else None


def stored_profile(org: DemoOrg | None, request: Any) -> dict[str, Any] | None:
    """The org's profile of a progressive request's user (by `context.user.id`, else the
    context's login); None without an org or such a user."""
    from app.logic.jsontext import dig

    user = dig(request, "data", "context", "user")
    if org is None or not isinstance(user, dict):
        return None
    for key in (user.get("id"), dig(user, "profile", "login")):
        if isinstance(key, str) and key:
            found = org.find(key)
            if found is not None:
                return dict(found.profile)
    return None


def run_exchange(
    request: bytes | str,
    target: Target,
    *,
    schema: UserSchema | None = None,
    cancel: Any = None,
    started_at: str | None = None,
    reading: str = "strict",
    keep_echoed_secrets: bool = False,
    forms: Mapping[str, Sequence[str]] | None = None,
    org: DemoOrg | None = None,
) -> Exchange:
    """Send `request` to `target` as Okta would and judge the answer. Never raises for
    anything the request or the hook does; a request that is not JSON is not sent.
    `reading` ("strict" or "lenient") is how the verdict reads the rules Okta does not
    document (see `app.logic.verdict.READINGS`). `forms`: request type -> the inputs of the
    form the person filled (for a type it lacks: the guide's policy form when the target is
    one of its endpoints, else what the request tells). `org`: the org the request's user
    belongs to; its schema is used when `schema` is None, and its copy of a progressive
    request's user is the profile before.

    What the hook echoes back of a secret (the auth value, the client secret, the access token
    the call got) is taken out of the record, in any spelling, so no writer can hold it. The
    window, which shows the answer as it came, passes `keep_echoed_secrets`: it gets the record
    as it came, carrying the redaction its writers apply (`Exchange.redacted`)."""
    from app.logic.validation import parse_json
    from app.logic.verdict import interpret_response

    base: dict[str, Any] = {
        "target": target.describe(),
        "target_label": target.label,
        "url": target.url,
        "started_at": started_at or _now_iso(),
    }
    secrets = target.secrets()
    auth_header = getattr(getattr(target, "auth", None), "header_name", None)
    body, refusal = _encode(request)
    if body is None:
        planned = mask_headers(target.planned_headers(b""), secrets, auth_header)
        return Exchange(**base, request_bytes=b"", request_headers=planned, refusal=refusal)
    body, had_bom = strip_bom(body)
    planned = mask_headers(target.planned_headers(body), secrets, auth_header)
    notes = (BOM_NOTE,) if had_bom else ()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Exchange(
            **base,
            request_bytes=body,
            request_headers=planned,
            refusal=f"the request is not UTF-8 text (byte {exc.start})",
            notes=notes,
        )
    value, problem = parse_json(text)
    if problem is not None:
        return Exchange(
            **base, request_bytes=body, request_headers=planned, parse_problem=problem, notes=notes
        )
    if schema is None and org is not None:
        schema = org.schema
    form_fields = policy_form(target, value, forms)
    reply = target.call(body, value, cancel)
    verdict = interpret_response(
        value,
        reply.answer,
        schema,
        timeout_ms=target.timeout_s * 1000.0,
        reading=reading,
        form_fields=form_fields,
        stored_profile=stored_profile(org, value),
    )
    record = Exchange(
        **base,
        request_bytes=body,
        request_headers=planned,
        request=value,
        answer=reply.answer,
        log_lines=reply.log_lines,
        verdict=verdict,
        notes=notes,
    )
    redaction = Redaction.of([*secrets, *_auth_values(reply.answer, auth_header)])
    masked = record.with_masked_answer(secrets, auth_header)
    if keep_echoed_secrets:
        return dataclasses.replace(masked, redaction=redaction) if redaction else masked
    return masked.redacted(redaction)


def _auth_values(answer: Any, auth_header: str | None) -> list[str]:
    """The values the call sent in its auth headers (an OAuth access token among them)."""
    names = {"authorization", (auth_header or "authorization").lower()}
    return [value for name, value in answer.sent_headers if name.lower() in names and value]
