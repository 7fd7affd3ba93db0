"""A real Secret Service for tests: a private D-Bus session bus with gnome-keyring-daemon on it,
its keyrings in a folder of its own, unlocked with a throwaway password.

Nothing of the caller's own session is reached: the daemons get their own HOME and XDG folders,
and only a test that asks for the `secret_service` fixture points the keyring library at them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

DBUS_DAEMON = shutil.which("dbus-daemon")
GNOME_KEYRING = shutil.which("gnome-keyring-daemon")

#: Why the real-keyring tests cannot run here, or "" when they can.
MISSING = (
    ""
    if DBUS_DAEMON and GNOME_KEYRING
    else "needs dbus-daemon and gnome-keyring-daemon (apt-get install dbus gnome-keyring)"
)

# How long the daemons may take to come up on a loaded machine before the fixture gives up.
_START_LIMIT_S = 60.0


class SecretServiceDaemon:
    """Starts both daemons under `root`; `address` is the bus to put in DBUS_SESSION_BUS_ADDRESS."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.address = ""
        self._processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        env = dict(os.environ)
        for name in ("home", "data", "config", "cache", "run"):
            (self.root / name).mkdir(mode=0o700, parents=True, exist_ok=True)
        env.update(
            HOME=str(self.root / "home"),
            XDG_DATA_HOME=str(self.root / "data"),
            XDG_CONFIG_HOME=str(self.root / "config"),
            XDG_CACHE_HOME=str(self.root / "cache"),
            XDG_RUNTIME_DIR=str(self.root / "run"),
        )
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        socket = self.root / "run" / "bus"
        bus = subprocess.Popen(
            [DBUS_DAEMON or "dbus-daemon", "--session", "--nofork", "--print-address=1",
             f"--address=unix:path={socket}"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        self._processes.append(bus)
        assert bus.stdout is not None
        self.address = bus.stdout.readline().decode().strip()  # printed once the bus listens
        if not self.address:
            self.stop()
            raise RuntimeError("dbus-daemon printed no address")
        env["DBUS_SESSION_BUS_ADDRESS"] = self.address
        keyring = subprocess.Popen(
            [GNOME_KEYRING or "gnome-keyring-daemon", "--unlock", "--components=secrets",
             "--foreground"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )  # fmt: skip
        self._processes.append(keyring)
        assert keyring.stdin is not None
        keyring.stdin.write(b"test-only-password")
        keyring.stdin.close()
        self._wait_for_service()

    def _wait_for_service(self) -> None:
        """Wait until the daemon owns org.freedesktop.secrets on the bus (a state, not a time)."""
        import secretstorage
        from jeepney.io.blocking import open_dbus_connection

        deadline = time.monotonic() + _START_LIMIT_S
        while True:
            if any(p.poll() is not None for p in self._processes):
                self.stop()
                raise RuntimeError("the Secret Service daemons exited at start")
            with open_dbus_connection(self.address) as connection:
                if secretstorage.check_service_availability(connection):
                    return
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("gnome-keyring-daemon never appeared on the bus")
            time.sleep(0.05)  # polling a state: the daemon has no readiness signal to wait on

    def stop(self) -> None:
        for process in reversed(self._processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            if process.stdout is not None:
                process.stdout.close()
        self._processes.clear()

    def forget_all(self, service: str) -> None:
        """Delete every item this bus's keyring files under `service`."""
        import secretstorage
        from jeepney.io.blocking import open_dbus_connection
        from secretstorage.exceptions import ItemNotFoundException

        with open_dbus_connection(self.address) as connection:
            for item in secretstorage.search_items(connection, {"service": service}):
                with contextlib.suppress(ItemNotFoundException):  # a window's worker was first
                    item.delete()
