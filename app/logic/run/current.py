"""The current run: what feeds the next call and the call every surface shows, in one place.

    run = CurrentRun(org)
    unsubscribe = run.subscribe(lambda change: ...)     # change is one of CHANGES
    run.update(request_type=okta.PP, reading="lenient")  # inputs: the shown result goes stale
    run.set_result(exchange, source="signup page")       # a finished call becomes the current run
    run.exchange, run.outcome, run.stale, run.source     # what block 3, the page, ... draw

Inputs (`INPUTS`): `org`, `user` (the chosen `OrgUser` or None), `request_type`, `form_values`
(request type -> {attribute: typed value}), `target` (the window's target key: a bundled
endpoint key or "remote", or any key another target source registers), `rules` (the bundled
hook's rules as a dict), `reading` ("strict" / "lenient", see `app.logic.verdict`) and
`request_text` (the JSON the next call sends). Any change to one of them marks the shown result
stale, once, for every observer.

The result: the last `Exchange` that became the current run, the `PageOutcome` drawn for it (what
the person sees, when a surface computed one) and which surface started it (`source`). A
scenario run from its own panel never calls `set_result`: it is not the current run.

Observers are plain callables taking the name of what changed; the views' Qt adapter turns
them into a signal. No Qt here (a test enforces it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.logic.org import DemoOrg, OrgUser
    from app.logic.person.outcome import PageOutcome
    from app.logic.run.exchange import Exchange

#: What feeds a call (a change to any of these makes the shown result stale).
INPUTS = (
    "org",
    "user",
    "request_type",
    "form_values",
    "target",
    "rules",
    "reading",
    "request_text",
)
#: Names an observer may receive: one of INPUTS, "result" (a new current run) or "stale".
CHANGES = (*INPUTS, "result", "stale")
READINGS = ("strict", "lenient")

Observer = Callable[[str], None]


class CurrentRun:
    """One window's run; see the module docstring."""

    def __init__(self, org: DemoOrg | None = None, *, request_type: str = "") -> None:
        from app.logic import okta

        self.org: DemoOrg | None = org
        self.user: OrgUser | None = None
        self.request_type: str = request_type or okta.SSR
        self.form_values: dict[str, dict[str, str]] = {}
        self.target: str = ""
        self.rules: dict[str, Any] = {}
        self.reading: str = "strict"
        self.request_text: str = ""
        self.exchange: Exchange | None = None
        self.outcome: PageOutcome | None = None
        self.source: str = ""
        self.stale: bool = False
        #: How messages name the org: "the demo org", or the file it was read from.
        self.org_label: str = "the demo org"
        self._observers: list[Observer] = []

    # --- observing --------------------------------------------------------------------------

    def subscribe(self, observer: Observer) -> Callable[[], None]:
        """Call `observer(change)` after each change; returns the function that unsubscribes."""
        self._observers.append(observer)

        def unsubscribe() -> None:
            if observer in self._observers:
                self._observers.remove(observer)

        return unsubscribe

    def _notify(self, change: str) -> None:
        for observer in tuple(self._observers):
            observer(change)

    # --- inputs -----------------------------------------------------------------------------

    def update(self, **changes: Any) -> tuple[str, ...]:
        """Set inputs (keywords from `INPUTS`); returns the names that really changed. The
        shown result goes stale once when any did."""
        unknown = set(changes) - set(INPUTS)
        if unknown:
            raise TypeError(f"not an input of the run: {', '.join(sorted(unknown))}")
        if "reading" in changes and changes["reading"] not in READINGS:
            changes["reading"] = "strict"
        changed = []
        for name, value in changes.items():
            if name == "form_values":
                value = {kind: dict(values) for kind, values in value.items()}
            # `is` first: an org or user object equal by value is still another one.
            old = getattr(self, name)
            if old is value or (name not in ("org", "user") and old == value):
                continue
            setattr(self, name, value)
            changed.append(name)
        for name in changed:
            self._notify(name)
        if changed:
            self.mark_stale()
        return tuple(changed)

    def set_form_values(self, request_type: str, values: Mapping[str, str]) -> bool:
        """What the form of `request_type` holds now; True when it changed."""
        merged = dict(self.form_values)
        merged[request_type] = dict(values)
        return bool(self.update(form_values=merged))

    def values_for(self, request_type: str | None = None) -> dict[str, str]:
        """The form values typed for `request_type` (default: the current one)."""
        return dict(self.form_values.get(request_type or self.request_type, {}))

    # --- the result -------------------------------------------------------------------------

    def set_result(
        self, exchange: Exchange, outcome: PageOutcome | None = None, *, source: str = "window"
    ) -> None:
        """`exchange` (started by `source`) is now the current run, fresh."""
        self.exchange = exchange
        self.outcome = outcome
        self.source = source
        self.stale = False
        self._notify("result")

    def set_outcome(self, exchange: Exchange, outcome: PageOutcome) -> None:
        """What the person sees for `exchange`, when it is still the current run."""
        if exchange is self.exchange and outcome is not self.outcome:
            self.outcome = outcome
            self._notify("result")

    def mark_stale(self) -> bool:
        """The shown result no longer matches the inputs; True when that is news."""
        if self.exchange is None or self.stale:
            return False
        self.stale = True
        self._notify("stale")
        return True

    def set_org(self, org: DemoOrg, label: str) -> None:
        """Another org is loaded; `label` is how every message names it from now on (for
        example "the org in users.json")."""
        self.org_label = label
        self.update(org=org)


__all__ = ["CHANGES", "INPUTS", "READINGS", "CurrentRun"]
