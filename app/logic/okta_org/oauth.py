"""OAuth 2.0 for Okta APIs with a service app: a client assertion signed with the app's
private key (`private_key_jwt`) traded at the org's token endpoint for an access token.

The assertion's claims are Okta's: `iss` and `sub` the client id, `aud` the token endpoint
(`{org}/oauth2/v1/token`), `iat`, `exp` at most an hour later, a unique `jti`; the form
posts `grant_type=client_credentials`, the scopes and the assertion (okta/okta-developer-docs,
packages/@okta/vuepress-site/docs/guides/implement-oauth-for-okta-serviceapp/main/index.md
@00267856, "Create and sign the JWT" and "Get an access token"). PyJWT and
cryptography are imported here only, so a token never pays their import (about 60 ms).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from app.logic.okta_org.client import OrgApiError, error_line

if TYPE_CHECKING:
    import httpx

    from app.logic.okta_org.config import OrgConfig

TOKEN_PATH = "/oauth2/v1/token"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_LIFETIME_S = 300


def client_assertion(config: OrgConfig, now: float) -> str:
    """The signed JWT that proves the service app is who it says (RS256)."""
    try:
        import jwt
    except ImportError:  # pragma: no cover - the dependency is declared
        raise OrgApiError("a service app needs the PyJWT and cryptography packages") from None
    claims = {
        "iss": config.client_id,
        "sub": config.client_id,
        "aud": config.org_url + TOKEN_PATH,
        "iat": int(now),
        "exp": int(now) + ASSERTION_LIFETIME_S,
        "jti": uuid.uuid4().hex,
    }
    headers = {"kid": config.key_id} if config.key_id else None
    try:
        return jwt.encode(claims, config.private_key, algorithm="RS256", headers=headers)
    except (ValueError, TypeError, jwt.PyJWTError) as exc:
        kind = type(exc).__name__
        raise OrgApiError(
            f"the service app's private key cannot sign (is it an RSA key in PEM form?): {kind}"
        ) from None


def fetch_access_token(http: httpx.Client, config: OrgConfig, *, now: float) -> tuple[str, float]:
    """(access token, seconds it lives) for the configured scopes; OrgApiError otherwise."""
    import httpx

    form = {
        "grant_type": "client_credentials",
        "scope": " ".join(config.scopes),
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": client_assertion(config, now),
    }
    try:
        response = http.post(
            config.org_url + TOKEN_PATH, data=form, headers={"Accept": "application/json"}
        )
    except httpx.HTTPError as exc:
        raise OrgApiError(f"cannot reach the org's token endpoint: {type(exc).__name__}") from None
    body = response.content[: 64 * 1024]
    if response.status_code != 200:
        if b"dpop" in body.lower():
            raise OrgApiError(
                "the service app requires DPoP-bound tokens, which this program does not send: "
                "turn off 'Require Demonstrating Proof of Possession' for the app"
            )
        line = error_line(response.status_code, body, "token", config.mode)
        raise OrgApiError(f"the service app could not get a token: {line}")
    try:
        value = response.json()
        token = value["access_token"]
        lifetime = float(value.get("expires_in", 3600))
    except (ValueError, KeyError, TypeError):
        raise OrgApiError("the org's token endpoint gave no access token") from None
    if not isinstance(token, str) or not token:
        raise OrgApiError("the org's token endpoint gave no access token")
    return token, max(60.0, min(lifetime, 86400.0))
