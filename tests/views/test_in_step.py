"""Nothing lost: the form and the request JSON stay in step, typed values survive a change of
request type, and the hook target follows the request type where the guide's policy would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from window_actions import (
    ROSARIO,
    WINDOW_TEST_MARKS,
    ZOE,
    choose,
    choose_file_to_open,
    click_generate,
    click_view_response,
    demo_org,
    retype,
    select_in_editor,
)

from app.logic import okta
from app.logic.request_builder import build_request, dumps_request
from app.views.main_window import MainWindow

pytestmark = WINDOW_TEST_MARKS


def _start_editing(qtbot: QtBot, window: MainWindow) -> None:
    click_generate(qtbot, window)
    qtbot.mouseClick(window.request_block.edit_button, Qt.MouseButton.LeftButton)


def test_editing_the_email_in_the_json_updates_the_form(qtbot: QtBot, window: MainWindow) -> None:
    _start_editing(qtbot, window)
    select_in_editor(window, ROSARIO, occurrence=1)  # login first, then email
    assert '"email": "rosario' in window.request_editor.text()
    qtbot.keyClicks(window.request_editor.code_edit, "new.person@okta.com")
    assert window.config.form_edit("email").text() == "new.person@okta.com"
    # Reset drops the edit, in the JSON and in the form it had reached.
    with qtbot.waitSignal(window.request_generated):
        qtbot.mouseClick(window.request_block.reset_button, Qt.MouseButton.LeftButton)
    assert window.config.form_edit("email").text() == ROSARIO
    assert "new.person" not in window.request_editor.text()


def test_editing_the_pp_update_in_the_json_updates_the_form(
    qtbot: QtBot, window: MainWindow
) -> None:
    choose(window.config.target_combo, "pp")  # the policy whose progressive form has it
    choose(window.config.type_combo, okta.PP)
    retype(qtbot, window.config.form_edit("employeeNumber"), "4821")
    _start_editing(qtbot, window)
    assert '"employeeNumber": "4821"' in window.request_editor.text()
    select_in_editor(window, "4821")
    qtbot.keyClicks(window.request_editor.code_edit, "77")
    assert window.config.form_edit("employeeNumber").text() == "77"


def test_opening_a_request_file_fills_the_form_the_user_and_the_type(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.config.request_type() == okta.SSR
    choose(window.config.target_combo, "pp")  # the policy whose progressive form has it
    zoe = demo_org().find(ZOE)
    assert zoe is not None
    request = build_request(okta.PP, zoe, form={"employeeNumber": "9999"})
    path = tmp_path / "zoe-pp.json"
    path.write_text(dumps_request(request), encoding="utf-8")
    choose_file_to_open(monkeypatch, path)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    config = window.config
    assert config.request_type() == okta.PP
    assert config.user() is not None and config.user().login == ZOE
    assert config.form_edit("employeeNumber").text() == "9999"
    assert window.request_editor.text() == path.read_text(encoding="utf-8")  # not regenerated
    assert not window.session.stale


def test_a_typed_value_survives_switching_the_request_type_and_back(
    qtbot: QtBot, window: MainWindow
) -> None:
    config = window.config
    retype(qtbot, config.form_edit("email"), "typed@okta.com")
    choose(config.type_combo, okta.PP)
    assert "email" not in config.form()
    choose(config.type_combo, okta.SSR)
    assert config.form_edit("email").text() == "typed@okta.com"
    click_generate(qtbot, window)
    assert '"email": "typed@okta.com"' in window.request_editor.text()


def test_progressive_profile_on_the_ssr_endpoint_offers_the_pp_endpoint(
    qtbot: QtBot, window: MainWindow
) -> None:
    config = window.config
    choose(config.target_combo, "ssr")
    advice = config.target_advice
    assert not advice.isVisible()
    choose(config.type_combo, okta.PP)
    assert advice.isVisible() and "/registrationHookPP" in advice.text()
    assert "{}" in advice.toolTip()
    qtbot.mouseClick(advice, Qt.MouseButton.LeftButton)
    assert config.target() == "pp" and not advice.isVisible()
    retype(qtbot, config.form_edit("employeeNumber"), "12")
    click_view_response(qtbot, window)
    assert window.verdict_view.badge_text() == "DENIED"  # the PP endpoint judged it
    # The combined endpoint answers both types: no advice there.
    choose(config.target_combo, "ssr-and-pp")
    assert not advice.isVisible()
