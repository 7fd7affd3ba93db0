"""What answers a request: a bundled endpoint, a remote URL, or a recorded answer.

Every target has the same face (`Target`), so the window, the command line and the scenario
runner call one pipeline (`app.logic.run.pipeline.run_exchange`) and never ask which kind of
target answered.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.logic.targets.base import Target, TargetReply, okta_headers, strip_userinfo
    from app.logic.targets.bundled import BundledTarget
    from app.logic.targets.recorded import RecordedTarget
    from app.logic.targets.url import UrlTarget

# Each name is imported on first use, so a bundled call never loads the HTTP client.
_HOMES = {
    "Target": "base",
    "TargetReply": "base",
    "okta_headers": "base",
    "BundledTarget": "bundled",
    "RecordedTarget": "recorded",
    "UrlTarget": "url",
    "strip_userinfo": "base",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)


__all__ = [
    "BundledTarget",
    "RecordedTarget",
    "Target",
    "TargetReply",
    "UrlTarget",
    "okta_headers",
    "strip_userinfo",
]
