"""The current run model: inputs, one stale notice per change, the result, observers."""

from __future__ import annotations

import pytest

from app.logic import okta
from app.logic.org import load_demo_org
from app.logic.run.current import CurrentRun
from app.logic.run.pipeline import run_exchange
from app.logic.targets import BundledTarget


def _exchange(org: object) -> object:
    from app.logic.request_builder import build_request, dumps_request

    user = org.users[0]
    text = dumps_request(build_request(okta.SSR, user))
    return run_exchange(text, BundledTarget("ssr"), schema=org.schema)


def test_an_input_change_marks_the_shown_result_stale_once() -> None:
    org = load_demo_org()
    run = CurrentRun(org)
    seen: list[str] = []
    run.subscribe(seen.append)
    exchange = _exchange(org)
    run.set_result(exchange, source="window")
    assert seen == ["result"] and not run.stale and run.exchange is exchange

    assert run.update(request_type=okta.PP, reading="lenient") == ("request_type", "reading")
    assert seen[1:] == ["request_type", "reading", "stale"]
    assert run.stale
    run.update(target="remote")
    assert seen[-1] == "target" and seen.count("stale") == 1  # already stale: said once

    assert run.update(target="remote") == ()  # no change, no notice
    run.set_result(exchange, source="signup page")
    assert not run.stale and run.source == "signup page"


def test_nothing_is_stale_before_a_first_result_and_form_values_are_per_type() -> None:
    run = CurrentRun()
    seen: list[str] = []
    stop = run.subscribe(seen.append)
    assert run.set_form_values(okta.SSR, {"email": "a@okta.com"})
    assert not run.set_form_values(okta.SSR, {"email": "a@okta.com"})
    run.set_form_values(okta.PP, {"employeeNumber": "1234"})
    assert run.values_for(okta.SSR) == {"email": "a@okta.com"}
    assert run.values_for(okta.PP) == {"employeeNumber": "1234"}
    assert "stale" not in seen and not run.stale
    stop()
    run.update(request_text="{}")
    assert "request_text" not in seen


def test_unknown_inputs_and_readings() -> None:
    run = CurrentRun()
    with pytest.raises(TypeError, match="not an input"):
        run.update(colour="red")
    run.update(reading="sloppy")
    assert run.reading == "strict"


def test_the_outcome_belongs_to_the_current_exchange_only() -> None:
    org = load_demo_org()
    run = CurrentRun(org)
    first, second = _exchange(org), _exchange(org)
    run.set_result(second)
    run.set_outcome(first, object())  # an older call's page: not what is shown now
    assert run.outcome is None
    marker = object()
    run.set_outcome(second, marker)
    assert run.outcome is marker


def test_messages_name_the_loaded_org() -> None:
    org = load_demo_org()
    run = CurrentRun(org)
    assert run.org_label == "the demo org"
    other = load_demo_org()
    run.set_org(other, "the org in users.json")
    assert run.org is other and run.org_label == "the org in users.json"
