"""The main window driven as a person would: choose, generate, edit, View Response, verdict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from window_actions import (
    ROSARIO,
    WINDOW_TEST_MARKS,
    ZOE,
    DialogRecorder,
    choose,
    choose_file_to_open,
    choose_file_to_save,
    click_generate,
    click_view_response,
    open_window,
    response_json,
    retype,
    select_in_editor,
    type_text,
)

from app.logic.request_builder import PP, SSR
from app.views import settings as K
from app.views.main_window import MainWindow, RequestMode
from app.views.theme import apply_theme, palette_is_dark

pytestmark = WINDOW_TEST_MARKS

SSR_DENY = "Only okta.com emails can register."
PP_DENY = "Employee numbers must have 4 digits."
BOTH_SSR_DENY = 'To register, you must have an "okta" email and a 4-digit employee number.'
BOTH_PP_DENY = "Only employee numbers with 4 digits can register."

# The guide's cases: what the person types on the form.
CASES: dict[str, dict[str, str]] = {
    "allowed domain": {"email": "ada@okta.com", "employeeNumber": "1234"},
    "other domain": {"email": "ada@example.com", "employeeNumber": "1234"},
    "4 digits": {"email": "ada@okta.com", "employeeNumber": "4821"},
    "5 digits": {"email": "ada@okta.com", "employeeNumber": "12345"},
    "letters": {"email": "ada@okta.com", "employeeNumber": "abcd"},
    "missing employee number": {"email": "ada@okta.com", "employeeNumber": ""},
}


def expected(endpoint: str, request_type: str, case: str) -> tuple[str, str | None, str | None]:
    """(badge, end-user message or None, field it sits under or None for a page banner)."""
    form = CASES[case]
    domain_ok = form["email"].endswith("@okta.com")
    number_ok = form["employeeNumber"].isdigit() and len(form["employeeNumber"]) == 4
    # The progressive form has an Employee number input: a cause naming it shows under it,
    # typed or not (one rule for the verdict, block 3 and the page).
    number_field = "employeeNumber"
    if request_type == SSR:
        if endpoint == "ssr":
            return ("ALLOWED", None, None) if domain_ok else ("DENIED", SSR_DENY, "email")
        if endpoint == "pp":
            return ("ALLOWED", None, None)
        if domain_ok and number_ok:
            return ("ALLOWED", None, None)
        return ("DENIED", BOTH_SSR_DENY, "email")
    if endpoint == "ssr":
        return ("ALLOWED", None, None)
    if number_ok:
        return ("PROFILE UPDATED", None, None)
    return ("DENIED", PP_DENY if endpoint == "pp" else BOTH_PP_DENY, number_field)


@pytest.fixture(autouse=True)
def _system_theme_after(qapp: QApplication):
    yield
    apply_theme(qapp, "system")


def assert_message_shown(window: MainWindow, message: str, field: str | None) -> None:
    card = window.verdict_view.card
    if field is None:
        assert message in card.banner_messages
    else:
        assert card.field_messages.get(field) == message
        assert message not in card.banner_messages


# --- the guide's cases, for each endpoint and request type --------------------------------


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("request_type", [SSR, PP])
@pytest.mark.parametrize("endpoint", ["ssr", "pp", "ssr-and-pp"])
def test_guide_cases_through_the_form(
    qtbot: QtBot, window: MainWindow, endpoint: str, request_type: str, case: str
) -> None:
    config = window.config
    choose(config.target_combo, endpoint)
    choose(config.type_combo, request_type)
    assert config.set_user(ROSARIO)
    click_generate(qtbot, window)
    for name, value in CASES[case].items():
        if name in config.form():
            retype(qtbot, config.form_edit(name), value)
    # The untouched generated request follows the form as the person types.
    request = json.loads(window.request_editor.text())
    section = "userProfile" if request_type == SSR else "userProfileUpdate"
    typed_number = CASES[case]["employeeNumber"]
    # The guide's policy decides the form: Employee number is on it only where the policy
    # collects it (never a stored value the form lacks).
    if typed_number and "employeeNumber" in config.form():
        assert request["data"][section]["employeeNumber"] == typed_number
    else:
        assert "employeeNumber" not in request["data"][section]

    click_view_response(qtbot, window)

    badge, message, field = expected(endpoint, request_type, case)
    verdict = window.verdict_view
    assert verdict.badge_text() == badge
    response = response_json(window)
    if message is None:
        assert window.verdict_view.card.banner_messages == []
        assert all(text is None for text in window.verdict_view.card.field_messages.values())
    else:
        assert message in verdict.headline_text()
        assert_message_shown(window, message, field)
        assert response["error"]["errorCauses"][0]["errorSummary"] == message
    if badge == "ALLOWED" and (
        (endpoint == "ssr" and request_type == PP) or (endpoint == "pp" and request_type == SSR)
    ):
        assert response == {}
    if badge == "PROFILE UPDATED":
        command = response["commands"][0]
        assert command["type"] == "com.okta.user.progressive.profile.update"
        assert command["value"] == {"employeeNumber": CASES[case]["employeeNumber"]}
        table = verdict.profile_table
        rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
        row = rows["employeeNumber"]
        assert table.item(row, 2).text() == CASES[case]["employeeNumber"]
        assert table.item(row, 2).font().bold()  # changed rows are highlighted
    assert window.response_panel.status_chip.text() == "HTTP 200"
    assert window.response_panel.log_view.toPlainText().strip()


@pytest.mark.parametrize(
    ("endpoint", "needle", "replacement", "badge", "message", "field"),
    [
        ("ssr", "rosario.jones@example.com", "rosario.jones@okta.com", "ALLOWED", None, None),
        ("ssr", '"firstName"', '"firstName"', "DENIED", SSR_DENY, "email"),
        (
            "ssr-and-pp",
            '"lastName": "Jones"',
            '"lastName": "Jones", "employeeNumber": "12"',
            "DENIED",
            BOTH_SSR_DENY,
            "email",
        ),
    ],
)
def test_typing_into_the_request_editor(
    qtbot: QtBot,
    window: MainWindow,
    endpoint: str,
    needle: str,
    replacement: str,
    badge: str,
    message: str | None,
    field: str | None,
) -> None:
    choose(window.config.target_combo, endpoint)
    window.config.set_user(ROSARIO)
    click_generate(qtbot, window)
    qtbot.mouseClick(window.request_block.edit_button, Qt.MouseButton.LeftButton)
    assert not window.request_editor.is_read_only()
    # Both email and login carry the address: change every occurrence, as the person would.
    for _ in range(window.request_editor.text().count(needle) if needle != replacement else 0):
        select_in_editor(window, needle)
        qtbot.keyClicks(window.request_editor.code_edit, replacement)
    assert window.mode == RequestMode.EDITING
    click_view_response(qtbot, window)  # sends the text as it stands, still being edited
    assert window.verdict_view.badge_text() == badge
    if message is not None:
        assert_message_shown(window, message, field)
    assert window.mode == RequestMode.EDITING


def test_progressive_update_shows_profile_before_and_after(
    qtbot: QtBot, window: MainWindow
) -> None:
    choose(window.config.target_combo, "pp")
    choose(window.config.type_combo, PP)
    window.config.set_user(ZOE)
    click_generate(qtbot, window)
    retype(qtbot, window.config.form_edit("employeeNumber"), "7777")
    click_view_response(qtbot, window)
    verdict = window.verdict_view
    assert verdict.badge_text() == "PROFILE UPDATED"
    table = verdict.profile_table
    rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    row = rows["employeeNumber"]
    assert (table.item(row, 1).text(), table.item(row, 2).text()) == ("4821", "7777")
    assert table.item(row, 2).font().bold()
    unchanged = rows["firstName"]
    assert not table.item(unchanged, 2).font().bold()
    assert "1 attribute changed" in verdict.profile_note.text()
    # "Before" is the org's copy of Zoë, not the request's context.user.profile: Okta puts only
    # login, firstName, lastName, locale and timeZone there, never email or employeeNumber.
    assert table.item(rows["email"], 1).text() == ZOE


def test_rules_change_live(qtbot: QtBot, window: MainWindow) -> None:
    window.config.set_user(ROSARIO)
    click_generate(qtbot, window)
    click_view_response(qtbot, window)
    assert window.verdict_view.badge_text() == "DENIED"
    retype(qtbot, window.config.domain_edit, "example.com")
    click_view_response(qtbot, window)
    assert window.verdict_view.badge_text() == "ALLOWED"
    retype(qtbot, window.config.domain_edit, "okta.com")
    retype(qtbot, window.config.form_edit("email"), "ada@okta.com")
    choose(window.config.target_combo, "ssr-and-pp")
    retype(qtbot, window.config.form_edit("employeeNumber"), "12345")
    window.config.digits_spin.setValue(5)
    click_view_response(qtbot, window)
    assert window.verdict_view.badge_text() == "ALLOWED"


def test_invalid_rule_is_explained_not_sent(qtbot: QtBot, window: MainWindow) -> None:
    click_generate(qtbot, window)
    retype(qtbot, window.config.domain_edit, "not a domain")
    click_view_response(qtbot, window)
    assert window.verdict_view.badge_text() == "NOT SENT"
    assert "rules are not valid" in window.verdict_view.headline_text()


# --- malformed JSON, Edit / Save / Reset ------------------------------------------------------


def test_malformed_json_is_located_and_nothing_is_lost(qtbot: QtBot, window: MainWindow) -> None:
    click_generate(qtbot, window)
    qtbot.mouseClick(window.request_block.edit_button, Qt.MouseButton.LeftButton)
    # Delete the comma at the end of line 3 ("eventType": ...,).
    select_in_editor(window, '"com.okta.user.pre-registration",')
    code = window.request_editor.code_edit
    cursor = code.textCursor()
    cursor.setPosition(cursor.selectionEnd())
    code.setTextCursor(cursor)
    qtbot.keyClick(code, Qt.Key.Key_Backspace)
    broken = window.request_editor.text()

    click_view_response(qtbot, window)

    headline = window.verdict_view.headline_text()
    assert window.verdict_view.badge_text() == "NOT SENT"
    assert "not valid JSON" in headline
    assert "Line 5, column" in headline  # the parser trips on the next key, line 5
    assert window.request_editor.text() == broken  # nothing typed is lost
    assert window.request_editor.code_edit.textCursor().blockNumber() + 1 == 5
    problems = window.request_editor.problems()
    assert problems and problems[0].kind == "parse" and problems[0].line == 5
    assert window.request_editor.problem_list.isVisible()
    assert window.request_editor.problem_list.item(0).text().startswith("5:")
    assert window.response_editor.text() == ""


def test_garbage_typed_over_everything_never_crashes(qtbot: QtBot, window: MainWindow) -> None:
    click_generate(qtbot, window)
    qtbot.mouseClick(window.request_block.edit_button, Qt.MouseButton.LeftButton)
    code = window.request_editor.code_edit
    qtbot.keyClick(code, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(code, '{"a": [1, 2,, }')
    click_view_response(qtbot, window)
    assert window.verdict_view.badge_text() == "NOT SENT"
    assert "Line 1, column" in window.verdict_view.headline_text()
    qtbot.keyClick(code, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(code, "[]")
    click_view_response(qtbot, window)  # JSON, but not a request: the hook still answers
    assert window.verdict_view.badge_text() in ("ALLOWED", "DENIED")


def test_edit_save_reset(qtbot: QtBot, window: MainWindow, dialogs: DialogRecorder) -> None:
    block = window.request_block
    window.config.set_user(ROSARIO)
    click_generate(qtbot, window)
    generated = window.request_editor.text()
    assert window.request_editor.is_read_only()
    assert not block.save_button.isEnabled()

    qtbot.mouseClick(block.edit_button, Qt.MouseButton.LeftButton)
    assert not window.request_editor.is_read_only()
    select_in_editor(window, '"Jones"')
    qtbot.keyClicks(window.request_editor.code_edit, '"Jones-Smith"')
    code = window.request_editor.code_edit
    qtbot.keyClick(code, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(code, "x")  # invalid now
    qtbot.mouseClick(block.save_button, Qt.MouseButton.LeftButton)
    assert window.mode == RequestMode.EDITING  # refused
    assert "not valid JSON" in block.state_label.text()
    assert "Line 1, column 1" in block.state_label.text()
    assert code.textCursor().position() == 0  # the cursor was put where the problem is
    qtbot.keyClick(code, Qt.Key.Key_Delete)
    qtbot.mouseClick(block.save_button, Qt.MouseButton.LeftButton)
    assert window.mode == RequestMode.SAVED
    assert window.request_editor.is_read_only()
    assert "Jones-Smith" in window.request_editor.text()

    # A change in block 1 does not overwrite saved edits; it says the request is stale.
    retype(qtbot, window.config.form_edit("firstName"), "Rosa")
    assert "Jones-Smith" in window.request_editor.text()
    assert "configuration changed" in block.state_label.text()

    dialogs.answer = QMessageBox.StandardButton.No
    qtbot.mouseClick(block.reset_button, Qt.MouseButton.LeftButton)
    assert "Jones-Smith" in window.request_editor.text()  # the person said no
    dialogs.answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(window.request_generated):
        qtbot.mouseClick(block.reset_button, Qt.MouseButton.LeftButton)
    text = window.request_editor.text()
    assert "Jones-Smith" not in text and '"Rosa"' in text
    assert window.mode == RequestMode.GENERATED
    assert text != generated


def test_view_response_without_a_request_generates_one(qtbot: QtBot, window: MainWindow) -> None:
    assert window.request_editor.text() == ""
    click_view_response(qtbot, window)
    assert window.request_editor.text().startswith("{")
    assert window.verdict_view.badge_text() in ("ALLOWED", "DENIED")


def test_format_keeps_undo(qtbot: QtBot, window: MainWindow) -> None:
    click_generate(qtbot, window)
    qtbot.mouseClick(window.request_block.edit_button, Qt.MouseButton.LeftButton)
    code = window.request_editor.code_edit
    qtbot.keyClick(code, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(code, '{"a":1,"b":[true]}')
    window.menu_actions.format_action.trigger()
    assert window.request_editor.text() == '{\n  "a": 1,\n  "b": [\n    true\n  ]\n}'
    qtbot.keyClick(code, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.request_editor.text() == '{"a":1,"b":[true]}'


# --- the user picker ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "login"),
    [
        ("nunez", "jose.nunez@okta.com"),
        ("LUKASIEWICZ", ZOE),
        ("zoë", ZOE),
        ("Østergaard", "soren.ostergaard@example.org"),
        ("rosario.jones@", ROSARIO),
    ],
)
def test_user_picker_searches_name_or_login(
    qtbot: QtBot, window: MainWindow, typed: str, login: str
) -> None:
    line = window.config.user_combo.lineEdit()
    line.setFocus()
    qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, line, typed)
    model = window.config.completer.model()
    suggestions = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert any(login in s for s in suggestions)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    window.config.user_combo.lineEdit().editingFinished.emit()
    user = window.config.user()
    assert user is not None and user.login == login
    assert window.config.form_edit("email").text() == user.profile["email"]


def test_user_picker_explains_no_match(qtbot: QtBot, window: MainWindow) -> None:
    before = window.config.user()
    line = window.config.user_combo.lineEdit()
    line.setFocus()
    qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(line, "nobody-by-this-name")
    assert "No user" in window.config.user_hint.text()
    line.editingFinished.emit()
    assert window.config.user() == before


# --- files ---------------------------------------------------------------------------------------


def test_save_and_open_round_trip(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    choose(window.config.type_combo, PP)
    window.config.set_user(ZOE)
    click_generate(qtbot, window)
    qtbot.mouseClick(window.request_block.edit_button, Qt.MouseButton.LeftButton)
    select_in_editor(window, '"userProfileUpdate": {')
    # userProfileUpdate is empty until something is typed: {} becomes {"department": "Ops"}.
    qtbot.keyClicks(window.request_editor.code_edit, '"userProfileUpdate": {"department": "Ops"')
    text = window.request_editor.text()
    request_file = tmp_path / "request.json"
    choose_file_to_save(monkeypatch, request_file)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert request_file.read_text(encoding="utf-8").rstrip("\n") == text
    assert not window.has_unsaved_edits()

    click_view_response(qtbot, window)
    response_file = tmp_path / "response.json"
    choose_file_to_save(monkeypatch, response_file)
    window.menu_actions.save_response_action.trigger()
    assert json.loads(response_file.read_text(encoding="utf-8")) == response_json(window)

    # A new window (as after a restart) opens the saved request exactly.
    window.close()
    other = open_window(qtbot, tmp_path / "other.ini")
    choose(other.config.type_combo, SSR)
    choose_file_to_open(monkeypatch, request_file)
    qtbot.keyClick(other, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert other.request_editor.text() == text
    assert other.mode == RequestMode.OPENED
    assert other.config.request_type() == PP  # follows the file's requestType
    assert "request.json" in other.request_block.state_label.text()


def test_opening_a_file_that_is_not_json_explains_and_keeps_the_editor(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: DialogRecorder,
) -> None:
    click_generate(qtbot, window)
    before = window.request_editor.text()
    bad = tmp_path / "notes.json"
    bad.write_text('{"eventId": "x",\n  oops\n}', encoding="utf-8")
    choose_file_to_open(monkeypatch, bad)
    window.menu_actions.open_action.trigger()
    warning = dialogs.texts("warning")[-1]
    assert "is not JSON" in warning and "Line 2, column 3" in warning
    assert window.request_editor.text() == before

    binary = tmp_path / "image.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    choose_file_to_open(monkeypatch, binary)
    window.menu_actions.open_action.trigger()
    assert "UTF-8" in dialogs.texts("warning")[-1]
    assert window.request_editor.text() == before


def test_opening_json_that_is_not_a_request_asks_first(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: DialogRecorder,
) -> None:
    click_generate(qtbot, window)
    before = window.request_editor.text()
    other = tmp_path / "package.json"
    other.write_text('{"name": "something else", "version": "1.0.0"}', encoding="utf-8")
    choose_file_to_open(monkeypatch, other)
    dialogs.answer = QMessageBox.StandardButton.No
    window.menu_actions.open_action.trigger()
    question = dialogs.texts("question")[-1]
    assert "not a registration inline hook request" in question
    assert window.request_editor.text() == before
    dialogs.answer = QMessageBox.StandardButton.Yes
    window.menu_actions.open_action.trigger()
    assert "something else" in window.request_editor.text()


def test_open_asks_before_replacing_unsaved_edits(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    dialogs: DialogRecorder,
) -> None:
    click_generate(qtbot, window)
    saved = tmp_path / "saved.json"
    saved.write_text(window.request_editor.text(), encoding="utf-8")
    qtbot.mouseClick(window.request_block.edit_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.request_editor.code_edit, " ")
    edited = window.request_editor.text()
    choose_file_to_open(monkeypatch, saved)
    dialogs.answer = QMessageBox.StandardButton.No
    window.menu_actions.open_action.trigger()
    assert window.request_editor.text() == edited
    assert any("not saved" in q for q in dialogs.texts("question"))


def test_saving_never_writes_auth_values(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "Basic YWRtaW46c3VwZXJzZWNyZXQ="
    window.config.remote_panel.auth_value_edit.setText(secret)
    click_generate(qtbot, window)
    qtbot.mouseClick(window.request_block.edit_button, Qt.MouseButton.LeftButton)
    select_in_editor(window, '"cloudEventVersion"')
    qtbot.keyClicks(window.request_editor.code_edit, f'"pasted": "{secret}", "cloudEventVersion"')
    target = tmp_path / "req.json"
    choose_file_to_save(monkeypatch, target)
    window.menu_actions.save_request_action.trigger()
    written = target.read_text(encoding="utf-8")
    assert "YWRtaW46c3VwZXJzZWNyZXQ=" not in written
    assert '"pasted": "***"' in written
    window.close()
    assert "YWRtaW46" not in (tmp_path / "settings.ini").read_text(encoding="utf-8")


# --- settings ------------------------------------------------------------------------------------


def test_settings_survive_a_new_window(
    qtbot: QtBot, settings_path: Path, dialogs: DialogRecorder
) -> None:
    first = open_window(qtbot, settings_path, size=(1100, 700))
    choose(first.config.target_combo, "ssr-and-pp")
    choose(first.config.type_combo, PP)
    first.config.set_user(ZOE)
    retype(qtbot, first.config.domain_edit, "example.org")
    first.config.digits_spin.setValue(6)
    first.menu_actions.zoom_in_action.trigger()
    first.menu_actions.zoom_in_action.trigger()
    first.menu_actions.theme_actions["dark"].trigger()
    first.config.remote_panel.url_edit.setText("https://hooks.example.net/reg")
    first.config.remote_panel.auth_value_edit.setText("Bearer top-secret-value")
    first.config.remote_panel.timeout_spin.setValue(2.5)
    first.response_panel.splitter.setSizes([300, 700])
    sizes = first.response_panel.splitter.sizes()
    first.close()

    ini = settings_path.read_text(encoding="utf-8")
    assert "top-secret-value" not in ini

    second = open_window(qtbot, settings_path, size=(1100, 700))
    assert second.config.target() == "ssr-and-pp"
    assert second.config.request_type() == PP
    assert second.config.user().login == ZOE
    rules = second.config.rules()
    assert (rules.allowed_domain, rules.digits) == ("example.org", 6)
    assert second.zoom == 2
    assert second.request_editor.zoom() == 2 and second.response_editor.zoom() == 2
    assert second.theme() == "dark"
    assert palette_is_dark(QApplication.palette())
    assert second.config.remote_panel.url() == "https://hooks.example.net/reg"
    assert second.config.remote_panel.auth_value_edit.text() == ""
    assert second.config.remote_panel.timeout_spin.value() == 2.5
    assert second.response_panel.splitter.sizes() == sizes


def test_reset_to_defaults(qtbot: QtBot, window: MainWindow, settings_path: Path) -> None:
    choose(window.config.target_combo, "pp")
    window.config.set_user(ZOE)
    window.menu_actions.zoom_in_action.trigger()
    window.menu_actions.theme_actions["light"].trigger()
    window.settings.sync()
    assert window.settings.get(K.TARGET) == "pp"
    window.menu_actions.reset_defaults_action.trigger()
    assert window.config.target() == "ssr"
    assert window.zoom == 0
    assert window.theme() == "system"
    assert window.config.request_type() == SSR
    assert window.settings.get(K.TARGET) == "ssr"
    assert window.settings.get(K.ZOOM) == 0


# --- keyboard -----------------------------------------------------------------------------------


def test_shortcuts(qtbot: QtBot, window: MainWindow) -> None:
    ctrl = Qt.KeyboardModifier.ControlModifier
    with qtbot.waitSignal(window.request_generated):
        qtbot.keyClick(window, Qt.Key.Key_G, ctrl)
    with qtbot.waitSignal(window.response_shown):
        qtbot.keyClick(window, Qt.Key.Key_Return, ctrl)
    assert window.verdict_view.badge_text() == "DENIED"
    qtbot.keyClick(window, Qt.Key.Key_Equal, ctrl)
    assert window.zoom == 1 and window.request_editor.zoom() == 1
    qtbot.keyClick(window, Qt.Key.Key_Minus, ctrl)
    qtbot.keyClick(window, Qt.Key.Key_Minus, ctrl)
    assert window.zoom == -1
    qtbot.keyClick(window, Qt.Key.Key_0, ctrl)
    assert window.zoom == 0
    # Ctrl+Shift+F formats (and starts editing); Ctrl+Enter works from inside the editor too.
    qtbot.keyClick(window, Qt.Key.Key_F, ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert window.mode == RequestMode.EDITING
    with qtbot.waitSignal(window.response_shown):
        qtbot.keyClick(window.request_editor.code_edit, Qt.Key.Key_Return, ctrl)


def test_zoom_scales_editors_and_verdict(qtbot: QtBot, window: MainWindow) -> None:
    click_view_response(qtbot, window)
    badge_before = window.verdict_view.badge.font().pointSizeF()
    code_before = window.request_editor.code_edit.font().pointSizeF()
    for _ in range(4):
        window.menu_actions.zoom_in_action.trigger()
    assert window.verdict_view.badge.font().pointSizeF() > badge_before * 1.4
    assert window.request_editor.code_edit.font().pointSizeF() > code_before * 1.4
    assert window.response_editor.code_edit.font().pointSizeF() > code_before * 1.4
    window.menu_actions.zoom_reset_action.trigger()
    assert window.verdict_view.badge.font().pointSizeF() == pytest.approx(badge_before)


def test_theme_switch(qtbot: QtBot, window: MainWindow, qapp: QApplication) -> None:
    click_view_response(qtbot, window)
    badge = window.verdict_view.badge
    window.menu_actions.theme_actions["dark"].trigger()
    assert palette_is_dark(qapp.palette())
    assert (
        window.menu_actions.theme_group.checkedAction() is window.menu_actions.theme_actions["dark"]
    )
    # Qt delivers the palette change as a posted event: the badge follows on the next turn.
    qtbot.waitUntil(lambda: "#ff7b72" in badge.styleSheet())  # dark theme's DENIED colour
    window.menu_actions.theme_actions["light"].trigger()
    assert not palette_is_dark(qapp.palette())
    qtbot.waitUntil(lambda: "#cf222e" in badge.styleSheet())


def test_every_menu_has_a_mnemonic_and_the_labels_have_buddies(window: MainWindow) -> None:
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&Request", "&View", "&Help"]
    from PySide6.QtWidgets import QLabel

    for label in window.config.findChildren(QLabel):
        if "&" in label.text().replace("&&", ""):
            assert label.buddy() is not None, label.text()


def test_help_guide_and_about(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.menu_actions.guide_action.trigger()
    guide = window._guide
    assert guide.isVisible()
    assert "registration inline hook" in guide.browser.toPlainText().lower()
    guide.close()
    from app.views import about

    shown: list[str] = []
    monkeypatch.setattr(about.AboutDialog, "exec", lambda self: shown.append(self.windowTitle()))
    window.menu_actions.about_action.trigger()
    assert shown and "About" in shown[0]


def test_quit_asks_when_edits_are_unsaved(
    qtbot: QtBot, window: MainWindow, dialogs: DialogRecorder
) -> None:
    click_generate(qtbot, window)
    qtbot.mouseClick(window.request_block.edit_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.request_editor.code_edit, " ")
    dialogs.answer = QMessageBox.StandardButton.No
    window.menu_actions.quit_action.trigger()
    assert window.isVisible()
    dialogs.answer = QMessageBox.StandardButton.Yes
    window.menu_actions.quit_action.trigger()
    assert not window.isVisible()


def test_run_app_opens_the_window_on_the_demo_org(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, qapp: QApplication
) -> None:
    import sys

    from app.views import application

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(application, "_HOOK_INSTALLED", False)
    monkeypatch.setattr(QApplication, "exec", staticmethod(lambda: 0))
    assert application.run_app(["reghook-preview"]) == 0
    windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    assert windows, "run_app showed no window"
    shown = windows[-1]
    qtbot.addWidget(shown)
    assert shown.config.user() is not None
    assert sys.excepthook is not sys.__excepthook__


def test_tab_order_goes_through_block_one_then_the_buttons(
    qtbot: QtBot, window: MainWindow
) -> None:
    config = window.config
    config.target_combo.setFocus()
    expected = [
        config.user_combo,
        config.type_combo,
        config.form_edit("email"),
        config.form_edit("firstName"),
        config.form_edit("lastName"),
        config.fields_button,
        config.domain_edit,
        config.digits_spin,
    ]
    for widget in expected:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        assert focused is widget or widget.isAncestorOf(focused), widget.objectName()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.request_block.generate_button
