"""The Basic auth pair the hook service accepts: environment, then a `.env` file, then defaults.

The `.env` file is read with python-dotenv (`dotenv_values`, no variable interpolation, so a
password holding `$` stays as written). The guide's well-known `admin` / `supersecret` pair is
used only when nothing is set, and start-up then says so loudly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

DEFAULT_USER = "admin"
DEFAULT_PASSWORD = "supersecret"
USER_VAR = "BASIC_AUTH_USER"
PASSWORD_VAR = "BASIC_AUTH_PASSWORD"


@dataclass(frozen=True)
class Credentials:
    """The Basic auth pair the service accepts; `defaulted` when the guide's were used."""

    user: str
    password: str
    defaulted: bool = False
    source: str = ""

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, password='***', defaulted={self.defaulted})"


def read_env_file(path: Path) -> dict[str, str]:
    """The KEY=VALUE pairs of a `.env` file ({} when it is missing or unreadable)."""
    if not path.is_file():
        return {}
    try:
        values = dotenv_values(path, interpolate=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    return {key: value for key, value in values.items() if value is not None}


def load_credentials(
    environ: Mapping[str, str] | None = None, env_file: Path | None = None
) -> Credentials:
    """From the environment first, then `.env` in the working directory, else the defaults."""
    environ = os.environ if environ is None else environ
    file_path = Path(".env") if env_file is None else env_file
    from_file = read_env_file(file_path)
    user = environ.get(USER_VAR) or from_file.get(USER_VAR)
    password = environ.get(PASSWORD_VAR) or from_file.get(PASSWORD_VAR)
    if user and password:
        source = "environment" if environ.get(PASSWORD_VAR) else str(file_path)
        return Credentials(user, password, False, source)
    return Credentials(
        user or DEFAULT_USER, password or DEFAULT_PASSWORD, True, "the guide's defaults"
    )


def default_credentials_warning(creds: Credentials) -> str:
    """The loud start-up line when the guide's well-known pair is in use."""
    return (
        f"WARNING: {USER_VAR} / {PASSWORD_VAR} are not both set (environment or .env): "
        f"accepting the guide's well-known defaults {DEFAULT_USER} / {DEFAULT_PASSWORD}. "
        "Anyone who can reach this port can call the hook: set your own for anything but "
        "local testing."
    )
