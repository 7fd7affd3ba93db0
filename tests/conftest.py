"""Test-wide set-up: Qt runs headless, and nothing touches the real home folder."""

from __future__ import annotations

import os

# Qt reads these before the first QApplication exists, so they are set at import time.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
