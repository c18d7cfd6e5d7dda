"""`--limit N`: a trial run stops after N documents and is published as `<run-id>-partial`,
marked partial, without switching `latest` and without counting as a sweep."""

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from harvester.dataset.folder import RUN_ID
from tests.helpers.crawls import bundled_crawl_command, scrapy_crawl
from tests.helpers.pages import read_jsonl
from tests.helpers.serving import served_here


@pytest.fixture(scope="module")
def url():
    with served_here() as base:
        yield base


def harvest(url: str, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """A crawl of the bundled mirror; a trial one a page at a time, so which documents come
    first, and so every count, is the same on any machine."""
    if "--limit" in extra:
        extra = (*extra, "-s", "CONCURRENT_REQUESTS=1")
    result = subprocess.run(bundled_crawl_command(url, out, *extra), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def manifest(run: Path) -> dict:
    return json.loads((run / "manifest.json").read_text("utf-8"))


def statuses(out: Path) -> list[str]:
    state = next((out / "state").glob("*.sqlite"))
    with sqlite3.connect(state) as db:
        return [status for (status,) in db.execute("SELECT status FROM runs ORDER BY started")]


def test_a_trial_run_publishes_n_documents_as_partial(url, tmp_path):
    result = harvest(url, tmp_path, "--limit", "5")
    [run] = [p for p in tmp_path.iterdir() if p.name != "state"]
    run_id = run.name.removesuffix("-partial")
    assert run.name == f"{run_id}-partial" and RUN_ID.match(run_id)
    assert not (tmp_path / "latest").exists()
    found = manifest(run)
    assert (found["partial"], found["limit"], found["finish_reason"]) == (True, 5, "limit")
    assert found["arguments"]["full_sweep"] is False  # a plain run would be a sweep
    counts = found["counts"]
    assert (counts["documents"], counts["fetched"], counts["added"], counts["removed"]) == \
        (5, 5, 5, 0)
    assert len(read_jsonl(run / "documents.jsonl")) == 5
    assert statuses(tmp_path) == ["partial"]
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith(f"harvester: published {run} (partial: stopped at --limit 5; "
                           "latest not switched): 5 documents, 1 topic, ")


def test_a_whole_run_after_a_trial_publishes_everything_and_switches_latest(url, tmp_path):
    harvest(url, tmp_path, "--limit", "5")
    harvest(url, tmp_path)
    latest = (tmp_path / "latest").resolve()
    assert not latest.name.endswith("-partial")
    counts = manifest(latest)["counts"]
    # The trial's 5 documents are asked for again conditionally; one of them is linked by two
    # URLs, each asked: 6 answers "not modified". All 19 are added against what `latest` showed
    # before (nothing): the trial's additions are reported with the run's own.
    assert (counts["documents"], counts["added"], counts["fetched"], counts["not_modified"]) == \
        (19, 19, 14, 6)
    changes = read_jsonl(latest / "changes.jsonl")
    assert [(c["change"], c["fields"]) for c in changes] == [("added", [])] * 19
    assert [c["record_id"] for c in changes] == \
        [d["record_id"] for d in read_jsonl(latest / "documents.jsonl")]
    assert statuses(tmp_path) == ["partial", "published"]


def test_two_trials_then_a_whole_run_report_each_addition_once(url, tmp_path):
    harvest(url, tmp_path, "--limit", "3")
    second = manifest(harvest_run(url, tmp_path, "--limit", "5"))
    # The second trial reports against `latest` too (there is none): the first trial's 3 and
    # its own 2 new ones.
    assert (second["counts"]["added"], second["counts"]["documents"]) == (5, 5)
    harvest(url, tmp_path)
    latest = (tmp_path / "latest").resolve()
    assert manifest(latest)["counts"]["added"] == 19
    assert statuses(tmp_path) == ["partial", "partial", "published"]
    harvest(url, tmp_path)  # the trials are behind a published run now: nothing new
    assert manifest((tmp_path / "latest").resolve())["counts"]["added"] == 0


def harvest_run(url: str, out: Path, *extra: str) -> Path:
    """The run folder a crawl published, from its last line."""
    line = harvest(url, out, *extra).stderr.strip().splitlines()[-1]
    return Path(line.removeprefix("harvester: published ").split(" ")[0])


def test_a_trial_run_does_not_count_towards_the_next_full_sweep(url, tmp_path):
    every = ["-s", "HARVESTER_FULL_SWEEP_EVERY=2"]
    harvest(url, tmp_path, "--incremental", "--limit", "3", *every)
    harvest(url, tmp_path, "--incremental", *every)
    first = manifest((tmp_path / "latest").resolve())
    harvest(url, tmp_path, "--incremental", *every)
    second = manifest((tmp_path / "latest").resolve())
    # Counted, the trial would have made the first whole run the second, a sweep.
    assert (first["arguments"]["full_sweep"], second["arguments"]["full_sweep"]) == (False, True)
    assert statuses(tmp_path) == ["partial", "published", "published"]


def test_scrapy_users_set_the_limit_as_a_spider_argument(url, tmp_path):
    result = scrapy_crawl(url, tmp_path, "-a", "limit=2", "-s", "CONCURRENT_REQUESTS=1")
    assert result.returncode == 0, result.stderr
    [run] = [p for p in tmp_path.iterdir() if p.name != "state"]
    found = manifest(run)
    assert (run.name.endswith("-partial"), found["limit"], found["counts"]["documents"]) == \
        (True, 2, 2)


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_a_bad_limit_is_one_line(url, tmp_path, value):
    result = scrapy_crawl(url, tmp_path, "-a", f"limit={value}")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        f"harvester: limit must be a whole number of documents above 0, got '{value}'")


def test_a_trial_run_in_a_populated_folder_publishes_at_most_n_documents(url, tmp_path):
    harvest(url, tmp_path)
    latest = (tmp_path / "latest").resolve()
    run = harvest_run(url, tmp_path, "--limit", "10")
    found = manifest(run)
    # The state holds all 19; the trial holds the 10 it was given (asked again, unchanged).
    assert (found["counts"]["documents"], found["counts"]["not_modified"]) == (10, 10)
    published = [d["record_id"] for d in read_jsonl(run / "documents.jsonl")]
    assert len(published) == 10
    assert set(published) < {d["record_id"] for d in read_jsonl(latest / "documents.jsonl")}
    assert (tmp_path / "latest").resolve() == latest
