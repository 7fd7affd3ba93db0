"""Benchmark of the JSON editor on 1 MB of JSON: load + highlight, one validation, and
keystroke-to-paint latency (target: under 50 ms). Run: python benchmarks/bench_editor.py"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.logic.validation import validate_request
from app.views.json_editor import JsonEditor

TARGET_MS = 50.0
KEYSTROKES = 50

BASE_REQUEST = {
    "eventId": "3OWo4oo-QQ-rBWfRyTmQYw",
    "eventTime": "2022-04-25T17:35:27.000Z",
    "eventType": "com.okta.user.pre-registration",
    "eventTypeVersion": "1.0",
    "contentType": "application/json",
    "cloudEventVersion": "0.1",
    "source": "regt4qeBKU29vSoPz0g3",
    "requestType": "self.service.registration",
    "data": {
        "context": {
            "request": {
                "method": "POST",
                "ipAddress": "127.0.0.1",
                "id": "123dummyId456",
                "url": {"value": "/idp/idx/enroll/new"},
            }
        },
        "userProfile": {"email": "rosario.jones@example.com", "login": "rosario.jones@example.com"},
        "action": "ALLOW",
    },
}


def one_megabyte_request() -> str:
    """A pretty-printed request of just over 1 MB (many form fields, some non-ASCII)."""
    request = json.loads(json.dumps(BASE_REQUEST))
    profile = request["data"]["userProfile"]
    index = 0
    while index * 54 < 1_000_000:
        profile[f"attribute{index:06d}"] = f"value number {index} (é ü ß)"
        index += 1
    return json.dumps(request, indent=2, ensure_ascii=False)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"median {statistics.median(ordered):6.2f} ms   p95 {p95:6.2f} ms   "
        f"max {ordered[-1]:6.2f} ms   (n={len(ordered)})"
    )


def keystroke_latencies(app: QApplication, editor: JsonEditor, count: int) -> list[float]:
    """Type at `count` places spread over the document; time key -> processed -> painted."""
    code = editor.code_edit
    lines = code.document().blockCount()
    keys = [Qt.Key.Key_X, Qt.Key.Key_Backspace, Qt.Key.Key_Y, Qt.Key.Key_Return, Qt.Key.Key_Tab]
    samples = []
    for index in range(count):
        line = 2 + (lines - 4) * index // max(1, count - 1)
        editor.go_to(line, 20)
        app.processEvents()
        key = keys[index % len(keys)]

        def stroke(key: Qt.Key = key) -> None:
            QTest.keyClick(code, key)
            app.processEvents()
            code.viewport().repaint()
            code.line_number_area.repaint()

        samples.append(timed(stroke))
    return samples


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    text = one_megabyte_request()
    print(f"document: {len(text):,} characters, {text.count(chr(10)) + 1:,} lines")

    editor = JsonEditor()
    editor.resize(1000, 800)
    editor.show()
    app.processEvents()

    def load() -> None:
        editor.set_text(text, undoable=False)
        app.processEvents()
        editor.code_edit.viewport().repaint()

    print(f"load + highlight + first paint:  {timed(load):8.1f} ms")
    print(f"validate_request (1 MB):         {timed(lambda: validate_request(text)):8.1f} ms")
    editor.set_validator(validate_request)
    print(f"editor.validate_now() (1 MB):    {timed(editor.validate_now):8.1f} ms")
    print(f"format_json() (1 MB, no change): {timed(editor.format_json):8.1f} ms")

    samples = keystroke_latencies(app, editor, KEYSTROKES)
    print(f"keystroke-to-paint:              {summary(samples)}")

    # Keystrokes while the background validation of the 1 MB text runs (GIL shared).
    editor._on_timer()  # start the background check now instead of after the debounce
    busy = []
    while editor.validation_pending() and len(busy) < KEYSTROKES:
        busy.extend(keystroke_latencies(app, editor, 5))
    editor._timer.stop()
    if busy:
        print(f"  ... during background check:   {summary(busy)}")

    minified = json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
    single = JsonEditor()
    single.resize(1000, 800)
    single.show()

    def load_single() -> None:
        single.set_text(minified, undoable=False)
        app.processEvents()
        single.code_edit.viewport().repaint()

    print(f"1 MB on one line, load:          {timed(load_single):8.1f} ms")
    single_samples = []
    for column in (10, 50_000, 500_000, 900_000):
        single.go_to(1, column)
        app.processEvents()

        def stroke() -> None:
            QTest.keyClick(single.code_edit, Qt.Key.Key_X)
            app.processEvents()
            single.code_edit.viewport().repaint()

        single_samples.append(timed(stroke))
    print(f"1 MB on one line, keystroke:     {summary(single_samples)}")

    worst = max(samples)
    verdict = "OK" if statistics.median(samples) < TARGET_MS and worst < TARGET_MS else "SLOW"
    print(f"target < {TARGET_MS:.0f} ms keystroke-to-paint: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
