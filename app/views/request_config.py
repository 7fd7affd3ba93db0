"""Block 1, "Configure Inline Hook request": hook target, user picker, request type, form fields
the person typed, the bundled hook's rules, and (for a remote URL) the call's settings."""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QShowEvent, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.logic import okta
from app.logic.request_builder import PP, REQUEST_TYPE_LABELS, REQUEST_TYPES, SSR, form_values
from app.views import strings as S
from app.views import user_search
from app.views.form_fields import FormFieldChoice, FormFieldsDialog, form_note
from app.views.plain_text import plain_label
from app.views.theme import status_colors

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

    from app.logic.bundled_hook import HookRules
    from app.logic.org import DemoOrg, OrgUser
    from app.logic.remote import HookAuth, RemoteSettings

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


def eye_icon(open_eye: bool, color: QColor) -> QIcon:
    """A small eye (open: show the secret; struck through: hide it), drawn so no theme is needed."""
    # Imported here: only the remote settings (built on first use) draw eyes.
    from PySide6.QtGui import QIcon, QPainter, QPainterPath, QPen, QPixmap

    size = 32
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(color, 2.4)
    painter.setPen(pen)
    path = QPainterPath()
    path.moveTo(3, 16)
    path.quadTo(16, 3, 29, 16)
    path.quadTo(16, 29, 3, 16)
    painter.drawPath(path)
    painter.setBrush(color)
    painter.drawEllipse(12, 12, 8, 8)
    if not open_eye:
        painter.drawLine(6, 27, 26, 5)
    painter.end()
    return QIcon(pixmap)


class SecretLineEdit(QLineEdit):
    """A masked line edit with an eye action that shows the text on purpose."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_action = QAction(self)
        self.show_action.setCheckable(True)
        self.show_action.toggled.connect(self._on_toggled)
        self.addAction(self.show_action, QLineEdit.ActionPosition.TrailingPosition)
        self._on_toggled(False)

    def _on_toggled(self, shown: bool) -> None:
        self.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        color = self.palette().color(self.palette().ColorRole.Text)
        self.show_action.setIcon(eye_icon(not shown, color))
        self.show_action.setText(S.HIDE_SECRET if shown else S.SHOW_SECRET)
        self.show_action.setToolTip(S.HIDE_SECRET if shown else S.SHOW_SECRET)


class BasicAuthDialog(QDialog):
    """User + password -> the `Basic <base64>` header value Okta would send."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(S.BASIC_DIALOG_TITLE)
        layout = QFormLayout(self)
        hint = QLabel(S.BASIC_DIALOG_HINT)
        hint.setWordWrap(True)
        layout.addRow(hint)
        self.user_edit = QLineEdit()
        self.password_edit = SecretLineEdit()
        user_label_ = QLabel("&User:")
        user_label_.setBuddy(self.user_edit)
        password_label = QLabel("&Password:")
        password_label.setBuddy(self.password_edit)
        layout.addRow(user_label_, self.user_edit)
        layout.addRow(password_label, self.password_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)

    def header_value(self) -> str:
        from app.logic.remote import basic_auth_value

        return basic_auth_value(self.user_edit.text(), self.password_edit.text())


class RemoteTargetPanel(QWidget):
    """The remote hook's URL, authentication and call settings (secrets stay in memory)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Two columns: where and who (URL, auth header, timeout) | extras (headers, OAuth, TLS).
        columns = QHBoxLayout(self)
        columns.setContentsMargins(0, 4, 0, 0)
        columns.setSpacing(18)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        extras = QFormLayout()
        extras.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        columns.addLayout(form, 1)
        columns.addLayout(extras, 1)

        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("remoteUrl")
        self.url_edit.setPlaceholderText("https://hooks.example.com/registrationHookSSR")
        self.url_edit.setClearButtonEnabled(True)
        self.url_notes = plain_label()  # quotes parts of the URL the person typed
        self.url_notes.setObjectName("urlNotes")
        self.url_notes.setWordWrap(True)
        self.url_notes.setVisible(False)
        url_box = QVBoxLayout()
        url_box.setSpacing(2)
        url_box.addWidget(self.url_edit)
        url_box.addWidget(self.url_notes)
        url_label = QLabel(S.URL_LABEL)
        url_label.setBuddy(self.url_edit)
        form.addRow(url_label, url_box)

        # Okta's hook settings ask for the header's name and its value: one row here.
        self.auth_name_edit = QLineEdit("authorization")
        self.auth_name_edit.setObjectName("authHeaderName")
        self.auth_name_edit.setToolTip("The auth header's name (Okta's default: authorization)")
        self.auth_name_edit.setMaximumWidth(150)
        self.auth_value_edit = SecretLineEdit()
        self.auth_value_edit.setObjectName("authHeaderValue")
        self.auth_value_edit.setPlaceholderText(S.AUTH_VALUE_PLACEHOLDER)
        self.auth_value_edit.setToolTip("Sent verbatim; kept in memory only, never saved")
        self.basic_button = QPushButton(S.BASIC_BUTTON)
        self.basic_button.setToolTip("Make a Basic value from a user name and a password")
        self.basic_button.clicked.connect(self.open_basic_dialog)
        auth_row = QHBoxLayout()
        auth_row.addWidget(self.auth_name_edit)
        auth_row.addWidget(QLabel(":"))
        auth_row.addWidget(self.auth_value_edit, 1)
        auth_row.addWidget(self.basic_button)
        auth_label = QLabel(S.AUTH_HEADER_LABEL)
        auth_label.setBuddy(self.auth_value_edit)
        form.addRow(auth_label, auth_row)

        self.timeout_spin = QDoubleSpinBox()
        self.timeout_spin.setObjectName("timeout")
        self.timeout_spin.setRange(0.1, 60.0)
        self.timeout_spin.setSingleStep(0.5)
        self.timeout_spin.setDecimals(1)
        self.timeout_spin.setValue(3.0)
        self.timeout_spin.setSuffix(" s")
        self.timeout_spin.setToolTip("Okta waits 3 s per attempt, then retries once.")
        timeout_row = QHBoxLayout()
        timeout_row.addWidget(self.timeout_spin)
        timeout_hint = QLabel(S.TIMEOUT_HINT)
        timeout_hint.setObjectName("hint")
        timeout_row.addWidget(timeout_hint, 1)
        timeout_label = QLabel(S.TIMEOUT_LABEL)
        timeout_label.setBuddy(self.timeout_spin)
        form.addRow(timeout_label, timeout_row)

        self.headers_table = QTableWidget(0, 2)
        self.headers_table.setObjectName("customHeaders")
        self.headers_table.setHorizontalHeaderLabels(["Header", "Value"])
        self.headers_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.headers_table.verticalHeader().setVisible(False)
        self.headers_table.setMaximumHeight(72)
        self.headers_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        add_header = QToolButton()
        add_header.setText("+")
        add_header.setToolTip("Add a custom header")
        add_header.clicked.connect(self.add_header_row)
        remove_header = QToolButton()
        remove_header.setText("−")
        remove_header.setToolTip("Remove the selected header")
        remove_header.clicked.connect(self.remove_header_row)
        header_buttons = QVBoxLayout()
        header_buttons.addWidget(add_header)
        header_buttons.addWidget(remove_header)
        header_buttons.addStretch(1)
        headers_row = QHBoxLayout()
        headers_row.addWidget(self.headers_table, 1)
        headers_row.addLayout(header_buttons)
        headers_label = QLabel(S.EXTRA_HEADERS_LABEL)
        headers_label.setBuddy(self.headers_table)
        extras.addRow(headers_label, headers_row)

        # OAuth: a check box that unfolds the four fields (collapsed while off).
        self.oauth_check = QCheckBox(S.OAUTH_TITLE)
        self.oauth_check.setObjectName("useOAuth")
        self.oauth_fields = QWidget()
        oauth_form = QFormLayout(self.oauth_fields)
        oauth_form.setContentsMargins(18, 0, 0, 0)
        self.token_url_edit = QLineEdit()
        self.token_url_edit.setPlaceholderText("https://auth.example.com/oauth2/default/v1/token")
        self.client_id_edit = QLineEdit()
        self.client_secret_edit = SecretLineEdit()
        self.scope_edit = QLineEdit()
        for label_text, field in (
            (S.TOKEN_URL_LABEL, self.token_url_edit),
            (S.CLIENT_ID_LABEL, self.client_id_edit),
            (S.CLIENT_SECRET_LABEL, self.client_secret_edit),
            (S.SCOPE_LABEL, self.scope_edit),
        ):
            label = QLabel(label_text)
            label.setBuddy(field)
            oauth_form.addRow(label, field)
        self.oauth_fields.setVisible(False)
        self.oauth_check.toggled.connect(self._on_oauth_toggled)
        extras.addRow(self.oauth_check)
        extras.addRow(self.oauth_fields)

        self.ca_file_edit = QLineEdit()
        self.ca_file_edit.setObjectName("caFile")
        self.ca_file_edit.setPlaceholderText("(the system's trusted certificates)")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse_ca_file)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file_edit, 1)
        ca_row.addWidget(browse)
        ca_label = QLabel(S.CA_FILE_LABEL)
        ca_label.setBuddy(self.ca_file_edit)
        extras.addRow(ca_label, ca_row)
        self.skip_verify_check = QCheckBox(S.SKIP_VERIFY)
        self.skip_verify_check.setObjectName("skipVerify")
        extras.addRow("", self.skip_verify_check)

        self.url_edit.textChanged.connect(self._update_url_notes)
        for edit in (self.url_edit, self.auth_name_edit, self.auth_value_edit):
            edit.textChanged.connect(self.changed)

    # --- values -------------------------------------------------------------------------

    def url(self) -> str:
        return self.url_edit.text().strip()

    @staticmethod
    def storable_url(text: str) -> str:
        """The URL as it may be written to the settings file: without any user:password@
        (the call still uses it; the settings file never holds it)."""
        from app.logic.targets.base import strip_userinfo

        return strip_userinfo(text.strip())

    def auth(self) -> HookAuth:
        """The authentication Okta would send, built from the fields (secrets included)."""
        from app.logic.remote import HookAuth, OAuthClientCredentials

        extra: list[tuple[str, str]] = []
        for row in range(self.headers_table.rowCount()):
            name_item = self.headers_table.item(row, 0)
            value_item = self.headers_table.item(row, 1)
            name = name_item.text().strip() if name_item else ""
            if name:
                extra.append((name, value_item.text() if value_item else ""))
        oauth = None
        if self.oauth_check.isChecked() and self.token_url_edit.text().strip():
            oauth = OAuthClientCredentials(
                token_url=self.token_url_edit.text().strip(),
                client_id=self.client_id_edit.text().strip(),
                client_secret=self.client_secret_edit.text(),
                scope=self.scope_edit.text().strip(),
            )
        return HookAuth(
            header_name=self.auth_name_edit.text().strip() or "authorization",
            header_value=self.auth_value_edit.text(),
            extra_headers=tuple(extra),
            oauth=oauth,
        )

    def set_timeout(self, seconds: float) -> None:
        """Show `seconds` as the timeout, held to the box's range (Okta's 3 s when not a number:
        QDoubleSpinBox would show NaN as its minimum, with no hint why)."""
        spin = self.timeout_spin
        if not math.isfinite(seconds):
            seconds = 3.0
        spin.setValue(min(spin.maximum(), max(spin.minimum(), seconds)))

    def remote_settings(self) -> RemoteSettings:
        from app.logic.remote import RemoteSettings

        ca_file = self.ca_file_edit.text().strip() or None
        return RemoteSettings(
            timeout_s=float(self.timeout_spin.value()),
            ca_file=ca_file,
            verify_tls=not self.skip_verify_check.isChecked(),
        )

    def secrets(self) -> list[str]:
        """Every secret typed here (so a save can make sure none of them is written)."""
        values = [self.auth_value_edit.text(), self.client_secret_edit.text()]
        for row in range(self.headers_table.rowCount()):
            item = self.headers_table.item(row, 1)
            if item is not None:
                values.append(item.text())
        return [v for v in values if v]

    # --- slots --------------------------------------------------------------------------

    def add_header_row(self) -> None:
        row = self.headers_table.rowCount()
        self.headers_table.insertRow(row)
        self.headers_table.setItem(row, 0, QTableWidgetItem(""))
        self.headers_table.setItem(row, 1, QTableWidgetItem(""))
        self.headers_table.setCurrentCell(row, 0)
        self.headers_table.editItem(self.headers_table.item(row, 0))

    def remove_header_row(self) -> None:
        row = self.headers_table.currentRow()
        if row >= 0:
            self.headers_table.removeRow(row)

    def open_basic_dialog(self) -> None:
        dialog = BasicAuthDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.auth_value_edit.setText(dialog.header_value())
            if not self.auth_name_edit.text().strip():
                self.auth_name_edit.setText("authorization")

    def _browse_ca_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Trust CA file", "", "Certificates (*.pem *.crt *.cer);;All files (*)"
        )
        if path:
            self.ca_file_edit.setText(path)

    def _on_oauth_toggled(self, on: bool) -> None:
        self.oauth_fields.setVisible(on)
        self.auth_value_edit.setEnabled(not on)  # with OAuth, Okta sends the Bearer token

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._update_url_notes()

    def _update_url_notes(self) -> None:
        if not self.isVisible():
            return  # shown later: no need to load the network code while the panel is hidden
        url = self.url()
        if not url:
            self.url_notes.setText("")
            self.url_notes.setVisible(False)
            return
        from app.logic.remote import url_notes

        notes = url_notes(url)
        if self.storable_url(url) != url:
            notes.append(S.URL_HAS_CREDENTIALS)
        self.url_notes.setText(" · ".join(notes))
        self.url_notes.setVisible(bool(notes))


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
        self.user_combo.lineEdit().setPlaceholderText(S.USER_PLACEHOLDER)
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
        self.user_combo.lineEdit().textEdited.connect(self._on_user_text_edited)
        self.user_combo.lineEdit().editingFinished.connect(self._on_user_editing_finished)
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
        return TARGETS[self.target()]

    def is_remote(self) -> bool:
        return self.target() == "remote"

    def set_target(self, key: str) -> None:
        index = self.target_combo.findData(key)
        if index >= 0:
            self.target_combo.setCurrentIndex(index)

    def policy_target(self) -> str:
        """What picks the guide's policy: the bundled endpoint's path, or the remote URL."""
        if self.is_remote():
            return self._remote_panel.url() if self._remote_panel is not None else ""
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
        from app.logic.request_builder import policy_fields

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

    def set_org(self, org: DemoOrg, login: str | None = None) -> None:
        """Show another org: its users in the picker (`login`'s, else the first one chosen)
        and its schema's titles on the form."""
        self.org = org
        self._current_login = None
        self._completion_logins = {}
        self._completion_model.clear()
        user = org.find(login) if login else None
        if user is None and org.users:
            user = org.users[0]
        user_search.fill_combo(self.user_combo, org, user)
        if user is not None:
            self.user_combo.setCurrentIndex(user_search.combo_index(self.user_combo, user))
            self.user_combo.setEditText(user_label(user))
            self.user_combo.lineEdit().setCursorPosition(0)
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
            self.user_combo.lineEdit().setCursorPosition(0)
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
        from app.views.form_sync import form_values_of, request_type_of, user_key_of

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
        self.rules_group.setVisible(not remote)
        self.remote_hint.setVisible(remote)
        if remote or self._remote_panel is not None:
            self.remote_panel.setVisible(remote)
        self.target_hint.setText(S.REMOTE_TARGET_HINT if remote else S.BUNDLED_TARGET_HINT)
        if self._form_edits or self.form_fields():
            self._follow_policy()
        self._advise_target()
        self.target_changed.emit(self.target())

    def _advise_target(self) -> None:
        from app.views.form_sync import matching_endpoint

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
            self.user_combo.lineEdit().setCursorPosition(0)
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
            self.user_hint.setText(S.USER_NOT_FOUND.format(text=text.strip()))
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
    "RemoteTargetPanel",
    "RequestConfigPanel",
    "SecretLineEdit",
    "user_label",
]
