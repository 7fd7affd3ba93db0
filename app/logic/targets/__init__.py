"""What answers a request: a bundled endpoint, a remote URL, or a recorded answer.

Every target has the same face (`Target`), so the window, the command line and the scenario
runner call one pipeline (`app.logic.run.pipeline.run_exchange`) and never ask which kind of
target answered.
"""

from __future__ import annotations

from app.logic.targets.base import Target, TargetReply, okta_headers
from app.logic.targets.bundled import BundledTarget
from app.logic.targets.recorded import RecordedTarget
from app.logic.targets.url import UrlTarget, strip_userinfo

__all__ = [
    "BundledTarget",
    "RecordedTarget",
    "Target",
    "TargetReply",
    "UrlTarget",
    "okta_headers",
    "strip_userinfo",
]
