"""Okta's rules for a hook URL: what can be called at all, and what is worth a note."""

from __future__ import annotations

import functools
import urllib.parse
from dataclasses import dataclass

import httpx

from app.logic.remote.auth import MAX_URL_LENGTH

# --- URL checks -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # as typed (lower-cased), for messages
    port: int
    url: httpx.URL  # what is called: non-ASCII in the path and query percent-encoded

    @property
    def host_header(self) -> str:
        return self.url.netloc.decode("ascii")

    @property
    def where(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def target(self) -> str:
        """The request line's target, exactly as sent."""
        return self.url.raw_path.decode("ascii")


def _shown(url: str, limit: int = 160) -> str:
    """`url` quoted for a message: control characters made visible, very long ones cut."""
    text = "".join(
        ch if ch.isprintable() else f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}"
        for ch in url
    )
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"'{text}'"


def _char_name(ch: str) -> str:
    names = {"\t": "a tab", "\n": "a line break", "\r": "a carriage return", "\0": "a NUL"}
    return f"U+{ord(ch):04X}" + (f", {names[ch]}" if ch in names else "")


def _port_text(netloc: str) -> str:
    hostport = netloc.rpartition("@")[2]
    if hostport.startswith("["):
        rest = hostport[hostport.find("]") + 1 :]
        return rest[1:] if rest.startswith(":") else ""
    return hostport.rpartition(":")[2] if ":" in hostport else ""


_PRINTABLE_ASCII = "".join(chr(code) for code in range(33, 127))


@functools.lru_cache(maxsize=64)  # a run calls the same few URLs again and again
def _parse_url(url: str) -> _Target:
    text = url.strip()
    try:
        parts = urllib.parse.urlsplit(text)
    except ValueError as exc:
        raise ValueError(f"the URL is not valid ({exc}): {_shown(text)}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError("the URL must start with https:// (or http:// for local development)")
    if "@" in parts.netloc:
        # Checked before anything quotes the URL: the part before '@' is a password.
        raise ValueError("put credentials in the auth header, not in the URL")
    # Before urlsplit's view of the URL counts: it silently drops tabs and line breaks.
    for ch in text:
        if ch == " ":
            raise ValueError(f"the URL contains a space: {_shown(text)}")
        if ord(ch) < 32 or 127 <= ord(ch) < 160:
            raise ValueError(
                f"the URL contains a control character ({_char_name(ch)}): {_shown(text)}"
            )
        if ch.isspace():
            raise ValueError(f"the URL contains a space (U+{ord(ch):04X}): {_shown(text)}")
    if not parts.hostname:
        raise ValueError("the URL has no host name")
    port_text = _port_text(parts.netloc)
    if port_text and not (port_text.isascii() and port_text.isdigit()):
        raise ValueError(f"the URL's port is not a number from 1 to 65535: {_shown(text)}")
    port = int(port_text) if port_text else (443 if scheme == "https" else 80)
    if not 1 <= port <= 65535:
        raise ValueError(f"the URL's port is not a number from 1 to 65535: {_shown(text)}")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    # Non-ASCII in the path or query goes out percent-encoded (UTF-8), as browsers send it.
    raw_path = path if path.isascii() else urllib.parse.quote(path, safe=_PRINTABLE_ASCII)
    try:
        called = httpx.URL(
            scheme=scheme, host=parts.hostname, port=port, raw_path=raw_path.encode("ascii")
        )
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        raise ValueError(f"the URL's host name is not valid ({exc}): {_shown(text)}") from None
    return _Target(scheme, parts.hostname, port, called)


def check_url(url: str) -> str | None:
    """Why this URL cannot be called at all, or None when it can."""
    try:
        _parse_url(url)
    except ValueError as exc:
        return str(exc)
    return None


def url_notes(url: str) -> list[str]:
    """Where a callable URL breaks Okta's rules (Okta would refuse to save it), and how it is
    sent when that differs from what was typed."""
    try:
        target = _parse_url(url)
    except ValueError as exc:
        return [str(exc)]
    notes: list[str] = []
    if target.scheme == "http":
        notes.append("Okta requires https: an http:// URL only works for local testing")
    if len(url) > MAX_URL_LENGTH:
        notes.append(f"the URL is {len(url)} characters long; Okta allows at most {MAX_URL_LENGTH}")
    typed = urllib.parse.urlsplit(url.strip())
    typed_path = (typed.path or "/") + (f"?{typed.query}" if typed.query else "")
    if typed_path != target.target:
        why = " (non-ASCII characters percent-encoded as UTF-8)" if not typed_path.isascii() else ""
        notes.append(f"the URL's path is sent as {_shown(target.target)}{why}")
        sent_length = len(str(target.url))
        if len(url) <= MAX_URL_LENGTH < sent_length:
            notes.append(
                f"the URL is {sent_length} characters long once percent-encoded; Okta allows at "
                f"most {MAX_URL_LENGTH}"
            )
    return notes
