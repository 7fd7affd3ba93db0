"""The rules Okta does not document, in one table: what each rests on and its two readings.

Okta documents the valid shapes of a hook answer, not what it does with an answer that breaks
them. Each rule here is one such case. The verdict labels a break of it UNCONFIRMED and judges it
by the reading the person chose: ``strict`` fails closed (Okta refuses what it might refuse),
``lenient`` has Okta go on without the part it cannot use. Every rule names the Okta sentences it
rests on (repository, path, commit, the words); a rule with none rests on no Okta sentence at all.

The rule id is the verdict's problem ``code``: stable, so a later observation on a live org can
be recorded against it (`UndocumentedRule.observed`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RULES", "OktaSentence", "UndocumentedRule", "rule"]

DOCS = "okta/okta-developer-docs"
DOCS_COMMIT = "468de9c511b5e4009bb5f06c25cbf4b85fecb8d0"
SPEC = "okta/okta-management-openapi-spec"
SPEC_COMMIT = "fdda229e82940cf5af4611ad673ca6a27974e31b"
SPEC_PATH = "dist/current/management-oneOfInheritance.yaml"
GUIDE_PATH = "packages/@okta/vuepress-site/docs/guides/registration-inline-hook/main/index.md"
UPGRADE_PATH = (
    "packages/@okta/vuepress-site/docs/guides/oie-upgrade-registration-inline-hook/main/index.md"
)


@dataclass(frozen=True)
class OktaSentence:
    """Words Okta published, exactly, and where (a file of a repository at a commit)."""

    repo: str
    path: str
    commit: str
    words: str

    def cite(self) -> str:
        return f"{self.repo} {self.path} @ {self.commit[:10]}"


def _spec(words: str) -> OktaSentence:
    return OktaSentence(SPEC, SPEC_PATH, SPEC_COMMIT, words)


def _guide(words: str, path: str = GUIDE_PATH) -> OktaSentence:
    return OktaSentence(DOCS, path, DOCS_COMMIT, words)


@dataclass(frozen=True)
class UndocumentedRule:
    """One rule Okta does not document: the case, what it rests on, and both readings."""

    rule_id: str
    case: str
    rests_on: tuple[OktaSentence, ...]
    strict: str
    lenient: str
    #: What a live org was seen to do, with where and when; empty until someone looks.
    observed: str = ""

    @property
    def strict_refuses(self) -> bool:
        """True when the two readings differ on whether the hook failed at all."""
        return self.strict == _FAILS_CLOSED


_TWO_COMMANDS = _spec(
    "To explicitly allow or deny registration to the user, supply a type property set to "
    "`com.okta.action.update`, together with a value property set to "
    '`{"registration": "ALLOW"}` or `{"registration": "DENY"}`. The default is to allow '
    "registration."
)
_THREE_COMMANDS = _spec("The registration inline hook supports these three commands:")
_ELEMENT_SHAPE = _spec("Each array element requires a `type` property and a `value` property.")
_FAILS_CLOSED = (
    "the answer is refused: the hook failed, the person is DENIED with Okta's failure text"
)
_IGNORED_COMMAND = (
    "Okta ignores this command and runs the rest; with no DENY, ALLOW (the default) stands"
)

RULES: dict[str, UndocumentedRule] = {
    r.rule_id: r
    for r in (
        UndocumentedRule(
            "registration-key",
            'com.okta.action.update with the key "action" instead of "registration"',
            (
                _TWO_COMMANDS,
                # The same reference's prose invites the mistake.
                _spec(
                    "For `com.okta.action.update` commands, the value should be an object "
                    "containing the attribute `action` set to a value of either `ALLOW` or `DENY`"
                ),
            ),
            _FAILS_CLOSED,
            _IGNORED_COMMAND + ' (so {"action": "DENY"} would let the person in)',
        ),
        UndocumentedRule(
            "registration-missing",
            'com.okta.action.update whose value has no "registration"',
            (_TWO_COMMANDS,),
            _FAILS_CLOSED,
            _IGNORED_COMMAND,
        ),
        UndocumentedRule(
            "registration-value",
            'a "registration" value other than "ALLOW" or "DENY"',
            (_TWO_COMMANDS,),
            _FAILS_CLOSED,
            _IGNORED_COMMAND,
        ),
        UndocumentedRule(
            "unknown-command",
            "a command type Okta does not list (e.g. the spec examples' com.action.update)",
            (_THREE_COMMANDS,),
            _FAILS_CLOSED,
            _IGNORED_COMMAND,
        ),
        UndocumentedRule(
            "command-type-missing",
            "a command without type",
            (_ELEMENT_SHAPE,),
            _FAILS_CLOSED,
            _IGNORED_COMMAND,
        ),
        UndocumentedRule(
            "command-type-not-text",
            "a command whose type is not a string",
            (_ELEMENT_SHAPE,),
            _FAILS_CLOSED,
            _IGNORED_COMMAND,
        ),
        UndocumentedRule(
            "command-value-missing",
            "a command without value",
            (_ELEMENT_SHAPE,),
            _FAILS_CLOSED,
            _IGNORED_COMMAND,
        ),
        UndocumentedRule(
            "command-value-not-object",
            "a command whose value is not an object",
            (
                _spec(
                    "For `com.okta.user.profile.update` commands, `value` should be an object "
                    "containing one or more name-value pairs for the attributes you wish to update."
                ),
            ),
            _FAILS_CLOSED,
            _IGNORED_COMMAND,
        ),
        UndocumentedRule(
            "command-not-object",
            "an element of commands that is not an object",
            (_ELEMENT_SHAPE,),
            _FAILS_CLOSED,
            _IGNORED_COMMAND,
        ),
        UndocumentedRule(
            "commands-not-list",
            "commands that is not a list",
            (
                _spec(
                    "This object is an array, allowing you to send multiple commands in your "
                    "response."
                ),
            ),
            _FAILS_CLOSED,
            "Okta ignores commands; with no DENY, ALLOW (the default) stands",
        ),
        UndocumentedRule(
            "password",
            "an update command that sets password",
            (_spec("You can never use a command to update the user's password"),),
            _FAILS_CLOSED,
            "Okta leaves password out and applies the rest of the command",
        ),
        UndocumentedRule(
            "required-null",
            "an update that sets a required attribute to null",
            (),
            _FAILS_CLOSED,
            "Okta leaves that attribute out and applies the rest of the command",
        ),
        UndocumentedRule(
            "unknown-attribute",
            "an update of an attribute the org's user schema lacks",
            (_spec("The attributes must already exist in your user profile schema."),),
            _FAILS_CLOSED,
            "Okta leaves that attribute out and applies the rest of the command",
        ),
        UndocumentedRule(
            "wrong-type",
            "an update whose value has the wrong type for its attribute",
            (),
            _FAILS_CLOSED,
            "Okta leaves that attribute out and applies the rest of the command",
        ),
        UndocumentedRule(
            "profile-update-in-pp",
            "com.okta.user.profile.update in a progressive profile answer",
            (
                _spec(
                    "`com.okta.user.profile.update`: Change attribute values in the user's Okta "
                    "user profile. For SSR only. Invalid if used with a Progressive Profile "
                    "response."
                ),
            ),
            _FAILS_CLOSED,
            _IGNORED_COMMAND,
        ),
        UndocumentedRule(
            "progressive-update-in-ssr",
            "com.okta.user.progressive.profile.update in a registration answer",
            (),
            "applied (both readings: Okta's spec says nothing against it)",
            "applied",
        ),
        UndocumentedRule(
            "read-only",
            "an update of an attribute that is read-only for end users",
            (),
            "applied, flagged as a warning",
            "applied, flagged as a note",
        ),
        UndocumentedRule(
            "empty-body",
            "HTTP 200 with an empty body",
            (),
            "a body that is not JSON: the hook failed",
            "read like 204: allow, no change",
        ),
        UndocumentedRule(
            "answer-bom",
            "an answer body that starts with a UTF-8 byte-order mark",
            (),
            "a body that does not start with JSON: the hook failed",
            "the mark is skipped and the JSON read (RFC 8259 lets a parser ignore it)",
        ),
        UndocumentedRule(
            "body-too-large",
            "an answer of 256 KB or more (the registration hook's own pages give no limit)",
            (_spec(">**Note:** The size of your response payload must be less than 256 KB."),),
            "the hook failed, as for the inline hooks whose pages state the limit",
            "the same",
        ),
        UndocumentedRule(
            "content-type",
            "an answer whose Content-Type is not application/json",
            (),
            "read as JSON, flagged as a warning",
            "read as JSON, flagged as a note",
        ),
        UndocumentedRule(
            "unusual-status",
            "a 2xx status other than 200 and 204",
            (_spec("No content - Allow registration to proceed without any update."),),
            "read like 200",
            "read like 200",
        ),
        UndocumentedRule(
            "error-without-deny",
            "an error object without a DENY command",
            (
                _spec(
                    "If you include an error object in your response, no commands are executed "
                    "and the registration fails."
                ),
            ),
            "denied; the generic text Okta documents for error + DENY is shown",
            "the same",
        ),
        UndocumentedRule(
            "error-summary-shown",
            "an error with errorSummary and no errorCauses: which text the person sees",
            (
                _spec(
                    "If you don't return a value for the `errorCauses` object, and deny the "
                    "user's registration attempt through the `commands` object in your response "
                    "to Okta, one of the following generic messages appears to the end user:"
                ),
                _guide(
                    "With a disallowed value, registration is denied and the `errorSummary` from "
                    "your service appears on the sign-in page.",
                    UPGRADE_PATH,
                ),
            ),
            "both shown, labelled: the spec's generic text, or the errorSummary (upgrade guide)",
            "the same",
        ),
        UndocumentedRule(
            "error-summary-with-causes",
            "an error with errorCauses: whether its top-level errorSummary reaches the page",
            (
                _spec(
                    "only the `errorSummary` messages of the `errorCauses` objects that your "
                    "external service returns appear as inline errors"
                ),
                _guide(
                    "The error summary from the external service code is passed back to the Okta "
                    "sign-in page as the error message."
                ),
            ),
            "both shown, labelled: the widget's banner (spec: only the causes), or the "
            "errorSummary in its place (guide)",
            "the same",
        ),
        UndocumentedRule(
            "cause-location-progressive",
            "an error cause on a progressive form: which locations point at its inputs",
            (
                _spec(
                    "The `location` of `errorSummary` in the `errorCauses` object specifies the "
                    "request object's user profile attribute."
                ),
            ),
            "under the input the attribute names (the guide's own progressive deny points at "
            "data.userProfile.employeeNumber, though the value came in userProfileUpdate)",
            "the same placement; the other reading, that Okta matches only the prefix the "
            "request used, would put it in the banner",
        ),
        UndocumentedRule(
            "cause-location-no-field",
            "an error cause whose location names no input of the form the policy shows",
            (
                _spec(
                    "The `location` of `errorSummary` in the `errorCauses` object specifies the "
                    "request object's user profile attribute."
                ),
            ),
            "in the banner at the top of the form (the widget has no input to put it under)",
            "the same placement; the other reading is that the person never sees it",
        ),
        UndocumentedRule(
            "pp-failure-text",
            "the progressive-profile failure text",
            (),
            "Okta's pages disagree; the concept page's text is shown",
            "the same",
        ),
    )
}


def rule(rule_id: str) -> UndocumentedRule | None:
    """The table's entry for a verdict problem code, or None when Okta documents the rule."""
    return RULES.get(rule_id)
