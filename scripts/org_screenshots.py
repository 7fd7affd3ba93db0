"""Render File > Connect to Okta Org… offscreen against the local stand-in org, to PNG files in
docs/screenshots/: the org's users, its hooks with a Preview through Okta that disagrees with a
rule here, and the calls from the System Log (on the dialog, and in the History panel).

    python scripts/org_screenshots.py [--out DIR]

The stand-in (tests/logic/okta_standin.py) and the guide's hook run on 127.0.0.1; each state is
reached as a person reaches it (type, click, wait). Settings go to a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.logic.org import load_demo_org  # noqa: E402
from app.logic.run.history import HistoryEntry  # noqa: E402
from app.views.main_window import MainWindow  # noqa: E402
from app.views.settings import Settings  # noqa: E402
from app.views.theme import apply_theme  # noqa: E402
from tests.logic.okta_standin import (  # noqa: E402
    HOOK_AUTH,
    TOKEN,
    StandInOrg,
    guide_hook,
    log_event,
)


def wait_for(app: QApplication, done: Callable[[], bool], timeout_s: float = 15.0) -> None:
    end = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > end:
            raise SystemExit("the window did not reach the state in time")
        app.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    apply_theme(app, "light")
    org = StandInOrg().start()
    with tempfile.TemporaryDirectory() as folder, guide_hook() as hook:
        os.environ["REGHOOK_DATA_DIR"] = folder
        org.add_hook(
            "cal1sSrKgv7ThHx0g3",
            "Sign-up check",
            f"{hook}/registrationHookSSR",
            auth_value=HOOK_AUTH,
        )
        org.add_hook(
            "cal2pPfRmv4NbQk1x7",
            "Employee number (PP)",
            f"{hook}/registrationHookPP",
            header="x-api-key",
        )
        for stamp, login, result in (
            ("2026-12-06T09:12:03.118Z", "isaac.brock@okta.com", "SUCCESS"),
            ("2026-12-06T08:47:51.902Z", "amara.okoye@example.com", "FAILURE"),
            ("2026-12-05T17:03:27.440Z", "li.wei@okta.com", "SUCCESS"),
        ):
            org.events.append(
                log_event(
                    "cal1sSrKgv7ThHx0g3",
                    "Sign-up check",
                    login,
                    stamp,
                    kind="inline_hook.executed",
                    result=result,
                )
            )
        window = MainWindow(load_demo_org(), Settings(Path(folder) / "settings.ini"))
        window.resize(1280, 720)
        window.show()
        window.menu_actions.okta_org_action.trigger()
        dialog = window.okta_org_dialog
        assert dialog is not None
        dialog.resize(900, 560)
        dialog.url_edit.setText(org.url)
        dialog.token_edit.setText(TOKEN)
        dialog.connect_button.click()
        wait_for(app, lambda: dialog.status.text().startswith("Connected"))
        dialog.search_edit.setText("user000")
        wait_for(
            app,
            lambda: (
                "more loading" not in dialog.users_note.text() and dialog.user_list.count() >= 10
            ),
        )
        dialog.grab().save(str(args.out / "org-users.png"))
        # A Preview through Okta that disagrees: Okta refuses what this program accepts, and
        # block 1 calls the same hook straight, so its answer is judged here too.
        dialog.search_edit.setText("isaac")
        wait_for(
            app,
            lambda: dialog.user_list.count() == 1 and "isaac" in dialog.user_list.item(0).text(),
        )
        dialog.user_list.setCurrentRow(0)
        dialog.use_user_button.click()
        window.session.generate_request()
        dialog.tabs.setCurrentIndex(1)
        dialog.direct_button.click()
        window.config.remote_panel.auth_value_edit.setText(HOOK_AUTH)
        org.execute_check = lambda value: [
            "Invalid command: com.okta.action.update with an empty value"
        ]
        dialog.preview_button.click()
        wait_for(app, lambda: "DISAGREEMENT" in dialog.preview_result.text())
        dialog.grab().save(str(args.out / "org-hooks-preview.png"))
        window.grab().save(str(args.out / "org-preview-window.png"))
        dialog.tabs.setCurrentIndex(2)
        dialog.since_edit.setText("2026-12-01")
        dialog.read_calls_button.click()
        wait_for(app, lambda: dialog.call_list.count() == 3)
        dialog.grab().save(str(args.out / "org-calls.png"))
        # The same calls in the History panel, beside this program's own (the preview above),
        # one of Okta's selected: what Okta logged and what a scenario would rebuild.
        dialog.close()
        wait_for(app, lambda: window.workbench.history is not None)
        history = window.workbench.history
        assert history is not None
        wait_for(app, lambda: len(history.rows()) >= 4)
        failed = next(
            n
            for n, row in enumerate(history.rows())
            if not isinstance(row, HistoryEntry) and row.result == "FAILURE"
        )
        history.table.selectRow(failed)
        window.resize(1440, 800)
        wait_for(app, lambda: "From Okta's System Log" in history.diff_summary.text())
        window.grab().save(str(args.out / "org-calls-history.png"))
        window.close()
    org.stop()
    for name in (
        "org-users",
        "org-hooks-preview",
        "org-preview-window",
        "org-calls",
        "org-calls-history",
    ):
        print(args.out / f"{name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
