"""A live hook URL as a target: called over HTTP(S) as Okta calls it (app.logic.remote)."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from app.logic import okta
from app.logic.remote import (
    HookAuth,
    RemoteSettings,
    TokenCache,
    basic_auth_value,
    call_hook,
    hook_client,
)
from app.logic.targets.base import TargetReply, okta_headers, strip_userinfo
from app.logic.targets.session import current_session


@dataclass(frozen=True)
class UrlTarget:
    """A remote hook: its URL, its auth (header, custom headers, OAuth) and the call settings."""

    address: str
    auth: HookAuth = field(default_factory=HookAuth)
    settings: RemoteSettings = field(default_factory=RemoteSettings)
    token_cache: TokenCache | None = None
    client: Any = None  # an injected HTTP client for tests; None uses the module's default
    kind: str = "url"

    @property
    def label(self) -> str:
        return self.url

    @property
    def url(self) -> str:
        return strip_userinfo(self.address)

    @property
    def timeout_s(self) -> float:
        return self.settings.timeout_s

    def secrets(self) -> tuple[str, ...]:
        found = [self.auth.header_value]
        found += [value for _name, value in self.auth.extra_headers]
        if (oauth := self.auth.oauth) is not None:
            found.append(oauth.client_secret)
            # The token request's Basic header (id and secret form-encoded first, RFC 6749
            # 2.3.1): a token endpoint that quotes it back quotes the secret.
            quoted = urllib.parse.quote_plus(oauth.client_secret)
            found += [quoted, basic_auth_value(urllib.parse.quote_plus(oauth.client_id), quoted)]
        userinfo = urllib.parse.urlsplit(self.address).netloc.rpartition("@")[0]
        if userinfo:
            found.append(userinfo)
        return tuple(value for value in found if value)

    def planned_headers(self, body: bytes) -> list[tuple[str, str]]:
        headers = okta_headers(body)
        if self.auth.oauth is not None:
            headers.append(("Authorization", "Bearer ***"))
        elif self.auth.header_value:
            headers.append(
                (self.auth.header_name or okta.DEFAULT_AUTH_HEADER, self.auth.header_value)
            )
        headers.extend(self.auth.extra_headers)
        return headers

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "kind": self.kind,
            "url": self.url,
            "auth_header": self.auth.header_name if self.auth.header_value else None,
            "custom_headers": [name for name, _value in self.auth.extra_headers],
            "timeout_s": self.settings.timeout_s,
            "retry": self.settings.retry,
        }
        if self.auth.oauth is not None:
            described["oauth"] = {
                "token_url": self.auth.oauth.token_url,
                "client_id": self.auth.oauth.client_id,
                "scope": self.auth.oauth.scope,
            }
        return described

    def call(self, body: bytes, request: Any, cancel: Any = None) -> TargetReply:
        extra: dict[str, Any] = {}
        if self.client is not None:
            extra["client"] = self.client
        elif (session := current_session()) is not None:
            # A run of many calls: this thread's connection is kept for its next call.
            settings = self.settings
            key = ("hook_client", settings.timeout_s, settings.ca_file, settings.verify_tls)
            extra["client"] = session.get(key, lambda: hook_client(settings, keep_alive=True))
        answer = call_hook(
            self.address, body, self.auth, self.settings, cancel, self.token_cache, **extra
        )
        return TargetReply(answer)
