"""The user picker at full size: a capped list of matches and "N more — keep typing", so a
keystroke costs the same with 100,000 users as with ten (`DemoOrg.search` with a limit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox

if TYPE_CHECKING:
    from app.logic.org import DemoOrg, OrgUser

#: Matches listed under the search box; the rest are counted, up to MORE_COUNTED.
SHOWN_MATCHES = 50
MORE_COUNTED = 1000
#: Users in the drop-down list before any typing (the current user is always among them).
LISTED_USERS = 200
MORE_TEXT = "{count} more — keep typing"
PREPARING_TEXT = "Preparing the search of {count:,} users…"


def user_label(user: OrgUser) -> str:
    """How a user appears in the picker: "First Last <login>"."""
    return f"{user.display_name} <{user.login}>"


def more_text(count: int, capped: bool = False) -> str:
    return MORE_TEXT.format(count=f"{count:,}+" if capped else f"{count:,}")


def matches(org: DemoOrg, text: str) -> tuple[list[OrgUser], str]:
    """The users to list for `text` (at most SHOWN_MATCHES) and the "N more" line ("" when
    every match is listed). Counting stops after MORE_COUNTED more: "1,000+ more"."""
    if not text.strip():
        shown = list(org.users[:SHOWN_MATCHES])
        rest = len(org.users) - len(shown)
        return shown, more_text(rest) if rest > 0 else ""
    found = org.search(text, limit=SHOWN_MATCHES + MORE_COUNTED + 1)
    rest = len(found) - SHOWN_MATCHES
    if rest <= 0:
        return found, ""
    return found[:SHOWN_MATCHES], more_text(min(rest, MORE_COUNTED), rest > MORE_COUNTED)


def fill_model(model: QStandardItemModel, users: list[OrgUser], more: str) -> dict[str, str]:
    """Put the matches (and a greyed "N more" row) in the completer's model; label -> login."""
    model.clear()
    logins: dict[str, str] = {}
    for user in users:
        label = user_label(user)
        logins[label] = user.login
        model.appendRow(QStandardItem(label))
    if more:
        item = QStandardItem(more)
        item.setEnabled(False)
        item.setSelectable(False)
        model.appendRow(item)
    return logins


def fill_combo(combo: QComboBox, org: DemoOrg, current: OrgUser | None) -> None:
    """The drop-down list: the first LISTED_USERS users, the current one among them, and a
    greyed "N more — keep typing" at the end when the org has more."""
    combo.blockSignals(True)
    try:
        combo.clear()
        listed = list(org.users[:LISTED_USERS])
        if current is not None and current not in listed:
            listed.insert(0, current)
        for user in listed:
            combo.addItem(user_label(user), user.login)
        rest = max(0, len(org.users) - LISTED_USERS)
        if rest:
            combo.addItem(more_text(rest), None)
            item = combo.model().item(combo.count() - 1)  # type: ignore[attr-defined]
            item.setEnabled(False)
    finally:
        combo.blockSignals(False)


def combo_index(combo: QComboBox, user: OrgUser) -> int:
    """The user's row in the drop-down list, added at the top when it is not listed."""
    index = combo.findData(user.login, Qt.ItemDataRole.UserRole)
    if index < 0:
        combo.blockSignals(True)
        combo.insertItem(0, user_label(user), user.login)
        combo.blockSignals(False)
        index = 0
    return index


__all__ = ["fill_combo", "fill_model", "matches", "more_text", "user_label"]
