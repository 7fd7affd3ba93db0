"""The History panel: recorded calls newest first, filtered by text, target and outcome; replay
one, copy it as cURL, diff any two side by side, or compare one with the bundled logic.

Beside the program's own calls it lists the calls Okta made to a hook, as the org's System Log
records them (`add_okta_calls`, read by File > Connect to Okta Org… on a worker): rows marked
"from Okta", mixed in time order or shown alone with the "From" filter. Okta logs the event,
its outcome and debugContext, not the request or the answer: such a row shows what was logged
and what a scenario made from it rebuilds ("Save as Scenario…"), never an HTTP status.

Standalone; the main window embeds it. Constructor::

    HistoryPanel(
        store: HistoryStore,                 # app.logic.run.history.HistoryStore
        schema: UserSchema | None = None,    # the org's schema, for "Compare with Bundled"
        clipboard: Callable[[str], None] | None = None,  # default: the system clipboard
        parent: QWidget | None = None,
    )

Signals:

- ``replay_requested(str request_text, object target)``: load this request and target into the
  window (`target` is the entry's target description: ``{"kind": "bundled", "endpoint": ...}``
  or ``{"kind": "url", "url": ..., "auth_header": ...}``; secrets were never stored, so the
  window keeps its own auth value);
- ``curl_copied(str command)`` after "Copy as cURL" (the command is on the clipboard);
- ``curl_refused(str reason)`` when the entry cannot be a command (its request is not JSON);
- ``history_cleared()`` after "Clear History" (asked first).

Public methods: ``refresh()`` (call it after recording), ``add_exchange(exchange, source)``
(records and refreshes), ``entries()`` (the program's calls the list shows), ``rows()`` (every
row, the program's and Okta's, in the list's order), ``add_okta_calls(calls)``,
``select_ids(ids)``, ``diff_selected()``, ``compare_selected()``,
``save_selected_okta_call()``. "Compare with Bundled" runs on a `TaskRunner`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

# Loaded already (the panel reads a HistoryStore); the Okta side's module, which brings httpx,
# is imported only by what reads the org.
from app.logic.run.history import HistoryEntry
from app.views.flow_layout import FlowLayout
from app.views.workers import TaskRunner

if TYPE_CHECKING:
    from app.logic.okta_org.calls import LoggedCall
    from app.logic.org import UserSchema
    from app.logic.run.diff import ExchangeDiff, Row
    from app.logic.run.exchange import Exchange
    from app.logic.run.history import HistoryStore

# --- the words this panel shows ----------------------------------------------------------------
TITLE = "History"
FILTER_PLACEHOLDER = "Filter: text in the target, URL, verdict or request"
TARGET_PLACEHOLDER = "Target contains…"
ALL_OUTCOMES = "All outcomes"
OUTCOMES = ("ALLOWED", "DENIED", "PROFILE UPDATED", "FAILED", "NOT SENT")
COLUMNS = ("#", "Time", "Outcome", "Status", "Target", "From")
# No Alt letters: the dock is part of the window, whose menus and blocks use them all.
REFRESH = "Refresh"
REPLAY = "Replay"
COPY_CURL = "Copy as cURL"
DIFF = "Diff Two"
COMPARE = "Compare with Bundled"
CLEAR = "Clear History…"
CLEAR_QUESTION = "Forget every recorded call? This cannot be undone."
EMPTY = "No calls recorded yet."
SHOWN = "{count} calls shown (newest first)"
SHOWN_ONE = "1 call shown"
OFF = "History is off: {problem}"
NOT_CLEARED = "Nothing was cleared: {problem}"
REQUEST_TAB = "Request"
ANSWER_TAB = "Answer"
CALL_VERDICT_TAB = "Verdict"
LOGGED_TAB = "Logged by Okta"
#: debugData is shown up to this many characters (an org's answer may hold megabytes).
DEBUG_SHOWN_CHARS = 64 * 1024
DEBUG_CUT = "… ({count:,} characters in all; the rest is not shown)"
BODY_TAB = "Answer diff"
VERDICT_TAB = "Verdict diff"
NOT_SENT_TEXT = "Not sent: {why}"
NO_VERDICT = "No verdict: nothing was judged."
ENTRY_HEADING = "#{id} · {time} (UTC) · {target} · from {source}"
SAME = "The two calls have the same answer and the same verdict."
DIFFERENT = "{body} difference(s) in the answer, {verdict} in the verdict."
COMPARING = "Running the request through the bundled logic…"
CHANGED_COLOR = QColor(255, 214, 102, 110)
LIST_LIMIT = 1000
# The calls Okta made, from its System Log: never this program's own, never an HTTP status.
ALL_ORIGINS, THIS_PROGRAM, FROM_OKTA = "All calls", "This program", "From Okta"
ORIGINS = (ALL_ORIGINS, THIS_PROGRAM, FROM_OKTA)
OKTA_ID = "Okta"
OKTA_OUTCOME = "FROM OKTA: {result}"
OKTA_STATUS = "—"
OKTA_STATUS_TIP = "Okta's System Log records no HTTP status, only the outcome"
OKTA_SOURCE = "System Log: {event}"
OKTA_HEADING = "From Okta's System Log · {time} (UTC) · {hook} · {event}"
OKTA_REQUEST_TEXT = (
    "Okta does not log the request it sent.\n\n"
    "Save as Scenario rebuilds it from the org's user{who} and the form's fields; the values "
    "the person typed in the form are never logged."
)
OKTA_ANSWER_TEXT = (
    "Okta does not log the hook's answer, only the outcome of the call: {result}{reason}."
)
SAVE_OKTA_CALL = "Save as Scenario…"
SAVED_OKTA_CALL = "Saved the scenario to {path}."
NOT_SAVED = "Not saved: {problem}"
OKTA_SHOWN = "{count} calls shown (newest first; {okta} from Okta's System Log)"


class DiffPane(QWidget):
    """Two read-only columns, one row per line, changed rows tinted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.left = QPlainTextEdit()
        self.right = QPlainTextEdit()
        for side, name in ((self.left, "Left call"), (self.right, "Right call")):
            side.setReadOnly(True)
            side.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            side.setAccessibleName(name)
        self.left.verticalScrollBar().valueChanged.connect(self.right.verticalScrollBar().setValue)
        self.right.verticalScrollBar().valueChanged.connect(self.left.verticalScrollBar().setValue)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.left)
        layout.addWidget(self.right)
        self.changed_rows: list[int] = []

    def show_rows(self, rows: Sequence[Row]) -> None:
        self.left.setPlainText("\n".join(r.left if r.left is not None else "" for r in rows))
        self.right.setPlainText("\n".join(r.right if r.right is not None else "" for r in rows))
        self.changed_rows = [n for n, r in enumerate(rows) if r.tag != "equal"]
        for side in (self.left, self.right):
            side.setExtraSelections(self._marks(side, self.changed_rows))

    @staticmethod
    def _marks(side: QPlainTextEdit, rows: Iterable[int]) -> list[QTextEdit.ExtraSelection]:
        marks = []
        document = side.document()
        for row in rows:
            block = document.findBlockByNumber(row)
            if not block.isValid():
                continue
            mark = QTextEdit.ExtraSelection()
            mark.format.setBackground(CHANGED_COLOR)
            mark.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            cursor = QTextCursor(block)
            mark.cursor = cursor
            marks.append(mark)
        return marks


def _read_only_text(name: str) -> QPlainTextEdit:
    text = QPlainTextEdit()
    text.setReadOnly(True)
    text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    text.setAccessibleName(name)
    return text


def _pretty_body(body: bytes) -> str:
    """JSON indented two spaces; anything else as its text."""
    from app.logic.jsontext import dumps, loads

    if not body:
        return "(empty)"
    try:
        return dumps(loads(body))
    except (ValueError, RecursionError):
        return body.decode("utf-8", errors="replace")


def call_texts(entry: HistoryEntry) -> tuple[str, str, str]:
    """What the three tabs show for one recorded call: the request (headers as sent, secrets
    masked as they were recorded, then the body), the answer, and the verdict."""
    from app.logic.jsontext import dumps

    headers = [f"{name}: {value}" for name, value in entry.request_headers]
    request = "\n".join([f"POST {entry.url}", *headers, "", _pretty_body(entry.request_body)])
    if not entry.sent:
        answer = NOT_SENT_TEXT.format(why=entry.refusal or entry.failure or "—")
    else:
        first = entry.failure or "no answer"
        if entry.status is not None:
            first = f"HTTP {entry.status}"
        if entry.elapsed_ms is not None:
            first += f" in {entry.elapsed_ms:.1f} ms"
        lines = [first]
        if entry.failure_detail:
            lines.append(entry.failure_detail)
        lines += [f"{name}: {value}" for name, value in entry.response_headers.items()]
        answer = "\n".join([*lines, "", _pretty_body(entry.response_body)])
    if entry.verdict is None:
        verdict = "\n".join(filter(None, [entry.headline, NO_VERDICT]))
    else:
        outcome = entry.outcome or "NOT SENT"
        if entry.hook_failed:
            outcome += " (the hook failed)"
        lines = [outcome, entry.headline, ""]
        for message in entry.verdict.get("messages") or []:
            if isinstance(message, dict):
                where = message.get("field") or ("banner" if message.get("banner") else "")
                text = message.get("text", "")
                lines.append(f"• {where}: {text}" if where else f"• {text}")
        verdict = "\n".join([*lines, "", dumps(entry.verdict)])
    return request, answer, verdict


def _short_time(started_at: str) -> str:
    """'2026-12-02T09:54:33.494Z' as '12-02 09:54:33' (the full time is in the tooltip)."""
    if len(started_at) >= 19 and started_at[10:11] == "T":
        return f"{started_at[5:10]} {started_at[11:19]}"
    return started_at


def okta_call_texts(call: LoggedCall) -> tuple[str, str, str]:
    """What the three tabs show for a call from Okta's System Log: no request and no answer
    (Okta logs neither), and what it did log: event, outcome, user, debugContext, with what a
    scenario made from it knows and rebuilds."""
    from app.logic.jsontext import dumps
    from app.logic.okta_org.operations import shown

    who = (
        f" {shown(call.user_login, 120)}" if call.user_login else " the event names (it names none)"
    )
    reason = f" — {shown(call.reason, 300)}" if call.reason else ""
    debug = dumps(call.debug_data)
    if len(debug) > DEBUG_SHOWN_CHARS:
        debug = debug[:DEBUG_SHOWN_CHARS] + "\n" + DEBUG_CUT.format(count=len(debug))
    request = OKTA_REQUEST_TEXT.format(who=who)
    answer = OKTA_ANSWER_TEXT.format(result=shown(call.result or "?", 20), reason=reason)
    lines = [
        "What Okta logged (System Log):",
        f"  event: {shown(call.event_type, 60)}",
        f"  outcome: {shown(call.result or '?', 20)}{reason}",
        f"  time: {shown(call.published, 40)} (UTC)",
        f"  hook: {shown(call.hook_name or '—', 120)}",
        f"  user: {shown(call.user_login or '—', 120)}",
        f"  message: {shown(call.display_message or '—', 200)}",
        f"  transaction: {shown(call.transaction_id or '—', 80)}",
        "  debugContext.debugData:",
        *("    " + line for line in debug.splitlines()),
        "",
        "Known:",
        *(f"  • {fact}" for fact in call.known()),
        "Rebuilt by Save as Scenario:",
        *(f"  • {part}" for part in call.rebuilt()),
    ]
    return request, answer, "\n".join(lines)


def _row_key(row: HistoryEntry | LoggedCall) -> tuple[str, object]:
    """What keeps a row selected across refreshes: the entry's id, or the event's uuid."""
    if isinstance(row, HistoryEntry):
        return ("program", row.id)
    return ("okta", row.uuid or f"{row.published} {row.event_type} {row.transaction_id}")


def _row_time(row: HistoryEntry | LoggedCall) -> str:
    return row.started_at if isinstance(row, HistoryEntry) else row.published


def _okta_matches(call: LoggedCall, text: str | None, target: str | None) -> bool:
    """The text and target filters, applied to what Okta logged."""
    if target and target.casefold() not in call.hook_name.casefold():
        return False
    if not text:
        return True
    words = " ".join(
        [call.line(), call.hook_name, call.display_message, call.event_type, "okta"]
    ).casefold()
    return text.casefold() in words


class HistoryPanel(QWidget):
    """The recorded calls with filters, replay, cURL, diff and compare. See the module docstring."""

    replay_requested = Signal(str, object)
    curl_copied = Signal(str)
    curl_refused = Signal(str)
    history_cleared = Signal()

    def __init__(
        self,
        store: HistoryStore,
        schema: UserSchema | None = None,
        clipboard: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
        ask_save_path: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        #: Asks where a scenario goes (the suggested file name in, a path or "" out).
        self._ask_save_path = ask_save_path or self._ask_path
        self._schema = schema
        self._reading = "strict"
        self._clipboard = clipboard or (lambda text: QApplication.clipboard().setText(text))
        self._entries: list[HistoryEntry] = []
        #: What the table shows, row by row: the program's calls and Okta's, newest first.
        self._rows: list[HistoryEntry | LoggedCall] = []
        #: Okta's calls read so far, by event uuid (a second read of the log replaces them).
        self._okta_calls: dict[str, LoggedCall] = {}
        self._shown_key: tuple[str, object] | None = None
        self.last_diff: ExchangeDiff | None = None
        self._runner = TaskRunner(self)
        self._runner.succeeded.connect(self._on_compared)
        self._runner.failed.connect(self._on_compare_failed)
        self._runner.finished.connect(self._update_buttons)
        self._build()
        self.refresh()

    # --- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(FILTER_PLACEHOLDER)
        self.filter_edit.setClearButtonEnabled(True)
        self.target_edit = QLineEdit()
        self.target_edit.setPlaceholderText(TARGET_PLACEHOLDER)
        self.target_edit.setClearButtonEnabled(True)
        self.outcome_box = QComboBox()
        self.outcome_box.addItems([ALL_OUTCOMES, *OUTCOMES])
        self.outcome_box.setAccessibleName("Outcome filter")
        self.origin_box = QComboBox()
        self.origin_box.addItems(ORIGINS)
        self.origin_box.setAccessibleName("Whose calls")
        self.origin_box.setToolTip("This program's calls, Okta's from its System Log, or both")
        self.refresh_button = QPushButton(REFRESH)
        self.replay_button = QPushButton(REPLAY)
        self.curl_button = QPushButton(COPY_CURL)
        self.diff_button = QPushButton(DIFF)
        self.compare_button = QPushButton(COMPARE)
        self.clear_button = QPushButton(CLEAR)
        self.save_okta_button = QPushButton(SAVE_OKTA_CALL)
        self.save_okta_button.setToolTip(
            "Turn the selected call from Okta's System Log into a scenario"
        )
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        # Arrows move between rows; Tab leaves the list (else it keeps the focus for good).
        self.table.setTabKeyNavigation(False)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        # One selected call: its request, answer and verdict; two: their differences.
        self.request_view = _read_only_text("Selected call's request")
        self.answer_view = _read_only_text("Selected call's answer")
        self.verdict_view = _read_only_text("Selected call's verdict")
        self.body_diff = DiffPane()
        self.verdict_diff = DiffPane()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.verdict_view, CALL_VERDICT_TAB)
        self.tabs.addTab(self.request_view, REQUEST_TAB)
        self.tabs.addTab(self.answer_view, ANSWER_TAB)
        self.tabs.addTab(self.body_diff, BODY_TAB)
        self.tabs.addTab(self.verdict_diff, VERDICT_TAB)
        self.diff_summary = QLabel()
        self.diff_summary.setTextFormat(Qt.TextFormat.PlainText)
        self.diff_summary.setWordWrap(True)

        filters = QHBoxLayout()
        filters.addWidget(self.filter_edit, 2)
        filters.addWidget(self.target_edit, 1)
        filters.addWidget(self.outcome_box)
        filters.addWidget(self.origin_box)
        filters.addWidget(self.refresh_button)
        # Wraps onto a second row in a narrow dock instead of cutting a button off.
        actions = FlowLayout()
        for button in (
            self.replay_button,
            self.curl_button,
            self.diff_button,
            self.compare_button,
            self.save_okta_button,
            self.clear_button,
        ):
            actions.addWidget(button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.diff_summary)
        lower_layout.addWidget(self.tabs, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)

        self.filter_edit.textChanged.connect(self.refresh)
        self.target_edit.textChanged.connect(self.refresh)
        self.outcome_box.currentIndexChanged.connect(self.refresh)
        self.origin_box.currentIndexChanged.connect(self.refresh)
        self.save_okta_button.clicked.connect(self.save_selected_okta_call)
        self.refresh_button.clicked.connect(self.refresh)
        self.replay_button.clicked.connect(self.replay_selected)
        self.curl_button.clicked.connect(self.copy_selected_as_curl)
        self.diff_button.clicked.connect(self.diff_selected)
        self.compare_button.clicked.connect(self.compare_selected)
        self.clear_button.clicked.connect(self._ask_clear)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemSelectionChanged.connect(self._show_selected_call)

    def _update_buttons(self) -> None:
        count = len(self.selected_entries())
        self.replay_button.setEnabled(count == 1)
        self.curl_button.setEnabled(count == 1)
        self.diff_button.setEnabled(count == 2)
        self.compare_button.setEnabled(count == 1 and not self._runner.busy)
        self.save_okta_button.setEnabled(
            len(self.selected_okta_calls()) == 1 and len(self._selected_rows()) == 1
        )
        self.clear_button.setEnabled(bool(self._rows))

    # --- the list ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the list again with the current filters (newest first). The selected calls
        stay selected (and in view) when new ones arrive above them."""
        kept = [_row_key(row) for row in self._selected_row_objects()]
        current_row = self.table.currentRow()
        current_key = (
            _row_key(self._rows[current_row]) if 0 <= current_row < len(self._rows) else None
        )
        outcome = self.outcome_box.currentText()
        origin = self.origin_box.currentText()
        text = self.filter_edit.text().strip() or None
        target = self.target_edit.text().strip() or None
        if origin == FROM_OKTA:
            self._entries = []
        else:
            self._entries = self.store.list(
                LIST_LIMIT,
                text=text,
                target=target,
                outcome=None if outcome == ALL_OUTCOMES else outcome,
            )
        okta: list[LoggedCall] = []
        # Okta's outcomes are not this program's verdicts: an outcome filter shows none of them.
        if origin != THIS_PROGRAM and outcome == ALL_OUTCOMES:
            okta = [c for c in self._okta_calls.values() if _okta_matches(c, text, target)]
        rows: list[HistoryEntry | LoggedCall] = [*self._entries, *okta]
        # One time line: both kinds carry an ISO 8601 UTC time, so text order is time order.
        rows.sort(key=_row_time, reverse=True)
        self._rows = rows
        self.table.setRowCount(len(rows))
        for number, row in enumerate(rows):
            if isinstance(row, HistoryEntry):
                self._fill_program_row(number, row)
            else:
                self._fill_okta_row(number, row)
        self.table.resizeColumnsToContents()
        if kept:
            self._select_keys(kept, current=current_key)
        if self.store.disabled and not okta:
            self.status.setText(OFF.format(problem=self.store.problem))
        elif not rows:
            self.status.setText(EMPTY)
        elif okta:
            self.status.setText(OKTA_SHOWN.format(count=len(rows), okta=len(okta)))
        else:
            count = len(rows)
            self.status.setText(SHOWN_ONE if count == 1 else SHOWN.format(count=count))
        self._update_buttons()

    def _fill_program_row(self, number: int, entry: HistoryEntry) -> None:
        status = str(entry.status) if entry.status is not None else (entry.failure or "—")
        outcome_text = entry.outcome or "NOT SENT"
        if entry.hook_failed:
            outcome_text += " (failed)"
        source = entry.source + (f": {entry.scenario}" if entry.scenario else "")
        when = _short_time(entry.started_at)
        cells = (str(entry.id), when, outcome_text, status, entry.target_label)
        for column, text in enumerate((*cells, source)):
            item = QTableWidgetItem(text)
            tip = {1: f"{entry.started_at} (UTC)", 2: entry.headline}.get(column, text)
            item.setToolTip(tip)
            self.table.setItem(number, column, item)

    def _fill_okta_row(self, number: int, call: LoggedCall) -> None:
        from app.logic.okta_org.operations import shown

        outcome = OKTA_OUTCOME.format(result=shown(call.result or "?", 20))
        cells = (
            OKTA_ID,
            _short_time(call.published),
            outcome,
            OKTA_STATUS,
            shown(call.hook_name or "the hook", 80),
            OKTA_SOURCE.format(event=shown(call.event_type, 60)),
        )
        tips = {
            1: f"{shown(call.published, 40)} (UTC)",
            2: shown(call.reason, 300) or outcome,
            3: OKTA_STATUS_TIP,
        }
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(tips.get(column, text))
            self.table.setItem(number, column, item)

    def add_okta_calls(self, calls: Iterable[LoggedCall]) -> None:
        """Show these calls from Okta's System Log among the program's own (a call read
        again takes the place of its first reading)."""
        for call in calls:
            key = call.uuid or f"{call.published} {call.event_type} {call.transaction_id}"
            self._okta_calls[key] = call
        self.refresh()

    def set_schema(self, schema: UserSchema | None) -> None:
        """The org's schema Compare with Bundled judges against (another org was opened)."""
        self._schema = schema

    def set_reading(self, reading: str) -> None:
        """How Compare with Bundled reads Okta's undocumented rules (View's choice)."""
        self._reading = reading

    def add_exchange(
        self, exchange: Exchange, source: str = "window", replaces: int | None = None
    ) -> int | None:
        """Record `exchange` in the store and show it (in place of the entry `replaces` when
        that is still the newest: see `HistoryStore.record`)."""
        entry_id = self.store.record(exchange, source=source, replaces=replaces)
        self.refresh()
        return entry_id

    def entries(self) -> list[HistoryEntry]:
        return list(self._entries)

    def rows(self) -> list[HistoryEntry | LoggedCall]:
        return list(self._rows)

    def _selected_rows(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [row for row in rows if row < len(self._rows)]

    def _selected_row_objects(self) -> list[HistoryEntry | LoggedCall]:
        return [self._rows[row] for row in self._selected_rows()]

    def selected_entries(self) -> list[HistoryEntry]:
        """The selected calls this program made (Replay, cURL, Diff and Compare take these)."""
        return [row for row in self._selected_row_objects() if isinstance(row, HistoryEntry)]

    def selected_okta_calls(self) -> list[LoggedCall]:
        """The selected calls from Okta's System Log."""
        return [row for row in self._selected_row_objects() if not isinstance(row, HistoryEntry)]

    def select_ids(self, ids: Iterable[int], current: int | None = None) -> None:
        """Select the rows of these entries; the one with id `current` (else the first) gets
        the keyboard's current row and is scrolled into view."""
        self._select_keys(
            [("program", entry_id) for entry_id in ids],
            current=("program", current) if current is not None else None,
        )

    def _select_keys(
        self, keys: Iterable[tuple[str, object]], current: tuple[str, object] | None = None
    ) -> None:
        wanted = set(keys)
        table = self.table
        model = table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        rows = [n for n, row in enumerate(self._rows) if _row_key(row) in wanted]
        focus = next(
            (n for n in rows if _row_key(self._rows[n]) == current), rows[0] if rows else -1
        )
        with QSignalBlocker(table):  # one selection change, not a clear and one per row
            table.clearSelection()
            if focus >= 0:
                model.setCurrentIndex(
                    table.model().index(focus, 0), QItemSelectionModel.SelectionFlag.NoUpdate
                )
            for row in rows:
                model.select(table.model().index(row, 0), flags)
        if focus >= 0:
            table.scrollTo(table.model().index(focus, 0))
        table.viewport().update()
        self._update_buttons()
        self._show_selected_call()

    def _show_selected_call(self) -> None:
        """One selected call: its request, answer and verdict in the lower tabs (for a call
        from Okta: what Okta logged, and what it did not)."""
        selected = self._selected_row_objects()
        if len(selected) != 1:
            return
        row = selected[0]
        if _row_key(row) == self._shown_key:
            return
        self._shown_key = _row_key(row)
        if isinstance(row, HistoryEntry):
            request, answer, verdict = call_texts(row)
            when = _short_time(row.started_at)
            source = row.source + (f": {row.scenario}" if row.scenario else "")
            heading = ENTRY_HEADING.format(
                id=row.id, time=when, target=row.target_label, source=source
            )
        else:
            from app.logic.okta_org.operations import shown

            request, answer, verdict = okta_call_texts(row)
            heading = OKTA_HEADING.format(
                time=shown(row.published, 40),
                hook=shown(row.hook_name or "the hook", 80),
                event=shown(row.event_type, 60),
            )
        self.request_view.setPlainText(request)
        self.answer_view.setPlainText(answer)
        self.verdict_view.setPlainText(verdict)
        # Okta's call has no verdict here: the first tab holds what Okta logged instead.
        first_tab = CALL_VERDICT_TAB if isinstance(row, HistoryEntry) else LOGGED_TAB
        self.tabs.setTabText(self.tabs.indexOf(self.verdict_view), first_tab)
        self.diff_summary.setText(heading)
        if self.tabs.currentIndex() >= self.tabs.indexOf(self.body_diff):
            self.tabs.setCurrentWidget(self.verdict_view)  # from a diff back to one call

    # --- actions ----------------------------------------------------------------------------

    def replay_selected(self) -> None:
        selected = self.selected_entries()
        if len(selected) == 1:
            entry = selected[0]
            self.replay_requested.emit(entry.request_text(), dict(entry.target))

    def copy_selected_as_curl(self) -> None:
        from app.logic.run.curl import CurlRefused, curl_for_entry

        selected = self.selected_entries()
        if len(selected) != 1:
            return
        try:
            command = curl_for_entry(selected[0])
        except CurlRefused as exc:
            self.curl_refused.emit(str(exc))
            return
        self._clipboard(command)
        self.curl_copied.emit(command)

    def diff_selected(self) -> None:
        """Diff the two selected calls: the older on the left."""
        from app.logic.run.diff import diff_exchanges

        selected = self.selected_entries()
        if len(selected) != 2:
            return
        older, newer = sorted(selected, key=lambda e: e.id)
        self._show_diff(diff_exchanges(older.exchange, newer.exchange))

    def compare_selected(self) -> None:
        """Run the selected call's request through the matching bundled endpoint, then diff."""
        from app.logic.run.diff import compare_with_bundled

        selected = self.selected_entries()
        if len(selected) != 1 or self._runner.busy:
            return
        entry, schema, reading = selected[0], self._schema, self._reading
        self.diff_summary.setText(COMPARING)
        recorded = entry.exchange
        self._runner.start(
            lambda: compare_with_bundled(recorded, schema=schema, reading=reading)[1]
        )
        self._update_buttons()

    def _on_compared(self, diff: ExchangeDiff) -> None:
        self._show_diff(diff)

    def _on_compare_failed(self, message: str) -> None:
        self.diff_summary.setText(message)

    def _show_diff(self, diff: ExchangeDiff) -> None:
        self.last_diff = diff
        self._shown_key = None  # clicking the same call again shows it again
        self.body_diff.show_rows(diff.body_rows)
        self.verdict_diff.show_rows(diff.verdict_rows)
        heading = f"{diff.left_label}  ↔  {diff.right_label}"
        if diff.same:
            summary = SAME
        else:
            summary = DIFFERENT.format(
                body=len(diff.body_changes), verdict=len(diff.verdict_changes)
            )
        changes = [c.format() for c in (*diff.body_changes, *diff.verdict_changes)][:8]
        self.diff_summary.setText("\n".join([heading, summary, *changes]))
        self.tabs.setCurrentWidget(self.body_diff if diff.body_changes else self.verdict_diff)

    def _ask_clear(self) -> None:
        answer = QMessageBox.question(self, TITLE, CLEAR_QUESTION)
        if answer != QMessageBox.StandardButton.Yes:
            return
        if not self.store.clear():
            # Nothing was cleared (a locked database): the list stays as it was, and says why.
            self.status.setText(NOT_CLEARED.format(problem=self.store.failure))
            return
        self._okta_calls.clear()
        self.refresh()
        self.history_cleared.emit()

    def save_selected_okta_call(self) -> None:
        """The selected call from Okta's System Log as a scenario file: the request rebuilt
        from the org's user, and a description of what is known and what was rebuilt."""
        from app.logic.jsontext import dumps
        from app.logic.okta_org.calls import scenario_from_call
        from app.logic.okta_org.client import OrgApiError

        selected = self.selected_okta_calls()
        if len(selected) != 1:
            return
        try:
            scenario = scenario_from_call(selected[0])
        except OrgApiError as exc:
            self.status.setText(NOT_SAVED.format(problem=exc))
            return
        path = self._ask_save_path("logged-call.json")
        if not path:
            return
        try:
            Path(path).write_text(dumps(scenario) + "\n", encoding="utf-8")
        except OSError as exc:
            self.status.setText(NOT_SAVED.format(problem=f"{path}: {exc.strerror or exc}"))
            return
        self.status.setText(SAVED_OKTA_CALL.format(path=path))

    def _ask_path(self, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self, SAVE_OKTA_CALL.rstrip("…"), suggested, "Scenario files (*.json)"
        )
        return path

    def wait_idle(self, msecs: int = 5000) -> bool:
        """Block until a running comparison is done (for closing the window)."""
        return self._runner.wait_for_done(msecs)
