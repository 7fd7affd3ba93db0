"""The one call path: every target gives the same exchange record, secrets masked in it."""

from __future__ import annotations

import json

import pytest

from app.logic import okta
from app.logic.answer import FailureKind, HookAnswer
from app.logic.org import load_demo_org
from app.logic.remote import HookAuth
from app.logic.request_builder import build_request, dumps_request
from app.logic.run.exchange import mask_headers
from app.logic.run.pipeline import BOM_NOTE, run_exchange
from app.logic.targets import BundledTarget, RecordedTarget, UrlTarget, strip_userinfo
from app.logic.verdict import Outcome

ORG = load_demo_org()


def ssr_text(email: str = "zoe.lukasiewicz@okta.com") -> str:
    user = ORG.search("Zo")[0]
    return dumps_request(build_request(okta.SSR, user, form={"email": email}, seed=3))


def test_bundled_exchange_records_what_was_sent_and_the_verdict() -> None:
    text = ssr_text("someone@example.com")
    exchange = run_exchange(text, BundledTarget("ssr"), schema=ORG.schema)
    assert exchange.sent and exchange.request_bytes == text.encode()
    assert ("Content-Length", str(len(text.encode()))) in exchange.request_headers
    assert exchange.verdict is not None and exchange.verdict.outcome is Outcome.DENIED
    assert exchange.answer is not None and exchange.answer.attempt_log[0].status == 200
    assert exchange.log_lines and "someone@example.com" in " ".join(exchange.log_lines)
    assert exchange.target == {
        "kind": "bundled",
        "endpoint": "/registrationHookSSR",
        "rules": {"allowedDomain": "okta.com", "digits": 4},
    }
    shown = exchange.to_json()
    assert shown["verdict"]["outcome"] == "DENIED"
    json.dumps(shown)  # the record is JSON-ready as it stands


def test_a_recorded_answer_is_judged_by_the_same_path() -> None:
    answer = HookAnswer(status=200, headers={"content-type": "application/json"}, body=b"{}")
    exchange = run_exchange(ssr_text(), RecordedTarget(answer), schema=ORG.schema)
    assert exchange.verdict is not None and exchange.verdict.outcome is Outcome.ALLOWED
    assert exchange.log_lines is None  # a recorded answer has no hook log


def test_text_that_is_not_json_is_not_sent() -> None:
    exchange = run_exchange('{"eventId": ', BundledTarget("pp"))
    assert not exchange.sent and exchange.verdict is None
    assert exchange.parse_problem is not None and exchange.parse_problem.line == 1


def test_a_byte_order_mark_is_stripped_and_said() -> None:
    body = b"\xef\xbb\xbf" + ssr_text().encode()
    exchange = run_exchange(body, BundledTarget("ssr"), schema=ORG.schema)
    assert exchange.request_bytes == body[3:]
    assert exchange.notes == (BOM_NOTE,)
    assert exchange.verdict is not None and exchange.verdict.outcome is Outcome.ALLOWED


def test_a_lone_surrogate_in_the_text_is_refused_with_its_place() -> None:
    exchange = run_exchange('{\n  "a": "\ud83d"}', BundledTarget("ssr"))
    assert not exchange.sent
    assert exchange.refusal.startswith("line 2, column 9: the text holds a lone surrogate")


def test_bytes_that_are_not_utf8_are_refused() -> None:
    exchange = run_exchange(b'{"a": "\xff"}', BundledTarget("ssr"))
    assert not exchange.sent and "not UTF-8" in exchange.refusal


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://admin:s3cret@hooks.example/x", "https://hooks.example/x"),
        ("https://hooks.example/x", "https://hooks.example/x"),
        ("https://tok@hooks.example:8443/x?y=1", "https://hooks.example:8443/x?y=1"),
    ],
)
def test_userinfo_never_reaches_a_record(url: str, shown: str) -> None:
    assert strip_userinfo(url) == shown
    assert UrlTarget(url).url == shown


def test_secrets_are_masked_in_the_record_but_sent_for_real() -> None:
    auth = HookAuth("x-hook-key", "k3y-v4lue-long", (("x-tenant", "t-secret-9"),))
    target = UrlTarget("http://127.0.0.1:9/hook", auth)
    sent = HookAnswer(
        status=None,
        failure=FailureKind.CONNECTION_REFUSED,
        failure_detail="nothing is listening at 127.0.0.1:9",
        sent_headers=(
            ("Accept", "application/json"),
            ("x-hook-key", "k3y-v4lue-long"),
            ("x-tenant", "t-secret-9"),
            ("Authorization", "Bearer eyJ.token"),
        ),
    )

    class Stub:
        def __getattr__(self, name: str) -> object:
            return getattr(target, name)

        def call(self, body: bytes, request: object, cancel: object = None) -> object:
            from app.logic.targets import TargetReply

            assert ("x-hook-key", "k3y-v4lue-long") in target.planned_headers(body)
            return TargetReply(sent)

    exchange = run_exchange(ssr_text(), Stub(), schema=ORG.schema)  # type: ignore[arg-type]
    record = json.dumps(exchange.to_json())
    assert "k3y-v4lue-long" not in record and "t-secret-9" not in record
    assert "eyJ.token" not in record
    assert exchange.request_headers[1] == ("x-hook-key", "***")
    assert ("Authorization", "Bearer ***") in exchange.request_headers


def test_mask_keeps_a_scheme_only_when_the_value_is_not_itself_a_secret() -> None:
    headers = [("authorization", "Basic YWRtaW46c3VwZXJzZWNyZXQ="), ("Authorization", "Bearer t")]
    masked = mask_headers(headers, ["Basic YWRtaW46c3VwZXJzZWNyZXQ="])
    assert masked == (("authorization", "***"), ("Authorization", "Bearer ***"))


def test_no_caller_needs_to_know_the_kind_of_target() -> None:
    text = ssr_text()
    answer = HookAnswer(status=200, headers={"content-type": "application/json"}, body=b"{}")
    for target in (BundledTarget("ssr"), RecordedTarget(answer)):
        exchange = run_exchange(text, target, schema=ORG.schema)
        assert exchange.verdict is not None
        assert exchange.verdict.outcome is Outcome.ALLOWED
        assert exchange.target_label == target.label
