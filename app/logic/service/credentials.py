"""The Basic auth pair the hook service accepts: environment, then a `.env` file, then defaults.

The `.env` file is read with python-dotenv's parser (no variable interpolation, so a password
holding `$` stays as written). The guide's well-known `admin` / `supersecret` pair is used only
when neither name is set anywhere, and start-up then says so loudly. Half a pair (a user but no
usable password, or the reverse, or a line naming one that cannot be read) is an error: falling
back to the public default password there would open the service to anyone who read the guide.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv.parser import parse_stream

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


class CredentialsError(ValueError):
    """The credentials are half set or unreadable: the service must not start (one line)."""


@dataclass(frozen=True)
class EnvFile:
    """What a `.env` file holds: its KEY=VALUE pairs (a bare `KEY` has the value None) and the
    lines python-dotenv could not parse, as (line number, text)."""

    values: dict[str, str | None]
    unreadable_lines: tuple[tuple[int, str], ...] = ()

    def names(self, key: str) -> bool:
        """Whether the file mentions `key` at all, even on a line it could not parse."""
        return key in self.values or any(key in text for _n, text in self.unreadable_lines)


def parse_env_file(path: Path) -> EnvFile:
    """The contents of a `.env` file (empty when there is none); CredentialsError when the
    file is there but cannot be read."""
    if not path.is_file():
        return EnvFile({})
    try:
        with path.open(encoding="utf-8-sig") as stream:
            bindings = list(parse_stream(stream))
    except UnicodeDecodeError as exc:
        raise CredentialsError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise CredentialsError(f"{path}: {exc.strerror or exc}") from None
    values: dict[str, str | None] = {}
    broken: list[tuple[int, str]] = []
    for binding in bindings:
        if binding.error:
            broken.append((binding.original.line, binding.original.string))
        elif binding.key is not None:
            values[binding.key] = binding.value
    return EnvFile(values, tuple(broken))


def read_env_file(path: Path) -> dict[str, str]:
    """The KEY=VALUE pairs of a `.env` file ({} when it is missing)."""
    values = parse_env_file(path).values
    return {key: value for key, value in values.items() if value is not None}


def load_credentials(
    environ: Mapping[str, str] | None = None, env_file: Path | None = None
) -> Credentials:
    """From the environment first, then `.env` in the working directory, else the defaults.

    CredentialsError when only one of the pair has a usable value while the other is named
    (empty, a bare name, or on a line the parser cannot read), or the file cannot be read.
    """
    environ = os.environ if environ is None else environ
    file_path = Path(".env") if env_file is None else env_file
    env = parse_env_file(file_path)
    user = environ.get(USER_VAR) or env.values.get(USER_VAR)
    password = environ.get(PASSWORD_VAR) or env.values.get(PASSWORD_VAR)
    if user and password:
        source = "environment" if environ.get(PASSWORD_VAR) else str(file_path)
        return Credentials(user, password, False, source)
    named = {key for key in (USER_VAR, PASSWORD_VAR) if key in environ or env.names(key)}
    if not named:
        return Credentials(DEFAULT_USER, DEFAULT_PASSWORD, True, "the guide's defaults")
    usable = {USER_VAR: user, PASSWORD_VAR: password}
    problems = [
        f"{key} {_why_unusable(key, environ, file_path, env)}"
        for key, value in usable.items()
        if not value
    ]
    raise CredentialsError(
        f"{'; '.join(problems)}: set both {USER_VAR} and {PASSWORD_VAR} (environment or "
        f"{file_path}) or neither; the service does not fall back to the guide's public default"
    )


def _why_unusable(key: str, environ: Mapping[str, str], path: Path, env: EnvFile) -> str:
    lines = [number for number, text in env.unreadable_lines if key in text]
    if lines:
        return f"cannot be read (line {lines[0]} of {path})"
    if key in env.values or key in environ:
        return "is empty"
    return "is not set"


def default_credentials_warning(creds: Credentials) -> str:
    """The loud start-up line when the guide's well-known pair is in use."""
    return (
        f"WARNING: neither {USER_VAR} nor {PASSWORD_VAR} is set (environment or .env): "
        f"accepting the guide's well-known defaults {DEFAULT_USER} / {DEFAULT_PASSWORD}. "
        "Anyone who can reach this port can call the hook: set your own for anything but "
        "local testing."
    )
