"""The two Identity Engine requests captured on a real Okta org (December 2021), kept byte for
byte as Okta's old guide page `nodejs/get-submitted-credentials.md` shows them (docs commit
2ccbb76a21^): no requestType, a policy rule id as source, absolute _links."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.logic.answer import HookAnswer
from app.logic.validation import infer_request_type, validate_request
from app.logic.verdict import interpret_response

REQUESTS = Path(__file__).parent / "data" / "requests"
SSR_FILE = REQUESTS / "okta-captured-2021-ssr.json"
PP_FILE = REQUESTS / "okta-captured-2021-pp.json"


def test_the_fixtures_are_the_captured_bytes() -> None:
    ssr = SSR_FILE.read_bytes()
    pp = PP_FILE.read_bytes()
    assert ssr.startswith(b'{\n   "eventId":"16Ja0HcdSYy602188z6gIg",')
    assert b'"source":"rul1bufGk5dJdRYw50g4"' in ssr
    assert pp.startswith(b'{\n    "eventId": "YFtkmR0US_-WRIkMgC9V-g",')
    assert b"requestType" not in ssr and b"requestType" not in pp


@pytest.mark.parametrize(
    ("path", "kind", "how"),
    [
        (SSR_FILE, "self.service.registration", "url"),
        (PP_FILE, "progressive.profile", "url"),
    ],
    ids=["ssr", "pp"],
)
def test_captured_requests_are_valid_identity_engine_requests(
    path: Path, kind: str, how: str
) -> None:
    result = validate_request(path.read_text(encoding="utf-8"))
    assert result.problems == ()
    assert result.engine == "identity"
    assert infer_request_type(result.value) == (kind, how)


def test_a_request_without_type_or_url_is_progressive_by_its_shape() -> None:
    value = json.loads(PP_FILE.read_text(encoding="utf-8"))
    value["data"]["context"]["request"]["url"]["value"] = "/somewhere"
    assert infer_request_type(value) == ("progressive.profile", "shape")
    # ... and checked as one: the URL is then wrong for a progressive request.
    problems = validate_request(json.dumps(value)).problems
    assert [p.path for p in problems] == ["data.context.request.url.value"]


def test_only_a_request_that_looks_classic_is_classic() -> None:
    classic = (REQUESTS / "contract-classic.json").read_text(encoding="utf-8")
    assert infer_request_type(json.loads(classic)) == (None, "classic")
    assert validate_request(classic).engine == "classic"


def test_a_captured_progressive_request_is_checked_as_one() -> None:
    value = json.loads(PP_FILE.read_text(encoding="utf-8"))
    value["data"]["userProfile"] = {"email": "a@okta.com"}
    problems = {p.path: p.message for p in validate_request(json.dumps(value)).problems}
    assert "data.userProfile" in problems


def test_source_is_any_non_empty_string() -> None:
    value = json.loads(SSR_FILE.read_text(encoding="utf-8"))
    for source in ("rul1bufGk5dJdRYw50g4", "regt4qeBKU29vSoPz0g3", "x"):
        value["source"] = source
        assert validate_request(json.dumps(value)).problems == ()
    value["source"] = ""
    assert [p.message for p in validate_request(json.dumps(value)).problems] == [
        "must not be empty"
    ]


@pytest.mark.parametrize(
    ("path", "flavour_text"),
    [(SSR_FILE, "self.service.registration"), (PP_FILE, "progressive.profile")],
    ids=["ssr", "pp"],
)
def test_the_verdict_reads_the_inferred_type_with_a_note(path: Path, flavour_text: str) -> None:
    request = json.loads(path.read_text(encoding="utf-8"))
    answer = HookAnswer(status=200, headers={"content-type": "application/json"}, body=b"{}")
    verdict = interpret_response(request, answer)
    assert verdict.request_type == flavour_text
    notes = [p for p in verdict.problems if p.code == "request-type-inferred"]
    assert len(notes) == 1 and "2021" in notes[0].message and flavour_text in notes[0].message
    assert not any(p.code in ("classic-request", "request-type-unknown") for p in verdict.problems)
