"""Render the window offscreen, in its key states, to PNG files in docs/screenshots/.

    python scripts/screenshots.py [--out DIR] [--size 1280x720]

Each state is reached the way a person would reach it (choose, generate, edit, View Response);
nothing is drawn by hand. Settings go to a temporary folder, never the real one.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.logic.org import load_demo_org  # noqa: E402
from app.views.main_window import MainWindow  # noqa: E402
from app.views.settings import Settings  # noqa: E402
from app.views.theme import apply_theme  # noqa: E402

ROSARIO = "rosario.jones@example.com"
ZOE = "zoe.lukasiewicz@okta.com"


def settle(app: QApplication, ms: int = 60) -> None:
    """Let queued layout, show and paint events run."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def view_response(window: MainWindow, timeout_ms: int = 10_000) -> None:
    """Press View Response and wait until the window shows what came back."""
    loop = QEventLoop()
    window.response_shown.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    window.response_panel.view_button.click()
    loop.exec()
    window.response_shown.disconnect(loop.quit)


def fresh(window: MainWindow, target: str, request_type: str, user: str) -> None:
    window.config.set_target(target)
    window.config.set_request_type(request_type)
    window.config.set_user(user)
    window.session.generate_request()


def allowed(window: MainWindow) -> None:
    fresh(window, "ssr", "self.service.registration", ZOE)
    view_response(window)


def denied(window: MainWindow) -> None:
    fresh(window, "ssr", "self.service.registration", ROSARIO)
    view_response(window)


def progressive(window: MainWindow) -> None:
    fresh(window, "pp", "progressive.profile", ZOE)
    window.config.form_edit("employeeNumber").setText("7777")
    window.session.generate_request()
    view_response(window)


def invalid_json(window: MainWindow) -> None:
    fresh(window, "ssr", "self.service.registration", ROSARIO)
    window.session.edit_request()
    editor = window.request_editor
    text = editor.text().replace(
        '"com.okta.user.pre-registration",', '"com.okta.user.pre-registration"'
    )
    editor.set_text(text)
    view_response(window)


def dark(window: MainWindow) -> None:
    window.set_theme("dark")
    denied(window)


def remote_failure(window: MainWindow) -> None:
    # A port nobody listens on: the call fails at once with "connection refused".
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    window.config.set_target("remote")
    window.config.set_request_type("self.service.registration")
    window.config.set_user(ROSARIO)
    window.config.remote_panel.url_edit.setText(f"http://127.0.0.1:{port}/registrationHookSSR")
    window.config.remote_panel.auth_value_edit.setText("Basic YWRtaW46c3VwZXJzZWNyZXQ=")
    window.session.generate_request()
    view_response(window)


def presentation(window: MainWindow) -> None:
    # The progressive update with the Sign-up page docked beside it: the widest badge,
    # "PROFILE UPDATED", whole next to a dock, and the row of what the person typed.
    progressive(window)
    window.workbench.docks["signupDock"].toggleViewAction().trigger()
    size = window.size()
    window.presentation.action.trigger()
    # Offscreen, full screen is the virtual screen's size: show the folded layout at the
    # projector's size instead.
    window.showNormal()
    window.resize(size)


def history_dock(window: MainWindow) -> None:
    """A few calls, then the History dock beside the window: its buttons wrap to fit."""
    allowed(window)
    denied(window)
    window.workbench.docks["historyDock"].toggleViewAction().trigger()


def _canned_hook(body: bytes) -> str:
    """A loopback hook that answers every call with `body` (for answers the bundled logic
    never gives); the URL of its /registrationHookSSR."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Canned(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Canned)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/registrationHookSSR"


def _remote_answer(window: MainWindow, user: str, body: bytes) -> None:
    window.config.set_target("remote")
    window.config.set_request_type("self.service.registration")
    window.config.set_user(user)
    window.config.remote_panel.url_edit.setText(_canned_hook(body))
    # An auth value, as a real hook needs: without one the window asks before sending.
    window.config.remote_panel.auth_value_edit.setText("Basic YWRtaW46c3VwZXJzZWNyZXQ=")
    window.session.generate_request()
    view_response(window)


def _give_block3_room(window: MainWindow) -> None:
    """Block 1 as small as it goes, block 2 a few lines: the verdict gets the rest."""

    def resize() -> None:
        total = sum(window.splitter.sizes())
        window.splitter.setSizes([150, 110, total - 260])

    QTimer.singleShot(40, resize)


def _show_on_card(window: MainWindow, name: str) -> None:
    """Scroll the verdict so the card's last `name` label is in view."""
    from PySide6.QtWidgets import QLabel

    def scroll() -> None:  # once the verdict is laid out (the screenshot waits for it)
        labels = window.verdict_view.card.findChildren(QLabel, name)
        if labels:
            window.verdict_view.ensureWidgetVisible(labels[-1], 0, 10)

    QTimer.singleShot(80, scroll)


def error_summary_readings(window: MainWindow) -> None:
    # Block 1 keeps the URL row; block 3 gets the rest, so the card's readings are in view.
    _remote_answer(window, ROSARIO, b'{"error": {"errorSummary": "Sign-ups are closed."}}')
    _give_block3_room(window)
    _show_on_card(window, "cardReading")


def unconfirmed_rules(window: MainWindow) -> None:
    body = (
        b'{"commands": [{"type": "com.okta.action.update", "value": {"registration": "ALLOW"}},'
        b' {"type": "com.okta.user.profile.update", "value": {"favoriteColor": "teal"}}]}'
    )
    _remote_answer(window, ZOE, body)
    _give_block3_room(window)


STATES: dict[str, Callable[[MainWindow], None]] = {
    "allowed": allowed,
    "denied-inline-error": denied,
    "progressive-update": progressive,
    "invalid-json": invalid_json,
    "dark-theme": dark,
    "remote-failure": remote_failure,
    "presentation-mode": presentation,
    "history-dock": history_dock,
    "error-summary-readings": error_summary_readings,
    "unconfirmed-rules": unconfirmed_rules,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--size", default="1280x720", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--zoom", type=int, default=0, help="zoom steps (projector: 4)")
    parser.add_argument("states", nargs="*", choices=[*STATES, []], help="default: all")
    args = parser.parse_args(argv)
    width, height = (int(part) for part in args.size.lower().split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    org = load_demo_org()
    with tempfile.TemporaryDirectory() as folder:
        for index, name in enumerate(args.states or list(STATES)):
            apply_theme(app, "system")
            window = MainWindow(org, Settings(Path(folder) / f"settings-{index}.ini"))
            window.resize(width, height)
            window.set_zoom(args.zoom)
            window.show()
            settle(app)
            STATES[name](window)
            settle(app, 150)
            path = args.out / f"{name}.png"
            window.grab().save(str(path))
            print(path)
            window.request_editor.set_text(window.request_editor.text())
            window.session.baseline = window.request_editor.text()
            window.close()
            window.deleteLater()
            settle(app)
    apply_theme(app, "system")
    return 0


if __name__ == "__main__":
    sys.exit(main())
