"""The Scenarios panel: open a folder of scenario files, run one or all, see pass / fail and the
difference of a failure, and save the current request with its verdict as a new scenario.

Standalone; the main window embeds it. Constructor::

    ScenariosPanel(
        current_target: Callable[[], Target | None],      # the window's target at run time
        current_exchange: Callable[[], Exchange | None] = lambda: None,  # for "Save as scenario"
        org: DemoOrg | None = None,                        # users for "generate" (demo org)
        on_exchange: Callable[[Exchange, str], None] | None = None,  # e.g. record in history
        parent: QWidget | None = None,
    )

Signals:

- ``run_started()``; ``run_finished(int passed, int failed)`` on the GUI thread when a run ends
  (``run_failed(str)`` if the run itself broke, which a bug would cause, never a hook);
- ``folder_loaded(str folder, int scenarios)`` and ``load_failed(str message)`` (one line per
  invalid file, as `reghook check` prints);
- ``scenario_saved(str path)`` after "Save Current as Scenario…".

Public methods: ``open_folder(path)`` (reads on a worker thread: wait for ``folder_loaded``),
``run_all()``, ``run_selected()``, ``cancel()``, ``results()`` (the last run's
`ScenarioResult`s), ``save_current(path, name)``. Runs go through
`app.logic.run.runner.run_scenarios` on a `TaskRunner` pool thread; the GUI thread never waits.
``on_exchange`` is called on the GUI thread for each exchange of a finished run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.views.flow_layout import FlowLayout
from app.views.workers import TaskRunner

if TYPE_CHECKING:
    from app.logic.org import DemoOrg
    from app.logic.run.exchange import Exchange
    from app.logic.run.runner import ScenarioResult
    from app.logic.run.scenarios import Scenario, ScenarioError
    from app.logic.targets.base import Target
    from app.views.save_scenario_dialog import SaveScenarioDialog

# --- the words this panel shows ----------------------------------------------------------------
TITLE = "Scenarios"
# No Alt letters: the dock is part of the window, whose menus and blocks use them all.
OPEN_FOLDER = "Open Folder…"
RUN_ALL = "Run All"
RUN_SELECTED = "Run Selected"
CANCEL = "Cancel"
SAVE_CURRENT = "Save Current as Scenario…"
TARGET_CURRENT = "Against the current target"
TARGET_OWN = "Against each scenario's own target"
COLUMNS = ("Result", "Name", "File", "First difference")
NOT_RUN = "—"
PASS = "PASS"
FAIL = "FAIL"
NO_FOLDER = "Open a folder of scenario files (*.json, searched in subfolders too)."
LOADING = "Reading the scenarios in {folder}…"
LOADED = "{count} scenarios in {folder}"
INVALID = "{count} file(s) could not be read:"
RUNNING = "Running {count} scenarios…"
SUMMARY = "{passed} passed, {failed} failed"
NO_TARGET = "There is no current target to run against."
RUN_LEFT_ALONE = " (shown here only: block 3 keeps the current run)"
NO_EXCHANGE = "Send a request first: the scenario saves the request and the verdict it got."
FILE_FILTER = "Scenario files (*.json)"
#: Rows whose text sizes the columns (Qt measures every row by default).
SIZE_FROM_ROWS = 200
PASS_COLOR = QColor("#1b7f3b")
FAIL_COLOR = QColor("#b3261e")


class ScenariosPanel(QWidget):
    """A folder of scenarios with a pass/fail table. See the module docstring for its API."""

    run_started = Signal()
    run_finished = Signal(int, int)
    run_failed = Signal(str)
    folder_loaded = Signal(str, int)
    load_failed = Signal(str)
    scenario_saved = Signal(str)

    def __init__(
        self,
        current_target: Callable[[], Target | None],
        current_exchange: Callable[[], Exchange | None] = lambda: None,
        org: DemoOrg | None = None,
        on_exchange: Callable[[Exchange, str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._current_target = current_target
        self._current_exchange = current_exchange
        self._org = org
        self._on_exchange = on_exchange
        self._reading = "strict"
        self._scenarios: list[Scenario] = []
        self._results: dict[int, ScenarioResult] = {}
        self._running_rows: list[int] = []
        self._cancel: Any = None
        self.folder: Path | None = None
        #: Save Current as Scenario's dialog while it is open.
        self.save_dialog: SaveScenarioDialog | None = None
        self._runner = TaskRunner(self)
        self._runner.succeeded.connect(self._on_run_done)
        self._runner.failed.connect(self._on_run_failed)
        self._runner.finished.connect(self._on_run_over)
        self._loader = TaskRunner(self)
        self._loader.succeeded.connect(self._on_loaded)
        self._loader.failed.connect(self._on_load_failed)
        self._build()

    # --- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.open_button = QPushButton(OPEN_FOLDER)
        self.run_all_button = QPushButton(RUN_ALL)
        self.run_selected_button = QPushButton(RUN_SELECTED)
        self.cancel_button = QPushButton(CANCEL)
        self.save_button = QPushButton(SAVE_CURRENT)
        self.target_mode = QComboBox()
        self.target_mode.addItems([TARGET_CURRENT, TARGET_OWN])
        self.target_mode.setAccessibleName("Run scenarios against")
        self.status = QLabel(NO_FOLDER)
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
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setAccessibleName("Scenario difference")

        # One row when the dock is wide, more when it is narrow: never a button cut off.
        buttons = FlowLayout()
        for widget in (
            self.open_button,
            self.run_all_button,
            self.run_selected_button,
            self.cancel_button,
            self.target_mode,
            self.save_button,
        ):
            buttons.addWidget(widget)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)

        self.open_button.clicked.connect(self._choose_folder)
        self.run_all_button.clicked.connect(self.run_all)
        self.run_selected_button.clicked.connect(self.run_selected)
        self.cancel_button.clicked.connect(self.cancel)
        self.save_button.clicked.connect(self._choose_save)
        self.table.itemSelectionChanged.connect(self._show_detail)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self._runner.busy or self._loader.busy
        has = bool(self._scenarios)
        self.open_button.setEnabled(not busy)
        self.run_all_button.setEnabled(has and not busy)
        self.run_selected_button.setEnabled(has and not busy and bool(self._selected_rows()))
        self.cancel_button.setEnabled(busy)

    # --- loading ----------------------------------------------------------------------------

    def _choose_folder(self) -> None:
        start = str(self.folder) if self.folder else ""
        folder = QFileDialog.getExistingDirectory(self, OPEN_FOLDER.replace("&", ""), start)
        if folder:
            self.open_folder(folder)

    def open_folder(self, folder: str | Path) -> None:
        """Load every scenario under `folder` on a worker thread (a folder of thousands, or one
        big file, must not stop the window); `folder_loaded` says when the table is filled.
        Invalid files are listed, the rest still load."""
        from app.logic.run.scenarios import load_paths

        self.folder = Path(folder)
        where, org = self.folder, self._org
        self.status.setText(LOADING.format(folder=where))
        self._loader.start(lambda: load_paths([where], org))
        self._update_buttons()

    def _on_loaded(self, loaded: tuple[list[Scenario], list[ScenarioError]]) -> None:
        scenarios, errors = loaded
        self._scenarios = scenarios
        self._results = {}
        self._fill_table()
        lines = [LOADED.format(count=len(scenarios), folder=self.folder)]
        if errors:
            lines.append(INVALID.format(count=len(errors)))
            lines += [error.format() for error in errors]
            self.load_failed.emit("\n".join(error.format() for error in errors))
        self.status.setText("\n".join(lines))
        self.detail.clear()
        self._update_buttons()
        self.folder_loaded.emit(str(self.folder), len(scenarios))

    def _on_load_failed(self, message: str) -> None:
        self.status.setText(f"{self.folder}: {message}")
        self.load_failed.emit(message)
        self._update_buttons()

    def _fill_table(self) -> None:
        table = self.table
        table.setUpdatesEnabled(False)  # one repaint for the whole table, not one per item
        try:
            table.setRowCount(len(self._scenarios))
            for row, scenario in enumerate(self._scenarios):
                self._set_row(row, scenario, None)
            # Sized from the first rows: measuring thousands of rows' text costs seconds.
            table.horizontalHeader().setResizeContentsPrecision(SIZE_FROM_ROWS)
            table.resizeColumnsToContents()
        finally:
            table.setUpdatesEnabled(True)

    def _set_row(self, row: int, scenario: Scenario, result: ScenarioResult | None) -> None:
        if result is None:
            texts = (NOT_RUN, scenario.name, scenario.label, "")
        else:
            word = PASS if result.passed else FAIL
            texts = (word, scenario.name, scenario.label, result.difference)
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if column == 0 and result is not None:
                color = PASS_COLOR if result.passed else FAIL_COLOR
                item.setForeground(QBrush(color))
            self.table.setItem(row, column, item)

    # --- running ----------------------------------------------------------------------------

    def _selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.table.selectionModel().selectedRows()})

    def run_all(self) -> None:
        self._run(list(range(len(self._scenarios))))

    def run_selected(self) -> None:
        rows = self._selected_rows()
        if rows:
            self._run(rows)

    def _target_chooser(self) -> Callable[[Scenario], Target] | None:
        from app.logic.run.runner import TargetChooser

        if self.target_mode.currentText() == TARGET_OWN:
            current = self._current_target()
            own = TargetChooser()

            def chooser(scenario: Scenario) -> Target:
                if scenario.target or current is None:
                    return own(scenario)
                return current

            return chooser
        target = self._current_target()
        if target is None:
            return None
        from app.logic.targets.base import is_base_url

        if is_base_url(getattr(target, "address", "") or ""):
            # A service's base URL: each scenario goes to its own endpoint's path on it, as
            # `reghook check --url` does, so one address serves the guide's three endpoints.
            return TargetChooser(url_target=target)
        return lambda _scenario: target

    def _run(self, rows: Sequence[int]) -> None:
        from app.logic.remote import CancelToken
        from app.logic.run.runner import run_scenarios

        if self._runner.busy or not rows:
            return
        chooser = self._target_chooser()
        if chooser is None:
            self.status.setText(NO_TARGET)
            return
        chosen = [self._scenarios[row] for row in rows]
        schema = self._org.schema if self._org is not None else None
        self._running_rows = list(rows)
        self._cancel = CancelToken()
        cancel = self._cancel

        reading = self._reading

        def work() -> list[ScenarioResult]:
            return run_scenarios(chosen, chooser, schema=schema, cancel=cancel, reading=reading)

        self.status.setText(RUNNING.format(count=len(chosen)))
        self._runner.start(work, cancel)
        self._update_buttons()
        self.run_started.emit()

    def cancel(self) -> None:
        self._runner.cancel()

    def set_org(self, org: DemoOrg | None) -> None:
        """The org whose users `generate` scenarios use and whose schema judges answers."""
        self._org = org

    def set_reading(self, reading: str) -> None:
        """How the verdicts read Okta's undocumented rules (View's choice)."""
        self._reading = reading

    def _on_run_done(self, results: list[ScenarioResult]) -> None:
        for row, result in zip(self._running_rows, results, strict=False):
            self._results[row] = result
            self._set_row(row, result.scenario, result)
            if self._on_exchange is not None and result.exchange is not None:
                self._on_exchange(result.exchange, result.scenario.name)
        passed = sum(1 for r in results if r.passed)
        failed = len(results) - passed
        self.status.setText(SUMMARY.format(passed=passed, failed=failed) + RUN_LEFT_ALONE)
        self._show_detail()
        self.run_finished.emit(passed, failed)

    def _on_run_failed(self, message: str) -> None:
        self.status.setText(message)
        self.run_failed.emit(message)

    def _on_run_over(self) -> None:
        self._update_buttons()

    def results(self) -> list[ScenarioResult]:
        """The latest result of each scenario that has run, in table order."""
        return [self._results[row] for row in sorted(self._results)]

    # --- the difference ---------------------------------------------------------------------

    def _show_detail(self) -> None:
        self._update_buttons()
        rows = self._selected_rows()
        if len(rows) != 1:
            return
        row = rows[0]
        scenario = self._scenarios[row]
        self.detail.setPlainText(detail_text(scenario, self._results.get(row)))

    # --- saving -----------------------------------------------------------------------------

    def _choose_save(self) -> None:
        """One dialog for the name (prefilled from the call) and the file."""
        from app.views.save_scenario_dialog import SaveScenarioDialog, suggested_name

        exchange = self._current_exchange()
        if exchange is None or exchange.verdict is None:
            self.status.setText(NO_EXCHANGE)
            return
        name = suggested_name(exchange.request, exchange.verdict.outcome.value)
        dialog = SaveScenarioDialog(name, self.folder or Path.home(), self)
        dialog.accepted.connect(lambda: self.save_current(dialog.path(), dialog.name()))
        dialog.finished.connect(dialog.deleteLater)
        self.save_dialog = dialog
        dialog.open()

    def save_current(self, path: str | Path, name: str) -> Path | None:
        """Write the current request and its verdict (outcome and messages) as a scenario."""
        from app.logic.jsontext import dumps
        from app.logic.run.scenarios import scenario_to_json

        exchange = self._current_exchange()
        if exchange is None or exchange.verdict is None:
            self.status.setText(NO_EXCHANGE)
            return None
        exchange = exchange.redacted()  # never a secret the hook echoed into its messages
        endpoint = exchange.target.get("endpoint") or (
            exchange.url if exchange.url.startswith(("http://", "https://")) else None
        )
        verdict = exchange.verdict
        if verdict is None:  # (redacting keeps the verdict; this tells the type checker)
            return None
        scenario = scenario_to_json(name, exchange.request, verdict.to_json(), endpoint)
        target = Path(path)
        if target.suffix.lower() != ".json":
            target = target.with_suffix(".json")
        try:
            target.write_text(dumps(scenario) + "\n", encoding="utf-8")
        except OSError as exc:
            self.status.setText(f"{target}: {exc.strerror or exc}")
            return None
        self.status.setText(f"Saved {target}")
        self.scenario_saved.emit(str(target))
        if self.folder is not None and self.folder in target.parents:
            self.open_folder(self.folder)
        return target


def detail_text(scenario: Scenario, result: ScenarioResult | None) -> str:
    """What the lower pane shows for one scenario: the difference, the expectation, and what
    the verdict said."""
    from app.logic.jsontext import dumps

    lines = [scenario.name, scenario.label]
    if scenario.description:
        lines.append(scenario.description)
    lines.append("")
    if result is None:
        lines.append("Not run yet.")
    elif result.passed:
        lines.append(f"PASS against {result.target_label} in {result.elapsed_ms:.1f} ms")
    else:
        lines.append(f"FAIL against {result.target_label}: {result.difference}")
    lines += ["", "Expected (a subset of the verdict):", dumps(scenario.expect)]
    verdict = result.verdict_json if result is not None else None
    if verdict is not None:
        shown = {k: verdict[k] for k in ("outcome", "hook_failed", "headline", "messages")}
        lines += ["", "Verdict:", dumps(shown)]
    return "\n".join(lines)
