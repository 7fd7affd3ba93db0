"""`reghook history`: the calls `send` and `check` recorded; show one, export them as HAR.

Also the helpers those commands record with (`--no-history`, and a store that never stops a
command: a damaged or locked database is reported once on stderr).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from app.cli.common import UsageError, print_json, printable

HELP = "list the recorded calls; show one; export them as HAR"


def add_history_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-history", action="store_true", help="do not record the calls in the history"
    )


def record(args: argparse.Namespace, items: Iterable[tuple[Any, str | None]], source: str) -> None:
    """Record exchanges unless --no-history; never fails the command."""
    if getattr(args, "no_history", False):
        return
    items = list(items)
    if not items:
        return
    from app.logic.run.history import open_default_store

    store = open_default_store()
    store.record_many(items, source=source)
    store.close()


def add_parser(sub: argparse._SubParsersAction) -> None:
    from app.cli.common import Parser

    p = sub.add_parser(
        "history",
        help=HELP,
        description=f"{HELP}. The history lives in $REGHOOK_DATA_DIR (default: the platform's "
        "data folder, ~/.local/share/reghook-preview on Linux) and keeps the last 1,000 calls "
        "($REGHOOK_HISTORY_KEEP).",
    )
    _list_arguments(p)
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=Parser)
    _list_arguments(actions.add_parser("list", help="the newest calls first (the default)"))
    show = actions.add_parser("show", help="one call in full")
    show.add_argument("ids", nargs=1, type=int, metavar="ID")
    show.add_argument("--curl", action="store_true", help="print the call as cURL")
    show.add_argument("--json", action="store_true", help="print JSON")
    export = actions.add_parser("export", help="write calls as HAR 1.2 (all kept, or the IDs)")
    export.add_argument("ids", nargs="*", type=int, metavar="ID")
    export.add_argument("--har", required=True, metavar="FILE", help="'-' for standard output")
    actions.add_parser("clear", help="forget every recorded call")
    p.set_defaults(func=run, action="list")


def _list_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N (default 20)")
    p.add_argument("--text", metavar="TEXT", help="only calls that mention TEXT")
    p.add_argument("--outcome", metavar="OUTCOME", help="ALLOWED, DENIED, PROFILE UPDATED, FAILED")
    p.add_argument("--json", action="store_true", help="print JSON")


def _store(*, quiet: bool = False) -> Any:
    from app.logic.run.history import open_default_store

    return open_default_store(warn=(lambda _line: None) if quiet else None)


def run(args: argparse.Namespace) -> int:
    # `clear` says in its own one line whether it worked.
    store = _store(quiet=args.action == "clear")
    try:
        if args.action == "list":
            return _list(args, store)
        if args.action == "show":
            return _show(args, store)
        if args.action == "export":
            return _export(args, store)
        return _clear(store)
    finally:
        store.close()


def _clear(store: Any) -> int:
    if not store.clear():
        sys.stderr.write(f"reghook: error: history not cleared: {printable(store.failure)}\n")
        return 1
    sys.stderr.write("history cleared\n")
    return 0


def _list(args: argparse.Namespace, store: Any) -> int:
    if args.limit < 1:
        raise UsageError("--limit must be 1 or more")
    entries = store.list(args.limit, text=args.text, outcome=args.outcome)
    if args.json:
        print_json([_brief(e) for e in entries])
    else:
        from app.logic.text import one_line

        lines = [one_line(e.summary()) for e in entries] or ["(no calls recorded)"]
        sys.stdout.write(printable("\n".join(lines)) + "\n")
    return 0


def _brief(entry: Any) -> dict[str, Any]:
    return {
        "id": entry.id,
        "started_at": entry.started_at,
        "source": entry.source,
        "scenario": entry.scenario,
        "target": entry.target_label,
        "url": entry.url,
        "status": entry.status,
        "outcome": entry.outcome,
        "hook_failed": entry.hook_failed,
        "headline": entry.headline,
    }


def _entries(args: argparse.Namespace, store: Any) -> list[Any]:
    found = []
    for entry_id in args.ids:
        entry = store.get(entry_id)
        if entry is None:
            raise UsageError(f"no call {entry_id} in the history")
        found.append(entry)
    return found


def _show(args: argparse.Namespace, store: Any) -> int:
    (entry,) = _entries(args, store)
    if args.curl:
        from app.logic.run.curl import CurlRefused, curl_for_entry

        try:
            command = curl_for_entry(entry)
        except CurlRefused as exc:
            reason = printable(str(exc), keep_newlines=False)
            raise UsageError(f"call {entry.id} cannot be repeated with curl: {reason}") from None
        from app.cli.common import write_utf8

        write_utf8(command + "\n")  # the body must reach curl as the UTF-8 it is
    elif args.json:
        print_json(entry.to_json())
    else:
        from app.logic.text import one_line

        # Each value inside a line keeps to it: a hook's DENY message with a line feed in the
        # headline must not print a "Verdict: ALLOWED" line of its own. Bodies stay blocks.
        lines = [one_line(entry.summary()), f"URL: {one_line(entry.url)}", "", "Request headers:"]
        lines += [f"  {one_line(name)}: {one_line(value)}" for name, value in entry.request_headers]
        lines += ["", entry.request_text().rstrip("\n"), ""]
        if entry.sent:
            lines.append(f"Answer: {entry.status or entry.failure} in {entry.elapsed_ms} ms")
            lines += [
                f"  {one_line(name)}: {one_line(value)}"
                for name, value in entry.response_headers.items()
            ]
            lines.append(entry.response_body.decode("utf-8", errors="replace").rstrip("\n"))
        else:
            lines.append(f"Not sent: {entry.refusal}")
        lines += ["", f"Verdict: {one_line(entry.headline or '')}"]
        sys.stdout.write(printable("\n".join(lines)) + "\n")
    return 0


def _export(args: argparse.Namespace, store: Any) -> int:
    from app.logic.jsontext import dumps
    from app.logic.run.har import har_document

    entries = _entries(args, store) if args.ids else store.list(store.keep)
    text = dumps(har_document(entries)) + "\n"
    if args.har == "-":
        from app.cli.common import write_utf8

        write_utf8(text)
    else:
        try:
            Path(args.har).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"--har {args.har}: {exc.strerror or exc}") from None
        sys.stderr.write(f"{len(entries)} calls written to {args.har}\n")
    return 0
