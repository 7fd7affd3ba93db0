"""The test bench around the console view: the Sign-up page, the Walkthrough, Scenarios and
History as dock panels, every call recorded in the history, Copy as cURL and Export Okta
Config. The main window creates one `Workbench` and adds its actions to its menus.

Each dock's contents are built the first time it is shown, so start-up pays for none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from app.logic import okta
from app.views import settings as K
from app.views import strings as S
from app.views.calls import AUTO_RERUN

if TYPE_CHECKING:
    from app.logic.org import DemoOrg
    from app.logic.run.current import CurrentRun
    from app.logic.run.exchange import Exchange
    from app.logic.run.history import HistoryStore
    from app.views.calls import CallController
    from app.views.current_run import RunSignals
    from app.views.exchange_job import ExchangeJob
    from app.views.json_editor import JsonEditor
    from app.views.panels.history_panel import HistoryPanel
    from app.views.panels.scenarios_panel import ScenariosPanel
    from app.views.panels.signup_page import SignupPage
    from app.views.panels.walkthrough_panel import WalkthroughPanel
    from app.views.request_config import RequestConfigPanel
    from app.views.session import RequestSession
    from app.views.settings import SettingsBinder

#: dock object name -> (title, shortcut, where it docks)
DOCKS: dict[str, tuple[str, str, Qt.DockWidgetArea]] = {
    # Not Ctrl+U: a text field deletes its line with it on Linux (Qt's KDE and GNOME keys).
    "signupDock": (S.DOCK_SIGNUP, "F7", Qt.DockWidgetArea.RightDockWidgetArea),
    "walkthroughDock": (S.DOCK_WALKTHROUGH, "F8", Qt.DockWidgetArea.RightDockWidgetArea),
    "scenariosDock": (S.DOCK_SCENARIOS, "Ctrl+T", Qt.DockWidgetArea.RightDockWidgetArea),
    "historyDock": (S.DOCK_HISTORY, "Ctrl+H", Qt.DockWidgetArea.RightDockWidgetArea),
}


class WindowParts(Protocol):
    """What the workbench uses of the window besides its docks and status bar."""

    @property
    def org(self) -> DemoOrg: ...

    run: CurrentRun
    run_signals: RunSignals
    calls: CallController
    config: RequestConfigPanel
    session: RequestSession
    binder: SettingsBinder
    request_editor: JsonEditor


class Workbench(QObject):
    """Owns the dock panels and the history store of one main window: the docks go on
    `window` (any QMainWindow), the panels talk to the run and the blocks of `parts`."""

    def __init__(self, window: QMainWindow, parts: WindowParts) -> None:
        super().__init__(window)
        self.window = window
        self.parts = parts
        self._store: HistoryStore | None = None
        self._warned = False
        self._last_auto_id: int | None = None  # the history row of the last auto re-run
        self._sized = False
        self._zoom: tuple[float, float] | None = None
        self.docks: dict[str, QDockWidget] = {}
        self.signup: SignupPage | None = None
        self.walkthrough: WalkthroughPanel | None = None
        self.scenarios: ScenariosPanel | None = None
        self.history: HistoryPanel | None = None
        builders: dict[str, Callable[[], QWidget]] = {
            "signupDock": self._build_signup,
            "walkthroughDock": self._build_walkthrough,
            "scenariosDock": self._build_scenarios,
            "historyDock": self._build_history,
        }
        for name, (title, key, area) in DOCKS.items():
            dock = QDockWidget(title, window)
            dock.setObjectName(name)
            dock.hide()
            window.addDockWidget(area, dock)
            dock.visibilityChanged.connect(
                lambda visible, d=dock, b=builders[name]: self._shown(visible, d, b)
            )
            action = dock.toggleViewAction()
            action.setShortcut(QKeySequence(key))
            # A tabbed dock only becomes visible once raised: raise it when asked for.
            action.triggered.connect(lambda on, d=dock, b=builders[name]: self._asked_for(on, d, b))
            window.addAction(action)
            self.docks[name] = dock
        # One tabbed column beside the console, so the three blocks keep their height.
        first, *others = self.docks.values()
        for other in others:
            window.tabifyDockWidget(first, other)
        self.copy_curl_action = self._action(S.COPY_CURL, self.copy_as_curl, "Ctrl+Shift+C")
        self.export_config_action = self._action(S.EXPORT_OKTA_CONFIG, self.export_okta_config)
        self.history_action = self._action(S.KEEP_HISTORY, lambda _=False: None)
        self.history_action.setCheckable(True)
        self.history_action.setChecked(True)
        parts.calls.exchange_done.connect(self.on_exchange)
        parts.calls.job_started.connect(self._on_job_started)
        parts.run_signals.changed.connect(self._on_run_changed)
        #: The exchange the page last drew, so a redraw of the same run is not repeated.
        self._page_drew: Exchange | None = None
        parts.config.config_changed.connect(self._follow_config)
        parts.config.target_changed.connect(self._follow_config)
        parts.config.rules_changed.connect(self._follow_config)

    def _action(self, text: str, slot: Callable[..., Any], key: str = "") -> QAction:
        action = QAction(self.window, text=text)
        if key:
            action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    def view_actions(self) -> list[QAction]:
        """The dock toggles, for the View menu."""
        return [dock.toggleViewAction() for dock in self.docks.values()]

    def set_zoom_factor(self, factor: float, base_point_size: float) -> None:
        """The window's zoom reaches the person's page and the walkthrough (now or when built)."""
        self._zoom = (factor, base_point_size)
        for panel in (self.signup, self.walkthrough):
            if panel is not None:
                panel.set_zoom_factor(factor, base_point_size)

    def bind_settings(self) -> None:
        self.parts.binder.bind(
            K.HISTORY_ON, self.history_action.setChecked, self.history_action.toggled, bool
        )

    # --- the history ----------------------------------------------------------------------

    def store(self) -> HistoryStore:
        if self._store is None:
            from app.logic.run.history import open_default_store

            self._store = open_default_store(warn=self._warn)
        return self._store

    def _warn(self, message: str) -> None:
        if not self._warned:  # a damaged or locked database is said once, then left alone
            self._warned = True
            self.window.statusBar().showMessage(message, 15000)

    def on_exchange(self, exchange: Exchange, source: str = "window") -> None:
        """Every call the window makes goes into the history (the current run shows it).

        Automatic re-runs of the bundled target (one per pause in typing) keep one row: each
        takes the place of the one before while nothing else was recorded in between, so the
        list holds the settled result of each change, not every keystroke's."""
        if not self.history_action.isChecked():
            return
        replaces = self._last_auto_id if source == AUTO_RERUN else None
        if self.history is not None:
            entry_id = self.history.add_exchange(exchange, source, replaces=replaces)
        else:
            entry_id = self.store().record(exchange, source=source, replaces=replaces)
        self._last_auto_id = entry_id if source == AUTO_RERUN else None

    def _on_job_started(self, job: ExchangeJob) -> None:
        if self.walkthrough is not None:
            request_type = self.parts.run.request_type
            self.walkthrough.set_flow(request_type)
            label = getattr(job.target, "url", "") or job.label
            self.walkthrough.show_pending(job.text, label, job.timeout_s)

    def _on_run_changed(self, change: str) -> None:
        """A new current run (or what the person sees of it): every panel shows that one."""
        if change == "reading":
            reading = self.parts.run.reading
            for panel in (self.signup, self.history, self.scenarios):
                if panel is not None:
                    panel.set_reading(reading)
        if change == "stale":
            for shows_run in (self.signup, self.walkthrough):
                if shows_run is not None:
                    shows_run.set_stale(True)
        if change != "result":
            return
        run = self.parts.run
        exchange = run.exchange
        if exchange is None:
            return
        page = self.signup
        if page is not None and run.source != "signup page" and exchange is not self._page_drew:
            # Started elsewhere (block 3, a replay): the page draws it too, calling nothing
            # (its own calls it draws itself, then says what it showed through `exchange_ready`).
            self._page_drew = exchange
            if exchange.sent:
                run.set_outcome(exchange, page.show_exchange(exchange))
                return  # set_outcome says "result" again: the walkthrough draws then
        if self.walkthrough is not None:
            self.walkthrough.show_exchange(exchange, run.outcome)

    def close(self) -> None:
        if self.history is not None:
            self.history.wait_idle()
        if self.scenarios is not None:
            self.scenarios.cancel()
        if self._store is not None:
            self._store.close()

    # --- building the panels on first show --------------------------------------------------

    def _shown(self, visible: bool, dock: QDockWidget, build: Callable[[], QWidget]) -> None:
        if visible:
            self._fill(dock, build)

    def _asked_for(self, on: bool, dock: QDockWidget, build: Callable[[], QWidget]) -> None:
        if on:
            self._fill(dock, build)
            dock.raise_()

    def _fill(self, dock: QDockWidget, build: Callable[[], QWidget]) -> None:
        if dock.widget() is None:
            dock.setWidget(build())
            if not self._sized:
                # The first dock shown takes 45% of the width; later the person's choice stays.
                self._sized = True
                width = int(self.window.width() * 0.45)
                self.window.resizeDocks([dock], [width], Qt.Orientation.Horizontal)

    def _build_signup(self) -> QWidget:
        from app.views.panels.signup_page import SignupPage

        page = SignupPage(self.parts.org.schema)
        page.set_starter(self.parts.calls.start_for_page)
        page.set_reading(self.parts.run.reading)
        # The page drew its own call's answer: that is what the person sees of the current run.
        page.exchange_ready.connect(
            lambda ex: (
                self.parts.run.set_outcome(ex, page.outcome) if page.outcome is not None else None
            )
        )
        self.signup = page
        if self._zoom is not None:
            page.set_zoom_factor(*self._zoom)
        self._follow_config()
        return page

    def _build_walkthrough(self) -> QWidget:
        from app.views.panels.walkthrough_panel import WalkthroughPanel

        panel = WalkthroughPanel(flow=self.parts.config.request_type())
        self.walkthrough = panel
        if self._zoom is not None:
            panel.set_zoom_factor(*self._zoom)
        run = self.parts.run
        if run.exchange is not None and run.exchange.sent:
            panel.show_exchange(run.exchange, run.outcome)
        return panel

    def _build_scenarios(self) -> QWidget:
        from app.views.panels.scenarios_panel import ScenariosPanel

        panel = ScenariosPanel(
            lambda: self.parts.calls.target(quiet=True, base_as_typed=True),
            lambda: self.parts.run.exchange,
            self.parts.org,
            on_exchange=lambda ex, name: self.on_exchange(ex, "scenario"),
        )
        panel.set_reading(self.parts.run.reading)
        self.scenarios = panel
        return panel

    def _build_history(self) -> QWidget:
        from app.views.panels.history_panel import HistoryPanel

        panel = HistoryPanel(self.store(), self.parts.org.schema)
        panel.replay_requested.connect(self.replay)
        panel.curl_copied.connect(
            lambda _c: self.window.statusBar().showMessage(S.CURL_COPIED, 5000)
        )
        panel.curl_refused.connect(
            lambda reason: self.window.statusBar().showMessage(
                S.CURL_REFUSED.format(reason=reason), 8000
            )
        )
        panel.set_reading(self.parts.run.reading)
        self.history = panel
        return panel

    def show_okta_calls(self, calls: list[Any]) -> None:
        """Calls read from the org's System Log join the History panel (shown and raised)."""
        dock = self.docks["historyDock"]
        self._fill(dock, self._build_history)
        dock.show()
        dock.raise_()
        if self.history is not None:
            self.history.add_okta_calls(calls)

    def follow_org(self, org: DemoOrg) -> None:
        """Another org is open: the panels judge against its schema and show its users."""
        if self.signup is not None:
            self.signup.set_form(self.parts.config.form_fields(), org.schema)
        if self.history is not None:
            self.history.set_schema(org.schema)
        if self.scenarios is not None:
            self.scenarios.set_org(org)
        self._follow_config()

    def _follow_config(self, *_args: object) -> None:
        """The page shows the form of the request type and target block 1 describes."""
        page = self.signup
        if page is None:
            return
        config = self.parts.config
        # Block 1's form: the guide's policy for the target, or the fields the person chose.
        page.set_flow(config.request_type(), config.form_fields())
        page.set_user(config.user())
        if self.walkthrough is not None:
            self.walkthrough.set_flow(config.request_type())

    # --- replay, cURL, Okta config --------------------------------------------------------------

    def replay(self, text: str, target: object) -> None:
        """Send a history entry again: its request and target go into blocks 1 and 2 and the
        call starts as View Response's does, becoming the current run (its secrets stay the
        window's own: they were never recorded)."""
        self.parts.calls.replay(lambda: self._load_entry(text, target))

    def _load_entry(self, text: str, target: object) -> None:
        config = self.parts.config
        described = target if isinstance(target, dict) else {}
        if described.get("kind") == "bundled":
            endpoint = str(described.get("endpoint", ""))
            key = next((k for k, p in okta.ENDPOINTS.items() if p == endpoint), None)
            if key is not None:
                config.set_target(key)
            rules = described.get("rules") or {}
            if isinstance(rules.get("allowedDomain"), str):
                config.restore_domain(rules["allowedDomain"])
            if isinstance(rules.get("digits"), int):
                config.digits_spin.setValue(rules["digits"])
        elif described.get("kind") == "url" and isinstance(described.get("url"), str):
            config.set_target("remote")
            config.remote_panel.url_edit.setText(described["url"])
        self.parts.session.replay(text)

    def copy_as_curl(self) -> None:
        """The exact call as a cURL command; the auth value comes from $HOOK_AUTH. A bundled
        target is called where `reghook serve` runs it (the command says to start it)."""
        from app.logic.run.curl import CurlRefused, curl_for_target

        target = self.parts.calls.target(sending=False)
        if target is None:
            return
        body = self.parts.request_editor.text().encode("utf-8", errors="surrogatepass")
        try:
            command = curl_for_target(target, body)
        except CurlRefused as exc:
            self.window.statusBar().showMessage(S.CURL_REFUSED.format(reason=exc), 8000)
            return
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(command)
        self.last_curl = command
        copied = S.CURL_COPIED_BUNDLED if target.kind == "bundled" else S.CURL_COPIED
        self.window.statusBar().showMessage(copied, 5000)

    def export_okta_config(self) -> None:
        from app.views.okta_config_dialog import OktaConfigDialog

        dialog = OktaConfigDialog(self.window, self.parts.config, self.parts.request_editor)
        self.config_dialog = dialog
        dialog.show()
