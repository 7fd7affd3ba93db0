"""Is there a display to open the window on? Asked before Qt is, because Qt's answer to "no"
is to abort the process (exit 134) with a hint about libxcb-cursor0 that is usually wrong.

An X display is usable when its server accepts a connection; a Wayland display when its
socket does and Qt has its Wayland plugin (then Qt is told to use it: with WAYLAND_DISPLAY
alone, Qt would still try X and abort). Only Linux and the BSDs need this; a
QT_QPA_PLATFORM the person set is theirs to judge.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Mapping, MutableMapping, Sequence
from pathlib import Path

__all__ = ["no_display_reason", "typed_command"]

#: How long an X server over TCP (ssh -X's localhost:10) may take to accept.
CONNECT_TIMEOUT_S = 1.0


def typed_command(argv: Sequence[str]) -> str:
    """The command as the person typed it: `python -m app`, `reghook window`, ..."""
    program = argv[0] if argv else "reghook"
    name = "python -m app" if Path(program).name == "__main__.py" else Path(program).name
    if len(argv) > 1 and argv[1] == "window":
        name += " window"
    return name


def _connects(family: int, address: str | tuple[str, int]) -> bool:
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(CONNECT_TIMEOUT_S)
            sock.connect(address)
    except (OSError, ValueError):
        return False
    return True


def _x_server_answers(display: str) -> bool | None:
    """True when the X server of `display` accepts a connection, False when none does, None
    when the name is not one this can check (left to Qt)."""
    host, _, rest = display.rpartition(":")
    number = rest.split(".", 1)[0]
    if not number.isdigit():
        return None
    if host.startswith("/"):  # a launchd-style socket path: the whole name is the path
        return _connects(socket.AF_UNIX, display)
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"
        # Linux X servers also listen on the abstract name; either will do.
        if sys.platform.startswith("linux") and _connects(socket.AF_UNIX, "\0" + path):
            return True
        return _connects(socket.AF_UNIX, path)
    return _connects(socket.AF_INET, (host, 6000 + int(number)))


def _wayland_answers(env: Mapping[str, str]) -> bool:
    name = env.get("WAYLAND_DISPLAY", "")
    path = name if name.startswith("/") else os.path.join(env.get("XDG_RUNTIME_DIR", ""), name)
    return bool(name) and _connects(socket.AF_UNIX, path)


def _has_wayland_plugin() -> bool:
    from PySide6.QtCore import QLibraryInfo

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    return any(plugins.glob("*qwayland*"))


def no_display_reason(
    environ: MutableMapping[str, str] | None = None, argv: Sequence[str] | None = None
) -> str:
    """The one line to print when Qt would abort for want of a display ("" when it will not).

    May set QT_QPA_PLATFORM=wayland in `environ` when Wayland is the only display there is."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return ""
    if env.get("QT_QPA_PLATFORM"):
        return ""
    command = typed_command(sys.argv if argv is None else argv)
    display = env.get("DISPLAY", "")
    if display and _x_server_answers(display) is not False:
        return ""
    if env.get("WAYLAND_DISPLAY") and _wayland_answers(env) and _has_wayland_plugin():
        env["QT_QPA_PLATFORM"] = "wayland"
        return ""
    found = []
    if display:
        found.append(f"no X server answers at DISPLAY={display}")
    if env.get("WAYLAND_DISPLAY"):
        wayland = env["WAYLAND_DISPLAY"]
        found.append(
            f"no Wayland compositor answers at WAYLAND_DISPLAY={wayland}"
            if not _wayland_answers(env)
            else "Qt's Wayland plugin is missing"
        )
    why = "; ".join(found) if found else "DISPLAY and WAYLAND_DISPLAY are unset"
    return (
        f"{command}: no display to open the window on ({why}); run it in a desktop session, "
        "or set QT_QPA_PLATFORM=offscreen."
    )
