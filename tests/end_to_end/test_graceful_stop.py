"""A crawl stopped by SIGINT or SIGTERM, then run again: the exit code and one-line message of a
stop, the same records as a crawl never interrupted, and no long pause holding up the stop.

A first or later run stopped by any of the three signals (SIGKILL too) once every document is
staged, so that the rerun fetches none, is reached by a crawl kept open after its walk that says so.
Kills at the points of publication are in test_kill."""

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harvester.mirror.faults import FaultPlan, parse_spec
from harvester.mirror.server import base_url, serve_in_background
from tests.helpers.interrupted_runs import (
    arguments,
    assert_readers_see_only_complete_runs,
    harvest,
    records,
    wait_for_line,
)
from tests.helpers.pages import SITE
from tests.helpers.serving import serve_here, stop

# Runs the harvester with the spider kept open once its walk is over (every document fetched and
# staged, and committed), saying so: a signal then lands after the work, before the publication.
HOLDING_HARVESTER = """
import sys
from scrapy.exceptions import DontCloseSpider
from harvester.spiders.recheck import AfterWalk
walk = AfterWalk._on_idle
def hold(self):
    walk(self)  # raises DontCloseSpider while re-walks or re-checks remain
    if not getattr(self, "held", False):
        self.held = True
        self.run.store.flush()
        print("walk over", file=sys.stderr, flush=True)
    raise DontCloseSpider
AfterWalk._on_idle = hold
from harvester.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture(scope="module")
def fast_server():
    mirror = serve_in_background(SITE)
    yield base_url(mirror)
    mirror.shutdown()
    mirror.server_close()


def wait_for_documents(plan: FaultPlan, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sum(1 for hit in plan.hits if hit.target.startswith("/document/")) >= count:
            return
        time.sleep(0.01)
    raise AssertionError("the crawl fetched no documents")


@pytest.mark.parametrize(("how", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_graceful_stop_then_resume_gives_the_same_records(how, code, mirror_url, held_mirror,
                                                          uninterrupted_records, tmp_path):
    held_url, plan = held_mirror
    out = tmp_path / "out"
    crawl = subprocess.Popen([sys.executable, "-m", "harvester.cli", *arguments(held_url, out)],
                             stderr=subprocess.PIPE, text=True)
    plan.wait_until_held(crawl)
    crawl.send_signal(how)
    plan.release()  # a graceful stop waits for the requests on their way
    _, stderr = crawl.communicate(timeout=60)
    assert crawl.returncode == code
    assert stderr.strip().splitlines()[-1] == f"harvester: stopped by {how.name}; nothing published"
    assert_readers_see_only_complete_runs(out)
    done = harvest(mirror_url, out)
    assert done.returncode == 0, done.stderr
    assert records(out) == uninterrupted_records
    assert json.loads((out / "latest" / "manifest.json").read_text("utf-8"))["resumed"] is True


def test_a_long_pause_does_not_hold_up_a_graceful_stop(tmp_path):
    # The archive asks for an hour; Ctrl-C must not wait it out (had it waited, communicate
    # would time out long before the hour is over, on any machine).
    plan = FaultPlan(parse_spec("/document/* status=429 retry-after=3600"))
    mirror = serve_here(SITE, faults=plan)
    try:
        crawl = subprocess.Popen([sys.executable, "-m", "harvester.cli",
                                  *arguments(base_url(mirror), tmp_path / "out"), "-v",
                                  "-s", "HARVESTER_MAX_RETRY_AFTER=7200"], stderr=subprocess.PIPE,
                                 text=True)
        wait_for_documents(plan, 1)
        crawl.send_signal(signal.SIGINT)
        _, stderr = crawl.communicate(timeout=60)
        assert crawl.returncode == 130
        # The pause was taken (whether the 429 came before the signal or just after it).
        assert "'harvester/backoff/longest_pause': 3600.0" in stderr
    finally:
        stop(mirror)


def staged_rows(out: Path) -> tuple[str, int]:
    """The status of the job's unfinished run and how many documents it staged."""
    [state] = (out / "state").glob("*.sqlite")
    db = sqlite3.connect(state)
    try:
        [(run_id, status)] = db.execute(
            "SELECT run_id, status FROM runs WHERE status != 'published'").fetchall()
        return status, db.execute("SELECT count(*) FROM run_documents WHERE run_id = ?",
                                  (run_id,)).fetchone()[0]
    finally:
        db.close()


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL],
                         ids=lambda how: how.name)
@pytest.mark.parametrize("run", ["first", "later"])
def test_run_stopped_with_every_document_staged_resumes_and_publishes(
        run, how, fast_server, reference, uninterrupted_records, tmp_path):
    # The resumed attempt fetches no document: all of them were staged by the stopped one.
    out = tmp_path / "out"
    if run == "later":
        shutil.copytree(reference, out, symlinks=True)
    crawl = subprocess.Popen([sys.executable, "-c", HOLDING_HARVESTER,
                              *arguments(fast_server, out)], stderr=subprocess.PIPE, text=True)
    wait_for_line(crawl, "walk over")
    crawl.send_signal(how)
    _, stderr = crawl.communicate(timeout=60)
    if how == signal.SIGKILL:
        assert crawl.returncode == -signal.SIGKILL
    else:
        assert crawl.returncode == {signal.SIGINT: 130, signal.SIGTERM: 143}[how]
        assert stderr.strip().splitlines()[-1].startswith(
            f"harvester: stopped by {how.name}; nothing published")
    status = "running" if how == signal.SIGKILL else "interrupted"
    assert staged_rows(out) == (status, len(uninterrupted_records["documents.jsonl"]))
    assert_readers_see_only_complete_runs(out)
    done = harvest(fast_server, out)
    assert done.returncode == 0, done.stderr
    assert records(out) == uninterrupted_records
    manifest = json.loads((out / "latest" / "manifest.json").read_text("utf-8"))
    assert manifest["resumed"] is True
    assert manifest["counts"]["fetched"] == 0
    added = len(uninterrupted_records["documents.jsonl"]) if run == "first" else 0
    assert manifest["counts"]["added"] == added
