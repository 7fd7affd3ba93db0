"""The About box and Help > The guide: a read-only page explaining the hook contract."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from app import __version__
from app.views import strings as S

GUIDE_FILE = Path(__file__).with_name("guide.md")


def guide_text() -> str:
    """The bundled guide (Markdown); a one-line note if the file is missing from the install."""
    try:
        return GUIDE_FILE.read_text(encoding="utf-8")
    except OSError:
        return "# The guide\n\nThe guide file is missing from this installation."


class AboutDialog(QDialog):
    """What the program is, its version, and the Qt it runs on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        self.setWindowTitle(f"About {S.APP_NAME}")
        layout = QVBoxLayout(self)
        text = QLabel(
            f"<h2>{S.APP_NAME}</h2>"
            f"<p>Version {__version__}</p>"
            "<p>Okta's registration inline hook Preview tab, on the desktop: build the request "
            "Okta sends, run the guide's sample service or call your own, and see what Okta "
            "would do with the answer: the verdict, the message the person sees, the profile "
            "before and after.</p>"
            f"<p>PySide6 {pyside_version} · Qt {qVersion()}</p>"
        )
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        text.setMinimumWidth(420)
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)


class GuideDialog(QDialog):
    """A read-only viewer of the bundled guide (non-modal, so it can stay open beside)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("The guide: registration inline hooks")
        self.resize(760, 640)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setObjectName("guideBrowser")
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(guide_text())
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
