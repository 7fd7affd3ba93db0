"""Open Request, Save Request and Save Response: reading only what can be a request, and never
writing a secret typed in the window (in any spelling JSON allows) without asking first."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.logic.files import MAX_REQUEST_FILE_BYTES
from app.views import prompts
from app.views import settings as K
from app.views import strings as S

if TYPE_CHECKING:
    from app.views.session import RequestSession
    from app.views.settings import SettingsBinder

#: Open Request refuses bigger files: a hook request is a few KB, and the editor (validation,
#: highlighting) is built for documents up to a few MB; 9 MB froze the window for seconds.
MAX_OPEN_BYTES = MAX_REQUEST_FILE_BYTES  # the command line reads with the same cap


class FileRefused(Exception):
    """The file cannot be opened as a request; the message says why, for the person."""


# --- reading ----------------------------------------------------------------------------


def _too_big(name: str, size: int) -> str:
    from app.views.response_panel import format_size

    return S.OPEN_TOO_BIG.format(
        name=name, size=format_size(size), limit=format_size(MAX_OPEN_BYTES)
    )


_KINDS = (
    (stat.S_ISDIR, "it is a folder"),
    (stat.S_ISFIFO, "it is a named pipe"),
    (stat.S_ISSOCK, "it is a socket"),
    (stat.S_ISCHR, "it is a device"),
    (stat.S_ISBLK, "it is a device"),
)


def refusal(name: str, info: os.stat_result) -> str:
    """Why a file with this stat() cannot be opened as a request ("" when it can)."""
    mode = info.st_mode
    if not stat.S_ISREG(mode):
        kind = next((kind for test, kind in _KINDS if test(mode)), "it is a special file")
        return S.OPEN_NOT_REGULAR.format(name=name, kind=kind)
    if info.st_size > MAX_OPEN_BYTES:
        return _too_big(name, info.st_size)
    return ""


def read_request_bytes(path: Path) -> bytes:
    """The file's bytes; FileRefused when it is no file to open: a folder, a pipe or device
    (reading one blocks the window, maybe forever), or a file too big to edit."""
    name = path.name
    try:
        refused = refusal(name, path.stat())
        if refused:
            raise FileRefused(refused)
        # Non-blocking, then checked again on the open file: what the name points at may
        # have changed since stat(), and opening a FIFO for reading would wait for a writer.
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        with os.fdopen(os.open(path, flags), "rb") as file:
            refused = refusal(name, os.fstat(file.fileno()))
            if refused:
                raise FileRefused(refused)
            data = file.read(MAX_OPEN_BYTES + 1)
    except OSError as exc:
        raise FileRefused(S.READ_FAILED.format(name=name, detail=exc.strerror or exc)) from exc
    if len(data) > MAX_OPEN_BYTES:  # it grew after the size was checked
        raise FileRefused(_too_big(name, len(data)))
    return data


# --- the window's file actions ----------------------------------------------------------


class RequestFiles(QObject):
    """File > Open Request, Save Request, Save Response. `secrets` gives the values that must
    not be written unasked (auth values, client secrets, an OAuth access token)."""

    message = Signal(str, int)

    def __init__(
        self,
        session: RequestSession,
        binder: SettingsBinder,
        secrets: Callable[[], Iterable[str]],
        response_text: Callable[[], str],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.binder = binder
        self._secrets = secrets
        self._response_text = response_text
        self._parent = parent
        self._last_value: object = None

    def _start_dir(self) -> str:
        last = self.binder.settings.get(K.LAST_DIR)
        return last if last and Path(last).is_dir() else str(Path.home())

    def _suggested(self, stem: str) -> str:
        return str(Path(self._start_dir()) / f"{stem}.json")

    def open_request(self) -> None:
        """File > Open Request: load a request JSON file into the editor."""
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self._parent, S.OPEN_REQUEST, self._start_dir(), S.JSON_FILTER
        )
        if path:
            self.open_request_file(Path(path))

    def open_request_file(self, path: Path) -> bool:
        """Load `path` as the request; explains and changes nothing when it is not one."""
        try:
            text = self._request_text(path)
        except FileRefused as exc:
            prompts.warn(self._parent, str(exc))
            return False
        if text is None:
            return False
        if self.session.has_unsaved_edits() and not prompts.ask(self._parent, S.OPEN_DISCARD):
            return False
        from app.logic.validation import infer_request_type, inferred_type_note

        value = self._last_value
        # A request without requestType (Identity Engine orgs of 2021) is typed by its URL or
        # shape; block 1 follows, and the person is told the type was worked out.
        kind, _how = infer_request_type(value)
        self.session.load(text, path, kind)
        self.binder.store(K.LAST_DIR, str(path.parent))
        note = inferred_type_note(value)
        if note:
            self.session.block.set_state(f"{S.STATE_OPENED.format(name=path.name)} · {note}")
            self.message.emit(f"Opened {path}: a valid request. {note}", 10000)
        else:
            self.message.emit(f"Opened {path}", 5000)
        return True

    def _request_text(self, path: Path) -> str | None:
        """The file's text when it is a request (or the person opens it anyway to fix it)."""
        from app.views.session import validate_request_text

        name = path.name
        data = read_request_bytes(path)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            detail = f"Byte {exc.start} is not UTF-8."
            raise FileRefused(S.OPEN_NOT_TEXT.format(name=name, detail=detail)) from exc
        result = validate_request_text(text)
        self._last_value = result.value
        if result.value is None:
            problem = next((p for p in result.problems if p.kind == "parse"), None)
            where = S.where(problem) if problem is not None else "It does not parse."
            raise FileRefused(S.OPEN_NOT_JSON.format(name=name, where=where))
        if not result.problems:
            return text
        shown = "\n".join(f"• {p.format()}" for p in result.problems[:6])
        if len(result.problems) > 6:
            shown += f"\n• … and {len(result.problems) - 6} more"
        asked = S.OPEN_NOT_REQUEST.format(name=name, problems=shown)
        return text if prompts.ask(self._parent, asked) else None

    def save_request(self) -> None:
        """File > Save Request: write the request text as it stands (asks first when it holds
        a secret typed in the window)."""
        from PySide6.QtWidgets import QFileDialog

        text = self.session.editor.text()
        if not text.strip():
            prompts.inform(self._parent, S.NO_REQUEST_TO_SAVE)
            return
        current = self.session.file_path
        default = str(current) if current else self._suggested("request")
        path, _ = QFileDialog.getSaveFileName(self._parent, S.SAVE_REQUEST, default, S.JSON_FILTER)
        if not path:
            return
        written = self.write(Path(path), text)
        if written is not None:
            self.session.mark_written(written, Path(path))

    def save_response(self) -> None:
        """File > Save Response: write the response as shown (asks first when it holds a
        secret typed in the window, or the OAuth access token the call used)."""
        from PySide6.QtWidgets import QFileDialog

        text = self._response_text()
        if not text.strip():
            prompts.inform(self._parent, S.NOTHING_TO_SAVE)
            return
        path, _ = QFileDialog.getSaveFileName(
            self._parent, S.SAVE_RESPONSE, self._suggested("response"), S.JSON_FILTER
        )
        if path:
            self.write(Path(path), text)

    def write(self, path: Path, text: str) -> str | None:
        """Write `text` to `path`; the text written (None when cancelled or it failed).

        When the text holds a secret, the person chooses: replace it with ***, keep it, or
        cancel the save. Nothing is changed without asking."""
        from app.logic.redact import expand_secrets, has_secret, scrub  # on first save only

        secrets = expand_secrets(self._secrets())
        replaced = 0
        if has_secret(text, secrets):
            answer = prompts.ask_yes_no_cancel(self._parent, S.SAVE_HAS_SECRET)
            if answer == "cancel":
                self.message.emit("Not saved.", 5000)
                return None
            if answer == "yes":
                text, replaced = scrub(text, secrets)
        try:
            path.write_text(text, encoding="utf-8")  # exactly as shown: a round trip is exact
        except OSError as exc:
            prompts.warn(
                self._parent, S.WRITE_FAILED.format(name=path.name, detail=exc.strerror or exc)
            )
            return None
        note = f" ({replaced} auth value(s) replaced by ***)" if replaced else ""
        self.message.emit(f"Saved {path}{note}", 5000)
        self.binder.store(K.LAST_DIR, str(path.parent))
        return text
