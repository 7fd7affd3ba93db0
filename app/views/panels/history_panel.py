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
  or ``{"kind": "url", "url": ..., "authHeader": ...}``; secrets were never stored, so the
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

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
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
BODY_TAB = "Answer body"
VERDICT_TAB = "Verdict"
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
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.body_diff = DiffPane()
        self.verdict_diff = DiffPane()
        self.tabs = QTabWidget()
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
        actions = QHBoxLayout()
        for button in (self.replay_button, self.curl_button, self.diff_button):
            actions.addWidget(button)
        actions.addWidget(self.compare_button)
        actions.addStretch(1)
        actions.addWidget(self.clear_button)
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

    def _update_buttons(self) -> None:
        count = len(self.selected_entries())
        self.replay_button.setEnabled(count == 1)
        self.curl_button.setEnabled(count == 1)
        self.diff_button.setEnabled(count == 2)
        self.compare_button.setEnabled(count == 1 and not self._runner.busy)
        self.clear_button.setEnabled(bool(self._entries))

    # --- the list ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the list again with the current filters (newest first)."""
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

    def add_exchange(self, exchange: Exchange, source: str = "window") -> int | None:
        """Record `exchange` in the store and show it."""
        entry_id = self.store.record(exchange, source=source)
        self.refresh()
        return entry_id

    def entries(self) -> list[HistoryEntry]:
        return list(self._entries)

    def selected_entries(self) -> list[HistoryEntry]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self._entries[row] for row in rows if row < len(self._entries)]

    def select_ids(self, ids: Iterable[int]) -> None:
        wanted = set(ids)
        self.table.clearSelection()
        model = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row, entry in enumerate(self._entries):
            if entry.id in wanted:
                model.select(self.table.model().index(row, 0), flags)

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
        self._show_diff(diff_exchanges(older, newer))

    def compare_selected(self) -> None:
        """Run the selected call's request through the matching bundled endpoint, then diff."""
        from app.logic.run.diff import compare_with_bundled

        selected = self.selected_entries()
        if len(selected) != 1 or self._runner.busy:
            return
        entry, schema, reading = selected[0], self._schema, self._reading
        self.diff_summary.setText(COMPARING)
        self._runner.start(lambda: compare_with_bundled(entry, schema=schema, reading=reading)[1])
        self._update_buttons()

    def _on_compared(self, diff: ExchangeDiff) -> None:
        self._show_diff(diff)

    def _on_compare_failed(self, message: str) -> None:
        self.diff_summary.setText(message)

    def _show_diff(self, diff: ExchangeDiff) -> None:
        self.last_diff = diff
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
