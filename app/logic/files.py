"""Reading a file someone named: regular files only, never more than a cap.

A path may name a folder, a FIFO (opening it waits for a writer, for ever), a device
(`/dev/zero` never ends) or a symlink to any of them. The window and the command line read
through here, so both refuse the same things in the same words.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["MAX_REQUEST_FILE_BYTES", "FileRefusedError", "read_regular_file", "refusal"]

#: A request, an answer or a scenario file: a hook request is a few KB, and the editor
#: (validation, highlighting) is built for documents up to a few MB.
MAX_REQUEST_FILE_BYTES = 5 * 1024 * 1024


class FileRefusedError(Exception):
    """The path names nothing that can be read as a file; the message says why, in words."""


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def format_bytes(size: int) -> str:
    """1536 -> '1.5 KB', 5242880 -> '5 MB'."""
    value = float(size)
    for unit in ("bytes", "KB", "MB"):
        if value < 1024 or unit == "MB":
            break
        value /= 1024
    if unit == "bytes":
        return f"{size} bytes"
    return f"{value:.1f}".rstrip("0").rstrip(".") + f" {unit}"


def refusal(info: os.stat_result, limit: int | None) -> str:
    """Why a file with this stat() cannot be read ("" when it can)."""
    mode = info.st_mode
    if not stat.S_ISREG(mode):
        kind = next((kind for test, kind in _KINDS if test(mode)), "a special file")
        return f"it is {kind}, not a regular file"
    if limit is not None and info.st_size > limit:
        return f"it is {format_bytes(info.st_size)}, more than the {format_bytes(limit)} allowed"
    return ""


def read_regular_file(path: str | Path, limit: int | None = MAX_REQUEST_FILE_BYTES) -> bytes:
    """The bytes of the regular file at `path` (at most `limit`); FileRefusedError otherwise.

    Opened without blocking and checked again on the open file: what the name points at may
    change between stat() and open(), and a FIFO opened for reading waits for a writer.
    """
    try:
        refused = refusal(os.stat(path), limit)
        if refused:
            raise FileRefusedError(refused)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        with os.fdopen(os.open(path, flags), "rb") as file:
            refused = refusal(os.fstat(file.fileno()), limit)
            if refused:
                raise FileRefusedError(refused)
            data = file.read() if limit is None else file.read(limit + 1)
    except FileNotFoundError:
        raise FileRefusedError("no such file") from None
    except OSError as exc:
        raise FileRefusedError(f"cannot read it: {exc.strerror or exc}") from None
    if limit is not None and len(data) > limit:  # it grew after the size was checked
        raise FileRefusedError(f"it is more than the {format_bytes(limit)} allowed")
    return data
