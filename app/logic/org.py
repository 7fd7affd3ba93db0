"""The org: its users and its user-profile schema, read from files a person can edit.

Users: the project's users JSON, Okta's `GET /api/v1/users` array as the API returns it, or a
CSV with a header row of profile attribute names (Okta's import template); the kind is told
from the content. Schema: the project's `{"base": ..., "custom": ...}` or Okta's
`GET /api/v1/meta/schemas/user/default` as the API returns it. A `user-schema.json` beside the
users file is the org's schema unless another is given.
"""

from __future__ import annotations

import bisect
import gc
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.logic import jsontext
from app.logic.jsontext import DECODER
from app.logic.resources import fixtures_dir

# app.logic.validation (its parser messages, paths and spans) is imported only to word what is
# wrong with a file: `request` reads the demo org without loading it.

__all__ = [
    "ATTRIBUTE_TYPES",
    "PERMISSIONS",
    "SCHEMA_BESIDE_USERS",
    "AttributeDef",
    "DemoOrg",
    "OrgError",
    "OrgUser",
    "UserSchema",
    "default_schema_file",
    "default_users_file",
    "fold",
    "json_array_in_pieces",
    "load_demo_org",
    "load_user_schema",
    "load_users",
    "schema_file_for",
    "user_from_okta",
    "user_schema_from_okta",
]

ATTRIBUTE_TYPES = ("string", "number", "boolean", "integer", "array")
PERMISSIONS = ("READ_WRITE", "READ_ONLY", "HIDE")


class OrgError(Exception):
    """A users or schema file that cannot be used; the message is one plain line."""


class _ReadOnly:
    """Instances that cannot be changed once made, compared and hashed by `_fields`.

    Hand-written rather than `@dataclass(frozen=True)`: the org is loaded by every command
    that builds a request, and importing `dataclasses` (it pulls in `inspect`, `ast`, `dis`,
    `tokenize`) and generating these classes' methods was a fifth of `reghook request`'s
    start-up."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _hashed: tuple[str, ...] = ()

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self._fields)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, name) for name in self._hashed))

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({values})"

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # pickle and copy make a new instance through __init__ (they cannot set attributes).
        return type(self), tuple(getattr(self, name) for name in self._fields)


class OrgUser(_ReadOnly):
    """One user of the org, as Okta's Users API describes them."""

    _fields = ("id", "password_changed", "profile")
    __slots__ = _fields
    _hashed = ("id", "password_changed")  # the profile is a dict

    id: str
    password_changed: str | None
    profile: dict[str, Any]

    def __init__(self, id: str, password_changed: str | None, profile: dict[str, Any]) -> None:
        setter = object.__setattr__
        setter(self, "id", id)
        setter(self, "password_changed", password_changed)
        setter(self, "profile", profile)

    @property
    def login(self) -> str:
        return str(self.profile.get("login", ""))

    @property
    def display_name(self) -> str:
        """ "First Last", or the login when the profile has no name."""
        parts = [self.profile.get("firstName"), self.profile.get("lastName")]
        name = " ".join(str(part) for part in parts if part)
        return name or self.login


class AttributeDef(_ReadOnly):
    """One attribute of the org's user profile."""

    _fields = _hashed = ("name", "title", "type", "required", "read_only", "custom", "permission")
    __slots__ = _fields

    name: str
    title: str
    type: str  # "string" | "number" | "boolean" | "integer" | "array"
    required: bool
    read_only: bool  # the end user cannot change it (permission READ_ONLY or HIDE)
    custom: bool
    permission: str  # "READ_WRITE" | "READ_ONLY" | "HIDE"

    def __init__(
        self,
        name: str,
        title: str,
        type: str,
        required: bool,
        read_only: bool,
        custom: bool,
        permission: str = "READ_WRITE",
    ) -> None:
        values = (name, title, type, required, read_only, custom, permission)
        for field_name, value in zip(self._fields, values, strict=True):
            object.__setattr__(self, field_name, value)


class UserSchema(_ReadOnly):
    """Which profile attributes the org has."""

    __slots__ = ("attributes",)
    _fields = __slots__

    attributes: dict[str, AttributeDef]

    def __init__(self, attributes: dict[str, AttributeDef]) -> None:
        object.__setattr__(self, "attributes", attributes)

    def has(self, name: str) -> bool:
        return name in self.attributes

    def is_read_only(self, name: str) -> bool:
        attribute = self.attributes.get(name)
        return attribute is not None and attribute.read_only


# Letters that Unicode does not decompose into a base letter plus an accent.
_FOLD_EXTRA_LETTERS = {
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "ħ": "h",
    "ı": "i",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
    "ð": "d",
}


def fold(text: str) -> str:
    """Lower-case, accent-free form for matching: "Zoë Łukasiewicz" -> "zoe lukasiewicz".

    Folding a text whole gives the same as folding its lines one by one (case folding maps
    each character alone, and decomposition never crosses a line break), so a long text is
    folded in one go: the accents are dropped by one `translate` over the characters that
    occur in it, not by a Python loop over every character."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    present = set(decomposed)
    # A regular expression and str.replace run in C; str.translate with a mapping calls back
    # into Python for every character of a non-ASCII text (30 times slower here).
    marks = sorted(ch for ch in present if unicodedata.combining(ch))
    if marks:
        decomposed = re.sub(f"[{''.join(marks)}]", "", decomposed)
    for letter in present.intersection(_FOLD_EXTRA_LETTERS):
        decomposed = decomposed.replace(letter, _FOLD_EXTRA_LETTERS[letter])
    return decomposed


#: Users whose search lines are folded in one call: each call stays short, so the thread of a
#: window keeps running while a worker indexes 100,000 users.
_FOLD_BATCH = 2000


class DemoOrg(_ReadOnly):
    """The org's users and its user-profile schema."""

    # No __slots__: the lookups built on first use are kept in the instance's __dict__.
    _fields = _hashed = ("users", "schema")

    users: tuple[OrgUser, ...]
    schema: UserSchema

    def __init__(self, users: tuple[OrgUser, ...], schema: UserSchema) -> None:
        object.__setattr__(self, "users", users)
        object.__setattr__(self, "schema", schema)

    def find(self, login_or_id: str) -> OrgUser | None:
        """The user with this login (any case) or this exact id."""
        wanted = login_or_id.strip()
        by_login, by_id = self._lookup
        return by_login.get(wanted.casefold()) or by_id.get(wanted)

    def _cached(self, name: str, build: Callable[[], Any]) -> Any:
        """`build()`, kept in the instance for the org's life. Not `functools.cached_property`:
        on Python 3.11 it holds one lock for every org, so a window reading the small org would
        wait for a worker indexing a million users."""
        value = self.__dict__.get(name)
        if value is None:
            value = build()
            self.__dict__[name] = value
        return value

    @property
    def _lookup(self) -> tuple[dict[str, OrgUser], dict[str, OrgUser]]:
        """Login (folded) -> user and id -> user, built once: a lookup stays instant with
        100,000 users. The first user of a login or id wins, as a scan in order would find."""
        return self._cached("_lookup_cache", self._build_lookup)

    def _build_lookup(self) -> tuple[dict[str, OrgUser], dict[str, OrgUser]]:
        built = getattr(self.users, "lookup", None)
        if built is not None:
            return built  # type: ignore[no-any-return]
        by_login: dict[str, OrgUser] = {}
        by_id: dict[str, OrgUser] = {}
        for user in self.users:
            by_login.setdefault(user.login.casefold(), user)
            by_id.setdefault(user.id, user)
        return by_login, by_id

    @property
    def _search_text(self) -> tuple[str, list[int]]:
        """Every user's folded name, reversed name, login and email, one line per user, folded
        once for the org's life; and where each line starts. Building it for 100,000 users
        takes a second or two; `search_index()` builds it ahead of the first search."""
        return self._cached("_search_cache", self._build_search_text)

    @property
    def search_ready(self) -> bool:
        """True once the search text is built (a search then never has to build it)."""
        return "_search_cache" in self.__dict__

    def _build_search_text(self) -> tuple[str, list[int]]:
        lines = []
        for user in self.users:
            profile = user.profile
            line = " | ".join(
                [
                    user.display_name,
                    f"{profile.get('lastName', '') or ''} {profile.get('firstName', '') or ''}",
                    user.login,
                    str(profile.get("email", "") or ""),
                ]
            )
            lines.append(line.replace("\0", " "))
        # "\0" ends each user's line, and folding leaves it as it is.
        text = "\0".join(
            fold("\0".join(lines[start : start + _FOLD_BATCH]))
            for start in range(0, len(lines), _FOLD_BATCH)
        )
        starts = [0]
        position = text.find("\0")
        while position != -1:
            starts.append(position + 1)
            position = text.find("\0", position + 1)
        return text, starts

    def search_index(self) -> None:
        """Fold every user's text and index the logins now (the window does it off the GUI
        thread, after its first paint)."""
        _ = self._lookup
        _ = self._search_text

    def search(self, text: str, limit: int | None = None) -> list[OrgUser]:
        """Users whose name, login or email contains `text`, ignoring case and accents; at most
        `limit` of them (all when None), in the org's order."""
        needle = " ".join(fold(text).split())
        if not needle:
            users = self.users if limit is None else self.users[:limit]
            return list(users)
        haystack, starts = self._search_text
        found: list[OrgUser] = []
        position = haystack.find(needle)
        while position != -1 and (limit is None or len(found) < limit):
            index = bisect.bisect_right(starts, position) - 1
            found.append(self.users[index])
            following = starts[index + 1] if index + 1 < len(starts) else len(haystack)
            position = haystack.find(needle, following)
        return found


SCHEMA_BESIDE_USERS = "user-schema.json"
"""The org's schema file, when it sits beside the users file."""


def schema_file_for(users_file: Path | None) -> Path | None:
    """The `user-schema.json` beside `users_file`, when there is one."""
    if users_file is None:
        return None
    beside = Path(users_file).parent / SCHEMA_BESIDE_USERS
    return beside if beside.is_file() else None


def default_users_file() -> Path:
    return fixtures_dir() / "demo-org" / "users.json"


def default_schema_file() -> Path:
    return fixtures_dir() / "demo-org" / "user-schema.json"


@contextmanager
def _no_gc() -> Iterator[None]:
    """No cyclic garbage collection while a big file becomes objects: with 100,000 users the
    collector would otherwise run again and again over objects that all stay alive (it costs
    more than the parsing)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


#: Pieces a big file is decoded and parsed in (see `load_users(yielding=True)`).
_PIECE_BYTES = 1 << 20


def _read_bytes(path: Path) -> bytes:
    from app.logic.files import FileRefusedError, read_regular_file

    try:
        # A regular file only (a FIFO would block, /dev/zero never end); no size cap, since an
        # org of a million users is 560 MB. Decoded from bytes, so line ends stay as they are:
        # a CSV cell may hold "\r\n".
        return read_regular_file(path, limit=None)
    except FileRefusedError as refused:
        raise OrgError(f"{path}: {refused}") from None
    except OSError as error:
        raise OrgError(f"{path}: cannot be read ({error.strerror or error})") from None


def _read_text(path: Path) -> str:
    data = _read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OrgError(f"{path.name}: not UTF-8 text") from None


def _read_pieces(path: Path) -> list[str]:
    """The file's text as pieces of about a megabyte each, never joined: one decode of a
    500 MB file, or one join of its pieces (a 72 MB file of accented names is 144 MB of
    text), would hold the interpreter for a tenth of a second or more."""
    import codecs

    data = _read_bytes(path)
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    view = memoryview(data)
    try:
        pieces = [
            decoder.decode(view[start : start + _PIECE_BYTES])
            for start in range(0, len(data), _PIECE_BYTES)
        ]
        pieces.append(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        raise OrgError(f"{path.name}: not UTF-8 text") from None
    finally:
        view.release()
    return pieces


_SPACE = re.compile(r"[ \t\n\r]*")
#: What may still follow a number's text when it is cut (a fraction, an exponent, its sign).
_NUMBER_TAIL = re.compile(r"[0-9eE+\-.]+")


#: Characters one element of an array may span before the whole text is parsed instead.
_GROW_LIMIT = 4 * _PIECE_BYTES


def json_array_in_pieces(text: str | Sequence[str]) -> list[Any] | None:
    """A text that is one JSON array (given whole, or as pieces in order), parsed one element
    at a time (as `jsontext.loads` would, numbers and all), so another thread, such as a
    window's, runs between elements rather than waiting for the whole file. None when the
    text is not a well-formed array: the caller then parses it whole, for the exact error."""
    pieces = [text] if isinstance(text, str) else text
    decode = DECODER.raw_decode
    skip = _SPACE.match
    window, taken = "", 0  # the text parsed now: the rest of one piece, and the next ones

    def grow(keep_from: int) -> bool:
        """Add the next piece to what is left of the window from `keep_from`."""
        nonlocal window, taken
        if taken == len(pieces):
            return False
        window = window[keep_from:] + pieces[taken]
        taken += 1
        return True

    def next_token(position: int) -> tuple[str, int]:
        """The character at the first non-space from `position` ("" at the very end)."""
        while True:
            position = skip(window, position).end()
            if position < len(window):
                return window[position], position
            if not grow(len(window)):
                return "", 0
            position = 0  # the window now starts where it ended

    token, position = next_token(0)
    if token != "[":
        return None
    token, position = next_token(position + 1)
    items: list[Any] = []
    if token == "]":
        return items if next_token(position + 1)[0] == "" else None
    while True:
        try:
            value, end = decode(window, position)
        except (ValueError, RecursionError):  # JSONDecodeError, NotJSONNumber and the like
            value, end = None, -1
        # An element cut at the window's end may fail, or (a number) parse short: parse it
        # again with the next piece. A number parses short not only when it reaches the end:
        # "1.5e" + "+16" reads as 1.5 with "e" left over, so a number followed by nothing
        # but number characters up to the end is cut too. A few megabytes at most: an element
        # that still fails is wrong (or huge), and the whole parse words the error (or reads it).
        if (
            end < 0
            or end == len(window)
            or (isinstance(value, (int, float)) and _NUMBER_TAIL.fullmatch(window, end))
        ):
            if len(window) - position < _GROW_LIMIT and grow(position):
                position = 0
                continue
            if end < 0:
                return None
        items.append(value)
        token, position = next_token(end)
        if token == "]":
            return items if next_token(position + 1)[0] == "" else None
        if token != ",":
            return None
        token, position = next_token(position + 1)


def _read_json(path: Path, text: str | None = None) -> tuple[Any, str]:
    """The parsed file and its text; OrgError when it is missing, unreadable or not JSON."""
    if text is None:
        text = _read_text(path)
    try:
        return jsontext.loads(text), text
    except (ValueError, RecursionError):
        from app.logic.validation import parse_json  # places and words the error

        value, problem = parse_json(text)
    if problem is not None:
        raise OrgError(f"{path.name} line {problem.line}: not valid JSON: {problem.message}")
    return value, text


def json_kind(value: Any) -> str:
    """The kind of a JSON value as a message names it ("an object", "a string", ...)."""
    from app.logic.validation import json_kind as kind

    return kind(value)


class _Shape:
    """Raises OrgError naming the file, the line and the JSON path of a wrongly shaped value."""

    def __init__(self, path: Path, text: str | Sequence[str]) -> None:
        self.name = path.name
        self.text = text  # or its pieces, joined only to word a failure

    def fail(self, parts: tuple[str | int, ...], message: str) -> OrgError:
        from app.logic.validation import format_path, locate

        text = self.text if isinstance(self.text, str) else "".join(self.text)
        offset, _ = locate(text, parts)
        line = text.count("\n", 0, offset) + 1
        where = format_path(parts)
        prefix = f"{self.name} line {line}"
        return OrgError(f"{prefix}: {where}: {message}" if where else f"{prefix}: {message}")


USERS_EXPECTED = (
    "expected a users file: a JSON array of users as Okta's GET /api/v1/users returns it "
    '(or {"users": [...]}), or a CSV whose header row names profile attributes (login, email, '
    "firstName, ...)"
)


def load_users(path: Path | None = None, *, yielding: bool = False) -> tuple[OrgUser, ...]:
    """The users of a users file, its kind told from the content: a JSON array of Okta user
    objects (the project's file, or Okta's `GET /api/v1/users` answer as it is), `{"users":
    [...]}`, or a CSV with a header row of profile attribute names.

    `yielding`: decode and parse the file in small pieces, so another thread (the window's)
    keeps running while a big file loads in a worker; the result is the same."""
    path = Path(path) if path is not None else default_users_file()
    with _no_gc():
        if yielding:
            pieces = _read_pieces(path)
            if next((p.lstrip()[:1] for p in pieces if p.lstrip()), "") == "[":
                value = json_array_in_pieces(pieces)
                if value is not None:
                    return _users_from_json(path, value, pieces)
            text = "".join(pieces)  # not a well-formed array: read whole, for the exact error
            del pieces
        else:
            text = _read_text(path)
        start = text.lstrip()[:1]
        if start in ("[", "{"):
            return _json_users(path, text)
        first_line = text.lstrip().split("\n", 1)[0]
        if (start and "," in first_line) or _csv_names(first_line) & {"login", "email"}:
            return _csv_users(path, text)
        raise OrgError(f"{path.name}: {USERS_EXPECTED}")


_CSV_IGNORED = frozenset({"status", "created", "activated", "lastLogin", "lastUpdated", "type"})


def _csv_names(line: str) -> set[str]:
    names = set()
    for cell in line.split(","):
        name = cell.strip().strip('"').strip()
        names.add(name[len("profile.") :] if name.startswith("profile.") else name)
    return names


def _csv_users(path: Path, text: str) -> tuple[OrgUser, ...]:
    """Users from a CSV: a header row of attribute names (`profile.`-prefixed names, an `id`, a
    `status` column and the other Users API fields are accepted), one user a row; an empty
    cell leaves the attribute unset."""
    import csv
    import io

    # RFC 4180 records, as Okta's import reads them: only CR and LF end a record, and only
    # outside quotes. (str.splitlines() also split at U+2028, NEL, VT, FF and RS inside a cell,
    # adding users who are not in the file, and dropped a quoted line break.)
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows)
    except (StopIteration, csv.Error):
        raise OrgError(f"{path.name}: {USERS_EXPECTED}") from None
    names = [
        cell.strip()[len("profile.") :] if cell.strip().startswith("profile.") else cell.strip()
        for cell in header
    ]
    if "login" not in names:
        raise OrgError(
            f'{path.name} line 1: the CSV header needs a "login" column; {USERS_EXPECTED}'
        )
    blank = [i + 1 for i, name in enumerate(names) if not name]
    if blank:
        raise OrgError(f"{path.name} line 1: column {blank[0]} has no name")
    columns_of: dict[str, list[str]] = {}
    for number, name in enumerate(names, 1):
        columns_of.setdefault(name, []).append(str(number))
    twice = [(name, numbers) for name, numbers in columns_of.items() if len(numbers) > 1]
    if twice:
        # Which value would win is anyone's guess (login and profile.login are one attribute).
        columns = ", ".join(f'"{name}" (columns {" and ".join(n)})' for name, n in twice)
        raise OrgError(f"{path.name} line 1: the header names a column twice: {columns}")
    users: list[OrgUser] = []
    seen_ids: dict[str, int] = {}
    seen_logins: dict[str, int] = {}
    try:
        next_line = rows.line_num + 1
        for row in rows:
            # Where the record starts: a quoted line break makes one record span lines.
            line, next_line = next_line, rows.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(names):
                raise OrgError(
                    f"{path.name} line {line}: {len(row)} cells, but the header names "
                    f"{len(names)} columns"
                )
            profile: dict[str, Any] = {}
            user_id = ""
            changed = None
            for name, cell in zip(names, row, strict=False):
                if name == "id":
                    user_id = cell.strip()
                elif name == "passwordChanged":
                    changed = cell.strip() or None
                elif name in _CSV_IGNORED:
                    continue
                elif cell != "":
                    profile[name] = cell
            login = str(profile.get("login", "")).strip()
            if not login:
                raise OrgError(f'{path.name} line {line}: each user needs a "login"')
            number = len(users)
            user_id = user_id or f"00ucsv{number + 1:014d}"
            if user_id in seen_ids:
                raise OrgError(f'{path.name} line {line}: id "{user_id}" is used twice')
            if login.casefold() in seen_logins:
                raise OrgError(f'{path.name} line {line}: login "{login}" is used twice')
            seen_ids[user_id] = number
            seen_logins[login.casefold()] = number
            users.append(OrgUser(id=user_id, password_changed=changed, profile=profile))
    except csv.Error as error:
        raise OrgError(f"{path.name}: not a CSV file Okta could import ({error})") from None
    if not users:
        raise OrgError(f"{path.name}: the file lists no users")
    return tuple(users)


def _json_users(path: Path, text: str) -> tuple[OrgUser, ...]:
    value, text = _read_json(path, text)
    return _users_from_json(path, value, text)


def _users_from_json(path: Path, value: Any, text: str | Sequence[str]) -> tuple[OrgUser, ...]:
    """The users of a parsed users file (`text`, or its pieces, words a failure)."""
    shape = _Shape(path, text)
    prefix: tuple[str | int, ...] = ()
    if isinstance(value, dict) and "users" in value:
        value, prefix = value["users"], ("users",)
    if not isinstance(value, list):
        raise shape.fail(prefix, f"expected an array of users, got {json_kind(value)}")
    if not value:
        raise shape.fail(prefix, "the file lists no users")
    users: list[OrgUser] = []
    # The lookups `DemoOrg.find` needs, built while checking for duplicates (a second pass
    # over 100,000 users cost a tenth of `request --users`).
    by_id: dict[str, OrgUser] = {}
    by_login: dict[str, OrgUser] = {}
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
        if user_id in by_id:
            also = _number_of(users, by_id[user_id])
            raise shape.fail((*here, "id"), f'id "{user_id}" is used twice (also user #{also})')
        folded = login.casefold()
        if folded in by_login:
            also = _number_of(users, by_login[folded])
            raise shape.fail(
                (*here, "profile", "login"), f'login "{login}" is used twice (also user #{also})'
            )
        # The parsed profile is this file's own object: no copy needed.
        user = OrgUser(user_id, changed, profile)
        users.append(user)
        by_id[user_id] = user
        by_login[folded] = user
    _let_go_in_pieces(value)  # costs what freeing the list at once would, without the stall
    loaded = LoadedUsers(users)
    loaded.lookup = (by_login, by_id)
    return loaded


class LoadedUsers(tuple):  # type: ignore[type-arg]  # tuple[OrgUser, ...] with an attribute
    """A file's users, and the login (folded) and id lookups the loader built on its way."""

    lookup: tuple[dict[str, OrgUser], dict[str, OrgUser]]


def _number_of(users: list[OrgUser], user: OrgUser) -> int:
    """`user`'s number in the file (from 1), for a message about a duplicate."""
    return next(number for number, other in enumerate(users, 1) if other is user)


def _let_go_in_pieces(items: list[Any]) -> None:
    """Free the parsed user objects (all but their profiles) a few thousand at a time: freeing
    a million at once, when the list goes, holds the interpreter for a second or more."""
    while items:
        del items[-2000:]


def load_user_schema(path: Path | None = None) -> UserSchema:
    """The org's attributes: `{"base": {name: {...}}, "custom": {name: {...}}}`."""
    path = Path(path) if path is not None else default_schema_file()
    value, text = _read_json(path)
    shape = _Shape(path, text)
    if isinstance(value, dict) and "definitions" in value:
        return _okta_schema(shape, value)
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


def _okta_schema(shape: _Shape, value: dict[str, Any]) -> UserSchema:
    """Okta's `GET /api/v1/meta/schemas/user/default`: `definitions.base.properties` and
    `definitions.custom.properties`, each attribute with `title`, `type`, `required` and
    `permissions` (the `SELF` principal's action is what the end user may do)."""
    definitions = value["definitions"]
    if not isinstance(definitions, dict):
        raise shape.fail(("definitions",), f"expected an object, got {json_kind(definitions)}")
    attributes: dict[str, AttributeDef] = {}
    for group in ("base", "custom"):
        block = definitions.get(group, {})
        if not isinstance(block, dict):
            raise shape.fail(("definitions", group), f"expected an object, got {json_kind(block)}")
        properties = block.get("properties", {})
        if not isinstance(properties, dict):
            raise shape.fail(
                ("definitions", group, "properties"),
                f"expected an object of attributes, got {json_kind(properties)}",
            )
        listed = block.get("required", [])
        # JSON Schema's `required`: an array of names. Anything else is refused by name, not
        # met with a TypeError (a dict in it cannot go into a set).
        if not isinstance(listed, list):
            raise shape.fail(
                ("definitions", group, "required"),
                f"expected an array of attribute names, got {json_kind(listed)}",
            )
        for number, item in enumerate(listed):
            if not isinstance(item, str):
                raise shape.fail(
                    ("definitions", group, "required", number),
                    f"expected an attribute name, got {json_kind(item)}",
                )
        required_names = set(listed)
        for name, spec in properties.items():
            here: tuple[str | int, ...] = ("definitions", group, "properties", name)
            if not isinstance(spec, dict):
                raise shape.fail(here, f"expected an attribute object, got {json_kind(spec)}")
            if name in attributes:
                raise shape.fail(here, f'attribute "{name}" is defined twice')
            kind = spec.get("type", "string")
            if isinstance(kind, list):  # ["string", "null"]
                kind = next((k for k in kind if k != "null"), "string")
            if not isinstance(kind, str) or kind not in ATTRIBUTE_TYPES:
                raise shape.fail((*here, "type"), "expected one of " + ", ".join(ATTRIBUTE_TYPES))
            permission = "READ_WRITE"
            permissions = spec.get("permissions") or []
            if not isinstance(permissions, list):
                raise shape.fail(
                    (*here, "permissions"),
                    f"expected an array of permissions, got {json_kind(permissions)}",
                )
            for entry in permissions:
                if (
                    isinstance(entry, dict)
                    and entry.get("principal") == "SELF"
                    and entry.get("action") in PERMISSIONS
                ):
                    permission = entry["action"]
            title = spec.get("title", name)
            attributes[name] = AttributeDef(
                name=name,
                title=title if isinstance(title, str) else name,
                type=kind,
                required=spec.get("required") is True or name in required_names,
                read_only=permission != "READ_WRITE",
                custom=group == "custom",
                permission=permission,
            )
    if not attributes:
        raise shape.fail(("definitions",), "the schema defines no attributes")
    return UserSchema(attributes)


def user_schema_from_okta(value: Any, text: str, name: str) -> UserSchema:
    """The schema of Okta's `GET /api/v1/meta/schemas/user/default` answer as it came from
    a live org (`text` its JSON, `name` what a message calls it). Raises OrgError."""
    shape = _Shape(Path(name), text)
    if not isinstance(value, dict) or "definitions" not in value:
        raise shape.fail((), 'expected Okta\'s user schema, an object with "definitions"')
    return _okta_schema(shape, value)


def user_from_okta(entry: Any) -> OrgUser | None:
    """One user of Okta's `GET /api/v1/users` answer from a live org, or None when the entry
    has no id, no profile or no login (a live answer is read, never refused whole)."""
    if not isinstance(entry, dict):
        return None
    user_id, profile = entry.get("id"), entry.get("profile")
    if not isinstance(user_id, str) or not user_id.strip() or not isinstance(profile, dict):
        return None
    login = profile.get("login")
    if not isinstance(login, str) or not login.strip():
        return None
    changed = entry.get("passwordChanged")
    return OrgUser(
        id=user_id, password_changed=changed if isinstance(changed, str) else None, profile=profile
    )


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


def load_demo_org(
    users_file: Path | None = None, schema_file: Path | None = None, *, yielding: bool = False
) -> DemoOrg:
    """The org from its two files (defaults: the bundled demo org). Without a schema file, a
    `user-schema.json` beside the users file is the org's schema, else the demo org's.
    `yielding`: see `load_users`. Raises OrgError."""
    if schema_file is None:
        schema_file = schema_file_for(users_file)
    users = load_users(users_file, yielding=yielding)
    return DemoOrg(users=users, schema=load_user_schema(schema_file))
