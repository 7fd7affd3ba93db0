"""One call as one job: the reading and schema travel with it, cancel stops it at once."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.logic import okta
from app.logic.org import load_demo_org
from app.logic.remote import RemoteSettings
from app.logic.request_builder import build_request, dumps_request
from app.logic.targets import BundledTarget, UrlTarget
from app.views.exchange_job import ExchangeJob

pytestmark = pytest.mark.qt_log_level_fail("WARNING")


def _text() -> str:
    org = load_demo_org()
    return dumps_request(build_request(okta.SSR, org.users[0]))


def test_a_job_answers_with_its_reading(qtbot: QtBot) -> None:
    org = load_demo_org()
    job = ExchangeJob(_text(), BundledTarget("ssr"), schema=org.schema, reading="lenient")
    with qtbot.waitSignal(job.finished, timeout=5000) as got:
        job.start()
    assert job.state == "finished" and not job.busy
    assert got.args[0].verdict.reading == "lenient"
    with pytest.raises(RuntimeError, match="runs once"):
        job.start()


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A listening socket that never answers (the call waits until cancelled)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


def test_cancel_stops_the_call_and_no_result_follows(qtbot: QtBot, silent_port: int) -> None:
    target = UrlTarget(f"http://127.0.0.1:{silent_port}/hook", settings=RemoteSettings(timeout_s=5))
    job = ExchangeJob(_text(), target)
    finished: list[object] = []
    job.finished.connect(finished.append)
    job.start()
    assert job.busy and job.remote and job.timeout_s == 5
    with qtbot.waitSignal(job.progress, timeout=2000):
        pass
    with qtbot.waitSignals([job.cancelled, job.done], timeout=1000):
        job.cancel()
    assert job.state == "cancelled" and job.token.cancelled
    assert finished == []
