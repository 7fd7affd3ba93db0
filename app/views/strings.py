"""User-visible words of the window, in one place (titles, labels, hints and messages)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.logic.validation import Problem

APP_NAME = "Registration Hook Preview"
UNTITLED = "Untitled request"
ORG_NAME = "reghook-preview"

# Block titles follow the Admin Console's Preview tab.
BLOCK1_TITLE = "1 · Configure Inline Hook request"
BLOCK2_TITLE = "2 · Preview example Inline Hook request"
BLOCK3_TITLE = "3 · View service's response"

# Block 1
TARGET_LABEL = "Hoo&k target:"
REMOTE_TARGET = "Remote URL…"
BUNDLED_TARGET_HINT = "The guide's sample service, run inside this program (offline)."
REMOTE_RULES_HINT = (
    "Okta's rules for the call: POST with the auth header below, 3 s per attempt, one retry "
    "after a timeout, a failed connection or a 5xx, redirects never followed."
)
TARGET_ADVICE = "Use {path}"
TARGET_ADVICE_WHY = (
    "This endpoint does not answer {type} requests: it would only send {{}} back, which Okta "
    "takes as a quiet ALLOWED. The guide points this request type at the other endpoint."
)
REMOTE_TARGET_HINT = "Your own hook service, called over HTTP the way Okta calls it."
USER_LABEL = "data.&userProfile:"
USER_PLACEHOLDER = "Search user by name or login"
DEMO_ORG = "the demo org"
ORG_LABEL = "the org in {name}"
USER_NOT_FOUND = "No user in {org} matches “{text}”."
TYPE_LABEL = "re&questType:"
FORM_TITLE_SSR = "What the person typed (data.userProfile)"
FORM_TITLE_PP = "What the person typed (data.userProfileUpdate)"
FORM_HINT_SSR = "The sign-up form, pre-filled from the user: edit to try other values."
FORM_HINT_PP = "The progressive profile form: edit to try other values."
RULES_TITLE = "Bundled hook rules"
ALLOWED_DOMAIN_LABEL = "Allowed email do&main:"
DIGITS_LABEL = "Emplo&yee number digits:"
RULES_HINT = "The next View Response uses these."

# Remote target
URL_LABEL = "UR&L:"
URL_HAS_CREDENTIALS = (
    "the user:password in this URL is used for the call but never saved: "
    "the settings file keeps the URL without it"
)
URL_IS_BASE = (
    "no path: each call goes to /registrationHookSSR or /registrationHookPP here by its "
    "request type, each scenario to its own endpoint"
)
AUTH_HEADER_LABEL = "Au&th header:"
AUTH_VALUE_PLACEHOLDER = "e.g. Basic YWRtaW46c3VwZXJzZWNyZXQ= (never in the settings file)"
REMEMBER_SECRETS = "Remember secrets in the system keyring"
REMEMBER_SECRETS_TIP = (
    "The auth value, the Basic password, the OAuth client secret and the custom headers' values "
    "are kept in the system keyring when this is ticked, and for this session only otherwise. "
    "They never reach the settings file, the history or an export."
)
KEYRING_LOOKING = "Looking for the system keyring…"
KEYRING_RESTORED = "Secrets restored from the system keyring."
BASIC_BUTTON = "&Basic…"
SHOW_SECRET = "Show"
HIDE_SECRET = "Hide"
EXTRA_HEADERS_LABEL = "&Custom headers:"
OAUTH_TITLE = "OAuth 2.0 clie&nt credentials"
TOKEN_URL_LABEL = "Token URL:"
CLIENT_ID_LABEL = "Client ID:"
CLIENT_SECRET_LABEL = "Client secret:"
SCOPE_LABEL = "Scope:"
TIMEOUT_LABEL = "Time&out:"
TIMEOUT_HINT = "per attempt (Okta: 3 s, then one retry)"
CA_FILE_LABEL = "Trust CA file:"
SKIP_VERIFY = "Skip TLS certificate checks (local development only)"
BASIC_DIALOG_TITLE = "Basic authentication"
BASIC_DIALOG_HINT = "Okta sends the header value verbatim: Basic base64(user:password)."

# Block 2
GENERATE = "&Generate Request"
EDIT = "E&dit"
SAVE = "S&ave"
RESET = "Re&set"
REQUEST_PLACEHOLDER = "Press Generate Request (Ctrl+G) to see the JSON Okta would send."
STATE_EMPTY = "No request yet."
STATE_GENERATED = "Generated for {user} · {type}"
STATE_EDITING = "Editing: Save keeps your changes, Reset regenerates."
STATE_SAVED = "Edited request saved (View Response sends it as it stands)."
STATE_OPENED = "Opened from {name}"
STATE_STALE = "The configuration changed: Generate Request (Ctrl+G) rebuilds the request."
SAVE_REFUSED = "Not saved: the request is not valid JSON.\n\n{where}"
RESET_CONFIRM = "Reset discards your edits to the request and regenerates it. Continue?"

# Block 3
VIEW_RESPONSE = "View Res&ponse"
CANCEL = "Cancel"
CALLING = "Calling {url} … {seconds:.1f} s"
PRESENTATION_MODE = "&Presentation Mode"
PRESENTATION_TIP = "Full screen, blocks 1 and 2 folded to one line each (F11 or Esc leaves)"
PRESENTATION_LEAVE = "Leave Presentation Mode"
PRESENTATION_BLOCK1 = "1 · {target}  ·  {user}  ·  {type}"
PRESENTATION_BLOCK2 = "2 · {state}"
SHOW_REQUEST = "Show request"
HIDE_REQUEST = "Hide request"
PRESENTATION_TYPED = "Typed:"
ATTEMPT_FIRST = " (attempt 1 of {total})"
ATTEMPT_RETRY = " (attempt {number} of {total}, after a {timeout} s timeout)"
NO_AUTH_VALUE = (
    "The {header} header has no value: it is kept in memory only, so it is empty after every "
    "restart, and most hooks answer 401 without it.\n\nSend the request without it anyway?"
)
NO_AUTH_NOT_SENT = (
    "Not sent: type the {header} header's value in block 1 (it is never saved), or send "
    "anyway when the hook needs none."
)
EMPTY_BODY = "(the answer has no body)"
HEADERS_BUTTON = "Headers"  # no letter left: Alt+H is the Help menu's, Tab reaches it
HEADERS_TITLE = "Headers of the last call"
HEADERS_SENT = "Request headers (sent to the hook)"
HEADERS_RECEIVED = "Response headers"
HEADERS_NONE = "(none)"
HEADERS_SHOW_SECRETS = "&Show secret values (from this window's settings, never from the record)"
RUNNING = "Running {target} …"
NO_RESPONSE = "Press View Response (Ctrl+Enter) to send the request to the hook."
NOT_JSON_REQUEST = "The request is not valid JSON, so nothing was sent.\n{where}"
LOG_TITLE = "Hook log"
RESPONSE_TITLE = "Response"
NO_LOG = "(the hook wrote nothing)"
REMOTE_NO_LOG = "(a remote service's log stays on its own machine)"

# Verdict
VERDICT_EMPTY = "Okta's verdict appears here."
VERDICT_STALE = "Changed since: press Ctrl+Enter to see the answer to what block 1 and 2 say now."
CALL_RUNNING = "A call is still running: wait for it or cancel it first."
PAGE_NOT_SENT = "Not sent: block 3 says why."
VERDICT_WAITING = "Waiting for the hook: the answer below is the previous one."
CARD_SSR_TITLE = "Sign up"
CARD_SSR_BUTTON = "Sign Up"
CARD_PP_TITLE = "Sign in"  # the widget's enroll-profile screen (okta.PROGRESSIVE_SCREEN_TITLE)
CARD_PP_BUTTON = "Submit"
CARD_CAPTION = "What the person sees on the Okta sign-in page (Gen3 widget)"
PROCEEDS_SSR = "✓ Registration proceeds: the account is created."
PROCEEDS_PP = "✓ Sign-in proceeds."
PROFILE_TITLE = "Profile: before → after"
PROFILE_NO_CHANGE_DENIED = "No command runs when Okta denies: the profile stays as it was."
PROFILE_NO_CHANGE = "Nothing changes in the profile."
RULES_TITLE_VERDICT = "Okta's rules"
RULES_OK = "✓ The answer follows Okta's rules."

# Files and dialogs
JSON_FILTER = "JSON files (*.json);;All files (*)"
OPEN_REQUEST = "Open request"
SAVE_REQUEST = "Save request"
SAVE_RESPONSE = "Save response"
OPEN_NOT_TEXT = "“{name}” could not be read as UTF-8 text.\n\n{detail}"
OPEN_NOT_JSON = "“{name}” is not JSON, so it cannot be a hook request.\n\n{where}"
OPEN_NOT_REQUEST = (
    "“{name}” is JSON, but not a registration inline hook request:\n\n{problems}\n\n"
    "Open it anyway, to fix it in the editor?"
)
OPEN_DISCARD = "The request in the editor has changes that are not saved to a file. Replace it?"
OPEN_NOT_REGULAR = "“{name}” is not a regular file ({kind}), so it cannot be opened as a request."
OPEN_TOO_BIG = (
    "“{name}” is {size}, too large to open: Okta's hook requests are a few KB, "
    "and the editor opens files up to {limit}."
)
SAVE_HAS_SECRET = (
    "The text contains the value of your auth header/secret. Replace it with *** in the saved file?"
)
SETTINGS_NOT_KEPT = "Settings will not be kept after this session: {why}."
NOTHING_TO_SAVE = "There is no response to save yet: press View Response first."
WRITE_FAILED = "Could not write “{name}”.\n\n{detail}"
READ_FAILED = "Could not read “{name}”.\n\n{detail}"
RESET_DEFAULTS_CONFIRM = (
    "Forget the remembered window layout, target, user, rules, zoom and theme, "
    "and return to the defaults?"
)
UNEXPECTED_ERROR = "Something went wrong inside the program. Your work in the editor is kept.\n\n{}"
STATUS_READY = "Ready: choose a user and press Generate Request (Ctrl+G)."
QUIT_UNSAVED = "The request has edits that are not saved to a file. Quit anyway?"
REPLACE_EDITED = "Replace your edited request with a newly generated one?"
CHOOSE_USER = "Choose a user first."
CANCELLED = "Cancelled: the call was stopped, no answer is shown."
NO_REQUEST_TO_SAVE = "There is no request yet: press Generate Request first."
SETTINGS_RESET = "Settings reset to their defaults."
DOMAIN_HINT = "Emails in this domain may register (exact match)."


def where(problem: Problem, *, snippet: bool = True) -> str:
    """A parse problem as a person reads it: "Line 3, column 7: Expecting ','"."""
    text = f"Line {problem.line}, column {problem.column}: {problem.message}"
    if snippet and problem.snippet:
        text += f"\n\n{problem.snippet}"
    return text


# --- the test bench around the console (workbench.py) -----------------------------------------
DOCK_SIGNUP = "Sign-up Page"
DOCK_WALKTHROUGH = "Walkthrough"
DOCK_SCENARIOS = "Scenarios"
DOCK_HISTORY = "History"
COPY_CURL = "Copy as c&URL"
EXPORT_OKTA_CONFIG = "Export Okta Hook &Config…"
KEEP_HISTORY = "Keep Call &History"
CURL_COPIED = "Copied as cURL: set HOOK_AUTH to the auth value before running it."
CURL_COPIED_BUNDLED = (
    "Copied as cURL: start `reghook serve` and set HOOK_AUTH to its auth value before running it."
)
CURL_REFUSED = "Not copied as cURL: {reason}"

FORM_FIELDS_BUTTON = "Form f&ields…"  # Alt+F is the File menu's
FORM_FIELDS_TIP = "Choose the attributes this form collects from the org's schema"

# --- your own org (org_loader.py) -------------------------------------------------------------
OPEN_ORG_TITLE = "Open Org: the users file"
OPEN_SCHEMA_TITLE = "Open Org: the user schema file"
ASK_SCHEMA = (
    "There is no user-schema.json beside {name}. Choose the org's schema file too?\n\n"
    "(No: the demo org's schema checks the answers.)"
)
ORG_LOADING = "Loading {name}… {seconds:.1f} s"
ORG_LOADED = "Opened {name}: {count:,} users ({seconds:.1f} s)."
ORG_NOT_OPENED = "The org could not be opened: {message}"
ORG_START_FAILED = "{message}\n\nThe window shows the demo org."
USERS_LOADING = "Loading the org's users…"
