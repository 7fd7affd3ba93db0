"""A live org in the shape the scenario loader and the request builder read (`find`, `search`,
`schema`), its users looked up on the org as scenarios name them: never all loaded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.logic.okta_org.operations import search_users

if TYPE_CHECKING:
    from app.logic.okta_org.client import OrgClient
    from app.logic.org import OrgUser, UserSchema

#: A search for a name lists at most this many users (enough to say "give a login").
SEARCH_LIMIT = 20


class LiveOrg:
    """`find(login_or_id)` asks the org (`profile.login eq` or `id eq`), `search(text)` runs a
    prefix search there; both remember what they found for the rest of the run."""

    def __init__(self, client: OrgClient, schema: UserSchema) -> None:
        self.client = client
        self.schema = schema
        self._found: dict[str, OrgUser | None] = {}
        self._searched: dict[str, list[OrgUser]] = {}

    @property
    def users(self) -> tuple[OrgUser, ...]:
        """The users looked up so far (the org itself is never listed whole)."""
        seen = {user.id: user for user in self._found.values() if user is not None}
        for found in self._searched.values():
            seen.update((user.id, user) for user in found)
        return tuple(seen.values())

    def find(self, login_or_id: str) -> OrgUser | None:
        key = login_or_id.strip()
        if key.casefold() in self._found:
            return self._found[key.casefold()]
        quoted = key.replace("\\", "\\\\").replace('"', '\\"')
        user = None
        for expression in (f'profile.login eq "{quoted}"', f'id eq "{quoted}"'):
            for page in search_users(self.client, expression, max_users=1):
                user = page.users[0] if page.users else None
            if user is not None:
                break
        self._found[key.casefold()] = user
        return user

    def search(self, text: str, limit: int | None = None) -> list[OrgUser]:
        key = " ".join(text.split()).casefold()
        if key not in self._searched:
            found: list[OrgUser] = []
            for page in search_users(self.client, text, max_users=SEARCH_LIMIT):
                found += page.users
            self._searched[key] = found
        found = self._searched[key]
        return found if limit is None else found[:limit]
