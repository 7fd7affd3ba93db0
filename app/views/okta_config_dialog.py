"""File > Export Okta Hook Config: the body for Okta's `POST /api/v1/inlineHooks`, the same
hook as Terraform, and the cURL for `/execute` with the current request, ready to copy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.logic import okta

if TYPE_CHECKING:
    from app.views.json_editor import JsonEditor
    from app.views.request_config import RequestConfigPanel

NOTE = (
    "The secret is a placeholder: Okta stores it, so paste it in the Admin Console or a "
    "Terraform variable. Then bind the hook to a profile enrollment policy (Security > User "
    "Profile Policies > the policy > Inline hook)."
)


class OktaConfigDialog(QDialog):
    """Shows the three exports for the hook block 1 describes; they follow the name and URL."""

    def __init__(
        self, parent: QWidget, config: RequestConfigPanel, request_editor: JsonEditor
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Okta Hook Config")
        self.setObjectName("oktaConfigDialog")
        self.resize(760, 560)
        self._config = config
        self._request_editor = request_editor
        self.name_edit = QLineEdit("Registration hook")
        self.url_edit = QLineEdit(self._default_url())
        self.auth_edit = QLineEdit(self._auth_header())
        form = QFormLayout()
        form.addRow("Hook name", self.name_edit)
        form.addRow("Hook URL", self.url_edit)
        form.addRow("Auth header", self.auth_edit)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.tabs = QTabWidget()
        self.views: dict[str, QPlainTextEdit] = {}
        for key, title in (
            ("api", "POST /api/v1/inlineHooks"),
            ("terraform", "Terraform"),
            ("execute", "Try it: /execute"),
        ):
            view = QPlainTextEdit()
            view.setReadOnly(True)
            view.setFont(mono)
            view.setObjectName(f"export_{key}")
            self.views[key] = view
            self.tabs.addTab(view, title)
        note = QLabel(NOTE)
        note.setWordWrap(True)
        copy = QPushButton("&Copy")
        copy.clicked.connect(self.copy_current)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        for edit in (self.name_edit, self.url_edit, self.auth_edit):
            edit.textChanged.connect(self.refresh)
        self.refresh()

    def _default_url(self) -> str:
        config = self._config
        if config.is_remote():
            from app.logic.targets import strip_userinfo
            from app.logic.targets.base import call_url

            # Okta calls exactly the URL it is given: a base URL gets the endpoint a call
            # from this window would go to.
            url = call_url(config.remote_panel.url(), config.request_type())
            return strip_userinfo(url)
        return f"https://hooks.example.com{okta.ENDPOINTS.get(config.target(), '')}"

    def _auth_header(self) -> str:
        config = self._config
        if config.has_remote_panel():
            return config.remote_panel.auth().header_name or okta.DEFAULT_AUTH_HEADER
        return okta.DEFAULT_AUTH_HEADER

    def refresh(self) -> None:
        from app.logic.export.okta_hook import (
            HookConfig,
            execute_curl,
            inline_hook_body,
            terraform_resource,
        )
        from app.logic.jsontext import dumps
        from app.logic.run.curl import CurlRefused
        from app.logic.text import printable

        oauth = None
        config = self._config
        if config.is_remote():
            oauth = config.remote_panel.auth().oauth
        hook = HookConfig(
            self.name_edit.text().strip() or "Registration hook",
            self.url_edit.text().strip(),
            self.auth_edit.text().strip() or okta.DEFAULT_AUTH_HEADER,
            oauth_token_url=oauth.token_url if oauth else None,
            oauth_client_id=oauth.client_id if oauth else None,
            oauth_scope=oauth.scope if oauth else "",
        )
        problems = hook.problems()
        if problems:
            # Nothing to copy that Okta or Terraform would refuse: say why in every tab.
            lines = [printable(problem, keep_newlines=False) for problem in problems]
            shown = "Fix this first:\n" + "\n".join(lines)
            self.views["api"].setPlainText(shown)
            self.views["terraform"].setPlainText(shown)
        else:
            self.views["api"].setPlainText(dumps(inline_hook_body(hook)))
            self.views["terraform"].setPlainText(terraform_resource(hook))
        request = self._request_editor.text() or "{}"
        try:
            self.views["execute"].setPlainText(execute_curl(request))
        except CurlRefused as exc:
            self.views["execute"].setPlainText(f"Fix the request first: {exc}")

    def copy_current(self) -> None:
        view = self.tabs.currentWidget()
        clipboard = QGuiApplication.clipboard()
        if isinstance(view, QPlainTextEdit) and clipboard is not None:
            clipboard.setText(view.toPlainText())
