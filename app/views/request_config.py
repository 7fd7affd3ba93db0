"""Block 1, "Configure Inline Hook request": hook target, user picker, request type, form fields
the person typed, the bundled hook's rules, and (for a remote URL) the call's settings."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.logic import okta
from app.logic.person.form_fields import FormFieldChoice, form_note
from app.logic.request_builder import PP, REQUEST_TYPE_LABELS, REQUEST_TYPES, SSR, form_values
from app.views import strings as S
from app.views import user_search
from app.views.plain_text import plain_label
from app.views.theme import status_colors

if TYPE_CHECKING:
    from app.logic.bundled_hook import HookRules
    from app.logic.org import DemoOrg, OrgUser
    from app.views.form_fields_dialog import FormFieldsDialog
    from app.views.remote_panel import RemoteTargetPanel

#: The hook targets, in the combo's order: key -> label. The bundled ones carry their paths.
TARGETS: dict[str, str] = {
    "ssr": "/registrationHookSSR",
    "pp": "/registrationHookPP",
    "ssr-and-pp": "/registrationHookSSRandPP",
    "remote": S.REMOTE_TARGET,
}
BUNDLED_TARGETS = ("ssr", "pp", "ssr-and-pp")


def emphasise_title(group: QGroupBox, scale: float = 1.15, base: QFont | None = None) -> QFont:
    """Draw a block's title bold and a little larger while its contents keep the normal font
    (`base`, e.g. the zoomed window font; else the group's own).

    Call after the block's widgets exist: each direct child gets the normal font explicitly,
    and everything inside them inherits it. Returns that normal font, for a child added later.
    """
    normal = QFont(base if base is not None else group.font())
    # Mark weight and size as set, so the children do not inherit the title's.
    normal.setBold(False)
    normal.setPointSizeF(normal.pointSizeF())
    title = QFont(normal)
    title.setBold(True)
    title.setPointSizeF(normal.pointSizeF() * scale)
    # Children first: the title font then stops at them, rather than reaching every widget
    # inside (a font change each) only to be undone.
    for child in group.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
        child.setFont(normal)
    group.setFont(title)
    return normal


user_label = user_search.user_label


class RequestConfigPanel(QGroupBox):
    """Block 1: what to send and where. Emits `config_changed` when the request would differ."""

    config_changed = Signal()
    target_changed = Signal(str)
    rules_changed = Signal()
    #: The remote settings panel was just built (on first use); its fields hold their defaults.
    remote_panel_created = Signal(object)

    def __init__(self, org: DemoOrg, parent: QWidget | None = None) -> None:
        super().__init__(S.BLOCK1_TITLE, parent)
        self.setObjectName("block1")
        self.org = org
        #: How messages name the org (the window sets it when it opens another one).
        self.org_label = "the demo org"
        self._form_edits: dict[str, QLineEdit] = {}
        self._current_login: str | None = None
        #: What the form held for each request type (SSR -> PP -> SSR keeps the typed email).
        self._kept_forms: dict[str, dict[str, str]] = {}
        self._form_type: str | None = None
        #: What a form field held before an edit of the JSON changed it (Reset puts it back).
        self._before_json: dict[str, str] = {}
        self.field_choice = FormFieldChoice()
        self._completion_logins: dict[str, str] = {}
        self.fields_dialog: FormFieldsDialog | None = None

        page = QVBoxLayout(self)
        outer = QHBoxLayout()
        outer.setSpacing(18)
        page.addLayout(outer)
        self.columns = outer  # side by side, or under each other when the window is narrow
        self._wide_enough = 0  # the width the three columns need side by side (measured)

        # Left: target, user, request type.
        left = QFormLayout()
        left.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.target_combo = QComboBox()
        for key, label in TARGETS.items():
            self.target_combo.addItem(label, key)
        self.target_hint = QLabel(S.BUNDLED_TARGET_HINT)
        self.target_hint.setObjectName("hint")
        self.target_hint.setWordWrap(True)
        target_box = QVBoxLayout()
        target_box.setSpacing(2)
        target_box.addWidget(self.target_combo)
        target_box.addWidget(self.target_hint)
        # A progressive profile request sent to /registrationHookSSR only gets {} (and a quiet
        # ALLOWED): the endpoint that answers the chosen type is one click away.
        self.target_advice = QPushButton()
        self.target_advice.setObjectName("targetAdvice")
        self.target_advice.setVisible(False)
        self.target_advice.clicked.connect(self._take_target_advice)
        target_box.addWidget(self.target_advice)
        target_label = QLabel(S.TARGET_LABEL)
        target_label.setBuddy(self.target_combo)
        left.addRow(target_label, target_box)

        self.user_combo = QComboBox()
        self.user_combo.setEditable(True)
        self.user_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        user_edit = self.user_combo.lineEdit()
        assert user_edit is not None  # an editable combo has made its line edit
        #: The user picker's text field (search as you type).
        self.user_edit: QLineEdit = user_edit
        self.user_edit.setPlaceholderText(S.USER_PLACEHOLDER)
        self.user_combo.setMinimumContentsLength(30)
        # The list holds a few hundred users at most; its width never depends on them.
        self.user_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        user_search.fill_combo(self.user_combo, org, None)
        self._completion_model = QStandardItemModel(self)
        self.completer = QCompleter(self._completion_model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(12)
        self.user_combo.setCompleter(self.completer)
        self.user_hint = plain_label()  # quotes what the person typed
        self.user_hint.setObjectName("hint")
        self.user_hint.setVisible(False)
        user_box = QVBoxLayout()
        user_box.setSpacing(2)
        user_box.addWidget(self.user_combo)
        user_box.addWidget(self.user_hint)
        user_label_ = QLabel(S.USER_LABEL)
        user_label_.setBuddy(self.user_combo)
        left.addRow(user_label_, user_box)

        self.type_combo = QComboBox()
        for request_type in REQUEST_TYPES:
            self.type_combo.addItem(REQUEST_TYPE_LABELS[request_type], request_type)
        type_label = QLabel(S.TYPE_LABEL)
        type_label.setBuddy(self.type_combo)
        left.addRow(type_label, self.type_combo)

        left_widget = QWidget()
        left_widget.setLayout(left)
        left.setContentsMargins(0, 0, 0, 0)

        # Middle: the form fields, rebuilt when the request type changes.
        self.form_group = QGroupBox(S.FORM_TITLE_SSR)
        self.form_group.setObjectName("formGroup")
        form_box = QVBoxLayout(self.form_group)
        self.form_layout = QFormLayout()
        form_box.addLayout(self.form_layout)
        self.form_note = plain_label()
        self.form_note.setObjectName("formNote")
        self.form_note.setWordWrap(True)
        self.form_note.setVisible(False)
        self.fields_button = QPushButton(S.FORM_FIELDS_BUTTON)
        self.fields_button.setObjectName("formFieldsButton")
        self.fields_button.setToolTip(S.FORM_FIELDS_TIP)
        self.fields_button.clicked.connect(self.choose_form_fields)
        note_row = QHBoxLayout()
        note_row.addWidget(self.form_note, 1)
        note_row.addWidget(
            self.fields_button, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
        )
        form_box.addLayout(note_row)

        # Right: the bundled rules, or the remote settings.
        self.rules_group = QGroupBox(S.RULES_TITLE)
        rules_form = QFormLayout(self.rules_group)
        self.domain_edit = QLineEdit(okta.ALLOWED_DOMAIN)
        self.domain_edit.setToolTip("Emails in this domain may register (exact domain match).")
        self.digits_spin = QSpinBox()
        self.digits_spin.setRange(1, 20)
        self.digits_spin.setValue(4)
        self.digits_spin.setToolTip("How many digits an employee number must have.")
        domain_label = QLabel(S.ALLOWED_DOMAIN_LABEL)
        domain_label.setBuddy(self.domain_edit)
        digits_label = QLabel(S.DIGITS_LABEL)
        digits_label.setBuddy(self.digits_spin)
        rules_form.addRow(domain_label, self.domain_edit)
        rules_form.addRow(digits_label, self.digits_spin)
        rules_hint = QLabel(S.RULES_HINT)
        rules_hint.setObjectName("hint")
        rules_form.addRow(rules_hint)

        # The remote settings are built when first needed (see `remote_panel`): most starts
        # show a bundled target, and the panel is the biggest part of this block.
        self._remote_panel: RemoteTargetPanel | None = None
        #: Targets another source added (key -> (label, the URL whose path picks the guide's
        #: policy, the hint under the combo)): the Okta org's Preview through Okta.
        self._added_targets: dict[str, tuple[str, str, str]] = {}
        self._content_font = QFont(self.font())  # replaced by the normal font below
        self._page = page
        self.remote_hint = QLabel(S.REMOTE_RULES_HINT)
        self.remote_hint.setObjectName("hint")
        self.remote_hint.setWordWrap(True)
        self.remote_hint.setVisible(False)

        outer.addWidget(left_widget, 5)
        outer.addWidget(self.form_group, 4)
        right = QVBoxLayout()
        right.addWidget(self.rules_group)
        right.addWidget(self.remote_hint)
        right.addStretch(1)
        outer.addLayout(right, 5)

        self.target_combo.currentIndexChanged.connect(self._on_target_changed)
        self.type_combo.currentIndexChanged.connect(self._on_type_changed)
        self.user_combo.currentIndexChanged.connect(self._on_user_index_changed)
        self.user_edit.textEdited.connect(self._on_user_text_edited)
        self.user_edit.editingFinished.connect(self._on_user_editing_finished)
        self.completer.activated[str].connect(self._on_completion_chosen)
        self.domain_edit.textChanged.connect(self._check_domain)
        self.domain_edit.textChanged.connect(self.rules_changed)
        self.digits_spin.valueChanged.connect(self.rules_changed)

        if org.users:
            self._current_login = org.users[0].login
        self._rebuild_form()
        self._on_target_changed()
        self._content_font = emphasise_title(self)

    # --- values -------------------------------------------------------------------------

    @property
    def remote_panel(self) -> RemoteTargetPanel:
        """The remote hook's settings, under the three columns; built on first use."""
        if self._remote_panel is None:
            from app.views.remote_panel import RemoteTargetPanel

            panel = RemoteTargetPanel()
            # Built after the title font was set: without this it would inherit the title's.
            panel.setFont(self._content_font)
            panel.setVisible(False)
            self._remote_panel = panel
            self._page.addWidget(panel)
            panel.url_edit.textChanged.connect(self._follow_policy)
            self._chain_tab_order()
            self.remote_panel_created.emit(panel)
        return self._remote_panel

    def fit_width(self, width: int) -> bool:
        """Put the three columns under each other when `width` cannot hold them side by side
        (and back when it can). True when the arrangement changed."""
        columns = self.columns
        horizontal = columns.direction() == QHBoxLayout.Direction.LeftToRight
        if horizontal:
            margins = self.contentsMargins()
            self._wide_enough = columns.minimumSize().width() + margins.left() + margins.right()
        wanted_horizontal = width >= self._wide_enough
        if wanted_horizontal == horizontal:
            return False
        columns.setDirection(
            QHBoxLayout.Direction.LeftToRight
            if wanted_horizontal
            else QHBoxLayout.Direction.TopToBottom
        )
        return True

    def set_content_font(self, font: QFont) -> None:
        """The block's text in `font` (zoom), its title a little larger, as at start."""
        self._content_font = emphasise_title(self, base=font)

    def has_remote_panel(self) -> bool:
        """True once the remote settings have been built."""
        return self._remote_panel is not None

    def remote_secrets(self) -> list[str]:
        """The secrets typed in the remote settings (none when they were never opened)."""
        return self._remote_panel.secrets() if self._remote_panel is not None else []

    def target(self) -> str:
        """ "ssr", "pp", "ssr-and-pp" (bundled endpoints) or "remote"."""
        return str(self.target_combo.currentData())

    def target_label(self) -> str:
        if self.is_remote():
            return self.remote_panel.url() or S.REMOTE_TARGET
        if self.target() in self._added_targets:
            return self._added_targets[self.target()][0]
        return TARGETS[self.target()]

    def add_target(self, key: str, label: str, policy_url: str, hint: str) -> None:
        """Offer another target in the combo (or relabel it): `policy_url`'s path picks the
        guide's policy for the form, as a remote URL's does; `hint` goes under the combo."""
        self._added_targets[key] = (label, policy_url, hint)
        index = self.target_combo.findData(key)
        if index < 0:
            self.target_combo.addItem(label, key)
        else:
            self.target_combo.setItemText(index, label)
            if index == self.target_combo.currentIndex():
                self._on_target_changed()

    def is_remote(self) -> bool:
        return self.target() == "remote"

    def set_target(self, key: str) -> None:
        index = self.target_combo.findData(key)
        if index >= 0:
            self.target_combo.setCurrentIndex(index)

    def policy_target(self) -> str:
        """What picks the guide's policy: the bundled endpoint's path, or the remote URL."""
        if self.is_remote():
            if self._remote_panel is None:
                return ""
            from app.logic.targets.base import call_url

            return call_url(self._remote_panel.url(), self.request_type())
        if self.target() in self._added_targets:
            from app.logic.targets.base import call_url

            return call_url(self._added_targets[self.target()][1], self.request_type())
        return TARGETS[self.target()]

    def form_fields(self) -> tuple[str, ...]:
        """The attributes the form collects now (the policy's, or the person's choice)."""
        return self.field_choice.fields(self.policy_target(), self.request_type())

    def set_form_fields(self, fields: tuple[str, ...]) -> None:
        """Make the form collect `fields` (for this target and request type)."""
        self.field_choice.choose(self.policy_target(), self.request_type(), fields)
        self._follow_policy()

    def choose_form_fields(self) -> None:
        """Form fields…: pick the form's attributes from the org's schema."""
        from PySide6.QtWidgets import QDialog

        from app.logic.request_builder import policy_fields
        from app.views.form_fields_dialog import FormFieldsDialog

        policy = policy_fields(self.policy_target(), self.request_type())
        dialog = FormFieldsDialog(self.org.schema, self.form_fields(), policy, self)
        self.fields_dialog = dialog  # for tests, while it is open
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_form_fields(dialog.chosen())
        self.fields_dialog = None

    def _follow_policy(self, *_args: object) -> None:
        """Rebuild the form when the target or the choice changes its fields, keeping what
        was typed into the fields that stay."""
        if self.form_fields() != tuple(self._form_edits):
            typed = self.form()
            self._rebuild_form()
            for name, text in typed.items():
                if name in self._form_edits:
                    self._form_edits[name].setText(text)
            self.config_changed.emit()

    def _update_form_note(self) -> None:
        text = form_note(self.request_type(), self.user(), tuple(self._form_edits))
        self.form_note.setText(text)
        self.form_note.setVisible(bool(text))

    def set_org(self, org: DemoOrg, login: str | None = None, label: str = "") -> None:
        """Show another org: its users in the picker (`login`'s, else the first one chosen)
        and its schema's titles on the form, filled from that user (nothing of the previous
        org's person stays). `label` names it in messages ("the org in users.json")."""
        self.org = org
        if label:
            self.org_label = label
        self._current_login = None
        # Another org, another person: no form typed for the old one is kept or put back.
        self._kept_forms.clear()
        self._before_json.clear()
        self._form_type = None
        self._completion_logins = {}
        self._completion_model.clear()
        user = org.find(login) if login else None
        if user is None and org.users:
            user = org.users[0]
        user_search.fill_combo(self.user_combo, org, user)
        if user is not None:
            self.user_combo.setCurrentIndex(user_search.combo_index(self.user_combo, user))
            self.user_combo.setEditText(user_label(user))
            self.user_edit.setCursorPosition(0)
            self._current_login = user.login
        self._rebuild_form()
        self.config_changed.emit()

    def search_ready(self) -> None:
        """The org's search index is built: search for what is in the box now."""
        if self.user_combo.hasFocus() and self.user_hint.isVisible():
            self._on_user_text_edited(self.user_combo.currentText())

    def user(self) -> OrgUser | None:
        if self._current_login is None:
            return None
        return self.org.find(self._current_login)

    def set_user(self, login_or_id: str) -> bool:
        """Choose a user by login or id; False (nothing changes) when the org has no such user."""
        user = self.org.find(login_or_id) if login_or_id else None
        if user is None:
            return False
        index = user_search.combo_index(self.user_combo, user)
        if index >= 0:
            self.user_combo.setCurrentIndex(index)
            # currentIndexChanged does not fire when the index is already this one, but the
            # text may have been typed over: put the label back.
            self.user_combo.setEditText(user_label(user))
            self.user_edit.setCursorPosition(0)
        self._select_login(user.login)
        return True

    def request_type(self) -> str:
        return str(self.type_combo.currentData())

    def set_request_type(self, request_type: str) -> None:
        index = self.type_combo.findData(request_type)
        if index >= 0:
            self.type_combo.setCurrentIndex(index)

    def form(self) -> dict[str, str]:
        """The form fields as the person typed them (field name -> text)."""
        return {name: edit.text() for name, edit in self._form_edits.items()}

    def form_edit(self, name: str) -> QLineEdit:
        """The line edit of one form field (e.g. "email", "employeeNumber")."""
        return self._form_edits[name]

    def set_form_value(self, name: str, value: str) -> None:
        if name in self._form_edits:
            self._form_edits[name].setText(value)

    def follow_request(
        self, request: dict[str, Any], *, choose_user: bool = False, undoable: bool = False
    ) -> None:
        """Show in block 1 what the request says: its form values (when it is of the type
        the form is for) and, with `choose_user`, its user when the org has one. The form's
        fields are set without `textEdited`: the request already says this, nothing is
        regenerated from it. `undoable`: `undo_request_values` can put the form back."""
        from app.logic.person.form_sync import form_values_of, request_type_of, user_key_of

        key = user_key_of(request) if choose_user else None
        if key:
            self.set_user(key)
        if request_type_of(request) == self.request_type():
            values = form_values_of(request, self.request_type(), self._form_edits)
            for name, value in (values or {}).items():
                edit = self._form_edits[name]
                if edit.text() != value:
                    if undoable:
                        self._before_json.setdefault(name, edit.text())
                    edit.setText(value)  # not textEdited: no regeneration

    def undo_request_values(self) -> None:
        """Put back the form values that edits of the JSON replaced (Reset drops those edits;
        what the person typed in the form itself stays)."""
        for name, value in self._before_json.items():
            if name in self._form_edits:
                self._form_edits[name].setText(value)
        self._before_json.clear()

    def forget_request_values(self) -> None:
        """The editor's request now matches the form: nothing to put back."""
        self._before_json.clear()

    def rules(self) -> HookRules:
        from app.logic.bundled_hook import HookRules

        domain = self.domain_edit.text().strip() or okta.ALLOWED_DOMAIN
        return HookRules(allowed_domain=domain, digits=int(self.digits_spin.value()))

    def restore_domain(self, domain: str) -> None:
        """Show a remembered domain; ValueError (the default shows) when the rules refuse it."""
        self.domain_edit.setText(domain)
        if domain != okta.ALLOWED_DOMAIN:  # the default needs no check (nor import)
            self.rules()

    def valid_domain(self) -> str | None:
        """The allowed domain when the rules accept it (None while it is being typed wrong)."""
        try:
            return self.rules().allowed_domain
        except ValueError:
            return None

    def set_rules(self, allowed_domain: str, digits: int) -> None:
        """Show the rules; `digits` is held to the box's range (QSpinBox.setValue takes a C int
        and raises OverflowError past it, rather than clamping)."""
        self.domain_edit.setText(allowed_domain)
        spin = self.digits_spin
        self.digits_spin.setValue(min(spin.maximum(), max(spin.minimum(), int(digits))))

    # --- slots --------------------------------------------------------------------------

    def _check_domain(self) -> None:
        """A domain the rules refuse gets a red frame and the reason as its tooltip."""
        try:
            self.rules()
        except ValueError as exc:
            self.domain_edit.setToolTip(str(exc))
            color = status_colors(self.palette()).denied
            self.domain_edit.setStyleSheet(f"border: 1px solid {color};")
            return
        self.domain_edit.setStyleSheet("")
        self.domain_edit.setToolTip(S.DOMAIN_HINT)

    def _on_target_changed(self) -> None:
        remote = self.is_remote()
        added = self._added_targets.get(self.target())
        self.rules_group.setVisible(not remote and added is None)
        self.remote_hint.setVisible(remote)
        if remote or self._remote_panel is not None:
            self.remote_panel.setVisible(remote)
        hint = S.REMOTE_TARGET_HINT if remote else S.BUNDLED_TARGET_HINT
        self.target_hint.setText(added[2] if added is not None else hint)
        if self._form_edits or self.form_fields():
            self._follow_policy()
        self._advise_target()
        self.target_changed.emit(self.target())

    def _advise_target(self) -> None:
        from app.logic.person.form_sync import matching_endpoint

        wanted = matching_endpoint(self.target(), self.request_type())
        if wanted is not None:
            kind = REQUEST_TYPE_LABELS[self.request_type()]
            self.target_advice.setText(S.TARGET_ADVICE.format(path=TARGETS[wanted]))
            self.target_advice.setToolTip(S.TARGET_ADVICE_WHY.format(type=kind))
            self.target_advice.setProperty("endpoint", wanted)
        self.target_advice.setVisible(wanted is not None)

    def _take_target_advice(self) -> None:
        wanted = self.target_advice.property("endpoint")
        if isinstance(wanted, str):
            self.set_target(wanted)
            self.target_combo.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_type_changed(self) -> None:
        self._rebuild_form()
        self._advise_target()
        self.config_changed.emit()

    def _on_user_index_changed(self, index: int) -> None:
        login = self.user_combo.itemData(index)
        if login:
            self.user_edit.setCursorPosition(0)
            self._select_login(str(login))

    def _select_login(self, login: str) -> None:
        self.user_hint.setVisible(False)
        if login == self._current_login:
            return
        self._current_login = login
        self._kept_forms.clear()  # another person: the form starts from their profile
        self._before_json.clear()
        self._refill_form()
        self.config_changed.emit()

    def _on_user_text_edited(self, text: str) -> None:
        if text.strip() and not self.org.search_ready and len(self.org.users) > 1000:
            # A big org's search is being built off the GUI thread; `search_ready` re-runs this.
            count = len(self.org.users)
            self.user_hint.setText(user_search.PREPARING_TEXT.format(count=count))
            self.user_hint.setVisible(True)
            return
        matches, more = user_search.matches(self.org, text)
        self._completion_logins = user_search.fill_model(self._completion_model, matches, more)
        if matches:
            self.user_hint.setVisible(False)
            self.completer.complete()
        else:
            self.user_hint.setText(S.USER_NOT_FOUND.format(text=text.strip(), org=self.org_label))
            self.user_hint.setVisible(True)

    def _on_completion_chosen(self, text: str) -> None:
        login = self._completion_logins.get(text)
        user = self.org.find(login) if login else None
        if user is not None:
            index = user_search.combo_index(self.user_combo, user)
            self.user_combo.setCurrentIndex(index)
            self._on_user_index_changed(index)

    def _on_user_editing_finished(self) -> None:
        """Typed text that is not a label: take the best match, or put the current user back."""
        text = self.user_combo.currentText().strip()
        index = self.user_combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0 and self.user_combo.itemData(index) is None:
            index = -1  # the "N more" line is no user
        if index < 0 and text and (self.org.search_ready or len(self.org.users) <= 1000):
            matches = self.org.search(text, limit=1)
            if matches:
                index = user_search.combo_index(self.user_combo, matches[0])
        if index >= 0:
            self.user_combo.setCurrentIndex(index)
            self._on_user_index_changed(index)
        current = self.user()
        if current is not None and self.user_combo.currentText() != user_label(current):
            self.user_combo.setEditText(user_label(current))

    def _field_names(self) -> tuple[str, ...]:
        return self.form_fields()

    def _field_title(self, name: str) -> str:
        attribute = self.org.schema.attributes.get(name)
        return attribute.title if attribute is not None and attribute.title else name

    def _rebuild_form(self) -> None:
        """Lay out the form fields of the chosen request type, pre-filled from the user."""
        if self._form_type is not None:
            self._kept_forms[self._form_type] = self.form()
        while self.form_layout.rowCount():
            self.form_layout.removeRow(0)
        self._form_edits.clear()
        self._form_type = self.request_type()
        is_pp = self.request_type() == PP
        self.form_group.setTitle(S.FORM_TITLE_PP if is_pp else S.FORM_TITLE_SSR)
        self.form_group.setToolTip(S.FORM_HINT_PP if is_pp else S.FORM_HINT_SSR)
        for name in self._field_names():
            edit = QLineEdit()
            edit.setObjectName(f"form_{name}")
            edit.setToolTip(f"{'data.userProfileUpdate' if is_pp else 'data.userProfile'}.{name}")
            label = plain_label(_label_text(self._field_title(name)))  # from the users file
            label.setBuddy(edit)
            edit.textEdited.connect(self._on_form_edited)
            self.form_layout.addRow(label, edit)
            self._form_edits[name] = edit
        self._refill_form()
        for name, value in self._kept_forms.get(self._form_type, {}).items():
            if name in self._form_edits:
                self._form_edits[name].setText(value)
        self._chain_tab_order()

    def _chain_tab_order(self) -> None:
        """Tab goes down the first column, then through the form, then the rules or remote."""
        chain: list[QWidget] = [
            self.target_combo,
            self.target_advice,
            self.user_combo,
            self.type_combo,
            *self._form_edits.values(),
            self.fields_button,
            self.domain_edit,
            self.digits_spin,
        ]
        remote = self._remote_panel
        if remote is not None:  # not built yet: it joins the chain when it is
            chain += [
                remote.url_edit,
                remote.auth_name_edit,
                remote.auth_value_edit,
                remote.basic_button,
                remote.remember_check,
                remote.timeout_spin,
                remote.headers_table,
                remote.oauth_check,
                remote.token_url_edit,
                remote.client_id_edit,
                remote.client_secret_edit,
                remote.scope_edit,
                remote.ca_file_edit,
                remote.skip_verify_check,
            ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _refill_form(self) -> None:
        user = self.user()
        values: dict[str, Any] = {}
        if user is not None:
            values = form_values(self.request_type(), user, list(self._form_edits))
        for name, edit in self._form_edits.items():
            value = values.get(name, "")
            edit.setText("" if value is None else str(value))
        self._update_form_note()

    def _on_form_edited(self, _text: str) -> None:
        sender = self.sender()
        for name, edit in self._form_edits.items():
            if edit is sender:
                self._before_json.pop(name, None)  # typed here: the person's own value
        self.config_changed.emit()


def _label_text(title: str) -> str:
    """A form label: the attribute's title with a colon (no mnemonic: Tab reaches the fields)."""
    return title.replace("&", "&&") + ":"


__all__ = [
    "BUNDLED_TARGETS",
    "PP",
    "SSR",
    "TARGETS",
    "RequestConfigPanel",
    "user_label",
]
