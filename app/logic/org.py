"""The demo org: its users and its user-profile schema, read from JSON files a person can edit.

A person can point at their own users file (the shape Okta's List Users API returns).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.logic.resources import fixtures_dir
from app.logic.validation import format_path, json_kind, locate, parse_json

__all__ = [
    "ATTRIBUTE_TYPES",
    "PERMISSIONS",
    "AttributeDef",
    "DemoOrg",
    "OrgError",
    "OrgUser",
    "UserSchema",
    "default_schema_file",
    "default_users_file",
    "fold",
    "load_demo_org",
    "load_user_schema",
    "load_users",
]

ATTRIBUTE_TYPES = ("string", "number", "boolean", "integer", "array")
PERMISSIONS = ("READ_WRITE", "READ_ONLY", "HIDE")


class OrgError(Exception):
    """A users or schema file that cannot be used; the message is one plain line."""


@dataclass(frozen=True)
class OrgUser:
    """One user of the org, as Okta's Users API describes them."""

    id: str
    password_changed: str | None
    profile: dict[str, Any] = field(hash=False)

    @property
    def login(self) -> str:
        return str(self.profile.get("login", ""))

    @property
    def display_name(self) -> str:
        """ "First Last", or the login when the profile has no name."""
        parts = [self.profile.get("firstName"), self.profile.get("lastName")]
        name = " ".join(str(part) for part in parts if part)
        return name or self.login


@dataclass(frozen=True)
class AttributeDef:
    """One attribute of the org's user profile."""

    name: str
    title: str
    type: str  # "string" | "number" | "boolean" | "integer" | "array"
    required: bool
    read_only: bool  # the end user cannot change it (permission READ_ONLY or HIDE)
    custom: bool
    permission: str = "READ_WRITE"  # "READ_WRITE" | "READ_ONLY" | "HIDE"


@dataclass(frozen=True)
class UserSchema:
    """Which profile attributes the org has."""

    attributes: dict[str, AttributeDef] = field(hash=False)

    def has(self, name: str) -> bool:
        return name in self.attributes

    def is_read_only(self, name: str) -> bool:
        attribute = self.attributes.get(name)
        return attribute is not None and attribute.read_only


# Letters that Unicode does not decompose into a base letter plus an accent.
_FOLD_EXTRA = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
)


def fold(text: str) -> str:
    """Lower-case, accent-free form for matching: "Zoë Łukasiewicz" -> "zoe lukasiewicz"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.translate(_FOLD_EXTRA)


@dataclass(frozen=True)
class DemoOrg:
    """The org's users and its user-profile schema."""

    users: tuple[OrgUser, ...]
    schema: UserSchema

    def find(self, login_or_id: str) -> OrgUser | None:
        """The user with this login (any case) or this exact id."""
        wanted = login_or_id.strip()
        folded = wanted.casefold()
        for user in self.users:
            if user.login.casefold() == folded:
                return user
        for user in self.users:
            if user.id == wanted:
                return user
        return None

    def search(self, text: str) -> list[OrgUser]:
        """Users whose name, login or email contains `text`, ignoring case and accents."""
        needle = " ".join(fold(text).split())
        if not needle:
            return list(self.users)
        found = []
        for user in self.users:
            haystack = " | ".join(
                [
                    fold(user.display_name),
                    fold(f"{user.profile.get('lastName', '')} {user.profile.get('firstName', '')}"),
                    fold(user.login),
                    fold(str(user.profile.get("email", ""))),
                ]
            )
            if needle in haystack:
                found.append(user)
        return found


def default_users_file() -> Path:
    return fixtures_dir() / "demo-org" / "users.json"


def default_schema_file() -> Path:
    return fixtures_dir() / "demo-org" / "user-schema.json"


def _read_json(path: Path) -> tuple[Any, str]:
    """The parsed file and its text; OrgError when it is missing, unreadable or not JSON."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise OrgError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise OrgError(f"{path}: is a folder, not a file") from None
    except UnicodeDecodeError:
        raise OrgError(f"{path.name}: not UTF-8 text") from None
    except OSError as error:
        raise OrgError(f"{path}: cannot be read ({error.strerror or error})") from None
    value, problem = parse_json(text)
    if problem is not None:
        raise OrgError(f"{path.name} line {problem.line}: not valid JSON: {problem.message}")
    return value, text


class _Shape:
    """Raises OrgError naming the file, the line and the JSON path of a wrongly shaped value."""

    def __init__(self, path: Path, text: str) -> None:
        self.name = path.name
        self.text = text

    def fail(self, parts: tuple[str | int, ...], message: str) -> OrgError:
        offset, _ = locate(self.text, parts)
        line = self.text.count("\n", 0, offset) + 1
        where = format_path(parts)
        prefix = f"{self.name} line {line}"
        return OrgError(f"{prefix}: {where}: {message}" if where else f"{prefix}: {message}")


def load_users(path: Path | None = None) -> tuple[OrgUser, ...]:
    """The users of a users file: a JSON array of Okta user objects, or `{"users": [...]}`."""
    path = Path(path) if path is not None else default_users_file()
    value, text = _read_json(path)
    shape = _Shape(path, text)
    prefix: tuple[str | int, ...] = ()
    if isinstance(value, dict) and "users" in value:
        value, prefix = value["users"], ("users",)
    if not isinstance(value, list):
        raise shape.fail(prefix, f"expected an array of users, got {json_kind(value)}")
    if not value:
        raise shape.fail(prefix, "the file lists no users")
    users: list[OrgUser] = []
    seen_ids: dict[str, int] = {}
    seen_logins: dict[str, int] = {}
    for index, entry in enumerate(value):
        here = (*prefix, index)
        if not isinstance(entry, dict):
            raise shape.fail(here, f"expected a user object, got {json_kind(entry)}")
        user_id = entry.get("id")
        if not isinstance(user_id, str) or not user_id.strip():
            got = "nothing" if "id" not in entry else json_kind(user_id)
            raise shape.fail(
                here if "id" not in entry else (*here, "id"),
                f'each user needs an "id" string (like "00u..."), got {got}',
            )
        profile = entry.get("profile")
        if not isinstance(profile, dict):
            got = "nothing" if "profile" not in entry else json_kind(profile)
            raise shape.fail(
                here if "profile" not in entry else (*here, "profile"),
                f'each user needs a "profile" object, got {got}',
            )
        login = profile.get("login")
        if not isinstance(login, str) or not login.strip():
            got = "nothing" if "login" not in profile else json_kind(login)
            raise shape.fail(
                (*here, "profile") if "login" not in profile else (*here, "profile", "login"),
                f'each profile needs a "login" string, got {got}',
            )
        changed = entry.get("passwordChanged")
        if changed is not None and not isinstance(changed, str):
            raise shape.fail(
                (*here, "passwordChanged"),
                f"expected a date-time string or null, got {json_kind(changed)}",
            )
        if user_id in seen_ids:
            raise shape.fail(
                (*here, "id"), f'id "{user_id}" is used twice (also user #{seen_ids[user_id] + 1})'
            )
        if login.casefold() in seen_logins:
            raise shape.fail(
                (*here, "profile", "login"),
                f'login "{login}" is used twice (also user #{seen_logins[login.casefold()] + 1})',
            )
        seen_ids[user_id] = index
        seen_logins[login.casefold()] = index
        users.append(OrgUser(id=user_id, password_changed=changed, profile=dict(profile)))
    return tuple(users)


def load_user_schema(path: Path | None = None) -> UserSchema:
    """The org's attributes: `{"base": {name: {...}}, "custom": {name: {...}}}`."""
    path = Path(path) if path is not None else default_schema_file()
    value, text = _read_json(path)
    shape = _Shape(path, text)
    if not isinstance(value, dict):
        raise shape.fail((), f'expected an object with "base" and "custom", got {json_kind(value)}')
    unknown = [key for key in value if key not in ("base", "custom", "description")]
    if unknown:
        raise shape.fail((unknown[0],), 'only "base", "custom" and "description" belong here')
    attributes: dict[str, AttributeDef] = {}
    for group in ("base", "custom"):
        block = value.get(group, {})
        if not isinstance(block, dict):
            raise shape.fail((group,), f"expected an object of attributes, got {json_kind(block)}")
        for name, spec in block.items():
            attributes[name] = _attribute(shape, group, name, spec, attributes)
    return UserSchema(attributes)


def _attribute(
    shape: _Shape, group: str, name: str, spec: Any, known: dict[str, AttributeDef]
) -> AttributeDef:
    here: tuple[str | int, ...] = (group, name)
    if name in known:
        raise shape.fail(here, f'attribute "{name}" is defined twice')
    if not isinstance(spec, dict):
        raise shape.fail(here, f"expected an attribute object, got {json_kind(spec)}")
    title = spec.get("title", name)
    kind = spec.get("type", "string")
    required = spec.get("required", False)
    permission = spec.get("permission", "READ_WRITE")
    if not isinstance(title, str):
        raise shape.fail((*here, "title"), f"expected a string, got {json_kind(title)}")
    if kind not in ATTRIBUTE_TYPES:
        raise shape.fail((*here, "type"), "expected one of " + ", ".join(ATTRIBUTE_TYPES))
    if not isinstance(required, bool):
        raise shape.fail((*here, "required"), f"expected true or false, got {json_kind(required)}")
    if permission not in PERMISSIONS:
        raise shape.fail((*here, "permission"), "expected one of " + ", ".join(PERMISSIONS))
    return AttributeDef(
        name=name,
        title=title,
        type=kind,
        required=required,
        read_only=permission != "READ_WRITE",
        custom=group == "custom",
        permission=permission,
    )


def load_demo_org(users_file: Path | None = None, schema_file: Path | None = None) -> DemoOrg:
    """The org from its two files (defaults: the bundled demo org). Raises OrgError."""
    return DemoOrg(users=load_users(users_file), schema=load_user_schema(schema_file))
