"""A JUnit XML report of a scenario run, the shape CI servers read (as Bruno and newman write).

One `testsuite` per scenario file, one `testcase` per scenario; a failed scenario's first
difference is the `failure` message, with the verdict's headline and the hook's answer inside.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

if TYPE_CHECKING:
    from app.logic.run.runner import ScenarioResult

__all__ = ["junit_xml"]

# XML 1.0 cannot carry most control characters at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BODY_LIMIT = 4096


def _clean(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _seconds(ms: float) -> str:
    return f"{ms / 1000.0:.6f}"


def _failure_text(result: ScenarioResult) -> str:
    lines = [result.difference]
    exchange = result.exchange
    if exchange is not None and exchange.verdict is not None:
        lines.append(f"verdict: {exchange.verdict.headline}")
    if exchange is not None and exchange.answer is not None:
        answer = exchange.answer
        lines.append(f"target: {result.target_label}")
        lines.append(f"status: {answer.status if answer.status is not None else answer.failure}")
        body = answer.body[:_BODY_LIMIT].decode("utf-8", errors="replace")
        lines.append(f"answer: {body}")
    return "\n".join(lines)


def junit_xml(results: Sequence[ScenarioResult], *, name: str = "reghook check") -> bytes:
    """The report as UTF-8 XML bytes."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    suites: dict[str, list[ScenarioResult]] = {}
    for result in results:
        suites.setdefault(result.scenario.path, []).append(result)
    total_failed = sum(1 for r in results if not r.passed)
    total_ms = sum(r.elapsed_ms for r in results)
    root = ET.Element(
        "testsuites",
        name=name,
        tests=str(len(results)),
        failures=str(total_failed),
        errors="0",
        time=_seconds(total_ms),
    )
    for path, members in suites.items():
        suite = ET.SubElement(
            root,
            "testsuite",
            name=_clean(path),
            tests=str(len(members)),
            failures=str(sum(1 for r in members if not r.passed)),
            errors="0",
            skipped="0",
            time=_seconds(sum(r.elapsed_ms for r in members)),
            timestamp=stamp,
        )
        for result in members:
            case = ET.SubElement(
                suite,
                "testcase",
                name=_clean(result.scenario.name),
                classname=_clean(path),
                time=_seconds(result.elapsed_ms),
            )
            if not result.passed:
                failure = ET.SubElement(
                    case, "failure", message=_clean(result.difference), type="ScenarioMismatch"
                )
                failure.text = _clean(_failure_text(result))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
