#!/usr/bin/env bash
# The hook service under load, side by side with a bare ASGI app on the same server settings;
# then 2,000 idle + slow-loris connections. See benchmarks/bench_service.py for the goals.
#
#   bash benchmarks/bench_service.sh [--duration S] [--engine auto|asyncio|uvloop]
#
# PYTHON picks the interpreter (default: python3 on PATH). Needs wrk (apt-get install wrk).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# 2,000 client sockets and as many server-side ones, in the same session.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 8192 2>/dev/null || true
exec "${PYTHON:-python3}" "$ROOT/benchmarks/bench_service.py" "$@"
