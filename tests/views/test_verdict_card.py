"""What the person sees, as the Sign-In Widget draws it: the banner above a form with field
errors, a cause that names no field in the banner, both readings of a bare errorSummary, the
progressive form as the enroll-profile screen, UNCONFIRMED rule breaks and the reading
setting; and Okta's two captured requests opened from a file."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from window_actions import (
    ROSARIO,
    WINDOW_TEST_MARKS,
    ZOE,
    choose,
    choose_file_to_open,
    click_generate,
    click_view_response,
    retype,
)

from app.logic import okta
from app.logic.request_builder import PP, SSR
from app.logic.verdict import (
    READING_SPEC,
    READING_SUMMARY_PASSED_BACK,
    READING_UPGRADE_GUIDE,
)
from app.views import settings as K
from app.views.main_window import MainWindow

pytestmark = WINDOW_TEST_MARKS

REQUESTS = Path(__file__).resolve().parents[1] / "logic" / "data" / "requests"


class _Canned(BaseHTTPRequestHandler):
    """Answers every POST with `body`."""

    body: ClassVar[bytes] = b"{}"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", "0")))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)


@pytest.fixture
def canned() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Canned)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/registrationHookSSR"
    server.shutdown()
    server.server_close()


def answer_with(qtbot: QtBot, window: MainWindow, url: str, body: object) -> None:
    _Canned.body = json.dumps(body).encode()
    choose(window.config.target_combo, "remote")
    retype(qtbot, window.config.remote_panel.url_edit, url)
    click_generate(qtbot, window)
    click_view_response(qtbot, window)


def card_texts(window: MainWindow) -> list[str]:
    return [label.text() for label in window.verdict_view.card.findChildren(QLabel)]


def test_field_errors_get_the_widgets_banner_and_each_cause_under_its_field(
    qtbot: QtBot, window: MainWindow
) -> None:
    choose(window.config.target_combo, "ssr")
    assert window.config.set_user(ROSARIO)  # example.com: denied
    click_generate(qtbot, window)
    click_view_response(qtbot, window)
    card = window.verdict_view.card
    assert card.banner_messages == [okta.BANNER_TEXT]
    # The sample's answer has a top-level errorSummary beside its cause: Okta's guide says it is
    # passed back to the page, its spec that only the causes show: a box labelled so.
    assert card.reading_messages == [
        (READING_SUMMARY_PASSED_BACK, "Incorrect email address. Please contact your admin."),
    ]
    assert card.field_messages["email"] == "Only okta.com emails can register."
    assert READING_SUMMARY_PASSED_BACK in card_texts(window)


def test_a_cause_whose_location_names_no_form_field_goes_in_the_banner(
    qtbot: QtBot, window: MainWindow, canned: str
) -> None:
    assert window.config.set_user(ROSARIO)
    body = {
        "commands": [{"type": "com.okta.action.update", "value": {"registration": "DENY"}}],
        "error": {
            "errorSummary": "Errors were found",
            "errorCauses": [
                {
                    "errorSummary": "Use a work address.",
                    "reason": "INVALID_EMAIL",
                    "locationType": "body",
                    "location": "data.userProfile.email",
                    "domain": "end-user",
                },
                {
                    "errorSummary": "Pick a favourite colour.",
                    "reason": "MISSING",
                    "locationType": "body",
                    "location": "data.userProfile.favoriteColor",
                    "domain": "end-user",
                },
            ],
        },
    }
    answer_with(qtbot, window, canned, body)
    card = window.verdict_view.card
    assert card.banner_messages == [okta.BANNER_TEXT, "Pick a favourite colour."]
    assert card.reading_messages == [(READING_SUMMARY_PASSED_BACK, "Errors were found")]
    assert card.field_messages["email"] == "Use a work address."
    assert "favoriteColor" not in card.field_messages


def test_an_error_with_only_an_error_summary_shows_both_readings_labelled(
    qtbot: QtBot, window: MainWindow, canned: str
) -> None:
    assert window.config.set_user(ROSARIO)
    answer_with(qtbot, window, canned, {"error": {"errorSummary": "Sign-ups are closed."}})
    card = window.verdict_view.card
    assert card.reading_messages == [
        (READING_SPEC, okta.ERROR_WITHOUT_CAUSES_TEXT["ssr"]),
        (READING_UPGRADE_GUIDE, "Sign-ups are closed."),
    ]
    texts = card_texts(window)
    assert READING_SPEC in texts and READING_UPGRADE_GUIDE in texts
    assert card.banner_messages == []


def test_the_progressive_form_is_the_enroll_profile_screen(
    qtbot: QtBot, window: MainWindow
) -> None:
    choose(window.config.target_combo, "pp")
    choose(window.config.type_combo, PP)
    assert window.config.set_user(ROSARIO)
    retype(qtbot, window.config.form_edit("employeeNumber"), "12")
    click_generate(qtbot, window)
    click_view_response(qtbot, window)
    texts = card_texts(window)
    assert okta.PROGRESSIVE_SCREEN_TITLE in texts and okta.PROGRESSIVE_SCREEN_BUTTON in texts
    assert "Additional Profile information" not in texts and "Finish" not in texts
    assert window.verdict_view.card.field_messages["employeeNumber"]


def test_unconfirmed_rules_are_labelled_and_the_reading_is_a_window_setting(
    qtbot: QtBot, window: MainWindow, canned: str, settings_path: Path
) -> None:
    choose(window.config.type_combo, SSR)
    assert window.config.set_user(ZOE)
    body = {
        "commands": [
            {"type": "com.okta.action.update", "value": {"registration": "ALLOW"}},
            {"type": "com.okta.user.profile.update", "value": {"favoriteColor": "teal"}},
        ]
    }
    assert window.menu_actions.reading_actions["strict"].isChecked()
    answer_with(qtbot, window, canned, body)
    rules = window.verdict_view.rule_texts
    strict = [text for text in rules if "UNCONFIRMED (strict reading)" in text]
    assert strict, rules
    assert window.last_exchange.verdict.reading == "strict"
    window.menu_actions.reading_actions[
        "lenient"
    ].trigger()  # View > Okta's Undocumented Rules > Lenient
    assert window.response_panel.is_stale()  # a remote answer is not re-sent unasked
    click_view_response(qtbot, window)
    assert window.last_exchange.verdict.reading == "lenient"
    assert any("UNCONFIRMED (lenient reading)" in t for t in window.verdict_view.rule_texts)
    assert window.settings.get(K.READING) == "lenient"


@pytest.mark.parametrize(
    ("name", "request_type"),
    [("okta-captured-2021-ssr.json", SSR), ("okta-captured-2021-pp.json", PP)],
)
def test_the_captured_requests_open_as_valid_with_the_inferred_type_note(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, dialogs, name, request_type
) -> None:
    choose_file_to_open(monkeypatch, REQUESTS / name)
    window.menu_actions.open_action.trigger()  # File > Open Request…
    assert dialogs.calls == []  # valid: nothing to ask or warn about
    state = window.request_block.state_label.text()
    assert "no requestType" in state and request_type in state
    assert "a valid request" in window.statusBar().currentMessage()
    assert window.config.request_type() == request_type
    choose(window.config.target_combo, "pp" if request_type == PP else "ssr")
    click_view_response(qtbot, window)
    assert window.verdict_view.badge_text() in ("ALLOWED", "DENIED", "PROFILE UPDATED")
