"""Once `latest` names the new run, the run is published and the command says so, whatever
fails after: the state not recording it, or its backup not written (exit 3, with how to
recover), old runs not pruned (a warning, exit 0)."""

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from harvester.state.backup import backup_path
from tests.helpers.crawls import bundled_crawl_command
from tests.helpers.full_disk import harvester_with_full_disk
from tests.helpers.serving import served_here

STATE = Path("state") / "topic-conversations-kim-il-sung.sqlite"


@pytest.fixture
def out(bundled_topic_run, tmp_path) -> Path:
    copy = tmp_path / "out"
    shutil.copytree(bundled_topic_run.out, copy, symlinks=True)
    return copy.resolve()


@pytest.fixture(scope="module")
def url():
    with served_here() as served:
        yield served


def crawl_arguments(url: str, out: Path) -> list[str]:
    return bundled_crawl_command(url, out)[3:]  # after `python -m harvester.cli`


def dump(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()


def last_line(result: subprocess.CompletedProcess) -> str:
    return result.stderr.strip().splitlines()[-1]


def test_a_publication_the_state_cannot_record_is_published_and_says_so(url, out):
    before = os.readlink(out / "latest")
    result = harvester_with_full_disk("record-publication", crawl_arguments(url, out))
    assert result.returncode == 3, result.stderr
    run = (out / "latest").resolve()
    assert run.name != before
    assert last_line(result) == (
        f"harvester: published {run}: 19 documents, 1 topic, 1 reject, 27 requests; 0 added, "
        "0 changed, 0 removed; but the state did not record the publication (database or disk "
        "is full): once there is space the next run publishes the same records again")
    again = subprocess.run(bundled_crawl_command(url, out), capture_output=True, text=True,
                           timeout=120)
    assert again.returncode == 0, again.stderr
    manifest = json.loads((out / "latest" / "manifest.json").read_text("utf-8"))
    assert (manifest["run_id"], manifest["resumed"]) == (run.name, True)


def test_a_backup_the_disk_cannot_hold_fails_the_command_and_says_how_to_recover(url, out):
    earlier = dump(backup_path(out / STATE))
    result = harvester_with_full_disk("backup", crawl_arguments(url, out))
    assert result.returncode == 3, result.stderr
    run = (out / "latest").resolve()
    assert last_line(result) == (
        f"harvester: published {run}: 19 documents, 1 topic, 1 reject, 27 requests; 0 added, "
        f"0 changed, 0 removed; but the state's backup {backup_path(out / STATE)} was not "
        "written (database or disk is full): it still holds the state as of an earlier "
        f"publication; free space (or mend {out / 'state'}) and run again, and the next "
        f"publication writes it; until then {out / STATE} is the only copy, so do not remove "
        "it")
    assert dump(backup_path(out / STATE)) == earlier
    assert list((out / "state").glob(".*.published.*")) == []
    again = subprocess.run(bundled_crawl_command(url, out), capture_output=True, text=True,
                           timeout=120)
    assert again.returncode == 0, again.stderr
    assert dump(backup_path(out / STATE)) == dump(out / STATE)


class Store:
    """A state store whose every step after the publication fails as a full disk makes it."""

    def __init__(self) -> None:
        self.closed = False

    def end_run(self, run_id, status, now):
        raise sqlite3.OperationalError("database or disk is full")

    def keep_backup(self):
        from harvester.state.backup import BackupNotWritten

        raise BackupNotWritten("the state's backup b was not written (…)")

    def close(self):
        self.closed = True


def test_every_step_after_a_publication_is_tried_and_the_store_closed(tmp_path, monkeypatch):
    from harvester.run import aftermath

    def unremovable(out_dir, keep):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(aftermath, "prune_runs", unremovable)
    store = Store()
    after = aftermath.settle(store, "20261126T000000Z", "published", tmp_path, 2)
    assert after.failures == [
        "the state did not record the publication (database or disk is full): once there is "
        "space the next run publishes the same records again",
        "the state's backup b was not written (…)"]
    assert after.warnings == ["old runs were not pruned (Permission denied): `harvester prune "
                              "--keep 2` does it by hand"]
    assert store.closed
