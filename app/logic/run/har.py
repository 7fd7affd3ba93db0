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
    from app.logic.run.exchange import Exchange
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


def har_entry(exchange: Exchange, history_id: int | None = None) -> dict[str, Any]:
    """One call (live, or read back from the history) as a HAR entry."""
    request_text = exchange.request_bytes.decode("utf-8", errors="replace")
    headers = [{"name": n, "value": v} for n, v in exchange.request_headers]
    mime = next(
        (v for n, v in exchange.request_headers if n.lower() == "content-type"),
        "application/json",
    )
    answer = exchange.answer
    response_headers = dict(answer.headers) if answer is not None else {}
    status = answer.status if answer is not None else None
    failure = answer.failure.value if answer is not None and answer.failure else None
    elapsed = float(answer.elapsed_ms) if answer is not None else 0.0
    verdict = exchange.verdict_json()
    headline = (verdict or {}).get("headline") or exchange.refusal or "not sent"
    har: dict[str, Any] = {
        "startedDateTime": exchange.started_at,
        "time": round(elapsed, 3),
        "request": {
            "method": "POST",
            "url": exchange.url,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": headers,
            "queryString": _query(exchange.url),
            "postData": {"mimeType": mime, "text": request_text},
            "headersSize": -1,
            "bodySize": len(exchange.request_bytes),
        },
        "response": {
            "status": status or 0,
            "statusText": _status_text(status, failure),
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": [{"name": n, "value": v} for n, v in response_headers.items()],
            "content": {
                "size": exchange.response_size,
                "mimeType": response_headers.get("content-type", ""),
                "text": exchange.response_bytes.decode("utf-8", errors="replace"),
            },
            "redirectURL": response_headers.get("location", ""),
            "headersSize": -1,
            "bodySize": exchange.response_size if exchange.sent else -1,
        },
        "cache": {},
        "timings": {"send": 0, "wait": round(elapsed, 3), "receive": 0},
        "comment": f"{exchange.target_label}: {headline}",
        "_reghookVerdict": verdict,
        "_reghookHistoryId": history_id,
    }
    if failure:
        detail = answer.failure_detail if answer is not None else ""
        har["response"]["_error"] = f"{failure}: {detail}".rstrip(": ")
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
            "entries": [har_entry(e.exchange, e.id) for e in ordered],
        }
    }
