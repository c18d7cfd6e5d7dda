"""A run kept as WARC (`--warc`) reads back (`--source warc`) as the same run: the same
documents, topics, rejects and addresses. The crawl is of a synthetic mirror whose listings link
two documents by their old numeric URLs, which redirect to their slugs: redirects have empty
bodies, so in the WARC they share one payload digest, and each must still become an address of
its record, never "payload already tried". Crawled with and without `--public-base-url` (a
mirror crawled without it writes its records at the mirror's own address, and so must the WARC
read back, topics included). The crawls are the command; each is read back offline, as
`--source warc` reads it, but for the run killed among its records, which is the command too."""

import json
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.crawls import HARVESTER
from tests.helpers.offline_runs import harvest_files
from tests.helpers.pages import BASE, read_jsonl, without_provenance
from tests.helpers.serving import served

KIM = "conversations-kim-il-sung"
# The smallest synthetic mirror (with this seed) whose listings link two old numeric URLs.
DOCUMENTS, TOPICS, SEED = 200, 4, 3


@pytest.fixture(scope="module")
def mirror(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mirror") / "site"
    subprocess.run([*HARVESTER, "mirror", "synth", str(root), "--documents", str(DOCUMENTS),
                    "--topics", str(TOPICS), "--seed", str(SEED)], check=True,
                   capture_output=True)
    return root


def crawl(out: Path, *args: str) -> Path:
    result = subprocess.run([*HARVESTER, "crawl", *args, "--out", str(out),
                             "-s", "HARVESTER_PROGRESS_INTERVAL=0"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return (out / "latest").resolve()


def read_back(out: Path, live: Path, scope: list[str]) -> Path:
    """`harvester crawl SCOPE --source warc` of a run's kept WARC files, offline
    (tests/helpers/offline_runs.py): the run folder it published."""
    topics = {"topics": scope[1:]} if scope[0] == "topic" else {}
    return harvest_files(out, live / "warc", **topics).resolve()


def addresses(run: Path) -> dict[str, str]:
    """Every URL the state knows, with the record it leads to."""
    [state] = (run.parent / "state").glob("*.sqlite")
    with sqlite3.connect(state) as db:
        return dict(db.execute("SELECT url, record_id FROM urls"))


def without_capture(run: Path, name: str) -> list[dict]:
    return [without_provenance(record) for record in read_jsonl(run / name)]


@pytest.mark.parametrize(("scope", "public"), [
    (["archive"], []),
    (["topic", KIM], ["--public-base-url", BASE]),
], ids=["archive-at-the-mirrors-address", "topic-at-the-public-address"])
def test_a_run_kept_as_warc_reads_back_as_the_same_run(mirror, tmp_path, scope, public):
    with served(mirror) as url:
        live = crawl(tmp_path / "live", *scope, "--base-url", url, *public, "--warc")
    back = read_back(tmp_path / "back", live, scope)
    for name in ("documents.jsonl", "topics.jsonl"):
        assert without_capture(back, name) == without_capture(live, name), name
    rejects = [(r["url"], r["field"]) for r in read_jsonl(live / "rejects.jsonl")]
    assert [(r["url"], r["field"]) for r in read_jsonl(back / "rejects.jsonl")] == rejects
    assert addresses(back) == addresses(live)
    # Nothing was skipped but the pages that are rejects: no redirect as a repeated payload.
    skipped = json.loads((back / "manifest.json").read_text("utf-8"))["source"]["skipped"]
    assert skipped == {"not a valid page": len(rejects)}


def test_every_old_numeric_url_of_a_warc_is_an_address_of_its_record(mirror, tmp_path):
    redirects = json.loads((mirror / "_redirects.json").read_text("utf-8"))
    assert len(redirects) == 2  # the mirror this module needs
    with served(mirror) as url:
        live = crawl(tmp_path / "live", "archive", "--base-url", url, "--public-base-url", BASE,
                     "--warc")
    back = read_back(tmp_path / "back", live, ["archive"])
    known = addresses(back)
    assert {path: known[BASE + path] for path in redirects} == {
        path: path.removeprefix("/document/") for path in redirects}
    topics = [t["slug"] for t in read_jsonl(back / "topics.jsonl")]
    assert len(topics) == TOPICS and json.loads((back / "manifest.json").read_text("utf-8"))[
        "source"]["topics_without_capture"] == []


def test_a_warc_run_killed_while_reading_records_resumes_to_the_same_run(mirror, tmp_path):
    """Records are read on the WARC handler's thread and read ahead of the choices: a run
    killed among them resumes without judging a capture twice and publishes what a run never
    interrupted publishes."""
    with served(mirror) as url:
        live = crawl(tmp_path / "live", "archive", "--base-url", url, "--warc")
    files = str(live / "warc")
    whole = crawl(tmp_path / "whole", "archive", "--source", "warc", files)
    out = tmp_path / "killed"
    # Every write of the state committed at once, so the kill lands among judged captures.
    command = [*HARVESTER, "crawl", "archive", "--source", "warc", files, "--out", str(out),
               "-s", "HARVESTER_PROGRESS_INTERVAL=0", "-s", "HARVESTER_STATE_BATCH_WRITES=1"]
    running = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        judged = wait_for_judged(out / "state" / "archive@warc.sqlite", running, 40)
    finally:
        running.kill()
        running.wait(30)
    assert judged >= 40, "the run ended before it could be killed among its records"
    resumed = crawl(out, "archive", "--source", "warc", files)
    for name in ("documents.jsonl", "topics.jsonl"):
        assert without_capture(resumed, name) == without_capture(whole, name), name
    assert [(r["url"], r["field"]) for r in read_jsonl(resumed / "rejects.jsonl")] == [
        (r["url"], r["field"]) for r in read_jsonl(whole / "rejects.jsonl")]
    assert addresses(resumed) == addresses(whole)


def wait_for_judged(state: Path, running: subprocess.Popen, count: int) -> int:
    """How many captures the running crawl has judged, once it has judged `count` (or has
    ended): read from its state as it commits, however fast or slow the machine."""
    judged = 0
    while judged < count and running.poll() is None:
        if state.exists():
            try:
                with sqlite3.connect(f"file:{state}?mode=ro", uri=True) as db:
                    judged = db.execute("SELECT count(*) FROM run_tries").fetchone()[0]
            except sqlite3.OperationalError:   # not made yet, or its tables not yet
                judged = 0
        time.sleep(0.02)
    return judged
