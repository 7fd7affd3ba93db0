"""View Response and Cancel: block 1's target, the request as it stands, one `ExchangeJob` off
the GUI thread, and the exchange it returns made the current run and shown in block 3.

Every surface that calls (block 3's View Response, the Sign-up page's Sign Up, a replay sent
again) starts its job with `start_exchange`, so whichever started it, its answer is the one
block 3, the Walkthrough, the status bar and the page show."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from app.views import prompts
from app.views import strings as S
from app.views.exchange_job import ExchangeJob, wait_for_jobs
from app.views.request_config import BUNDLED_TARGETS

if TYPE_CHECKING:
    from app.logic.org import DemoOrg
    from app.logic.run.current import CurrentRun
    from app.logic.run.exchange import Exchange
    from app.logic.targets import Target
    from app.logic.validation import Problem
    from app.views.request_config import RequestConfigPanel
    from app.views.response_panel import ResponsePanel
    from app.views.session import RequestSession


#: The history's "From" for a bundled re-run the window made on its own after an edit.
AUTO_RERUN = "auto re-run"
#: The history's "From" (and the run's source) for a history entry sent again by Replay.
REPLAY = "history replay"


class CallController(QObject):
    """Runs one exchange at a time. Signals: `response_shown` (a verdict, or why nothing was
    sent, is on screen), `busy_changed(bool)`, `message(text, ms)` for the status bar."""

    response_shown = Signal()
    busy_changed = Signal(bool)
    message = Signal(str, int)
    #: Every finished call's record, sent or not, and which surface started it (the history
    #: takes it; the current run already holds it).
    exchange_done = Signal(object, str)
    #: A call started (the `ExchangeJob`), from whichever surface.
    job_started = Signal(object)
    #: View > Okta's Undocumented Rules changed: "strict" or "lenient".
    reading_changed = Signal(str)

    def __init__(
        self,
        run: CurrentRun,
        config: RequestConfigPanel,
        session: RequestSession,
        panel: ResponsePanel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.run = run
        self.config = config
        self.session = session
        self.panel = panel
        #: The call running now, or the last one.
        self.job: ExchangeJob | None = None
        #: Targets another source registered (key in block 1's combo -> a function making the
        #: Target for the next call, or None with the reason already shown).
        self._target_sources: dict[str, Callable[[], Target | None]] = {}
        #: The URL the person chose to call without an auth value (asked once per URL).
        self._no_auth_ok_for: str | None = None
        self._token_cache: Any = None
        panel.view_requested.connect(self.view_response)
        panel.cancel_requested.connect(self.cancel_call)
        panel.headers_requested.connect(self.show_headers)

    @property
    def busy(self) -> bool:
        return self.job is not None and self.job.busy

    @property
    def org(self) -> DemoOrg | None:
        return self.run.org

    @property
    def reading(self) -> str:
        """How the verdict reads the rules Okta does not document (`verdict.READINGS`)."""
        return self.run.reading

    @property
    def last_exchange(self) -> Exchange | None:
        return self.run.exchange

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

    def view_response(self, source: str = "window") -> None:
        """View Response (Ctrl+Enter): send the request text as it stands to the target
        (`source` names who asked, for the history: the person, or `AUTO_RERUN`)."""
        if self.busy:
            return
        editor = self.session.editor
        if not editor.text().strip() and not self.session.generate():
            return
        text = editor.text()
        target = self.target(request_text=text)
        if target is None:
            return
        self.start_exchange(text, target, source)

    def start_exchange(self, text: str, target: Target, source: str) -> ExchangeJob:
        """Send `text` to `target` as a job judged with the run's schema and reading; when it
        finishes it is the current run. A call still running is cancelled first."""
        previous = self.job
        if previous is not None:
            previous.cancel()  # a no-op once it is over
            # One job object per call would pile up (a bundled re-run after every pause in
            # typing): the one it replaces goes; a late signal from its thread finds nobody.
            previous.deleteLater()
        org = self.run.org
        job = ExchangeJob(
            text,
            target,
            schema=org.schema if org is not None else None,
            reading=self.run.reading,
            source=source,
            parent=self,
            org=org,
            forms={self.config.request_type(): tuple(self.config.form())},
        )
        self.job = job
        job.progress.connect(lambda ms, j=job: self._on_tick(j, ms))
        job.finished.connect(lambda exchange, j=job: self._on_finished(j, exchange))
        job.failed.connect(lambda message: self._not_sent(S.UNEXPECTED_ERROR.format(message)))
        job.cancelled.connect(self._on_cancelled)
        job.done.connect(lambda j=job: self._job_over(j))
        self._set_busy(job, True)
        job.start()
        self.job_started.emit(job)
        return job

    def replay(self, load: Callable[[], None]) -> bool:
        """History > Replay: `load()` puts the entry's request and target into blocks 1 and 2,
        then that request is sent as View Response sends it (the same target checks and the
        same question about a missing auth value), so its answer becomes the current run.
        False, with nothing loaded, while another call runs."""
        if self.busy:
            self.message.emit(S.CALL_RUNNING, 8000)
            return False
        load()
        self.view_response(source=REPLAY)
        return True

    def start_for_page(self, text: str, source: str = "signup page") -> ExchangeJob | str:
        """The Sign-up page's Sign Up: block 1's target now (never before the press), else
        why nothing was sent."""
        if self.busy:
            return S.CALL_RUNNING
        target = self.target(request_text=text)
        if target is None:
            return S.PAGE_NOT_SENT
        return self.start_exchange(text, target, source)

    def target(
        self,
        *,
        quiet: bool = False,
        base_as_typed: bool = False,
        sending: bool = True,
        request_text: str = "",
    ) -> Target | None:
        """The target block 1 describes; None when it cannot be called (the reason shown in
        block 3 unless `quiet`: the panels that ask say it their own way). A service's base
        URL gets the endpoint of the request type `request_text` names (else block 1's),
        unless `base_as_typed` (the Scenarios panel sends each scenario to its own endpoint
        on the base). Only when `sending` is an empty auth value asked about (Copy as cURL
        sends nothing: its command reads $HOOK_AUTH)."""
        key = self.config.target()
        source = self._target_sources.get(key)
        if source is not None:
            return source()
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
        if sending and not self._auth_ready(url):
            return None
        from app.logic.targets.base import call_url, request_type_in

        kind = request_type_in(request_text) or self.config.request_type()
        address = url if base_as_typed else call_url(url, kind)
        return UrlTarget(address, remote.auth(), remote.remote_settings(), self.token_cache())

    def register_target(self, key: str, make: Callable[[], Target | None]) -> None:
        """Calls to block 1's target `key` (added to its combo by the caller) go to the
        Target `make()` returns."""
        self._target_sources[key] = make

    def _auth_ready(self, url: str) -> bool:
        """An empty auth value is said before sending (it is never saved, so it is empty after
        every restart, and most hooks then answer 401); the person may send anyway."""
        remote = self.config.remote_panel
        auth = remote.auth()
        if auth.header_value or auth.oauth is not None or self._no_auth_ok_for == url:
            return True
        if prompts.ask(self.panel, S.NO_AUTH_VALUE.format(header=auth.header_name)):
            self._no_auth_ok_for = url
            return True
        self._not_sent(S.NO_AUTH_NOT_SENT.format(header=auth.header_name))
        remote.auth_value_edit.setFocus()
        return False

    def cancel_call(self) -> None:
        """Stop waiting for the hook (the remote call is aborted too)."""
        if self.job is not None and self.job.busy:
            self.job.cancel()

    def wait_for_done(self, msecs: int) -> bool:
        """Wait (closing the window) for calls still on worker threads."""
        return wait_for_jobs(msecs)

    # --- progress -----------------------------------------------------------------------

    @staticmethod
    def _busy_text(job: ExchangeJob, elapsed_ms: float) -> str:
        if job.remote:
            text = S.CALLING.format(url=job.label, seconds=elapsed_ms / 1000.0)
            return text + attempt_text(elapsed_ms, job.timeout_s, job.max_attempts)
        return S.RUNNING.format(target=job.label)

    def _set_busy(self, job: ExchangeJob, busy: bool) -> None:
        self.panel.set_busy(busy, self._busy_text(job, 0.0) if busy else "")
        if busy and job.remote and self.panel.has_result():
            self.panel.set_stale(True, S.VERDICT_WAITING)
        self.busy_changed.emit(busy)

    def _job_over(self, job: ExchangeJob) -> None:
        if job is self.job:
            self._set_busy(job, False)

    def _on_tick(self, job: ExchangeJob, elapsed_ms: float) -> None:
        if job is self.job:
            self.panel.set_busy_text(self._busy_text(job, elapsed_ms))

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

    def _on_finished(self, job: ExchangeJob, exchange: Exchange) -> None:
        if job is not self.job:
            return
        self.run.set_result(exchange, source=job.source)
        self.exchange_done.emit(exchange, job.source)
        self.show_exchange(exchange)

    def show_exchange(self, exchange: Exchange) -> None:
        """Draw `exchange` in block 3 (the current run's, whichever surface started it)."""
        if exchange.parse_problem is not None:
            self._show_parse_problem(exchange.parse_problem)
            return
        verdict = exchange.verdict
        if verdict is None:
            self._not_sent(f"Not sent: {exchange.refusal}")
            return
        text = exchange.response_text()
        self.panel.show_result(
            verdict=verdict,
            request=exchange.request,
            response_text=text,
            log_lines=exchange.log_lines,
            answer=exchange.answer,
            form_fields=self._form_fields_for(exchange.request),
        )
        self.message.emit(verdict.headline, 8000)
        self.response_shown.emit()

    def reveal_values(self) -> dict[str, str]:
        """Header name (lower case) -> the value the window holds in memory now: what the
        headers dialog's show toggle puts in place of `***` (never read from the record)."""
        if not self.config.has_remote_panel():
            return {}
        auth = self.config.remote_panel.auth()
        values = {name.lower(): value for name, value in auth.extra_headers if value}
        if auth.header_value:
            values[auth.header_name.lower()] = auth.header_value
        token = self.access_token()
        if token:
            values["authorization"] = f"Bearer {token}"
        return values

    def show_headers(self) -> None:
        """The request and response headers of the last call (secrets as ***)."""
        if self.last_exchange is None:
            return
        from app.views.headers_dialog import HeadersDialog

        dialog = HeadersDialog(self.last_exchange, self.reveal_values, self.panel.window())
        self.headers_dialog = dialog
        dialog.show()

    def _form_fields_for(self, request: Any) -> tuple[str, ...]:
        """The form's inputs, when the request is of the type block 1 describes."""
        if isinstance(request, dict) and request.get("requestType") == self.config.request_type():
            return tuple(self.config.form())
        return ()

    def _on_cancelled(self) -> None:
        self.panel.show_not_sent(S.CANCELLED, badge="CANCELLED")
        self.message.emit("Call cancelled.", 5000)
        self.response_shown.emit()


def attempt_text(elapsed_ms: float, timeout_s: float, max_attempts: int) -> str:
    """ "(attempt 2 of 2, after a 3 s timeout)" while a call runs, from the time it has run
    (Okta tries again once when an attempt times out)."""
    timeout_ms = max(timeout_s, 0.001) * 1000.0
    attempt = min(max_attempts, int(elapsed_ms // timeout_ms) + 1)
    if attempt <= 1:
        return S.ATTEMPT_FIRST.format(total=max_attempts)
    return S.ATTEMPT_RETRY.format(number=attempt, total=max_attempts, timeout=f"{timeout_s:g}")
