"""The main window: the Admin Console's Preview tab on the desktop (configure, preview the
request, view the response and Okta's verdict), its menus, and `run_app` that opens it."""

from __future__ import annotations

import enum
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.views import settings as K
from app.views import strings as S
from app.views.json_editor import JsonEditor
from app.views.plain_text import plain_label
from app.views.request_config import (
    BUNDLED_TARGETS,
    RequestConfigPanel,
    emphasise_title,
)
from app.views.response_panel import ResponsePanel
from app.views.settings import Settings
from app.views.theme import THEME_LABELS, THEME_MODES, apply_theme, current_mode, status_colors
from app.views.workers import TaskRunner

if TYPE_CHECKING:
    from app.logic.answer import HookAnswer
    from app.logic.org import DemoOrg
    from app.logic.run.exchange import Exchange
    from app.logic.validation import Problem, ValidationResult
    from app.logic.verdict import Verdict
    from app.views.request_config import RemoteTargetPanel

DEFAULT_SIZE = (1280, 800)
WARM_UP_DELAY_MS = 400
#: Zoom steps scale fonts by this factor each (the JSON editor uses the same steps).
ZOOM_FACTOR = 1.12
MIN_ZOOM, MAX_ZOOM = -5, 15
#: Secrets shorter than this are not searched for when saving: a short value ("com", "1")
#: matches ordinary JSON, and replacing it would damage the file rather than protect anything.
MIN_SECRET_LENGTH = 8
#: Open Request refuses bigger files: a hook request is a few KB, and the editor (validation,
#: highlighting) is built for documents up to a few MB; 9 MB froze the window for seconds.
MAX_OPEN_BYTES = 5 * 1024 * 1024


class RequestMode(enum.Enum):
    """Where the request text in block 2 stands (the console's Edit / Save / Reset)."""

    EMPTY = "empty"
    GENERATED = "generated"
    EDITING = "editing"
    SAVED = "saved"
    OPENED = "opened"


def _validate_request_text(text: str) -> ValidationResult:
    from app.logic.validation import validate_request

    return validate_request(text)


def _validate_response_text(text: str) -> ValidationResult:
    from app.logic.validation import validate_response

    return validate_response(text)


def _within(value: Any, low: float, high: float) -> Any:
    """`value` when it lies in low..high; a ValueError otherwise (a stored value outside its
    widget's range did not come from the window: it is treated as unreadable, not clamped)."""
    if not low <= value <= high:
        raise ValueError(f"{value!r} is outside {low}..{high}")
    return value


def _too_big(name: str, size: int) -> str:
    from app.views.response_panel import format_size

    return S.OPEN_TOO_BIG.format(
        name=name, size=format_size(size), limit=format_size(MAX_OPEN_BYTES)
    )


def _refusal(name: str, info: os.stat_result) -> str:
    """Why a file with this stat() cannot be opened as a request ("" when it can)."""
    mode = info.st_mode
    if not stat.S_ISREG(mode):
        if stat.S_ISDIR(mode):
            kind = "it is a folder"
        elif stat.S_ISFIFO(mode):
            kind = "it is a named pipe"
        elif stat.S_ISSOCK(mode):
            kind = "it is a socket"
        elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            kind = "it is a device"
        else:
            kind = "it is a special file"
        return S.OPEN_NOT_REGULAR.format(name=name, kind=kind)
    if info.st_size > MAX_OPEN_BYTES:
        return _too_big(name, info.st_size)
    return ""


def _where(problem: Problem, *, snippet: bool = True) -> str:
    """A parse problem as a person reads it: "Line 3, column 7: Expecting ','"."""
    text = f"Line {problem.line}, column {problem.column}: {problem.message}"
    if snippet and problem.snippet:
        text += f"\n\n{problem.snippet}"
    return text


class RequestBlock(QGroupBox):
    """Block 2: Generate Request, Edit / Save / Reset, and the request's JSON editor."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(S.BLOCK2_TITLE, parent)
        self.setObjectName("block2")
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.generate_button = QPushButton(S.GENERATE)
        self.generate_button.setObjectName("generateRequest")
        self.generate_button.setToolTip("Build the request Okta would send (Ctrl+G)")
        self.edit_button = QPushButton(S.EDIT)
        self.edit_button.setObjectName("editRequest")
        self.save_button = QPushButton(S.SAVE)
        self.save_button.setObjectName("saveRequest")
        self.reset_button = QPushButton(S.RESET)
        self.reset_button.setObjectName("resetRequest")
        # Shows a file's name, a user's name from the users file, a JSON parse message.
        self.state_label = plain_label(S.STATE_EMPTY)
        self.state_label.setObjectName("requestState")
        self.state_label.setWordWrap(True)
        bar.addWidget(self.generate_button)
        bar.addSpacing(12)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.save_button)
        bar.addWidget(self.reset_button)
        bar.addSpacing(12)
        bar.addWidget(self.state_label, 1)
        layout.addLayout(bar)
        self.editor = JsonEditor(valid_text="Valid request")
        self.editor.setObjectName("requestEditor")
        self.editor.code_edit.setPlaceholderText(S.REQUEST_PLACEHOLDER)
        self.editor.set_read_only(True)
        layout.addWidget(self.editor, 1)
        emphasise_title(self)

    def set_state(self, text: str, *, tone: str = "plain") -> None:
        """The line beside the buttons; tone "bad" draws it in the denied colour."""
        self.state_label.setText(text)
        if tone == "bad":
            color = status_colors(self.palette()).denied
            self.state_label.setStyleSheet(f"color: {color};")
        elif tone == "warn":
            color = status_colors(self.palette()).warning
            self.state_label.setStyleSheet(f"color: {color};")
        else:
            self.state_label.setStyleSheet("")


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
        self.mode = RequestMode.EMPTY
        self._baseline = ""  # text that is safe to drop: generated, opened or saved to a file
        self._file_path: Path | None = None
        self._zoom = 0
        self._stale = False
        self._syncing = False
        self._last_exchange: Exchange | None = None
        self._restored = False
        self._base_point_size = QApplication.font().pointSizeF()
        if self._base_point_size <= 0:
            self._base_point_size = 10.0

        self.setWindowTitle(f"{S.APP_NAME}[*]")
        self.setObjectName("mainWindow")
        self.runner = TaskRunner(self)

        self.config = RequestConfigPanel(org)
        self.config.remote_panel_created.connect(self._on_remote_panel_created)
        self.request_block = RequestBlock()
        self.response_panel = ResponsePanel(org.schema)
        self.request_editor = self.request_block.editor
        self.response_editor = self.response_panel.response_editor
        self.verdict_view = self.response_panel.verdict_view
        self.response_editor.set_valid_text("Valid response")

        self.config_scroll = QScrollArea()
        self.config_scroll.setObjectName("configScroll")
        self.config_scroll.setWidgetResizable(True)
        self.config_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.config_scroll.setWidget(self.config)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.config_scroll)
        self.splitter.addWidget(self.request_block)
        self.splitter.addWidget(self.response_panel)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setStretchFactor(2, 3)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(8, 6, 8, 4)
        central_layout.addWidget(self.splitter)
        self.setCentralWidget(central)
        self.setMinimumSize(860, 560)

        self._build_actions()
        self._build_menus()
        self._restore_settings()
        self._connect()
        self._update_request_buttons()
        if self.settings.persistent:
            self.statusBar().showMessage(
                "Ready: choose a user and press Generate Request (Ctrl+G)."
            )
        else:
            # Said once, at start: every later change is kept in memory only.
            self.statusBar().showMessage(S.SETTINGS_NOT_KEPT.format(why=self.settings.problem))
        self._restored = True

    # --- building -----------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Any,
        shortcuts: Sequence[QKeySequence | QKeySequence.StandardKey | str] = (),
        tip: str = "",
        name: str = "",
    ) -> QAction:
        # The text as a keyword: QAction(text, parent) makes PySide load QIcon (its other
        # overload) while the window opens, for actions that have no icon.
        action = QAction(self, text=text)
        keys: list[QKeySequence] = []
        for key in shortcuts:
            sequence = key if isinstance(key, QKeySequence) else QKeySequence(key)
            # A standard key may equal one given explicitly: twice would be ambiguous.
            if not sequence.isEmpty() and sequence not in keys:
                keys.append(sequence)
        if keys:
            action.setShortcuts(keys)
        if tip:
            action.setStatusTip(tip)
        if name:
            action.setObjectName(name)
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even while the menu bar is hidden
        return action

    def _build_actions(self) -> None:
        SK = QKeySequence.StandardKey
        self.open_action = self._action(
            "&Open Request…", self.open_request, [SK.Open], "Open a request JSON file", "open"
        )
        self.save_request_action = self._action(
            "&Save Request…", self.save_request, [SK.Save], "Save the request JSON", "saveRequest"
        )
        self.save_response_action = self._action(
            "Save Res&ponse…", self.save_response, ["Ctrl+Shift+S"], "Save the response JSON"
        )
        self.quit_action = self._action("&Quit", self.close, ["Ctrl+Q"], "Quit", "quit")

        self.undo_action = self._action("&Undo", lambda: self._edit_command("undo"), [SK.Undo])
        self.redo_action = self._action("&Redo", lambda: self._edit_command("redo"), [SK.Redo])
        self.cut_action = self._action("Cu&t", lambda: self._edit_command("cut"), [SK.Cut])
        self.copy_action = self._action("&Copy", lambda: self._edit_command("copy"), [SK.Copy])
        self.paste_action = self._action("&Paste", lambda: self._edit_command("paste"), [SK.Paste])
        self.select_all_action = self._action(
            "Select &All", lambda: self._edit_command("selectAll"), [SK.SelectAll]
        )
        self.format_action = self._action(
            "&Format JSON",
            self.format_request,
            ["Ctrl+Shift+F"],
            "Pretty-print the request (2-space indents)",
            "format",
        )

        self.generate_action = self._action(
            "&Generate Request", self.generate_request, ["Ctrl+G"], name="generate"
        )
        self.edit_action = self._action("&Edit Request", self.edit_request, ["Ctrl+E"])
        self.save_edits_action = self._action(
            "Sa&ve Edits", self.save_edits, ["Ctrl+Shift+Return"], name="saveEdits"
        )
        self.reset_action = self._action("&Reset Request", self.reset_request, name="reset")
        self.view_action = self._action(
            "&View Response",
            self.view_response,
            ["Ctrl+Return", "Ctrl+Enter"],
            "Send the request to the chosen hook",
            "viewResponse",
        )
        self.cancel_action = self._action(
            "&Cancel Call", self.cancel_call, ["Esc"], "Stop waiting for the hook", "cancel"
        )
        self.cancel_action.setEnabled(False)

        self.zoom_in_action = self._action(
            "Zoom &In", self.zoom_in, ["Ctrl+=", SK.ZoomIn], name="zoomIn"
        )
        self.zoom_out_action = self._action(
            "Zoom &Out", self.zoom_out, ["Ctrl+-", SK.ZoomOut], name="zoomOut"
        )
        self.zoom_reset_action = self._action(
            "&Actual Size", self.reset_zoom, ["Ctrl+0"], name="zoomReset"
        )
        self.theme_group = QActionGroup(self)
        self.theme_group.setExclusive(True)
        self.theme_actions: dict[str, QAction] = {}
        mnemonic_labels = {"system": "Follow &System", "light": "&Light", "dark": "&Dark"}
        for mode in THEME_MODES:
            action = QAction(self, text=mnemonic_labels.get(mode, THEME_LABELS[mode]))
            action.setCheckable(True)
            action.setData(mode)
            action.setObjectName(f"theme_{mode}")
            self.theme_group.addAction(action)
            self.theme_actions[mode] = action
        self.theme_group.triggered.connect(lambda a: self.set_theme(str(a.data())))
        self.reset_defaults_action = self._action(
            "Reset to &Defaults…", self.reset_to_defaults, name="resetDefaults"
        )
        self.guide_action = self._action(
            "The &Guide", self.show_guide, [SK.HelpContents], name="guide"
        )
        self.about_action = self._action("&About", self.show_about, name="about")

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.save_request_action)
        file_menu.addAction(self.save_response_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu("&Edit")
        for action in (self.undo_action, self.redo_action):
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        for action in (self.cut_action, self.copy_action, self.paste_action):
            edit_menu.addAction(action)
        edit_menu.addAction(self.select_all_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.format_action)

        request_menu = bar.addMenu("&Request")
        request_menu.addAction(self.generate_action)
        request_menu.addAction(self.edit_action)
        request_menu.addAction(self.save_edits_action)
        request_menu.addAction(self.reset_action)
        request_menu.addSeparator()
        request_menu.addAction(self.view_action)
        request_menu.addAction(self.cancel_action)

        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.zoom_in_action)
        view_menu.addAction(self.zoom_out_action)
        view_menu.addAction(self.zoom_reset_action)
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu("&Theme")
        for action in self.theme_actions.values():
            theme_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.reset_defaults_action)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.guide_action)
        help_menu.addAction(self.about_action)

    def _connect(self) -> None:
        block = self.request_block
        block.generate_button.clicked.connect(self.generate_request)
        block.edit_button.clicked.connect(self.edit_request)
        block.save_button.clicked.connect(self.save_edits)
        block.reset_button.clicked.connect(self.reset_request)
        self.request_editor.text_edited.connect(self._on_request_text_edited)
        self.response_panel.view_requested.connect(self.view_response)
        self.response_panel.cancel_requested.connect(self.cancel_call)
        self.config.config_changed.connect(self._on_config_changed)
        self.config.target_changed.connect(self._on_target_changed)
        self.config.rules_changed.connect(self._on_rules_changed)
        self.request_editor.zoom_changed.connect(self.set_zoom)
        self.response_editor.zoom_changed.connect(self.set_zoom)
        self.runner.tick.connect(self._on_tick)
        self.runner.succeeded.connect(self._on_call_succeeded)
        self.runner.failed.connect(self._on_call_failed)
        self.runner.cancelled.connect(self._on_call_cancelled)
        self.runner.started.connect(lambda: self._set_busy(True))
        self.runner.finished.connect(lambda: self._set_busy(False))

    def _on_remote_panel_created(self, remote: RemoteTargetPanel) -> None:
        """The remote settings were just built (they are on first use): show the remembered
        values, then remember what the person changes."""
        spin = remote.timeout_spin
        self._apply_stored(K.REMOTE_URL, remote.url_edit.setText)
        self._apply_stored(
            K.AUTH_HEADER_NAME, lambda v: remote.auth_name_edit.setText(v or "authorization")
        )
        self._apply_stored(
            K.TIMEOUT_S, lambda v: remote.set_timeout(_within(v, spin.minimum(), spin.maximum()))
        )
        self._apply_stored(K.CA_FILE, remote.ca_file_edit.setText)
        self._apply_stored(K.OAUTH_TOKEN_URL, remote.token_url_edit.setText)
        self._apply_stored(K.OAUTH_CLIENT_ID, remote.client_id_edit.setText)
        self._apply_stored(K.OAUTH_SCOPE, remote.scope_edit.setText)
        remote.url_edit.textChanged.connect(lambda t: self._store(K.REMOTE_URL, t.strip()))
        remote.auth_name_edit.textChanged.connect(
            lambda t: self._store(K.AUTH_HEADER_NAME, t.strip())
        )
        remote.timeout_spin.valueChanged.connect(lambda v: self._store(K.TIMEOUT_S, float(v)))
        remote.ca_file_edit.textChanged.connect(lambda t: self._store(K.CA_FILE, t.strip()))
        remote.token_url_edit.textChanged.connect(
            lambda t: self._store(K.OAUTH_TOKEN_URL, t.strip())
        )
        remote.client_id_edit.textChanged.connect(
            lambda t: self._store(K.OAUTH_CLIENT_ID, t.strip())
        )
        remote.scope_edit.textChanged.connect(lambda t: self._store(K.OAUTH_SCOPE, t.strip()))

    # --- settings -----------------------------------------------------------------------

    def _store(self, key: str, value: Any) -> None:
        if self._restored and not self._syncing:
            self.settings.set(key, value)

    def _apply_stored(self, key: str, apply: Any) -> None:
        """Show the stored value of `key` with `apply`; a value that cannot be applied gives
        way to the key's default. A settings file is edited by hand, copied between versions,
        or damaged: whatever it holds, the window must still open."""
        value = self.settings.get(key)
        try:
            apply(value)
        except Exception as exc:
            sys.stderr.write(f"Setting {key} = {value!r} ignored ({exc}); using the default.\n")
            apply(K.DEFAULTS[key])

    def _restore_geometry(self, geometry: bytes) -> None:
        if not geometry or not self.restoreGeometry(QByteArray(geometry)):
            self._default_geometry()

    def _restore_main_splitter(self, state: bytes) -> None:
        if not state or not self.splitter.restoreState(QByteArray(state)):
            self._default_splitters()

    def _restore_domain(self, domain: str) -> None:
        self.config.domain_edit.setText(domain)
        if domain != K.DEFAULTS[K.ALLOWED_DOMAIN]:  # the default needs no check (nor import)
            self.config.rules()  # ValueError for a domain the rules refuse: the default shows

    def _restore_settings(self) -> None:
        config = self.config
        self._apply_stored(K.GEOMETRY, self._restore_geometry)
        self._apply_stored(K.WINDOW_STATE, lambda v: v and self.restoreState(QByteArray(v)))
        self._apply_stored(K.MAIN_SPLITTER, self._restore_main_splitter)
        self._apply_stored(
            K.RESPONSE_SPLITTER,
            lambda v: v and self.response_panel.splitter.restoreState(QByteArray(v)),
        )
        self._apply_stored(K.TARGET, config.set_target)
        self._apply_stored(K.USER, lambda v: v and config.set_user(v))
        self._apply_stored(K.REQUEST_TYPE, config.set_request_type)
        self._apply_stored(K.ALLOWED_DOMAIN, self._restore_domain)
        spin = config.digits_spin
        self._apply_stored(
            K.DIGITS,
            lambda v: config.set_rules(
                config.domain_edit.text(), _within(v, spin.minimum(), spin.maximum())
            ),
        )
        # The remote settings get theirs when they are built (now, if the target is remote).
        self._apply_stored(
            K.ZOOM, lambda v: self.set_zoom(_within(v, MIN_ZOOM, MAX_ZOOM), store=False)
        )
        theme = self.settings.get(K.THEME)
        if theme not in THEME_MODES:
            theme = "system"
        self.theme_actions[theme].setChecked(True)
        app = QApplication.instance()
        if isinstance(app, QApplication) and current_mode(app) != theme:
            apply_theme(app, theme)

    def _default_geometry(self) -> None:
        width, height = DEFAULT_SIZE
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, available.width())
            height = min(height, available.height())
            self.resize(width, height)
            frame = self.frameGeometry()
            frame.moveCenter(available.center())
            self.move(frame.topLeft())
        else:
            self.resize(width, height)

    def _default_splitters(self) -> None:
        height = max(self.height(), 600)
        # Block 1 gets what its fields need; the request editor and the answer share the rest
        # 2:3, so the request shows a dozen lines at 1280x800 rather than five.
        block1 = self.config.sizeHint().height() + 2 * self.config_scroll.frameWidth() + 4
        block1 = min(block1, int(height * 0.3))
        rest = height - block1
        self.splitter.setSizes([block1, int(rest * 0.4), rest - int(rest * 0.4)])
        width = max(self.width(), 900)
        self.response_panel.splitter.setSizes([int(width * 0.34), int(width * 0.66)])

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
        if confirm and not self._ask(S.RESET_DEFAULTS_CONFIRM):
            return
        self.settings.reset_to_defaults()
        self._syncing = True
        try:
            d = K.DEFAULTS
            self.config.set_target(d[K.TARGET])
            if self.org.users:
                self.config.set_user(self.org.users[0].login)
            self.config.set_request_type(d[K.REQUEST_TYPE])
            self.config.set_rules(d[K.ALLOWED_DOMAIN], d[K.DIGITS])
            if self.config.has_remote_panel():  # else it starts from the defaults when built
                remote = self.config.remote_panel
                remote.url_edit.setText(d[K.REMOTE_URL])
                remote.auth_name_edit.setText(d[K.AUTH_HEADER_NAME])
                remote.timeout_spin.setValue(d[K.TIMEOUT_S])
                remote.ca_file_edit.setText(d[K.CA_FILE])
                remote.token_url_edit.setText(d[K.OAUTH_TOKEN_URL])
                remote.client_id_edit.setText(d[K.OAUTH_CLIENT_ID])
                remote.scope_edit.setText(d[K.OAUTH_SCOPE])
            if self.isMaximized() or self.isFullScreen():
                self.showNormal()
            self._default_geometry()
            self._default_splitters()
        finally:
            self._syncing = False
        self.set_zoom(0, store=False)
        self.set_theme(d[K.THEME], store=False)
        self.settings.reset_to_defaults()
        self.statusBar().showMessage("Settings reset to their defaults.", 5000)

    # --- block 1 reactions --------------------------------------------------------------

    def _on_config_changed(self) -> None:
        user = self.config.user()
        if user is not None:
            self._store(K.USER, user.login)
        self._store(K.REQUEST_TYPE, self.config.request_type())
        if self._syncing:
            return
        if self.mode == RequestMode.GENERATED:
            # The request is still the untouched generated one: keep it in step.
            self._generate()
        elif self.mode != RequestMode.EMPTY:
            self._stale = True
            self._show_request_state()

    def _on_target_changed(self, target: str) -> None:
        self._store(K.TARGET, target)
        if self._restored:
            QTimer.singleShot(0, self._fit_config_pane)

    def _fit_config_pane(self) -> None:
        """Give block 1 the height its contents need (the remote settings are taller), taking
        it from block 2 first, never more than half the window."""
        sizes = self.splitter.sizes()
        if len(sizes) != 3 or sum(sizes) <= 0:
            return
        wanted = self.config.sizeHint().height() + 2 * self.config_scroll.frameWidth() + 4
        wanted = min(wanted, sum(sizes) // 2)
        extra = wanted - sizes[0]
        if extra <= 0:
            return
        from_block2 = min(extra, max(0, sizes[1] - 150))
        from_block3 = min(extra - from_block2, max(0, sizes[2] - 250))
        self.splitter.setSizes(
            [sizes[0] + from_block2 + from_block3, sizes[1] - from_block2, sizes[2] - from_block3]
        )

    def _on_rules_changed(self) -> None:
        try:
            rules = self.config.rules()
        except ValueError as exc:
            self.config.domain_edit.setToolTip(str(exc))
            self.config.domain_edit.setStyleSheet(
                f"border: 1px solid {status_colors(self.palette()).denied};"
            )
            return
        self.config.domain_edit.setStyleSheet("")
        self.config.domain_edit.setToolTip("Emails in this domain may register (exact match).")
        self._store(K.ALLOWED_DOMAIN, rules.allowed_domain)
        self._store(K.DIGITS, rules.digits)

    # --- block 2: the request -----------------------------------------------------------

    def has_unsaved_edits(self) -> bool:
        """True when the editor holds text that exists nowhere else (typed, not in a file)."""
        return self.request_editor.text() != self._baseline

    def _build_request_text(self) -> str | None:
        from app.logic.request_builder import build_request, dumps_request

        user = self.config.user()
        if user is None:
            self.request_block.set_state("Choose a user first.", tone="bad")
            return None
        # A field left blank is not on the form at all (the user's own value is not used).
        typed = {name: value for name, value in self.config.form().items() if value.strip()}
        request = build_request(self.config.request_type(), user, form=typed, fields=tuple(typed))
        return dumps_request(request)

    def _generate(self) -> bool:
        text = self._build_request_text()
        if text is None:
            return False
        self._ensure_request_validator()
        self.request_editor.set_text(text, undoable=True)
        self.request_editor.set_read_only(True)
        self._baseline = text
        self._file_path = None
        self.mode = RequestMode.GENERATED
        self._stale = False
        self._update_request_buttons()
        self.request_generated.emit()
        return True

    def generate_request(self) -> None:
        """Generate Request (Ctrl+G): the JSON Okta would send for the chosen user and form."""
        if self.has_unsaved_edits() and not self._ask(
            "Replace your edited request with a newly generated one?"
        ):
            return
        if self._generate():
            self.statusBar().showMessage("Request generated.", 3000)

    def edit_request(self) -> None:
        """Edit: the editor becomes writable (Save keeps the changes, Reset drops them)."""
        if self.mode == RequestMode.EMPTY and not self._generate():
            return
        self.mode = RequestMode.EDITING
        self.request_editor.set_read_only(False)
        self._update_request_buttons()
        self.request_editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def save_edits(self) -> bool:
        """Save: keep the edited text, provided it is JSON (else say where it is not)."""
        if self.mode != RequestMode.EDITING:
            return True
        from app.logic.validation import parse_json

        _value, problem = parse_json(self.request_editor.text())
        if problem is not None:
            self.request_block.set_state(
                S.SAVE_REFUSED.format(where=_where(problem, snippet=False)), tone="bad"
            )
            self.request_editor.validate_now()
            self.request_editor.go_to(problem.line, problem.column)
            return False
        self.mode = RequestMode.SAVED
        self.request_editor.set_read_only(True)
        self._update_request_buttons()
        self.statusBar().showMessage("Edits saved.", 3000)
        return True

    def reset_request(self) -> None:
        """Reset: regenerate from the chosen user (asks first when edits would be lost)."""
        if self.has_unsaved_edits() and not self._ask(S.RESET_CONFIRM):
            return
        if self._generate():
            self.statusBar().showMessage("Request regenerated from the chosen user.", 3000)

    def format_request(self) -> None:
        """Format (Ctrl+Shift+F): pretty-print the request; starts editing when needed."""
        if self.mode == RequestMode.EMPTY:
            return
        if self.mode != RequestMode.EDITING:
            self.edit_request()
        if not self.request_editor.format_json():
            from app.logic.validation import parse_json

            _value, problem = parse_json(self.request_editor.text())
            if problem is not None:
                self.request_block.set_state(
                    f"Cannot format: not valid JSON. {_where(problem, snippet=False)}",
                    tone="bad",
                )
                self.request_editor.go_to(problem.line, problem.column)

    def _on_request_text_edited(self) -> None:
        self.setWindowModified(self.has_unsaved_edits())
        if self.mode == RequestMode.EDITING:
            self._show_request_state()

    def _ensure_request_validator(self) -> None:
        if self.request_editor._validator is None:
            self.request_editor.set_validator(_validate_request_text)

    def _update_request_buttons(self) -> None:
        editing = self.mode == RequestMode.EDITING
        has_request = self.mode != RequestMode.EMPTY
        block = self.request_block
        block.edit_button.setEnabled(not editing)
        block.save_button.setEnabled(editing)
        block.reset_button.setEnabled(has_request)
        self.edit_action.setEnabled(not editing)
        self.save_edits_action.setEnabled(editing)
        self.reset_action.setEnabled(has_request)
        self.format_action.setEnabled(has_request)
        self.setWindowModified(self.has_unsaved_edits())
        self._show_request_state()

    def _show_request_state(self) -> None:
        block = self.request_block
        if self.mode == RequestMode.EMPTY:
            block.set_state(S.STATE_EMPTY)
        elif self.mode == RequestMode.EDITING:
            block.set_state(S.STATE_EDITING)
        elif self._stale:
            block.set_state(S.STATE_STALE, tone="warn")
        elif self.mode == RequestMode.GENERATED:
            user = self.config.user()
            from app.logic.request_builder import REQUEST_TYPE_LABELS

            block.set_state(
                S.STATE_GENERATED.format(
                    user=user.display_name if user else "?",
                    type=REQUEST_TYPE_LABELS.get(self.config.request_type(), ""),
                )
            )
        elif self.mode == RequestMode.OPENED and self._file_path is not None:
            block.set_state(S.STATE_OPENED.format(name=self._file_path.name))
        else:
            block.set_state(S.STATE_SAVED)

    # --- block 3: View Response ---------------------------------------------------------

    def view_response(self) -> None:
        """View Response (Ctrl+Enter): send the request text as it stands to the chosen target."""
        if self.runner.busy:
            return
        if not self.request_editor.text().strip() and not self._generate():
            return
        text = self.request_editor.text()
        target = self._hook_target()
        if target is None:
            return
        from app.logic.remote import CancelToken
        from app.logic.run.pipeline import run_exchange

        cancel = CancelToken()
        schema = self.org.schema
        self._busy_label = target.label
        self.runner.start(lambda: run_exchange(text, target, schema=schema, cancel=cancel), cancel)

    def _hook_target(self) -> Any:
        """The target block 1 describes; None (the reason shown) when it cannot be called."""
        target = self.config.target()
        if target in BUNDLED_TARGETS:
            try:
                rules = self.config.rules()
            except ValueError as exc:
                self._not_sent(f"The bundled hook's rules are not valid: {exc}")
                self.config.domain_edit.setFocus()
                return None
            from app.logic.targets import BundledTarget

            return BundledTarget(target, rules)
        from app.logic.remote import check_url
        from app.logic.targets import UrlTarget

        remote = self.config.remote_panel
        url = remote.url()
        problem = check_url(url) if url else "there is no URL: type the hook's URL in block 1"
        if problem:
            self._not_sent(f"Cannot call the hook: {problem}")
            remote.url_edit.setFocus()
            return None
        return UrlTarget(url, remote.auth(), remote.remote_settings())

    def cancel_call(self) -> None:
        """Stop waiting for the hook (the remote call is aborted too)."""
        if self.runner.busy:
            self.runner.cancel()

    def _set_busy(self, busy: bool) -> None:
        label = getattr(self, "_busy_label", "")
        if busy and self.config.is_remote():
            text = S.CALLING.format(url=label, seconds=0.0)
        else:
            text = S.RUNNING.format(target=label) if busy else ""
        self.response_panel.set_busy(busy, text)
        self.view_action.setEnabled(not busy)
        self.cancel_action.setEnabled(busy)

    def _on_tick(self, elapsed_ms: float) -> None:
        label = getattr(self, "_busy_label", "")
        if self.config.is_remote():
            self.response_panel.set_busy_text(
                S.CALLING.format(url=label, seconds=elapsed_ms / 1000.0)
            )
        else:
            self.response_panel.set_busy_text(f"{label} {elapsed_ms / 1000.0:.1f} s")

    def _not_sent(self, message: str, detail: str = "") -> None:
        self.response_panel.show_not_sent(message, detail)
        self.statusBar().showMessage(message.split("\n")[0], 8000)
        self.response_shown.emit()

    def _show_parse_problem(self, problem: Problem) -> None:
        self._not_sent(
            S.NOT_JSON_REQUEST.format(where=_where(problem, snippet=False)), problem.snippet
        )
        self._ensure_request_validator()
        self.request_editor.validate_now()
        self.request_editor.go_to(problem.line, problem.column)

    def _on_call_succeeded(self, exchange: Exchange) -> None:
        self._last_exchange = exchange
        if exchange.parse_problem is not None:
            self._show_parse_problem(exchange.parse_problem)
            return
        if exchange.verdict is None:
            self._not_sent(f"Not sent: {exchange.refusal}")
            return
        self._show_answer(
            exchange.verdict,
            exchange.request,
            exchange.response_text(),
            exchange.log_lines,
            exchange.answer,
        )

    def _show_answer(
        self,
        verdict: Verdict,
        request: Any,
        response_text: str,
        log_lines: Sequence[str] | None,
        answer: HookAnswer | None,
    ) -> None:
        if self.response_editor._validator is None:
            self.response_editor.set_validator(_validate_response_text)
        self.response_panel.show_result(
            verdict=verdict,
            request=request,
            response_text=response_text,
            log_lines=tuple(log_lines) if log_lines is not None else None,
            answer=answer,
            form_fields=self._form_fields_for(request),
        )
        self.statusBar().showMessage(verdict.headline, 8000)
        self.response_shown.emit()

    def _form_fields_for(self, request: Any) -> tuple[str, ...]:
        """The form's inputs, when the request is of the type block 1 describes."""
        if isinstance(request, dict) and request.get("requestType") == self.config.request_type():
            return tuple(self.config.form())
        return ()

    def _on_call_failed(self, message: str) -> None:
        self._not_sent(S.UNEXPECTED_ERROR.format(message))

    def _on_call_cancelled(self) -> None:
        self.response_panel.show_not_sent("Cancelled: the call was stopped, no answer is shown.")
        self.statusBar().showMessage("Call cancelled.", 5000)
        self.response_shown.emit()

    # --- files --------------------------------------------------------------------------

    def _start_dir(self) -> str:
        last = self.settings.get(K.LAST_DIR)
        return last if last and Path(last).is_dir() else str(Path.home())

    def _remember_dir(self, path: Path) -> None:
        self._store(K.LAST_DIR, str(path.parent))

    def open_request(self) -> None:
        """File > Open Request: load a request JSON file into the editor."""
        path, _ = QFileDialog.getOpenFileName(
            self, S.OPEN_REQUEST, self._start_dir(), S.JSON_FILTER
        )
        if path:
            self.open_request_file(Path(path))

    def _read_request_bytes(self, path: Path) -> bytes | None:
        """The file's bytes, or None (said why) when it is no file to open: a folder, a pipe
        or device (reading one blocks the window, maybe forever), or a file too big to edit."""
        name = path.name
        try:
            info = path.stat()
            refusal = _refusal(name, info)
            if refusal:
                self._warn(refusal)
                return None
            # Non-blocking, then checked again on the open file: what the name points at may
            # have changed since stat(), and opening a FIFO for reading would wait for a writer.
            flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
            with os.fdopen(os.open(path, flags), "rb") as file:
                refusal = _refusal(name, os.fstat(file.fileno()))
                if refusal:
                    self._warn(refusal)
                    return None
                data = file.read(MAX_OPEN_BYTES + 1)
        except OSError as exc:
            self._warn(S.READ_FAILED.format(name=name, detail=exc.strerror or exc))
            return None
        if len(data) > MAX_OPEN_BYTES:  # it grew after the size was checked
            self._warn(_too_big(name, len(data)))
            return None
        return data

    def open_request_file(self, path: Path) -> bool:
        """Load `path` as the request; explains and changes nothing when it is not one."""
        name = path.name
        data = self._read_request_bytes(path)
        if data is None:
            return False
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self._warn(S.OPEN_NOT_TEXT.format(name=name, detail=f"Byte {exc.start} is not UTF-8."))
            return False
        result = _validate_request_text(text)
        if result.value is None:
            problem = next((p for p in result.problems if p.kind == "parse"), None)
            where = _where(problem) if problem is not None else "It does not parse."
            self._warn(S.OPEN_NOT_JSON.format(name=name, where=where))
            return False
        if result.problems:
            shown = "\n".join(f"• {p.format()}" for p in result.problems[:6])
            if len(result.problems) > 6:
                shown += f"\n• … and {len(result.problems) - 6} more"
            if not self._ask(S.OPEN_NOT_REQUEST.format(name=name, problems=shown)):
                return False
        if self.has_unsaved_edits() and not self._ask(S.OPEN_DISCARD):
            return False
        self._ensure_request_validator()
        self.request_editor.set_text(text, undoable=True)
        self.request_editor.set_read_only(True)
        self._baseline = self.request_editor.text()
        self._file_path = path
        self.mode = RequestMode.OPENED
        self._stale = False
        self._remember_dir(path)
        value = result.value
        if isinstance(value, dict) and isinstance(value.get("requestType"), str):
            self._syncing = True
            try:
                self.config.set_request_type(value["requestType"])
            finally:
                self._syncing = False
        self._update_request_buttons()
        self.setWindowFilePath(str(path))
        self.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def _secrets_in(self, text: str) -> list[str]:
        """The auth values typed in the window that occur in `text`, longest first.

        A request or response holds them only when the person pasted one in, so the save asks
        before touching the text. Short values are not searched for: they match ordinary JSON
        ("com" in "com.okta...") and replacing them would damage the file."""
        secrets: set[str] = set()
        for secret in self.config.remote_secrets():
            secrets.add(secret)
            scheme, _, token = secret.partition(" ")
            if token and scheme.isalpha():  # "Basic <token>": the token alone is secret too
                secrets.add(token)
        found = [s for s in secrets if len(s) >= MIN_SECRET_LENGTH and s in text]
        return sorted(found, key=len, reverse=True)

    def _write(self, path: Path, text: str) -> str | None:
        """Write `text` to `path`; the text written (None when cancelled or it failed).

        When the text holds an auth value, the person chooses: replace it with ***, keep it,
        or cancel the save. Nothing is changed without asking."""
        secrets = self._secrets_in(text)
        replaced = 0
        if secrets:
            answer = QMessageBox.question(
                self,
                S.APP_NAME,
                S.SAVE_HAS_SECRET,
                QMessageBox.StandardButton.Yes
                | QMessageBox.StandardButton.No
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Yes,
            )
            if answer == QMessageBox.StandardButton.Yes:
                for secret in secrets:  # longest first: a token inside its header value
                    replaced += text.count(secret)
                    text = text.replace(secret, "***")
            elif answer != QMessageBox.StandardButton.No:  # Cancel, or the box was closed
                self.statusBar().showMessage("Not saved.", 5000)
                return None
        try:
            path.write_text(text, encoding="utf-8")  # exactly as shown: a round trip is exact
        except OSError as exc:
            self._warn(S.WRITE_FAILED.format(name=path.name, detail=exc.strerror or exc))
            return None
        note = f" ({replaced} auth value(s) replaced by ***)" if replaced else ""
        self.statusBar().showMessage(f"Saved {path}{note}", 5000)
        self._remember_dir(path)
        return text

    def _suggested(self, stem: str) -> str:
        return str(Path(self._start_dir()) / f"{stem}.json")

    def save_request(self) -> None:
        """File > Save Request: write the request text as it stands (asks first when it holds an
        auth value typed in the window)."""
        if not self.request_editor.text().strip():
            self._info("There is no request yet: press Generate Request first.")
            return
        default = str(self._file_path) if self._file_path else self._suggested("request")
        path, _ = QFileDialog.getSaveFileName(self, S.SAVE_REQUEST, default, S.JSON_FILTER)
        if not path:
            return
        target = Path(path)
        written = self._write(target, self.request_editor.text())
        if written is not None:
            # The file holds `written`: when *** replaced an auth value, the editor's text is
            # still not in any file, and the window says so (modified, asked before quitting).
            self._baseline = written
            self._file_path = target
            self.setWindowFilePath(str(target))
            self.setWindowModified(self.has_unsaved_edits())

    def save_response(self) -> None:
        """File > Save Response: write the response as shown (asks first when it holds an auth
        value typed in the window)."""
        text = self.response_panel.response_text()
        if not text.strip():
            self._info(S.NOTHING_TO_SAVE)
            return
        path, _ = QFileDialog.getSaveFileName(
            self, S.SAVE_RESPONSE, self._suggested("response"), S.JSON_FILTER
        )
        if path:
            self._write(Path(path), text)

    # --- view ---------------------------------------------------------------------------

    @property
    def zoom(self) -> int:
        return self._zoom

    def set_zoom(self, step: int, *, store: bool = True) -> None:
        """Zoom both editors and the verdict to `step` (0 = normal size)."""
        try:
            step = int(step)
        except (TypeError, ValueError, OverflowError):  # NaN, infinity, not a number
            step = 0
        step = max(MIN_ZOOM, min(MAX_ZOOM, step))
        changed = step != self._zoom
        self._zoom = step
        self.request_editor.set_zoom(step)
        self.response_editor.set_zoom(step)
        if changed or not self._restored:
            self.response_panel.set_zoom_factor(ZOOM_FACTOR**step, self._base_point_size)
        if store:
            self._store(K.ZOOM, step)

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
        self.theme_actions[mode].setChecked(True)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, mode)
        if store:
            self._store(K.THEME, mode)

    def theme(self) -> str:
        action = self.theme_group.checkedAction()
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

    def _edit_command(self, name: str) -> None:
        widget = QApplication.focusWidget()
        method = getattr(widget, name, None)
        if callable(method):
            method()

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            S.APP_NAME,
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _warn(self, text: str) -> None:
        QMessageBox.warning(self, S.APP_NAME, text)

    def _info(self, text: str) -> None:
        QMessageBox.information(self, S.APP_NAME, text)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        palette_events = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if event.type() in palette_events and self._restored:
            self._show_request_state()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.has_unsaved_edits() and not self._ask(
            "The request has edits that are not saved to a file. Quit anyway?"
        ):
            event.ignore()
            return
        self.save_window_state()
        if self.runner.busy:
            self.runner.cancel()
        self.runner.wait_for_done(5000)
        event.accept()

    def warm_up(self) -> None:
        """Import the engine off the GUI thread after the first paint (faster first click)."""

        def load() -> None:
            import app.logic.preview  # noqa: F401
            import app.logic.validation as validation

            validation.validate_request("{}")

        QThreadPool.globalInstance().start(load)


_HOOK_INSTALLED = False


def _install_excepthook() -> None:
    """Unexpected errors become a message box (with details), never a dead window.

    Installed before the window is built, so an error while it opens is shown too; the box
    sits over whichever window is active when the error happens."""
    global _HOOK_INSTALLED
    if _HOOK_INSTALLED:
        return
    _HOOK_INSTALLED = True
    showing = False

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        import traceback

        nonlocal showing
        details = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(details)
        if showing or QApplication.instance() is None:
            return
        showing = True
        try:
            box = QMessageBox(QApplication.activeWindow())
            box.setIcon(QMessageBox.Icon.Critical)
            box.setWindowTitle(S.APP_NAME)
            box.setText(S.UNEXPECTED_ERROR.format(f"{kind.__name__}: {value}"))
            box.setDetailedText(details)
            box.exec()
        finally:
            showing = False

    sys.excepthook = hook


def run_app(argv: Sequence[str] | None = None, users_file: Path | None = None) -> int:
    """Create the application, apply the remembered theme, show the window on the demo org
    (or on the users in `users_file`, a file of the same shape)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    app.setOrganizationName(S.ORG_NAME)
    app.setApplicationName(S.ORG_NAME)
    app.setApplicationDisplayName(S.APP_NAME)
    _install_excepthook()
    settings = Settings()
    theme = settings.get(K.THEME)
    apply_theme(app, theme if theme in THEME_MODES else "system")

    from app.logic.org import OrgError, load_demo_org

    try:
        org = load_demo_org(users_file)
    except OrgError as exc:
        QMessageBox.critical(None, S.APP_NAME, f"The demo org could not be loaded.\n\n{exc}")
        return 1
    window = MainWindow(org, settings)
    window.show()
    # After the first paint, not before: the import must not compete with it for the GIL.
    QTimer.singleShot(WARM_UP_DELAY_MS, window, window.warm_up)
    return app.exec()


__all__ = ["MainWindow", "RequestMode", "run_app"]
