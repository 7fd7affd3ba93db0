"""The person's page: the Sign-In Widget's sign-up page (self-service registration) or its
progressive profile page, to type into and submit, in the person's language.

    page = SignupPage(schema=org.schema)
    page.set_target(BundledTarget("/registrationHookSSR"))   # or, in the window:
    page.set_starter(calls.start_for_page)        # text -> ExchangeJob, or why nothing was sent
    page.set_flow(okta.SSR)                       # or okta.PP (the enroll-profile update screen)
    page.set_form(("email", "firstName", "lastName"), org.schema)
    page.set_user(user)                           # PP: who signs in; default language for both
    page.exchange_ready.connect(history.add)

Pressing Sign Up / Submit (or Enter in an input) runs the form's own checks first (blank
required inputs, the email's shape: `app.logic.person.form_rules`); when they pass, the request
is built by the one request builder and sent as one `ExchangeJob`: the window's starter (which
resolves block 1's target only then, and makes the answer the current run), else the page's own
target; off the GUI thread (a spinner and the call's time against Okta's limit show
meanwhile). The outcome is drawn on the page as the widget draws it: the banner and each
message under its input, the generic failure text, or the next screen ("account created" with
the new profile, or the updated profile) with the attributes the hook set highlighted.

Signals:
    submitted(str)          the request JSON text, just before it is sent
    checked(dict)           the checks before the call stopped the form: {input: message}
    exchange_ready(object)  the `Exchange` of each call (for the history)
    outcome_shown(object)   the `PageOutcome` now drawn (after a call, a check or show_exchange)
    busy_changed(bool)      a call started (True) or ended (False)
    language_changed(str)   the page's language code ("en", "fr", "de", "es", "ja")

The window wires: the current target (`set_target`), request type (`set_flow`), form inputs
(`set_form`), chosen user (`set_user`), zoom (`set_zoom_factor`), and `exchange_ready` to its
history; `show_exchange(exchange)` draws a replayed history entry without calling anything.
The page follows the application palette by itself (light or dark).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.logic import okta
from app.logic.person import form_rules
from app.logic.person.outcome import (
    HOOK,
    OKTA,
    PageOutcome,
    Result,
    checked_outcome,
    exchange_outcome,
)
from app.logic.person.texts import LANGUAGES, WidgetTexts, default_language, load_texts
from app.views.flow_layout import FlowLayout
from app.views.panels.page_look import (
    GENERATION_NOTE,
    PageColors,
    Spinner,
    page_colors,
    role_font,
)
from app.views.plain_text import plain_label

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.views.exchange_job import ExchangeJob

    #: Starts the call for a request text: the job, or why nothing was sent.
    Starter = Callable[[str], "ExchangeJob | str"]

if TYPE_CHECKING:
    from app.logic.org import OrgUser, UserSchema
    from app.logic.person.form_rules import FormField
    from app.logic.run.exchange import Exchange
    from app.logic.targets.base import Target

W = TypeVar("W", bound=QWidget)

# --- the preview's own words (English; the widget's texts come from app.logic.person.texts) --
HOOK_TEXT_NOTE = (
    "Okta shows the hook's own errorSummary exactly as the hook wrote it, in whatever language "
    "it wrote it: the widget's translations never reach hook messages."
)
LANGUAGE_LABEL = "Page language:"
START_OVER = "Start over"
CANCEL = "Cancel"
PAGE_NAMES = {
    okta.SSR: "Sign-up page (self-service registration)",
    okta.PP: "Progressive profile page (an existing user signs in)",
}
OKTA_TEXT_TAG = "Okta's server text: published in English only"
HOOK_TAG = "the hook's own words"
SET_BY_HOOK = "set by the hook"
WAITING = "Waiting for the hook: {elapsed:.1f} s"
LIMIT = "Okta waits at most {limit:g} s for an answer."
RETRY_NOTE = " After a timeout or a failed connection it tries once more."
NO_TARGET = "No hook target is set, so the request was built but not sent."
STALE = "Changed since this answer: press Sign Up again to see what the hook says now."
NO_USER = "Choose a user: the progressive form is for someone who already has an account."
ALREADY_SET = (
    "This user already has {names}: Okta would not show them this form. "
    "You can still type a value to see what the hook does."
)
INTERNAL = "The call could not be made: {message}"
NOT_SET = "(not set)"
PROFILE_CREATED = "The profile Okta creates (shown by this preview):"
PROFILE_AFTER = "The profile after the update (shown by this preview):"
_LOGO = "okta"


def system_language() -> str:
    """The application's locale name (QLocale's default, which follows the system's)."""
    return QLocale().name()


class SignupPage(QWidget):
    """The sign-up or progressive profile page; see the module docstring for its interface."""

    submitted = Signal(str)
    checked = Signal(dict)
    exchange_ready = Signal(object)
    outcome_shown = Signal(object)
    busy_changed = Signal(bool)
    language_changed = Signal(str)

    def __init__(
        self,
        schema: UserSchema | None = None,
        parent: QWidget | None = None,
        *,
        target: Target | None = None,
        flow: str = okta.SSR,
        fields: Sequence[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signupPage")
        self._schema = schema
        self._target = target
        self._flow = okta.PP if flow == okta.PP else okta.SSR
        self._names: tuple[str, ...] = tuple(fields or form_rules.guide_form("", self._flow))
        self._required: frozenset[str] | None = None
        self._user: OrgUser | None = None
        self._language = default_language(None, system_language())
        self._language_chosen = False
        self._texts: WidgetTexts = load_texts(self._language)
        self._fields: tuple[FormField, ...] = ()
        self._edits: dict[str, QLineEdit] = {}
        self._errors: dict[str, QLabel] = {}
        self._values: dict[str, str] = {}
        self._outcome: PageOutcome | None = None
        self._exchange: Exchange | None = None  # the call behind the outcome shown, if any
        self._factor = 1.0
        self._base_point_size = QApplication.font().pointSizeF()
        self._fonts: list[tuple[QWidget, str]] = []
        self._colors: PageColors = page_colors(self.palette())
        self._calling = False
        self._limit_s = okta.TIMEOUT_S
        self._retry = False
        self._starter: Starter | None = None
        self._reading = "strict"
        self._job: ExchangeJob | None = None
        self._build()
        self._rebuild_form()

    # --- public interface ---------------------------------------------------------------------

    @property
    def flow(self) -> str:
        return self._flow

    @property
    def busy(self) -> bool:
        return self._job is not None and self._job.busy

    @property
    def outcome(self) -> PageOutcome | None:
        """What the page shows now (None: the empty form)."""
        return self._outcome

    def language(self) -> str:
        return self._language

    def texts(self) -> WidgetTexts:
        return self._texts

    def target(self) -> Target | None:
        return self._target

    def set_target(self, target: Target | None) -> None:
        """Where Sign Up / Submit sends the request (None: build it, send nothing), when no
        starter is set."""
        self._target = target

    def set_starter(self, starter: Starter | None) -> None:
        """Who sends Sign Up / Submit: `starter(text)` returns the started `ExchangeJob`, or a
        sentence saying why nothing was sent. Takes the place of `set_target`."""
        self._starter = starter

    def set_stale(self, stale: bool) -> None:
        """What feeds the call changed since the answer shown (the remark says so)."""
        if self._outcome is None or self.busy:
            return
        if stale:
            self._set_remark(STALE)
        else:
            self._set_remark(self._outcome.note)

    def is_stale(self) -> bool:
        return self._remark.text() == STALE and not self._remark.isHidden()

    def set_reading(self, reading: str) -> None:
        """How a call started by the page's own target reads Okta's undocumented rules."""
        self._reading = reading

    def set_flow(self, request_type: str, fields: Sequence[str] | None = None) -> None:
        """Sign-up (okta.SSR) or progressive profile (okta.PP) page, with its inputs (default:
        the guide's form for that flow)."""
        flow = okta.PP if request_type == okta.PP else okta.SSR
        names = tuple(fields or form_rules.guide_form("", flow))
        if (flow, names) == (self._flow, self._names):
            return  # the same page: what it shows stays (a change elsewhere may make it stale)
        self._flow, self._names = flow, names
        self._outcome = None
        self._rebuild_form()

    def set_form(
        self,
        fields: Sequence[str],
        schema: UserSchema | None = None,
        required: Iterable[str] | None = None,
    ) -> None:
        """The inputs the policy's form collects, in order (labels from the widget's texts for
        Okta's base attributes, else the schema's titles). `required`: default all of them."""
        if schema is not None:
            self._schema = schema
        self._names = tuple(fields)
        self._required = frozenset(required) if required is not None else None
        self._outcome = None
        self._rebuild_form()

    def set_user(self, user: OrgUser | None) -> None:
        """The chosen user: who signs in on the progressive page, and whose `locale` picks the
        page's language unless the person chose one in the page."""
        self._user = user
        if not self._language_chosen:
            locale = user.profile.get("locale") if user is not None else None
            self._apply_language(default_language(locale, system_language()))
        self._update_notes()

    def set_language(self, language: str) -> None:
        """Show the widget's texts in `language` (a key of `LANGUAGES`); it then sticks."""
        self._language_chosen = True
        self._apply_language(language)

    def set_zoom_factor(self, factor: float, base_point_size: float | None = None) -> None:
        """Scale the page's text (the window's zoom)."""
        self._factor = max(0.25, float(factor))
        if base_point_size is not None:
            self._base_point_size = base_point_size
        self._apply_fonts()

    def field_edit(self, name: str) -> QLineEdit:
        """The input of attribute `name` (for tests and the window's focus handling)."""
        return self._edits[name]

    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self._fields)

    def field_error(self, name: str) -> str | None:
        label = self._errors[name]
        return label.text() if not label.isHidden() else None

    def banner_texts(self) -> list[str]:
        return [label.text() for label in self._banner_lines] if not self._banner.isHidden() else []

    def on_next_screen(self) -> bool:
        """True when the page shows the screen after a successful submission."""
        return not self._done.isHidden()

    def submit(self) -> None:
        """Press Sign Up / Submit."""
        if self.busy:
            return
        self._values = {name: edit.text() for name, edit in self._edits.items()}
        problems = form_rules.check_form(self._fields, self._values, self._texts)
        if problems:
            self._exchange = None
            self._show(checked_outcome(problems, self._texts))
            self.checked.emit(problems)
            return
        if self._flow == okta.PP and self._user is None:
            self._set_remark(NO_USER)
            return
        sent = form_rules.submitted_values(self._fields, self._values)
        text = form_rules.request_text(self._flow, sent, self._user)
        self.submitted.emit(text)
        job = self._start(text)
        if isinstance(job, str):
            self._set_remark(job)
            return
        self._clear_messages()
        self._job = job
        self._limit_s = job.timeout_s
        self._retry = job.max_attempts > 1
        # A newer call (from any surface) replaces this one: its late signals are not ours.
        job.progress.connect(lambda ms, j=job: self._for_job(j, self._on_tick, ms))
        job.finished.connect(lambda ex, j=job: self._for_job(j, self._on_exchange, ex))
        job.failed.connect(lambda message, j=job: self._for_job(j, self._on_failed, message))
        job.done.connect(lambda j=job: self._for_job(j, self._on_finished))
        self._set_busy(True)

    def _for_job(self, job: ExchangeJob, slot: Callable[..., None], *args: object) -> None:
        if job is self._job:
            slot(*args)

    def _start(self, text: str) -> ExchangeJob | str:
        if self._starter is not None:
            return self._starter(text)
        if self._target is None:
            return NO_TARGET
        from app.views.exchange_job import ExchangeJob

        job = ExchangeJob(
            text,
            self._target,
            schema=self._schema,
            reading=self._reading,
            source="signup page",
            parent=self,
        )
        job.start()
        return job

    def cancel(self) -> None:
        """Stop waiting for the hook (the page stays as it was)."""
        if self._job is not None:
            self._job.cancel()

    def show_exchange(self, exchange: Exchange) -> PageOutcome:
        """Draw what the person would see for `exchange` (a history entry), calling nothing."""
        request = exchange.request if isinstance(exchange.request, dict) else {}
        kind = request.get("requestType")
        raw_data = request.get("data")
        data = raw_data if isinstance(raw_data, dict) else {}
        flow = kind if kind in okta.REQUEST_TYPES else self._flow
        typed = data.get("userProfileUpdate" if flow == okta.PP else "userProfile")
        typed = typed if isinstance(typed, dict) else {}
        # Okta fills `login` from the email: it is not an input of the sign-up form.
        sent = [k for k in typed if not (k == "login" and flow == okta.SSR and "email" in typed)]
        names = list(self._names) if flow == self._flow else []
        names += [name for name in sent if name not in names]
        if flow != self._flow or tuple(names) != self._names:
            self._flow = flow
            self._names = tuple(names)
            self._outcome = None
            self._rebuild_form()
        for name, edit in self._edits.items():
            value = typed.get(name)
            edit.setText("" if value is None else str(value))
        self._exchange = exchange
        outcome = self._outcome_for(exchange)
        self._show(outcome)
        return outcome

    def _outcome_for(self, exchange: Exchange) -> PageOutcome:
        return exchange_outcome(
            exchange, self.field_names(), self._texts, self._schema, request_type=self._flow
        )

    def start_over(self) -> None:
        """The empty form again."""
        self.cancel()
        for edit in self._edits.values():
            edit.clear()
        self._outcome = None
        self._clear_messages()
        self._show_screen(done=False)
        self._set_remark("")
        if self._fields:
            self._edits[self._fields[0].name].setFocus()

    # --- building -------------------------------------------------------------------------------

    def _font_role(self, widget: W, role: str) -> W:
        self._fonts.append((widget, role))
        return widget

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(6)

        # Wraps in a narrow dock (the page name, then the language and Start over).
        bar = FlowLayout()
        self._page_name = self._font_role(QLabel(), "label")
        self._page_name.setObjectName("pageName")
        bar.addWidget(self._page_name)
        language_label = self._font_role(QLabel(LANGUAGE_LABEL), "body")
        self._language_box = QComboBox()
        self._language_box.setObjectName("pageLanguage")
        for code, name in LANGUAGES.items():
            self._language_box.addItem(name, code)
        language_label.setBuddy(self._language_box)
        self._language_box.activated.connect(self._on_language_picked)
        bar.addWidget(language_label)
        bar.addWidget(self._font_role(self._language_box, "body"))
        self._start_over = self._font_role(QPushButton(START_OVER), "body")
        self._start_over.setObjectName("startOver")
        self._start_over.clicked.connect(self.start_over)
        bar.addWidget(self._start_over)
        outer.addLayout(bar)

        self._hook_note = self._font_role(plain_label(HOOK_TEXT_NOTE), "small")
        self._hook_note.setObjectName("hookTextNote")
        self._hook_note.setWordWrap(True)
        outer.addWidget(self._hook_note)
        self._generation_note = self._font_role(plain_label(GENERATION_NOTE), "small")
        self._generation_note.setObjectName("generationNote")
        self._generation_note.setWordWrap(True)
        outer.addWidget(self._generation_note)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._backdrop = QWidget()
        self._backdrop.setObjectName("pageBackdrop")
        column = QVBoxLayout(self._backdrop)
        column.setContentsMargins(16, 18, 16, 18)
        column.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._card = QFrame()
        self._card.setObjectName("signupCard")
        self._card.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Maximum)
        column.addWidget(self._card, 0, Qt.AlignmentFlag.AlignHCenter)
        # Qt workaround: an aligned item is given its size hint's height, which ignores word
        # wrap at the card's width; each re-layout of the card sets its height from its width.
        self._card.installEventFilter(self)
        self._remark = self._font_role(plain_label(""), "small")
        self._remark.setObjectName("pageRemark")
        self._remark.setWordWrap(True)
        self._remark.hide()
        column.addWidget(self._remark, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(1)
        scroll.setWidget(self._backdrop)
        outer.addWidget(scroll, 1)

        card = QVBoxLayout(self._card)
        card.setContentsMargins(40, 28, 40, 32)
        card.setSpacing(0)
        logo = self._font_role(QLabel(_LOGO), "logo")
        logo.setObjectName("pageLogo")
        logo.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        card.addWidget(logo)
        card.addSpacing(18)
        rule = QFrame()
        rule.setObjectName("pageRule")
        rule.setFixedHeight(1)
        card.addWidget(rule)
        card.addSpacing(20)
        # Two screens, one shown: hidden widgets take no room, so the card fits the one shown.

        self._form = QWidget()
        self._form_layout = QVBoxLayout(self._form)
        self._form_layout.setContentsMargins(0, 0, 0, 0)
        self._form_layout.setSpacing(0)
        self._form_body: QWidget | None = None
        card.addWidget(self._form)

        self._done = QWidget()
        done = QVBoxLayout(self._done)
        done.setContentsMargins(0, 0, 0, 0)
        done.setSpacing(10)
        self._done_title = self._font_role(plain_label(""), "title")
        self._done_title.setObjectName("doneTitle")
        self._done_title.setWordWrap(True)
        self._done_body = self._font_role(plain_label(""), "body")
        self._done_body.setObjectName("doneBody")
        self._done_body.setWordWrap(True)
        self._profile = QVBoxLayout()
        self._profile.setSpacing(2)
        self._back = self._font_role(QPushButton(), "body")
        self._back.setObjectName("backToSignIn")
        self._back.setFlat(True)
        self._back.setCursor(Qt.CursorShape.PointingHandCursor)
        self._back.clicked.connect(self.start_over)
        done.addWidget(self._done_title)
        done.addWidget(self._done_body)
        done.addSpacing(6)
        self._profile_caption = self._font_role(plain_label(""), "small")
        self._profile_caption.setObjectName("profileCaption")
        self._profile_caption.setWordWrap(True)
        done.addWidget(self._profile_caption)
        done.addLayout(self._profile)
        done.addSpacing(8)
        done.addWidget(self._back, 0, Qt.AlignmentFlag.AlignLeft)
        card.addWidget(self._done)
        self._done.hide()
        self._profile_entries: list[QFrame] = []
        self._banner_lines: list[QLabel] = []

    def _rebuild_form(self) -> None:
        """Lay out the form's inputs and texts in the current language; typed values stay."""
        for name, edit in self._edits.items():
            self._values[name] = edit.text()
        old = self._form_body
        if old is not None:
            self._fonts = [(w, r) for w, r in self._fonts if not old.isAncestorOf(w)]
            _discard(old)
        self._form_body = QWidget()
        self._form_layout.addWidget(self._form_body)
        layout = QVBoxLayout(self._form_body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self._edits.clear()
        self._errors.clear()
        texts = self._texts
        self._fields = form_rules.form_fields(self._names, texts, self._schema, self._required)
        progressive = self._flow == okta.PP

        # Gen3 draws the info/error section first, above the title (see GEN3_SOURCE).
        self._banner = QFrame()
        self._banner.setObjectName("pageBanner")
        banner_layout = QVBoxLayout(self._banner)
        banner_layout.setContentsMargins(12, 10, 12, 10)
        banner_layout.setSpacing(4)
        self._banner_layout = banner_layout
        self._banner_lines = []
        self._banner.hide()
        layout.addWidget(self._banner)
        self._banner_gap = QWidget()
        self._banner_gap.setFixedHeight(14)
        self._banner_gap.hide()
        layout.addWidget(self._banner_gap)

        self._title = self._font_role(plain_label(""), "title")
        self._title.setObjectName("pageTitle")
        self._title.setWordWrap(True)
        layout.addWidget(self._title)
        layout.addSpacing(6)
        self._subtitle = self._font_role(plain_label(""), "small")
        self._subtitle.setObjectName("pageSubtitle")
        self._subtitle.setWordWrap(True)
        layout.addWidget(self._subtitle)
        layout.addSpacing(14)

        for field in self._fields:
            label_text = field.label
            label = self._font_role(plain_label(label_text), "label")
            label.setObjectName(f"label_{field.name}")
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(label)
            if not field.required:
                optional = self._font_role(
                    plain_label(texts.get("oie.form.field.optional")), "small"
                )
                optional.setObjectName("optionalMark")
                row.addWidget(optional)
            row.addStretch(1)
            holder = QWidget()
            holder.setLayout(row)
            layout.addWidget(holder)
            layout.addSpacing(4)
            edit = self._font_role(QLineEdit(), "body")
            edit.setObjectName(f"input_{field.name}")
            edit.setAccessibleName(label_text)
            label.setBuddy(edit)
            edit.setText(self._values.get(field.name, ""))
            edit.returnPressed.connect(self.submit)
            edit.textEdited.connect(lambda _text, name=field.name: self._on_edited(name))
            layout.addWidget(edit)
            error = self._font_role(plain_label(""), "small")
            error.setObjectName(f"error_{field.name}")
            error.setWordWrap(True)
            error.hide()
            layout.addWidget(error)
            layout.addSpacing(14)
            self._edits[field.name] = edit
            self._errors[field.name] = error

        layout.addSpacing(6)
        self._button = self._font_role(QPushButton(), "button")
        self._button.setObjectName("submitButton")
        self._button.setCursor(Qt.CursorShape.PointingHandCursor)
        self._button.clicked.connect(self.submit)
        layout.addWidget(self._button)

        busy = QHBoxLayout()
        busy.setContentsMargins(0, 10, 0, 0)
        self._spinner = Spinner()
        self._spinner.hide()
        self._busy_label = self._font_role(plain_label(""), "small")
        self._busy_label.setObjectName("busyLabel")
        self._busy_label.hide()
        self._cancel_button = self._font_role(QPushButton(CANCEL), "small")
        self._cancel_button.setObjectName("cancelCall")
        self._cancel_button.clicked.connect(self.cancel)
        self._cancel_button.hide()
        busy.setSpacing(8)
        busy.addWidget(self._spinner)
        busy.addWidget(self._busy_label, 1)
        busy.addWidget(self._cancel_button)
        layout.addLayout(busy)
        self._limit_bar = QProgressBar()
        self._limit_bar.setObjectName("limitBar")
        self._limit_bar.setTextVisible(False)
        self._limit_bar.setFixedHeight(4)
        self._limit_bar.hide()
        layout.addSpacing(6)
        layout.addWidget(self._limit_bar)
        self._limit_label = self._font_role(plain_label(""), "small")
        self._limit_label.setObjectName("limitLabel")
        self._limit_label.setWordWrap(True)
        self._limit_label.hide()
        layout.addWidget(self._limit_label)

        self._footer = QWidget()
        footer = QVBoxLayout(self._footer)
        footer.setContentsMargins(0, 18, 0, 0)
        footer_rule = QFrame()
        footer_rule.setObjectName("pageRule")
        footer_rule.setFixedHeight(1)
        footer.addWidget(footer_rule)
        footer.addSpacing(14)
        sign_in = QHBoxLayout()
        self._have_account = self._font_role(plain_label(""), "body")
        self._sign_in_link = self._font_role(plain_label(""), "label")
        self._sign_in_link.setObjectName("signInLink")
        sign_in.addWidget(self._have_account)
        sign_in.addWidget(self._sign_in_link)
        sign_in.addStretch(1)
        footer.addLayout(sign_in)
        layout.addWidget(self._footer)
        self._footer.setVisible(not progressive)

        self._retexts()
        self._show_screen(done=False)
        self._restyle()
        self._apply_fonts()
        self._update_notes()
        if self._outcome is not None:
            self._show(self._outcome)

    def _retexts(self) -> None:
        texts = self._texts
        progressive = self._flow == okta.PP
        self._page_name.setText(PAGE_NAMES[self._flow])
        self._title.setText(
            texts.get("oie.primaryauth.submit" if progressive else "oie.registration.form.title")
        )
        self._subtitle.setText(texts.get("oie.form.field.optional.description"))
        self._button.setText(
            texts.get(
                "oie.registration.form.update.submit"
                if progressive
                else "oie.registration.form.submit"
            )
        )
        self._have_account.setText(texts.get("haveaccount"))
        self._sign_in_link.setText(texts.get("signin"))
        self._back.setText(texts.get("goback"))
        index = self._language_box.findData(self._language)
        if index >= 0:
            self._language_box.setCurrentIndex(index)

    # --- drawing an outcome ---------------------------------------------------------------------

    def _clear_messages(self) -> None:
        for line in self._banner_lines:
            _discard(line)
        self._fonts = [(w, r) for w, r in self._fonts if w not in self._banner_lines]
        self._banner_lines = []
        self._banner.hide()
        self._banner_gap.hide()
        for name, error in self._errors.items():
            error.clear()
            error.hide()
            self._style_edit(name, False)

    def _show(self, outcome: PageOutcome) -> None:
        """Draw `outcome`: messages on the form, or the next screen."""
        self._outcome = outcome
        self._clear_messages()
        if outcome.stays_on_form:
            self._show_screen(done=False)
            for notice in outcome.banner:
                text = notice.text
                line = self._font_role(plain_label(text), "body")
                line.setObjectName("bannerLine")
                line.setWordWrap(True)
                if notice.reading:
                    line.setToolTip(notice.reading)
                elif notice.source == OKTA:
                    line.setToolTip(OKTA_TEXT_TAG)
                elif notice.source == HOOK:
                    line.setToolTip(HOOK_TAG)
                self._banner_layout.addWidget(line)
                self._banner_lines.append(line)
            if self._banner_lines:
                self._banner.show()
                self._banner_gap.show()
            for name, notices in outcome.field_messages.items():
                if name not in self._errors:
                    continue
                error = self._errors[name]
                error.setText("\n".join(n.text for n in notices))
                if any(n.source == HOOK for n in notices):
                    error.setToolTip(HOOK_TAG)
                error.show()
                self._style_edit(name, True)
        else:
            self._fill_done(outcome)
            self._show_screen(done=True)
        remark = outcome.note
        if outcome.banner and any(n.source == OKTA for n in outcome.banner):
            remark += f" ({OKTA_TEXT_TAG}.)"
        self._set_remark(remark)
        self._restyle()
        self._apply_fonts()
        self.outcome_shown.emit(outcome)

    def _fill_done(self, outcome: PageOutcome) -> None:
        for entry in self._profile_entries:
            self._fonts = [(w, r) for w, r in self._fonts if not entry.isAncestorOf(w)]
            _discard(entry)
        self._profile_entries = []
        self._done_title.setText(outcome.title)
        self._done_body.setText(outcome.body)
        self._done_body.setVisible(bool(outcome.body))
        progressive = outcome.result is Result.UPDATED
        self._profile_caption.setText(PROFILE_AFTER if progressive else PROFILE_CREATED)
        for row in outcome.profile:
            after = _shown(row.after)
            value = f"{_shown(row.before)} → {after}" if progressive and row.set_by_hook else after
            entry = QFrame()
            entry.setObjectName("profileEntry")
            entry.setProperty("hookSet", row.set_by_hook)
            box = QVBoxLayout(entry)
            box.setContentsMargins(8, 3, 8, 3)
            box.setSpacing(0)
            heading = row.label + (f"  ·  {SET_BY_HOOK}" if row.set_by_hook else "")
            name = self._font_role(plain_label(heading), "small")
            name.setObjectName("setByHook" if row.set_by_hook else "profileName")
            shown = self._font_role(plain_label(value), "body")
            shown.setObjectName("profileValue")
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.addWidget(name)
            box.addWidget(shown)
            self._profile.addWidget(entry)
            self._profile_entries.append(entry)

    def profile_shown(self) -> dict[str, tuple[str, bool]]:
        """The next screen's profile as shown: label -> (value text, set by the hook)."""
        shown = {}
        for entry in self._profile_entries:
            name, value = entry.findChildren(QLabel)[:2]
            label = name.text().split("  ·  ")[0]
            shown[label] = (value.text(), bool(entry.property("hookSet")))
        return shown

    def _show_screen(self, *, done: bool) -> None:
        self._form.setVisible(not done)
        self._done.setVisible(done)

    def _set_remark(self, text: str) -> None:
        self._remark.setText(text)
        self._remark.setVisible(bool(text))

    def _update_notes(self) -> None:
        if self._flow != okta.PP or self._user is None or self._outcome is not None:
            return
        present = [
            f.label for f in self._fields if self._user.profile.get(f.name) not in (None, "")
        ]
        self._set_remark(ALREADY_SET.format(names=", ".join(present)) if present else "")

    # --- the call ---------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self._calling = busy
        self._button.setEnabled(not busy)
        for edit in self._edits.values():
            edit.setReadOnly(busy)
        self._busy_label.setVisible(busy)
        self._limit_bar.setVisible(busy)
        self._limit_label.setVisible(busy)
        self._cancel_button.setVisible(busy)
        if busy:
            self._spinner.start()
            self._limit_bar.setRange(0, max(1, int(self._limit_s * 1000)))
            self._limit_bar.setValue(0)
            limit = LIMIT.format(limit=self._limit_s)
            self._limit_label.setText(limit + (RETRY_NOTE if self._retry else ""))
            self._on_tick(0.0)
        else:
            self._spinner.stop()
        self.busy_changed.emit(busy)

    def _on_tick(self, elapsed_ms: float) -> None:
        self._busy_label.setText(WAITING.format(elapsed=elapsed_ms / 1000.0))
        self._limit_bar.setValue(min(self._limit_bar.maximum(), int(elapsed_ms)))

    def _on_exchange(self, exchange: object) -> None:
        if not self._calling:
            return
        self._set_busy(False)
        self._exchange = exchange  # type: ignore[assignment]
        self._show(self._outcome_for(exchange))  # type: ignore[arg-type]
        self.exchange_ready.emit(exchange)

    def _on_failed(self, message: str) -> None:
        if not self._calling:
            return
        self._set_busy(False)
        self._set_remark(INTERNAL.format(message=message))

    def _on_finished(self) -> None:
        # After a cancel (or a newer call elsewhere replacing this one) no result comes.
        if self._calling and not self.busy:
            self._set_busy(False)

    # --- events ---------------------------------------------------------------------------

    def _on_edited(self, name: str) -> None:
        # The widget clears an input's error once the person changes it.
        error = self._errors.get(name)
        if error is not None and not error.isHidden():
            error.hide()
            self._style_edit(name, False)

    def _on_language_picked(self, index: int) -> None:
        self.set_language(str(self._language_box.itemData(index)))

    def _apply_language(self, language: str) -> None:
        if language not in LANGUAGES or language == self._language:
            index = self._language_box.findData(self._language)
            self._language_box.setCurrentIndex(index)
            return
        self._language = language
        self._texts = load_texts(language)
        self._rebuild_form()
        # What the page shows now, again in the new language (the hook's words stay as written).
        if self._outcome is not None and self._outcome.result is Result.CHECKED:
            problems = form_rules.check_form(self._fields, self._current_values(), self._texts)
            if problems:
                self._show(checked_outcome(problems, self._texts))
        elif self._outcome is not None and self._exchange is not None:
            self._show(self._outcome_for(self._exchange))
        self.language_changed.emit(language)

    def _current_values(self) -> dict[str, str]:
        return {name: edit.text() for name, edit in self._edits.items()}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._card and event.type() == QEvent.Type.LayoutRequest:
            self._fit_card_height()
        return False

    def _fit_card_height(self) -> None:
        """As tall as the card's wrapped texts need at its width (a long banner, a message
        under an input, a bigger zoom): nothing inside is cut."""
        layout = self._card.layout()
        if layout is None:
            return
        height = layout.totalHeightForWidth(self._card.width())
        if height > 0 and height != self._card.minimumHeight():
            self._card.setMinimumHeight(height)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._restyle()
        super().changeEvent(event)

    # --- look -------------------------------------------------------------------------------

    def _apply_fonts(self) -> None:
        # Qt workaround: a child with a style sheet does not follow its parent's later font,
        # so each one gets its font explicitly (as the verdict's card does).
        base = QFont(self.font())
        size = self._base_point_size * self._factor
        for widget, role in self._fonts:
            widget.setFont(role_font(base, size, role))
        body = QFontMetrics(role_font(base, size, "body"))
        self._card.setFixedWidth(max(360, body.averageCharWidth() * 46 + 80))
        self._fit_card_height()
        self._remark.setFixedWidth(self._card.width())

    def _style_edit(self, name: str, failed: bool) -> None:
        colors = self._colors
        edit = self._edits.get(name)
        if edit is None:
            return
        border = f"2px solid {colors.danger}" if failed else f"1px solid {colors.border}"
        focus = colors.danger if failed else colors.primary
        edit.setStyleSheet(
            f"QLineEdit {{ background: {colors.card}; color: {colors.text}; border: {border};"
            " border-radius: 6px; padding: 8px 10px; }"
            f"QLineEdit:focus {{ border: 2px solid {focus}; }}"
        )

    def _restyle(self) -> None:
        colors = page_colors(self.palette())
        self._colors = colors
        self._backdrop.setStyleSheet(f"#pageBackdrop {{ background: {colors.backdrop}; }}")
        self._card.setStyleSheet(
            f"#signupCard {{ background: {colors.card}; border: 1px solid {colors.border};"
            " border-radius: 8px; }"
            f"#signupCard QLabel {{ color: {colors.text}; background: transparent; }}"
            f"#signupCard #pageLogo {{ color: {colors.primary}; }}"
            f"#signupCard #pageSubtitle, #signupCard #optionalMark {{ color: {colors.muted}; }}"
            f"#signupCard #pageRule {{ background: {colors.border}; }}"
            f"#signupCard #signInLink {{ color: {colors.primary}; }}"
            f"#signupCard #busyLabel, #signupCard #limitLabel, #signupCard #profileCaption"
            f" {{ color: {colors.muted}; }}"
            f"#signupCard QLabel[objectName^='error_'] {{ color: {colors.danger}; }}"
            f"#pageBanner {{ background: {colors.danger_background};"
            f" border: 1px solid {colors.danger}; border-left: 5px solid {colors.danger};"
            " border-radius: 6px; }"
            f"#pageBanner QLabel {{ color: {colors.text}; }}"
            f"#submitButton {{ background: {colors.primary}; color: {colors.primary_text};"
            " border: none; border-radius: 6px; padding: 10px; }"
            f"#submitButton:disabled {{ background: {colors.muted}; }}"
            f"#backToSignIn {{ color: {colors.primary}; border: none; padding: 0; "
            "text-align: left; }"
            f"#signupCard #profileEntry[hookSet='true'] {{"
            f" background: {colors.highlight_background}; border-radius: 4px; }}"
            f"#signupCard #profileName {{ color: {colors.muted}; }}"
            f"#signupCard #setByHook {{ color: {colors.highlight_text}; }}"
            f"#limitBar {{ border: none; background: {colors.border}; border-radius: 2px; }}"
            f"#limitBar::chunk {{ background: {colors.primary}; border-radius: 2px; }}"
        )
        self._remark.setStyleSheet(f"color: {colors.note}; font-style: italic;")
        for note in (self._hook_note, self._generation_note):
            note.setStyleSheet(f"color: {colors.note};")
        self._spinner.set_color(colors.primary)
        for name, error in self._errors.items():
            self._style_edit(name, not error.isHidden())


def _discard(widget: QWidget) -> None:
    # Out of the widget tree at once (findChild must not find it), deleted later.
    widget.hide()
    widget.setParent(None)
    widget.deleteLater()


def _shown(value: Any) -> str:
    if value is None:
        return NOT_SET
    if isinstance(value, str):
        return value
    import json

    return json.dumps(value, ensure_ascii=False)
