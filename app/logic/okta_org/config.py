"""Which org to talk to and with what credential, found where Okta's own tools look.

Okta's SDKs read `~/.okta/okta.yaml` (then `./okta.yaml`) and then the environment, the later
overriding the earlier (okta/okta-sdk-python, okta/config/config_setter.py @230c01ec,
`_update_config`). The YAML's keys are `okta: client: orgUrl / token / authorizationMode /
clientId / scopes / privateKey` (same file; the Java SDK's README, okta/okta-sdk-java
README.md @004810dd, adds `privateKey: keyFilePath:`). The environment names differ between
SDKs: the Java and Node SDKs read `OKTA_CLIENT_ORGURL`, `OKTA_CLIENT_TOKEN`,
`OKTA_CLIENT_AUTHORIZATIONMODE`, `OKTA_CLIENT_CLIENTID`, `OKTA_CLIENT_SCOPES`,
`OKTA_CLIENT_PRIVATEKEY`; the Python SDK turns each camelCase key into snake case
(`OKTA_CLIENT_ORG_URL`, `OKTA_CLIENT_CLIENT_ID`, ...; config_setter.py `_apply_env_config`).
Both spellings are read here, the first spelling winning.

An org's URL is https, except a loopback address (a local stand-in); it is the origin alone.
"""

from __future__ import annotations

import ipaddress
import os
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "REQUIRED_SCOPES",
    "ConfigError",
    "OrgConfig",
    "find_config",
    "normalise_org_url",
]

#: The OAuth 2.0 scopes a service app needs for everything this program does with an org.
REQUIRED_SCOPES = (
    "okta.users.read",
    "okta.schemas.read",
    "okta.inlineHooks.read",
    "okta.inlineHooks.manage",
    "okta.logs.read",
)
#: What each operation needs, for the message a 403 gets.
SCOPE_FOR = {
    "users": "okta.users.read",
    "schema": "okta.schemas.read",
    "hooks": "okta.inlineHooks.read",
    "preview": "okta.inlineHooks.manage",
    "calls": "okta.logs.read",
}
SSWS = "SSWS"
PRIVATE_KEY = "PrivateKey"
MODES = (SSWS, PRIVATE_KEY)

#: Environment names for each key: Java/Node spelling first, then the Python SDK's.
ENV_NAMES: dict[str, tuple[str, ...]] = {
    "orgUrl": ("OKTA_CLIENT_ORGURL", "OKTA_CLIENT_ORG_URL"),
    "token": ("OKTA_CLIENT_TOKEN",),
    "authorizationMode": ("OKTA_CLIENT_AUTHORIZATIONMODE", "OKTA_CLIENT_AUTHORIZATION_MODE"),
    "clientId": ("OKTA_CLIENT_CLIENTID", "OKTA_CLIENT_CLIENT_ID"),
    "scopes": ("OKTA_CLIENT_SCOPES",),
    "privateKey": ("OKTA_CLIENT_PRIVATEKEY", "OKTA_CLIENT_PRIVATE_KEY"),
    "kid": ("OKTA_CLIENT_KID",),
}
#: Biggest okta.yaml read (a real one is a few hundred bytes).
MAX_YAML_BYTES = 256 * 1024


class ConfigError(Exception):
    """The org cannot be used as given; the message is one plain line."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalise_org_url(text: str) -> str:
    """The org's origin (`https://dev-1.okta.com`), or ConfigError saying what is wrong:
    https only, except a loopback host; no user:password@, path, query or fragment."""
    raw = text.strip()
    if not raw:
        raise ConfigError(
            "no org URL: give --org https://YOUR-ORG.okta.com or set OKTA_CLIENT_ORGURL"
        )
    if any(ord(ch) < 32 or ord(ch) == 127 or ch.isspace() for ch in raw):
        raise ConfigError("the org URL contains a space or a control character")
    try:
        parts = urllib.parse.urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"the org URL is not valid ({exc})") from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in ("https", "http") or not host:
        raise ConfigError("the org URL must look like https://YOUR-ORG.okta.com")
    if "@" in parts.netloc:
        raise ConfigError("the org URL must not carry a user name or password")
    if scheme == "http" and not _is_loopback(host):
        raise ConfigError(
            "the org URL must use https:// (http:// only for a local stand-in on 127.0.0.1)"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ConfigError("the org URL is the org's address alone, like https://YOUR-ORG.okta.com")
    shown = f"[{host}]" if ":" in host else host
    default = 443 if scheme == "https" else 80
    return f"{scheme}://{shown}" + (f":{port}" if port and port != default else "")


class OrgConfig(NamedTuple):
    """An org and how to sign in to it. Secrets are in memory only; repr masks them."""

    org_url: str
    mode: str = SSWS
    token: str = ""
    client_id: str = ""
    scopes: tuple[str, ...] = REQUIRED_SCOPES
    private_key: str = ""  # PEM text
    key_id: str = ""
    #: Where each value came from ("--org", "OKTA_CLIENT_ORGURL", "~/.okta/okta.yaml", ...).
    sources: tuple[tuple[str, str], ...] = ()
    ca_file: str | None = None

    def __repr__(self) -> str:
        masked = {
            "token": "***" if self.token else "",
            "private_key": "***" if self.private_key else "",
        }
        return (
            f"OrgConfig(org_url={self.org_url!r}, mode={self.mode!r}, token={masked['token']!r}, "
            f"client_id={self.client_id!r}, private_key={masked['private_key']!r})"
        )

    @property
    def is_loopback(self) -> bool:
        return _is_loopback(urllib.parse.urlsplit(self.org_url).hostname or "")

    @property
    def secret(self) -> str:
        return self.private_key if self.mode == PRIVATE_KEY else self.token

    @property
    def secret_key(self) -> str:
        """The keyring entry's name for this org's credential."""
        who = self.client_id if self.mode == PRIVATE_KEY else "api-token"
        return f"okta-org {self.org_url} {who}"

    def secrets(self) -> tuple[str, ...]:
        return tuple(value for value in (self.token, self.private_key) if value)

    def problem(self) -> str | None:
        """What is missing before a call can be made, or None."""
        if self.mode == PRIVATE_KEY:
            if not self.client_id:
                return "a service app needs its client id (OKTA_CLIENT_CLIENTID)"
            if not self.private_key:
                return "a service app needs its private key (OKTA_CLIENT_PRIVATEKEY)"
            return None
        if not self.token:
            return "no API token: set OKTA_CLIENT_TOKEN, keep one in the keyring, or type it"
        return None


def _yaml_client(path: Path) -> dict[str, Any]:
    """`okta: client:` of an okta.yaml, {} when there is none; ConfigError when unreadable."""
    try:
        if not path.is_file():
            return {}
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_YAML_BYTES:
        raise ConfigError(f"{path}: too big for an okta.yaml ({len(data)} bytes)")
    import yaml  # type: ignore[import-untyped]  # only when the file exists: about 20 ms

    try:
        value = yaml.safe_load(data.decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" line {where.line + 1}" if where is not None else ""
        raise ConfigError(f"{path}{line}: not a YAML file Okta's SDKs could read") from None
    okta = value.get("okta") if isinstance(value, dict) else None
    client = okta.get("client") if isinstance(okta, dict) else None
    return client if isinstance(client, dict) else {}


def _private_key_text(value: Any, origin: str) -> str:
    """The PEM text of a `privateKey` setting: PEM itself, a file path, or the Java SDK's
    `{keyFilePath: ...}`."""
    if isinstance(value, dict):
        value = value.get("keyFilePath", "")
    if not isinstance(value, str) or not value.strip():
        return ""
    text = value.strip()
    if text.startswith("-----BEGIN"):
        return text.replace("\\n", "\n")
    path = Path(os.path.expanduser(text))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"{origin}: the private key file {path} cannot be read ({exc.strerror or exc})"
        ) from None
    if len(data) > 64 * 1024 or b"-----BEGIN" not in data:
        raise ConfigError(f"{origin}: {path} is not a PEM private key")
    return data.decode("ascii", errors="replace")


def find_config(
    org: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
    cwd: Path | None = None,
    ca_file: str | None = None,
) -> OrgConfig:
    """The org from `org` (the --org argument), else the environment, else okta.yaml; the
    credential from the environment or okta.yaml (the keyring and a prompt come later, from
    the caller). Raises ConfigError."""
    environ = os.environ if environ is None else environ
    home = Path.home() if home is None else home
    cwd = Path.cwd() if cwd is None else cwd
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for path, label in (
        (home / ".okta" / "okta.yaml", "~/.okta/okta.yaml"),
        (cwd / "okta.yaml", "./okta.yaml"),
    ):
        for key, value in _yaml_client(path).items():
            if key in ENV_NAMES and value not in (None, ""):
                values[key], sources[key] = value, label
    for key, names in ENV_NAMES.items():
        for name in names:
            if environ.get(name):
                values[key], sources[key] = environ[name], name
                break
    if org:
        values["orgUrl"], sources["orgUrl"] = org, "--org"
    raw_url = values.get("orgUrl", "")
    if not isinstance(raw_url, str):
        raise ConfigError(f"{sources['orgUrl']}: orgUrl must be a URL")
    org_url = normalise_org_url(raw_url)
    mode = str(values.get("authorizationMode") or SSWS)
    if mode not in MODES:
        raise ConfigError(
            f"{sources.get('authorizationMode')}: authorizationMode {mode!r} is not supported "
            "here; use SSWS (an API token) or PrivateKey (a service app)"
        )
    scopes = values.get("scopes") or REQUIRED_SCOPES
    if isinstance(scopes, str):
        scopes = [part for part in scopes.replace(",", " ").split() if part]
    if not isinstance(scopes, list | tuple) or not all(isinstance(s, str) for s in scopes):
        raise ConfigError(f"{sources.get('scopes')}: scopes must be a list of scope names")
    token = values.get("token") or ""
    private_key = ""
    if mode == PRIVATE_KEY and values.get("privateKey"):
        private_key = _private_key_text(values["privateKey"], sources["privateKey"])
    return OrgConfig(
        org_url=org_url,
        mode=mode,
        token=str(token).strip() if mode == SSWS else "",
        client_id=str(values.get("clientId") or ""),
        scopes=tuple(scopes),
        private_key=private_key,
        key_id=str(values.get("kid") or ""),
        sources=tuple(sorted(sources.items())),
        ca_file=ca_file,
    )


def with_secret(config: OrgConfig, secret: str) -> OrgConfig:
    """`config` with its credential (the API token, or the service app's PEM key) set."""
    if config.mode == PRIVATE_KEY:
        return config._replace(private_key=secret.strip())
    return config._replace(token=secret.strip())


def credential_from_store(config: OrgConfig, store: Any) -> OrgConfig:
    """`config` with the credential the secret store (`app.logic.secret_store.SecretStore`)
    keeps for this org, when the environment and okta.yaml gave none."""
    if not config.problem():
        return config
    secret = store.get(config.secret_key)
    return with_secret(config, secret) if secret else config
