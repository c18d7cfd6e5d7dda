"""States that earlier commits of the project wrote by crawling their own bundled mirror (the
files in tests/state/fixtures/, made by make_states.py; see its README): today's store opens
each at the current version with every row it held, and today's harvester publishes over it."""

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from harvester.mirror.server import base_url
from harvester.mirror.wayback.server import serve_in_background
from harvester.mirror.wayback.store import plan_from_mirror, write_store
from harvester.state.store import StateStore
from tests.helpers.captures import plan, write_warc
from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import BASE, SITE
from tests.helpers.serving import served_here
from tests.helpers.state_files import shape

FIXTURES = Path(__file__).parent / "fixtures"
JOB = "topic-conversations-kim-il-sung"
# When the fixtures' stand-in web archive captured the mirror (make_states.py).
CAPTURED = "20240115093000"
# Each fixture's runs (id, status), documents staged by an unfinished run, census marks.
FACTS = {
    "575a69b-live": ([("20261207T143714Z", "published"), ("20261207T143717Z", "published")],
                     0, None),
    "4bd5897-live": ([("20261207T143724Z", "published"), ("20261207T143729Z", "published")],
                     0, 0),
    "4bd5897-warc": ([("20261207T143732Z", "published")], 0, 1),
    "2571f67-live": ([("20261207T143736Z", "published"), ("20261207T143740Z", "published")],
                     0, 0),
    "2571f67-warc": ([("20261207T143744Z", "published")], 0, 1),
    "d5b1bdc-live": ([("20261207T143749Z", "published"), ("20261207T143754Z", "published")],
                     0, 0),
    "d5b1bdc-wayback": ([("20261207T143759Z", "published")], 0, 3),
    "145dc10-live": ([("20261207T143807Z", "published"), ("20261207T143813Z", "published")],
                     0, 0),
    "145dc10-warc": ([("20261207T143818Z", "published")], 0, 1),
    "5cdc4c2-live": ([("20261207T143638Z", "published"), ("20261207T143644Z", "published"),
                      ("20261207T143647Z", "interrupted")], 13, 0),
    "5cdc4c2-warc": ([("20261207T143651Z", "published")], 0, 1),
    "5cdc4c2-wayback": ([("20261207T143658Z", "published"), ("20261207T143704Z", "interrupted")],
                        14, 3),
    # Version 2, the last before the tries kept why a capture was skipped.
    "539cd2b-live": ([("20261208T021340Z", "published"), ("20261208T021341Z", "published")],
                     0, 0),
    "539cd2b-wayback": ([("20261208T021342Z", "published"), ("20261208T021343Z", "interrupted")],
                        14, 3),
}
# What version 3 adds to a table that had rows: columns, empty in every row brought forward.
ADDED_COLUMNS = {"run_tries": 2}
CIPHERED = ("110360", f"{BASE}/document/ciphered-telegram-no-405840-shtykov-feng-xi-stalin",
            "Ciphered Telegram No. 405840 from Shtykov to Feng Xi [Stalin]")


def job_of(name: str) -> str:
    source = name.split("-")[1]
    return JOB if source == "live" else f"{JOB}@{source}"


def out_with(name: str, folder: Path) -> Path:
    """An output folder holding only the fixture's state, under its job's name."""
    state = folder / "state" / f"{job_of(name)}.sqlite"
    state.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURES / f"{name}.sqlite", state)
    return state


def rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table (sorted)."""
    db = sqlite3.connect(path)
    try:
        names = [row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {name: sorted(db.execute(f"SELECT * FROM {name}"), key=repr) for name in names}
    finally:
        db.close()


@pytest.fixture(scope="module")
def new_shape(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("new") / "job.sqlite"
    StateStore(path).close()
    return shape(path)


@pytest.mark.parametrize("name", sorted(FACTS))
def test_an_earlier_state_opens_at_the_current_version_with_every_row(name, tmp_path,
                                                                      new_shape):
    state = out_with(name, tmp_path)
    before = rows(state)
    runs, staged, marks = FACTS[name]
    assert [run[:1] + run[5:6] for run in before["runs"]] == [(i, s) for i, s in runs]
    assert len(before["documents"]) == 19 and len(before["urls"]) == 20
    assert len(before["run_documents"]) == staged
    assert len(before.get("capture_marks", [])) == (marks or 0)
    store = StateStore(state)
    try:
        assert store.one("PRAGMA user_version") == 3
        assert store.known_documents() == 19
        assert store.published_runs(job_of(name)) == len([s for _, s in runs
                                                          if s == "published"])
        record = store.stored_record(CIPHERED[0])
        assert (record["record_id"], record["url"], record["title"]) == CIPHERED
    finally:
        store.close()
    after = rows(state)
    added = {table: ADDED_COLUMNS.get(table, 0) for table in before}
    assert {table: [row[:len(row) - added[table]] for row in after[table]]
            for table in before} == before
    assert all(row[len(row) - added[table]:] == (None,) * added[table]
               for table in before for row in after[table])
    assert all(after[table] == [] for table in after if table not in before)
    assert shape(state) == new_shape


def published(out: Path, result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "latest" / "manifest.json").read_text("utf-8"))
    counts = manifest["counts"]
    return {"run_id": manifest["run_id"], "resumed": manifest["resumed"],
            "counts": (counts["documents"], counts["added"], counts["changed"],
                       counts["removed"])}


def harvest(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*HARVESTER, "crawl", "topic", *args, "-s",
                           "HARVESTER_PROGRESS_INTERVAL=0"], capture_output=True, text=True,
                          timeout=180)


def after_publish(state: Path) -> list[tuple]:
    """The runs of the state once published over, its backup's version checked."""
    backup = sqlite3.connect(state.with_name(state.name + ".published"))
    try:
        assert backup.execute("PRAGMA user_version").fetchone() == (3,)
        return backup.execute("SELECT run_id, status FROM runs ORDER BY run_id").fetchall()
    finally:
        backup.close()


# A scheduled (incremental) run of today's mirror over each live state: nothing added or
# removed; the one document re-checked was parsed by the earlier harvester, so it changed,
# unless that harvester already parsed it as today's does (539cd2b).
@pytest.mark.parametrize("name", ["575a69b-live", "4bd5897-live", "2571f67-live",
                                  "d5b1bdc-live", "145dc10-live", "539cd2b-live"])
def test_an_incremental_run_publishes_over_an_earlier_live_state(name, tmp_path):
    state = out_with(name, tmp_path)
    with served_here() as url:
        result = harvest("--base-url", url, "--out", str(tmp_path), "--public-base-url", BASE,
                         "--incremental")
    done = published(tmp_path, result)
    changed = 0 if name == "539cd2b-live" else 1
    assert (done["resumed"], done["counts"]) == (False, (19, 0, changed, 0))
    assert after_publish(state) == [*FACTS[name][0], (done["run_id"], "published")]


def test_a_run_stopped_before_the_upgrade_is_resumed_after_it(tmp_path):
    state = out_with("5cdc4c2-live", tmp_path)
    with served_here() as url:
        result = harvest("--base-url", url, "--out", str(tmp_path), "--public-base-url", BASE)
    done = published(tmp_path, result)
    assert done == {"run_id": "20261207T143647Z", "resumed": True, "counts": (19, 0, 0, 0)}
    assert after_publish(state) == [
        ("20261207T143638Z", "published"), ("20261207T143644Z", "published"),
        ("20261207T143647Z", "published")]


@pytest.mark.parametrize("name", ["4bd5897-warc", "5cdc4c2-warc"])
def test_a_warc_run_publishes_over_an_earlier_warc_state(name, tmp_path):
    state = out_with(name, tmp_path / "out")
    warc = write_warc(tmp_path / "captures.warc.gz", plan())
    done = published(tmp_path / "out", harvest("--source", "warc", str(warc),
                                               "--out", str(tmp_path / "out")))
    assert (done["resumed"], done["counts"]) == (False, (19, 0, 0, 0))
    assert after_publish(state) == [*FACTS[name][0], (done["run_id"], "published")]


@pytest.fixture(scope="module")
def wayback(tmp_path_factory):
    """The stand-in web archive as make_states.py filled it: the mirror's pages, once."""
    store = tmp_path_factory.mktemp("captures")
    write_store(store, plan_from_mirror(SITE, CAPTURED), SITE)
    server = serve_in_background(store)
    yield base_url(server)
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("name", "extra", "resumed"), [
    ("d5b1bdc-wayback", ("--incremental",), None),
    ("5cdc4c2-wayback", (), "20261207T143704Z"),
    ("539cd2b-wayback", (), "20261208T021343Z")])
def test_a_wayback_run_publishes_over_an_earlier_wayback_state(name, extra, resumed, wayback,
                                                               tmp_path):
    state = out_with(name, tmp_path)
    done = published(tmp_path, harvest("--source", "wayback", "--wayback-url", wayback,
                                       "--out", str(tmp_path), *extra))
    assert (done["resumed"], done["counts"]) == (resumed is not None, (19, 0, 0, 0))
    runs = [run for run in FACTS[name][0] if run[0] != resumed]
    assert after_publish(state) == sorted([*runs, (done["run_id"], "published")])
    if resumed:
        assert done["run_id"] == resumed


def test_a_run_over_a_newer_state_is_refused_in_one_line_and_writes_nothing(tmp_path):
    state = out_with("5cdc4c2-live", tmp_path)
    db = sqlite3.connect(state)
    db.execute("PRAGMA user_version = 4")
    db.close()
    before = state.read_bytes()
    with served_here() as url:
        result = harvest("--base-url", url, "--out", str(tmp_path), "--public-base-url", BASE)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"harvester: state file {state} is of state version 4, newer than this harvester knows "
        "(3): run the harvester that wrote it (see docs/RELIABILITY.md); this one left it as it "
        "is")
    assert "Traceback" not in result.stderr
    assert state.read_bytes() == before
    assert sorted(p.name for p in state.parent.iterdir()) == ["run.lock", state.name]
