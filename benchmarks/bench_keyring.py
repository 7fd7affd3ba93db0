"""Benchmark: what the `keyring` library costs a process, which is why the window imports it
only when the remote settings look for the keyring (on a worker thread, after the first paint).

    python benchmarks/bench_keyring.py [--runs 20]

Whole processes, interleaved run by run (a busy moment on a shared machine hits every figure
alike), medians with the minimum in brackets:
- the anchor: `python -c "import json"`;
- `import keyring`;
- `import keyring` and `keyring.get_keyring()`: the backend's detection, which on Linux asks
  D-Bus whether a Secret Service runs (here with no session bus, so it finds none quickly);
- `SecretStore().availability()`: what the window's worker thread runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMANDS = {
    "anchor": "import json",
    "import keyring": "import keyring",
    "keyring.get_keyring()": "import keyring; keyring.get_keyring()",
    "SecretStore().availability()": (
        "from app.logic.secret_store import SecretStore; SecretStore().availability()"
    ),
}


def run_once(code: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)  # never the keyring of whoever runs this
    env.pop("PYTHON_KEYRING_BACKEND", None)
    for code in COMMANDS.values():  # warm-up: file cache and bytecode
        run_once(code, env)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(max(5, args.runs)):
        for name, code in COMMANDS.items():
            times[name].append(run_once(code, env))
    anchor = statistics.median(times["anchor"])
    for name, values in times.items():
        median = statistics.median(values)
        extra = "" if name == "anchor" else f"  +{(median - anchor) * 1000:.0f} ms"
        print(f"{name:30s} {median * 1000:6.1f} ms ({min(values) * 1000:.1f}){extra}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
