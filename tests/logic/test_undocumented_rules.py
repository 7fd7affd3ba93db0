"""The answer shapes Okta does not document: each rule rests on Okta's own words (checked
against the copies in data/okta-sources), and each is judged by the reading the person chose,
labelled UNCONFIRMED, with the developer's fix as plain in both readings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.logic import okta
from app.logic.answer import HookAnswer
from app.logic.org import load_demo_org
from app.logic.request_builder import build_request
from app.logic.undocumented import RULES
from app.logic.verdict import LENIENT, STRICT, Outcome, Severity, interpret_response

SOURCES = Path(__file__).parent / "data" / "okta-sources"
ORG = load_demo_org()
ZOE = ORG.find("zoe.lukasiewicz@okta.com")
SSR_REQUEST = build_request(okta.SSR, ZOE, seed=3)
PP_REQUEST = build_request(okta.PP, ZOE, form={"employeeNumber": "1234"}, seed=3)


def _words(text: str) -> str:
    return " ".join(text.split())


def _copies() -> dict[tuple[str, str, str], str]:
    """(repo, path, commit) -> the text of every copy made from that file, joined."""
    listing = json.loads((SOURCES / "SOURCES.json").read_text(encoding="utf-8"))["files"]
    found: dict[tuple[str, str, str], str] = {}
    for name, origin in listing.items():
        key = (origin["repo"], origin["path"], origin["commit"])
        found[key] = found.get(key, "") + _words((SOURCES / name).read_text(encoding="utf-8"))
    return found


def test_every_sentence_a_rule_rests_on_is_okta_s_own_words() -> None:
    copies = _copies()
    cited = 0
    for rule in RULES.values():
        for sentence in rule.rests_on:
            text = copies.get((sentence.repo, sentence.path, sentence.commit))
            assert text is not None, f"{rule.rule_id}: no copy of {sentence.cite()}"
            assert _words(sentence.words) in text, f"{rule.rule_id}: {sentence.words!r}"
            cited += 1
    assert cited >= 15


def _judge(request: dict[str, Any], answer: dict[str, Any], reading: str) -> Any:
    body = json.dumps(answer).encode()
    hook = HookAnswer(
        status=200, headers={"content-type": "application/json"}, body=body, elapsed_ms=5.0
    )
    return interpret_response(request, hook, ORG.schema, reading=reading)


UPDATE = okta.PROFILE_UPDATE
ACTION = okta.ACTION_UPDATE
# (rule id, the answer, its outcome read leniently, the fix the developer must read)
CASES = [
    (
        "registration-key",
        {"commands": [{"type": ACTION, "value": {"action": "DENY"}}]},
        Outcome.ALLOWED,
        'The key is "registration", not "action"',
    ),
    (
        "unknown-command",
        {"commands": [{"type": "com.action.update", "value": {"registration": "DENY"}}]},
        Outcome.ALLOWED,
        '"com.action.update" is not a command Okta knows; did you mean "com.okta.action.update"?',
    ),
    (
        "registration-value",
        {"commands": [{"type": ACTION, "value": {"registration": "deny"}}]},
        Outcome.ALLOWED,
        'registration must be "ALLOW" or "DENY", not "deny" (write "DENY", upper case).',
    ),
    (
        "commands-not-list",
        {"commands": {"type": ACTION, "value": {"registration": "DENY"}}},
        Outcome.ALLOWED,
        "commands must be a list of commands, not an object.",
    ),
    (
        "command-value-not-object",
        {"commands": [{"type": ACTION, "value": "DENY"}]},
        Outcome.ALLOWED,
        "value must be an object, not a string.",
    ),
    (
        "password",
        {"commands": [{"type": UPDATE, "value": {"password": "x", "city": "Kraków"}}]},
        Outcome.PROFILE_UPDATED,
        "A hook may never set the password.",
    ),
    (
        "required-null",
        {"commands": [{"type": UPDATE, "value": {"lastName": None, "city": "Kraków"}}]},
        Outcome.PROFILE_UPDATED,
        "lastName is required; it cannot be set to null.",
    ),
]


@pytest.mark.parametrize(("rule_id", "answer", "lenient", "fix"), CASES, ids=[c[0] for c in CASES])
def test_an_undocumented_shape_has_both_readings_and_the_same_fix(
    rule_id: str, answer: dict[str, Any], lenient: Outcome, fix: str
) -> None:
    assert rule_id in RULES
    strict = _judge(SSR_REQUEST, answer, STRICT)
    assert strict.outcome is Outcome.DENIED and strict.hook_failed
    broken = next(p for p in strict.problems if p.code == rule_id)
    assert broken.severity is Severity.ERROR and broken.label == "UNCONFIRMED (strict reading)"
    assert fix in broken.message
    # Not stated as a fact: the headline says whose reading the failure is.
    assert "UNCONFIRMED (strict reading)" in strict.headline

    loose = _judge(SSR_REQUEST, answer, LENIENT)
    assert loose.outcome is lenient and not loose.hook_failed
    broken = next(p for p in loose.problems if p.code == rule_id)
    assert broken.severity is Severity.WARNING and broken.label == "UNCONFIRMED (lenient reading)"
    assert fix in broken.message
    # The person reading only the headline still learns what to fix.
    assert "UNCONFIRMED" in loose.headline and fix in loose.headline
    # What Okta ignored never reaches the profile.
    assert "password" not in loose.profile_after
    if rule_id == "required-null":
        assert loose.profile_after["lastName"] == ZOE.profile["lastName"]
        assert loose.profile_after["city"] == "Kraków"


def test_the_action_key_read_leniently_lets_a_deny_through() -> None:
    """The very mistake the spec's prose invites: the two readings give opposite outcomes."""
    answer = {"commands": [{"type": ACTION, "value": {"action": "DENY"}}]}
    assert _judge(SSR_REQUEST, answer, STRICT).outcome is Outcome.DENIED
    assert _judge(SSR_REQUEST, answer, LENIENT).outcome is Outcome.ALLOWED
    assert 'so {"action": "DENY"} would let the person in' in RULES["registration-key"].lenient


def test_a_rule_without_an_okta_sentence_says_so() -> None:
    assert RULES["required-null"].rests_on == ()
    answer = {"commands": [{"type": UPDATE, "value": {"lastName": None}}]}
    verdict = _judge(SSR_REQUEST, answer, STRICT)
    broken = next(p for p in verdict.problems)
    assert "No Okta sentence covers this" in broken.message
    assert verdict.to_json()["problems"][0]["rests_on"] == []


def test_verdict_json_says_which_okta_sentence_a_rule_rests_on() -> None:
    answer = {"commands": [{"type": ACTION, "value": {"action": "DENY"}}]}
    problems = _judge(SSR_REQUEST, answer, LENIENT).to_json()["problems"]
    cited = next(p for p in problems if p["code"] == "registration-key")["rests_on"]
    assert {c["path"] for c in cited} == {"dist/current/management-oneOfInheritance.yaml"}
    assert any('`{"registration": "ALLOW"}`' in c["words"] for c in cited)


def test_the_spec_examples_the_table_blames_are_okta_s() -> None:
    """The spec's own SSR examples use com.action.update with the key "registration"."""
    text = (SOURCES / "spec-ProfileEnrollmentResponses.yaml").read_text(encoding="utf-8")
    assert text.count("- type: com.action.update") == 2
    assert "registration: ALLOW" in text and "registration: DENY" in text
    assert "action: " not in text.replace("com.action.update", "")
