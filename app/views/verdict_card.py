"""What the Sign-In Widget draws for a verdict's messages: the banner above the form (Gen2/Gen3
"We found some errors..."), each cause under its field, a cause whose location names no field
in the banner, and, where Okta's pages disagree on the text, every reading, labelled."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.logic import okta

if TYPE_CHECKING:
    from app.logic.verdict import EndUserMessage

#: The progressive form is the widget's enroll-profile screen (it posts to /enroll/update).
PP_TITLE = okta.PROGRESSIVE_SCREEN_TITLE
PP_BUTTON = okta.PROGRESSIVE_SCREEN_BUTTON


@dataclass
class CardMessages:
    """The messages of one verdict, placed as the widget places them."""

    banners: list[str] = field(default_factory=list)
    inline: dict[str, list[str]] = field(default_factory=dict)
    #: (label, text): one box per reading when Okta's sources disagree on what is shown.
    readings: list[tuple[str, str]] = field(default_factory=list)


def place_messages(messages: Iterable[EndUserMessage], form_fields: Iterable[str]) -> CardMessages:
    """Each message where the widget shows it, as the person's page places it
    (`app.logic.person.outcome.place_messages`, in English): under a field on the form, else
    in the banner; the labelled readings apart, each in a box of its own."""
    from app.logic.person.outcome import place_messages as place
    from app.logic.person.texts import load_texts

    banner, under = place(list(messages), form_fields, load_texts("en"))
    placed = CardMessages()
    for notice in banner:
        if notice.reading:
            placed.readings.append((notice.reading, notice.text))
        else:
            placed.banners.append(notice.text)
    placed.inline = {name: [n.text for n in notices] for name, notices in under.items()}
    return placed


def rule_text(severity: str, message: str, path: str, label: str) -> str:
    """One row of the rule list; a rule Okta does not document says so, with the reading."""
    where = f" ({path})" if path else ""
    tag = f" — {label}" if label else ""
    return f"{severity.capitalize()}: {message}{where}{tag}"


__all__ = ["PP_BUTTON", "PP_TITLE", "CardMessages", "place_messages", "rule_text"]
