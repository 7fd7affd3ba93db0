"""What the page shows after the person presses Sign Up / Submit: worked out from Okta's verdict
on one exchange (or from the checks before the call), as plain data the page only draws.

Each text says where it comes from, because the person sees them side by side:
``widget``  a Sign-In Widget text, in the page's language;
``okta``    a text Okta's server sends, published in English only (no widget translation);
``hook``    the hook's own `errorSummary`, exactly as the hook wrote it, in its language.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.logic import okta

if TYPE_CHECKING:
    from app.logic.org import UserSchema
    from app.logic.person.texts import WidgetTexts
    from app.logic.run.exchange import Exchange

WIDGET = "widget"
OKTA = "okta"
HOOK = "hook"

#: Okta's own English texts that may reach the page as a verdict message.
_OKTA_TEXTS = frozenset(
    [
        okta.BANNER_TEXT,
        *okta.FAILURE_TEXT.values(),
        *okta.ERROR_WITHOUT_CAUSES_TEXT.values(),
        *okta.DENY_TEXT.values(),
    ]
)


class Result(enum.Enum):
    """How the submission ended, as the person lives it."""

    CHECKED = "checked"  # stopped by the checks before any call; nothing sent
    DENIED = "denied"  # the hook said no (with or without messages)
    FAILED = "failed"  # the hook failed: timeout, bad status, unreadable answer...
    CREATED = "created"  # registration went on: the account exists
    UPDATED = "updated"  # progressive profile went on: the profile was saved
    NOT_SENT = "not-sent"  # the request could not be sent (not JSON, not UTF-8)
    CANCELLED = "cancelled"  # the call was cancelled before Okta would have decided


@dataclass(frozen=True)
class Notice:
    """One text on the page and where it comes from (WIDGET, OKTA or HOOK). `reading` labels
    a text shown because one of Okta's sources says so while another disagrees (UNCONFIRMED)."""

    text: str
    source: str
    reading: str = ""


@dataclass(frozen=True)
class ProfileRow:
    """One attribute of the profile after the call; `set_by_hook` when a command set it."""

    name: str
    label: str
    before: Any
    after: Any
    set_by_hook: bool


@dataclass(frozen=True)
class PageOutcome:
    """Everything the page shows after a submission.

    `stays_on_form`: the form stays, with `banner` above it and `field_messages` under its
    inputs; otherwise the next screen shows `title`, `body` and `profile`. `note` is the
    preview's own remark in English (why it failed, what Okta would do next), never a widget text.
    """

    result: Result
    stays_on_form: bool
    banner: tuple[Notice, ...] = ()
    field_messages: Mapping[str, tuple[Notice, ...]] = field(default_factory=dict)
    title: str = ""
    body: str = ""
    profile: tuple[ProfileRow, ...] = ()
    note: str = ""

    def readings(self) -> list[tuple[str, str]]:
        """(label, text) of each banner text one of Okta's disagreeing sources shows."""
        return [(n.reading, n.text) for n in self.banner if n.reading]

    def texts(self) -> list[str]:
        """Every text the person reads, banner first (for tests and the walkthrough)."""
        shown = [n.text for n in self.banner]
        for notices in self.field_messages.values():
            shown.extend(n.text for n in notices)
        shown.extend(t for t in (self.title, self.body) if t)
        return shown


def flavour_of(request_type: str | None) -> str:
    return "pp" if request_type == okta.PP else "ssr"


def checked_outcome(problems: Mapping[str, str], texts: WidgetTexts) -> PageOutcome:
    """The form stopped before any call: the widget's banner and a message under each input."""
    return PageOutcome(
        result=Result.CHECKED,
        stays_on_form=True,
        banner=(Notice(texts.get("oform.errorbanner.title"), WIDGET),),
        field_messages={name: (Notice(text, WIDGET),) for name, text in problems.items()},
        note="Stopped before the hook: the form's own checks failed, so nothing was sent.",
    )


def exchange_outcome(
    exchange: Exchange,
    form_names: Sequence[str],
    texts: WidgetTexts,
    schema: UserSchema | None = None,
    *,
    request_type: str | None = None,
) -> PageOutcome:
    """What the page shows for `exchange`, whose form had the inputs `form_names`."""
    verdict = exchange.verdict
    if verdict is None:
        why = exchange.refusal or (
            exchange.parse_problem.format() if exchange.parse_problem else ""
        )
        return PageOutcome(
            result=Result.NOT_SENT,
            stays_on_form=True,
            note=f"Nothing was sent: {why}" if why else "Nothing was sent.",
        )
    if exchange.cancelled:
        return PageOutcome(
            result=Result.CANCELLED,
            stays_on_form=True,
            note="Cancelled before the hook answered; Okta would have waited for it.",
        )
    from app.logic.verdict import Outcome

    flavour = flavour_of(verdict.request_type or request_type)

    if verdict.hook_failed:
        failure = okta.FAILURE_TEXT[flavour]
        first = verdict.errors()[0].message if verdict.errors() else verdict.headline
        return PageOutcome(
            result=Result.FAILED,
            stays_on_form=True,
            banner=(_notice(failure, texts),),
            note=f"The hook failed, so Okta shows its generic text. {first}",
        )
    if verdict.outcome is Outcome.DENIED:
        return _denied(verdict.messages, form_names, texts)
    rows = _profile_rows(verdict, texts, schema)
    if flavour == "pp":
        changed = ", ".join(c.name for c in verdict.changes) or "nothing"
        return PageOutcome(
            result=Result.UPDATED,
            stays_on_form=False,
            title=texts.get("oie.primaryauth.submit"),
            profile=rows,
            note=f"Okta saved the profile (changed: {changed}) and the sign-in goes on.",
        )
    set_by_hook = ", ".join(c.name for c in verdict.changes)
    return PageOutcome(
        result=Result.CREATED,
        stays_on_form=False,
        title=texts.get("registration.complete.title"),
        body=texts.get("registration.complete.confirm.text"),
        profile=rows,
        note=(
            "The account is created"
            + (f"; the hook set {set_by_hook}" if set_by_hook else "")
            + ". Okta shows this screen when the policy asks for email verification; "
            "otherwise the person is signed in at once."
        ),
    )


def _notice(text: str, texts: WidgetTexts) -> Notice:
    """One of Okta's English texts: translated when the widget publishes it, else as is."""
    shown, translated = texts.contract_text(text)
    widget_text = text in (okta.BANNER_TEXT, okta.FAILURE_TEXT["ssr"])
    return Notice(shown, WIDGET if widget_text and translated else OKTA)


def place_messages(
    messages: Sequence[Any], form_names: Iterable[str], texts: WidgetTexts
) -> tuple[tuple[Notice, ...], dict[str, tuple[Notice, ...]]]:
    """Where the widget shows each of a verdict's messages: (the banner, {input: messages}).

    A message whose field is an input of the form goes under it; the others go in the banner
    (Okta's own texts in the page's language where the widget publishes them), with the
    widget's banner line first when something is under an input. A text shown by one of
    Okta's disagreeing sources keeps its `reading` label. This one placement is what both the
    person's page and block 3's card draw."""
    on_form = set(form_names)
    banner: list[Notice] = []
    under: dict[str, list[Notice]] = {}
    for message in messages:
        reading = getattr(message, "reading", "") or ""
        if message.field is not None and message.field in on_form and not reading:
            under.setdefault(message.field, []).append(Notice(message.text, HOOK))
        elif message.location is None and message.text in _OKTA_TEXTS:
            notice = _notice(message.text, texts)
            banner.append(Notice(notice.text, notice.source, reading))
        else:
            banner.append(Notice(message.text, HOOK, reading))
    widget_banner = texts.get("oform.errorbanner.title")
    if under and not any(n.text == widget_banner for n in banner):
        banner.insert(0, Notice(widget_banner, WIDGET))
    return tuple(banner), {name: tuple(notices) for name, notices in under.items()}


def _denied(messages: Sequence[Any], form_names: Sequence[str], texts: WidgetTexts) -> PageOutcome:
    banner, under = place_messages(messages, form_names, texts)
    note = "The hook denied the request; nothing it sent was applied."
    if not banner and not under:
        note = "The hook denied the request without a message the person can see."
    elif any(n.reading for n in banner):
        note += " Okta's sources disagree on the text: each reading is shown, labelled."
    return PageOutcome(
        result=Result.DENIED,
        stays_on_form=True,
        banner=banner,
        field_messages=under,
        note=note,
    )


def _profile_rows(
    verdict: Any, texts: WidgetTexts, schema: UserSchema | None
) -> tuple[ProfileRow, ...]:
    set_by_hook = {c.name for c in verdict.changes}
    before = verdict.profile_before
    after = verdict.profile_after
    names = list(after) + [n for n in before if n not in after]
    rows = []
    for name in names:
        attribute = schema.attributes.get(name) if schema is not None else None
        rows.append(
            ProfileRow(
                name=name,
                label=texts.label(name, attribute.title if attribute is not None else None),
                before=before.get(name),
                after=after.get(name),
                set_by_hook=name in set_by_hook,
            )
        )
    return tuple(rows)
