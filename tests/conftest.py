"""Test-wide set-up: Qt runs headless, and nothing touches the real home folder."""

from __future__ import annotations

import os

# Qt reads these before the first QApplication exists, so they are set at import time.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

# Property tests check correctness, not speed (benchmarks do that): a busy machine must not
# turn a slow example into a failure.
from hypothesis import settings as _hypothesis_settings

_hypothesis_settings.register_profile("default", deadline=None)
_hypothesis_settings.load_profile("default")
