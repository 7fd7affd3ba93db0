"""Importing httpx without its command-line client.

httpx's package imports its command-line client, and with it click and pygments when they are
installed: about a seventh of importing httpx, paid at the start of every `send` and `check`.
Marking the client's module absent before httpx is first imported makes httpx fall back to the
stub `main` it keeps for a missing client; nothing in this program runs `httpx.main`.
"""

from __future__ import annotations

import sys

sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
