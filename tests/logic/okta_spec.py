"""Every request the live-org client sends and every answer the stand-in gives, checked against
the operation's schema in Okta's published management OpenAPI spec (the trimmed copy under
tests/logic/data, made by scripts/trim_okta_openapi.py; its commit is recorded in the file).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SPEC_FILE = Path(__file__).parent / "data" / "okta-management-openapi.trimmed.json"
#: The spec's server (`https://{yourOktaDomain}`, default `subdomain.okta.com`): requests are
#: validated as if sent there, whatever port the stand-in listens on.
HOST_URL = "https://subdomain.okta.com"


@cache
def spec() -> Any:
    from openapi_core import OpenAPI

    return OpenAPI.from_dict(json.loads(SPEC_FILE.read_text("utf-8")))


def spec_commit() -> str:
    return json.loads(SPEC_FILE.read_text("utf-8"))["x-trimmed"]["commit"]


def _request(seen: Any) -> Any:
    from openapi_core.testing import MockRequest
    from werkzeug.datastructures import ImmutableMultiDict

    args = ImmutableMultiDict([(k, v) for k, values in seen.query.items() for v in values])
    headers = {k: v for k, v in seen.headers.items()}
    return MockRequest(
        HOST_URL,
        seen.method.lower(),
        seen.path,
        args=args,
        headers=headers,
        data=seen.body or None,
        content_type=seen.headers.get("Content-Type", "application/json") if seen.body else None,
    )


def check_exchange(seen: Any) -> None:
    """Raise when the request or the answer breaks the spec's schema for the operation."""
    from openapi_core.testing import MockResponse

    request = _request(seen)
    try:
        spec().validate_request(request)
    except Exception as exc:
        if not _ambiguous_one_of(exc, seen.path):
            raise
        check_schema("RegistrationInlineHookRequest", json.loads(seen.body))
    content_type = seen.answer_headers.get("Content-Type", "application/json")
    response = MockResponse(
        seen.answer,
        status_code=seen.status,
        headers=seen.answer_headers,
        content_type=content_type,
    )
    from openapi_core.templating.responses.exceptions import ResponseNotFound

    try:
        spec().validate_response(request, response)
    except ResponseNotFound:
        # The spec lists no 401 for these operations, though Okta answers one (E0000011) in
        # its usual error shape: the body is checked against the spec's `Error` schema.
        check_schema("Error", json.loads(seen.answer))
    except Exception as exc:
        if not _ambiguous_one_of(exc, seen.path):
            raise
        check_schema("RegistrationInlineHookResponse", json.loads(seen.answer))


def _ambiguous_one_of(exc: Exception, path: str) -> bool:
    """The /execute body is a `oneOf` of every inline hook type's payload, and several of
    those schemas are loose enough that a registration payload is "valid under each of" them,
    which `oneOf` forbids: that is the spec's ambiguity, not the payload's fault. The body is
    then checked against the registration branch alone."""
    return path.endswith("/execute") and "is valid under each of" in repr(exc.__cause__ or exc)


def check_schema(name: str, value: Any) -> None:
    """`value` against the spec's `components.schemas[name]` (its $refs resolved in place)."""
    import jsonschema

    document = json.loads(SPEC_FILE.read_text("utf-8"))
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    jsonschema.Draft7Validator(schema).validate(value)


def check_all(server: Any) -> int:
    """Check every API exchange the stand-in saw (the OAuth token endpoint is not part of the
    management spec); the number checked."""
    checked = 0
    for seen in list(server.seen):
        if seen.path.startswith("/api/"):
            check_exchange(seen)
            checked += 1
    return checked
