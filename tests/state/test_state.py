"""The state store and the merge of a run into it: added, changed (with fields), removed."""

import json
import os
import sqlite3

import pytest

from harvester.run.merge import changed_fields, content_hash, merge_run
from harvester.state.backup import DamagedState, backup_path, create_state
from harvester.state.migrations import new_state
from harvester.state.store import StateStore

NOW = "2026-11-26T10:00:00Z"
LATER = "2026-11-27T10:00:00Z"


def record(record_id: str, title: str = "T", **extra) -> dict:
    return {"record_id": record_id, "url": f"https://a/document/d{record_id}", "title": title,
            "topics": [], "retrieved_at": NOW, **extra}


@pytest.fixture
def store(tmp_path):
    store = StateStore(tmp_path / "state" / "job.sqlite")
    yield store
    store.close()


def run(store: StateStore, run_id: str, records: list[dict], listed: list[str] | None = None,
        sweep: bool = False, gone: set[str] | None = None, now: str = NOW) -> list[dict]:
    opened, resumed = store.open_run("job", {"n": run_id}, run_id, now, sweep)
    assert (opened, resumed) == (run_id, False)
    for item in records:
        store.stage_document(run_id, item, [item["url"]], '"e"', None, now)
    for url in listed if listed is not None else [r["url"] for r in records]:
        store.mark_listed(run_id, url)
    merge_run(store, run_id, now, {}, sweep, gone or set())
    changes = store.changes(run_id)
    store.end_run(run_id, "published", now)
    return changes


def test_first_run_adds_everything_in_record_order(store):
    changes = run(store, "r1", [record("300001"), record("99")])
    assert changes == [{"record_id": "99", "change": "added", "fields": []},
                       {"record_id": "300001", "change": "added", "fields": []}]
    assert [r["record_id"] for r in store.current_records()] == ["99", "300001"]


def test_a_change_names_its_fields_and_retrieval_time_is_not_a_change(store):
    run(store, "r1", [record("1"), record("2")])
    changes = run(store, "r2", [record("1", title="New", retrieved_at=LATER),
                                record("2", retrieved_at=LATER)], now=LATER)
    assert changes == [{"record_id": "1", "change": "changed", "fields": ["title"]}]
    assert store.stored_record("1")["title"] == "New"


def test_removal_needs_two_sweeps_or_a_gone_page(store):
    run(store, "r1", [record("1"), record("2"), record("3")], sweep=True)
    assert run(store, "r2", [], listed=[record("1")["url"]], sweep=True, gone={"3"}) == [
        {"record_id": "3", "change": "removed", "fields": []}]
    assert run(store, "r3", [], listed=[record("1")["url"]], sweep=True) == [
        {"record_id": "2", "change": "removed", "fields": []}]
    assert [r["record_id"] for r in store.current_records()] == ["1"]
    removed = store.db.execute("SELECT count(*) FROM documents WHERE removed_at IS NOT NULL")
    assert removed.fetchone()[0] == 2


def test_runs_that_are_not_sweeps_never_remove(store):
    run(store, "r1", [record("1"), record("2")], sweep=True)
    assert run(store, "r2", [], listed=[], sweep=False) == []
    assert run(store, "r3", [], listed=[], sweep=False) == []
    assert len(list(store.current_records())) == 2


def test_unfinished_run_with_same_arguments_is_resumed_with_its_staged_work(store):
    store.open_run("job", {"a": 1}, "r1", NOW, False)
    store.stage_document("r1", record("1"), [record("1")["url"]], None, None, NOW)
    store.flush()
    assert store.open_run("job", {"a": 1}, "r2", LATER, False) == ("r1", True)
    assert store.staged_urls("r1") == {record("1")["url"]}
    assert store.open_run("job", {"a": 2}, "r3", LATER, False) == ("r3", False)
    status = store.one("SELECT status FROM runs WHERE run_id = 'r1'")
    assert status == "abandoned"
    assert store.staged_urls("r1") == set()


def test_a_merge_interrupted_half_way_still_reports_every_change(store):
    run(store, "r1", [record("1"), record("2")])
    store.open_run("job", {"n": "r2"}, "r2", LATER, False)
    for item in (record("1", title="A"), record("2", title="B")):
        store.stage_document("r2", item, [item["url"]], None, None, LATER)
    merge_run(store, "r2", LATER, {}, False, set())
    merge_run(store, "r2", LATER, {}, False, set())  # the resumed run merges again
    assert [c["record_id"] for c in store.changes("r2")] == ["1", "2"]


def test_content_hash_ignores_retrieval_time_and_key_order():
    a = record("1")
    b = {**dict(reversed(list(record("1").items()))), "retrieved_at": LATER}
    assert content_hash(a) == content_hash(b)
    assert changed_fields(a, {**a, "title": "X", "retrieved_at": LATER}) == ["title"]


def test_staged_records_round_trip_unicode(store):
    store.open_run("job", {}, "r1", NOW, False)
    store.stage_document("r1", record("1", title="Białek — Satō"), [], None, None, NOW)
    [(record_id, staged, *_)] = list(store.staged("r1"))
    assert staged["title"] == "Białek — Satō"
    assert json.loads(json.dumps(staged)) == staged


def test_a_sweep_merged_twice_counts_each_absence_once(store):
    run(store, "r1", [record("1"), record("2")], sweep=True)
    store.open_run("job", {"n": "r2"}, "r2", LATER, True)
    store.mark_listed("r2", record("1")["url"])
    merge_run(store, "r2", LATER, {}, True, set())
    merge_run(store, "r2", LATER, {}, True, set())  # the resumed run merges again
    assert store.one("SELECT missed_sweeps FROM documents WHERE record_id = '2'") == 1
    assert store.changes("r2") == []


@pytest.mark.parametrize(("content", "problem"), [
    (b"", "is empty"),
    (b"SQLite format 3\x00" + b"\x00" * 84, "is damaged"),
    (b"not a database at all\n" * 50, "is damaged (file is not a database)")])
def test_an_empty_or_damaged_state_file_is_refused_not_started_over(tmp_path, content, problem):
    path = tmp_path / "state" / "job.sqlite"
    path.parent.mkdir()
    path.write_bytes(content)
    with pytest.raises(DamagedState) as refused:
        StateStore(path)
    assert str(refused.value).startswith(f"state file {path} {problem}")
    assert str(refused.value).endswith("remove it to start over (there is no backup of it)")
    assert path.read_bytes() == content


def test_a_truncated_state_file_is_refused_and_its_backup_named(store):
    run(store, "r1", [record(str(n), title="x" * 2000) for n in range(50)])
    assert store.keep_backup() == backup_path(store.path)
    store.close()
    os.truncate(store.path, store.path.stat().st_size // 2)
    with pytest.raises(DamagedState, match="database disk image is malformed") as refused:
        StateStore(store.path)
    assert f"restore it from {backup_path(store.path)}" in str(refused.value)
    store.db = sqlite3.connect(":memory:")  # for the fixture's close


def test_the_backup_is_a_whole_copy_as_of_when_it_was_taken(store):
    run(store, "r1", [record("1"), record("2")])
    store.keep_backup()
    run(store, "r2", [record("3")])
    backup = StateStore(backup_path(store.path))
    assert [r["record_id"] for r in backup.current_records()] == ["1", "2"]
    assert backup.one("SELECT count(*) FROM runs") == 1
    backup.close()
    assert not list(store.path.parent.glob(".*"))  # no temporary copy left


def test_a_state_whose_creation_fails_leaves_no_file_to_refuse_later(tmp_path):
    path = tmp_path / "state" / "job.sqlite"
    path.parent.mkdir()

    def cut_short(db: sqlite3.Connection) -> None:
        new_state(db)
        db.execute("CREATE TABLE cut_short (")

    with pytest.raises(sqlite3.Error):
        create_state(path, cut_short)
    assert list(path.parent.iterdir()) == []
    store = StateStore(path)  # so the next run starts a new state, not an empty-file refusal
    assert store.known_documents() == 0
    store.close()
    assert [p.name for p in path.parent.iterdir()] == ["job.sqlite"]


def test_the_lock_file_names_a_long_job_in_a_bounded_line(tmp_path):
    from harvester.state.lock import RunLock, lock_path

    lock = RunLock.take(tmp_path, "topic-" + "a" * 1_000_000, NOW)
    try:
        holder = json.loads(lock_path(tmp_path).read_text("utf-8"))
        assert holder["job"] == "topic-" + "a" * 194 + "… (1000006 characters)"
    finally:
        lock.release()


def test_a_state_path_that_is_a_folder_is_refused_in_one_line(tmp_path):
    path = tmp_path / "state" / "job.sqlite"
    path.mkdir(parents=True)
    with pytest.raises(DamagedState) as refused:
        StateStore(path)
    assert str(refused.value) == (f"state file {path} is a folder, not a file: remove it to "
                                  "start over (there is no backup of it)")
