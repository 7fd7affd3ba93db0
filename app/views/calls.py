"""View Response and Cancel: block 1's target, the request as it stands, one call to the
pipeline off the GUI thread, and the exchange it returns shown in block 3."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from app.views import strings as S
from app.views.request_config import BUNDLED_TARGETS
from app.views.workers import TaskRunner

if TYPE_CHECKING:
    from app.logic.org import DemoOrg
    from app.logic.run.exchange import Exchange
    from app.logic.targets import Target
    from app.logic.validation import Problem, ValidationResult
    from app.views.request_config import RequestConfigPanel
    from app.views.response_panel import ResponsePanel
    from app.views.session import RequestSession


def validate_response_text(text: str) -> ValidationResult:
    from app.logic.validation import validate_response

    return validate_response(text)


class CallController(QObject):
    """Runs one exchange at a time. Signals: `response_shown` (a verdict, or why nothing was
    sent, is on screen), `busy_changed(bool)`, `message(text, ms)` for the status bar."""

    response_shown = Signal()
    busy_changed = Signal(bool)
    message = Signal(str, int)
    #: Every finished call's record, sent or not (the history and the walkthrough take it).
    exchange_done = Signal(object)
    #: View > Okta's Undocumented Rules changed: "strict" or "lenient".
    reading_changed = Signal(str)

    def __init__(
        self,
        org: DemoOrg,
        config: RequestConfigPanel,
        session: RequestSession,
        panel: ResponsePanel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.org = org
        self.config = config
        self.session = session
        self.panel = panel
        self.runner = TaskRunner(self)
        self.last_exchange: Exchange | None = None
        self._label = ""
        self._remote = False
        self._token_cache: Any = None
        #: How the verdict reads the rules Okta does not document (`verdict.READINGS`).
        self.reading = "strict"
        self.runner.tick.connect(self._on_tick)
        self.runner.succeeded.connect(self._on_succeeded)
        self.runner.failed.connect(
            lambda message: self._not_sent(S.UNEXPECTED_ERROR.format(message))
        )
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.started.connect(lambda: self._set_busy(True))
        self.runner.finished.connect(lambda: self._set_busy(False))
        panel.view_requested.connect(self.view_response)
        panel.cancel_requested.connect(self.cancel_call)

    @property
    def busy(self) -> bool:
        return self.runner.busy

    def token_cache(self) -> Any:
        """The OAuth tokens fetched this session (one cache, so a token is fetched once)."""
        if self._token_cache is None:
            from app.logic.remote import TokenCache

            self._token_cache = TokenCache()
        return self._token_cache

    def access_token(self) -> str | None:
        """The OAuth access token the remote settings would send now, if one is cached."""
        if self._token_cache is None or not self.config.has_remote_panel():
            return None
        oauth = self.config.remote_panel.auth().oauth
        if oauth is None:
            return None
        try:
            return self._token_cache.get(oauth)
        except Exception:  # the cache is the network code's: never let it stop a save
            return None

    # --- the call -----------------------------------------------------------------------

    def view_response(self) -> None:
        """View Response (Ctrl+Enter): send the request text as it stands to the target."""
        if self.runner.busy:
            return
        editor = self.session.editor
        if not editor.text().strip() and not self.session.generate():
            return
        text = editor.text()
        target = self.target()
        if target is None:
            return
        from app.logic.remote import CancelToken
        from app.logic.run.pipeline import run_exchange

        cancel = CancelToken()
        schema = self.org.schema
        self._label = target.label
        self._remote = self.config.is_remote()
        reading = self.reading
        self.runner.start(
            lambda: run_exchange(text, target, schema=schema, cancel=cancel, reading=reading),
            cancel,
        )

    def target(self, *, quiet: bool = False) -> Target | None:
        """The target block 1 describes; None when it cannot be called (the reason shown in
        block 3 unless `quiet`: the panels that ask say it their own way)."""
        key = self.config.target()
        if key in BUNDLED_TARGETS:
            try:
                rules = self.config.rules()
            except ValueError as exc:
                if not quiet:
                    self._not_sent(f"The bundled hook's rules are not valid: {exc}")
                    self.config.domain_edit.setFocus()
                return None
            from app.logic.targets import BundledTarget

            return BundledTarget(key, rules)
        from app.logic.remote import check_url
        from app.logic.targets import UrlTarget

        remote = self.config.remote_panel
        url = remote.url()
        problem = check_url(url) if url else "there is no URL: type the hook's URL in block 1"
        if problem:
            if not quiet:
                self._not_sent(f"Cannot call the hook: {problem}")
                remote.url_edit.setFocus()
            return None
        return UrlTarget(url, remote.auth(), remote.remote_settings(), self.token_cache())

    def cancel_call(self) -> None:
        """Stop waiting for the hook (the remote call is aborted too)."""
        if self.runner.busy:
            self.runner.cancel()

    # --- progress -----------------------------------------------------------------------

    def _busy_text(self, elapsed_ms: float) -> str:
        if self._remote:
            return S.CALLING.format(url=self._label, seconds=elapsed_ms / 1000.0)
        return S.RUNNING.format(target=self._label)

    def _set_busy(self, busy: bool) -> None:
        self.panel.set_busy(busy, self._busy_text(0.0) if busy else "")
        if busy and self._remote and self.panel.has_result():
            self.panel.set_stale(True, S.VERDICT_WAITING)
        self.busy_changed.emit(busy)

    def _on_tick(self, elapsed_ms: float) -> None:
        self.panel.set_busy_text(self._busy_text(elapsed_ms))

    # --- results ------------------------------------------------------------------------

    def _not_sent(self, message: str, detail: str = "") -> None:
        self.panel.show_not_sent(message, detail)
        self.message.emit(message.split("\n")[0], 8000)
        self.response_shown.emit()

    def _show_parse_problem(self, problem: Problem) -> None:
        where = S.where(problem, snippet=False)
        self._not_sent(S.NOT_JSON_REQUEST.format(where=where), problem.snippet)
        editor = self.session.editor
        self.session.ensure_validator()
        editor.validate_now()
        editor.go_to(problem.line, problem.column)

    def _on_succeeded(self, exchange: Exchange) -> None:
        self.last_exchange = exchange
        self.exchange_done.emit(exchange)
        if exchange.parse_problem is not None:
            self._show_parse_problem(exchange.parse_problem)
            return
        verdict = exchange.verdict
        if verdict is None:
            self._not_sent(f"Not sent: {exchange.refusal}")
            return
        editor = self.panel.response_editor
        if editor.validator is None:
            editor.set_validator(validate_response_text)
        self.panel.show_result(
            verdict=verdict,
            request=exchange.request,
            response_text=exchange.response_text(),
            log_lines=exchange.log_lines,
            answer=exchange.answer,
            form_fields=self._form_fields_for(exchange.request),
        )
        self.message.emit(verdict.headline, 8000)
        self.response_shown.emit()

    def _form_fields_for(self, request: Any) -> tuple[str, ...]:
        """The form's inputs, when the request is of the type block 1 describes."""
        if isinstance(request, dict) and request.get("requestType") == self.config.request_type():
            return tuple(self.config.form())
        return ()

    def _on_cancelled(self) -> None:
        self.panel.show_not_sent(S.CANCELLED, badge="CANCELLED")
        self.message.emit("Call cancelled.", 5000)
        self.response_shown.emit()
