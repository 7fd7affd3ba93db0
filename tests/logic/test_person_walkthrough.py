"""The guide's four steps, filled in from an exchange with any target."""

from __future__ import annotations

import json

from app.logic import okta
from app.logic.answer import FailureKind, HookAnswer
from app.logic.org import load_demo_org
from app.logic.person import form_rules as F
from app.logic.person import walkthrough as W
from app.logic.person.outcome import exchange_outcome
from app.logic.person.texts import load_texts
from app.logic.run.pipeline import run_exchange
from app.logic.targets import BundledTarget, RecordedTarget

ORG = load_demo_org()
ROSARIO = ORG.find("rosario.jones@example.com")


def test_before_any_run_each_step_says_what_it_will_show() -> None:
    steps = W.walkthrough(okta.PP)
    assert steps.current == 0
    assert len(steps.steps) == W.STEP_COUNT
    assert steps.steps[0].title.startswith("1. The person signs in")
    assert all(step.body == "" for step in steps.steps)


def test_pending_lights_the_call() -> None:
    text = F.request_text(okta.SSR, {"email": "ada@okta.com"})
    steps = W.pending(okta.SSR, text, "/registrationHookSSR (bundled)", 3.0)
    assert steps.current == 1
    assert json.loads(steps.steps[1].body)["data"]["userProfile"]["email"] == "ada@okta.com"
    assert "3 s" in steps.steps[2].caption


def test_a_progressive_update_shows_request_answer_commands_and_page() -> None:
    text = F.request_text(okta.PP, {"employeeNumber": "1234"}, ROSARIO)
    exchange = run_exchange(text, BundledTarget(okta.ENDPOINTS["pp"]), schema=ORG.schema)
    outcome = exchange_outcome(exchange, ("employeeNumber",), load_texts("en"), ORG.schema)
    steps = W.from_exchange(exchange, outcome)
    assert steps.current == 3
    person, call, reply, result = steps.steps
    assert "employeeNumber: 1234" in person.body
    assert "(signed in as rosario.jones@example.com)" in person.body
    assert call.is_json and '"userProfileUpdate"' in call.body
    assert reply.caption.startswith("HTTP 200") and reply.is_json
    assert "com.okta.user.progressive.profile.update" in reply.body
    assert "1. com.okta.user.progressive.profile.update" in result.body
    assert "employeeNumber: (not set) -> 1234" in result.body
    assert "the next screen: Sign in" in result.body


def test_a_timeout_shows_no_answer_and_the_generic_text() -> None:
    answer = HookAnswer(status=None, failure=FailureKind.TIMEOUT, elapsed_ms=3000.0)
    text = F.request_text(okta.SSR, {"email": "ada@okta.com"})
    exchange = run_exchange(text, RecordedTarget(answer), schema=ORG.schema)
    outcome = exchange_outcome(exchange, ("email",), load_texts("en"), ORG.schema)
    reply, result = W.from_exchange(exchange, outcome).steps[2:]
    assert reply.caption.startswith("No HTTP answer after 3.00 s (timeout)")
    assert okta.FAILURE_TEXT["ssr"] in result.body


def test_an_exchange_replayed_without_a_page_outcome_lists_the_verdict_messages() -> None:
    text = F.request_text(okta.SSR, {"email": "x@notokta.com"})
    exchange = run_exchange(text, BundledTarget(okta.ENDPOINTS["ssr"]), schema=ORG.schema)
    result = W.from_exchange(exchange).steps[3]
    assert "under email: Only okta.com emails can register." in result.body


def test_a_request_that_was_not_sent() -> None:
    exchange = run_exchange("{not json", BundledTarget(), schema=ORG.schema)
    steps = W.from_exchange(exchange, flow=okta.SSR)
    assert steps.current == 1
    assert steps.steps[1].caption.startswith("Not sent:")
