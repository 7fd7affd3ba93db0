"""The walkthrough panel: the guide's four steps, lit as the page runs, stepped with the arrows."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from app.logic import okta
from app.logic.org import load_demo_org
from app.logic.person.form_rules import guide_form, request_text
from app.logic.run.pipeline import run_exchange
from app.logic.targets import BundledTarget
from app.views.panels.signup_page import SignupPage
from app.views.panels.walkthrough_panel import WalkthroughPanel

ORG = load_demo_org()
SSR_EP = okta.ENDPOINTS["ssr"]


def open_panel(qtbot: QtBot) -> WalkthroughPanel:
    panel = WalkthroughPanel(flow=okta.SSR)
    qtbot.addWidget(panel)
    panel.resize(800, 600)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def body(panel: WalkthroughPanel) -> str:
    return panel.findChild(QPlainTextEdit, "stepBody").toPlainText()


def test_arrow_keys_step_through_a_recorded_exchange(qtbot: QtBot) -> None:
    panel = open_panel(qtbot)
    text = request_text(okta.SSR, {"email": "x@notokta.com", "firstName": "M"})
    exchange = run_exchange(text, BundledTarget(SSR_EP), schema=ORG.schema)
    panel.show_exchange(exchange)
    assert panel.current_step() == 3  # the run's last step is lit
    assert "under email: Only okta.com emails can register." in body(panel)
    assert "none of the answer's 1: its error object stops them" in body(panel)
    panel.setFocus()
    with qtbot.waitSignal(panel.step_changed) as moved:
        qtbot.keyClick(panel, Qt.Key.Key_Left)
    assert moved.args == [2]
    assert '"INVALID_EMAIL_DOMAIN"' in body(panel)  # the hook's answer
    qtbot.keyClick(panel, Qt.Key.Key_Left)
    assert panel.current_step() == 1
    assert json.loads(body(panel))["data"]["userProfile"]["email"] == "x@notokta.com"
    qtbot.keyClick(panel, Qt.Key.Key_Left)
    assert panel.current_step() == 0
    assert "email: x@notokta.com" in body(panel)
    qtbot.keyClick(panel, Qt.Key.Key_Left)  # no step before the first
    assert panel.current_step() == 0
    for expected in (1, 2, 3, 3):
        qtbot.keyClick(panel, Qt.Key.Key_Right)
        assert panel.current_step() == expected
    assert panel.findChild(QPushButton, "stepButton4").isChecked()


def test_arrows_step_even_from_the_step_text(qtbot: QtBot) -> None:
    panel = open_panel(qtbot)
    exchange = run_exchange(
        request_text(okta.SSR, {"email": "a@okta.com"}), BundledTarget(SSR_EP), schema=ORG.schema
    )
    panel.show_exchange(exchange)
    viewer = panel.findChild(QPlainTextEdit, "stepBody")
    qtbot.mouseClick(viewer.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClick(viewer, Qt.Key.Key_Left)
    assert panel.current_step() == 2


def test_the_step_buttons_jump(qtbot: QtBot) -> None:
    panel = open_panel(qtbot)
    qtbot.mouseClick(panel.findChild(QPushButton, "stepButton3"), Qt.MouseButton.LeftButton)
    assert panel.current_step() == 2
    assert panel.step(2).title == "3. The hook answers with these commands"


def test_it_follows_the_page_through_a_run(qtbot: QtBot) -> None:
    page = SignupPage(ORG.schema, target=BundledTarget(okta.ENDPOINTS["pp"]))
    qtbot.addWidget(page)
    page.set_flow(okta.PP)
    page.set_form(guide_form(okta.ENDPOINTS["pp"], okta.PP), ORG.schema)
    page.set_user(ORG.find("rosario.jones@example.com"))
    page.show()
    panel = open_panel(qtbot)
    panel.follow(page)
    lit: list[int] = []
    panel.step_changed.connect(lit.append)
    qtbot.keyClicks(page.field_edit("employeeNumber"), "12345")
    with qtbot.waitSignal(page.exchange_ready, timeout=5000):
        qtbot.mouseClick(page.findChild(QPushButton, "submitButton"), Qt.MouseButton.LeftButton)
    assert lit == [1, 3]  # the call lit step 2, the answer step 4
    assert panel.flow == okta.PP
    assert panel.step(0).title.startswith("1. The person signs in")
    assert "employeeNumber: 12345" in panel.step(0).body
    assert "banner [widget]: We found some errors." in body(panel)
    assert "under employeeNumber [hook]: Employee numbers must have 4 digits." in body(panel)


def test_a_new_flow_starts_empty(qtbot: QtBot) -> None:
    panel = open_panel(qtbot)
    panel.set_step(2)
    panel.set_flow(okta.PP)
    assert panel.current_step() == 0
    assert body(panel) == ""
    assert not panel.findChild(QPlainTextEdit, "stepBody").isVisible()
