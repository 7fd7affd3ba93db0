"""Starting the window: the QApplication, the remembered theme, the error hook that turns a
bug into a message box."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.views import settings as K
from app.views import strings as S
from app.views.settings import Settings
from app.views.theme import THEME_MODES, apply_theme

WARM_UP_DELAY_MS = 400
_HOOK_INSTALLED = False


def install_excepthook() -> None:
    """Unexpected errors become a message box (with details), never a dead window.

    Installed before the window is built, so an error while it opens is shown too; the box
    sits over whichever window is active when the error happens."""
    global _HOOK_INSTALLED
    if _HOOK_INSTALLED:
        return
    _HOOK_INSTALLED = True
    showing = False

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        import traceback

        nonlocal showing
        details = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(details)
        if showing or QApplication.instance() is None:
            return
        showing = True
        try:
            box = QMessageBox(QApplication.activeWindow())
            box.setIcon(QMessageBox.Icon.Critical)
            box.setWindowTitle(S.APP_NAME)
            box.setText(S.UNEXPECTED_ERROR.format(f"{kind.__name__}: {value}"))
            box.setDetailedText(details)
            box.exec()
        finally:
            showing = False

    sys.excepthook = hook


def run_app(argv: Sequence[str] | None = None, users_file: Path | None = None) -> int:
    """Create the application, apply the remembered theme, show the window on the demo org
    (or on the users in `users_file`, a file of the same shape)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    app.setOrganizationName(S.ORG_NAME)
    app.setApplicationName(S.ORG_NAME)
    app.setApplicationDisplayName(S.APP_NAME)
    install_excepthook()
    settings = Settings()
    theme = settings.get(K.THEME)
    apply_theme(app, theme if theme in THEME_MODES else "system")

    from app.logic.org import OrgError, load_demo_org
    from app.views.main_window import MainWindow

    try:
        org = load_demo_org(users_file)
    except OrgError as exc:
        QMessageBox.critical(None, S.APP_NAME, f"The demo org could not be loaded.\n\n{exc}")
        return 1
    window = MainWindow(org, settings)
    window.show()
    # After the first paint, not before: the import must not compete with it for the GIL.
    QTimer.singleShot(WARM_UP_DELAY_MS, window, window.warm_up)
    return app.exec()
