"""Qt-free engine: requests, validation, the bundled hook, remote calls and Okta's verdict."""

import sys

# httpx's package imports its command-line client, and with it click and pygments when they
# are installed: about a seventh of importing httpx, paid at the start of every `send` and
# `check`. Marking the client's module absent before httpx is first imported (here, before any
# module of the engine can import it) makes httpx fall back to the stub `main` it keeps for a
# missing client; nothing in this program runs `httpx.main`.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
