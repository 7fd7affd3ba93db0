"""Call history: every exchange the window, `send` and `check` make, in one SQLite file.

`HistoryStore(path)` records exchanges (secrets are already `***` in them; any user:password@
in a URL is removed here too), lists them newest first with filters, and keeps the last
`keep` calls. A damaged, locked or unwritable database never stops the caller: the store says
so once (through `warn`) and goes on without history.

Request bodies are people's personal data: the file is created readable by its owner only
(0600) in a folder only its owner can enter (0700). Text that UTF-8 cannot hold (a lone
surrogate such as `"x\\ud800"` in an answer) is stored escaped (`\\ud800`) rather than
refused, and a run that prunes many rows at once gives the space back (VACUUM).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.logic import okta
from app.logic.targets.base import strip_userinfo

if TYPE_CHECKING:
    from app.logic.run.exchange import Exchange

__all__ = [
    "APP_FOLDER",
    "DATA_DIR_ENV",
    "DEFAULT_KEEP",
    "KEEP_ENV",
    "HistoryEntry",
    "HistoryStore",
    "data_dir",
    "default_history_path",
    "open_default_store",
]

DATA_DIR_ENV = "REGHOOK_DATA_DIR"
KEEP_ENV = "REGHOOK_HISTORY_KEEP"
APP_FOLDER = "reghook-preview"
FILE_NAME = "history.sqlite3"
DEFAULT_KEEP = 1000
#: The largest integer SQLite stores: a keep count or an id past it means "all" or "none".
MAX_SQLITE_INT = 2**63 - 1
#: A prune that leaves more than this share of the file free (and 1 MB or more) vacuums it.
VACUUM_FREE_SHARE = 0.5
VACUUM_MIN_FREE_BYTES = 1024 * 1024
#: A request is kept whole up to this size (the window opens files of up to 5 MB).
MAX_REQUEST_BYTES = 5 * 1024 * 1024

_SCHEMA = """
CREATE TABLE IF NOT EXISTS exchanges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    source TEXT NOT NULL,
    scenario TEXT,
    target_kind TEXT,
    target_label TEXT NOT NULL,
    target_json TEXT NOT NULL,
    url TEXT NOT NULL,
    request_body BLOB NOT NULL,
    request_headers TEXT NOT NULL,
    sent INTEGER NOT NULL,
    refusal TEXT NOT NULL,
    status INTEGER,
    failure TEXT,
    failure_detail TEXT NOT NULL,
    elapsed_ms REAL,
    attempts TEXT NOT NULL,
    response_headers TEXT NOT NULL,
    response_body BLOB NOT NULL,
    response_size INTEGER NOT NULL,
    outcome TEXT,
    hook_failed INTEGER,
    headline TEXT NOT NULL,
    verdict_json TEXT,
    log_lines TEXT
);
CREATE INDEX IF NOT EXISTS exchanges_started ON exchanges (started_at);
"""
_VERSION = 1


def data_dir() -> Path:
    """Where the program keeps its data: $REGHOOK_DATA_DIR, else the platform's data folder
    (`$XDG_DATA_HOME` or `~/.local/share` on Linux, Application Support on macOS, LOCALAPPDATA
    on Windows), in a `reghook-preview` folder."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    home = Path.home()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(base) / APP_FOLDER
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / APP_FOLDER
    base = os.environ.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    return Path(base) / APP_FOLDER


def default_history_path() -> Path:
    return data_dir() / FILE_NAME


def _keep_from_env() -> int:
    text = os.environ.get(KEEP_ENV, "")
    try:
        value = int(text)
    except ValueError:
        return DEFAULT_KEEP
    return min(value, MAX_SQLITE_INT) if value >= 1 else DEFAULT_KEEP


def open_default_store(warn: Callable[[str], None] | None = None) -> HistoryStore:
    """The store at the default path, keeping $REGHOOK_HISTORY_KEEP calls (default 1,000)."""
    return HistoryStore(default_history_path(), keep=_keep_from_env(), warn=warn)


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded call, as stored."""

    id: int
    started_at: str
    source: str
    scenario: str | None
    target: dict[str, Any]
    target_label: str
    url: str
    request_body: bytes
    request_headers: tuple[tuple[str, str], ...]
    sent: bool
    refusal: str
    status: int | None
    failure: str | None
    failure_detail: str
    elapsed_ms: float | None
    attempts: tuple[dict[str, Any], ...]
    response_headers: dict[str, str]
    response_body: bytes
    response_size: int
    outcome: str | None
    hook_failed: bool | None
    headline: str
    verdict: dict[str, Any] | None = None
    log_lines: tuple[str, ...] | None = field(default=None)

    @property
    def target_kind(self) -> str:
        return str(self.target.get("kind", ""))

    def request_text(self) -> str:
        return self.request_body.decode("utf-8", errors="replace")

    def response_value(self) -> Any:
        """The answer body as JSON when it is JSON, else its text (None when empty)."""
        if not self.response_body:
            return None
        from app.logic.jsontext import loads

        try:
            return loads(self.response_body)
        except (ValueError, RecursionError):
            return self.response_body.decode("utf-8", errors="replace")

    @property
    def exchange(self) -> Exchange:
        """This call as an `Exchange` read back (the one record type diff, cURL and HAR take):
        its answer rebuilt from what was stored, its verdict as recorded JSON."""
        from app.logic.answer import Attempt, FailureKind, HookAnswer
        from app.logic.run.exchange import Exchange

        answer = None
        if self.sent:
            failure = None
            if self.failure:
                try:
                    failure = FailureKind(self.failure)
                except ValueError:
                    failure = None
            answer = HookAnswer(
                status=self.status,
                headers=dict(self.response_headers),
                body=self.response_body,
                elapsed_ms=float(self.elapsed_ms or 0.0),
                failure=failure,
                failure_detail=self.failure_detail,
                attempts=max(1, len(self.attempts)),
                url=self.url,
                attempt_log=tuple(_attempt(a, Attempt, FailureKind) for a in self.attempts),
                sent_headers=self.request_headers,
            )
        request = None
        from app.logic.jsontext import loads

        try:
            request = loads(self.request_body)
        except (ValueError, RecursionError):
            request = None
        return Exchange(
            target=dict(self.target),
            target_label=self.target_label,
            url=self.url,
            started_at=self.started_at,
            request_bytes=self.request_body,
            request_headers=self.request_headers,
            request=request,
            refusal=self.refusal,
            answer=answer,
            log_lines=self.log_lines,
            recorded_verdict=self.verdict,
            recorded_size=self.response_size,
            label=f"#{self.id} {self.target_label} ({self.started_at})",
        )

    def summary(self) -> str:
        """One line: id, time, outcome, status, target."""
        status = str(self.status) if self.status is not None else (self.failure or "not sent")
        outcome = self.outcome or "NOT SENT"
        return f"{self.id:>5}  {self.started_at}  {outcome:<15}  {status:<5}  {self.target_label}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "started_at": self.started_at,
            "source": self.source,
            "scenario": self.scenario,
            "target": self.target,
            "target_label": self.target_label,
            "url": self.url,
            "request": {
                "headers": [list(pair) for pair in self.request_headers],
                "body": self.request_text(),
            },
            "sent": self.sent,
            "refusal": self.refusal,
            "answer": None
            if not self.sent
            else {
                "status": self.status,
                "failure": self.failure,
                "failure_detail": self.failure_detail,
                "elapsed_ms": self.elapsed_ms,
                "attempts": [_attempt_json(a) for a in self.attempts],
                "headers": dict(self.response_headers),
                "body": self.response_body.decode("utf-8", errors="replace"),
                "size": self.response_size,
            },
            "outcome": self.outcome,
            "hook_failed": self.hook_failed,
            "headline": self.headline,
            "verdict": self.verdict,
            "log": list(self.log_lines) if self.log_lines is not None else None,
        }


#: JSON output names its keys in snake_case (elapsed_ms, hook_failed, ...). Rows written before
#: attempts did too hold startedMs and durationMs: they are read and shown in the new names.
_OLD_ATTEMPT_KEYS = {"startedMs": "started_ms", "durationMs": "duration_ms"}


def _attempt_json(data: dict[str, Any]) -> dict[str, Any]:
    """A stored attempt with its keys as JSON output names them now."""
    if not any(key in data for key in _OLD_ATTEMPT_KEYS):
        return data
    return {_OLD_ATTEMPT_KEYS.get(key, key): value for key, value in data.items()}


def _attempt(data: dict[str, Any], attempt: Any, failure_kind: Any) -> Any:
    """An `Attempt` from its stored JSON (an unknown failure name is kept as none)."""
    failure = None
    if data.get("failure"):
        try:
            failure = failure_kind(data["failure"])
        except ValueError:
            failure = None
    return attempt(
        number=int(data.get("number") or 0),
        started_ms=float(_attempt_json(data).get("started_ms") or 0.0),
        duration_ms=float(_attempt_json(data).get("duration_ms") or 0.0),
        status=data.get("status"),
        failure=failure,
        detail=str(data.get("detail") or ""),
    )


#: One encoder for every row (compact, no circular check: the values are plain JSON data).
_encode_json = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), check_circular=False
).encode


def _storable(text: str) -> str:
    """`text` as SQLite can store it: a lone surrogate (which UTF-8 cannot encode) becomes
    its escape, `\\ud800`; any other text is returned as it is."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def _encode(value: Any) -> str:
    text = _encode_json(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # JSON has an escape for a lone surrogate that reads back as the same string.
        return json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text


def _row_values(exchange: Exchange, source: str, scenario: str | None) -> tuple[Any, ...]:
    answer = exchange.answer
    verdict = exchange.verdict
    verdict_json = verdict.to_json() if verdict is not None else None
    body = answer.body if answer is not None else b""
    refusal = exchange.refusal or (
        exchange.parse_problem.format() if exchange.parse_problem is not None else ""
    )
    target = dict(exchange.target)
    if isinstance(target.get("url"), str):
        target["url"] = strip_userinfo(target["url"])
    text = _storable
    return (
        exchange.started_at,
        source,
        text(scenario) if scenario is not None else None,
        str(target.get("kind", "")),
        text(strip_userinfo(exchange.target_label)),
        _encode(target),
        text(strip_userinfo(exchange.url)),
        bytes(exchange.request_bytes[:MAX_REQUEST_BYTES]),
        _encode([list(pair) for pair in exchange.request_headers]),
        int(answer is not None),
        text(refusal),
        answer.status if answer is not None else None,
        answer.failure.value if answer is not None and answer.failure is not None else None,
        text(answer.failure_detail) if answer is not None else "",
        round(answer.elapsed_ms, 3) if answer is not None else None,
        _encode([a.to_json() for a in answer.attempt_log] if answer is not None else []),
        _encode(dict(answer.headers) if answer is not None else {}),
        bytes(body[: okta.RESPONSE_READ_LIMIT]),
        len(body),
        verdict.outcome.value if verdict is not None else None,
        int(verdict.hook_failed) if verdict is not None else None,
        text(verdict.headline if verdict is not None else (refusal or "not sent")),
        _encode(verdict_json) if verdict_json is not None else None,
        _encode(list(exchange.log_lines)) if exchange.log_lines is not None else None,
    )


_COLUMNS = (
    "started_at, source, scenario, target_kind, target_label, target_json, url, request_body, "
    "request_headers, sent, refusal, status, failure, failure_detail, elapsed_ms, attempts, "
    "response_headers, response_body, response_size, outcome, hook_failed, headline, "
    "verdict_json, log_lines"
)
_INSERT = f"INSERT INTO exchanges ({_COLUMNS}) VALUES ({', '.join('?' * 24)})"
_SELECT = f"SELECT id, {_COLUMNS} FROM exchanges"


def _entry(row: sqlite3.Row | tuple[Any, ...]) -> HistoryEntry:
    (
        entry_id,
        started_at,
        source,
        scenario,
        _kind,
        target_label,
        target_json,
        url,
        request_body,
        request_headers,
        sent,
        refusal,
        status,
        failure,
        failure_detail,
        elapsed_ms,
        attempts,
        response_headers,
        response_body,
        response_size,
        outcome,
        hook_failed,
        headline,
        verdict_json,
        log_lines,
    ) = row
    return HistoryEntry(
        id=entry_id,
        started_at=started_at,
        source=source,
        scenario=scenario,
        target=json.loads(target_json),
        target_label=target_label,
        url=url,
        request_body=bytes(request_body),
        request_headers=tuple((str(n), str(v)) for n, v in json.loads(request_headers)),
        sent=bool(sent),
        refusal=refusal,
        status=status,
        failure=failure,
        failure_detail=failure_detail,
        elapsed_ms=elapsed_ms,
        attempts=tuple(json.loads(attempts)),
        response_headers=dict(json.loads(response_headers)),
        response_body=bytes(response_body),
        response_size=response_size,
        outcome=outcome,
        hook_failed=None if hook_failed is None else bool(hook_failed),
        headline=headline,
        verdict=json.loads(verdict_json) if verdict_json else None,
        log_lines=tuple(json.loads(log_lines)) if log_lines else None,
    )


def _stderr_warn(message: str) -> None:
    sys.stderr.write(f"reghook: {message}\n")


class HistoryStore:
    """The call history in the SQLite file at `path` (created with its folder when missing).

    Thread-safe. Every method swallows database errors: the first one is reported through
    `warn` (one line), after which the store is `disabled` and every call is a no-op that
    returns an empty answer.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        keep: int = DEFAULT_KEEP,
        warn: Callable[[str], None] | None = None,
        timeout_s: float = 2.0,
    ) -> None:
        self.path = Path(path)
        self.keep = min(max(1, int(keep)), MAX_SQLITE_INT)
        self.timeout_s = timeout_s
        self._warn = warn or _stderr_warn
        self._lock = threading.Lock()
        self._ready = False
        self.disabled = False
        self.failure = ""  # what went wrong: the file and why
        self.problem = ""  # the line `warn` was given

    # --- connection -------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        # A connection per operation, closed at its end: nothing is left open for a caller to
        # forget (a store is used for a few calls a second at most), and a file replaced or
        # repaired meanwhile is seen at the next call.
        if not self._ready:
            _private_file(self.path)
        conn = sqlite3.connect(self.path, timeout=self.timeout_s, check_same_thread=False)
        try:
            if not self._ready:
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version > _VERSION:
                    raise sqlite3.DatabaseError(
                        f"it was written by a newer version (format {version})"
                    )
                conn.executescript(_SCHEMA)
                conn.execute(f"PRAGMA user_version = {_VERSION}")
                conn.commit()
                self._ready = True
        except BaseException:
            conn.close()
            raise
        return conn

    def _give_up(self, exc: BaseException) -> None:
        self.disabled = True
        detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        self.failure = f"{self.path}: {detail}"
        self.problem = f"history is off for this run: {self.failure}"
        self._warn(self.problem)

    def _run(self, work: Callable[[sqlite3.Connection], Any], empty: Any) -> Any:
        with self._lock:
            if self.disabled:
                return empty
            conn = None
            try:
                conn = self._connect()
                return work(conn)
            except (sqlite3.Error, OSError, ValueError, OverflowError) as exc:
                self._give_up(exc)
                return empty
            finally:
                if conn is not None:
                    with contextlib.suppress(sqlite3.Error):
                        conn.close()

    def close(self) -> None:
        """Nothing stays open between calls; kept so callers may say they are done."""

    # --- writing ----------------------------------------------------------------------------

    def record(
        self,
        exchange: Exchange,
        *,
        source: str = "window",
        scenario: str | None = None,
        replaces: int | None = None,
    ) -> int | None:
        """Store one exchange; its id, or None when history is off.

        `replaces`: the id of an entry this one stands in for (the window's previous automatic
        re-run), deleted in the same transaction, but only while it is still the newest entry:
        a call recorded after it, by this window or another process, keeps it."""
        ids = self.record_many([(exchange, scenario)], source=source, replaces=replaces)
        return ids[0] if ids else None

    def record_many(
        self,
        items: Iterable[tuple[Exchange, str | None]],
        *,
        source: str = "check",
        replaces: int | None = None,
    ) -> list[int]:
        """Store many exchanges in one transaction (a scenario run); their ids in order."""
        # Only the last `keep` of a batch can survive the prune below: the others are never
        # written (a 100,000-scenario run once grew the file to 414 MB to keep 1,000 rows).
        kept = list(items)[-self.keep :]
        # Written as every writer writes it: without what the hook echoed of a secret.
        rows = [_row_values(ex.redacted(), source, scenario) for ex, scenario in kept]
        if not rows:
            return []

        def work(conn: sqlite3.Connection) -> list[int]:
            ids = []
            with conn:
                if replaces is not None:
                    conn.execute(
                        "DELETE FROM exchanges WHERE id = ? "
                        "AND id = (SELECT MAX(id) FROM exchanges)",
                        (replaces,),
                    )
                for row in rows:
                    ids.append(int(conn.execute(_INSERT, row).lastrowid))
                pruned = conn.execute(
                    "DELETE FROM exchanges WHERE id <= "
                    "(SELECT id FROM exchanges ORDER BY id DESC LIMIT 1 OFFSET ?)",
                    (self.keep,),
                ).rowcount
            if pruned > 1:
                _vacuum_if_mostly_free(conn)
            return ids

        return self._run(work, [])

    def clear(self) -> bool:
        """Forget every recorded call; False (the reason in `problem`) when nothing could be
        cleared (the database is locked, damaged or unwritable)."""

        def work(conn: sqlite3.Connection) -> bool:
            with conn:
                conn.execute("DELETE FROM exchanges")
            conn.execute("VACUUM")
            return True

        return bool(self._run(work, False))

    # --- reading ----------------------------------------------------------------------------

    def list(
        self,
        limit: int = 100,
        text: str | None = None,
        target: str | None = None,
        outcome: str | None = None,
    ) -> list[HistoryEntry]:
        """The newest calls first. `text` is searched (case-insensitively) in the target, the
        URL, the headline, the scenario name and the request body; `target` matches the
        target's label or URL exactly or by a part of it; `outcome` is ALLOWED, DENIED,
        PROFILE UPDATED, FAILED (the call failed) or NOT SENT."""
        where: list[str] = []
        params: list[Any] = []
        if text:
            like = f"%{_escape_like(text)}%"
            where.append(
                "(target_label LIKE ? ESCAPE '\\' OR url LIKE ? ESCAPE '\\' OR headline LIKE ? "
                "ESCAPE '\\' OR IFNULL(scenario, '') LIKE ? ESCAPE '\\' "
                "OR CAST(request_body AS TEXT) LIKE ? ESCAPE '\\')"
            )
            params += [like] * 5
        if target:
            like = f"%{_escape_like(target)}%"
            where.append("(target_label LIKE ? ESCAPE '\\' OR url LIKE ? ESCAPE '\\')")
            params += [like, like]
        if outcome:
            wanted = outcome.strip().upper()
            if wanted == "FAILED":
                where.append("hook_failed = 1")
            elif wanted == "NOT SENT":
                where.append("sent = 0")
            else:
                where.append("outcome = ?")
                params.append(wanted)
        sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(min(max(0, int(limit)), MAX_SQLITE_INT))

        def work(conn: sqlite3.Connection) -> list[HistoryEntry]:
            return [_entry(row) for row in conn.execute(sql, params)]

        return self._run(work, [])

    def get(self, entry_id: int) -> HistoryEntry | None:
        if not 0 < entry_id <= MAX_SQLITE_INT:
            return None  # no row has such an id (and SQLite cannot even compare with it)

        def work(conn: sqlite3.Connection) -> HistoryEntry | None:
            row = conn.execute(_SELECT + " WHERE id = ?", (int(entry_id),)).fetchone()
            return _entry(row) if row is not None else None

        return self._run(work, None)

    def count(self) -> int:
        return self._run(
            lambda conn: conn.execute("SELECT COUNT(*) FROM exchanges").fetchone()[0], 0
        )


def _private_file(path: Path) -> None:
    """Make the database file readable by its owner only (0600), in a folder only its owner
    can enter (0700): created so, or tightened when an earlier version made them wider. A
    folder named by $REGHOOK_DATA_DIR that already exists is left as the person made it."""
    folder = path.parent
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if sys.platform == "win32":
        return  # a profile folder is private already; chmod only sets read-only there
    if folder.name == APP_FOLDER and folder.stat().st_mode & 0o077:
        folder.chmod(0o700)
    try:
        # O_EXCL: created here with 0600 from the start, never readable by others meanwhile.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)


def _vacuum_if_mostly_free(conn: sqlite3.Connection) -> None:
    """Give the space of pruned rows back when it is most of the file (SQLite keeps freed
    pages for reuse, so a big run would otherwise leave the file at its largest for ever)."""
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    if free * page_size >= VACUUM_MIN_FREE_BYTES and free > pages * VACUUM_FREE_SHARE:
        conn.execute("VACUUM")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
