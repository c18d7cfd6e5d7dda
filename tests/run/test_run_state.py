"""Runs over one output folder: one at a time (a second exits at once naming the first), a
damaged state refused in one line and restored from its backup, and `latest` put right after a
switch that was cut short or a folder copied in its place."""

import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from harvester.dataset.folder import RUN_ID
from harvester.mirror.faults import FaultPlan
from harvester.mirror.server import base_url, serve_in_background
from harvester.state.backup import backup_path
from harvester.state.lock import RunLock, RunRefused, lock_path
from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import BASE, SITE, read_jsonl, without_provenance

JOB = "topic-conversations-kim-il-sung"


def command(url: str, out: Path, *extra: str, slugs: tuple[str, ...] = ()) -> list[str]:
    return [*HARVESTER, "crawl", "topic", *slugs, "--base-url", url, "--out", str(out),
            "--public-base-url", BASE, "-s", "HARVESTER_PROGRESS_INTERVAL=0", *extra]


def harvest(url: str, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(command(url, out, *extra), capture_output=True, text=True,
                          timeout=120)


def last_line(result: subprocess.CompletedProcess) -> str:
    return result.stderr.strip().splitlines()[-1]


def documents(out: Path) -> list[dict]:
    return [without_provenance(d) for d in read_jsonl(out / "latest" / "documents.jsonl")]


def dump(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()


class Gate(FaultPlan):
    """Holds every document request until opened, so a crawl stays mid-way as long as a test
    needs (at most two minutes, so a failing test cannot hang)."""

    def __init__(self) -> None:
        super().__init__([])
        self.opened = threading.Event()

    def pick(self, target: str):
        chosen = super().pick(target)
        if target.startswith("/document/"):
            self.opened.wait(120)
        return chosen

    def requested(self, prefix: str) -> int:
        return len([hit for hit in list(self.hits) if hit.target.startswith(prefix)])


@pytest.fixture(scope="module")
def server():
    mirror = serve_in_background(SITE)
    yield base_url(mirror)
    mirror.shutdown()
    mirror.server_close()


@pytest.fixture(scope="module")
def published(server, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("published")
    done = harvest(server, out)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture
def out(published, tmp_path) -> Path:
    """A copy of the published output, its state too."""
    copy = tmp_path / "out"
    shutil.copytree(published, copy, symlinks=True)
    return copy.resolve()


def state_of(out: Path) -> Path:
    return out / "state" / f"{JOB}.sqlite"


# -- one run at a time -------------------------------------------------------------------------
def test_the_lock_names_its_holder_and_is_free_once_released(tmp_path):
    held = RunLock.take(tmp_path, "topic-a", "2026-11-26T10:00:00Z")
    with pytest.raises(RunRefused) as refused:
        RunLock.take(tmp_path, "topic-b", "2026-11-26T10:05:00Z")
    assert str(refused.value) == (
        f"another run holds {tmp_path}: pid {os.getpid()} on {socket.gethostname()} "
        "(job topic-a, started 2026-11-26T10:00:00Z)")
    held.release()
    assert lock_path(tmp_path).read_text() == ""
    RunLock.take(tmp_path, "topic-b", "2026-11-26T10:05:00Z").release()


def test_a_second_run_exits_at_once_naming_the_first_which_still_publishes(tmp_path):
    gate = Gate()
    mirror = serve_in_background(SITE, faults=gate)
    url, out = base_url(mirror), (tmp_path / "out").resolve()
    try:
        first = subprocess.Popen(command(url, out, "-s", "DOWNLOAD_TIMEOUT=300"),
                                 stderr=subprocess.PIPE, text=True)
        wait_until(lambda: gate.requested("/document/") > 0 or first.poll() is not None)
        holder = (rf"another run holds {re.escape(str(out))}: pid {first.pid} on \S+ "
                  rf"\(job {JOB}, started \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)")
        # the same job, and another one: both would write `latest`
        for slugs in ((), ("another-topic",)):
            second = subprocess.run(command(url, out, slugs=slugs), capture_output=True,
                                    text=True, timeout=120)
            assert second.returncode == 1, second.stderr
            assert re.fullmatch(f"harvester: {holder}", last_line(second)), second.stderr
            assert "Traceback" not in second.stderr
        assert gate.requested("/robots.txt") == 1  # the second runs fetched nothing
        gate.opened.set()
        _, stderr = first.communicate(timeout=120)
    finally:
        gate.opened.set()
        mirror.shutdown()
        mirror.server_close()
    assert first.returncode == 0, stderr
    assert (out / "latest").is_symlink()
    db = sqlite3.connect(state_of(out))
    assert db.execute("SELECT status FROM runs").fetchall() == [("published",)]
    db.close()
    assert not (out / "state" / "topic-another-topic.sqlite").exists()


def wait_until(condition, timeout: float = 120) -> None:
    """Polls a condition a test cannot be told about; the timeout only stops a broken test."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the crawl never got there"
        time.sleep(0.02)


# -- a damaged state ---------------------------------------------------------------------------
def damage(state: Path, how: str) -> None:
    if how == "empty":
        state.write_bytes(b"")
    elif how == "truncated":
        os.truncate(state, state.stat().st_size // 2)
    else:
        state.write_bytes(bytes(range(256)) * 16)


@pytest.mark.parametrize(("how", "problem"), [
    ("empty", "empty"),
    ("truncated", "damaged (database disk image is malformed)"),
    ("garbage", "damaged (file is not a database)")])
def test_a_damaged_state_is_refused_in_one_line(how, problem, server, out):
    state = state_of(out)
    damage(state, how)
    damaged = state.read_bytes()
    good = (out / "latest").resolve()
    names = sorted(p.name for p in out.iterdir())
    result = harvest(server, out)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert last_line(result) == (
        f"harvester: state file {state} is {problem}: restore it from {backup_path(state)} "
        "(the state as of the last publish: see docs/RELIABILITY.md), or remove it to start "
        f"over; the last good run is still {good}")
    assert (out / "latest").resolve() == good
    assert sorted(p.name for p in out.iterdir()) == names
    assert state.read_bytes() == damaged


def test_the_backup_is_the_state_as_of_the_last_publish_and_restores_it(server, published,
                                                                      out):
    state = state_of(out)
    assert dump(backup_path(state_of(published))) == dump(state_of(published))
    before = documents(out)
    damage(state, "garbage")
    assert harvest(server, out, "--incremental").returncode == 1
    # the restore docs/RELIABILITY.md gives: the backup over the state, its companions gone
    shutil.copyfile(backup_path(state), state)
    for companion in ("-wal", "-shm"):
        state.with_name(state.name + companion).unlink(missing_ok=True)
    result = harvest(server, out, "--incremental")
    assert result.returncode == 0, result.stderr
    counts = json.loads((out / "latest" / "manifest.json").read_text("utf-8"))["counts"]
    assert (counts["added"], counts["changed"], counts["removed"]) == (0, 0, 0)
    assert documents(out) == before
    assert dump(backup_path(state)) == dump(state)  # and the backup follows the new publish
    db = sqlite3.connect(backup_path(state))
    assert db.execute("SELECT count(*) FROM runs WHERE status = 'published'").fetchone() == (2,)
    db.close()


# -- `latest` after a switch cut short ---------------------------------------------------------
def test_leftovers_of_a_switch_are_put_right_and_a_folder_named_latest_is_kept(server, out):
    run_id = os.readlink(out / "latest")
    (out / "latest").unlink()
    shutil.copytree(out / run_id, out / "latest")  # a run copied there by hand
    (out / ".latest.424242").symlink_to(run_id)
    shutil.copytree(out / run_id, out / f".{run_id}.superseded")
    result = harvest(server, out)
    assert result.returncode == 0, result.stderr
    new = os.readlink(out / "latest")
    assert RUN_ID.match(new) and new != run_id
    [kept] = [p for p in out.iterdir() if p.name.startswith("latest.kept-")]
    assert (kept / "manifest.json").read_bytes() == (out / run_id / "manifest.json").read_bytes()
    assert f"moved to {kept.name}" in result.stderr
    assert "removed .latest.424242" in result.stderr
    assert f"removed .{run_id}.superseded" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [run_id, new, "latest", kept.name, "state"])
