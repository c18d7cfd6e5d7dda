"""Incremental topic runs against the bundled mirror: cheap when nothing changed. Each starts
from a copy of the session's crawl of the mirror (its runs and state), as a second run would."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers.crawls import bundled_crawl_command
from tests.helpers.pages import read_jsonl, without_provenance
from tests.helpers.serving import served


def crawl(url: str, out: Path, *extra: str) -> dict:
    result = subprocess.run([*bundled_crawl_command(url, out), *extra], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads((out / "latest" / "manifest.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def server():
    with served() as url:
        yield url


def without_times(path: Path) -> list[dict]:
    return [without_provenance(record) for record in read_jsonl(path)]


def copy_of(shared, out: Path) -> dict:
    """A copy of a published crawl's output folder; its manifest."""
    shutil.copytree(shared.out, out, symlinks=True)
    return json.loads((out / "latest" / "manifest.json").read_text("utf-8"))


def test_incremental_run_without_changes_costs_two_list_pages_and_its_budget(
        server, bundled_topic_run, tmp_path):
    out = tmp_path / "out"
    first = copy_of(bundled_topic_run, out)
    first_run = (out / "latest").resolve()
    second = crawl(server, out, "--incremental", "-s", "HARVESTER_RECHECK_BUDGET=3")
    counts = second["counts"]
    # robots.txt, the topic page, the first list page (nothing new: stop), the page rejected
    # before (fetched again: it may have been mended), 3 re-checks
    assert counts["requests"] == 1 + 1 + 1 + 1 + 3
    assert counts["rejects"] == 1
    assert (counts["rechecks"], counts["not_modified"], counts["fetched"]) == (3, 3, 0)
    assert (counts["added"], counts["changed"], counts["removed"]) == (0, 0, 0)
    assert counts["documents"] == first["counts"]["documents"]
    second_run = (out / "latest").resolve()
    assert second_run != first_run
    assert read_jsonl(second_run / "documents.jsonl") == read_jsonl(first_run / "documents.jsonl")
    assert read_jsonl(second_run / "changes.jsonl") == []
    assert without_times(second_run / "topics.jsonl") == without_times(first_run / "topics.jsonl")


def test_full_run_after_a_full_run_refetches_conditionally(server, bundled_topic_run, tmp_path):
    copy_of(bundled_topic_run, tmp_path / "out")
    again = crawl(server, tmp_path / "out")
    counts = again["counts"]
    # every document answers 304; one is linked twice (old numeric URL and slug)
    assert (counts["not_modified"], counts["documents"], counts["fetched"]) == (20, 19, 0)
    assert (counts["added"], counts["changed"], counts["removed"]) == (0, 0, 0)
