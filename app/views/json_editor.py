"""The JSON editor (request) and viewer (response): highlighting, line numbers, brackets, Format,
zoom and live, debounced validation with problems underlined and listed under the text."""

from __future__ import annotations

import contextlib
import logging
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.logic.jsontext import pretty_json
from app.views.json_highlighter import JsonHighlighter
from app.views.plain_text import plain_label
from app.views.theme import EditorColors, editor_colors, status_colors
from app.views.viewport import viewport_of
from app.views.workers import WorkerThreads

if TYPE_CHECKING:
    from app.logic.validation import Problem, ValidationResult
    from app.views.find_bar import FindBar
    from app.views.problem_list import ProblemList

    Validator = Callable[[str], ValidationResult]

log = logging.getLogger(__name__)

INDENT = "  "
#: Problems underlined at once; the list and the count still show every one.
MAX_UNDERLINES = 500
#: Characters a matching-bracket search looks through before giving up (keeps moves cheap).
BRACKET_SCAN_LIMIT = 100_000
#: Lines longer than this are not searched for brackets at all.
BRACKET_LINE_LIMIT = 20_000
#: Debounce of live validation: the base delay, plus more for big texts so typing stays smooth.
VALIDATE_DELAY_MS = 250
VALIDATE_DELAY_PER_MB_MS = 750
VALIDATE_DELAY_MAX_MS = 1500
#: Texts of at least this many characters are validated off the GUI thread, so typing in a big
#: document never waits for the schema check (a 1 MB request takes a few hundred ms).
BACKGROUND_VALIDATION_CHARS = 100_000
#: A line this long is slow for Qt to lay out on every keystroke: the editor suggests Format.
LONG_LINE_CHARS = 50_000
#: Each zoom step scales the font by this factor (a dozen steps get a projector-size font).
ZOOM_FACTOR = 1.12
MIN_ZOOM = -5
MAX_ZOOM = 15

_OPENERS = {"{": "}", "[": "]"}
_CLOSERS = {"}": "{", "]": "["}
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Brackets outside strings: strings are matched (and skipped) as a whole.
_BRACKET_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|([\[\]{}])')
_ANY_BRACKET = re.compile(r"[\[\]{}]")

# User-visible strings of this view.
TEXT_VALID_DEFAULT = "Valid request"
TEXT_ONE_PROBLEM = "1 problem"
TEXT_N_PROBLEMS = "{n} problems"
TEXT_CHECK_FAILED = "Could not check the JSON: {error}"
TEXT_LONG_LINE = (
    "Line {line} is very long ({length:,} characters), which makes editing slow. "
    "Format splits it into short lines."
)


# ---------------------------------------------------------------------------------------------
# Positions: Python counts code points, Qt counts UTF-16 units
# ---------------------------------------------------------------------------------------------


class _Utf16Map:
    """Maps code-point indexes of one text to Qt (UTF-16) positions."""

    def __init__(self, text: str) -> None:
        if _ASTRAL.search(text) is None:
            self._astral: list[int] = []
        else:
            self._astral = [m.start() for m in _ASTRAL.finditer(text)]

    def __call__(self, index: int) -> int:
        if not self._astral:
            return index
        return index + bisect_left(self._astral, index)


def _bracket_tokens(text: str) -> list[tuple[int, str]]:
    """(index, bracket) of each bracket in one line that is not inside a string."""
    if _ANY_BRACKET.search(text) is None:
        return []
    return [(m.start(1), m.group(1)) for m in _BRACKET_TOKEN.finditer(text) if m.group(1)]


# ---------------------------------------------------------------------------------------------
# Widgets
# ---------------------------------------------------------------------------------------------


class LineNumberArea(QWidget):
    """The gutter left of the text: line numbers, the current one and lines with problems."""

    def __init__(self, editor: CodeEdit) -> None:
        super().__init__(editor)
        self._editor = editor
        self.setObjectName("lineNumberArea")
        # Qt fills the background from the palette (see CodeEdit._colour_gutter): a
        # QPainter.fillRect here would also make PySide6 build QGradient's 170 presets.
        self.setAutoFillBackground(True)

    def sizeHint(self) -> QSize:
        return QSize(self._editor.line_number_area_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._editor.paint_line_numbers(event)


class CodeEdit(QPlainTextEdit):
    """Plain-text JSON editing: gutter, current line, matching brackets, smart indentation."""

    #: +1 / -1 when the person zooms with Ctrl+wheel or the zoom keys inside the text.
    zoom_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeEdit")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabChangesFocus(False)
        self._colors: EditorColors = editor_colors(self.palette())
        self._highlighter = JsonHighlighter(self.document(), self._colors)
        self._gutter = LineNumberArea(self)
        self._colour_gutter()
        self._problem_cursors: list[QTextCursor] = []
        self._problem_selections: list[QTextEdit.ExtraSelection] = []
        # (document revision, cursor position) -> matching_bracket() answer.
        self._bracket_cache: tuple[tuple[int, int], tuple[int, int | None] | None] | None = None

        self.blockCountChanged.connect(self._update_gutter_width)
        self.updateRequest.connect(self._update_gutter)
        self.cursorPositionChanged.connect(self._refresh_extra_selections)
        self.document().contentsChange.connect(self._forget_bracket_match)
        self._update_gutter_width()
        self._refresh_extra_selections()

    # -- appearance ---------------------------------------------------------------------------

    @property
    def highlighter(self) -> JsonHighlighter:
        """The syntax highlighter attached to the document."""
        return self._highlighter

    @property
    def colors(self) -> EditorColors:
        """The editor colours in use (they follow the palette)."""
        return self._colors

    @property
    def line_number_area(self) -> LineNumberArea:
        """The gutter widget."""
        return self._gutter

    def set_colors(self, colors: EditorColors) -> None:
        """Use other colours: re-highlights the text and repaints the gutter and marks."""
        if colors == self._colors:
            return
        self._colors = colors
        self._colour_gutter()
        self._highlighter.set_colors(colors)
        self._problem_selections = [self._problem_selection(c) for c in self._problem_cursors]
        self._refresh_extra_selections()
        self._gutter.update()

    def _colour_gutter(self) -> None:
        palette = self._gutter.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(self._colors.gutter_background))
        self._gutter.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.set_colors(editor_colors(self.palette()))
        elif event.type() == QEvent.Type.FontChange:
            self._gutter.setFont(self.font())
            self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * len(INDENT))
            self._update_gutter_width()

    # -- gutter -------------------------------------------------------------------------------

    def line_number_area_width(self) -> int:
        """Width the gutter needs for the highest line number."""
        digits = max(2, len(str(max(1, self.blockCount()))))
        return 20 + self.fontMetrics().horizontalAdvance("9") * digits

    def _update_gutter_width(self, _count: int = 0) -> None:
        # Only a different width: setting the margins resizes the viewport, which lays the
        # document out again (seconds for a multi-megabyte line).
        width = self.line_number_area_width()
        if self.viewportMargins().left() != width:
            self.setViewportMargins(width, 0, 0, 0)

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())
        if rect.contains(viewport_of(self).rect()):
            self._update_gutter_width()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        rect = self.contentsRect()
        self._gutter.setGeometry(
            QRect(rect.left(), rect.top(), self.line_number_area_width(), rect.height())
        )

    def _problem_block_numbers(self) -> set[int]:
        document = self.document()
        return {
            document.findBlock(cursor.selectionStart()).blockNumber()
            for cursor in self._problem_cursors[:MAX_UNDERLINES]
        }

    def paint_line_numbers(self, event: QPaintEvent) -> None:
        """Paint the visible line numbers (called by the gutter's paintEvent)."""
        colors = self._colors
        painter = QPainter(self._gutter)
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        bottom = top + round(self.blockBoundingRect(block).height())
        current = self.textCursor().blockNumber()
        problem_lines = self._problem_block_numbers() if self._problem_cursors else set()
        width = self._gutter.width() - 12
        line_height = self.fontMetrics().height()
        normal_font = self.font()
        bold_font = QFont(normal_font)
        bold_font.setBold(True)
        normal, highlighted = QColor(colors.gutter_foreground), QColor(colors.gutter_current)
        problem = QColor(colors.gutter_problem)
        area_top, area_bottom = event.rect().top(), event.rect().bottom()
        while block.isValid() and top <= area_bottom:
            if block.isVisible() and bottom >= area_top:
                if number in problem_lines:
                    painter.setPen(problem)
                    painter.setFont(bold_font)
                elif number == current:
                    painter.setPen(highlighted)
                    painter.setFont(bold_font)
                else:
                    painter.setPen(normal)
                    painter.setFont(normal_font)
                painter.drawText(
                    0, top, width, line_height, Qt.AlignmentFlag.AlignRight, str(number + 1)
                )
            block = block.next()
            top = bottom
            bottom = top + round(self.blockBoundingRect(block).height())
            number += 1
        # A hairline between the gutter and the text.
        edge = QColor(colors.gutter_background)
        edge = edge.lighter(140) if colors.dark else edge.darker(112)
        painter.setPen(edge)
        right = self._gutter.width() - 1
        painter.drawLine(right, area_top, right, area_bottom)
        painter.end()

    # -- extra selections: current line, matching brackets, problems ---------------------------

    def _problem_selection(self, cursor: QTextCursor) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        color = QColor(self._colors.error_underline)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(color)
        tint = QColor(color)
        tint.setAlpha(80 if self._colors.dark else 60)
        fmt.setBackground(tint)
        selection.format = fmt
        selection.cursor = cursor
        return selection

    def set_problem_ranges(self, ranges: Sequence[tuple[int, int]]) -> None:
        """Underline these (start, end) Qt positions; they then move with the text as it is
        edited, until the next validation replaces them."""
        document = self.document()
        last = max(0, document.characterCount() - 1)
        cursors = []
        for start, end in ranges[:MAX_UNDERLINES]:
            start = min(max(0, start), last)
            end = min(max(start + 1, end), last)
            if end <= start:
                # At the very end: underline the last character instead of nothing.
                start = max(0, last - 1)
                end = last
            cursor = QTextCursor(document)
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursors.append(cursor)
        self._problem_cursors = cursors
        self._problem_selections = [self._problem_selection(c) for c in cursors]
        self._refresh_extra_selections()
        self._gutter.update()

    def _current_line_selection(self) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(self._colors.current_line))
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selection.format = fmt
        cursor = self.textCursor()
        cursor.clearSelection()
        selection.cursor = cursor
        return selection

    def _bracket_selection(self, position: int, color: str) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(color))
        selection.format = fmt
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        cursor.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        return selection

    def _forget_bracket_match(self, *_change: int) -> None:
        self._bracket_cache = None

    def matching_bracket(self) -> tuple[int, int | None] | None:
        """(position of the bracket at the cursor, position of its partner or None if it has
        none); None when the cursor is not next to a bracket or the partner is too far away."""
        cursor = self.textCursor()
        if cursor.hasSelection():
            return None
        key = (self.document().revision(), cursor.position())
        if self._bracket_cache is not None and self._bracket_cache[0] == key:
            return self._bracket_cache[1]
        answer = self._matching_bracket(cursor)
        self._bracket_cache = (key, answer)
        return answer

    def _matching_bracket(self, cursor: QTextCursor) -> tuple[int, int | None] | None:
        block = cursor.block()
        text = block.text()
        if len(text) > BRACKET_LINE_LIMIT:
            return None
        tokens = _bracket_tokens(text)
        if not tokens:
            return None
        to_qt = _Utf16Map(text)
        column = cursor.positionInBlock()
        found = None
        # The bracket after the cursor wins over the one before it, as in most editors.
        for want in (column, column - 1):
            for token_index, (index, char) in enumerate(tokens):
                if to_qt(index) == want:
                    found = (token_index, index, char)
                    break
            if found:
                break
        if found is None:
            return None
        token_index, index, char = found
        here = block.position() + to_qt(index)
        partner = self._find_partner(block, tokens, token_index, char)
        if partner is False:
            return None
        return here, partner  # type: ignore[return-value]

    def _find_partner(
        self, block: Any, tokens: list[tuple[int, str]], token_index: int, char: str
    ) -> int | bool | None:
        """Position of the partner bracket, None if unmatched, False if the search gave up."""
        forward = char in _OPENERS
        depth = 0
        scanned = 0
        line_tokens = tokens[token_index + 1 :] if forward else tokens[:token_index][::-1]
        line_text = block.text()
        while True:
            for index, other in line_tokens:
                if (other in _OPENERS) == forward:
                    depth += 1
                elif depth:
                    depth -= 1
                else:
                    expected = _OPENERS[char] if forward else _CLOSERS[char]
                    if other != expected:
                        return None
                    return block.position() + _Utf16Map(line_text)(index)
            scanned += len(line_text) + 1
            if scanned > BRACKET_SCAN_LIMIT:
                return False
            block = block.next() if forward else block.previous()
            if not block.isValid():
                return None
            line_text = block.text()
            if len(line_text) > BRACKET_LINE_LIMIT:
                return False
            line_tokens = _bracket_tokens(line_text)
            if not forward:
                line_tokens.reverse()

    def _refresh_extra_selections(self) -> None:
        selections = [self._current_line_selection()]
        match = self.matching_bracket()
        if match is not None:
            here, partner = match
            if partner is None:
                selections.append(self._bracket_selection(here, self._colors.bracket_mismatch))
            else:
                selections.append(self._bracket_selection(here, self._colors.bracket_match))
                selections.append(self._bracket_selection(partner, self._colors.bracket_match))
        selections.extend(self._problem_selections)
        self.setExtraSelections(selections)

    # -- keys ---------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.ZoomIn):
            self.zoom_requested.emit(1)
            return
        if event.matches(QKeySequence.StandardKey.ZoomOut):
            self.zoom_requested.emit(-1)
            return
        key = event.key()
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and modifiers & (
            Qt.KeyboardModifier.ControlModifier
        ):
            # Tab indents, so Ctrl+Tab / Ctrl+Shift+Tab leave the editor for the keyboard user.
            QWidget.focusNextPrevChild(
                self, key == Qt.Key.Key_Tab and not (modifiers & Qt.KeyboardModifier.ShiftModifier)
            )
            return
        if self.isReadOnly():
            super().keyPressEvent(event)
            return
        if key == Qt.Key.Key_Tab and modifiers == Qt.KeyboardModifier.NoModifier:
            self._indent()
            return
        if key == Qt.Key.Key_Backtab or (
            key == Qt.Key.Key_Tab and modifiers == Qt.KeyboardModifier.ShiftModifier
        ):
            self._dedent()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and modifiers in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.ShiftModifier,
        ):
            # Shift+Enter too: a soft line break (U+2028) would confuse line numbers.
            self._new_line()
            return
        if event.text() in ("}", "]") and self._closing_bracket(event.text()):
            return
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.zoom_requested.emit(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    def _selected_blocks(self, cursor: QTextCursor) -> tuple[int, int]:
        document = self.document()
        first = document.findBlock(cursor.selectionStart())
        end_position = cursor.selectionEnd()
        last = document.findBlock(end_position)
        # A selection ending at the very start of a line does not include that line.
        if cursor.hasSelection() and last.position() == end_position and last != first:
            last = last.previous()
        return first.blockNumber(), last.blockNumber()

    def _indent(self) -> None:
        cursor = self.textCursor()
        first, last = self._selected_blocks(cursor)
        if not cursor.hasSelection() or first == last:
            cursor.insertText(INDENT)
            self.setTextCursor(cursor)
            return
        document = self.document()
        cursor.beginEditBlock()
        for number in range(first, last + 1):
            line = QTextCursor(document.findBlockByNumber(number))
            line.insertText(INDENT)
        cursor.endEditBlock()

    def _dedent(self) -> None:
        cursor = self.textCursor()
        first, last = self._selected_blocks(cursor)
        document = self.document()
        cursor.beginEditBlock()
        for number in range(first, last + 1):
            block = document.findBlockByNumber(number)
            text = block.text()
            if text.startswith("\t"):
                remove = 1
            else:
                remove = len(text) - len(text.lstrip(" "))
                remove = min(remove, len(INDENT))
            if remove:
                line = QTextCursor(block)
                line.movePosition(
                    QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor, remove
                )
                line.removeSelectedText()
        cursor.endEditBlock()

    def _new_line(self) -> None:
        cursor = self.textCursor()
        before_cursor = QTextCursor(cursor)
        before_cursor.setPosition(cursor.selectionStart())
        before_cursor.movePosition(
            QTextCursor.MoveOperation.StartOfBlock, QTextCursor.MoveMode.KeepAnchor
        )
        before = before_cursor.selectedText()
        after_cursor = QTextCursor(cursor)
        after_cursor.setPosition(cursor.selectionEnd())
        after_cursor.movePosition(
            QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
        )
        after = after_cursor.selectedText()
        indent = before[: len(before) - len(before.lstrip(" \t"))]
        opener = before.rstrip()[-1:]
        cursor.beginEditBlock()
        if opener in _OPENERS:
            inner = indent + INDENT
            if after.lstrip()[:1] == _OPENERS[opener]:
                # Between a pair: open an indented line and put the closer on its own line.
                cursor.insertText("\n" + inner + "\n" + indent)
                cursor.movePosition(QTextCursor.MoveOperation.Up)
                cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
            else:
                cursor.insertText("\n" + inner)
        else:
            cursor.insertText("\n" + indent)
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def _closing_bracket(self, char: str) -> bool:
        """Type a closer on a line that holds only indentation one level further out."""
        cursor = self.textCursor()
        if cursor.hasSelection():
            return False
        before_cursor = QTextCursor(cursor)
        before_cursor.movePosition(
            QTextCursor.MoveOperation.StartOfBlock, QTextCursor.MoveMode.KeepAnchor
        )
        before = before_cursor.selectedText()
        if not before or before.strip(" ") or len(before) < len(INDENT):
            return False
        cursor.beginEditBlock()
        cursor.movePosition(
            QTextCursor.MoveOperation.PreviousCharacter,
            QTextCursor.MoveMode.KeepAnchor,
            len(INDENT),
        )
        cursor.insertText(char)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        return True


class _ValidationBridge(QObject):
    """Carries a background validation's outcome back to the GUI thread (queued signal)."""

    finished = Signal(object)  # (generation, text, result or None, error or None)


class JsonEditor(QWidget):
    """A JSON editor (or read-only viewer) with live validation listed under the text."""

    #: The text changed by the person (typing, paste, Format, undo); not by set_text().
    text_edited = Signal()
    #: The problems found by the last validation changed (a tuple of Problem).
    problems_changed = Signal(tuple)
    #: The zoom step changed (0 is the default size).
    zoom_changed = Signal(int)
    #: A validation ran (the ValidationResult).
    validated = Signal(object)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        read_only: bool = False,
        valid_text: str = TEXT_VALID_DEFAULT,
    ) -> None:
        super().__init__(parent)
        self._validator: Validator | None = None
        self._problems: tuple[Problem, ...] = ()
        self._result: ValidationResult | None = None
        self._valid_text = valid_text
        self._status_kind = "none"
        self._setting_text = False
        self._zoom = 0
        self._base_font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        if self._base_font.pointSizeF() <= 0:
            self._base_font.setPointSizeF(10)
        # JSON needs no ligatures or kerning, and skipping the shaper makes laying out a
        # megabyte-long line several times faster.
        self._base_font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)

        self._code = CodeEdit(self)
        self._code.setFont(self._base_font)
        self._status = plain_label(parent=self)  # a parse message may quote the text
        self._status.setObjectName("validationStatus")
        self._status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        status_font = self._status.font()
        status_font.setBold(True)
        self._status.setFont(status_font)
        # Built with the first problems (see `problem_list`): most editors open without any.
        self._problem_list: ProblemList | None = None
        self._find_bar: FindBar | None = None  # built on the first Find
        self._notice = QLabel(self)
        self._notice.setObjectName("longLineNotice")
        self._notice.setWordWrap(True)
        self._notice.setVisible(False)

        status_row = QHBoxLayout()
        status_row.setContentsMargins(4, 0, 4, 0)
        status_row.addWidget(self._status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self._code, 1)
        layout.addLayout(status_row)
        layout.addWidget(self._notice)
        self._layout = layout
        self.setFocusProxy(self._code)

        self._timer = QTimer(self)
        self._timer.setObjectName("validationTimer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_DELAY_MS)
        self._timer.timeout.connect(self._on_timer)
        # Background validation of big texts, one job at a time (`_job_running`), on threads
        # Qt never waits for (see WorkerThreads); a result after the editor is gone is dropped.
        self._pool = WorkerThreads("validation")
        self._bridge = _ValidationBridge(self)
        self._bridge.finished.connect(self._on_background_result)
        self._generation = 0
        self._job_running = False
        self._rerun_job = False

        self._code.textChanged.connect(self._on_text_changed)
        self._code.zoom_requested.connect(lambda step: self.set_zoom(self._zoom + step))
        self.set_read_only(read_only)

    # -- parts --------------------------------------------------------------------------------

    @property
    def code_edit(self) -> CodeEdit:
        """The text widget."""
        return self._code

    @property
    def problem_list(self) -> ProblemList:
        """The list of problems under the text (built the first time it is needed)."""
        if self._problem_list is None:
            from app.views.problem_list import ProblemList

            items = ProblemList(self)
            items.setVisible(False)
            items.problem_activated.connect(self._on_problem_activated)
            self._layout.addWidget(items)
            # Built last, it would come last in the window's tab order: keep it after the text.
            QWidget.setTabOrder(self._code, items)
            self._problem_list = items
            self._fit_problem_list()
        return self._problem_list

    @property
    def status_label(self) -> QLabel:
        """The "Valid request" / "N problems" line."""
        return self._status

    # -- text ---------------------------------------------------------------------------------

    def text(self) -> str:
        """The whole text, exactly as typed (line breaks as "\\n")."""
        return self._code.document().toRawText().replace("\u2029", "\n")

    def set_text(self, text: str, *, undoable: bool = True) -> None:
        """Replace the whole text. Undoable: one step of Ctrl+Z brings the old text back.
        Not undoable: the undo history starts afresh (for a newly opened document)."""
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        self._setting_text = True
        try:
            if undoable:
                self._replace_all(text)
            else:
                self._code.setPlainText(text)
            cursor = self._code.textCursor()
            cursor.movePosition(QTextCursor.MoveOperation.Start)
            self._code.setTextCursor(cursor)
        finally:
            self._setting_text = False
        self._update_long_line_notice(text)
        self._schedule_validation()

    def _replace_all(self, text: str) -> None:
        cursor = QTextCursor(self._code.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()

    def format_json(self) -> bool:
        """Pretty-print the text (2 spaces) as one undoable edit. False, and nothing changes,
        when the text is not valid JSON."""
        text = self.text()
        pretty = pretty_json(text)
        if pretty is None:
            return False
        if pretty == text:
            return True
        line = self._code.textCursor().blockNumber()
        self._replace_all(pretty)
        self._update_long_line_notice(pretty)
        block = self._code.document().findBlockByNumber(line)
        if not block.isValid():
            block = self._code.document().lastBlock()
        cursor = QTextCursor(block)
        self._code.setTextCursor(cursor)
        self._code.ensureCursorVisible()
        return True

    def set_read_only(self, read_only: bool) -> None:
        """Viewer (True) or editor (False). A viewer still selects, copies and navigates."""
        self._code.setReadOnly(read_only)
        if read_only:
            self._code.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse
                | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )

    def is_read_only(self) -> bool:
        """True for a viewer."""
        return self._code.isReadOnly()

    def go_to(self, line: int, column: int = 1) -> None:
        """Put the cursor at a 1-based line and column (characters) and focus the text."""
        document = self._code.document()
        block = document.findBlockByNumber(max(0, min(line, document.blockCount()) - 1))
        text = block.text()
        index = max(0, min(column - 1, len(text)))
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + _Utf16Map(text)(index))
        self._code.setTextCursor(cursor)
        self._code.centerCursor()
        self._code.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- find ---------------------------------------------------------------------------------

    @property
    def find_bar(self) -> FindBar:
        """The find bar under the text (built the first time Find is asked for)."""
        if self._find_bar is None:
            from app.views.find_bar import FindBar

            bar = FindBar(self._code, self)
            self._layout.insertWidget(1, bar)
            QWidget.setTabOrder(self._code, bar.field)
            self._find_bar = bar
        return self._find_bar

    def show_find(self) -> None:
        """Edit > Find…: the bar, its field focused, with the selection as the text to find."""
        self.find_bar.open()

    def find_next(self) -> bool:
        """F3: the next match (the bar opens when there is nothing to find yet)."""
        if not self.find_bar.needle():
            self.show_find()
            return False
        return self.find_bar.find_match()

    def find_previous(self) -> bool:
        """Shift+F3: the previous match."""
        if not self.find_bar.needle():
            self.show_find()
            return False
        return self.find_bar.find_match(backward=True)

    # -- zoom ---------------------------------------------------------------------------------

    def zoom(self) -> int:
        """The zoom step (0 is the default size)."""
        return self._zoom

    def set_zoom(self, step: int) -> None:
        """Set the zoom step (clamped to MIN_ZOOM..MAX_ZOOM); the font scales with it."""
        step = max(MIN_ZOOM, min(MAX_ZOOM, int(step)))
        if step == self._zoom:
            return
        self._zoom = step
        font = QFont(self._base_font)
        font.setPointSizeF(round(self._base_font.pointSizeF() * ZOOM_FACTOR**step, 1))
        self._code.setFont(font)
        self._fit_problem_list()
        self.zoom_changed.emit(step)

    def zoom_in(self) -> None:
        """One step bigger."""
        self.set_zoom(self._zoom + 1)

    def zoom_out(self) -> None:
        """One step smaller."""
        self.set_zoom(self._zoom - 1)

    def reset_zoom(self) -> None:
        """Back to the default size."""
        self.set_zoom(0)

    def _fit_problem_list(self) -> None:
        # As tall as its problems, up to five rows; more scroll.
        items = self._problem_list
        if items is None:
            return
        rows = max(1, min(5, items.count()))
        row_height = items.sizeHintForRow(0) if items.count() else -1
        if row_height <= 0:
            row_height = items.fontMetrics().height() + 4
        height = row_height * rows + 2 * items.frameWidth() + 4
        items.setFixedHeight(height)

    # -- validation ---------------------------------------------------------------------------

    @property
    def validator(self) -> Validator | None:
        return self._validator

    def set_validator(self, validator: Validator | None) -> None:
        """Validate with this function while the person types; None turns validation off."""
        self._validator = validator
        self._generation += 1
        if validator is None:
            self._timer.stop()
            self._result = None
            self._show_problems((), "")
            self._set_status("none")
        else:
            self._schedule_validation()

    def set_valid_text(self, text: str) -> None:
        """The status shown when there are no problems (e.g. "Valid response")."""
        self._valid_text = text
        if self._status_kind == "valid":
            self._set_status("valid")

    def problems(self) -> tuple[Problem, ...]:
        """The problems found by the last validation."""
        return self._problems

    def result(self) -> ValidationResult | None:
        """The last validation's result (None before the first one or without a validator)."""
        return self._result

    def validation_pending(self) -> bool:
        """True while an edit waits for its validation (debounce or background check)."""
        return self._timer.isActive() or self._job_running

    def validate_now(self) -> ValidationResult | None:
        """Validate the text at once, on this thread (cancelling a pending or running one),
        and show the problems."""
        self._timer.stop()
        self._generation += 1
        if self._validator is None:
            return None
        text = self.text()
        try:
            result = self._validator(text)
        except Exception as error:  # the view must survive a broken validator
            log.exception("validation failed")
            self._apply_result(None, error, text)
            return None
        self._apply_result(result, None, text)
        return result

    def _apply_result(
        self, result: ValidationResult | None, error: BaseException | None, text: str
    ) -> None:
        self._result = result
        self._update_long_line_notice(text)
        if result is None:
            self._show_problems((), text)
            self._set_status("error", TEXT_CHECK_FAILED.format(error=error))
            return
        self._show_problems(tuple(result.problems), text)
        self._set_status("problems" if result.problems else "valid")
        self.validated.emit(result)

    def _on_timer(self) -> None:
        if self._validator is None:
            return
        if self._code.document().characterCount() < BACKGROUND_VALIDATION_CHARS:
            self.validate_now()
            return
        if self._job_running:
            # One job at a time; the newest text is checked as soon as this one ends.
            self._rerun_job = True
            return
        self._start_background_job()

    def _start_background_job(self) -> None:
        validator = self._validator
        if validator is None:
            return
        text = self.text()
        generation = self._generation
        bridge = self._bridge

        def job() -> None:
            result: Any = None
            error: BaseException | None = None
            try:
                result = validator(text)
            except Exception as exc:  # reported on the GUI thread
                error = exc
            # RuntimeError: the editor was destroyed meanwhile; nobody is waiting any more.
            with contextlib.suppress(RuntimeError):
                bridge.finished.emit((generation, text, result, error))

        self._job_running = True
        self._pool.start(job)

    def _on_background_result(self, outcome: tuple[int, str, Any, BaseException | None]) -> None:
        generation, text, result, error = outcome
        self._job_running = False
        if self._rerun_job:
            self._rerun_job = False
            self._start_background_job()
            return
        if generation != self._generation:
            return  # the text changed meanwhile; its own validation is on its way
        if error is not None:
            log.error("validation failed", exc_info=error)
        self._apply_result(result, error, text)

    def _schedule_validation(self) -> None:
        if self._validator is None:
            return
        size = self._code.document().characterCount()
        delay = VALIDATE_DELAY_MS + size * VALIDATE_DELAY_PER_MB_MS // 1_000_000
        self._timer.start(min(delay, VALIDATE_DELAY_MAX_MS))

    def _show_problems(self, problems: tuple[Problem, ...], text: str) -> None:
        to_qt = _Utf16Map(text)
        ranges = []
        for problem in problems[:MAX_UNDERLINES]:
            start = max(0, problem.offset)
            ranges.append((to_qt(start), to_qt(start + max(1, problem.length))))
        self._code.set_problem_ranges(ranges)
        changed = problems != self._problems
        self._problems = problems
        if problems or self._problem_list is not None:
            items = self.problem_list
            items.set_problems(problems)
            items.setVisible(bool(problems))
            self._fit_problem_list()
        if changed:
            self.problems_changed.emit(problems)

    def _update_long_line_notice(self, text: str) -> None:
        if len(text) < LONG_LINE_CHARS:
            self._notice.setVisible(False)
            return
        # Splitting is a few ms for 1 MB; a regex for "a long run without newline" is far slower.
        lengths = [len(line) for line in text.split("\n")]
        longest = max(lengths)
        if longest < LONG_LINE_CHARS:
            self._notice.setVisible(False)
            return
        line = lengths.index(longest) + 1
        self._notice.setText(TEXT_LONG_LINE.format(line=line, length=longest))
        self._notice.setVisible(True)

    def _set_status(self, kind: str, message: str = "") -> None:
        self._status_kind = kind
        count = len(self._problems)
        if kind == "valid":
            message = self._valid_text
        elif kind == "problems":
            message = TEXT_ONE_PROBLEM if count == 1 else TEXT_N_PROBLEMS.format(n=count)
        self._status.setText(message)
        self._status.setVisible(bool(message))
        self._color_status()

    def _color_status(self) -> None:
        colors = status_colors(self.palette())
        color = {"valid": colors.allowed, "problems": colors.denied, "error": colors.warning}.get(
            self._status_kind
        )
        palette = self._status.palette()
        palette.setColor(
            QPalette.ColorRole.WindowText,
            QColor(color) if color else self.palette().color(QPalette.ColorRole.WindowText),
        )
        self._status.setPalette(palette)

    # -- reactions ----------------------------------------------------------------------------

    def _on_text_changed(self) -> None:
        self._generation += 1
        self._schedule_validation()
        if not self._setting_text:
            self.text_edited.emit()

    def _on_problem_activated(self, problem: Problem) -> None:
        self.go_to(problem.line, problem.column)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._color_status()
