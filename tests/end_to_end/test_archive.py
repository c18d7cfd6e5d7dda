"""The archive spider on synthetic mirrors, as the command: exact records, incremental runs (304s
from the server), a day of changes, kill-and-resume. The runs that must fail loudly are crawled
offline in tests/spiders/test_archive_refusals.py."""

import json
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import read_jsonl, without_provenance
from tests.helpers.serving import HeldBack, served, served_here, start_server

PUBLIC = "https://digitalarchive.wilsoncenter.org"


def synth(path: Path, documents: int = 60, topics: int = 4, seed: int = 3) -> Path:
    subprocess.run([*HARVESTER, "mirror", "synth", str(path), "--documents", str(documents),
                    "--topics", str(topics), "--seed", str(seed)], check=True,
                   capture_output=True)
    return path


def command(url: str, out: Path, *extra: str) -> list[str]:
    return [*HARVESTER, "crawl", "archive", "--base-url", url, "--out", str(out),
            "--public-base-url", PUBLIC, "-s", "HARVESTER_PROGRESS_INTERVAL=0.1", *extra]


def crawl(url: str, out: Path, *extra: str) -> dict:
    result = subprocess.run(command(url, out, *extra), capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads((out / "latest" / "manifest.json").read_text("utf-8"))


def wait_for_documents(run: subprocess.Popen, at_least: int, timeout: float = 60) -> None:
    """Block until the progress line shows that many documents."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = re.search(r"documents (\d+)", run.stderr.readline())
        if match and int(match.group(1)) >= at_least:
            return
    raise AssertionError("the crawl showed no progress")


def without_times(records: list[dict]) -> list[dict]:
    return [without_provenance(r) for r in records]


@pytest.fixture(scope="module")
def mirror(tmp_path_factory):
    return synth(tmp_path_factory.mktemp("mirror") / "site")


@pytest.fixture(scope="module")
def mirror_url(mirror):
    with served(mirror) as url:
        yield url


@pytest.fixture(scope="module")
def first_run(mirror_url, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    return out, crawl(mirror_url, out)


def test_archive_crawl_yields_exactly_the_mirrors_documents_topics_and_rejects(mirror,
                                                                                 first_run):
    out, manifest = first_run
    expected = mirror / "_expected"
    assert without_times(read_jsonl(out / "latest" / "documents.jsonl")) == read_jsonl(
        expected / "documents.jsonl")
    assert read_jsonl(out / "latest" / "topics.jsonl") == read_jsonl(expected / "topics.jsonl")
    assert [(r["url"], r["field"]) for r in read_jsonl(out / "latest" / "rejects.jsonl")] == [
        (r["url"], r["field"]) for r in read_jsonl(expected / "rejects.jsonl")]
    assert manifest["listing"] == {"counter": 60, "unique_documents_listed": 60, "pages": 6,
                                   "rewalks": 0}
    assert manifest["counts"]["added"] == len(read_jsonl(expected / "documents.jsonl"))
    # Every topic page and the index were there: nothing to warn about, no topic missing.
    assert (manifest["warnings"], manifest["missing_topics"]) == ([], [])


def test_incremental_run_without_changes_reads_one_listing_page(mirror_url, first_run):
    out, first = first_run
    manifest = crawl(mirror_url, out, "--incremental", "-s", "HARVESTER_RECHECK_BUDGET=5")
    counts = manifest["counts"]
    assert manifest["listing"]["pages"] == 1
    assert (counts["rechecks"], counts["not_modified"], counts["fetched"]) == (5, 5, 0)
    assert (counts["added"], counts["changed"], counts["removed"]) == (0, 0, 0)
    # robots.txt, one listing page, the topic index (new topics), the five re-checks, and
    # pages rejected before that the listing shows again (they may have been mended)
    assert counts["requests"] == 1 + 1 + 1 + 5 + counts["rejected"]
    assert counts["documents"] == first["counts"]["documents"]
    # pages rejected before that this walk did not reach are still broken: still listed
    assert (counts["rejected"], counts["rejects"]) == (0, first["counts"]["rejects"])
    previous = out / first["run_id"] / "rejects.jsonl"
    assert read_jsonl(out / "latest" / "rejects.jsonl") == read_jsonl(previous)


def test_a_day_of_changes_is_reported_exactly(tmp_path):
    root = synth(tmp_path / "site", documents=40, topics=3, seed=5)
    process, url = start_server(root)
    out = tmp_path / "out"
    try:
        crawl(url, out)
        process.terminate()
        process.wait(10)
        subprocess.run([*HARVESTER, "mirror", "mutate", str(root), "--add", "12", "--change",
                        "5", "--remove", "3", "--seed", "9"], check=True, capture_output=True)
        process, url = start_server(root)
        incremental = crawl(url, out, "--incremental", "-s", "HARVESTER_RECHECK_BUDGET=0")
        reported = read_jsonl(out / "latest" / "changes.jsonl")
        assert incremental["counts"]["added"] == 12
        sweep = crawl(url, out, "--full-sweep")
        reported += read_jsonl(out / "latest" / "changes.jsonl")
    finally:
        process.terminate()
        process.wait(10)
    expected = read_jsonl(root / "_expected" / "changes.jsonl")
    key = lambda c: (int(c["record_id"]), c["change"])  # noqa: E731
    assert sorted(reported, key=key) == sorted(expected, key=key)
    assert sweep["counts"]["removed"] == 3
    assert without_times(read_jsonl(out / "latest" / "documents.jsonl")) == read_jsonl(
        root / "_expected" / "documents.jsonl")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_a_killed_run_resumes_to_the_same_records(mirror, first_run, tmp_path, how):
    out = tmp_path / "out"
    # 24 documents answered (at least 20 of them good), the rest held until the signal has
    # been sent: the run is surely mid-way when it comes.
    held = HeldBack("/document/*", answered=24)
    with served_here(mirror, faults=held) as url:
        # One commit per write, so what the progress line shows is surely in the state.
        run = subprocess.Popen(command(url, out, "-s", "HARVESTER_STATE_BATCH_WRITES=1"),
                               stderr=subprocess.PIPE, text=True)
        try:
            wait_for_documents(run, at_least=20)
            run.send_signal(how)
        finally:
            held.release()  # a graceful stop waits for the requests on their way
            run.communicate(timeout=60)
        assert run.returncode == (130 if how == signal.SIGINT else -signal.SIGKILL)
        assert not (out / "latest").exists()
        assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == ["state"]
        manifest = crawl(url, out, "-s", "HARVESTER_STATE_BATCH_WRITES=1")
    assert manifest["resumed"] is True
    assert manifest["counts"]["fetched"] <= 58 - 20
    first_out, _ = first_run
    for name in ("documents.jsonl", "topics.jsonl"):
        assert without_times(read_jsonl(out / "latest" / name)) == without_times(
            read_jsonl(first_out / "latest" / name))
    for line in (out / "latest" / "documents.jsonl").read_bytes().splitlines(keepends=True):
        assert line.endswith(b"\n") and json.loads(line)
