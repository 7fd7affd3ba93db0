"""The History panel: recorded calls newest first, filtered by text, target and outcome; replay
one, copy it as cURL, diff any two side by side, or compare one with the bundled logic.

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
(records and refreshes), ``entries()`` (what the list shows), ``select_ids(ids)``,
``diff_selected()``, ``compare_selected()``. "Compare with Bundled" runs on a `TaskRunner`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
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

from app.views.flow_layout import FlowLayout
from app.views.workers import TaskRunner

if TYPE_CHECKING:
    from app.logic.org import UserSchema
    from app.logic.run.diff import ExchangeDiff, Row
    from app.logic.run.exchange import Exchange
    from app.logic.run.history import HistoryEntry, HistoryStore

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
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._schema = schema
        self._reading = "strict"
        self._clipboard = clipboard or (lambda text: QApplication.clipboard().setText(text))
        self._entries: list[HistoryEntry] = []
        self._shown_id: int | None = None
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
        self.refresh_button = QPushButton(REFRESH)
        self.replay_button = QPushButton(REPLAY)
        self.curl_button = QPushButton(COPY_CURL)
        self.diff_button = QPushButton(DIFF)
        self.compare_button = QPushButton(COMPARE)
        self.clear_button = QPushButton(CLEAR)
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
        filters.addWidget(self.refresh_button)
        # Wraps onto a second row in a narrow dock instead of cutting a button off.
        actions = FlowLayout()
        for button in (
            self.replay_button,
            self.curl_button,
            self.diff_button,
            self.compare_button,
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
        self.clear_button.setEnabled(bool(self._entries))

    # --- the list ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the list again with the current filters (newest first). The selected calls
        stay selected (and in view) when new ones arrive above them."""
        kept = [entry.id for entry in self.selected_entries()]
        current_row = self.table.currentRow()
        current_id = (
            self._entries[current_row].id if 0 <= current_row < len(self._entries) else None
        )
        outcome = self.outcome_box.currentText()
        self._entries = self.store.list(
            LIST_LIMIT,
            text=self.filter_edit.text().strip() or None,
            target=self.target_edit.text().strip() or None,
            outcome=None if outcome == ALL_OUTCOMES else outcome,
        )
        self.table.setRowCount(len(self._entries))
        for row, entry in enumerate(self._entries):
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
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        if kept:
            self.select_ids(kept, current=current_id)
        if self.store.disabled:
            self.status.setText(OFF.format(problem=self.store.problem))
        elif not self._entries:
            self.status.setText(EMPTY)
        else:
            count = len(self._entries)
            self.status.setText(SHOWN_ONE if count == 1 else SHOWN.format(count=count))
        self._update_buttons()

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

    def selected_entries(self) -> list[HistoryEntry]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self._entries[row] for row in rows if row < len(self._entries)]

    def select_ids(self, ids: Iterable[int], current: int | None = None) -> None:
        """Select the rows of these entries; the one with id `current` (else the first) gets
        the keyboard's current row and is scrolled into view."""
        wanted = set(ids)
        table = self.table
        model = table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        rows = [row for row, entry in enumerate(self._entries) if entry.id in wanted]
        focus = next((r for r in rows if self._entries[r].id == current), rows[0] if rows else -1)
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
        """One selected call: its request, answer and verdict in the lower tabs."""
        selected = self.selected_entries()
        if len(selected) != 1:
            return
        entry = selected[0]
        if entry.id == self._shown_id:
            return
        self._shown_id = entry.id
        request, answer, verdict = call_texts(entry)
        self.request_view.setPlainText(request)
        self.answer_view.setPlainText(answer)
        self.verdict_view.setPlainText(verdict)
        when = _short_time(entry.started_at)
        source = entry.source + (f": {entry.scenario}" if entry.scenario else "")
        heading = ENTRY_HEADING.format(
            id=entry.id, time=when, target=entry.target_label, source=source
        )
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
        self._shown_id = None  # clicking the same call again shows it again
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
        self.refresh()
        self.history_cleared.emit()

    def wait_idle(self, msecs: int = 5000) -> bool:
        """Block until a running comparison is done (for closing the window)."""
        return self._runner.wait_for_done(msecs)
