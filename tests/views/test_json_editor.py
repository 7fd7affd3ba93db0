"""The JSON editor driven as a person would: typing, Format and undo, indentation, live
validation with underlines and the problem list, read-only viewing, zoom, themes, 1 MB texts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.logic.validation import ValidationResult, validate_request
from app.views.json_editor import (
    BACKGROUND_VALIDATION_CHARS,
    CodeEdit,
    JsonEditor,
    pretty_json,
)
from app.views.json_highlighter import JsonHighlighter
from app.views.problem_list import ProblemList
from app.views.theme import (
    DARK_EDITOR,
    LIGHT_EDITOR,
    apply_theme,
    editor_colors,
    status_colors,
)

REQUEST = {
    "eventId": "3OWo4oo-QQ-rBWfRyTmQYw",
    "eventTime": "2022-04-25T17:35:27.000Z",
    "eventType": "com.okta.user.pre-registration",
    "eventTypeVersion": "1.0",
    "contentType": "application/json",
    "cloudEventVersion": "0.1",
    "source": "regt4qeBKU29vSoPz0g3",
    "requestType": "self.service.registration",
    "data": {
        "context": {
            "request": {
                "method": "POST",
                "ipAddress": "127.0.0.1",
                "id": "123dummyId456",
                "url": {"value": "/idp/idx/enroll/new"},
            }
        },
        "userProfile": {
            "firstName": "Rosario",
            "lastName": "Jones",
            "login": "rosario.jones@example.com",
            "email": "rosario.jones@example.com",
            "employeeNumber": "1234",
        },
        "action": "ALLOW",
    },
}
REQUEST_TEXT = json.dumps(REQUEST, indent=2)


def big_request(target_chars: int = 1_000_000) -> str:
    """A valid request of about `target_chars` characters (many form fields)."""
    request = json.loads(REQUEST_TEXT)
    profile = request["data"]["userProfile"]
    index = 0
    while index * 54 < target_chars:
        profile[f"attribute{index:06d}"] = f"value number {index} (é ü ß)"
        index += 1
    return json.dumps(request, indent=2, ensure_ascii=False)


@pytest.fixture
def editor(qtbot: QtBot) -> Iterator[JsonEditor]:
    widget = JsonEditor()
    widget.resize(700, 500)
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    yield widget


@pytest.fixture
def restore_theme() -> Iterator[None]:
    yield
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, "system")


def code(editor: JsonEditor) -> CodeEdit:
    widget = editor.findChild(CodeEdit, "codeEdit")
    assert widget is not None
    return widget


def problem_list(editor: JsonEditor) -> ProblemList:
    widget = editor.problem_list  # built on first use
    assert editor.findChild(ProblemList, "problemList") is widget
    return widget


def move_to_end(editor: JsonEditor) -> None:
    cursor = code(editor).textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    code(editor).setTextCursor(cursor)


def underlines(editor: JsonEditor) -> list[tuple[int, int]]:
    """(start, end) of every wavy underline among the editor's extra selections."""
    wave = QTextCharFormat.UnderlineStyle.WaveUnderline
    return [
        (sel.cursor.selectionStart(), sel.cursor.selectionEnd())
        for sel in code(editor).extraSelections()
        if sel.format.underlineStyle() == wave
    ]


def counting(validator: Callable[[str], ValidationResult]) -> tuple[Callable, list[str]]:
    seen: list[str] = []

    def wrapped(text: str) -> ValidationResult:
        seen.append(text)
        return validator(text)

    return wrapped, seen


# --- typing and editing ------------------------------------------------------------------------


def test_typing_goes_into_the_text_and_reports_edits(editor: JsonEditor, qtbot: QtBot) -> None:
    with qtbot.waitSignal(editor.text_edited):
        qtbot.keyClicks(code(editor), '{"a": 1}')
    assert editor.text() == '{"a": 1}'


def test_set_text_is_not_an_edit_but_can_be_undone(editor: JsonEditor, qtbot: QtBot) -> None:
    editor.set_text("[1]", undoable=False)
    with qtbot.assertNotEmitted(editor.text_edited):
        editor.set_text("[2]")
    assert editor.text() == "[2]"
    qtbot.keyClick(code(editor), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.text() == "[1]"


def test_format_then_ctrl_z_restores_and_keeps_earlier_history(
    editor: JsonEditor, qtbot: QtBot
) -> None:
    editor.set_text('{"b": [1, 2.50, 1e5], "a": "é"}', undoable=False)
    move_to_end(editor)
    qtbot.keyClicks(code(editor), " ")
    typed = editor.text()

    with qtbot.waitSignal(editor.text_edited):
        assert editor.format_json()
    assert editor.text() == (
        '{\n  "b": [\n    1,\n    2.50,\n    1e5\n  ],\n  "a": "é"\n}'
    )  # key order, number spelling and non-ASCII kept

    qtbot.keyClick(code(editor), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.text() == typed
    qtbot.keyClick(code(editor), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.text() == '{"b": [1, 2.50, 1e5], "a": "é"}'
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(code(editor), Qt.Key.Key_Z, redo)
    qtbot.keyClick(code(editor), Qt.Key.Key_Z, redo)
    assert editor.text().startswith('{\n  "b": [')


def test_format_refuses_text_that_is_not_json(editor: JsonEditor, qtbot: QtBot) -> None:
    editor.set_text('{"a": 1,', undoable=False)
    with qtbot.assertNotEmitted(editor.text_edited):
        assert not editor.format_json()
    assert editor.text() == '{"a": 1,'
    assert not code(editor).document().isUndoAvailable()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a":1,"a":2}', '{\n  "a": 1,\n  "a": 2\n}'),  # duplicate keys are not lost
        ("[]", "[]"),
        ('{"x": {}, "y": []}', '{\n  "x": {},\n  "y": []\n}'),
        ('"\\ud800"', '"\\ud800"'),  # a lone surrogate stays an escape
        ("123456789012345678901234567890", "123456789012345678901234567890"),
        ("[1]\n", "[\n  1\n]\n"),
        ("NaN", None),
        ("[1,]", None),
        ("", None),
    ],
)
def test_pretty_json(text: str, expected: str | None) -> None:
    assert pretty_json(text) == expected


def test_tab_inserts_two_spaces_and_shift_tab_dedents(editor: JsonEditor, qtbot: QtBot) -> None:
    qtbot.keyClick(code(editor), Qt.Key.Key_Tab)
    qtbot.keyClicks(code(editor), "x")
    assert editor.text() == "  x"
    qtbot.keyClick(code(editor), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert editor.text() == "x"


def test_tab_on_a_selection_of_lines_indents_each_line(editor: JsonEditor, qtbot: QtBot) -> None:
    editor.set_text("a\nb\nc", undoable=False)
    code(editor).selectAll()
    qtbot.keyClick(code(editor), Qt.Key.Key_Tab)
    assert editor.text() == "  a\n  b\n  c"
    qtbot.keyClick(code(editor), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert editor.text() == "a\nb\nc"


def test_enter_keeps_indentation_and_opens_brackets(editor: JsonEditor, qtbot: QtBot) -> None:
    qtbot.keyClicks(code(editor), "{}")
    qtbot.keyClick(code(editor), Qt.Key.Key_Left)
    qtbot.keyClick(code(editor), Qt.Key.Key_Return)
    assert editor.text() == "{\n  \n}"
    qtbot.keyClicks(code(editor), '"a": [')
    qtbot.keyClick(code(editor), Qt.Key.Key_Return)
    qtbot.keyClicks(code(editor), "1,")
    qtbot.keyClick(code(editor), Qt.Key.Key_Return)
    qtbot.keyClicks(code(editor), "2")
    qtbot.keyClick(code(editor), Qt.Key.Key_Return)
    qtbot.keyClicks(code(editor), "]")
    assert editor.text() == '{\n  "a": [\n    1,\n    2\n  ]\n}'
    assert json.loads(editor.text()) == {"a": [1, 2]}


def test_ctrl_tab_leaves_the_editor(qtbot: QtBot) -> None:
    window = QWidget()
    layout = QVBoxLayout(window)
    editor = JsonEditor()
    after = QLineEdit()
    layout.addWidget(editor)
    layout.addWidget(after)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    code(editor).setFocus()
    qtbot.waitUntil(code(editor).hasFocus)
    qtbot.keyClick(code(editor), Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(after.hasFocus)
    assert editor.text() == ""


def test_read_only_rejects_typing_but_navigates(editor: JsonEditor, qtbot: QtBot) -> None:
    editor.set_text('{"a": 1}', undoable=False)
    editor.set_read_only(True)
    assert editor.is_read_only()
    qtbot.keyClicks(code(editor), "xyz")
    qtbot.keyClick(code(editor), Qt.Key.Key_Tab)
    qtbot.keyClick(code(editor), Qt.Key.Key_Return)
    assert editor.text() == '{"a": 1}'
    qtbot.keyClick(code(editor), Qt.Key.Key_End)
    assert code(editor).textCursor().position() == len('{"a": 1}')


# --- validation --------------------------------------------------------------------------------


def test_valid_request_says_so(editor: JsonEditor, qtbot: QtBot) -> None:
    editor.set_text(REQUEST_TEXT, undoable=False)
    with qtbot.waitSignal(editor.validated):
        editor.set_validator(validate_request)
    assert editor.problems() == ()
    assert editor.status_label.text() == "Valid request"
    assert not problem_list(editor).isVisible()
    assert underlines(editor) == []


def test_malformed_json_typed_is_listed_and_underlined_at_its_place(
    editor: JsonEditor, qtbot: QtBot
) -> None:
    editor.set_validator(validate_request)
    editor.set_text(REQUEST_TEXT, undoable=False)
    editor.validate_now()
    # Type a trailing comma after "ALLOW" (line 29 of the pretty request).
    line = REQUEST_TEXT.splitlines().index('    "action": "ALLOW"') + 1
    editor.go_to(line, len('    "action": "ALLOW"') + 1)
    with qtbot.waitSignal(editor.problems_changed, timeout=3000) as blocker:
        qtbot.keyClicks(code(editor), ",")
    problems = blocker.args[0]
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.line, problem.column) == (line + 1, 3)  # the "}" after the comma
    assert problem.kind == "parse"

    items = problem_list(editor)
    assert items.isVisible()
    assert items.count() == 1
    assert items.item(0).text().startswith(f"{line + 1}:3  ")
    assert editor.status_label.text() == "1 problem"
    assert underlines(editor) == [(problem.offset, problem.offset + problem.length)]

    # Fixing it clears everything.
    with qtbot.waitSignal(editor.problems_changed, timeout=3000):
        qtbot.keyClick(code(editor), Qt.Key.Key_Backspace)
    assert editor.problems() == ()
    assert underlines(editor) == []
    assert editor.status_label.text() == "Valid request"


def test_schema_problems_are_counted(editor: JsonEditor, qtbot: QtBot) -> None:
    text = REQUEST_TEXT.replace('"1.0"', '"2.0"').replace('"ALLOW"', '"DENY"')
    editor.set_validator(validate_request)
    editor.set_text(text, undoable=False)
    result = editor.validate_now()
    assert result is not None
    assert len(editor.problems()) >= 2
    assert editor.status_label.text() == f"{len(editor.problems())} problems"
    assert len(underlines(editor)) == len(editor.problems())
    assert {p.kind for p in editor.problems()} == {"schema"}


def test_validation_is_debounced(editor: JsonEditor, qtbot: QtBot) -> None:
    validator, seen = counting(validate_request)
    editor.set_validator(validator)
    editor.validate_now()
    seen.clear()
    qtbot.keyClicks(code(editor), "[1, 2, 3]")
    assert seen == []  # nothing ran per keystroke
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=3000)
    assert seen == ["[1, 2, 3]"]


def test_underline_follows_astral_characters(editor: JsonEditor, qtbot: QtBot) -> None:
    editor.set_validator(validate_request)
    text = '{"a": "😀😀", "b": tru}'
    editor.set_text(text, undoable=False)
    editor.validate_now()
    problem = editor.problems()[0]
    assert text[problem.offset : problem.offset + problem.length].startswith("t")
    # In Qt positions each emoji counts twice.
    start, _end = underlines(editor)[0]
    cursor = QTextCursor(code(editor).document())
    cursor.setPosition(start)
    cursor.setPosition(start + 3, QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == "tru"


def test_clicking_a_problem_puts_the_cursor_there(editor: JsonEditor, qtbot: QtBot) -> None:
    editor.set_validator(validate_request)
    editor.set_text(REQUEST_TEXT.replace('"POST",', '"POST"'), undoable=False)
    editor.validate_now()
    problem = editor.problems()[0]
    items = problem_list(editor)
    items.setFocus()
    rect = items.visualItemRect(items.item(0))
    qtbot.mouseClick(items.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    cursor = code(editor).textCursor()
    assert (cursor.blockNumber() + 1, cursor.positionInBlock() + 1) == (
        problem.line,
        problem.column,
    )
    qtbot.waitUntil(code(editor).hasFocus)


def test_enter_on_a_problem_puts_the_cursor_there(editor: JsonEditor, qtbot: QtBot) -> None:
    editor.set_validator(validate_request)
    editor.set_text(REQUEST_TEXT.replace('"1.0"', "1.0").replace('"ALLOW"', "7"), undoable=False)
    editor.validate_now()
    problems = editor.problems()
    assert len(problems) == 2
    items = problem_list(editor)
    items.setFocus()
    items.setCurrentRow(1)
    qtbot.keyClick(items, Qt.Key.Key_Return)
    cursor = code(editor).textCursor()
    assert (cursor.blockNumber() + 1, cursor.positionInBlock() + 1) == (
        problems[1].line,
        problems[1].column,
    )


def test_turning_validation_off_clears_problems(editor: JsonEditor, qtbot: QtBot) -> None:
    editor.set_validator(validate_request)
    editor.set_text("{", undoable=False)
    editor.validate_now()
    assert editor.problems()
    with qtbot.waitSignal(editor.problems_changed):
        editor.set_validator(None)
    assert editor.problems() == ()
    assert underlines(editor) == []
    assert not editor.status_label.isVisible()


def test_a_failing_validator_is_reported_not_raised(editor: JsonEditor, qtbot: QtBot) -> None:
    def broken(text: str) -> ValidationResult:
        raise RuntimeError("boom")

    editor.set_validator(broken)
    assert editor.validate_now() is None
    assert "boom" in editor.status_label.text()


# --- look: brackets, current line, zoom, theme -------------------------------------------------


def test_matching_brackets_are_highlighted(editor: JsonEditor, qtbot: QtBot) -> None:
    editor.set_text('{"a": [1, "]", 2]}', undoable=False)
    editor.go_to(1, 7)  # before "["
    assert code(editor).matching_bracket() == (6, 16)  # the "]" inside the string is skipped
    backgrounds = [
        (sel.cursor.selectionStart(), sel.format.background().color().name())
        for sel in code(editor).extraSelections()
        if sel.cursor.hasSelection()
    ]
    match = code(editor).colors.bracket_match
    assert (6, match) in backgrounds
    assert (16, match) in backgrounds
    editor.go_to(1, 1)
    assert code(editor).matching_bracket() == (0, 17)
    editor.set_text("[1}", undoable=False)
    editor.go_to(1, 1)
    assert code(editor).matching_bracket() == (0, None)


def test_zoom_changes_the_font_size(editor: JsonEditor, qtbot: QtBot) -> None:
    size = code(editor).font().pointSizeF()
    with qtbot.waitSignal(editor.zoom_changed) as blocker:
        editor.zoom_in()
    assert blocker.args == [1]
    assert code(editor).font().pointSizeF() > size
    with qtbot.waitSignal(editor.zoom_changed) as blocker:
        qtbot.keyClick(code(editor), Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(code(editor), Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert editor.zoom() == -1
    assert code(editor).font().pointSizeF() < size
    editor.reset_zoom()
    assert code(editor).font().pointSizeF() == size
    editor.set_zoom(1000)
    assert editor.zoom() == 15
    assert code(editor).font().fixedPitch() or code(editor).font().styleHint() is not None


def test_keys_are_coloured_by_the_highlighter(editor: JsonEditor) -> None:
    text = '{"key": "value", "n": -1.5e3, "t": true}'
    editor.set_text(text, undoable=False)
    block = code(editor).document().firstBlock()
    colors = {
        (r.start, r.length): r.format.foreground().color().name() for r in block.layout().formats()
    }
    theme = code(editor).colors
    for token, color in (
        ('"key"', theme.key),
        ('"value"', theme.string),
        ("-1.5e3", theme.number),
        ("true", theme.keyword),
        (",", theme.punctuation),
    ):
        assert colors[(text.index(token), len(token))] == color, token


def test_theme_switch_recolours_the_editor(
    editor: JsonEditor, qtbot: QtBot, restore_theme: None
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    editor.set_text('{"key": 1}', undoable=False)
    apply_theme(app, "dark")
    assert code(editor).colors == DARK_EDITOR  # at once: no event loop turn needed
    assert editor.findChild(JsonHighlighter).colors == DARK_EDITOR
    block = code(editor).document().firstBlock()
    assert DARK_EDITOR.key in {
        r.format.foreground().color().name() for r in block.layout().formats()
    }
    apply_theme(app, "light")
    qtbot.waitUntil(lambda: code(editor).colors == LIGHT_EDITOR)
    apply_theme(app, "dark")
    apply_theme(app, "system")  # the offscreen platform's own palette is light
    qtbot.waitUntil(lambda: code(editor).colors == LIGHT_EDITOR)
    with pytest.raises(ValueError, match="unknown theme mode"):
        apply_theme(app, "sepia")


def test_theme_colours_are_readable() -> None:
    def contrast(a: str, b: str) -> float:
        def luminance(name: str) -> float:
            channels = []
            for value in QColor(name).getRgbF()[:3]:
                channels.append(
                    value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
                )
            return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

        high, low = sorted((luminance(a), luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    for mode in ("light", "dark"):
        colors = editor_colors(mode)
        for name in ("foreground", "key", "string", "number", "keyword", "punctuation"):
            assert contrast(getattr(colors, name), colors.background) >= 4.5, (mode, name)
        status = status_colors(mode)
        for name in ("allowed", "denied", "profile_updated", "warning"):
            assert contrast(getattr(status, name), getattr(status, f"{name}_background")) >= 4.5


# --- big documents -----------------------------------------------------------------------------


@pytest.mark.slow
def test_one_megabyte_loads_highlights_and_validates(editor: JsonEditor, qtbot: QtBot) -> None:
    text = big_request()
    assert len(text) >= 1_000_000
    editor.set_validator(validate_request)
    editor.set_text(text, undoable=False)
    document = code(editor).document()
    assert document.blockCount() == text.count("\n") + 1
    middle = document.findBlockByNumber(document.blockCount() // 2)
    assert middle.layout().formats()  # highlighted
    result = editor.validate_now()
    assert result is not None and result.ok
    # Typing in it still works and the background check reports the new problem.
    editor.go_to(document.blockCount() // 2, 1)
    with qtbot.waitSignal(editor.problems_changed, timeout=20_000):
        qtbot.keyClicks(code(editor), "}")
    assert editor.problems()[0].line == document.blockCount() // 2
    assert len(text) >= BACKGROUND_VALIDATION_CHARS


def test_giant_single_line_is_usable(editor: JsonEditor, qtbot: QtBot) -> None:
    text = json.dumps([{"n": i, "s": "x" * 20} for i in range(5000)])  # one 150 kB line
    editor.set_text(text, undoable=False)
    notice = editor.findChild(QLabel, "longLineNotice")
    assert notice is not None and notice.isVisible()
    assert "Line 1 is very long" in notice.text()
    move_to_end(editor)
    qtbot.keyClick(code(editor), Qt.Key.Key_Backspace)
    assert editor.text() == text[:-1]
    qtbot.keyClicks(code(editor), "]")
    assert editor.text() == text
    editor.go_to(1, 1)
    assert code(editor).matching_bracket() is None  # too long to search: no stall
    assert editor.format_json()
    assert not notice.isVisible()


def test_gutter_shows_line_numbers(editor: JsonEditor, qtbot: QtBot) -> None:
    editor.set_text("\n".join(["[1,"] * 120 + ["1]"]), undoable=False)
    gutter = code(editor).line_number_area
    assert gutter.objectName() == "lineNumberArea"
    assert gutter.width() >= code(editor).fontMetrics().horizontalAdvance("999")
    assert gutter.grab().size().width() > 0
    assert code(editor).viewport().mapTo(code(editor), QPoint(0, 0)).x() >= gutter.width()
