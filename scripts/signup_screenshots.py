"""Render the person's page offscreen, in its key states, to docs/screenshots/signup-*.png.

    python scripts/signup_screenshots.py [--out DIR] [--size 960x860]

Each state is reached the way a person reaches it: type into the page and press the button;
the bundled endpoints answer, and a local server that never answers stands in for a hook that
times out. The Japanese shot needs a font with Japanese glyphs (on Debian: fonts-ipafont-gothic
or fonts-noto-cjk); the script says so and stops when none is installed.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.logic import okta  # noqa: E402
from app.logic.org import load_demo_org  # noqa: E402
from app.logic.person.form_rules import guide_form  # noqa: E402
from app.logic.remote import RemoteSettings  # noqa: E402
from app.logic.targets import BundledTarget, UrlTarget  # noqa: E402
from app.views.panels.signup_page import SignupPage  # noqa: E402
from app.views.panels.walkthrough_panel import WalkthroughPanel  # noqa: E402
from app.views.theme import apply_theme  # noqa: E402

ORG = load_demo_org()


class SilentHook:
    """A hook on 127.0.0.1 that accepts the call and never answers (until it is stopped)."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._stop = threading.Event()
        self._held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._socket.getsockname()[1]}/registrationHookSSR"

    def _serve(self) -> None:
        self._socket.settimeout(0.1)
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._held.append(connection)

    def stop(self) -> None:
        self._stop.set()
        for connection in self._held:
            connection.close()
        self._socket.close()
        self._thread.join(2)


def settle(app: QApplication, ms: int = 80) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def wait_until_idle(app: QApplication, page: SignupPage, limit_ms: int = 10_000) -> None:
    waited = 0
    while page.busy and waited < limit_ms:
        settle(app, 50)
        waited += 50
    settle(app)


def fill(page: SignupPage, values: dict[str, str]) -> None:
    for name, value in values.items():
        edit = page.field_edit(name)
        edit.clear()
        edit.insert(value)


def japanese_font_installed() -> bool:
    found = subprocess.run(["fc-list", ":lang=ja"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--size", default="960x860")
    args = parser.parse_args(argv)
    width, height = (int(part) for part in args.size.split("x"))
    if not japanese_font_installed():
        print("no font with Japanese glyphs: install fonts-ipafont-gothic", file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv)
    apply_theme(app, "light")
    args.out.mkdir(parents=True, exist_ok=True)
    silent = SilentHook()

    def page_for(endpoint: str, flow: str, user_login: str | None = None) -> SignupPage:
        page = SignupPage(ORG.schema, target=BundledTarget(endpoint))
        page.set_flow(flow)
        page.set_form(guide_form(endpoint, flow), ORG.schema)
        page.set_user(ORG.find(user_login) if user_login else None)
        page.resize(width, height)
        page.show()
        settle(app)
        return page

    def shoot(page: SignupPage, name: str) -> None:
        settle(app)
        path = args.out / f"signup-{name}.png"
        page.grab().save(str(path))
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        page.close()
        page.deleteLater()
        settle(app)

    ssr = okta.ENDPOINTS["ssr"]
    pp = okta.ENDPOINTS["pp"]
    person = {"firstName": "Mallory", "lastName": "Reyes"}
    try:
        page = page_for(ssr, okta.SSR, "rosario.jones@example.com")
        shoot(page, "empty")

        page = page_for(ssr, okta.SSR, "rosario.jones@example.com")
        fill(page, {"email": "mallory@notokta.com", **person})
        page.submit()
        wait_until_idle(app, page)
        shoot(page, "banner-field-error")

        page = page_for(ssr, okta.SSR, "rosario.jones@example.com")
        page.set_target(UrlTarget(silent.url, settings=RemoteSettings(timeout_s=0.5)))
        fill(page, {"email": "ada@okta.com", "firstName": "Ada", "lastName": "Lovelace"})
        page.submit()
        settle(app, 300)
        shoot_busy = args.out / "signup-waiting.png"
        page.grab().save(str(shoot_busy))
        print(shoot_busy.relative_to(ROOT) if shoot_busy.is_relative_to(ROOT) else shoot_busy)
        wait_until_idle(app, page)
        shoot(page, "generic-failure")

        page = page_for(ssr, okta.SSR, "rosario.jones@example.com")
        fill(page, {"email": "ada@okta.com", "firstName": "Ada", "lastName": "Lovelace"})
        page.submit()
        wait_until_idle(app, page)
        shoot(page, "success")

        page = page_for(pp, okta.PP, "rosario.jones@example.com")
        fill(page, {"employeeNumber": "4821"})
        page.submit()
        wait_until_idle(app, page)
        shoot(page, "progressive-updated")

        page = page_for(pp, okta.PP, "rosario.jones@example.com")
        panel = WalkthroughPanel(flow=okta.PP)
        panel.follow(page)
        panel.resize(width, 620)
        panel.show()
        fill(page, {"employeeNumber": "12345"})
        page.submit()
        wait_until_idle(app, page)
        panel.previous_step()  # the hook's answer, as a teacher would show it
        settle(app)
        walk = args.out / "signup-walkthrough.png"
        panel.grab().save(str(walk))
        print(walk.relative_to(ROOT) if walk.is_relative_to(ROOT) else walk)
        panel.close()
        page.close()

        page = page_for(ssr, okta.SSR, "misaki.tanaka@okta.com")
        fill(page, {"email": "misaki@example.jp", "firstName": "美咲", "lastName": "田中"})
        page.submit()
        wait_until_idle(app, page)
        shoot(page, "japanese")

        apply_theme(app, "dark")
        page = page_for(okta.ENDPOINTS["ssr-and-pp"], okta.PP, "emilie.cote@example.com")
        fill(page, {"employeeNumber": "abcd"})
        page.submit()
        wait_until_idle(app, page)
        shoot(page, "dark")
    finally:
        silent.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
