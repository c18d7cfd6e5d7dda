"""A crawl killed (SIGKILL) at three points, or stopped by SIGINT/SIGTERM, then run again:
the same records as a crawl never interrupted, no partial line anywhere a reader looks, and
`output/latest` never naming a run that is not complete.

The points: in the middle of the crawl; after the run's files are written but before its
folder is renamed into place; after the rename but before `latest` is switched. The last two
are reached by a crawl whose `os.replace` announces itself and waits, so the kill lands
exactly there. (Interrupting a run over a previous one is in test_end_to_end.) A first or
later run stopped by any of the three signals once every document is staged, so that the
rerun fetches none, is reached by a crawl kept open after its walk that says so.
"""

import json
import os
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
from harvester.run.folder import RUN_ID, file_facts
from tests.helpers.pages import BASE, SITE, without_provenance
from tests.helpers.serving import HeldBack, serve_here, stop

# Runs the harvester with os.replace made to announce the rename named by $PAUSE_AT and wait.
PAUSING_HARVESTER = """
import os, re, sys, time
from pathlib import Path
pause_at, real_replace = os.environ["PAUSE_AT"], os.replace
RUN_FOLDER = re.compile(r"^\\.\\d{8}T\\d{6}Z(-\\d+)?\\.partial$")
def replace(source, target, *args, **kwargs):
    if RUN_FOLDER.match(Path(source).name):
        stage = "run-folder"
    elif Path(target).name == "latest":
        stage = "latest"
    else:
        stage = None
    if stage == pause_at:
        print(f"about to rename: {stage}", file=sys.stderr, flush=True)
        time.sleep(60)
    return real_replace(source, target, *args, **kwargs)
os.replace = replace
from harvester.cli import main
sys.exit(main(sys.argv[1:]))
"""


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
def server():
    mirror = serve_here(SITE)
    yield base_url(mirror)
    stop(mirror)


@pytest.fixture
def held():
    """A mirror that answers 8 documents and holds the rest until the test lets them go: a
    signal sent once one is held surely lands mid-crawl, however fast the machine."""
    plan = HeldBack("/document/*", answered=8)
    mirror = serve_here(SITE, faults=plan)
    yield base_url(mirror), plan
    stop(mirror)


def arguments(url: str, out: Path) -> list[str]:
    return ["crawl", "topic", "--base-url", url, "--out", str(out), "--public-base-url", BASE,
            "-s", "HARVESTER_PROGRESS_INTERVAL=0"]


def harvest(url: str, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "harvester.cli", *arguments(url, out)],
                          capture_output=True, text=True, timeout=120)


def records(out: Path) -> dict[str, list[dict]]:
    run = out / "latest"
    found = {}
    for name in ("documents.jsonl", "topics.jsonl", "rejects.jsonl"):
        lines = [json.loads(line) for line in (run / name).read_text("utf-8").splitlines()]
        found[name] = [without_provenance(line) for line in lines]
    return found


@pytest.fixture(scope="module")
def uninterrupted_out(bundled_topic_run) -> Path:
    """The session's crawl of the bundled mirror (read only: copy it to crawl over it)."""
    return bundled_topic_run.out


@pytest.fixture(scope="module")
def uninterrupted(uninterrupted_out) -> dict[str, list[dict]]:
    return records(uninterrupted_out)


@pytest.fixture(scope="module")
def fast_server():
    mirror = serve_in_background(SITE)
    yield base_url(mirror)
    mirror.shutdown()
    mirror.server_close()


def assert_readers_see_only_complete_runs(out: Path) -> None:
    """Every visible run folder is complete (its manifest matches its files, every line is
    whole JSON) and `latest`, if there, names one of them."""
    complete = []
    for folder in out.iterdir():
        if not RUN_ID.match(folder.name):
            continue
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        for name, facts in manifest["files"].items():
            text = (folder / name).read_text("utf-8")
            assert text == "" or text.endswith("\n"), f"partial last line in {folder.name}/{name}"
            if name.endswith(".jsonl"):
                assert len([json.loads(line) for line in text.splitlines()]) == facts["records"]
            assert file_facts(folder / name) == {k: facts[k] for k in ("bytes", "sha256")}
        complete.append(folder.name)
    latest = out / "latest"
    if latest.is_symlink():
        assert os.readlink(latest) in complete


def wait_for_documents(plan: FaultPlan, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sum(1 for hit in plan.hits if hit.target.startswith("/document/")) >= count:
            return
        time.sleep(0.01)
    raise AssertionError("the crawl fetched no documents")


def wait_for_line(process: subprocess.Popen, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if text in line:
            return
        if not line and process.poll() is not None:
            break
    raise AssertionError(f"the crawl never said {text!r}")


def kill_mid_crawl(url: str, plan: HeldBack, out: Path) -> None:
    crawl = subprocess.Popen([sys.executable, "-m", "harvester.cli", *arguments(url, out)],
                             stderr=subprocess.DEVNULL)
    plan.wait_until_held(crawl)
    crawl.kill()
    assert crawl.wait(30) == -signal.SIGKILL


def kill_before_rename(url: str, out: Path, stage: str) -> None:
    crawl = subprocess.Popen([sys.executable, "-c", PAUSING_HARVESTER, *arguments(url, out)],
                             stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PAUSE_AT": stage})
    wait_for_line(crawl, f"about to rename: {stage}")
    crawl.kill()
    assert crawl.wait(30) == -signal.SIGKILL


@pytest.mark.parametrize("point", ["mid-crawl", "run-folder", "latest"])
def test_killed_run_is_invisible_and_the_next_run_completes_it(point, server, held,
                                                               uninterrupted, tmp_path):
    url = server
    out = tmp_path / "out"
    if point == "mid-crawl":
        kill_mid_crawl(*held, out)
    else:
        kill_before_rename(url, out, point)
    assert_readers_see_only_complete_runs(out)
    assert not (out / "latest").exists()  # nothing complete was ever published here
    done = harvest(url, out)
    assert done.returncode == 0, done.stderr
    assert_readers_see_only_complete_runs(out)
    assert records(out) == uninterrupted
    assert json.loads((out / "latest" / "manifest.json").read_text("utf-8"))["resumed"] is True


@pytest.mark.parametrize("point", ["run-folder", "latest"])
def test_run_killed_while_publishing_leaves_the_last_good_run_in_place(point, server,
                                                                       uninterrupted, tmp_path):
    url = server
    out = tmp_path / "out"
    assert harvest(url, out).returncode == 0
    good = os.readlink(out / "latest")
    kill_before_rename(url, out, point)
    assert os.readlink(out / "latest") == good
    assert_readers_see_only_complete_runs(out)
    done = harvest(url, out)
    assert done.returncode == 0, done.stderr
    assert os.readlink(out / "latest") != good
    assert_readers_see_only_complete_runs(out)
    assert records(out) == uninterrupted


@pytest.mark.parametrize(("how", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_graceful_stop_then_resume_gives_the_same_records(how, code, server, held,
                                                          uninterrupted, tmp_path):
    held_url, plan = held
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
    done = harvest(server, out)
    assert done.returncode == 0, done.stderr
    assert records(out) == uninterrupted
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
        run, how, fast_server, uninterrupted_out, uninterrupted, tmp_path):
    # The resumed attempt fetches no document: all of them were staged by the stopped one.
    out = tmp_path / "out"
    if run == "later":
        shutil.copytree(uninterrupted_out, out, symlinks=True)
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
    assert staged_rows(out) == (status, len(uninterrupted["documents.jsonl"]))
    assert_readers_see_only_complete_runs(out)
    done = harvest(fast_server, out)
    assert done.returncode == 0, done.stderr
    assert records(out) == uninterrupted
    manifest = json.loads((out / "latest" / "manifest.json").read_text("utf-8"))
    assert manifest["resumed"] is True
    assert manifest["counts"]["fetched"] == 0
    added = len(uninterrupted["documents.jsonl"]) if run == "first" else 0
    assert manifest["counts"]["added"] == added
