"""The main window: the Admin Console's Preview tab on the desktop. It builds the menus, the
actions and the three blocks and wires them to what does the work: `session.py` (the request's
edit state), `files.py`, `calls.py` (View Response) and `settings.py` (what is remembered)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.logic.secret_store import SecretStore
from app.views import layout, prompts, zoom
from app.views import settings as K
from app.views import strings as S
from app.views.calls import AUTO_RERUN, CallController
from app.views.current_run import CurrentRun, RunSignals
from app.views.dialog_titles import TitleKeeper
from app.views.files import MAX_OPEN_BYTES, RequestFiles
from app.views.find_bar import FindActions
from app.views.focus_ring import FocusRing
from app.views.menus import build_actions, build_menus
from app.views.org_loader import OrgLoader
from app.views.presentation import Presentation
from app.views.reading import build_reading_menu
from app.views.remote_memory import RemoteMemory
from app.views.request_block import RequestBlock
from app.views.request_config import RequestConfigPanel
from app.views.response_panel import ResponsePanel
from app.views.session import RequestMode, RequestSession
from app.views.settings import Settings, SettingsBinder, within
from app.views.theme import THEME_MODES, apply_theme, current_mode
from app.views.workbench import Workbench
from app.views.workers import WorkerThreads

if TYPE_CHECKING:
    from app.logic.org import DemoOrg
    from app.logic.run.exchange import Exchange
    from app.views.okta_org_dialog import OktaOrgDialog

DEFAULT_SIZE = (1280, 800)
#: The smallest window whose every control stays usable (block 1 then scrolls).
MIN_SIZE = (800, 560)
#: Zoom steps scale fonts by this factor each (the JSON editor uses the same steps).
ZOOM_FACTOR = 1.12
MIN_ZOOM, MAX_ZOOM = -5, 15
#: A bundled re-run waits for a pause in typing this long (one run per word, not per key).
RERUN_DELAY_MS = 250


class MainWindow(QMainWindow):
    """The preview window on one org. Settings are read at start and written as things change."""

    #: A View Response finished showing something (a verdict, or why nothing was sent).
    response_shown = Signal()
    #: Generate Request (or Reset) put a new request in the editor.
    request_generated = Signal()

    def __init__(
        self, org: DemoOrg, settings: Settings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.org = org
        self.settings = settings if settings is not None else Settings()
        self.binder = SettingsBinder(self.settings)
        self.remote_memory = RemoteMemory(self.binder, SecretStore(), self)
        self._zoom = 0
        self._restored = False
        self._base_point_size = QApplication.font().pointSizeF()
        if self._base_point_size <= 0:
            self._base_point_size = 10.0
        self.setObjectName("mainWindow")

        self.config = RequestConfigPanel(org)
        self.request_block = RequestBlock()
        self.response_panel = ResponsePanel(org.schema)
        self.request_editor = self.request_block.editor
        self.response_editor = self.response_panel.response_editor
        self.verdict_view = self.response_panel.verdict_view
        self.response_editor.set_valid_text("Valid response")
        self.session = RequestSession(self.config, self.request_block, self)
        #: The one model of what feeds a call and which call every surface shows.
        self.run = CurrentRun(org, request_type=self.config.request_type())
        self.run_signals = RunSignals(self.run, self)
        self.calls = CallController(self.run, self.config, self.session, self.response_panel, self)
        self.files = RequestFiles(
            self.session, self.binder, self._secrets, self.response_panel.response_text, self
        )
        self.org_loader = OrgLoader(self.statusBar(), self)
        #: File > Connect to Okta Org…, built on first use.
        self.okta_org_dialog: OktaOrgDialog | None = None
        self._build_layout()
        self.menu_actions = build_actions(self, self, self.session, self.files, self.calls)
        self.workbench = Workbench(self, self)
        self.presentation = Presentation(self, self)
        reading = build_reading_menu(self, self.run, self.calls.reading_changed, self.binder)
        self.menu_actions.reading_actions = reading.actions
        build_menus(
            self.menuBar(),
            self,
            self.menu_actions,
            self.workbench,
            self.presentation.action,
            reading.menu,
        )
        app = QApplication.instance()
        if isinstance(app, QApplication):
            TitleKeeper.install(app)  # every dialog's title shown whole
        self.find_actions = FindActions(self, (self.request_editor, self.response_editor))
        self.find_actions.add_to_menu(self.menuBar(), "&Edit")
        self._bind_settings()
        self.workbench.bind_settings()
        # Before the restore: restoring a remote target builds the remote settings at once.
        self.config.remote_panel_created.connect(self.remote_memory.attach)
        self.binder.restore()
        self._restore_okta_target_later()
        self._connect()
        self._on_session_changed()
        if self.settings.persistent:
            self.statusBar().showMessage(S.STATUS_READY)
        else:
            # Said once, at start: every later change is kept in memory only.
            self.statusBar().showMessage(S.SETTINGS_NOT_KEPT.format(why=self.settings.problem))
        self._restored = True

    # --- building -----------------------------------------------------------------------

    def _build_layout(self) -> None:
        self.config_scroll = QScrollArea()
        self.config_scroll.setObjectName("configScroll")
        self.config_scroll.setWidgetResizable(True)
        self.config_scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Not a Tab stop of its own: its fields are (and focusing one scrolls it into view).
        self.config_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.config_scroll.setWidget(self.config)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        for index, (widget, stretch) in enumerate(
            ((self.config_scroll, 0), (self.request_block, 2), (self.response_panel, 3))
        ):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(index, stretch)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(8, 6, 8, 4)
        central_layout.addWidget(self.splitter)
        self.setCentralWidget(central)
        self.setMinimumSize(*MIN_SIZE)
        self.room = layout.RoomKeeper(
            self,
            self.config,
            self.config_scroll,
            self.response_panel,
            fit_config_pane=self.fit_config_pane,
            default_split=self.default_split,
        )
        self.focus_ring = FocusRing(self)

    def _connect(self) -> None:
        self.session.changed.connect(self._on_session_changed)
        self.session.generated.connect(self.request_generated)
        self.calls.response_shown.connect(self.response_shown)
        self.calls.busy_changed.connect(self._on_busy_changed)
        for source in (self.session, self.calls, self.files):
            source.message.connect(self.statusBar().showMessage)
        self.config.target_changed.connect(self._on_target_changed)
        self.org_loader.loaded.connect(self._on_org_loaded)
        self.org_loader.failed.connect(self._on_org_failed)
        self.org_loader.indexed.connect(self._on_org_indexed)
        self.request_editor.zoom_changed.connect(self.set_zoom)
        self.response_editor.zoom_changed.connect(self.set_zoom)
        # Whatever feeds the result: the shown answer is out of date, or (bundled) re-run.
        self._rerun_timer = QTimer(self)
        self._rerun_timer.setSingleShot(True)
        self._rerun_timer.setInterval(RERUN_DELAY_MS)
        self._rerun_timer.timeout.connect(self._rerun)
        # A call started by hand (a Replay loads blocks 1 and 2 first) already answers the
        # change a pending re-run was for: a second call would follow it.
        self.calls.job_started.connect(self._rerun_timer.stop)
        for changed in (
            self.config.config_changed,
            self.config.rules_changed,
            self.config.target_changed,
            self.request_editor.text_edited,
            self.session.generated,
        ):
            changed.connect(self._sync_run)
        self.run_signals.changed.connect(self._on_run_changed)

    # --- settings -----------------------------------------------------------------------

    def _bind_settings(self) -> None:
        """Every remembered value and the widget that shows it: restore and reset both read
        this one table (the remote settings join it when they are built)."""
        bind, config = self.binder.bind, self.config
        bind(K.GEOMETRY, self._restore_geometry)
        bind(K.WINDOW_STATE, lambda v: v and self.restoreState(QByteArray(v)))
        bind(K.MAIN_SPLITTER, self._restore_main_splitter)
        bind(
            K.RESPONSE_SPLITTER,
            lambda v: v and self.response_panel.splitter.restoreState(QByteArray(v)),
        )
        bind(K.TARGET, config.set_target, config.target_changed, str)
        first = self.org.users[0].login if self.org.users else ""
        bind(
            K.USER,
            lambda v: (v or first) and config.set_user(v or first),
            config.config_changed,
            lambda: user.login if (user := config.user()) is not None else None,
        )
        bind(K.REQUEST_TYPE, config.set_request_type, config.config_changed, config.request_type)
        bind(K.ALLOWED_DOMAIN, config.restore_domain, config.rules_changed, config.valid_domain)
        self.binder.bind_spin(K.DIGITS, config.digits_spin)
        bind(K.ZOOM, lambda v: self.set_zoom(within(int(v), MIN_ZOOM, MAX_ZOOM), store=False))
        bind(K.THEME, lambda v: self.set_theme(v if v in THEME_MODES else "system", store=False))
        rerun = self.menu_actions.auto_rerun_action
        bind(K.AUTO_RERUN, rerun.setChecked, rerun.toggled, bool)

    def _restore_geometry(self, geometry: bytes) -> None:
        if geometry and self.restoreGeometry(QByteArray(geometry)):
            return
        if self.isMaximized() or self.isFullScreen():
            self.showNormal()
        # First start (or after Reset): the default size, frame and all, on the screen.
        self.room.fit_on_screen(QSize(*DEFAULT_SIZE))

    def _restore_main_splitter(self, state: bytes) -> None:
        if state and self.splitter.restoreState(QByteArray(state)):
            return
        self.room.want_default_split()

    def default_split(self) -> None:
        """Share the height out as on first start (see `layout.default_sizes`)."""
        bars = self.menuBar().sizeHint().height() + self.statusBar().sizeHint().height()
        height = max(self.height() - bars - 10, 400)  # the splitter's, before it is laid out
        # Block 1 gets what its fields need, the request a dozen lines, the answer the rest.
        block1 = min(self._block1_height(), int(height * 0.3))
        self.splitter.setSizes(
            layout.default_sizes(
                self.request_block,
                self.request_editor.code_edit,
                self.response_panel,
                height,
                block1,
            )
        )
        width = max(self.width(), 900)
        self.response_panel.splitter.setSizes([int(width * 0.34), int(width * 0.66)])

    def _block1_height(self) -> int:
        return self.config.sizeHint().height() + 2 * self.config_scroll.frameWidth() + 4

    def save_window_state(self) -> None:
        """Write geometry, window state and splitter positions (also done on close)."""
        s = self.settings
        s.set(K.GEOMETRY, bytes(self.saveGeometry().data()))
        s.set(K.WINDOW_STATE, bytes(self.saveState().data()))
        s.set(K.MAIN_SPLITTER, bytes(self.splitter.saveState().data()))
        s.set(K.RESPONSE_SPLITTER, bytes(self.response_panel.splitter.saveState().data()))
        s.sync()

    def reset_to_defaults(self, *, confirm: bool = True) -> None:
        """Forget every remembered setting and put the window back as on first start."""
        if confirm and not prompts.ask(self, S.RESET_DEFAULTS_CONFIRM):
            return
        self.binder.reset()
        self.statusBar().showMessage(S.SETTINGS_RESET, 5000)

    # --- reactions ----------------------------------------------------------------------

    @property
    def mode(self) -> RequestMode:
        return self.session.mode

    @property
    def last_exchange(self) -> Exchange | None:
        return self.calls.last_exchange

    def has_unsaved_edits(self) -> bool:
        return self.session.has_unsaved_edits()

    def open_request_file(self, path: Path) -> bool:
        return self.files.open_request_file(path)

    # --- the org ------------------------------------------------------------------------

    def open_org(self) -> None:
        """File > Open Org…: a users file (and a schema), read off the GUI thread."""
        from app.views.org_loader import ask_org_files

        chosen = ask_org_files(self)
        if chosen is not None:
            self.load_org(*chosen)

    def open_okta_org(self) -> None:
        """File > Connect to Okta Org…: a live org's users, hooks and System Log (a dialog of
        its own, built on first use; it changes the run only through `set_org` and block 1)."""
        dialog = self._okta_org_dialog()
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def _restore_okta_target_later(self) -> None:
        """Block 1 called a hook through Okta when the window was closed: that target exists
        only once the org answers, so block 1 starts on the one it falls back to, and the
        org is asked after the first paint (on a worker); the status bar says how it went."""
        # (The dialog's module is not imported here: the first paint loads no dialog.)
        if self.settings.get(K.TARGET) != K.OKTA_TARGET or self.config.target() == K.OKTA_TARGET:
            return
        from app.views.org_loader import after_first_paint

        after_first_paint(self, self._restore_okta_target)

    def _restore_okta_target(self) -> None:
        from app.views.okta_org_dialog import TARGET_FELL_BACK

        hook_id = str(self.settings.get(K.ORG_TARGET_HOOK))
        hook_name = str(self.settings.get(K.ORG_TARGET_HOOK_NAME))
        fallback = self.config.target()

        def say(text: str) -> None:
            self.statusBar().showMessage(text, 20_000)

        if not hook_id or not self.settings.get(K.ORG_URL):
            say(
                TARGET_FELL_BACK.format(
                    name=hook_name or "a hook",
                    now=self.config.target_label(),
                    why="which org and hook it was is not remembered",
                )
            )
            return
        self._okta_org_dialog().restore_target(
            hook_id, hook_name, say, lambda: self.config.target() == fallback
        )

    def _okta_org_dialog(self) -> OktaOrgDialog:
        """The Okta Org dialog, built on first use (not shown)."""
        dialog = self.okta_org_dialog
        if dialog is None:
            from app.views.okta_org_dialog import OktaOrgDialog

            dialog = OktaOrgDialog(
                self.calls,
                self.set_org,
                self.use_remote_uri,
                self,
                settings=self.settings,
                offer_target=self.offer_target,
                show_logged=self.workbench.show_okta_calls,
            )
            self.okta_org_dialog = dialog
            # From now on an UNCONFIRMED rule in block 3 cites what a live org was seen doing.
            self.verdict_view.citation_for = dialog.citations.get
            dialog.citations_changed.connect(self.verdict_view.refresh_citations)
        return dialog

    def offer_target(self, key: str, label: str, policy_url: str, hint: str) -> None:
        """Block 1 offers another target (`calls` knows how to call it) and chooses it."""
        self.config.add_target(key, label, policy_url, hint)
        self.config.set_target(key)

    def use_remote_uri(self, uri: str, header: str) -> None:
        """Block 1's target becomes the remote hook at `uri`, its auth header named `header`
        (the value is typed there: an org never gives it out)."""
        self.config.set_target("remote")
        panel = self.config.remote_panel
        panel.url_edit.setText(uri)
        panel.auth_name_edit.setText(header)

    def load_org(self, users: Path, schema: Path | None = None) -> None:
        """Read the org in a worker; it replaces the current one when it is read."""
        self.org_loader.load(users, schema)

    def set_org(self, org: DemoOrg, label: str = "") -> None:
        """Show `org` in block 1 (the remembered user, else its first), judge answers against
        its schema, and name it `label` in every message ("the org in users.json")."""
        self.org = org
        remembered = self.settings.get(K.USER)
        label = label or S.DEMO_ORG
        self.config.set_org(org, remembered if isinstance(remembered, str) else None, label)
        self.run.set_org(org, label)
        self.verdict_view.schema = org.schema
        self.workbench.follow_org(org)

    def _on_org_loaded(self, org: DemoOrg, path: Path) -> None:
        from app.logic.org import default_users_file

        same = Path(path).resolve() == default_users_file().resolve()
        self.set_org(org, S.DEMO_ORG if same else S.ORG_LABEL.format(name=Path(path).name))

    def _on_org_failed(self, message: str) -> None:
        prompts.warn(self, S.ORG_NOT_OPENED.format(message=message))

    def _on_org_indexed(self, org: DemoOrg) -> None:
        if org is self.org:
            self.config.search_ready()

    def _on_session_changed(self) -> None:
        session = self.session
        editing, has_request = session.editing, session.has_request
        block = self.request_block
        block.edit_button.setEnabled(not editing)
        block.save_button.setEnabled(editing)
        block.reset_button.setEnabled(has_request)
        self.menu_actions.edit_action.setEnabled(not editing)
        self.menu_actions.save_edits_action.setEnabled(editing)
        self.menu_actions.reset_action.setEnabled(has_request)
        self.menu_actions.format_action.setEnabled(has_request)
        path = session.file_path
        self.setWindowFilePath(str(path) if path is not None else "")
        name = path.name if path is not None else S.UNTITLED
        self.setWindowTitle(f"{name}[*] — {S.APP_NAME}")
        self.setWindowModified(session.has_unsaved_edits())

    def _sync_run(self, *_args: object) -> None:
        """Block 1 and 2 as they stand now, into the run (which says stale if they moved)."""
        config, run = self.config, self.run
        # As typed (checked when a call is made): reading them must not load the bundled hook.
        rules = {"allowedDomain": config.domain_edit.text(), "digits": config.digits_spin.value()}
        kind = config.request_type()
        values = dict(run.form_values)
        values[kind] = dict(config.form())
        run.update(
            user=config.user(),
            request_type=kind,
            target=config.target(),
            rules=rules,
            form_values=values,
            request_text=self.request_editor.text(),
        )

    def _on_run_changed(self, change: str) -> None:
        from app.logic.run.current import INPUTS

        if change in INPUTS:
            self._on_input_changed()

    def _on_input_changed(self) -> None:
        panel = self.response_panel
        if not self._restored or not panel.has_result() or self.calls.busy:
            return
        bundled = not self.config.is_remote()
        if bundled and self.menu_actions.auto_rerun_action.isChecked() and not self.session.editing:
            self._rerun_timer.start()
        elif not panel.is_stale():
            panel.set_stale(True)

    def _rerun(self) -> None:
        if self.calls.busy or self.config.is_remote():
            return
        self.calls.view_response(source=AUTO_RERUN)

    def _on_busy_changed(self, busy: bool) -> None:
        self.menu_actions.view_action.setEnabled(not busy)
        self.menu_actions.cancel_action.setEnabled(busy)

    def _on_target_changed(self, _target: str) -> None:
        if self._restored:
            QTimer.singleShot(0, self.fit_config_pane)

    def fit_config_pane(self) -> None:
        """Give block 1 the height its contents need (the remote settings are taller), taking
        it from block 2 first, never more than half the window."""
        sizes = self.splitter.sizes()
        if len(sizes) != 3 or sum(sizes) <= 0:
            return
        extra = min(self._block1_height(), sum(sizes) // 2) - sizes[0]
        if extra <= 0:
            return
        min_block2, min_block3 = layout.block_minimums(self.request_block, self.response_panel)
        from_block2 = min(extra, max(0, sizes[1] - min_block2))
        from_block3 = min(extra - from_block2, max(0, sizes[2] - min_block3))
        self.splitter.setSizes(
            [sizes[0] + from_block2 + from_block3, sizes[1] - from_block2, sizes[2] - from_block3]
        )

    def _secrets(self) -> list[str]:
        """What a save must not write unasked: the remote settings' secrets and the URL's
        user:password, plus the OAuth access token the last call used."""
        found = list(self.config.remote_secrets())
        token = self.calls.access_token()
        if token:
            found.append(token)
        return found

    # --- view ---------------------------------------------------------------------------

    @property
    def zoom(self) -> int:
        return self._zoom

    def set_zoom(self, step: int, *, store: bool = True) -> None:
        """Zoom the whole window to `step` (0 = normal size); the level shows in the status bar."""
        try:
            step = max(MIN_ZOOM, min(MAX_ZOOM, int(step)))
        except (TypeError, ValueError, OverflowError):  # NaN, infinity, not a number
            step = 0
        changed = step != self._zoom
        self._zoom = step
        self.request_editor.set_zoom(step)
        self.response_editor.set_zoom(step)
        if changed:
            self.response_panel.set_zoom_factor(ZOOM_FACTOR**step, self._base_point_size)
            zoom.apply_window_zoom(
                self,
                ZOOM_FACTOR**step,
                self._base_point_size,
                config=self.config,
                titled_blocks=(self.request_block, self.response_panel),
                followers=(self.workbench.set_zoom_factor,),
            )
            if self._restored:
                QTimer.singleShot(0, self.fit_config_pane)
        elif not self._restored:
            # Opening at 100%: the blocks were built at that size; only the level is shown.
            zoom.show_zoom_level(self.statusBar(), ZOOM_FACTOR**step)
        if store:
            self.binder.store(K.ZOOM, step)

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom + 1)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom - 1)

    def reset_zoom(self) -> None:
        self.set_zoom(0)

    def set_theme(self, mode: str, *, store: bool = True) -> None:
        """Follow the system, or force light or dark, for the whole application."""
        if mode not in THEME_MODES:
            return
        self.menu_actions.theme_actions[mode].setChecked(True)
        app = QApplication.instance()
        if isinstance(app, QApplication) and (self._restored or current_mode(app) != mode):
            apply_theme(app, mode)
        if store:
            self.binder.store(K.THEME, mode)

    def theme(self) -> str:
        action = self.menu_actions.theme_group.checkedAction()
        return str(action.data()) if action is not None else "system"

    # --- help ---------------------------------------------------------------------------

    def show_about(self) -> None:
        from app.views.about import AboutDialog

        AboutDialog(self).exec()

    def show_guide(self) -> None:
        from app.views.about import GuideDialog

        dialog = getattr(self, "_guide", None)
        if dialog is None:
            dialog = GuideDialog(self)
            self._guide = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    # --- plumbing -----------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        palette_events = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if event.type() in palette_events and self._restored:
            self.session.show_state()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.has_unsaved_edits() and not prompts.ask(self, S.QUIT_UNSAVED):
            event.ignore()
            return
        self._shut_down()
        event.accept()

    def close_without_asking(self) -> None:
        """Close at once (Ctrl+C in the terminal): layout kept, unsaved edits not asked about."""
        self._shut_down()
        self.hide()
        self.deleteLater()

    def _shut_down(self) -> None:
        self.presentation.leave()  # never kept: the next start is not full screen
        self.save_window_state()
        self.remote_memory.flush()
        self.workbench.close()
        self.org_loader.wait_for_done(0)
        self.calls.cancel_call()
        self.calls.wait_for_done(5000)

    def warm_up(self) -> None:
        """Import the engine off the GUI thread after the first paint (faster first click)."""

        def load() -> None:
            import app.logic.run.pipeline
            import app.logic.targets
            import app.logic.validation as validation
            import app.logic.verdict  # noqa: F401

            validation.validate_request("{}")

        WorkerThreads("warm-up").start(load)


__all__ = ["MAX_OPEN_BYTES", "MainWindow", "RequestMode"]
