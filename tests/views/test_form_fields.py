"""Block 1's form follows the guide's policy for the target, and a person can choose its
attributes from the org's schema; the progressive form starts empty and says when Okta would
not show it."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from window_actions import ROSARIO, WINDOW_TEST_MARKS, ZOE, choose, click_generate, retype

from app.logic.request_builder import FORM_NOT_SHOWN_TEXT, PP, SSR
from app.views.main_window import MainWindow

pytestmark = WINDOW_TEST_MARKS


def test_the_form_is_the_guides_policy_for_each_target(qtbot: QtBot, window: MainWindow) -> None:
    config = window.config
    assert config.set_user(ZOE)
    expected = {
        ("ssr", SSR): ["email", "firstName", "lastName"],
        ("pp", SSR): ["email", "firstName", "lastName"],
        ("ssr-and-pp", SSR): ["email", "firstName", "lastName", "employeeNumber"],
        ("pp", PP): ["employeeNumber"],
        ("ssr-and-pp", PP): ["employeeNumber"],
        ("ssr", PP): [],
    }
    for (target, request_type), fields in expected.items():
        choose(config.target_combo, target)
        choose(config.type_combo, request_type)
        assert list(config.form()) == fields, (target, request_type)
    # Sign-up: what Zoë would type; progressive: nothing yet (only what is typed is sent).
    choose(config.target_combo, "ssr-and-pp")
    choose(config.type_combo, SSR)
    assert config.form()["employeeNumber"] == "4821"
    assert config.form()["email"] == ZOE
    choose(config.type_combo, PP)
    assert config.form() == {"employeeNumber": ""}
    click_generate(qtbot, window)
    request = json.loads(window.request_editor.text())
    assert request["data"]["userProfileUpdate"] == {}


def test_an_ssr_request_never_carries_a_stored_attribute_the_form_lacks(
    qtbot: QtBot, window: MainWindow
) -> None:
    config = window.config
    choose(config.target_combo, "ssr")
    choose(config.type_combo, SSR)
    assert config.set_user(ZOE)
    click_generate(qtbot, window)
    profile = json.loads(window.request_editor.text())["data"]["userProfile"]
    assert "employeeNumber" not in profile and profile["email"] == ZOE


def test_okta_would_not_show_the_progressive_form_to_a_user_who_has_its_fields(
    qtbot: QtBot, window: MainWindow
) -> None:
    config = window.config
    choose(config.target_combo, "pp")
    choose(config.type_combo, PP)
    assert config.set_user(ZOE)  # has employee number 4821
    assert config.form_note.isVisible()
    assert config.form_note.text() == FORM_NOT_SHOWN_TEXT
    # ...and the person may still type a value, which is what Okta would receive.
    retype(qtbot, config.form_edit("employeeNumber"), "1234")
    click_generate(qtbot, window)
    request = json.loads(window.request_editor.text())
    assert request["data"]["userProfileUpdate"] == {"employeeNumber": "1234"}
    assert config.set_user(ROSARIO)  # lacks one: Okta prompts
    assert not config.form_note.isVisible()


def _answer_fields_dialog(qtbot: QtBot, window: MainWindow, check: list[str], seen: dict) -> None:
    """While Form fields… is open: toggle `check` with Space, then click OK."""

    def act() -> None:
        dialog = window.config.fields_dialog
        if dialog is None:
            QTimer.singleShot(10, act)
            return
        seen["names"] = dialog.names()
        for name in check:
            item = dialog.item(name)
            assert item is not None, name
            dialog.list.setCurrentItem(item)
            dialog.list.setFocus()
            qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
        seen["chosen"] = dialog.chosen()
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, act)


def test_a_person_chooses_the_forms_fields_from_the_schema(
    qtbot: QtBot, window: MainWindow
) -> None:
    config = window.config
    choose(config.target_combo, "ssr")
    choose(config.type_combo, SSR)
    assert config.set_user(ZOE)
    qtbot.keyClick(window, Qt.Key.Key_F7)  # Sign-up page
    qtbot.waitUntil(lambda: window.workbench.signup is not None)
    seen: dict = {}
    _answer_fields_dialog(qtbot, window, ["lastName", "department"], seen)
    qtbot.mouseClick(config.fields_button, Qt.MouseButton.LeftButton)
    assert "password" not in seen["names"]
    assert "department" in seen["names"] and "customerId" in seen["names"]
    assert seen["chosen"] == ("email", "firstName", "department")
    assert list(config.form()) == ["email", "firstName", "department"]
    assert config.form()["department"] == "Identity Engineering"  # what Zoë would type
    click_generate(qtbot, window)
    profile = json.loads(window.request_editor.text())["data"]["userProfile"]
    assert list(profile) == ["login", "email", "firstName", "department"]
    # The docked sign-up page shows the same form.
    assert window.workbench.signup.field_names() == ("email", "firstName", "department")
    # Another target keeps its own policy; coming back keeps the choice.
    choose(config.target_combo, "ssr-and-pp")
    assert list(config.form()) == ["email", "firstName", "lastName", "employeeNumber"]
    assert window.workbench.signup.field_names()[-1] == "employeeNumber"
    choose(config.target_combo, "ssr")
    assert list(config.form()) == ["email", "firstName", "department"]
    QApplication.processEvents()
