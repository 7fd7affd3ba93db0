"""The call history: recorded by `send` / `check`, filtered, kept to N, survives a restart,
exported to HAR and parsed back; a damaged or locked database never stops a command."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.logic.answer import HookAnswer
from app.logic.remote import HookAuth
from app.logic.run.history import HistoryStore, data_dir, default_history_path
from app.logic.run.pipeline import run_exchange
from app.logic.targets import BundledTarget, RecordedTarget, UrlTarget

ROOT = Path(__file__).resolve().parents[2]
SSR_REQUEST = ROOT / "tests" / "logic" / "data" / "requests" / "guide-ssr.json"
SECRET = "Basic c2VjcmV0LXZhbHVlLTQy"


def bundled(endpoint: str = "ssr", request: Path = SSR_REQUEST):
    return run_exchange(request.read_bytes(), BundledTarget(endpoint))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_data_folder_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert data_dir() == tmp_path / "data"
    monkeypatch.delenv("REGHOOK_DATA_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert default_history_path() == (
        tmp_path / "home" / ".local" / "share" / "reghook-preview" / "history.sqlite3"
    )
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "xdg" / "reghook-preview"


def test_record_list_get_and_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    store = HistoryStore(path)
    first = store.record(bundled("ssr"), source="send")
    second = store.record(bundled("pp"), source="window")
    store.close()
    again = HistoryStore(path)
    entries = again.list(10)
    assert [e.id for e in entries] == [second, first]  # newest first
    entry = again.get(first)
    assert entry is not None and entry.source == "send"
    assert entry.url == "bundled:/registrationHookSSR"
    assert entry.request_body == SSR_REQUEST.read_bytes().removeprefix(b"\xef\xbb\xbf")
    assert entry.status == 200 and entry.response_headers["content-type"] == "application/json"
    assert entry.outcome == "DENIED" and entry.verdict["outcome"] == "DENIED"
    assert entry.attempts[0]["status"] == 200
    assert entry.log_lines and entry.log_lines[0].startswith("Type of Okta")
    assert again.get(999) is None


def test_an_entry_is_replaced_only_while_it_is_the_newest(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    first = store.record(bundled(), source="auto re-run")
    second = store.record(bundled("pp"), source="auto re-run", replaces=first)
    assert [e.id for e in store.list(10)] == [second]
    assert store.get(second).target_label == "/registrationHookPP (bundled)"
    other = store.record(bundled(), source="window")
    # Something was recorded after it: the auto row is history now, and stays.
    third = store.record(bundled(), source="auto re-run", replaces=second)
    assert [e.id for e in store.list(10)] == [third, other, second]


def test_filters_by_text_target_and_outcome(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    store.record(bundled("ssr"))
    store.record(bundled("pp"))
    store.record(run_exchange(b"{not json", BundledTarget("ssr")))
    assert len(store.list(10, target="registrationHookPP")) == 1
    assert [e.outcome for e in store.list(10, outcome="denied")] == ["DENIED"]
    assert [e.sent for e in store.list(10, outcome="NOT SENT")] == [False]
    assert len(store.list(10, text="rosario")) == 2  # the request body is searched
    assert store.list(10, text="100%_") == []  # LIKE wildcards are literal


def test_only_the_last_keep_calls_are_kept(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3", keep=3)
    exchange = bundled()
    ids = [store.record(exchange) for _ in range(5)]
    assert [e.id for e in store.list(10)] == ids[:1:-1]
    assert store.count() == 3
    store.record_many([(exchange, f"s{i}") for i in range(4)])
    assert store.count() == 3
    store.clear()
    assert store.list(10) == []


def test_secrets_and_userinfo_never_reach_the_file(tmp_path: Path) -> None:
    answer = HookAnswer(status=200, headers={"content-type": "application/json"}, body=b"{}")
    target = UrlTarget(
        "https://hookuser:pw-in-url@hooks.example.com/registrationHookSSR",
        HookAuth("authorization", SECRET, (("X-Api-Key", "key-value-77"),)),
    )

    # The answer comes from a recorded target, but the record carries the URL target's headers.
    class Quiet:
        kind = "url"
        label = target.label
        url = target.url
        timeout_s = 3.0
        auth = target.auth

        def secrets(self):
            return target.secrets()

        def planned_headers(self, body):
            return target.planned_headers(body)

        def describe(self):
            return target.describe()

        def call(self, body, request, cancel=None):
            reply = RecordedTarget(answer).call(body, request)
            import dataclasses

            sent = tuple(target.planned_headers(body))
            return dataclasses.replace(
                reply, answer=dataclasses.replace(reply.answer, sent_headers=sent)
            )

    path = tmp_path / "h.sqlite3"
    store = HistoryStore(path)
    store.record(run_exchange(SSR_REQUEST.read_bytes(), Quiet()))
    store.close()
    raw = path.read_bytes()
    for secret in (SECRET.encode(), b"key-value-77", b"pw-in-url", b"hookuser"):
        assert secret not in raw
    entry = HistoryStore(path).list(1)[0]
    assert entry.url == "https://hooks.example.com/registrationHookSSR"
    assert dict(entry.request_headers)["authorization"] == "***"


def test_a_damaged_database_says_so_once_and_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    warnings: list[str] = []
    store = HistoryStore(path, warn=warnings.append)
    assert store.record(bundled()) is None
    assert store.list(10) == [] and store.get(1) is None
    store.record(bundled())
    assert len(warnings) == 1 and str(path) in warnings[0] and "history is off" in warnings[0]
    assert store.disabled


def test_a_locked_database_says_so_once_and_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    HistoryStore(path).record(bundled())
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        warnings: list[str] = []
        store = HistoryStore(path, warn=warnings.append, timeout_s=0.01)
        assert store.record(bundled()) is None
        assert store.record(bundled()) is None
        assert len(warnings) == 1 and "locked" in warnings[0]
    finally:
        holder.rollback()
        holder.close()


def test_send_records_and_a_damaged_history_does_not_stop_it(
    capsys: pytest.CaptureFixture[str], _own_data_dir: Path
) -> None:
    from app.logic.service import ServiceRunner, bind_socket, create_app

    app = create_app("u", "p", log=lambda _line: None)
    with ServiceRunner(app, bind_socket("127.0.0.1", 0), "builtin").start_in_thread() as svc:
        url = svc.url + "/registrationHookSSR"
        code, out, err = run(capsys, "send", "--url", url, "--basic", "u:p", str(SSR_REQUEST))
        assert code == 0, err
        assert err == ""
        code, _out, _err = run(capsys, "send", "--url", url, "--basic", "u:p", "--no-history",
                               str(SSR_REQUEST))  # fmt: skip
        assert code == 0
        entries = HistoryStore(_own_data_dir / "history.sqlite3").list(10)
        assert len(entries) == 1 and entries[0].source == "send"
        assert dict(entries[0].request_headers)["authorization"] == "***"
        (_own_data_dir / "history.sqlite3").write_bytes(b"garbage" * 1000)
        code, out, err = run(capsys, "send", "--url", url, "--basic", "u:p", str(SSR_REQUEST))
        assert code == 0 and "DENIED" in out
        assert err.count("history is off") == 1


def test_history_command_lists_shows_and_exports_har(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, _own_data_dir: Path
) -> None:
    suite = ROOT / "fixtures" / "scenarios" / "guide" / "pp"
    assert run(capsys, "check", str(suite))[0] == 0
    code, out, _err = run(capsys, "history", "--limit", "3", "--json")
    assert code == 0
    listed = json.loads(out)
    assert len(listed) == 3 and listed[0]["id"] > listed[1]["id"]
    code, out, _ = run(capsys, "history", "show", str(listed[0]["id"]), "--json")
    assert json.loads(out)["id"] == listed[0]["id"]
    code, out, _ = run(capsys, "history")
    assert code == 0 and "bundled" in out
    har_path = tmp_path / "calls.har"
    ids = [str(item["id"]) for item in listed]
    code, _out, err = run(capsys, "history", "export", "--har", str(har_path), *ids)
    assert code == 0, err
    har = json.loads(har_path.read_text(encoding="utf-8"))
    assert har["log"]["version"] == "1.2"
    entries = har["log"]["entries"]
    assert [e["_reghookHistoryId"] for e in entries] == sorted(int(i) for i in ids)
    for entry in entries:
        assert entry["request"]["method"] == "POST"
        assert json.loads(entry["request"]["postData"]["text"])["eventType"]
        assert entry["response"]["status"] == 200
        assert json.loads(entry["response"]["content"]["text"]) is not None
        assert set(entry) >= {"startedDateTime", "time", "cache", "timings"}
    assert run(capsys, "history", "show", "99999")[0] == 2
    assert run(capsys, "history", "clear")[0] == 0
    assert json.loads(run(capsys, "history", "--json")[1]) == []


# --- the file itself -----------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_database_is_private_to_its_owner(tmp_path: Path) -> None:
    folder = tmp_path / "share" / "reghook-preview"
    old_umask = os.umask(0o022)
    try:
        HistoryStore(folder / "history.sqlite3").record(bundled())
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "history.sqlite3").stat().st_mode) == 0o600


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_database_an_earlier_version_left_readable_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "reghook-preview"
    path = folder / "history.sqlite3"
    HistoryStore(path).record(bundled())
    folder.chmod(0o755)
    path.chmod(0o644)
    assert len(HistoryStore(path).list(10)) == 1
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_answer_with_a_lone_surrogate_is_stored_escaped(tmp_path: Path) -> None:
    body = (
        b'{"commands":[{"type":"com.okta.action.update","value":{"registration":"DENY"}}],'
        b'"error":{"errorSummary":"x\\ud800","errorCauses":[{"errorSummary":"bad \\udc00",'
        b'"reason":"r","locationType":"body","location":"data.userProfile.firstName",'
        b'"domain":"end-user"}]}}'
    )
    answer = HookAnswer(status=200, headers={"content-type": "application/json"}, body=body)
    odd = run_exchange(SSR_REQUEST.read_bytes(), RecordedTarget(answer))
    warnings: list[str] = []
    store = HistoryStore(tmp_path / "h.sqlite3", warn=warnings.append)
    ids = store.record_many([(bundled(), "a"), (odd, "odd"), (bundled(), "b"), (odd, "c")])
    assert warnings == [] and not store.disabled
    assert len(ids) == 4 and store.count() == 4
    entry = store.get(ids[1])
    assert entry is not None and entry.response_body == body
    assert entry.verdict == json.loads(json.dumps(odd.verdict.to_json()))
    entry.headline.encode("utf-8")  # readable text: the surrogate is an escape now
    assert store.record(bundled()) is not None


def test_a_big_run_keeps_only_its_last_calls_and_the_file_stays_small(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    store = HistoryStore(path, keep=10)
    exchange = bundled()
    ids = store.record_many([(exchange, f"s{n}") for n in range(5000)])
    assert len(ids) == 10
    assert [e.scenario for e in store.list(20)] == [f"s{n}" for n in range(4999, 4989, -1)]
    assert path.stat().st_size < 256 * 1024


def test_pruning_many_rows_gives_the_space_back(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    exchange = bundled()
    HistoryStore(path, keep=3000).record_many([(exchange, f"s{n}") for n in range(3000)])
    big = path.stat().st_size
    assert big > 4 * 1024 * 1024
    small = HistoryStore(path, keep=10)  # e.g. REGHOOK_HISTORY_KEEP lowered
    small.record(exchange)
    assert small.count() == 10
    assert path.stat().st_size < big / 10


def test_clear_on_a_locked_database_says_so_and_fails(
    capsys: pytest.CaptureFixture[str], _own_data_dir: Path
) -> None:
    path = _own_data_dir / "history.sqlite3"
    HistoryStore(path).record(bundled())
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, _out, err = run(capsys, "history", "clear")
    finally:
        holder.rollback()
        holder.close()
    assert code == 1
    assert err.startswith("reghook: error: history not cleared: ")
    assert "locked" in err and err.count("\n") == 1
    assert "history cleared" not in err
    assert HistoryStore(path).count() == 1


def test_huge_keep_counts_and_ids_never_break_a_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, _own_data_dir: Path
) -> None:
    twenty_digits = "9" * 20
    monkeypatch.setenv("REGHOOK_HISTORY_KEEP", twenty_digits)
    suite = ROOT / "fixtures" / "scenarios" / "guide" / "pp"
    code, out, err = run(capsys, "check", str(suite))
    assert code == 0, err
    assert "PASS" in out and "Traceback" not in err
    code, out, _err = run(capsys, "history", "--limit", twenty_digits, "--json")
    assert code == 0 and json.loads(out)
    code, _out, err = run(capsys, "history", "show", twenty_digits)
    assert code == 2 and f"no call {twenty_digits}" in err
    assert HistoryStore(_own_data_dir / "history.sqlite3", keep=10**30).get(10**30) is None
