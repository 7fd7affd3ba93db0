"""The bundled hook logic as a real HTTP hook service: an ASGI application and its runner.

Host `app.logic.service:asgi_app` (or `create_app(...)`) on any ASGI server, or run
`python -m app serve`: uvicorn + h11 held to the service's limits (`protocol.py` says why
that engine and what it adds), with uvloop as the event loop when it is installed.

Modules: `app` (the ASGI application), `credentials` (Basic auth pair, `.env`), `limits`
(the bounds), `protocol` (uvicorn's h11 protocol with the bounds), `runner` (running it).
"""

from __future__ import annotations

from typing import Any

from app.logic.bundled_hook import HookRules
from app.logic.service.app import (
    MAX_BODY_BYTES,
    REALM,
    HookService,
    RefusalLog,
    asgi_app,
    create_app,
    escape_log,
)
from app.logic.service.credentials import (
    DEFAULT_PASSWORD,
    DEFAULT_USER,
    PASSWORD_VAR,
    USER_VAR,
    Credentials,
    CredentialsError,
    default_credentials_warning,
    load_credentials,
    read_env_file,
)
from app.logic.service.limits import Limits
from app.logic.service.runner import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    ENGINES,
    ServiceRunner,
    bind_socket,
    serve,
    uvloop_available,
)

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PASSWORD",
    "DEFAULT_PORT",
    "DEFAULT_USER",
    "ENGINES",
    "MAX_BODY_BYTES",
    "PASSWORD_VAR",
    "REALM",
    "USER_VAR",
    "Credentials",
    "CredentialsError",
    "HookService",
    "Limits",
    "RefusalLog",
    "ServeArgumentError",
    "ServiceRunner",
    "add_serve_arguments",
    "asgi_app",
    "bind_socket",
    "create_app",
    "default_credentials_warning",
    "escape_log",
    "load_credentials",
    "read_env_file",
    "rules_from_args",
    "serve",
    "uvloop_available",
]


def add_serve_arguments(parser: Any) -> None:
    """The `serve` options of the CLI's subcommand."""
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"default {DEFAULT_HOST}")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}; 0 picks one"
    )
    parser.add_argument(
        "--env-file",
        metavar="FILE",
        help=f"read {USER_VAR} / {PASSWORD_VAR} from this file (default: .env here)",
    )
    parser.add_argument("--allowed-domain", default="okta.com", metavar="DOMAIN")
    parser.add_argument("--digits", type=int, default=4, metavar="N")
    parser.add_argument(
        "--engine",
        choices=(*ENGINES, "builtin", "uvicorn"),
        default="auto",
        help="event loop under uvicorn + h11: auto (default: uvloop when installed), asyncio "
        "or uvloop; builtin and uvicorn are old names for asyncio and auto",
    )


class ServeArgumentError(ValueError):
    """A `serve` option that cannot work (exit status 2)."""


def rules_from_args(args: Any) -> HookRules:
    try:
        return HookRules(allowed_domain=args.allowed_domain, digits=args.digits)
    except ValueError as exc:
        raise ServeArgumentError(str(exc)) from None
