"""Okta's side of the registration inline hook contract, spelled once.

Request and command types, the call rules (3 s, one retry, 256 KB), the Sign-In Widget's texts
and the guide's endpoint paths. Everything else imports these names instead of repeating them.
"""

from __future__ import annotations

from typing import Final

# --- the request ---------------------------------------------------------------------------

EVENT_TYPE: Final = "com.okta.user.pre-registration"
SSR: Final = "self.service.registration"
PP: Final = "progressive.profile"
REQUEST_TYPES: Final = (SSR, PP)
REQUEST_TYPE_LABELS: Final = {SSR: "Self-Service Registration", PP: "Progressive Profile"}
#: The Identity Engine paths a request's `data.context.request.url.value` carries.
URL_PATHS: Final = {SSR: "/idp/idx/enroll/new", PP: "/idp/idx/enroll/update"}
#: Short names used by the command line and by scenario files.
TYPE_ALIASES: Final = {
    "ssr": SSR,
    "self.service.registration": SSR,
    "self-service registration": SSR,
    "self service registration": SSR,
    "registration": SSR,
    "pp": PP,
    "progressive.profile": PP,
    "progressive profile": PP,
    "progressive": PP,
}
#: Okta's request ids (`data.context.request.id`): "req" and 22 URL-safe characters, as in
#: `reqQFcZNuvhRj2VZbngrI2ZJA`, captured on a real org.
REQUEST_ID_PREFIX: Final = "req"
REQUEST_ID_LENGTH: Final = 22
#: The org's base URL a generated request's `_links` point at, when none is given: made up, so
#: it can never reach a real org.
DEFAULT_ORG_URL: Final = "https://dev-00000000.okta.com"
#: The headers Okta sends with every call, before the hook's auth and custom headers.
REQUEST_HEADERS: Final = (("Accept", "application/json"), ("Content-Type", "application/json"))
DEFAULT_AUTH_HEADER: Final = "authorization"
#: `source` as real Identity Engine orgs send it: the id of the enrollment policy rule whose hook
#: runs (both 2021 captures, okta-developer-docs `nodejs/get-submitted-credentials.md` at the
#: parent of 2ccbb76a21). The guide's examples show a hook id (`regt4qeBKU29vSoPz0g3`) instead:
#: both occur, and a request with either is valid.
DEFAULT_SOURCE: Final = "rul1bufGk5dJdRYw50g4"
GUIDE_SOURCE: Final = "regt4qeBKU29vSoPz0g3"
#: `data.context.user.profile` of a progressive request is Okta's IDX user context, not the
#: stored profile: the guide's and the spec's `ProgressiveProfileRequest` examples and the 2021
#: capture all carry these five and never `email` (order: the capture's). The spec's prose
#: calls it "The user to update's current attributes"; no example shows more than the five.
PP_CONTEXT_PROFILE: Final = ("login", "firstName", "lastName", "locale", "timeZone")
#: Where each of the five is read from in the org's profile, first found wins: Okta spells it
#: `timeZone` in the context whatever the org's schema calls its own attribute (the base
#: attribute is `timezone`).
PP_CONTEXT_SOURCES: Final = {"timeZone": ("timeZone", "timezone")}

# --- the commands ----------------------------------------------------------------------------

ACTION_UPDATE: Final = "com.okta.action.update"
PROFILE_UPDATE: Final = "com.okta.user.profile.update"
PROGRESSIVE_UPDATE: Final = "com.okta.user.progressive.profile.update"
KNOWN_COMMANDS: Final = (ACTION_UPDATE, PROFILE_UPDATE, PROGRESSIVE_UPDATE)
ALLOW: Final = "ALLOW"
DENY: Final = "DENY"

# --- the call rules --------------------------------------------------------------------------

TIMEOUT_S: Final = 3.0
TIMEOUT_MS: Final = TIMEOUT_S * 1000.0
#: Okta retries a call at most once, never after a 2xx or a 4xx, and follows no redirect
#: (okta-developer-docs `concepts/inline-hooks/index.md`, "Time out and retry"): a timeout, a
#: failed connection, a 5xx and a 3xx are retried.
MAX_ATTEMPTS: Final = 2
#: An answer of this many bytes or more is refused.
MAX_RESPONSE_BYTES: Final = 256 * 1024
#: Reading one byte more than the limit is enough to know an answer is too big.
RESPONSE_READ_LIMIT: Final = MAX_RESPONSE_BYTES + 1
MAX_URL_LENGTH: Final = 1024

# --- what the person sees (the un-customised Sign-In Widget), by request flavour ------------

FAILURE_TEXT: Final = {
    "ssr": "There was an error creating your account. Please try registering again.",
    "pp": "There was an error updating your profile. Please try again later.",
}
ERROR_WITHOUT_CAUSES_TEXT: Final = {
    "ssr": "Registration cannot be completed at this time.",
    "pp": "We found some errors. Please review the form and make corrections.",
}
DENY_TEXT: Final = {"ssr": "Registration denied.", "pp": "Profile update denied."}
BANNER_TEXT: Final = "We found some errors. Please review the form and make corrections."
#: The progressive form is the widget's enroll-profile screen (it posts to
#: /idp/idx/enroll/update): title and button unless the admin renamed them.
PROGRESSIVE_SCREEN_TITLE: Final = "Sign in"
PROGRESSIVE_SCREEN_BUTTON: Final = "Submit"

# --- the forms (the enrollment policy decides which attributes each one collects) -----------

#: Okta's default sign-up form: Email, First name, Last name.
SIGN_UP_FIELDS: Final = ("email", "firstName", "lastName")
#: The guide's progressive form: one Employee number input.
PROGRESSIVE_FIELDS: Final = ("employeeNumber",)

# --- the guide's sample service --------------------------------------------------------------

ENDPOINTS: Final = {
    "ssr": "/registrationHookSSR",
    "pp": "/registrationHookPP",
    "ssr-and-pp": "/registrationHookSSRandPP",
}
#: The forms of the guide's policy for each endpoint, by request type: the SSR policy has the
#: default sign-up form (and no progressive form), the PP policy a progressive form with
#: Employee number (its sign-up form is Okta's default, though the guide denies sign-up), the
#: combined policy both, with Employee number on the sign-up form too.
POLICY_FORMS: Final = {
    "/registrationHookSSR": {SSR: SIGN_UP_FIELDS, PP: ()},
    "/registrationHookPP": {SSR: SIGN_UP_FIELDS, PP: PROGRESSIVE_FIELDS},
    "/registrationHookSSRandPP": {SSR: (*SIGN_UP_FIELDS, "employeeNumber"), PP: PROGRESSIVE_FIELDS},
}
ALLOWED_DOMAIN: Final = "okta.com"
EMPLOYEE_NUMBER_DIGITS: Final = 4
