"""The guide's three sample endpoints (SSR, PP, SSR+PP) as plain functions, with its defects fixed.

Each endpoint takes the parsed request body (any JSON value) and returns the JSON value the
sample service would answer plus the lines it would log. Where the sample answers correctly the
answer is the very same JSON value, key order included; where the sample is defective
(okta-contract.md §6) ours is right:

- The email domain is the part after the ``@``, compared exactly with the allowed domain
  (ASCII case-insensitive, so a Unicode look-alike such as the Kelvin sign never matches).
  Subdomains do not count: ``eng.okta.com`` is not ``okta.com``; an address with two ``@``
  never matches. A look-alike domain gets the sample's other-domain answer.
- The employee number must be a string of exactly ``digits`` ASCII digits; anything else (letters,
  full-width digits, spaces, a JSON number, a list, nothing at all) gets the sample's
  wrong-digits answer.
- Registration checks ``data.userProfile.email``, and ``login`` only when the form sent no
  ``email`` key at all (both SSR endpoints).
- Where the sample would crash on a missing or mistyped field (request not an object, no
  ``data``, no ``data.userProfile`` / ``data.userProfileUpdate``, no email or login, an email that
  is not a string or has no ``@``), ours denies with an error whose cause names that field, in
  the endpoint's own deny shape (``DENY`` command + error for registration and for the combined
  endpoint, ``commands: []`` + error for the progressive endpoint). It never raises.
- The progressive endpoint copies ``mobilePhone`` from ``userProfileUpdate`` into its update
  whenever the key is present (``null`` too), as the current guide's sample does; the
  combined endpoint's sample does not, and neither does ours.
- The progressive endpoints read ``data.context.user.profile`` only for the log line, so a
  request without it is still answered (the log then names an unknown user).
- Log lines say what really happened; the combined endpoint no longer claims "Employee number
  added" for a number it rejects.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.logic import okta
from app.logic.validation import json_kind

SSR_TYPE = okta.SSR
PP_TYPE = okta.PP
ENDPOINTS: dict[str, str] = dict(okta.ENDPOINTS)
_DEFAULT_DOMAIN = okta.ALLOWED_DOMAIN
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ASCII_DIGITS = frozenset("0123456789")


@dataclass(frozen=True)
class HookRules:
    """The sample's two settings: which email domain may register, how many digits a number has."""

    allowed_domain: str = _DEFAULT_DOMAIN
    digits: int = okta.EMPLOYEE_NUMBER_DIGITS

    def __post_init__(self) -> None:
        domain = self.allowed_domain
        if not isinstance(domain, str) or not domain.strip():
            raise ValueError("allowed domain must be a non-empty text")
        if "@" in domain or any(ch.isspace() for ch in domain):
            raise ValueError(f"allowed domain {domain!r} must be a bare domain such as okta.com")
        if isinstance(self.digits, bool) or not isinstance(self.digits, int) or self.digits < 1:
            raise ValueError(
                f"digit count must be a whole number of at least 1, not {self.digits!r}"
            )


@dataclass(frozen=True)
class HookResult:
    """What an endpoint answered (a JSON value) and what it logged, one line per entry."""

    response: dict[str, Any]
    log_lines: tuple[str, ...]


HookEndpoint = Callable[..., HookResult]


# ---------------------------------------------------------------------------------------------
# Texts. With the default rules every one of them is byte-for-byte the sample's.


def _digit_word(rules: HookRules) -> str:
    return "digit" if rules.digits == 1 else "digits"


def _domain_word(rules: HookRules) -> str:
    """How the combined endpoint's cause names the domain: the sample says "okta" for okta.com."""
    if rules.allowed_domain == _DEFAULT_DOMAIN:
        return "okta"
    return rules.allowed_domain


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _cause(summary: str, reason: str, location: str) -> dict[str, Any]:
    return {
        "errorSummary": summary,
        "reason": reason,
        "locationType": "body",
        "location": location,
        "domain": "end-user",
    }


def _command(command_type: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"type": command_type, "value": value}


def _registration(decision: str) -> dict[str, Any]:
    return _command("com.okta.action.update", {"registration": decision})


def _ssr_allow() -> dict[str, Any]:
    return {"commands": [_registration("ALLOW")]}


def _ssr_other_domain(rules: HookRules) -> dict[str, Any]:
    return {
        "commands": [_registration("DENY")],
        "error": {
            "errorSummary": "Incorrect email address. Please contact your admin.",
            "errorCauses": [
                _cause(
                    f"Only {rules.allowed_domain} emails can register.",
                    "INVALID_EMAIL_DOMAIN",
                    "data.userProfile.email",
                )
            ],
        },
    }


def _pp_update(employee_number: str, update: dict[str, Any] | None = None) -> dict[str, Any]:
    """The progressive update. With `update` (the PP endpoint), `mobilePhone` is copied from it
    whenever the key is present, a null too, as the current guide's sample does (its
    `'mobilePhone': request.body.data.userProfileUpdate['mobilePhone']` is dropped by
    JSON.stringify only when the key is missing). The combined endpoint's sample has no such
    line, so it passes no `update`."""
    value: dict[str, Any] = {"employeeNumber": employee_number}
    if update is not None and "mobilePhone" in update:
        value["mobilePhone"] = update["mobilePhone"]
    return {"commands": [_command("com.okta.user.progressive.profile.update", value)]}


def _wrong_digits_summary(rules: HookRules) -> str:
    return (
        "Incorrect employee number. "
        f"Enter an employee number with {rules.digits} {_digit_word(rules)}."
    )


def _pp_wrong_digits(rules: HookRules) -> dict[str, Any]:
    return {
        "commands": [],
        "error": {
            "errorSummary": _wrong_digits_summary(rules),
            "errorCauses": [
                _cause(
                    f"Employee numbers must have {rules.digits} {_digit_word(rules)}.",
                    "INVALID_EMPLOYEE_NUMBER",
                    "data.userProfile.employeeNumber",
                )
            ],
        },
    }


def _combined_pp_wrong_digits(rules: HookRules) -> dict[str, Any]:
    return {
        "commands": [_registration("DENY")],
        "error": {
            "errorSummary": _wrong_digits_summary(rules),
            "errorCauses": [
                _cause(
                    f"Only employee numbers with {rules.digits} {_digit_word(rules)} can register.",
                    "INVALID_EMPLOYEE_NUMBER",
                    "data.userProfile.employeeNumber",
                )
            ],
        },
    }


def _combined_ssr_denied(rules: HookRules) -> dict[str, Any]:
    word = _domain_word(rules)
    return {
        "commands": [_registration("DENY")],
        "error": {
            "errorSummary": (
                "Incorrect email address or employee number. Please contact your admin."
            ),
            "errorCauses": [
                _cause(
                    f'To register, you must have {_article(word)} "{word}" email and a '
                    f"{rules.digits}-digit employee number.",
                    "INVALID_EMAIL_DOMAIN",
                    "data.userProfile.email",
                )
            ],
        },
    }


# ---------------------------------------------------------------------------------------------
# Field errors: where the sample would crash, ours denies and names the field.


@dataclass(frozen=True)
class _FieldError:
    path: str  # dotted path in the request body, "" for the body itself
    reason: str  # MISSING_FIELD | INVALID_FIELD_TYPE | INVALID_EMAIL
    detail: str  # the cause, a whole sentence naming the field

    def error(self) -> dict[str, Any]:
        return {
            "errorSummary": f"The hook could not check this request. {self.detail}",
            "errorCauses": [_cause(self.detail, self.reason, self.path)],
        }


def _missing(path: str) -> _FieldError:
    return _FieldError(path, "MISSING_FIELD", f"{path} is missing.")


def _mistyped(path: str, wanted: str, value: Any) -> _FieldError:
    if not path:
        detail = f"The request body must be a JSON object, not {json_kind(value)}."
    else:
        detail = f"{path} must be {wanted}, not {json_kind(value)}."
    return _FieldError(path, "INVALID_FIELD_TYPE", detail)


def _object_at(parent: dict[str, Any], key: str, path: str) -> dict[str, Any] | _FieldError:
    if key not in parent:
        return _missing(path)
    value = parent[key]
    if not isinstance(value, dict):
        return _mistyped(path, "an object", value)
    return value


def _registration_address(profile: dict[str, Any]) -> tuple[str, str] | _FieldError:
    """The address registration is judged on: the email, or the login when no email was sent."""
    if "email" in profile:
        field = "email"
    elif "login" in profile:
        field = "login"
    else:
        return _missing("data.userProfile.email")
    path = f"data.userProfile.{field}"
    value = profile[field]
    if not isinstance(value, str):
        return _mistyped(path, "a string", value)
    if "@" not in value:
        return _FieldError(path, "INVALID_EMAIL", f"{path} is not an email address (it has no @).")
    return field, value


def _domain_allowed(address: str, rules: HookRules) -> bool:
    # One @ and the part after it. The sample's split('@')[1] reads the part between the first
    # and a second @, so it lets "x@okta.com@evil.example" register; an address with two @ is
    # not an email address at all, and ours gives it the other-domain answer.
    domain = address.partition("@")[2]
    if "@" in domain:
        return False
    return domain.translate(_ASCII_LOWER) == rules.allowed_domain.translate(_ASCII_LOWER)


def _number_ok(value: Any, rules: HookRules) -> bool:
    return (
        isinstance(value, str)
        and len(value) == rules.digits
        and all(ch in _ASCII_DIGITS for ch in value)
    )


# ---------------------------------------------------------------------------------------------
# Log text helpers.


def _text(value: Any) -> str:
    """A value as a log line shows it: strings as they are, anything else as compact JSON.

    Control characters (a newline in a first name, say) are escaped, so one entry stays one
    line and a request cannot forge log lines.
    """
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError, RecursionError):
            text = repr(value)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text)


def _who(profile: Any, *address_keys: str) -> str:
    """The person as a log line names them: first name, last name, address (if present)."""
    if not isinstance(profile, dict):
        return "unknown user"
    parts = [_text(profile[key]) for key in ("firstName", "lastName") if profile.get(key)]
    for key in address_keys:
        if profile.get(key):
            parts.append(_text(profile[key]))
            break
    return " ".join(parts) or "unknown user"


def _login_for_log(profile: Any) -> str:
    if isinstance(profile, dict) and profile.get("login"):
        return _text(profile["login"])
    return "(unknown user)"


def _type_line(request: Any) -> str:
    if isinstance(request, dict) and "requestType" in request:
        shown = _text(request["requestType"])
    else:
        shown = "(none)"
    return "Type of Okta registration hook request: " + shown


def _request_type(request: Any) -> Any:
    return request.get("requestType") if isinstance(request, dict) else None


def _user_profile_for_log(data: dict[str, Any]) -> Any:
    context = data.get("context")
    user = context.get("user") if isinstance(context, dict) else None
    return user.get("profile") if isinstance(user, dict) else None


def _denied_for_field(
    problem: _FieldError, deny_command: bool, who: str, logs: list[str]
) -> HookResult:
    response: dict[str, Any] = {"commands": [_registration("DENY")] if deny_command else []}
    response["error"] = problem.error()
    detail = problem.detail
    if detail.startswith("The "):
        detail = "t" + detail[1:]
    logs.append(f"{who} denied: {detail}")
    return HookResult(response, tuple(logs))


# ---------------------------------------------------------------------------------------------
# The endpoints.


def _judge_ssr(request: Any, rules: HookRules, logs: list[str], combined: bool) -> HookResult:
    if not isinstance(request, dict):
        return _denied_for_field(_mistyped("", "", request), True, "Registration", logs)
    data = _object_at(request, "data", "data")
    if isinstance(data, _FieldError):
        return _denied_for_field(data, True, "Registration", logs)
    profile = _object_at(data, "userProfile", "data.userProfile")
    if isinstance(profile, _FieldError):
        return _denied_for_field(profile, True, "Registration", logs)
    checked = _registration_address(profile)
    if isinstance(checked, _FieldError):
        who = _who(profile)
        return _denied_for_field(checked, True, f"{who} registration", logs)
    field, address = checked
    who = _who(profile, field)
    domain_ok = _domain_allowed(address, rules)
    if combined:
        number = profile.get("employeeNumber")
        allowed = domain_ok and _number_ok(number, rules)
        denied = _combined_ssr_denied(rules)
    else:
        allowed = domain_ok
        denied = _ssr_other_domain(rules)
    if allowed:
        logs.append(f"{who} has registered!")
        return HookResult(_ssr_allow(), tuple(logs))
    logs.append(f"{who} denied registration!")
    return HookResult(denied, tuple(logs))


def _judge_pp(request: Any, rules: HookRules, logs: list[str], combined: bool) -> HookResult:
    deny_command = combined
    if not isinstance(request, dict):
        return _denied_for_field(_mistyped("", "", request), deny_command, "Profile update", logs)
    data = _object_at(request, "data", "data")
    if isinstance(data, _FieldError):
        return _denied_for_field(data, deny_command, "Profile update", logs)
    user_profile = _user_profile_for_log(data)
    who = _who(user_profile, "login")
    update = _object_at(data, "userProfileUpdate", "data.userProfileUpdate")
    if isinstance(update, _FieldError):
        return _denied_for_field(update, deny_command, f"{who} profile update", logs)
    number = update.get("employeeNumber")
    ok = _number_ok(number, rules)
    if combined:
        login = _login_for_log(user_profile)
        if ok:
            logs.append(f"Employee number added to profile {login}: {number}")
            return HookResult(_pp_update(number), tuple(logs))
        if "employeeNumber" in update:
            shown = f"{_text(number)} is not {rules.digits} {_digit_word(rules)}"
        else:
            shown = "no employee number was sent"
        logs.append(f"Employee number not added to profile {login}: {shown}")
        return HookResult(_combined_pp_wrong_digits(rules), tuple(logs))
    if ok:
        logs.append(f"{who} has updated profile!")
        return HookResult(_pp_update(number, update), tuple(logs))
    logs.append(f"{who} employee number is not the correct number of digits!")
    return HookResult(_pp_wrong_digits(rules), tuple(logs))


def registration_hook_ssr(request: Any, rules: HookRules = HookRules()) -> HookResult:
    """``POST /registrationHookSSR``: allow registration only from the allowed email domain.

    Any request type other than self-service registration is answered ``{}`` (allow, no change),
    as the sample does.
    """
    logs = [_type_line(request)]
    if isinstance(request, dict) and _request_type(request) != SSR_TYPE:
        logs.append("Not a self-service registration request: answered {} (no change).")
        return HookResult({}, tuple(logs))
    return _judge_ssr(request, rules, logs, combined=False)


def registration_hook_pp(request: Any, rules: HookRules = HookRules()) -> HookResult:
    """``POST /registrationHookPP``: write a well-formed employee number to the existing user.

    Any request type other than progressive profile is answered ``{}``, as the sample does.
    """
    logs = [_type_line(request)]
    if isinstance(request, dict) and _request_type(request) != PP_TYPE:
        logs.append("Not a progressive profile request: answered {} (no change).")
        return HookResult({}, tuple(logs))
    return _judge_pp(request, rules, logs, combined=False)


def registration_hook_ssr_and_pp(
    request: Any,
    rules: HookRules = HookRules(),
) -> HookResult:
    """``POST /registrationHookSSRandPP``: progressive profile as the PP endpoint (but denying
    with a DENY command); every other request is judged as a registration that needs both the
    allowed domain and a well-formed employee number."""
    logs = [_type_line(request)]
    if _request_type(request) == PP_TYPE:
        return _judge_pp(request, rules, logs, combined=True)
    return _judge_ssr(request, rules, logs, combined=True)


_BY_NAME: dict[str, HookEndpoint] = {
    "ssr": registration_hook_ssr,
    "pp": registration_hook_pp,
    "ssr-and-pp": registration_hook_ssr_and_pp,
}


def endpoint_for(name_or_path: str) -> HookEndpoint:
    """The endpoint function for a short name (``ssr``, ``pp``, ``ssr-and-pp``) or its path
    (``/registrationHookSSR`` ...), case-insensitive. Raises ValueError for anything else."""
    key = str(name_or_path).strip().lower()
    for name, path in ENDPOINTS.items():
        if key in (name, path.lower(), path.lower().lstrip("/")):
            return _BY_NAME[name]
    known = ", ".join(f"{name} ({path})" for name, path in ENDPOINTS.items())
    raise ValueError(f"unknown endpoint {name_or_path!r}; choose one of {known}")
