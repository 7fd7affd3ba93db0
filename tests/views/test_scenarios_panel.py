"""The Scenarios panel driven as a person would: open a folder, run all or one, read the
difference of a failure, save the current call as a scenario."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QInputDialog
from pytestqt.qtbot import QtBot

from app.logic.org import load_demo_org
from app.logic.remote import HookAuth, basic_auth_value
from app.logic.run.pipeline import run_exchange
from app.logic.service import ServiceRunner, bind_socket, create_app
from app.logic.targets import BundledTarget, UrlTarget
from app.views.panels.scenarios_panel import FAIL, PASS, TARGET_OWN, ScenariosPanel

pytestmark = [
    pytest.mark.qt_log_level_fail("WARNING"),
    pytest.mark.qt_log_ignore("This plugin does not support"),
]

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "fixtures" / "scenarios" / "guide"
ORG = load_demo_org()


def make_panel(qtbot: QtBot, target=None, exchange=None, recorded=None) -> ScenariosPanel:
    panel = ScenariosPanel(
        lambda: target,
        lambda: exchange,
        ORG,
        on_exchange=(lambda ex, name: recorded.append(name)) if recorded is not None else None,
    )
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    return panel


def open_with_dialog(qtbot: QtBot, panel: ScenariosPanel, folder: Path, monkeypatch) -> None:
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *_a, **_k: str(folder))
    )
    with qtbot.waitSignal(panel.folder_loaded, timeout=5000):
        qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)


def column(panel: ScenariosPanel, index: int) -> list[str]:
    return [panel.table.item(row, index).text() for row in range(panel.table.rowCount())]


def test_run_the_conformance_suite_against_each_scenarios_target(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded: list[str] = []
    panel = make_panel(qtbot, recorded=recorded)
    assert not panel.run_all_button.isEnabled()
    open_with_dialog(qtbot, panel, SUITE, monkeypatch)
    count = len(list(SUITE.rglob("*.json")))
    assert panel.table.rowCount() == count
    assert set(column(panel, 0)) == {"—"}
    panel.target_mode.setCurrentText(TARGET_OWN)
    with qtbot.waitSignal(panel.run_finished, timeout=20000) as finished:
        qtbot.mouseClick(panel.run_all_button, Qt.MouseButton.LeftButton)
    assert finished.args == [count, 0]
    assert set(column(panel, 0)) == {PASS}
    assert panel.status.text().startswith(f"{count} passed, 0 failed")
    assert "block 3 keeps the current run" in panel.status.text()
    assert len(recorded) == count
    assert panel.run_all_button.isEnabled() and not panel.cancel_button.isEnabled()


def test_a_failure_shows_its_difference_and_run_selected_reruns_one(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Everything against the SSR endpoint: the progressive cases get {} and fail.
    panel = make_panel(qtbot, target=BundledTarget("ssr"))
    open_with_dialog(qtbot, panel, SUITE / "pp", monkeypatch)
    with qtbot.waitSignal(panel.run_finished, timeout=20000) as finished:
        qtbot.mouseClick(panel.run_all_button, Qt.MouseButton.LeftButton)
    passed, failed = finished.args
    assert failed > 0 and passed + failed == panel.table.rowCount()
    row = column(panel, 0).index(FAIL)
    assert panel.table.item(row, 3).text()  # the first difference, in the table
    rect = panel.table.visualItemRect(panel.table.item(row, 1))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    text = panel.detail.toPlainText()
    assert "FAIL against /registrationHookSSR (bundled)" in text and "Expected" in text
    assert panel.run_selected_button.isEnabled()
    with qtbot.waitSignal(panel.run_finished, timeout=20000) as again:
        qtbot.mouseClick(panel.run_selected_button, Qt.MouseButton.LeftButton)
    assert sum(again.args) == 1


def test_an_invalid_file_is_listed_and_the_rest_still_load(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "good.json").write_text(
        (SUITE / "ssr" / "01-okta-email-registers.json").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    (tmp_path / "bad.json").write_text('{"name": "x"}', encoding="utf-8")
    panel = make_panel(qtbot, target=BundledTarget("ssr"))
    with qtbot.waitSignal(panel.load_failed) as failed:
        open_with_dialog(qtbot, panel, tmp_path, monkeypatch)
    assert "bad.json:1:1" in failed.args[0] and 'missing required key "expect"' in failed.args[0]
    assert panel.table.rowCount() == 1
    assert "could not be read" in panel.status.text()


def test_save_the_current_call_as_a_scenario_that_then_passes(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.logic.request_builder import build_request

    request = build_request("ssr", ORG.find("rosario.jones@example.com"), seed=3)
    exchange = run_exchange(json.dumps(request), BundledTarget("ssr"), schema=ORG.schema)
    panel = make_panel(qtbot, target=BundledTarget("ssr"), exchange=exchange)
    open_with_dialog(qtbot, panel, tmp_path, monkeypatch)
    assert panel.table.rowCount() == 0
    asked: list[object] = []
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: asked.append(a)))
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    # One dialog asks for both, the name prefilled from the call and the file from the name.
    dialog = panel.save_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.name_edit.text() == (
        "DENIED: rosario.jones@example.com, Self-Service Registration"
    )
    assert (
        dialog.path()
        == tmp_path / "denied-rosario-jones-example-com-self-service-registration.json"
    )
    dialog.name_edit.setFocus()
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.name_edit, "rosario")
    assert dialog.path() == tmp_path / "rosario.json"  # the file follows the name
    with qtbot.waitSignal(panel.scenario_saved) as saved:
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    assert asked == []  # asked once, not name first and file after
    path = Path(saved.args[0])
    assert path == tmp_path / "rosario.json"
    scenario = json.loads(path.read_text(encoding="utf-8"))
    assert scenario["target"] == "/registrationHookSSR"
    assert scenario["expect"]["outcome"] == "DENIED"
    texts = [m["text"] for m in scenario["expect"]["messages"]]
    assert "Only okta.com emails can register." in texts
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1)  # the folder is read again
    with qtbot.waitSignal(panel.run_finished, timeout=20000) as finished:
        qtbot.mouseClick(panel.run_all_button, Qt.MouseButton.LeftButton)
    assert finished.args == [1, 0]


def test_no_target_says_so(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    panel = make_panel(qtbot, target=None)
    open_with_dialog(qtbot, panel, SUITE / "ssr", monkeypatch)
    with qtbot.assertNotEmitted(panel.run_started):
        qtbot.mouseClick(panel.run_all_button, Qt.MouseButton.LeftButton)
    assert "no current target" in panel.status.text()


FILE_FILTER = "Scenario files (*.json)"


@pytest.fixture(scope="module")
def hook_service() -> Iterator[str]:
    """`reghook serve`'s service (the guide's three endpoints) on a free loopback port."""
    service = create_app("admin", "s3cret-for-tests", log=lambda _line: None)
    runner = ServiceRunner(service, bind_socket("127.0.0.1", 0), engine="builtin")
    runner.start_in_thread()
    yield runner.url
    runner.close()


def test_the_services_base_url_serves_every_endpoint(qtbot: QtBot, hook_service: str) -> None:
    # The base URL, as `reghook serve` prints it: each scenario goes to its own endpoint.
    auth = HookAuth(header_value=basic_auth_value("admin", "s3cret-for-tests"))
    panel = make_panel(qtbot, target=UrlTarget(hook_service, auth))
    with qtbot.waitSignal(panel.folder_loaded, timeout=20000):
        panel.open_folder(SUITE)
    count = panel.table.rowCount()
    assert count == len(list(SUITE.rglob("*.json")))
    with qtbot.waitSignal(panel.run_finished, timeout=60000) as finished:
        qtbot.mouseClick(panel.run_all_button, Qt.MouseButton.LeftButton)
    assert finished.args == [count, 0], set(column(panel, 3))
    assert not any("wrong URL path" in text for text in column(panel, 3))


def test_a_big_file_loads_while_the_window_keeps_turning(qtbot: QtBot, tmp_path: Path) -> None:
    # About 1 MB: the suite's cases repeated in one collection (such a file froze the window).
    cases = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SUITE.rglob("*.json"))]
    items = [dict(cases[n % len(cases)], name=f"case {n}") for n in range(2400)]
    (tmp_path / "big.json").write_text(json.dumps({"scenarios": items}, indent=1), "utf-8")
    assert (tmp_path / "big.json").stat().st_size > 900_000
    panel = make_panel(qtbot, target=BundledTarget("ssr"))
    loaded: list[int] = []
    panel.folder_loaded.connect(lambda _folder, count: loaded.append(count))
    panel.open_folder(tmp_path)
    # Back at once: the file is read on a worker thread while the event loop runs.
    assert loaded == []
    assert panel.status.text().startswith("Reading the scenarios")
    assert not panel.open_button.isEnabled() and not panel.run_all_button.isEnabled()
    ticks: list[int] = []
    QTimer.singleShot(0, lambda: ticks.append(1))
    qtbot.waitUntil(lambda: loaded == [2400], timeout=120_000)
    assert ticks == [1]  # the event loop ran while the file was read
    assert panel.table.rowCount() == 2400
    assert panel.table.item(2399, 1).text() == "case 2399"
    assert panel.run_all_button.isEnabled()
