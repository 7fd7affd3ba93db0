"""Starting the window: the QApplication, the remembered theme, the error hook that turns a
bug into a message box, Ctrl+C in the terminal, and a plain answer when there is no display."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication

from app.views import settings as K
from app.views import strings as S
from app.views.display import no_display_reason
from app.views.settings import Settings
from app.views.theme import THEME_MODES, apply_theme

if TYPE_CHECKING:
    from app.logic.org import DemoOrg
    from app.views.main_window import MainWindow

WARM_UP_DELAY_MS = 400
#: What a shell reports for a program ended by Ctrl+C (128 + SIGINT).
EXIT_INTERRUPTED = 128 + signal.SIGINT
EXIT_NO_DISPLAY = 2

_HOOK_INSTALLED = False
#: Set (to anything) by the start-up benchmark: at the main window's first paint, print
#: "painted <time.time()>" on stdout and quit, so a whole `python -m app` can be timed.
FIRST_PAINT_ENV = "REGHOOK_REPORT_FIRST_PAINT"


def report_first_paint(app: QApplication, window: MainWindow) -> None:
    """Print the wall-clock time of `window`'s first paint, then end the event loop."""
    import time

    from PySide6.QtCore import QEvent, QObject

    class Watcher(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and watched is window:
                sys.stdout.write(f"painted {time.time():.6f}\n")
                sys.stdout.flush()
                window.removeEventFilter(self)
                QTimer.singleShot(0, window.close_without_asking)
                QTimer.singleShot(0, lambda: app.exit(0))
            return False

    watcher = Watcher(window)
    window.installEventFilter(watcher)


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
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(QApplication.activeWindow())
            box.setIcon(QMessageBox.Icon.Critical)
            box.setWindowTitle(S.APP_NAME)
            box.setText(S.UNEXPECTED_ERROR.format(f"{kind.__name__}: {value}"))
            box.setDetailedText(details)
            box.exec()
        finally:
            showing = False

    sys.excepthook = hook


class InterruptBridge:
    """Ctrl+C in the terminal ends the event loop cleanly.

    Qt's event loop runs in C++, where Python's own SIGINT handler never gets a turn; the
    signal's wake-up byte arrives on a socket that Qt watches, and the handler closes the
    window from the GUI thread. `interrupted` says whether that happened."""

    def __init__(self, app: QApplication) -> None:
        import socket  # here, not at start: only this needs it

        self.app = app
        self.interrupted = False
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous = signal.signal(signal.SIGINT, self._on_signal)
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, app)
        self._notifier.activated.connect(self._drain)

    def _on_signal(self, _signum: int, _frame: object) -> None:
        # Runs the next time Python code runs (the notifier's slot, at the latest).
        if not self.interrupted:
            self.interrupted = True
            QTimer.singleShot(0, self._quit)

    def _drain(self) -> None:
        try:
            while self._reader.recv(64):
                pass
        except OSError:
            pass

    def _quit(self) -> None:
        for window in QApplication.topLevelWidgets():
            close = getattr(window, "close_without_asking", None)
            if callable(close):
                close()
        self.app.exit(EXIT_INTERRUPTED)

    def uninstall(self) -> None:
        self._notifier.setEnabled(False)
        signal.signal(signal.SIGINT, self._previous)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()


def _waiting_org() -> DemoOrg:
    """No users yet (they are being read), and the demo org's schema."""
    from app.logic.org import DemoOrg, load_user_schema

    return DemoOrg((), load_user_schema())


def _load_after_first_paint(
    window: MainWindow, users_file: Path | None, schema_file: Path | None
) -> None:
    from app.logic.org import default_users_file, load_demo_org
    from app.views.org_loader import after_first_paint

    def failed(message: str) -> None:
        print(f"reghook-preview: {message}", file=sys.stderr)
        if not window.org.users:  # the start-up org: the demo org rather than none
            window.set_org(load_demo_org())
        window.org_loader.failed.disconnect(failed)

    window.org_loader.failed.connect(failed)
    window.config.user_edit.setPlaceholderText(S.USERS_LOADING)
    users = users_file if users_file is not None else default_users_file()
    after_first_paint(window, lambda: window.load_org(users, schema_file))


def run_app(
    argv: Sequence[str] | None = None,
    users_file: Path | None = None,
    schema_file: Path | None = None,
    org: DemoOrg | None = None,
) -> int:
    """Create the application, apply the remembered theme, show the window on `org`, else on
    the demo org, or on the users of `users_file` (and `schema_file`): those are read once,
    in a worker, after the window's first paint, so a big org never delays it."""
    reason = "" if QApplication.instance() is not None else no_display_reason()
    if reason:
        print(reason, file=sys.stderr)
        return EXIT_NO_DISPLAY
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

    later = org is None and (users_file is not None or schema_file is not None)
    try:
        if org is None:
            org = _waiting_org() if later else load_demo_org()
    except OrgError as exc:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, S.APP_NAME, f"The demo org could not be loaded.\n\n{exc}")
        return 1
    window = MainWindow(org, settings)
    bridge = InterruptBridge(app)
    if os.environ.get(FIRST_PAINT_ENV):
        report_first_paint(app, window)
    if later:
        _load_after_first_paint(window, users_file, schema_file)
    window.show()
    # After the first paint, not before: the import must not compete with it for the GIL.
    QTimer.singleShot(WARM_UP_DELAY_MS, window, window.warm_up)
    try:
        code = app.exec()
    finally:
        bridge.uninstall()
    return EXIT_INTERRUPTED if bridge.interrupted else code
