"""HAR 1.2 export of recorded calls, the format browsers' and Postman's importers read.

Secrets stay `***` (they were masked when recorded). Each entry carries the verdict in the
custom field `_reghookVerdict` (HAR allows fields that start with an underscore).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.logic.run.history import HistoryEntry

__all__ = ["har_document", "har_entry"]


def _status_text(status: int | None, failure: str | None) -> str:
    if status is None:
        return failure or "no answer"
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _query(url: str) -> list[dict[str, str]]:
    try:
        query = urllib.parse.urlsplit(url).query
    except ValueError:
        return []
    return [
        {"name": k, "value": v} for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True)
    ]


def har_entry(entry: HistoryEntry) -> dict[str, Any]:
    request_text = entry.request_text()
    headers = [{"name": n, "value": v} for n, v in entry.request_headers]
    mime = next(
        (v for n, v in entry.request_headers if n.lower() == "content-type"), "application/json"
    )
    response_headers = [{"name": n, "value": v} for n, v in entry.response_headers.items()]
    response_mime = entry.response_headers.get("content-type", "")
    elapsed = float(entry.elapsed_ms or 0.0)
    har: dict[str, Any] = {
        "startedDateTime": entry.started_at,
        "time": round(elapsed, 3),
        "request": {
            "method": "POST",
            "url": entry.url,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": headers,
            "queryString": _query(entry.url),
            "postData": {"mimeType": mime, "text": request_text},
            "headersSize": -1,
            "bodySize": len(entry.request_body),
        },
        "response": {
            "status": entry.status or 0,
            "statusText": _status_text(entry.status, entry.failure),
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": response_headers,
            "content": {
                "size": entry.response_size,
                "mimeType": response_mime,
                "text": entry.response_body.decode("utf-8", errors="replace"),
            },
            "redirectURL": entry.response_headers.get("location", ""),
            "headersSize": -1,
            "bodySize": entry.response_size if entry.sent else -1,
        },
        "cache": {},
        "timings": {"send": 0, "wait": round(elapsed, 3), "receive": 0},
        "comment": f"{entry.target_label}: {entry.headline}",
        "_reghookVerdict": entry.verdict,
        "_reghookHistoryId": entry.id,
    }
    if entry.failure:
        har["response"]["_error"] = f"{entry.failure}: {entry.failure_detail}".rstrip(": ")
    return har


def har_document(entries: Iterable[HistoryEntry], version: str = "") -> dict[str, Any]:
    """A HAR log holding `entries` (oldest first, as HAR viewers expect)."""
    if not version:
        from app import __version__ as version
    ordered = sorted(entries, key=lambda e: e.id)
    return {
        "log": {
            "version": "1.2",
            "creator": {"name": "reghook-preview", "version": version},
            "pages": [],
            "entries": [har_entry(e) for e in ordered],
        }
    }
