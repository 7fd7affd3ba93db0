"""Both drawn sign-up cards follow one widget generation, Gen3: the info/error callout above
the title (okta-signin-widget src/v3/src/components/Form/Form.tsx); the page says so; its
explanation lines are readable in the dark theme; a long banner is shown whole."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from test_verdict_card import _Canned, answer_with, canned  # noqa: F401 (a fixture)
from window_actions import ROSARIO, WINDOW_TEST_MARKS, click_generate, click_view_response

from app.logic import okta
from app.logic.org import load_demo_org
from app.logic.person.form_rules import guide_form
from app.logic.targets import BundledTarget, UrlTarget
from app.views.main_window import MainWindow
from app.views.panels.page_look import GEN3_COMMIT, GEN3_FILES, contrast_ratio
from app.views.panels.signup_page import SignupPage
from app.views.theme import apply_theme

pytestmark = WINDOW_TEST_MARKS

ORG = load_demo_org()
LONG_CAUSE = {
    "reason": "MISSING",
    "locationType": "body",
    "location": "data.userProfile.favoriteColor",  # not on the form: the banner
    "domain": "end-user",
}
SSR_EP = okta.ENDPOINTS["ssr"]


def _top(widget: QWidget, root: QWidget) -> int:
    return widget.mapTo(root, QPoint(0, 0)).y()


@pytest.fixture
def dark() -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, "dark")
    yield
    apply_theme(app, "system")


def _denied_page(qtbot: QtBot) -> SignupPage:
    page = SignupPage(ORG.schema, target=BundledTarget(SSR_EP))
    qtbot.addWidget(page)
    page.set_form(guide_form(SSR_EP, okta.SSR), ORG.schema)
    page.resize(900, 800)
    page.show()
    qtbot.waitExposed(page)
    for name, value in {"email": "ada@example.com", "firstName": "Ada", "lastName": "L"}.items():
        qtbot.keyClicks(page.field_edit(name), value)
    with qtbot.waitSignal(page.outcome_shown, timeout=5000):
        qtbot.mouseClick(page.findChild(QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    return page


def test_the_sign_up_page_draws_the_error_callout_above_the_title(qtbot: QtBot) -> None:
    page = _denied_page(qtbot)
    # The banner, and the hook's top-level errorSummary as the guide's labelled reading.
    assert page.banner_texts() == [
        okta.BANNER_TEXT,
        "Incorrect email address. Please contact your admin.",
    ]
    banner = page.findChild(QWidget, "pageBanner")
    title = page.findChild(QLabel, "pageTitle")
    subtitle = page.findChild(QLabel, "pageSubtitle")
    email = page.field_edit("email")
    assert banner.isVisible()
    # Gen3: callout, title, subtitle, inputs; never Gen2's banner between subtitle and inputs.
    assert (
        _top(banner, page) + banner.height()
        <= _top(title, page)
        < _top(subtitle, page)
        < _top(email, page)
    )
    note = page.findChild(QLabel, "generationNote")
    assert note.isVisible() and "Gen3" in note.text()


def test_the_generation_is_cited_to_a_commit_of_the_widget() -> None:
    assert len(GEN3_COMMIT) == 40
    assert "src/v3/src/components/Form/Form.tsx" in GEN3_FILES


def test_block3s_card_draws_the_banner_above_the_title_too(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.config.set_user(ROSARIO)  # example.com: denied with a field error
    click_generate(qtbot, window)
    click_view_response(qtbot, window)
    card = window.verdict_view.card
    banner = card.findChild(QLabel, "cardBanner")
    title = card.findChild(QLabel, "cardTitle")
    field = card.findChild(QLabel, "cardField_email")
    assert okta.BANNER_TEXT in banner.text()
    qtbot.waitUntil(lambda: _top(banner, card) < _top(title, card) < _top(field, card))
    assert "Gen3" in window.verdict_view.details.card_caption.text()


def test_a_long_banner_is_shown_whole(qtbot: QtBot, window: MainWindow, canned: str) -> None:  # noqa: F811
    assert window.config.set_user(ROSARIO)
    long_text = " ".join(["This hook message about a colour goes on and on."] * 5)
    cause = {
        "errorSummary": long_text,
        "reason": "MISSING",
        "locationType": "body",
        "location": "data.userProfile.favoriteColor",  # not on the form: the banner
        "domain": "end-user",
    }
    body = {"error": {"errorSummary": "Errors were found", "errorCauses": [cause]}}
    answer_with(qtbot, window, canned, body)
    card = window.verdict_view.card
    banner = next(b for b in card.findChildren(QLabel, "cardBanner") if long_text in b.text())

    def whole() -> bool:
        return banner.height() >= banner.heightForWidth(banner.width()) > 0

    qtbot.waitUntil(whole)
    assert banner.height() / banner.fontMetrics().lineSpacing() >= 4  # many lines, not one
    window.set_zoom(2)  # bigger text: the banner grows with it
    qtbot.waitUntil(whole)


def test_the_pages_banner_and_messages_grow_with_their_text(
    qtbot: QtBot,
    canned: str,  # noqa: F811
) -> None:
    long_text = " ".join(["This hook message about an address goes on and on."] * 5)
    _Canned.body = json.dumps(
        {
            "error": {
                "errorSummary": "Errors were found",
                "errorCauses": [
                    {**LONG_CAUSE, "errorSummary": long_text},
                    {**LONG_CAUSE, "errorSummary": long_text, "location": "data.userProfile.email"},
                ],
            }
        }
    ).encode()
    page = SignupPage(ORG.schema, target=UrlTarget(canned))
    qtbot.addWidget(page)
    page.set_form(guide_form(SSR_EP, okta.SSR), ORG.schema)
    page.resize(700, 800)
    page.show()
    qtbot.waitExposed(page)
    for name, value in {"email": "ada@okta.com", "firstName": "Ada", "lastName": "L"}.items():
        qtbot.keyClicks(page.field_edit(name), value)
    with qtbot.waitSignal(page.outcome_shown, timeout=5000):
        qtbot.mouseClick(page.findChild(QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    assert long_text in page.banner_texts()
    line = next(b for b in page.findChildren(QLabel, "bannerLine") if b.text() == long_text)
    under = page.findChild(QLabel, "error_email")
    assert under.text() == long_text

    def whole(label: QLabel) -> bool:
        return label.height() >= label.heightForWidth(label.width()) > 0

    for factor in (1.0, 1.5):
        page.set_zoom_factor(factor)
        qtbot.waitUntil(lambda: whole(line) and whole(under))
        assert line.height() / line.fontMetrics().lineSpacing() >= 4


def test_the_dark_pages_explanation_lines_reach_4_5_to_1(qtbot: QtBot, dark: None) -> None:
    page = _denied_page(qtbot)
    window_colour = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    for name in ("hookTextNote", "generationNote", "pageRemark"):
        label = page.findChild(QLabel, name)
        sheet = label.styleSheet()
        colour = QColor(sheet.split("color:")[1].split(";")[0].strip())
        assert contrast_ratio(colour, window_colour) >= 4.5, (name, colour.name())
