"""File > Connect to Okta Org…: a live org's users, registration hooks and System Log calls.

Connect (URL and API token, or the SDK's variables, okta.yaml or the keyring), search users as
you type (on the org, debounced, first page shown while later ones load, a new keystroke
cancels the old search), pick one to make them the run's person with the org's schema; pick a
hook to call its URI directly or to Preview through Okta (one `ExchangeJob`, so the answer is
the current run like any other); read the hook's calls from the System Log and save one as a
scenario. Every org call runs on a worker thread; the GUI thread never waits on the network.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.views import settings as K
from app.views.workers import WorkerThreads

if TYPE_CHECKING:
    from app.logic.okta_org.client import OrgClient
    from app.logic.org import DemoOrg, OrgUser, UserSchema
    from app.views.calls import CallController
    from app.views.settings import Settings

TITLE = "Okta Org"
URL_PLACEHOLDER = "https://YOUR-ORG.okta.com (or OKTA_CLIENT_ORGURL / ~/.okta/okta.yaml)"
TOKEN_PLACEHOLDER = "API token (or OKTA_CLIENT_TOKEN, okta.yaml or the keyring)"
REMEMBER = "Remember the token in the system keyring"
CONNECT = "Connect"
CONNECTING = "Connecting to {org}…"
CONNECTED = "Connected to {org}: {attributes} profile attributes, {hooks} registration hook(s)."
SEARCH_PLACEHOLDER = "Search the org's users (start of a name, login or email)"
SEARCHING = "Searching the org…"
FOUND = "{count} user(s){more}"
MORE_LOADING = ", more loading…"
CAPPED = " (the first {count}; keep typing to narrow)"
USE_USER = "Use This Person"
USED_USER = "{user} from {org} is the person of the run; the org's schema judges answers."
DIRECT = "Call Its URI Directly"
DIRECT_DONE = "Block 1 now calls {uri}; type the {header} value there (it is never shown here)."
PREVIEW = "Preview through Okta"
USE_AS_TARGET = "Make It the Target"
OKTA_TARGET_KEY = K.OKTA_TARGET
OKTA_TARGET_LABEL = "{name} through Okta"
OKTA_TARGET_HINT = (
    "The org's hook, called by Okta itself (POST /api/v1/inlineHooks/{id}/execute): View "
    "Response and Sign Up go through Okta."
)
TARGET_DONE = "Block 1's target is now {name} through Okta: View Response and Sign Up go there."
TARGET_RESTORED = "Block 1's target is {name} through Okta again, as last time ({org})."
TARGET_FELL_BACK = (
    "Block 1's target was {name} through Okta last time; it is {now} instead: {why}. "
    "File > Connect to Okta Org… makes it the target again."
)
HOOK_GONE = "the org {org} has no registration hook {hook} any more"
PREVIEW_RUNNING = "Okta is calling the hook…"
PREVIEW_DIRECT = "Okta refused it; asking the hook straight, to judge its answer here…"
SINCE_LABEL = "Since:"
READ_CALLS = "Read the System Log"
CANCEL_READING = "Cancel"
READING_CALLS = "Reading the System Log since {since}…"
READ_CANCELLED = "Reading the System Log was cancelled."
CALLS_READ = "{count} call(s) from the System Log since {since}; the History panel lists them too."
SAVE_SCENARIO = "Save as Scenario…"
NO_CALLS = "The System Log has no call to this hook since {since}."
CALLS_NOTE = "What the System Log keeps: the time, outcome and user; the request is rebuilt."
USERS_TAB, HOOKS_TAB, CALLS_TAB = "Users", "Hooks", "Calls from the System Log"
#: Users listed at most; the org is never loaded whole.
MAX_LISTED = 200
SEARCH_DELAY_MS = 300

_THREADS = WorkerThreads("okta org")


class _DirectRelay(QObject):
    """Carries the straight-to-the-hook comparison back to the GUI thread."""

    answered = Signal(object)
    citations_loaded = Signal()


class _Relay(QObject):
    """Carries worker results to the GUI thread: (generation, value)."""

    page = Signal(int, object)
    finished = Signal(int, object)
    failed = Signal(int, str)
    waiting = Signal(str)


def _emit(signal: Any, *args: Any) -> None:
    with contextlib.suppress(RuntimeError):  # the dialog went first
        signal.emit(*args)


class OktaOrgDialog(QDialog):
    """See the module docstring. `use_org(org, label)` makes an org the window's; `use_uri(uri,
    header)` points block 1's remote target at a URI; `calls` starts the preview job.
    `citations` holds what Okta was seen doing about each rule (read from the history file
    off the GUI thread when the dialog is made); `citations_changed` says it grew."""

    citations_changed = Signal()

    def __init__(
        self,
        calls: CallController,
        use_org: Callable[[DemoOrg, str], None],
        use_uri: Callable[[str, str], None],
        parent: QWidget | None = None,
        settings: Settings | None = None,
        offer_target: Callable[[str, str, str, str], None] | None = None,
        show_logged: Callable[[list[Any]], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setObjectName("oktaOrgDialog")
        self.calls = calls
        self.use_org = use_org
        self.use_uri = use_uri
        self.settings = settings
        self.offer_target = offer_target
        #: Where the calls read from the System Log are shown besides the Calls tab (the
        #: History panel, among the program's own calls).
        self.show_logged = show_logged
        #: The Preview-through-Okta target block 1 called last (what judges its answer).
        self._okta_target: Any = None
        calls.exchange_done.connect(self._on_exchange_done)
        self.client: OrgClient | None = None
        self.schema: UserSchema | None = None
        self.hooks: list[Any] = []
        self.users: list[OrgUser] = []
        self.logged: list[Any] = []
        self.last_preview: Any = None
        self._generation = 0  # the search (or connect) whose answers count; older ones stop
        self._calls_generation = -1  # the System Log reading Cancel stops
        #: A remembered Okta target being restored: (hook id, hook name, say, still wanted).
        self._restoring: tuple[str, str, Callable[[str], None], Callable[[], bool]] | None = None
        self._relay = _Relay(self)
        self._relay.page.connect(self._on_page)
        self._relay.finished.connect(self._on_finished)
        self._relay.failed.connect(self._on_failed)
        self._relay.waiting.connect(lambda text: self.status.setText(text))
        self._direct_relay = _DirectRelay(self)
        self._direct_relay.answered.connect(lambda value: self._show_preview(*value))
        self._direct_relay.citations_loaded.connect(self.citations_changed)
        from app.logic.okta_org.observations import Citations

        self.citations = Citations()
        citations, loaded = self.citations, self._direct_relay.citations_loaded

        def load_citations() -> None:
            citations.load()
            _emit(loaded)

        _THREADS.start(load_citations)
        # The org's connections close with the dialog (and so with its window): a holder the
        # `destroyed` slot can reach after the Python side of the dialog is gone.
        self._held: list[Any] = []
        self.destroyed.connect(lambda _obj=None, held=self._held: _close_all(held))
        self._build()

    # --- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        page = QVBoxLayout(self)
        form = QFormLayout()
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("orgUrl")
        self.url_edit.setPlaceholderText(URL_PLACEHOLDER)
        self.token_edit = QLineEdit()
        self.token_edit.setObjectName("orgToken")
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(TOKEN_PLACEHOLDER)
        self.remember_check = QCheckBox(REMEMBER)
        self.connect_button = QPushButton(CONNECT)
        self.connect_button.setObjectName("orgConnect")
        self.connect_button.clicked.connect(self.connect_org)
        form.addRow("Org URL:", self.url_edit)
        form.addRow("API token:", self.token_edit)
        row = QHBoxLayout()
        row.addWidget(self.remember_check)
        row.addStretch(1)
        row.addWidget(self.connect_button)
        form.addRow(row)
        page.addLayout(form)
        self.status = QLabel()
        self.status.setObjectName("orgStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        page.addWidget(self.status)
        self.tabs = QTabWidget()
        page.addWidget(self.tabs, 1)
        self.tabs.addTab(self._users_tab(), USERS_TAB)
        self.tabs.addTab(self._hooks_tab(), HOOKS_TAB)
        self.tabs.addTab(self._calls_tab(), CALLS_TAB)
        self.tabs.setEnabled(False)
        self.resize(720, 520)
        if self.settings is not None:
            self.url_edit.setText(str(self.settings.get(K.ORG_URL)))

    def _users_tab(self) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("orgSearch")
        self.search_edit.setPlaceholderText(SEARCH_PLACEHOLDER)
        self.search_edit.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.search_now)
        self.search_edit.textChanged.connect(lambda _text: self.search_timer.start())
        self.user_list = QListWidget()
        self.user_list.setObjectName("orgUsers")
        self.user_list.itemDoubleClicked.connect(lambda _item: self.use_selected_user())
        self.users_note = QLabel()
        self.users_note.setObjectName("orgUsersNote")
        self.use_user_button = QPushButton(USE_USER)
        self.use_user_button.setObjectName("orgUseUser")
        self.use_user_button.clicked.connect(self.use_selected_user)
        box.addWidget(self.search_edit)
        box.addWidget(self.user_list, 1)
        row = QHBoxLayout()
        row.addWidget(self.users_note, 1)
        row.addWidget(self.use_user_button)
        box.addLayout(row)
        return tab

    def _hooks_tab(self) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        self.hook_list = QListWidget()
        self.hook_list.setObjectName("orgHooks")
        self.direct_button = QPushButton(DIRECT)
        self.direct_button.setObjectName("orgHookDirect")
        self.direct_button.clicked.connect(self.use_hook_uri)
        self.preview_button = QPushButton(PREVIEW)
        self.preview_button.setObjectName("orgPreview")
        self.preview_button.clicked.connect(self.preview_through_okta)
        self.target_button = QPushButton(USE_AS_TARGET)
        self.target_button.setObjectName("orgUseAsTarget")
        self.target_button.setToolTip(OKTA_TARGET_HINT)
        self.target_button.clicked.connect(self.use_as_target)
        self.target_button.setVisible(self.offer_target is not None)
        self.preview_result = QLabel()
        self.preview_result.setObjectName("orgPreviewResult")
        self.preview_result.setWordWrap(True)
        self.preview_result.setTextFormat(Qt.TextFormat.PlainText)
        self.preview_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.hook_list, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.direct_button)
        row.addWidget(self.preview_button)
        row.addWidget(self.target_button)
        box.addLayout(row)
        box.addWidget(self.preview_result)
        return tab

    def _calls_tab(self) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        row = QHBoxLayout()
        self.since_edit = QLineEdit("7d")
        self.since_edit.setObjectName("orgSince")
        self.read_calls_button = QPushButton(READ_CALLS)
        self.read_calls_button.setObjectName("orgReadCalls")
        self.read_calls_button.clicked.connect(self.read_calls)
        self.cancel_calls_button = QPushButton(CANCEL_READING)
        self.cancel_calls_button.setObjectName("orgCancelCalls")
        self.cancel_calls_button.setEnabled(False)
        self.cancel_calls_button.clicked.connect(self.cancel_reading_calls)
        row.addWidget(QLabel(SINCE_LABEL))
        row.addWidget(self.since_edit)
        row.addWidget(self.read_calls_button)
        row.addWidget(self.cancel_calls_button)
        box.addLayout(row)
        self.call_list = QListWidget()
        self.call_list.setObjectName("orgCalls")
        box.addWidget(self.call_list, 1)
        note = QLabel(CALLS_NOTE)
        note.setWordWrap(True)
        box.addWidget(note)
        self.save_scenario_button = QPushButton(SAVE_SCENARIO)
        self.save_scenario_button.setObjectName("orgSaveScenario")
        self.save_scenario_button.clicked.connect(self.save_scenario)
        box.addWidget(self.save_scenario_button, 0, Qt.AlignmentFlag.AlignRight)
        return tab

    # --- work off the GUI thread ------------------------------------------------------------

    def _start(self, kind: str, work: Callable[[Callable[[], bool], int], Any]) -> int:
        """Run `work(cancelled, generation)` on a worker; its result comes back as
        `finished(generation, (kind, result))`, dropped when a newer task of this dialog
        started meanwhile (`cancelled()` then says so to the worker)."""
        self._generation += 1
        generation = self._generation
        relay = self._relay

        def cancelled() -> bool:
            return generation != self._generation

        def run() -> None:
            try:
                result = work(cancelled, generation)
            except Exception as exc:  # one line for the person, never a traceback
                _emit(relay.failed, generation, _one_line(exc))
                return
            _emit(relay.finished, generation, (kind, result))

        _THREADS.start(run)
        return generation

    def _current(self, generation: int) -> bool:
        return generation == self._generation

    # --- connecting -------------------------------------------------------------------------

    def connect_org(self) -> None:
        url = self.url_edit.text().strip()
        token = self.token_edit.text().strip()
        remember = self.remember_check.isChecked()
        relay = self._relay
        self.status.setText(CONNECTING.format(org=url or "the org"))
        self.tabs.setEnabled(False)

        def work(cancelled: Callable[[], bool], _generation: int) -> Any:
            from app.logic.okta_org.client import OrgClient
            from app.logic.okta_org.config import (
                credential_from_store,
                find_config,
                with_secret,
            )
            from app.logic.okta_org.operations import fetch_user_schema, list_registration_hooks
            from app.logic.secret_store import SecretStore

            config = find_config(url or None)
            store = SecretStore()
            if token:
                config = with_secret(config, token)
                store.set(config.secret_key, token, remember)
            else:
                config = credential_from_store(config, store)
            client = OrgClient(config, on_wait=lambda _s, text: _emit(relay.waiting, text))
            try:
                schema, _ = fetch_user_schema(client, cancelled)
                hooks = list_registration_hooks(client, cancelled)
            except BaseException:
                client.close()
                raise
            if cancelled():  # another Connect was pressed meanwhile: this one is not used
                client.close()
            return client, schema, hooks

        self._start("connect", work)

    # --- users ------------------------------------------------------------------------------

    def search_now(self) -> None:
        """Search the org for what is typed; a search still running stops at its next page."""
        client = self.client
        if client is None:
            return
        text = self.search_edit.text()
        self.user_list.clear()
        self.users = []
        self.users_note.setText(SEARCHING)
        relay = self._relay

        def work(cancelled: Callable[[], bool], generation: int) -> Any:
            from app.logic.okta_org.operations import search_users

            notes: list[str] = []
            pages = search_users(
                client, text, max_users=MAX_LISTED, cancelled=cancelled, notes=notes
            )
            for page in pages:
                if cancelled():
                    pages.close()
                    return None
                _emit(relay.page, generation, page.users)
            return notes

        self._start("users", work)

    def _on_page(self, generation: int, users: Any) -> None:
        if not self._current(generation):
            return
        from app.logic.okta_org.operations import shown

        for user in users:
            if len(self.users) >= MAX_LISTED:
                break
            self.users.append(user)
            label = f"{shown(user.display_name, 60)} <{shown(user.login, 80)}>"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, len(self.users) - 1)
            self.user_list.addItem(item)
        if self.user_list.currentRow() < 0 and self.user_list.count():
            self.user_list.setCurrentRow(0)
        self.users_note.setText(FOUND.format(count=len(self.users), more=MORE_LOADING))

    def use_selected_user(self) -> None:
        """The chosen user becomes the run's person, with the org's schema."""
        from app.logic.okta_org.operations import shown
        from app.logic.org import DemoOrg

        row = self.user_list.currentRow()
        if row < 0 or row >= len(self.users) or self.schema is None or self.client is None:
            return
        chosen = self.users[row]
        others = tuple(user for user in self.users if user is not chosen)
        org = DemoOrg(users=(chosen, *others), schema=self.schema)
        label = f"the live org {self.client.config.org_url}"
        self.use_org(org, label)
        self.users_note.setText(
            USED_USER.format(user=shown(chosen.login, 80), org=self.client.config.org_url)
        )

    # --- hooks ------------------------------------------------------------------------------

    def _chosen_hook(self) -> Any:
        row = self.hook_list.currentRow()
        return self.hooks[row] if 0 <= row < len(self.hooks) else None

    def use_hook_uri(self) -> None:
        hook = self._chosen_hook()
        if hook is None:
            return
        self.use_uri(hook.uri, hook.auth_header or "authorization")
        self.preview_result.setText(
            DIRECT_DONE.format(uri=hook.uri, header=hook.auth_header or "authorization")
        )

    def use_as_target(self) -> None:
        """Block 1's target becomes the chosen hook through Okta: every call from the window
        (View Response, Sign Up) goes to its /execute until another target is chosen."""
        from app.logic.okta_org.operations import shown
        from app.logic.okta_org.preview import OktaPreviewTarget

        hook, client = self._chosen_hook(), self.client
        if hook is None or client is None or self.offer_target is None:
            return

        def make() -> Any:
            target = OktaPreviewTarget(client, hook)
            self._okta_target = target
            return target

        self.calls.register_target(OKTA_TARGET_KEY, make)
        name = shown(hook.name or hook.id, 60)
        if self.settings is not None:
            # Remembered (never its auth value) so that the next start can restore it.
            self.settings.set(K.ORG_TARGET_HOOK, hook.id)
            self.settings.set(K.ORG_TARGET_HOOK_NAME, hook.name)
        self.offer_target(
            OKTA_TARGET_KEY, OKTA_TARGET_LABEL.format(name=name), hook.uri, OKTA_TARGET_HINT
        )
        self.preview_result.setText(TARGET_DONE.format(name=name))

    def restore_target(
        self,
        hook_id: str,
        hook_name: str,
        say: Callable[[str], None],
        still_wanted: Callable[[], bool],
    ) -> None:
        """Make the remembered hook block 1's target through Okta again: connect to the
        remembered org (its token from the environment, okta.yaml or the keyring; never
        asked for) on a worker, find the hook, choose it. `say` gets one sentence: restored,
        or why block 1 keeps the target it fell back to. Nothing is chosen when the person
        changed the target meanwhile (`still_wanted()` is then false)."""
        self._restoring = (hook_id, hook_name, say, still_wanted)
        self.connect_org()

    def _restore_done(self, why: str | None, chosen: bool = False) -> None:
        """The restore ends: `why` it could not be done, or None when it was (`chosen`)."""
        if self._restoring is None:
            return
        hook_id, hook_name, say, still_wanted = self._restoring
        self._restoring = None
        if not chosen and not still_wanted():
            return  # the person chose another target meanwhile: nothing to say
        from app.logic.okta_org.operations import shown

        name = shown(hook_name or hook_id, 60)
        if why is None:
            org = self.client.config.org_url if self.client is not None else ""
            say(TARGET_RESTORED.format(name=name, org=org))
        else:
            say(TARGET_FELL_BACK.format(name=name, now=self.calls.config.target_label(), why=why))

    def _on_exchange_done(self, exchange: Any, source: str) -> None:
        """A call block 1 made to the Okta target: say what Okta said, as the button does."""
        target = self._okta_target
        if source == "okta preview" or target is None:
            return  # the Preview button's own call is judged by its job
        if exchange.target.get("kind") != target.kind or exchange.url != target.url:
            return
        self._okta_target = None
        self._on_preview(target, exchange)

    def preview_through_okta(self) -> None:
        """Send the request as it stands through Okta's /execute: one job like any call, so
        Okta's answer is the current run and its verdict is shown in block 3."""
        from app.logic.okta_org.preview import OktaPreviewTarget

        hook = self._chosen_hook()
        if hook is None or self.client is None:
            return
        session = self.calls.session
        if not session.editor.text().strip() and not session.generate():
            return
        target = OktaPreviewTarget(self.client, hook)
        text = session.editor.text()
        # When block 1 already calls this hook's URI (Call Its URI Directly, and its auth value
        # typed there), an answer Okta refuses is also fetched straight from the hook, so it
        # can be judged here: the comparison that makes a refusal evidence about a rule.
        direct = self.calls.target(quiet=True)
        if direct is None or direct.kind != "url" or direct.url != hook.uri:
            direct = None
        job = self.calls.start_exchange(text, target, "okta preview")
        self.preview_result.setText(PREVIEW_RUNNING)
        job.finished.connect(
            lambda exchange, t=target, d=direct, x=text: self._on_preview(t, exchange, d, x)
        )
        job.failed.connect(self.preview_result.setText)

    def _on_preview(self, target: Any, exchange: Any, direct: Any = None, text: str = "") -> None:
        if target.error is not None:
            self.preview_result.setText(str(target.error))
            return
        if direct is None or target.okta_status != 400:
            self._show_preview(target, exchange, None)
            return
        self.preview_result.setText(PREVIEW_DIRECT)
        org = self.calls.run.org
        schema = org.schema if org is not None else None
        reading = self.calls.run.reading
        relay = self._direct_relay

        def work() -> None:
            from app.logic.run.pipeline import run_exchange

            try:
                straight = run_exchange(text, direct, schema=schema, reading=reading)
            except Exception:  # the comparison is extra: Okta's answer is shown without it
                straight = None
            _emit(relay.answered, (target, exchange, straight))

        _THREADS.start(work)

    def _show_preview(self, target: Any, exchange: Any, direct: Any) -> None:
        from app.logic.okta_org.preview import judge_preview

        preview = judge_preview(target, exchange, direct)
        self.last_preview = preview
        verdict = exchange.verdict
        lines = [f"Okta: {target.okta_said}"]
        if verdict is not None and target.okta_status == 200:
            lines.append(f"This program's verdict of the same answer: {verdict.headline}")
        elif verdict is not None:
            lines.append(f"So the sign-up goes as for a failed call: {verdict.headline}")
        if direct is not None and direct.verdict is not None:
            lines.append(f"Straight to the hook, judged here: {direct.verdict.headline}")
        lines += [f"DISAGREEMENT: {text}" for text in preview.disagreements]
        lines += [o.sentence() + f" — rule {o.rule}" for o in preview.observations if o.rule]
        self.preview_result.setText("\n".join(lines))
        observations = preview.observations
        if observations:
            self.citations.add(observations)
            self.citations_changed.emit()

            def keep() -> None:
                from app.logic.okta_org.observations import ObservationStore

                ObservationStore().record(observations)  # a failure is said nowhere: evidence only

            _THREADS.start(keep)

    # --- the System Log ---------------------------------------------------------------------

    def read_calls(self) -> None:
        from app.logic.okta_org.calls import parse_since

        hook = self._chosen_hook()
        if hook is None or self.client is None:
            self.status.setText("Choose a hook on the Hooks tab first.")
            return
        try:
            since = parse_since(self.since_edit.text() or "7d")
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        client = self.client
        self.call_list.clear()
        self.status.setText(READING_CALLS.format(since=since))

        def work(cancelled: Callable[[], bool], _generation: int) -> Any:
            from app.logic.okta_org.calls import hook_calls

            return since, hook_calls(client, hook.id, since=since, cancelled=cancelled)

        self._calls_generation = self._start("calls", work)
        self.cancel_calls_button.setEnabled(True)

    def cancel_reading_calls(self) -> None:
        """Stop reading the System Log: the worker stops at its next page, and what it read
        is dropped (a listing cut short would look like the whole log)."""
        if self._calls_generation != self._generation:
            return
        self._generation += 1
        self.cancel_calls_button.setEnabled(False)
        self.status.setText(READ_CANCELLED)

    def save_scenario(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from app.logic.okta_org.calls import scenario_from_call
        from app.logic.okta_org.client import OrgApiError

        row = self.call_list.currentRow()
        if not 0 <= row < len(self.logged):
            return
        try:
            scenario = scenario_from_call(self.logged[row])
        except OrgApiError as exc:
            self.status.setText(str(exc))
            return
        path, _ = QFileDialog.getSaveFileName(
            self, SAVE_SCENARIO, "logged-call.json", "JSON (*.json)"
        )
        if not path:
            return
        try:
            Path(path).write_text(json.dumps(scenario, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            self.status.setText(f"Cannot save {path}: {exc.strerror or exc}")
            return
        self.status.setText(f"Saved the scenario to {path}.")

    # --- results ----------------------------------------------------------------------------

    def _on_finished(self, generation: int, value: Any) -> None:
        if not self._current(generation):
            return
        kind, result = value
        if kind == "connect":
            self._connected(*result)
        elif kind == "users" and result is not None:
            capped = len(self.users) >= MAX_LISTED
            more = CAPPED.format(count=MAX_LISTED) if capped else ""
            notes = f" — {'; '.join(result)}" if result else ""
            self.users_note.setText(FOUND.format(count=len(self.users), more=more) + notes)
        elif kind == "calls":
            self._show_calls(*result)

    def _on_failed(self, generation: int, message: str) -> None:
        if not self._current(generation):
            return
        self.cancel_calls_button.setEnabled(False)
        self._restore_done(message.rstrip("."))
        self.status.setText(message)
        self.users_note.setText("")
        if self.client is None:
            self.tabs.setEnabled(False)

    def _connected(self, client: Any, schema: Any, hooks: list[Any]) -> None:
        from app.logic.okta_org.operations import shown

        if self.client is not None and self.client is not client:
            self.client.close()
        self._held[:] = [client]
        self.client, self.schema, self.hooks = client, schema, hooks
        self.token_edit.clear()  # the token lives in the client (and the keyring if asked)
        self.url_edit.setText(client.config.org_url)
        if self.settings is not None:
            self.settings.set(K.ORG_URL, client.config.org_url)
        self.hook_list.clear()
        for hook in hooks:
            self.hook_list.addItem(
                f"{shown(hook.name, 50)} — {shown(hook.status, 10)} — {shown(hook.uri, 90)}"
                + (f" (auth header {shown(hook.auth_header, 30)})" if hook.auth_header else "")
            )
        if hooks:
            self.hook_list.setCurrentRow(0)
        self.tabs.setEnabled(True)
        self.status.setText(
            CONNECTED.format(
                org=client.config.org_url, attributes=len(schema.attributes), hooks=len(hooks)
            )
        )
        if self._restoring is not None:
            self._restore_hook(hooks)
        self.search_now()

    def _restore_hook(self, hooks: list[Any]) -> None:
        hook_id = self._restoring[0] if self._restoring is not None else ""
        row = next((n for n, hook in enumerate(hooks) if hook.id == hook_id), -1)
        if row < 0 or self.client is None:
            org = self.client.config.org_url if self.client is not None else "?"
            self._restore_done(HOOK_GONE.format(org=org, hook=hook_id))
            return
        if self._restoring is not None and self._restoring[3]():
            self.hook_list.setCurrentRow(row)
            self.use_as_target()
            self._restore_done(None, chosen=True)
        self._restoring = None

    def _show_calls(self, since: str, calls: list[Any]) -> None:
        self.cancel_calls_button.setEnabled(False)
        self.logged = calls
        if self.show_logged is not None and calls:
            self.show_logged(calls)
            self.status.setText(CALLS_READ.format(count=len(calls), since=since))
        self.call_list.clear()
        for call in calls:
            self.call_list.addItem(call.line())
        if calls:
            self.call_list.setCurrentRow(0)
        else:
            self.status.setText(NO_CALLS.format(since=since))

    def closeEvent(self, event: Any) -> None:
        self._generation += 1  # any search still running stops at its next page
        super().closeEvent(event)


def _close_all(held: list[Any]) -> None:
    for client in held:
        with contextlib.suppress(Exception):
            client.close()
    held.clear()


def _one_line(exc: BaseException) -> str:
    from app.logic.text import one_line

    text = one_line(str(exc) or type(exc).__name__)
    return text if len(text) <= 300 else text[:297] + "..."
