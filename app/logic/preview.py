"""One whole preview with the bundled hook: request text in, Okta's verdict out.

The window, the command line and the benchmarks all run this same pipeline, so what one shows
the others show too.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from app.logic.answer import HookAnswer
from app.logic.bundled_hook import HookResult, HookRules, endpoint_for
from app.logic.org import UserSchema
from app.logic.validation import ValidationResult, validate_request
from app.logic.verdict import Verdict, interpret_response


@dataclass(frozen=True)
class PreviewResult:
    """Everything one View Response produced, for display."""

    request: ValidationResult
    hook: HookResult | None  # None when the request text did not parse
    response_text: str
    answer: HookAnswer | None
    verdict: Verdict | None

    @property
    def ran(self) -> bool:
        return self.verdict is not None


def dumps_response(value: Any) -> str:
    """The response as the sample service writes it, pretty-printed for reading."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def run_bundled(
    request_text: str,
    endpoint: str,
    rules: HookRules | None = None,
    schema: UserSchema | None = None,
) -> PreviewResult:
    """Validate the request text, answer it with a bundled endpoint and judge the answer.

    A request that does not parse stops here (there is nothing to send); a request that
    parses but breaks the schema is still sent, as Okta's Preview tab would let an admin do,
    and its problems travel with the result.
    """
    checked = validate_request(request_text)
    if not checked.parsed:
        return PreviewResult(checked, None, "", None, None)
    hook = endpoint_for(endpoint)
    started = time.perf_counter()
    result = hook(checked.value, rules or HookRules())
    body = json.dumps(result.response, ensure_ascii=False).encode("utf-8")
    elapsed_ms = (time.perf_counter() - started) * 1000.0
    answer = HookAnswer.from_json_bytes(body, elapsed_ms=elapsed_ms)
    verdict = interpret_response(checked.value, answer, schema)
    return PreviewResult(checked, result, dumps_response(result.response), answer, verdict)
