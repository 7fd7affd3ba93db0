"""The remote hook's settings under block 1 (URL, authorization, OAuth, timeout, CA file,
extra headers) and the Basic-credentials dialog. Imported when Remote URL is first chosen:
the window's first paint needs none of it."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.views import strings as S
from app.views.plain_text import plain_label

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

    from app.logic.remote import HookAuth, RemoteSettings


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


class OneLineNote(QLabel):
    """A note that keeps one line whatever it says: the text elided to the width, the whole of
    it in the tooltip. (The keyring's answer arrives after the panel is laid out; a note that
    wrapped to more lines then moved the blocks below it.) `text()` is the whole text."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        # Expanding: the form gives the row its whole width; a small hint, so a long note
        # never widens the column (it is elided instead).
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._whole = ""
        self.setText(text)

    def setText(self, text: str) -> None:
        self._whole = text
        self.setToolTip(text)
        self._elide()

    def text(self) -> str:
        return self._whole

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().averageCharWidth() * 20, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(
            self._whole, Qt.TextElideMode.ElideRight, self.width()
        )
        super().setText(shown)


class BasicAuthDialog(QDialog):
    """User + password -> the `Basic <base64>` header value Okta would send."""

    def __init__(self, parent: QWidget | None = None, user: str = "", password: str = "") -> None:
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
        # The last user and password (remembered or typed this session) come back filled in.
        self.user_edit.setText(user)
        self.password_edit.setText(password)
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
    #: A secret was changed and the person is done with it (left the field, closed a dialog,
    #: edited a header): the moment to update what the keyring keeps.
    secrets_edited = Signal()
    #: The Basic dialog was accepted (its user name is a setting, its password a secret).
    basic_user_changed = Signal(str)
    #: A custom header was added, removed, renamed or given another value.
    headers_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.basic_user = ""
        self.basic_password = ""
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

        # Off and disabled until the keyring has been looked for (off the GUI thread).
        self.remember_check = QCheckBox(S.REMEMBER_SECRETS)
        self.remember_check.setObjectName("rememberSecrets")
        self.remember_check.setToolTip(S.REMEMBER_SECRETS_TIP)
        self.remember_check.setEnabled(False)
        self.keyring_note = OneLineNote(S.KEYRING_LOOKING)
        self.keyring_note.setObjectName("keyringNote")
        remember_box = QVBoxLayout()
        remember_box.setSpacing(2)
        remember_box.addWidget(self.remember_check)
        remember_box.addWidget(self.keyring_note)
        form.addRow("", remember_box)

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
        for secret in (self.auth_value_edit, self.client_secret_edit):
            secret.editingFinished.connect(self.secrets_edited)
        self.headers_table.itemChanged.connect(self.headers_changed)
        self.headers_table.model().rowsRemoved.connect(self.headers_changed)

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

    def header_rows(self) -> list[tuple[str, str]]:
        """The custom headers' (name, value) rows as shown, empty names included."""
        rows = []
        for row in range(self.headers_table.rowCount()):
            name_item = self.headers_table.item(row, 0)
            value_item = self.headers_table.item(row, 1)
            rows.append(
                (name_item.text() if name_item else "", value_item.text() if value_item else "")
            )
        return rows

    def set_header_rows(self, rows: list[tuple[str, str]]) -> None:
        """Show `rows` as the custom headers (replacing what the table held)."""
        table = self.headers_table
        with QSignalBlocker(table):
            table.setRowCount(0)
            for name, value in rows:
                row = table.rowCount()
                table.insertRow(row)
                table.setItem(row, 0, QTableWidgetItem(name))
                table.setItem(row, 1, QTableWidgetItem(value))
        self.headers_changed.emit()

    def header_names_json(self) -> str:
        """The custom headers' names as the settings file keeps them (their values are secrets)."""
        return json.dumps([name.strip() for name, _ in self.header_rows()])

    def restore_header_names(self, text: str) -> None:
        """Rows for the remembered names, values empty (the keyring may fill them in later);
        text that is not a JSON list of strings is unreadable (the binder then uses the default)."""
        names = json.loads(text or "[]")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError("not a list of header names")
        self.set_header_rows([(name, "") for name in names])

    def header_values(self) -> list[str]:
        return [value for _, value in self.header_rows()]

    def fill_header_values(self, values: list[str]) -> None:
        """Put remembered values into rows whose value is still empty (typing wins)."""
        table = self.headers_table
        for row, value in enumerate(values[: table.rowCount()]):
            item = table.item(row, 1)
            if item is not None and not item.text():
                item.setText(value)

    def set_basic_user(self, user: str) -> None:
        self.basic_user = user

    def set_keyring_state(self, usable: bool, reason: str) -> None:
        """Say whether secrets can be remembered: the box is enabled only when they can, and
        the note under it says where they go, or why they cannot."""
        self.remember_check.setEnabled(usable)
        self.keyring_note.setText(reason)

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
        values = [
            self.auth_value_edit.text(),
            self.client_secret_edit.text(),
            self.basic_password,
        ]
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
        dialog = BasicAuthDialog(self, self.basic_user, self.basic_password)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.basic_user = dialog.user_edit.text()
            self.basic_password = dialog.password_edit.text()
            self.auth_value_edit.setText(dialog.header_value())
            if not self.auth_name_edit.text().strip():
                self.auth_name_edit.setText("authorization")
            self.basic_user_changed.emit(self.basic_user)
            self.secrets_edited.emit()

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
        from app.logic.targets.base import is_base_url

        notes = url_notes(url)
        if is_base_url(url):
            notes.append(S.URL_IS_BASE)
        if self.storable_url(url) != url:
            notes.append(S.URL_HAS_CREDENTIALS)
        self.url_notes.setText(" · ".join(notes))
        self.url_notes.setVisible(bool(notes))


__all__ = ["BasicAuthDialog", "OneLineNote", "RemoteTargetPanel", "SecretLineEdit", "eye_icon"]
