"""The state's schema version: a new state is at the current version, every earlier schema of
the project (each commit's own SQL, tests/state/fixtures/schemas/) is brought to it, a newer
state and a database that is not a state are refused untouched, and a step that fails leaves
the state as it was."""

import hashlib
import sqlite3
from pathlib import Path

import pytest

from harvester.state import migrations
from harvester.state.backup import DamagedState
from harvester.state.store import StateStore
from harvester.state.unversioned import to_version_1
from tests.helpers.state_files import shape, user_version

SCHEMAS = Path(__file__).parent / "fixtures" / "schemas"
# Every commit that changed the schema, in the order a long-lived state met them (e503248 and
# 0b21d13 were on two branches, merged in 5cdc4c2's history).
HISTORY = ("575a69b", "b92a054", "e7e0582", "4bd5897", "2571f67", "d5b1bdc", "d67dc24",
           "e503248", "0b21d13", "5cdc4c2")
VERSION_1_TABLES = [
    "capture_marks", "documents", "missing_topics", "rejects", "run_captures", "run_changes",
    "run_counts", "run_documents", "run_enumerations", "run_keys", "run_links", "run_listed",
    "run_replay_failures", "run_sweeps", "run_tries", "run_urls", "runs", "topics", "urls"]
# What version 2 adds: people's own pages as last read. Version 3: why a capture was skipped.
VERSION_2_TABLES = ["person_pages"]
VERSION_3_COLUMNS = {"run_tries": ["detail", "field"]}
VERSION_1_INDEXES = {
    "documents_by_check": ("documents", ["last_checked"]),
    "run_captures_by_digest": ("run_captures", ["run_id", "digest"]),
    "run_captures_by_key": ("run_captures", ["run_id", "key", "timestamp"]),
    "run_tries_by_digest": ("run_tries", ["run_id", "digest"]),
    "run_tries_by_key": ("run_tries", ["run_id", "key"])}
DOCUMENT = ("110360", "https://digitalarchive.wilsoncenter.org/document/ciphered-telegram",
            "h", '{"record_id": "110360", "title": "Ciphered Telegram No. 405840"}',
            "2026-11-26T10:00:00Z", "2026-11-26T10:00:00Z", "2026-11-26T10:00:00Z",
            "2026-11-26T10:00:00Z", '"e1"', None, 0, None)
RUN = ("20261126T100000Z", "topic-conversations-kim-il-sung", '{"topics": ["x"]}',
       "2026-11-26T10:00:00Z", "2026-11-26T10:01:00Z", "published", 1)


def dump(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()


def earlier_state(path: Path, *revs: str) -> Path:
    """A state as the schema SQL of `revs` left it, run in that order on every open, with a
    published document and its run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    for rev in revs:
        db.executescript((SCHEMAS / f"{rev}.sql").read_text("utf-8"))
    db.execute(f"INSERT OR IGNORE INTO documents VALUES ({', '.join('?' * 12)})", DOCUMENT)
    db.execute("INSERT OR IGNORE INTO runs VALUES (?, ?, ?, ?, ?, ?, ?)", RUN)
    db.close()
    return path


def opened(path: Path) -> None:
    StateStore(path).close()


@pytest.fixture
def new_shape(tmp_path) -> dict:
    path = tmp_path / "new" / "job.sqlite"
    opened(path)
    return shape(path)


def test_a_new_state_is_at_the_current_version_with_its_tables_and_indexes(tmp_path):
    path = tmp_path / "state" / "job.sqlite"
    opened(path)
    assert migrations.current_version() == 3
    assert user_version(path) == 3
    found = shape(path)
    tables = sorted(VERSION_1_TABLES + VERSION_2_TABLES)
    assert sorted(name for name, (table, _) in found.items() if name == table) == tables
    assert {name: found[name] for name in found if name not in tables} == VERSION_1_INDEXES
    with sqlite3.connect(path) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(run_tries)")]
    assert columns[-2:] == VERSION_3_COLUMNS["run_tries"]


@pytest.mark.parametrize("rev", HISTORY)
def test_every_earlier_schema_is_brought_to_the_current_version(rev, tmp_path, new_shape):
    path = earlier_state(tmp_path / "state" / "job.sqlite", rev)
    assert user_version(path) == 0
    store = StateStore(path)
    try:
        assert store.one("PRAGMA user_version") == 3
        assert store.db.execute("SELECT * FROM documents").fetchall() == [DOCUMENT]
        assert store.db.execute("SELECT * FROM runs").fetchall() == [RUN]
        assert store.stored_record("110360") == {"record_id": "110360",
                                                 "title": "Ciphered Telegram No. 405840"}
    finally:
        store.close()
    assert shape(path) == new_shape


def test_a_state_opened_by_every_earlier_harvester_loses_their_stale_indexes(tmp_path,
                                                                           new_shape):
    # CREATE INDEX IF NOT EXISTS kept 4bd5897's run_captures_by_key when 2571f67 redefined
    # it, and 0b21d13 dropped run_captures_by_kind.
    path = earlier_state(tmp_path / "state" / "job.sqlite", *HISTORY[:5])
    before = shape(path)
    assert before["run_captures_by_key"] == ("run_captures",
                                             ["run_id", "kind", "key", "timestamp"])
    assert before["run_captures_by_kind"] == ("run_captures", ["run_id", "kind", "key"])
    opened(path)
    assert shape(path) == new_shape
    assert new_shape["run_captures_by_key"] == ("run_captures", ["run_id", "key", "timestamp"])


def test_a_state_at_the_current_version_is_opened_without_a_write(tmp_path):
    path = tmp_path / "state" / "job.sqlite"
    opened(path)
    before = path.read_bytes()
    opened(path)
    assert path.read_bytes() == before


def test_the_backup_is_left_at_its_version_and_restores_a_state_brought_forward_again(
        tmp_path):
    path = earlier_state(tmp_path / "state" / "job.sqlite", "575a69b")
    backup = path.with_name("job.sqlite.published")
    backup.write_bytes(path.read_bytes())
    before = backup.read_bytes()
    opened(path)
    assert (user_version(path), user_version(backup)) == (3, 0)
    assert backup.read_bytes() == before
    path.write_bytes(backup.read_bytes())  # the restore docs/RELIABILITY.md gives
    for companion in ("-wal", "-shm"):
        path.with_name(path.name + companion).unlink(missing_ok=True)
    store = StateStore(path)
    try:
        assert store.one("PRAGMA user_version") == 3
        assert store.db.execute("SELECT * FROM runs").fetchall() == [RUN]
    finally:
        store.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_newer_state_is_refused_in_one_line_and_left_as_it_is(tmp_path):
    path = tmp_path / "state" / "job.sqlite"
    opened(path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 4")
    db.execute("PRAGMA journal_mode = DELETE")  # a newer harvester's own choice, say
    db.close()
    before = sha256(path)
    with pytest.raises(DamagedState) as refused:
        StateStore(path)
    assert str(refused.value) == (
        f"state file {path} is of state version 4, newer than this harvester knows (3): run "
        "the harvester that wrote it (see docs/RELIABILITY.md); this one left it as it is")
    assert sha256(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["job.sqlite"]


@pytest.mark.parametrize(("tables", "problem"), [
    ("CREATE TABLE people (name TEXT);", "it has no documents, urls, topics, runs, "
                                         "run_documents, run_listed, run_changes table"),
    ((SCHEMAS / "575a69b.sql").read_text("utf-8").replace("    content_hash TEXT NOT NULL,\n",
                                                          ""),
     "its documents table has no content_hash column")])
def test_a_database_that_is_not_a_state_is_refused_untouched(tables, problem, tmp_path):
    path = tmp_path / "state" / "job.sqlite"
    path.parent.mkdir()
    db = sqlite3.connect(path)
    db.executescript(tables)
    db.close()
    before = dump(path)
    with pytest.raises(DamagedState) as refused:
        StateStore(path)
    assert str(refused.value) == (f"state file {path} is not a state ({problem}): remove it "
                                  "to start over (there is no backup of it)")
    assert dump(path) == before


def test_a_step_that_fails_half_way_leaves_the_state_as_it_was(tmp_path):
    # An earlier state with a table of its own named like an index version 1 adds: the step
    # creates the missing tables, then fails on that index.
    path = earlier_state(tmp_path / "state" / "job.sqlite", "575a69b")
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE run_tries_by_key (note TEXT)")
    db.close()
    (path.parent / "job.sqlite.published").write_bytes(path.read_bytes())
    before = dump(path)
    with pytest.raises(DamagedState) as refused:
        StateStore(path)
    assert str(refused.value) == (
        f"state file {path} is at state version 0, and bringing it to version 1 failed "
        "(there is already a table named run_tries_by_key): it was left as it was; mend that "
        f"and run again, or restore it from {path}.published (the state as of the last "
        "publish: see docs/RELIABILITY.md), or remove it to start over")
    assert dump(path) == before
    assert user_version(path) == 0


def test_each_step_is_its_own_transaction(tmp_path, monkeypatch):
    def failing_to_version_2(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE IF NOT EXISTS person_details (slug TEXT PRIMARY KEY)")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(migrations, "STEPS", [to_version_1, failing_to_version_2])
    path = earlier_state(tmp_path / "state" / "job.sqlite", "575a69b")
    with pytest.raises(DamagedState) as refused:
        StateStore(path)
    assert str(refused.value).startswith(
        f"state file {path} is at state version 1, and bringing it to version 2 failed "
        "(database or disk is full): it was left as it was;")
    assert user_version(path) == 1  # step 1 was taken, step 2 was not
    assert "person_details" not in shape(path)
    assert "run_counts" in shape(path)
