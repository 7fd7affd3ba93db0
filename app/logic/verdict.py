"""Okta's verdict on a hook answer: allowed or denied, what runs, what the person sees, what breaks.

`interpret_response` follows okta-contract.md §2-§4. It never raises, whatever the request value
and whatever the `HookAnswer` (a last-resort guard turns an internal fault into an ``internal``
rule break rather than a crash).

Severity: what each kind of rule break means
---------------------------------------------
``error``   Okta rejects the answer: the flow stops, the person is DENIED and sees the failure
            message for the request type (§3, last row); no command runs. The contract lists the
            HTTP-level cases (transport failure, slower than the 3 s budget, non-2xx status, a
            redirect, a body of 256 KB or more, a body that is not JSON or not a JSON object).
            Answers whose shape Okta documents but whose outcome it does not (``commands`` not
            a list, a command that is not an object or has no/unknown ``type`` or no object
            ``value``, a ``registration`` value other than ALLOW/DENY or under the key
            ``action``, ``com.okta.user.profile.update`` in a progressive-profile answer,
            setting ``password``, an attribute the org schema lacks, a value of the wrong type,
            null for a required attribute, an empty 200 body, a byte-order mark) are
            UNCONFIRMED rules, one table in `app.logic.undocumented` with the Okta sentence
            each rests on: the strict reading fails closed (an error; nothing is half-applied),
            the lenient reading has Okta leave the broken part out (a warning). ``error`` or
            ``errorCauses`` of the wrong JSON type stay errors: any error object denies.
``warning`` Okta goes on with the answer, but it is probably not what the author meant, or what
            Okta does is UNCONFIRMED: ``com.okta.user.progressive.profile.update`` in a
            registration answer (applied, as our best reading), a read-only attribute, a
            non-JSON ``Content-Type``, both ALLOW and DENY (the last one wins: commands apply in
            order), ``commands``/``error`` sent as null (read as absent), an error cause with no
            text, keys Okta does not read, and any other structural problem the response schema
            finds (``validation.validate_response``) that none of the checks above covers.
``note``    Legal and as intended, but worth knowing: a redundant ALLOW, a ``{}`` answer (Okta
            treats it as allow, so an endpoint that does not handle this request type silently
            skips its check), an error object without a DENY command, updates discarded by a
            DENY or an error, the progressive-profile failure text being UNCONFIRMED, a body
            sent with 204, a JSON error body on a non-2xx status.

Choices where the contract is silent
------------------------------------
- An empty body with 200 is not JSON, so it is an unparseable body (``empty-body``, error):
  a service that means "no change" must answer 204 or ``{}``.
- ``error`` without usable ``errorCauses`` shows the §3 generic text whether or not a DENY
  command is present: any ``error`` denies and no command runs, so the DENY cannot change what
  the person sees (a note says Okta documents that text only for error + DENY).
- A cause's message sits under field X when its ``location`` is ``data.userProfile.X``,
  ``data.userProfileUpdate.X`` or ``data.context.user.profile.X`` and X is an attribute present
  in the request; otherwise it is a banner at the top of the form. A Classic Engine request
  (no ``requestType``) is judged as registration, and only ``errorCauses[0]`` is shown, only
  when its location starts with ``data.userProfile`` (the v1 widget's rule).
- A request whose type is missing or unknown is judged with the registration texts (a note says
  so), unless its data is clearly progressive (``userProfileUpdate`` or ``context.user``).
- ``AttributeChange.known`` is False only when a schema is given and lacks the attribute.
"""

from __future__ import annotations

import enum
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.logic import jsontext, okta
from app.logic.answer import FailureKind, HookAnswer
from app.logic.text import one_line
from app.logic.undocumented import rule as undocumented_rule
from app.logic.validation import (
    closest_name,
    format_path,
    infer_request_type,
    inferred_type_note,
    json_kind,
    response_is_valid,
    validate_response,
)

if TYPE_CHECKING:
    from app.logic.org import UserSchema

SSR_TYPE = okta.SSR
PP_TYPE = okta.PP
ACTION_UPDATE = okta.ACTION_UPDATE
PROFILE_UPDATE = okta.PROFILE_UPDATE
PROGRESSIVE_UPDATE = okta.PROGRESSIVE_UPDATE
KNOWN_COMMANDS = okta.KNOWN_COMMANDS
DEFAULT_TIMEOUT_MS = okta.TIMEOUT_MS
DEFAULT_MAX_BODY = okta.MAX_RESPONSE_BYTES
# What the un-customised Sign-In Widget shows (okta-contract.md §3), by request flavour.
FAILURE_TEXT = okta.FAILURE_TEXT
ERROR_WITHOUT_CAUSES_TEXT = okta.ERROR_WITHOUT_CAUSES_TEXT
DENY_TEXT = okta.DENY_TEXT

_TOP_KEYS = ("commands", "error", "debugContext")
_CAUSE_KEYS = ("errorSummary", "reason", "locationType", "location", "domain")
_FIELD_PREFIXES = ("data.userProfile.", "data.userProfileUpdate.", "data.context.user.profile.")
_JSON_MEDIA = ("application/json",)
_PREVIEW_BYTES = 80
_QUOTED = re.compile(r'"([^"]+)"')


class Outcome(enum.Enum):
    """What happens to the registration or profile update."""

    ALLOWED = "ALLOWED"
    PROFILE_UPDATED = "PROFILE UPDATED"
    DENIED = "DENIED"


class Severity(enum.Enum):
    """error: Okta rejects the answer; warning: goes on, but look again; note: worth knowing."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


READING_SPEC = "UNCONFIRMED: Okta's API spec (the generic text)"
READING_UPGRADE_GUIDE = "UNCONFIRMED: Okta's 2026 upgrade guide (the errorSummary)"
READING_SUMMARY_PASSED_BACK = (
    "UNCONFIRMED: Okta's guide (this errorSummary reaches the page; by its API spec only the "
    "causes show, under the widget's banner)"
)
STRICT = "strict"
LENIENT = "lenient"
READINGS = (STRICT, LENIENT)
"""How to read the rules Okta does not document (UNCONFIRMED): strict fails closed (an answer
Okta might refuse is read as refused); lenient reads Okta as going on without the part it
cannot use."""


@dataclass(frozen=True)
class RuleBreak:
    """One rule of the contract the answer breaks (or a remark on it), with its JSON path.

    `reading` is set ("strict" or "lenient") on a rule Okta does not document: its severity is
    that reading's, and `label` says so."""

    code: str
    severity: Severity
    message: str
    path: str = ""
    reading: str | None = None

    @property
    def unconfirmed(self) -> bool:
        return self.reading is not None

    @property
    def label(self) -> str:
        """`UNCONFIRMED (strict reading)` for a rule Okta does not document, else ""."""
        return f"UNCONFIRMED ({self.reading} reading)" if self.reading else ""

    def format(self) -> str:
        where = f"{self.path}: " if self.path else ""
        tag = f" [{self.label}]" if self.reading else ""
        return f"{self.severity.value}: {where}{self.message}{tag}"


@dataclass(frozen=True)
class EndUserMessage:
    """A text the person sees: under a form field, or at the top of the form when `field` is
    None. `banner` marks the widget's own banner ("We found some errors...") that it draws
    above a form with field errors. `reading` is set when Okta's sources disagree on what is
    shown: the message is one of several readings, and `reading` names whose (UNCONFIRMED)."""

    text: str
    field: str | None
    location: str | None
    banner: bool = False
    reading: str = ""


@dataclass(frozen=True)
class AttributeChange:
    """One attribute a command sets. `before` is None when the attribute was not set."""

    name: str
    before: Any
    after: Any
    command_index: int
    known: bool


@dataclass(frozen=True)
class Verdict:
    """What Okta would do with one hook answer."""

    outcome: Outcome
    request_type: str | None
    hook_failed: bool
    headline: str
    commands_run: tuple[dict[str, Any], ...]
    changes: tuple[AttributeChange, ...]
    profile_before: dict[str, Any]
    profile_after: dict[str, Any]
    messages: tuple[EndUserMessage, ...]
    problems: tuple[RuleBreak, ...]
    status: int | None
    elapsed_ms: float
    size_bytes: int
    response_value: Any | None
    reading: str = STRICT

    @property
    def banner(self) -> str | None:
        """The widget's banner text when it draws one above the form, else None."""
        return next((m.text for m in self.messages if m.banner), None)

    def unconfirmed(self) -> tuple[RuleBreak, ...]:
        """The rule breaks that rest on a reading of rules Okta does not document."""
        return tuple(p for p in self.problems if p.unconfirmed)

    def errors(self) -> tuple[RuleBreak, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    def to_json(self) -> dict[str, Any]:
        """A stable, JSON-serialisable shape (keys always present, in this order)."""
        elapsed = round(self.elapsed_ms, 3) if math.isfinite(self.elapsed_ms) else None
        return {
            "outcome": self.outcome.value,
            "request_type": self.request_type,
            "hook_failed": self.hook_failed,
            "headline": self.headline,
            "http": {"status": self.status, "elapsed_ms": elapsed, "size_bytes": self.size_bytes},
            "reading": self.reading,
            "messages": [
                {
                    "text": m.text,
                    "field": m.field,
                    "location": m.location,
                    "banner": m.banner,
                    "reading": m.reading or None,
                }
                for m in self.messages
            ],
            "commands_run": list(self.commands_run),
            "changes": [
                {
                    "name": c.name,
                    "before": c.before,
                    "after": c.after,
                    "command_index": c.command_index,
                    "known": c.known,
                }
                for c in self.changes
            ],
            "profile_before": dict(self.profile_before),
            "profile_after": dict(self.profile_after),
            "problems": [
                {
                    "code": p.code,
                    "severity": p.severity.value,
                    "message": p.message,
                    "path": p.path,
                    "unconfirmed": p.label or None,
                    "rests_on": _rests_on(p) if p.unconfirmed else None,
                }
                for p in self.problems
            ],
            "response": self.response_value,
        }

    def to_text(self) -> str:
        """A report for people: headline, what the person sees, commands, profile, rule breaks."""
        lines = [one_line(self.headline)]
        if self.request_type is not None:
            lines.append(f"Request type: {self.request_type}")
        lines.append(_http_line(self))
        lines.append("")
        lines.append("The person sees:")
        if self.messages:
            for message in self.messages:
                if message.banner:
                    place = "banner above the form"
                elif message.field:
                    place = f'under the "{message.field}" field'
                else:
                    place = "at the top of the form"
                reading = f" [{message.reading}]" if message.reading else ""
                lines.append(f"  {place}: {one_line(message.text)}{reading}")
        elif self.outcome is Outcome.DENIED:
            lines.append("  (no message)")
        else:
            lines.append("  no message: the flow goes on")
        lines.append("")
        if self.commands_run:
            lines.append("Commands run, in order:")
            for index, command in enumerate(self.commands_run):
                lines.append(
                    f"  {index + 1}. {_show(command.get('type'))} {_show(command.get('value'))}"
                )
        else:
            lines.append("Commands run: none")
        lines.append("")
        lines.extend(self._profile_table())
        lines.append("")
        if self.problems:
            lines.append("Rule breaks:")
            width = max(len(p.severity.value) for p in self.problems)
            for problem in self.problems:
                where = f"{problem.path}: " if problem.path else ""
                tag = f" [{problem.label}]" if problem.reading else ""
                text = one_line(f"{where}{problem.message}{tag}")
                lines.append(f"  {problem.severity.value.ljust(width)}  {text}")
        else:
            lines.append("Rule breaks: none")
        return "\n".join(lines)

    def _profile_table(self) -> list[str]:
        names = list(self.profile_before)
        names += [name for name in self.profile_after if name not in self.profile_before]
        if not names:
            return ["Profile: (empty)"]
        changed = {c.name for c in self.changes}
        rows = [("", "attribute", "before", "after")]
        for name in names:
            before = _cell(self.profile_before, name)
            after = _cell(self.profile_after, name)
            mark = "*" if name in changed else ""
            rows.append((mark, name, before, after))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        title = "Profile before -> after (* = set by a command):"
        table = [
            "  "
            + "  ".join(
                cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row)
            ).rstrip()
            for row in rows
        ]
        return [title, *table]


# ---------------------------------------------------------------------------------------------
# Small helpers.


def _rests_on(problem: RuleBreak) -> list[dict[str, str]]:
    """The Okta sentences an UNCONFIRMED rule rests on (`app.logic.undocumented`), as JSON:
    an empty list when no Okta sentence covers it."""
    entry = undocumented_rule(problem.code)
    if entry is None:
        return []
    return [
        {"repo": s.repo, "path": s.path, "commit": s.commit, "words": s.words}
        for s in entry.rests_on
    ]


def _show(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return repr(value)


def _cell(profile: dict[str, Any], name: str) -> str:
    if name not in profile:
        return "(not set)"
    text = _show(profile[name])
    return text if len(text) <= 60 else text[:57] + "..."


def _http_line(verdict: Verdict) -> str:
    elapsed = verdict.elapsed_ms
    took = f"{elapsed:.1f} ms" if math.isfinite(elapsed) else "unknown time"
    if verdict.status is None:
        return f"HTTP: no answer ({took})"
    return f"HTTP: {verdict.status}, {took}, {verdict.size_bytes} bytes"


def _suggest(word: str, candidates: list[str] | tuple[str, ...]) -> str:
    found = closest_name(word, candidates)
    return f'; did you mean "{found}"?' if found else ""


def _type_ok(expected: str, value: Any) -> bool:
    if value is None:
        return True
    if expected == "string":
        return isinstance(value, str)
    if expected == "boolean":
        return isinstance(value, bool)
    if expected == "integer":
        if isinstance(value, bool):
            return False
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if expected == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if expected == "array":
        return isinstance(value, list)
    if expected == "object":
        return isinstance(value, dict)
    return True


def _is_within(path: str, ancestor: str) -> bool:
    """True when `path` is `ancestor` or lies inside it ("commands[0].type" within "commands")."""
    if path == ancestor:
        return True
    if not ancestor:
        return False
    return path.startswith(ancestor + ".") or path.startswith(ancestor + "[")


def _child(path: str, key: str) -> str:
    """The path of `key` inside `path`, spelt as the validation module spells paths."""
    part = format_path([key])
    if not path or part.startswith("["):
        return path + part
    return f"{path}.{part}"


def _last_segment(path: str) -> str:
    tail = path.rsplit(".", 1)[-1]
    return tail.split("[", 1)[0]


# ---------------------------------------------------------------------------------------------
# The judgement.


class _Judge:
    """Collects rule breaks while one answer is read."""

    def __init__(self, reading: str = STRICT) -> None:
        self.breaks: list[RuleBreak] = []
        self.reading = reading
        # (command index, attribute) a lenient reading has Okta leave out.
        self.skipped: set[tuple[int, str]] = set()

    @property
    def strict(self) -> bool:
        return self.reading == STRICT

    def add(self, code: str, severity: Severity, message: str, path: str = "") -> None:
        self.breaks.append(RuleBreak(code, severity, message, path))

    def unconfirmed(
        self, code: str, strict: Severity, lenient: Severity, message: str, path: str = ""
    ) -> None:
        """A rule Okta does not document: `strict` or `lenient` severity, per the reading."""
        severity = strict if self.strict else lenient
        self.breaks.append(RuleBreak(code, severity, message, path, self.reading))

    def undocumented(self, code: str, message: str, path: str = "") -> None:
        """A broken shape whose outcome Okta does not document (`app.logic.undocumented`):
        strict, the answer is refused (error); lenient, Okta goes on without the broken part
        (warning; the caller leaves that part out). The message says which, and why."""
        entry = undocumented_rule(code)
        effect = (entry.strict if self.strict else entry.lenient) if entry else ""
        rests = (
            "Okta documents the valid shape, not what it does with this"
            if entry is not None and entry.rests_on
            else "no Okta sentence covers this"
        )
        if effect:
            # The developer's fix first, unchanged; then what Okta may do about it.
            message = message if message.endswith((".", "?")) else message + "."
            message = f"{message} {rests[0].upper()}{rests[1:]} ({self.reading} reading: {effect})."
        self.unconfirmed(code, Severity.ERROR, Severity.WARNING, message, path)

    def error(self, code: str, message: str, path: str = "") -> None:
        self.add(code, Severity.ERROR, message, path)

    def warning(self, code: str, message: str, path: str = "") -> None:
        self.add(code, Severity.WARNING, message, path)

    def note(self, code: str, message: str, path: str = "") -> None:
        self.add(code, Severity.NOTE, message, path)

    @property
    def failed(self) -> bool:
        return any(b.severity is Severity.ERROR for b in self.breaks)


@dataclass(frozen=True)
class _RequestView:
    """What the verdict needs from the request, read defensively."""

    request_type: str | None
    flavour: str  # "ssr" | "pp": which texts the person sees
    classic: bool
    profile_before: dict[str, Any]
    form_fields: frozenset[str]  # the inputs of the form the policy shows


def request_form_fields(request: Any) -> tuple[str, ...]:
    """The inputs of the form a request came from, as far as the request tells: sign-up, the
    keys of `data.userProfile` (without `login` when `email` is there: Okta fills the login
    from the email); progressive, the keys of `data.userProfileUpdate`. A caller that knows the
    policy's form passes it instead (`request_builder.policy_fields`)."""
    data = jsontext.dig(request, "data")
    update = jsontext.dig(data, "userProfileUpdate")
    profile = jsontext.dig(data, "userProfile")
    if not isinstance(profile, dict) and isinstance(update, dict):
        return tuple(k for k in update if isinstance(k, str))
    if not isinstance(profile, dict):
        return ()
    names = tuple(k for k in profile if isinstance(k, str))
    return tuple(n for n in names if n != "login") if "email" in names else names


def _read_request(
    request: Any,
    judge: _Judge,
    form_fields: Any = None,
    stored_profile: Any = None,
) -> _RequestView:
    raw_type = request.get("requestType") if isinstance(request, dict) else None
    data = jsontext.dig(request, "data")
    has_user_profile = isinstance(jsontext.dig(data, "userProfile"), dict)
    looks_progressive = isinstance(jsontext.dig(data, "userProfileUpdate"), dict) or isinstance(
        jsontext.dig(data, "context", "user"), dict
    )
    classic = False
    inferred, how = infer_request_type(request)
    if how in ("url", "shape"):
        raw_type = inferred
        judge.note("request-type-inferred", inferred_type_note(request), "requestType")
    if raw_type == SSR_TYPE:
        flavour = "ssr"
    elif raw_type == PP_TYPE:
        flavour = "pp"
    elif how == "classic" and has_user_profile and not looks_progressive:
        flavour, classic = "ssr", True
        judge.note(
            "classic-request",
            "The request has no requestType: a Classic Engine registration. The Classic widget "
            "shows only errorCauses[0], and only when its location starts with data.userProfile.",
        )
    else:
        flavour = "pp" if looks_progressive and not has_user_profile else "ssr"
        shown = "missing" if raw_type is None else f"{_show(raw_type)}, not one Okta sends"
        judge.note(
            "request-type-unknown",
            f"The request type is {shown}; the verdict uses the "
            f"{'progressive profile' if flavour == 'pp' else 'self-service registration'} texts.",
            "requestType",
        )
    if flavour == "pp":
        # The user's stored profile comes from the org: context.user.profile is only Okta's
        # five-attribute user context (okta.PP_CONTEXT_PROFILE), so it stands in only when the
        # org's copy of the user is not known.
        before = stored_profile
        if not isinstance(before, dict):
            before = jsontext.dig(data, "context", "user", "profile")
            if isinstance(before, dict):
                judge.note(
                    "profile-before-context",
                    "The profile before is the request's context.user.profile, which holds only "
                    "the few attributes Okta puts in its user context (login, firstName, "
                    "lastName, locale, timeZone), not the stored profile; load the org's user "
                    "to see the whole profile.",
                    "data.context.user.profile",
                )
    else:
        before = jsontext.dig(data, "userProfile")
    if form_fields is None:
        form_fields = request_form_fields(request)
    return _RequestView(
        request_type=raw_type if isinstance(raw_type, str) else None,
        flavour=flavour,
        classic=classic,
        profile_before=dict(before) if isinstance(before, dict) else {},
        form_fields=frozenset(str(name) for name in form_fields),
    )


def _body_bytes(answer: Any) -> bytes:
    body = getattr(answer, "body", b"")
    if isinstance(body, bytes):
        return body
    if isinstance(body, bytearray | memoryview):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8", "surrogatepass")
    return b""


def _header(answer: Any, name: str) -> str | None:
    headers = getattr(answer, "headers", None)
    if not isinstance(headers, dict):
        return None
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == name:
            return value if isinstance(value, str) else str(value)
    return None


def _preview(body: bytes) -> str:
    head = body[:_PREVIEW_BYTES]
    text = repr(head)[2:-1]
    return text + ("..." if len(body) > _PREVIEW_BYTES else "")


def _parse_body(body: bytes) -> tuple[Any, str | None, str | None]:
    """(value, text, why-not-JSON). A leading UTF-8 byte-order mark is skipped: whether Okta
    skips it is not documented, so the caller judges it first (rule ``answer-bom``)."""
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, None, f"not UTF-8 text (byte {exc.start})"
    if not text.strip():
        return None, text, "empty"
    try:
        return jsontext.loads(text), text, None
    except json.JSONDecodeError as exc:
        return None, text, f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
    except ValueError as exc:
        return None, text, str(exc)
    except RecursionError:
        return None, text, "nested too deeply to read"


def _check_http(
    answer: Any, body: bytes, elapsed: float, timeout_ms: float, max_body: int, judge: _Judge
) -> int | None:
    """HTTP-level rules (§2, §4). Returns the status (None when no answer arrived)."""
    status = getattr(answer, "status", None)
    if isinstance(status, bool) or not isinstance(status, int):
        status = None
    failure = getattr(answer, "failure", None)
    attempts = getattr(answer, "attempts", 1)
    if isinstance(attempts, int) and not isinstance(attempts, bool) and attempts > 1:
        judge.note("retried", f"The call was made {attempts} times (Okta retries at most once).")
    if failure is not None or status is None:
        kind = failure.value if isinstance(failure, FailureKind) else "no HTTP answer"
        detail = getattr(answer, "failure_detail", "")
        detail = f": {detail}" if isinstance(detail, str) and detail else ""
        if failure is FailureKind.TIMEOUT:
            judge.error(
                "timeout",
                f"No answer within Okta's {timeout_ms:g} ms budget{detail}; the flow stops.",
            )
        else:
            judge.error("transport", f"No HTTP answer ({kind}{detail}); the flow stops.")
        return None
    # Okta's budget is per attempt: after a retry, the answering attempt's time is what counts.
    attempt = getattr(answer, "attempt_ms", None)
    retried = isinstance(attempts, int) and not isinstance(attempts, bool) and attempts > 1
    per_attempt = retried and isinstance(attempt, int | float) and not isinstance(attempt, bool)
    judged = float(attempt) if per_attempt else elapsed
    if math.isnan(judged):
        judge.note("elapsed-unknown", "The call's duration is unknown; the 3 s rule is unchecked.")
    elif judged > timeout_ms:
        which = "The retry's answer" if per_attempt else "The answer"
        judge.error(
            "too-slow",
            f"{which} took {judged:.0f} ms; Okta waits at most {timeout_ms:g} ms and then "
            "stops the flow.",
        )
    if 300 <= status < 400:
        location = _header(answer, "location")
        where = f"to {location}" if location else "with no Location header"
        judge.error(
            "redirect",
            f"HTTP {status} redirect {where}: Okta does not follow redirects; the flow stops.",
        )
    elif status in (401, 403):
        judge.error(
            "http-auth",
            f"HTTP {status}: the service refused the credentials Okta sent; the flow stops. "
            "Check the hook's authentication: the header (field) name the service expects and "
            "the secret value (for Basic auth, the base64 of user:password), or the OAuth 2.0 "
            "client settings.",
        )
    elif status == 404:
        judge.error(
            "http-not-found",
            "HTTP 404: the service has nothing at this URL; the URL's path is wrong (check the "
            "endpoint, e.g. /registrationHookSSR, and its case); the flow stops.",
        )
    elif status == 405:
        judge.error(
            "http-method",
            "HTTP 405: the service does not accept POST at this URL (Okta always POSTs); check "
            "the URL's path and the service's route; the flow stops.",
        )
    elif not 200 <= status < 300:
        judge.error(
            "http-status",
            f"HTTP {status}: Okta needs 200 with a JSON object or 204 with no body; the flow "
            "stops. Validation failures belong in the error object of a 200 answer.",
        )
    elif status not in (200, 204):
        judge.unconfirmed(
            "unusual-status",
            Severity.WARNING,
            Severity.WARNING,
            f"HTTP {status}: Okta documents 200 and 204; {status} is read like 200 (UNCONFIRMED).",
        )
    if len(body) >= max_body:
        # Okta's API reference sets "less than 256 KB" for the telephony, password import and
        # token hooks; it says nothing for the registration hook: the same limit, labelled.
        judge.unconfirmed(
            "body-too-large",
            Severity.ERROR,
            Severity.ERROR,
            f"The body is {len(body)} bytes; Okta needs it under {max_body} bytes; the flow "
            "stops (the limit Okta documents for its other inline hooks).",
        )
    return status


def _check_content_type(answer: Any, judge: _Judge) -> None:
    content_type = _header(answer, "content-type")
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media in _JSON_MEDIA or media.endswith("+json"):
        return
    shown = f'"{content_type}"' if content_type else "missing"
    judge.unconfirmed(
        "content-type",
        Severity.WARNING,
        Severity.NOTE,
        f"Content-Type is {shown}, not application/json. Okta documents JSON answers; whether "
        "it reads this body as JSON anyway is not documented (a strict proxy or client may not).",
    )


def _check_commands(
    value: dict[str, Any], view: _RequestView, schema: Any, judge: _Judge
) -> list[tuple[int, dict[str, Any]]]:
    """Rules on `commands`. Returns the well-formed commands with their indexes."""
    if "commands" not in value:
        return []
    commands = value["commands"]
    if commands is None:
        judge.warning(
            "commands-null", "commands is null; Okta reads it as no commands.", "commands"
        )
        return []
    if not isinstance(commands, list):
        judge.undocumented(
            "commands-not-list",
            f"commands must be a list of commands, not {json_kind(commands)}.",
            "commands",
        )
        return []
    good: list[tuple[int, dict[str, Any]]] = []
    for index, command in enumerate(commands):
        path = f"commands[{index}]"
        if not isinstance(command, dict):
            judge.undocumented(
                "command-not-object",
                f"A command must be an object, not {json_kind(command)}.",
                path,
            )
            continue
        if _check_command(index, command, view, schema, judge):
            good.append((index, command))
    return good


def _check_command(
    index: int, command: dict[str, Any], view: _RequestView, schema: Any, judge: _Judge
) -> bool:
    path = f"commands[{index}]"
    ok = True
    command_type = command.get("type")
    if "type" not in command:
        judge.undocumented("command-type-missing", "The command has no type.", f"{path}.type")
        ok = False
    elif not isinstance(command_type, str):
        judge.undocumented(
            "command-type-not-text",
            f"type must be a string, not {json_kind(command_type)}.",
            f"{path}.type",
        )
        ok = False
    elif command_type not in KNOWN_COMMANDS:
        judge.undocumented(
            "unknown-command",
            f"{_show(command_type)} is not a command Okta knows"
            f"{_suggest(command_type, KNOWN_COMMANDS) or '.'}",
            f"{path}.type",
        )
        ok = False
    for key in command:
        if key not in ("type", "value"):
            judge.warning(
                "unknown-key", f"Okta does not read {_show(key)} in a command.", _child(path, key)
            )
    if "value" not in command:
        judge.undocumented("command-value-missing", "The command has no value.", f"{path}.value")
        return False
    payload = command["value"]
    if not isinstance(payload, dict):
        judge.undocumented(
            "command-value-not-object",
            f"value must be an object, not {json_kind(payload)}.",
            f"{path}.value",
        )
        return False
    if not ok:
        if isinstance(command_type, str) and _suggest(command_type, (ACTION_UPDATE,)):
            # The API reference's misspelling: check its value as the command it means, so both
            # mistakes are reported at once.
            _check_registration(index, payload, judge)
        return False
    if command_type == ACTION_UPDATE:
        return _check_registration(index, payload, judge)
    if command_type == PROFILE_UPDATE and view.flavour == "pp":
        outcome = (
            "read here as a rejected answer"
            if judge.strict
            else "read here as Okta leaving this command out"
        )
        judge.unconfirmed(
            "profile-update-in-pp",
            Severity.ERROR,
            Severity.WARNING,
            f"{PROFILE_UPDATE} is invalid in a progressive profile answer; use "
            f"{PROGRESSIVE_UPDATE}. What Okta then does is not documented ({outcome}).",
            f"{path}.type",
        )
        _check_attributes(index, payload, schema, judge)  # every broken rule, not the first
        return False
    if command_type == PROGRESSIVE_UPDATE and view.flavour == "ssr":
        judge.unconfirmed(
            "progressive-update-in-ssr",
            Severity.WARNING,
            Severity.WARNING,
            f"{PROGRESSIVE_UPDATE} in a registration answer: whether Okta accepts it is "
            f"UNCONFIRMED (shown as applied); {PROFILE_UPDATE} is the documented command.",
            f"{path}.type",
        )
    if not payload:
        judge.note("empty-update", "The update command sets no attribute.", f"{path}.value")
    _check_attributes(index, payload, schema, judge)
    return True


def _check_registration(index: int, payload: dict[str, Any], judge: _Judge) -> bool:
    path = f"commands[{index}].value"
    for key in payload:
        if key not in ("registration", "action"):
            judge.warning(
                "unknown-key",
                f"Okta does not read {_show(key)} in this command.",
                _child(path, key),
            )
    if "registration" not in payload:
        if "action" in payload:
            judge.undocumented(
                "registration-key",
                'The key is "registration", not "action" (Okta\'s API reference says "action" '
                'in its prose; its examples and the guide use "registration")',
                f"{path}.action",
            )
        else:
            judge.undocumented(
                "registration-missing",
                f'{ACTION_UPDATE} needs {{"registration": "ALLOW"}} or {{"registration": "DENY"}}.',
                path,
            )
        return False
    if "action" in payload:
        judge.warning(
            "unknown-key",
            'Okta does not read "action" in this command (the key is "registration").',
            f"{path}.action",
        )
    decision = payload["registration"]
    if decision not in ("ALLOW", "DENY"):
        hint = ""
        if isinstance(decision, str) and decision.strip().upper() in ("ALLOW", "DENY"):
            hint = f' (write "{decision.strip().upper()}", upper case)'
        judge.undocumented(
            "registration-value",
            f'registration must be "ALLOW" or "DENY", not {_show(decision)}{hint}.',
            f"{path}.registration",
        )
        return False
    if decision == "ALLOW":
        judge.note(
            "redundant-allow",
            "ALLOW is Okta's default; sending it is legal but redundant.",
            f"{path}.registration",
        )
    return True


_SUGGEST_LIMIT = 20
"""At most this many unknown attributes get a "did you mean" (difflib is ~50 µs a name)."""


def _check_attributes(index: int, payload: dict[str, Any], schema: Any, judge: _Judge) -> None:
    if schema is None:
        if "password" in payload:
            path = _child(f"commands[{index}].value", "password")
            judge.undocumented("password", "A hook may never set the password", path)
            judge.skipped.add((index, "password"))
        return
    attributes = schema.attributes
    strict = judge.strict
    outcome = "read here as a rejected answer" if strict else "read here as Okta leaving it out"
    suggested = 0
    for name, new_value in payload.items():
        definition = attributes.get(name)
        if definition is not None and name != "password":
            expected = definition.type
            if new_value is None:
                if definition.required:
                    judge.undocumented(
                        "required-null",
                        f"{name} is required; it cannot be set to null",
                        _child(f"commands[{index}].value", name),
                    )
                    judge.skipped.add((index, name))
            elif not _type_ok(expected, new_value):
                judge.unconfirmed(
                    "wrong-type",
                    Severity.ERROR,
                    Severity.WARNING,
                    f"{name} is of type {expected} in the org's schema; {_show(new_value)} is "
                    f"{json_kind(new_value)}. The Users API refuses such a value; what the hook "
                    f"framework then does is not documented ({outcome}).",
                    _child(f"commands[{index}].value", name),
                )
                if not strict:
                    judge.skipped.add((index, name))
            if definition.read_only:
                judge.unconfirmed(
                    "read-only",
                    Severity.WARNING,
                    Severity.NOTE,
                    f"{name} is read-only for end users in the org's schema (Okta's default for "
                    "employeeNumber); whether a hook update of it goes through is not documented "
                    "(the admin can make it read-write).",
                    _child(f"commands[{index}].value", name),
                )
            continue
        path = _child(f"commands[{index}].value", name)
        if name == "password":
            judge.undocumented("password", "A hook may never set the password", path)
            judge.skipped.add((index, "password"))
            continue
        hint = "."
        if suggested < _SUGGEST_LIMIT:
            suggested += 1
            hint = _suggest(name, [n for n in attributes if isinstance(n, str)]) or "."
        judge.unconfirmed(
            "unknown-attribute",
            Severity.ERROR,
            Severity.WARNING,
            f"The org's user schema has no attribute {_show(name)}{hint}"
            f" Okta cannot store it; what the hook framework then does is not documented "
            f"({outcome}).",
            path,
        )
        if not strict:
            judge.skipped.add((index, name))


def _field_for(location: str, view: _RequestView, judge: _Judge, path: str) -> str | None:
    """The form input a cause's `location` points at, by one rule: the input must be on the
    form the policy shows. Sign-up: `data.userProfile.X` (Okta: the location "specifies the
    request object's user profile attribute"). Progressive: any of the three profile paths by
    attribute name (UNCONFIRMED: Okta documents no mapping; its own progressive example points
    at data.userProfile). Anything else goes in the banner (UNCONFIRMED too)."""
    prefixes = _FIELD_PREFIXES if view.flavour == "pp" else _FIELD_PREFIXES[:1]
    for prefix in prefixes:
        if location.startswith(prefix):
            name = location[len(prefix) :]
            if name in view.form_fields:
                if view.flavour == "pp":
                    judge.unconfirmed(
                        "cause-location-progressive",
                        Severity.NOTE,
                        Severity.NOTE,
                        f"{location} is read as the progressive form's {name} input: Okta "
                        "documents no mapping from a location to that form (its own example "
                        "points at data.userProfile); the other reading puts it in the banner.",
                        path,
                    )
                return name
            break
    shown = ", ".join(sorted(view.form_fields)) or "no inputs"
    judge.unconfirmed(
        "cause-location-no-field",
        Severity.NOTE,
        Severity.NOTE,
        f"{location} names no input of the form ({shown}), so the message is read as shown in "
        "the banner at the top of the form; Okta does not document this (the other reading: "
        "the person never sees it).",
        path,
    )
    return None


def _check_error(
    value: dict[str, Any], view: _RequestView, judge: _Judge
) -> tuple[bool, list[EndUserMessage]]:
    """Rules on `error`. Returns (an error object is present, the messages its causes show)."""
    if "error" not in value:
        return False, []
    error = value["error"]
    if error is None:
        judge.warning("error-null", "error is null; Okta reads it as no error.", "error")
        return False, []
    if not isinstance(error, dict):
        judge.error(
            "error-not-object", f"error must be an object, not {json_kind(error)}.", "error"
        )
        return True, []
    summary = error.get("errorSummary")
    if "errorSummary" in error and not isinstance(summary, str):
        judge.warning(
            "not-text",
            f"errorSummary should be a string, not {json_kind(summary)}.",
            "error.errorSummary",
        )
    for key in error:
        if key not in ("errorSummary", "errorCauses"):
            judge.warning(
                "unknown-key", f"Okta does not read {_show(key)} in error.", _child("error", key)
            )
    causes = error.get("errorCauses")
    if causes is None:
        return True, []
    if not isinstance(causes, list):
        judge.error(
            "error-causes-not-list",
            f"errorCauses must be a list, not {json_kind(causes)}.",
            "error.errorCauses",
        )
        return True, []
    messages: list[EndUserMessage] = []
    for index, cause in enumerate(causes):
        path = f"error.errorCauses[{index}]"
        if not isinstance(cause, dict):
            judge.error(
                "cause-not-object",
                f"An error cause must be an object, not {json_kind(cause)}.",
                path,
            )
            continue
        for key in cause:
            if key not in _CAUSE_KEYS:
                judge.warning(
                    "unknown-key",
                    f"Okta does not read {_show(key)} in an error cause.",
                    _child(path, key),
                )
        text = cause.get("errorSummary")
        if not isinstance(text, str) or not text.strip():
            shown = "none" if "errorSummary" not in cause else json_kind(text)
            if isinstance(text, str):
                shown = "an empty string"
            judge.warning(
                "cause-no-summary",
                f"This cause's errorSummary is {shown}: the person sees nothing for it.",
                f"{path}.errorSummary",
            )
            continue
        location = cause.get("location")
        if "location" in cause and not isinstance(location, str):
            judge.warning(
                "not-text",
                f"location should be a string, not {json_kind(location)}; the message shows at "
                "the top of the form.",
                f"{path}.location",
            )
            location = None
        if view.classic and (index > 0 or not (location or "").startswith("data.userProfile")):
            continue
        field = _field_for(location, view, judge, f"{path}.location") if location else None
        messages.append(EndUserMessage(text, field, location))
    return True, messages


def _covered(path: str, breaks: list[RuleBreak], message: str) -> bool:
    """True when a schema problem at `path` repeats one of our own rule breaks."""
    for rule_break in breaks:
        mine = rule_break.path
        if not mine and rule_break.severity is Severity.NOTE:
            continue
        if _is_within(path, mine):
            return True
        if _is_within(mine, path):
            # The schema names the object that holds our finding ("missing required key
            # \"registration\"" beside our "the key is registration, not action").
            words = {_last_segment(mine), *_QUOTED.findall(message)}
            if any(word and word in rule_break.message + mine for word in words):
                return True
    return False


def _add_schema_problems(value: Any, text: str, judge: _Judge) -> None:
    """Structural problems from the response schema that our own checks do not already name.

    An answer the quick check passes has none (jsonschema is not run: on a 255 KB answer it
    takes hundreds of milliseconds); any other is checked as `validate response` checks it."""
    if response_is_valid(value):
        return
    try:
        checked = validate_response(text)
    except Exception as exc:  # another module's fault must not stop the verdict
        judge.note("schema-check-failed", f"The response schema check failed: {exc}")
        return
    own = [b for b in judge.breaks if b.code not in ("redundant-allow", "empty-update")]
    for problem in getattr(checked, "problems", ()):
        path = str(getattr(problem, "path", ""))
        message = str(getattr(problem, "message", ""))
        if _covered(path, own, message):
            continue
        line, column = getattr(problem, "line", None), getattr(problem, "column", None)
        where = f" (line {line}, column {column})" if line and column else ""
        judge.warning("schema", f"{message}{where}", path)


def _apply(
    commands: list[tuple[int, dict[str, Any]]],
    before: dict[str, Any],
    schema: Any,
    skipped: set[tuple[int, str]] = frozenset(),  # type: ignore[assignment]
) -> tuple[str | None, list[AttributeChange], dict[str, Any]]:
    """Run well-formed commands in order: (last registration decision, changes, profile after)."""
    decision: str | None = None
    changes: list[AttributeChange] = []
    after = dict(before)
    for index, command in commands:
        payload = command["value"]
        if command["type"] == ACTION_UPDATE:
            decision = payload["registration"]
            continue
        for name, new_value in payload.items():
            if skipped and (index, name) in skipped:
                continue
            known = schema is None or bool(schema.has(name))
            changes.append(AttributeChange(name, after.get(name), new_value, index, known))
            after[name] = new_value
    return decision, changes, after


def _failure_headline(judge: _Judge, text: str) -> str:
    first = next(b for b in judge.breaks if b.severity is Severity.ERROR)
    labels = {
        "timeout": "no answer in time",
        "transport": "no HTTP answer",
        "too-slow": "too slow",
        "redirect": "redirect",
        "http-status": "HTTP status",
        "http-auth": "credentials refused",
        "http-not-found": "wrong URL path",
        "http-method": "POST not accepted",
        "body-too-large": "body too large",
        "empty-body": "empty body",
        "not-json": "not JSON",
        "not-object": "not a JSON object",
    }
    label = labels.get(first.code, "invalid answer")
    if first.reading is not None:
        # Not a fact: Okta does not document what it does here; say whose reading this is.
        label += f", {first.label}"
    return f"DENIED: the hook failed ({label}); the person sees: {text}"


def interpret_response(
    request: Any,
    answer: HookAnswer,
    schema: UserSchema | None = None,
    *,
    timeout_ms: float = DEFAULT_TIMEOUT_MS,
    max_body: int = DEFAULT_MAX_BODY,
    reading: str = STRICT,
    form_fields: Sequence[str] | None = None,
    stored_profile: Mapping[str, Any] | None = None,
) -> Verdict:
    """Say what Okta would do with `answer` to `request`, given the org's user `schema`
    (an `app.logic.org.UserSchema`; without it attribute names and types go unchecked).

    `reading` ("strict", the default, or "lenient") decides the rules Okta does not document;
    each such rule break is labelled UNCONFIRMED with the reading applied. `form_fields`: the
    inputs of the form the policy shows (default: what the request tells,
    `request_form_fields`); an error cause shows under one of them or in the banner.
    `stored_profile`: the org's profile of a progressive request's user, the profile before."""
    if reading not in READINGS:
        raise ValueError(f"reading must be one of {', '.join(READINGS)}, not {reading!r}")
    try:
        return _interpret(
            request,
            answer,
            schema,
            timeout_ms,
            max_body,
            reading,
            form_fields,
            dict(stored_profile) if stored_profile is not None else None,
        )
    except Exception as exc:  # last resort: a verdict must always come back
        return _internal_fault(answer, exc)


def _interpret(
    request: Any,
    answer: Any,
    schema: Any,
    timeout_ms: float,
    max_body: int,
    reading: str,
    form_fields: Any,
    stored_profile: Any,
) -> Verdict:
    judge = _Judge(reading)
    view = _read_request(request, judge, form_fields, stored_profile)
    body = _body_bytes(answer)
    raw_elapsed = getattr(answer, "elapsed_ms", 0.0)
    try:
        elapsed = float(raw_elapsed)
    except (TypeError, ValueError, OverflowError):
        elapsed = math.nan
    if elapsed < 0:
        elapsed = 0.0

    def verdict(**fields: Any) -> Verdict:
        base: dict[str, Any] = {
            "request_type": view.request_type,
            "hook_failed": False,
            "commands_run": (),
            "changes": (),
            "profile_before": view.profile_before,
            "profile_after": dict(view.profile_before),
            "messages": (),
            "problems": tuple(judge.breaks),
            "status": status,
            "elapsed_ms": elapsed,
            "size_bytes": len(body),
            "response_value": value,
            "reading": reading,
        }
        base.update(fields)
        if not judge.strict and base["headline"] and not base["hook_failed"]:
            # The lenient reading went on past a broken shape: the fix stays in the headline.
            refused = [
                b
                for b in base["problems"]
                if b.reading == LENIENT
                and (entry := undocumented_rule(b.code)) is not None
                and entry.strict_refuses
            ]
            if refused:
                first = refused[0]
                where = f"{first.path}: " if first.path else ""
                fix = first.message.split(" Okta documents the valid shape")[0]
                fix = fix.split(" No Okta sentence covers this")[0]
                stop = "" if base["headline"].endswith(".") else "."
                base["headline"] += (
                    f"{stop} UNCONFIRMED: the strict reading has the hook fail instead. "
                    f"Fix: {where}{fix}"
                )
        return Verdict(**base)

    def failed() -> Verdict:
        text = FAILURE_TEXT[view.flavour]
        if view.flavour == "pp":
            judge.unconfirmed(
                "pp-failure-text",
                Severity.NOTE,
                Severity.NOTE,
                "Okta's pages disagree on the progressive-profile failure text (UNCONFIRMED).",
            )
        return verdict(
            outcome=Outcome.DENIED,
            hook_failed=True,
            headline=_failure_headline(judge, text),
            messages=(EndUserMessage(text, None, None),),
            problems=tuple(judge.breaks),
        )

    value: Any = None
    status = _check_http(answer, body, elapsed, timeout_ms, max_body, judge)
    if status is None:
        return failed()
    if status == 204:
        if body:
            judge.note("body-with-204", "A 204 answer's body is ignored.")
        if judge.failed:
            return failed()
        return _allowed(verdict, view, "HTTP 204 with no body")

    text: str | None = None
    bom_refused = False
    if len(body) < max_body and body.startswith(b"\xef\xbb\xbf") and 200 <= status < 300:
        # No Okta source says what its parser does with a byte-order mark; RFC 8259 (8.1)
        # forbids sending one and lets a parser ignore it.
        judge.undocumented(
            "answer-bom",
            "The body starts with a UTF-8 byte-order mark (EF BB BF); JSON sent over a network "
            "must not (RFC 8259, 8.1): remove it.",
        )
        bom_refused = judge.strict
    if len(body) < max_body and not bom_refused:
        value, text, why_not = _parse_body(body)
        if 200 <= status < 300:
            if why_not == "empty":
                read_as = "a failed call" if judge.strict else "allow, no change, like 204"
                judge.unconfirmed(
                    "empty-body",
                    Severity.ERROR,
                    Severity.WARNING,
                    "HTTP 200 with an empty body: that is not JSON, so Okta cannot parse it "
                    f"(read here as {read_as}; Okta does not document which). Answer 204 (or "
                    "{}) to allow with no change.",
                )
                if not judge.strict:
                    value, text = {}, ""
            elif why_not is not None:
                judge.error(
                    "not-json",
                    f"The body is not JSON ({why_not}). It starts: {_preview(body)}",
                )
            elif not isinstance(value, dict):
                judge.error(
                    "not-object",
                    f"The body is JSON but {json_kind(value)}, not an object.",
                )
            _check_content_type(answer, judge)
        elif isinstance(value, dict) and "error" in value and status not in (401, 403):
            judge.note(
                "error-in-status",
                f"The body has an error object, but Okta ignores the body of an HTTP {status} "
                "answer: send it with 200.",
            )
    if judge.failed:
        return failed()
    if not isinstance(value, dict) or text is None:  # unreachable: every other case failed above
        judge.error("internal", "The body could not be read.")
        return failed()
    if not value and not text:  # an empty 200 read leniently: as 204
        return _allowed(verdict, view, "empty body read as 204")

    for key in value:
        if key not in _TOP_KEYS:
            judge.warning(
                "unknown-key", f"Okta does not read {_show(key)} in the answer.", _child("", key)
            )
    debug = value.get("debugContext")
    if "debugContext" in value and not isinstance(debug, dict):
        judge.warning(
            "debug-context",
            f"debugContext should be an object, not {json_kind(debug)}.",
            "debugContext",
        )
    commands = _check_commands(value, view, schema, judge)
    has_error, messages = _check_error(value, view, judge)
    _add_schema_problems(value, text, judge)
    if judge.failed:
        return failed()

    if has_error:
        error = value.get("error")
        raw_causes = error.get("errorCauses") if isinstance(error, dict) else None
        denies = any(
            c["type"] == ACTION_UPDATE and c["value"]["registration"] == "DENY" for _, c in commands
        )
        if commands:
            judge.note(
                "commands-ignored",
                f"The answer has an error object, so none of its {len(commands)} command(s) run.",
                "commands",
            )
        if not messages:
            generic = ERROR_WITHOUT_CAUSES_TEXT[view.flavour]
            if not denies:
                judge.unconfirmed(
                    "error-without-deny",
                    Severity.NOTE,
                    Severity.NOTE,
                    "Any error object denies, DENY command or not; Okta documents its generic "
                    "text for error + DENY (not documented without it).",
                    "error",
                )
            if isinstance(raw_causes, list) and raw_causes and not view.classic:
                judge.note(
                    "no-cause-shown",
                    "No error cause has a text to show; the generic one shows.",
                    "error.errorCauses",
                )
            summary = error.get("errorSummary") if isinstance(error, dict) else None
            if isinstance(summary, str) and summary.strip() and summary != generic:
                # Okta's sources disagree: show both readings, labelled.
                messages = [
                    EndUserMessage(generic, None, None, reading=READING_SPEC),
                    EndUserMessage(summary, None, None, reading=READING_UPGRADE_GUIDE),
                ]
                judge.unconfirmed(
                    "error-summary-shown",
                    Severity.NOTE,
                    Severity.NOTE,
                    f"An error with only errorSummary: Okta's API spec says the person sees "
                    f'"{generic}"; its 2026 guide "Upgrade registration inline hooks to '
                    'Identity Engine" says the errorSummary itself appears. Both are shown.',
                    "error.errorSummary",
                )
            else:
                messages = [EndUserMessage(generic, None, None)]
            headline = f"DENIED: {messages[0].text}"
            if len(messages) > 1:
                headline += f' (or, by the 2026 guide: "{messages[1].text}")'
        else:
            headline = f"DENIED: {messages[0].text}"
            if len(messages) > 1:
                headline += f" (+{len(messages) - 1} more)"
            summary = error.get("errorSummary") if isinstance(error, dict) else None
            with_summary = (
                not view.classic
                and isinstance(summary, str)
                and bool(summary.strip())
                and summary != okta.BANNER_TEXT
            )
            top: list[EndUserMessage] = []
            if not view.classic and any(m.field for m in messages):
                # The widget draws its banner above a form with field errors (Gen2
                # BaseForm.__showErrors; Gen3 when the reply has no top-level message).
                top.append(EndUserMessage(okta.BANNER_TEXT, None, None, banner=True))
            if with_summary:
                # Okta's sources disagree on whether the top-level summary reaches the page
                # beside the causes: both readings, labelled.
                top.append(
                    EndUserMessage(str(summary), None, None, reading=READING_SUMMARY_PASSED_BACK)
                )
                judge.unconfirmed(
                    "error-summary-with-causes",
                    Severity.NOTE,
                    Severity.NOTE,
                    "An error with errorCauses and an errorSummary: Okta's API spec says only the "
                    "causes' texts appear (inline); its registration guide says the error "
                    "summary is passed back to the sign-in page. Both readings are shown.",
                    "error.errorSummary",
                )
            messages[:0] = top
        return verdict(
            outcome=Outcome.DENIED,
            headline=headline,
            messages=tuple(messages),
            problems=tuple(judge.breaks),
        )

    decision, changes, after = _apply(commands, view.profile_before, schema, judge.skipped)
    decisions = {c["value"]["registration"] for _, c in commands if c["type"] == ACTION_UPDATE}
    if len(decisions) > 1:
        judge.warning(
            "conflicting-registration",
            f"The answer both allows and denies; commands apply in order, so the last ({decision}) "
            "wins.",
            "commands",
        )
    run = tuple(command for _, command in commands)
    if decision == "DENY":
        if changes:
            judge.note(
                "updates-discarded",
                "The answer denies, so its profile updates are discarded.",
                "commands",
            )
        text_shown = DENY_TEXT[view.flavour]
        return verdict(
            outcome=Outcome.DENIED,
            headline=f"DENIED: {text_shown}",
            commands_run=run,
            messages=(EndUserMessage(text_shown, None, None),),
            problems=tuple(judge.breaks),
        )
    if not value:
        judge.note(
            "empty-answer",
            "{} means allow with no change. If this endpoint does not handle "
            f"{view.request_type or 'this kind of'} requests (the guide's single-purpose "
            "endpoints answer {} to the other type), its check is silently skipped.",
        )
    if not changes:
        return _allowed(verdict, view, "", commands_run=run)
    shown = ", ".join(f"{c.name} = {_show(c.after)}" for c in changes[:3])
    if len(changes) > 3:
        shown += f", ... ({len(changes)} changes)"
    return verdict(
        outcome=Outcome.PROFILE_UPDATED,
        headline=f"PROFILE UPDATED: {shown}",
        commands_run=run,
        changes=tuple(changes),
        profile_after=after,
        problems=tuple(judge.breaks),
    )


def _allowed(make: Any, view: _RequestView, why: str, **fields: Any) -> Verdict:
    if view.flavour == "pp":
        headline = "ALLOWED: sign-in goes on with no profile change"
    else:
        headline = "ALLOWED: registration goes on with no change"
    if why:
        headline += f" ({why})"
    return make(outcome=Outcome.ALLOWED, headline=headline + ".", **fields)


def _internal_fault(answer: Any, exc: Exception) -> Verdict:
    status = getattr(answer, "status", None)
    body = getattr(answer, "body", b"")
    elapsed = getattr(answer, "elapsed_ms", 0.0)
    return Verdict(
        outcome=Outcome.DENIED,
        request_type=None,
        hook_failed=False,
        headline="DENIED: the verdict could not be worked out (internal fault).",
        commands_run=(),
        changes=(),
        profile_before={},
        profile_after={},
        messages=(),
        problems=(
            RuleBreak("internal", Severity.ERROR, f"Internal fault: {type(exc).__name__}: {exc}"),
        ),
        status=status if isinstance(status, int) and not isinstance(status, bool) else None,
        elapsed_ms=elapsed if isinstance(elapsed, float) else 0.0,
        size_bytes=len(body) if isinstance(body, bytes | bytearray) else 0,
        response_value=None,
    )
