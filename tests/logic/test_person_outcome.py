"""What the page shows for each of the guide's cases on each bundled endpoint, and for failures."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.logic import okta
from app.logic.answer import FailureKind, HookAnswer
from app.logic.org import load_demo_org
from app.logic.person import form_rules as F
from app.logic.person.outcome import HOOK, OKTA, WIDGET, Result, checked_outcome, exchange_outcome
from app.logic.person.texts import load_texts
from app.logic.run.pipeline import run_exchange
from app.logic.targets import BundledTarget, RecordedTarget

ORG = load_demo_org()
ROSARIO = ORG.find("rosario.jones@example.com")
EN = load_texts("en")
SSR_EP, PP_EP, BOTH_EP = okta.ENDPOINTS["ssr"], okta.ENDPOINTS["pp"], okta.ENDPOINTS["ssr-and-pp"]
DOMAIN = "Only okta.com emails can register."
BOTH = 'To register, you must have an "okta" email and a 4-digit employee number.'


def _both(email: str, number: str) -> dict[str, str]:
    return {"email": email, "employeeNumber": number}


def _outcome(endpoint: str, kind: str, values: dict[str, str], language: str = "en"):
    texts = load_texts(language)
    names = F.guide_form(endpoint, kind)
    sent = {"firstName": "Ada", "lastName": "Lovelace", **values}
    sent = {k: v for k, v in sent.items() if k in names}
    text = F.request_text(kind, sent, ROSARIO)
    exchange = run_exchange(text, BundledTarget(endpoint), schema=ORG.schema)
    return exchange_outcome(exchange, names, texts, ORG.schema, request_type=kind)


@pytest.mark.parametrize(
    ("endpoint", "kind", "values", "result", "under"),
    [
        (SSR_EP, okta.SSR, {"email": "ada@okta.com"}, Result.CREATED, None),
        (SSR_EP, okta.SSR, {"email": "ada@example.com"}, Result.DENIED, ("email", DOMAIN)),
        (SSR_EP, okta.SSR, {"email": "x@notokta.com"}, Result.DENIED, ("email", DOMAIN)),
        (PP_EP, okta.PP, {"employeeNumber": "1234"}, Result.UPDATED, None),
        (PP_EP, okta.PP, {"employeeNumber": "12345"}, Result.DENIED, ("employeeNumber", "")),
        (PP_EP, okta.PP, {"employeeNumber": "abcd"}, Result.DENIED, ("employeeNumber", "")),
        (BOTH_EP, okta.SSR, _both("a@okta.com", "1234"), Result.CREATED, None),
        (BOTH_EP, okta.SSR, _both("a@example.com", "1234"), Result.DENIED, ("email", BOTH)),
        (BOTH_EP, okta.SSR, _both("x@notokta.com", "1234"), Result.DENIED, ("email", BOTH)),
        (BOTH_EP, okta.SSR, _both("a@okta.com", "12345"), Result.DENIED, ("email", BOTH)),
        (BOTH_EP, okta.SSR, _both("a@okta.com", "abcd"), Result.DENIED, ("email", BOTH)),
        (BOTH_EP, okta.PP, {"employeeNumber": "1234"}, Result.UPDATED, None),
        (BOTH_EP, okta.PP, {"employeeNumber": "12345"}, Result.DENIED, ("employeeNumber", "")),
        (BOTH_EP, okta.PP, {"employeeNumber": "abcd"}, Result.DENIED, ("employeeNumber", "")),
        # A single-purpose endpoint answers {} to the other flow: it goes on unchecked.
        (SSR_EP, okta.PP, {"employeeNumber": "abcd"}, Result.UPDATED, None),
        (PP_EP, okta.SSR, {"email": "x@notokta.com"}, Result.CREATED, None),
    ],
)  # fmt: skip
def test_each_guide_case_on_each_endpoint(endpoint, kind, values, result, under) -> None:
    shown = _outcome(endpoint, kind, values)
    assert shown.result is result
    if under is None:
        assert not shown.stays_on_form and not shown.banner and not shown.field_messages
        return
    name, text = under
    assert shown.stays_on_form
    assert shown.banner[0].text == okta.BANNER_TEXT
    assert shown.banner[0].source == WIDGET
    [notice] = shown.field_messages[name]
    assert notice.source == HOOK
    if text:
        assert notice.text == text
    else:
        assert "4 digits" in notice.text


def test_created_profile_and_progressive_update_highlight_what_the_hook_set() -> None:
    created = _outcome(SSR_EP, okta.SSR, {"email": "ada@okta.com"})
    assert created.title == "Verification email sent"
    assert {r.name: r.after for r in created.profile}["email"] == "ada@okta.com"
    assert not any(r.set_by_hook for r in created.profile)
    updated = _outcome(PP_EP, okta.PP, {"employeeNumber": "1234"})
    [row] = [r for r in updated.profile if r.set_by_hook]
    assert (row.name, row.before, row.after) == ("employeeNumber", None, "1234")


def test_the_hook_message_stays_as_written_in_a_french_page() -> None:
    shown = _outcome(SSR_EP, okta.SSR, {"email": "ada@example.com"}, "fr")
    assert shown.banner[0].text.startswith("Nous avons trouvé quelques erreurs.")
    assert shown.field_messages["email"][0].text == DOMAIN


def _recorded(body: bytes = b"", **changes) -> RecordedTarget:
    answer = HookAnswer(status=200, headers={"content-type": "application/json"}, body=body)
    return RecordedTarget(replace(answer, **changes))


def _on(target, kind=okta.SSR, language="en", names=("email", "firstName", "lastName")):
    text = F.request_text(kind, {"email": "ada@okta.com"}, ROSARIO)
    exchange = run_exchange(text, target, schema=ORG.schema)
    return exchange_outcome(exchange, names, load_texts(language), ORG.schema)


def test_a_failed_hook_shows_the_generic_failure_text() -> None:
    timed_out = _recorded(status=None, failure=FailureKind.TIMEOUT, elapsed_ms=3001.0)
    shown = _on(timed_out)
    assert shown.result is Result.FAILED
    assert [(n.text, n.source) for n in shown.banner] == [(okta.FAILURE_TEXT["ssr"], WIDGET)]
    german = _on(timed_out, language="de")
    assert german.banner[0].text.startswith("Beim Erstellen Ihres Kontos")
    progressive = _on(timed_out, kind=okta.PP, language="de", names=("employeeNumber",))
    assert [(n.text, n.source) for n in progressive.banner] == [(okta.FAILURE_TEXT["pp"], OKTA)]


def test_a_cause_naming_no_form_field_goes_in_the_banner() -> None:
    body = (
        b'{"error":{"errorSummary":"x","errorCauses":[{"errorSummary":"Pas ici",'
        b'"location":"data.userProfile.costCenter"},{"errorSummary":"Ici",'
        b'"location":"data.userProfile.email"}]}}'
    )
    shown = _on(_recorded(body))
    # The widget's banner, then the top-level errorSummary labelled as the guide's reading (the
    # spec: only the causes show; the guide: the summary is passed back).
    assert [(n.text, n.source, bool(n.reading)) for n in shown.banner] == [
        (okta.BANNER_TEXT, WIDGET, False),
        ("x", HOOK, True),
        ("Pas ici", HOOK, False),
    ]
    assert [n.text for n in shown.field_messages["email"]] == ["Ici"]


def test_deny_without_error_shows_okta_text_in_english_flagged() -> None:
    body = b'{"commands":[{"type":"com.okta.action.update","value":{"registration":"DENY"}}]}'
    shown = _on(_recorded(body), language="ja")
    assert [(n.text, n.source) for n in shown.banner] == [(okta.DENY_TEXT["ssr"], OKTA)]


def test_checked_outcome_uses_the_widget_banner() -> None:
    shown = checked_outcome({"email": "x"}, load_texts("es"))
    assert shown.result is Result.CHECKED
    assert shown.banner[0].text.startswith("Hemos encontrado")
