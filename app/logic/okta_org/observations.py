"""What Okta itself did with an answer, kept as evidence about the rules Okta does not document:
one row per observation in the history file (table `okta_observations`), so a verdict's
UNCONFIRMED label can say "observed on your org on ...".

A row holds the rule's code, what Okta said, the org's URL, the hook's id, when, and the answer
that caused it (the hook's answer body: no credential is ever part of it). A store that cannot
be written never stops the caller: `record` returns the reason instead.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Citations", "Observation", "ObservationStore", "citations", "evidence_lines"]


@dataclass(frozen=True)
class Observation:
    """What Okta itself did with an answer, against a rule here: kept as evidence."""

    rule: str  # the rule's code ("" when Okta refused without a rule here to blame)
    agreement: str  # "okta-accepted-refused-here" | "okta-refused-accepted-here" | "agree"
    okta_said: str
    org: str
    hook_id: str
    observed_at: str
    answer: bytes
    rule_text: str = ""

    def sentence(self) -> str:
        day = self.observed_at[:10]
        if self.agreement == "okta-accepted-refused-here":
            return f"observed on your org on {day}: Okta accepted an answer this rule refuses"
        if self.agreement == "okta-refused-accepted-here":
            return f"observed on your org on {day}: Okta refused an answer this program accepts"
        return f"observed on your org on {day}: Okta agreed ({self.okta_said})"


_SCHEMA = """
CREATE TABLE IF NOT EXISTS okta_observations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    observed_at TEXT NOT NULL,
    org TEXT NOT NULL,
    hook_id TEXT NOT NULL,
    rule TEXT NOT NULL,
    rule_text TEXT NOT NULL,
    agreement TEXT NOT NULL,
    okta_said TEXT NOT NULL,
    answer BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS okta_observations_rule ON okta_observations (rule);
"""
#: The most observations kept (the oldest go first).
KEEP = 2000


class ObservationStore:
    """The observations in the SQLite file at `path` (the history file by default)."""

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            from app.logic.run.history import default_history_path

            path = default_history_path()
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=5)
        try:
            connection.executescript(_SCHEMA)
        except BaseException:
            connection.close()  # a file that is not a history file (or locked) leaks nothing
            raise
        return connection

    def record(self, observations: Iterable[Observation]) -> str | None:
        """Keep `observations`; None, or one line saying why they could not be kept."""
        rows = [
            (
                o.observed_at,
                o.org,
                o.hook_id,
                o.rule,
                o.rule_text,
                o.agreement,
                o.okta_said,
                o.answer,
            )
            for o in observations
        ]
        if not rows:
            return None
        try:
            connection = self._connect()
            with closing(connection), connection:
                connection.executemany(
                    "INSERT INTO okta_observations (observed_at, org, hook_id, rule, rule_text,"
                    " agreement, okta_said, answer) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
                connection.execute(
                    "DELETE FROM okta_observations WHERE id <= "
                    "(SELECT MAX(id) FROM okta_observations) - ?",
                    (KEEP,),
                )
        except (sqlite3.Error, OSError) as exc:
            return f"the observations could not be kept in {self.path.name}: {exc}"
        return None

    def for_rule(self, rule: str, limit: int = 20) -> list[Observation]:
        """The newest observations of `rule` first."""
        if not self.path.is_file():
            return []
        try:
            with closing(self._connect()) as connection:
                rows = connection.execute(
                    "SELECT rule, agreement, okta_said, org, hook_id, observed_at, answer,"
                    " rule_text FROM okta_observations WHERE rule = ? ORDER BY id DESC LIMIT ?",
                    (rule, limit),
                ).fetchall()
        except sqlite3.Error:
            return []
        return [
            Observation(
                rule=r[0],
                agreement=r[1],
                okta_said=r[2],
                org=r[3],
                hook_id=r[4],
                observed_at=r[5],
                answer=bytes(r[6]),
                rule_text=r[7],
            )
            for r in rows
        ]

    def all(self, limit: int = 200) -> list[Observation]:
        if not self.path.is_file():
            return []
        try:
            with closing(self._connect()) as connection:
                rules = [
                    row[0]
                    for row in connection.execute(
                        "SELECT DISTINCT rule FROM okta_observations ORDER BY rule"
                    )
                ]
        except sqlite3.Error:
            return []
        found: list[Observation] = []
        for rule in rules:
            found += self.for_rule(rule, limit)
        return found[:limit]


def citations(rules: Iterable[str], store: ObservationStore) -> dict[str, str]:
    """For each rule code with observations, the sentence an UNCONFIRMED label cites: the newest
    observation ("observed on your org on 2026-12-07: Okta refused ...")."""
    cited: dict[str, str] = {}
    for rule in rules:
        found = store.for_rule(rule, limit=1)
        if found:
            cited[rule] = f"{found[0].sentence()} ({found[0].org})"
    return cited


def evidence_lines(verdict: Any, store: ObservationStore | None = None) -> list[str]:
    """For a verdict's UNCONFIRMED rule breaks that Okta was seen deciding on a live org (see
    `org preview`), one line each citing the newest observation; [] when there is none (the
    history file is not even opened when the verdict has no UNCONFIRMED rule)."""
    rules = [problem.code for problem in verdict.unconfirmed()]
    if not rules:
        return []
    store = store or ObservationStore()
    return [f"{rule}: {sentence}" for rule, sentence in citations(rules, store).items()]


class Citations:
    """The sentence each rule's newest observation gives, held in memory for a window: `load`
    reads the store (call it off the GUI thread), `add` takes new observations as they are
    made, `get(code)` answers at once (None when nothing was seen)."""

    def __init__(self, store: ObservationStore | None = None) -> None:
        self._store = store
        self._sentences: dict[str, str] = {}
        self._lock = threading.Lock()

    def load(self) -> None:
        store = self._store or ObservationStore()
        found: dict[str, str] = {}
        for observation in reversed(store.all()):  # oldest first: the newest wins
            if observation.rule:
                found[observation.rule] = f"{observation.sentence()} ({observation.org})"
        with self._lock:
            self._sentences = {**found, **self._sentences}

    def add(self, observations: Iterable[Observation]) -> None:
        with self._lock:
            for observation in observations:
                if observation.rule:
                    self._sentences[observation.rule] = (
                        f"{observation.sentence()} ({observation.org})"
                    )

    def get(self, code: str) -> str | None:
        with self._lock:
            return self._sentences.get(code)
