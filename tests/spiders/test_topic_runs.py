"""The topic spider's second run over the bundled mirror, offline (tests/helpers/offline_runs.py,
answering conditional requests as the mirror's server does), from a copy of a first run's
output folder (its runs and state): cheap when nothing changed."""

import json
from pathlib import Path

from tests.helpers.offline_runs import crawl_saved, publish
from tests.helpers.pages import read_jsonl, without_provenance
from tests.helpers.spider_fakes import Fake, started


def published_again(fake: Fake) -> tuple[Path, dict, list[str]]:
    """The run crawled and published: its folder, its manifest, the URLs it asked."""
    asked: list[str] = []
    try:
        crawl_saved(fake, started(fake.spider), asked=asked, conditional=True)
        run = publish(fake)
    finally:
        fake.close()
    return run, json.loads((run / "manifest.json").read_text("utf-8")), asked


def without_times(path: Path) -> list[dict]:
    return [without_provenance(record) for record in read_jsonl(path)]


def test_incremental_run_without_changes_costs_two_list_pages_and_its_budget(
        published_topic, next_topic_run):
    first = json.loads((published_topic / "latest" / "manifest.json").read_text("utf-8"))
    first_run = (published_topic / "latest").resolve()
    second_run, second, asked = published_again(next_topic_run(
        {"HARVESTER_RECHECK_BUDGET": 3}, incremental=True))
    # The first run reached one document twice (its old numeric URL and its slug): one
    # record, the other URL its alias.
    assert first["counts"]["duplicates"] == 1
    counts = second["counts"]
    # The topic page, the first list page (nothing new: stop), the page rejected before
    # (fetched again: it may have been mended), 3 re-checks.
    assert len(asked) == 1 + 1 + 1 + 3
    assert counts["rejects"] == 1
    assert (counts["rechecks"], counts["not_modified"], counts["fetched"]) == (3, 3, 0)
    assert (counts["added"], counts["changed"], counts["removed"]) == (0, 0, 0)
    assert counts["documents"] == first["counts"]["documents"]
    assert second_run.name != first_run.name
    assert read_jsonl(second_run / "documents.jsonl") == read_jsonl(first_run / "documents.jsonl")
    assert read_jsonl(second_run / "changes.jsonl") == []
    assert without_times(second_run / "topics.jsonl") == without_times(first_run / "topics.jsonl")


def test_full_run_after_a_full_run_refetches_conditionally(next_topic_run):
    _, again, _ = published_again(next_topic_run())
    counts = again["counts"]
    # every document answers 304; one is linked twice (old numeric URL and slug)
    assert (counts["not_modified"], counts["documents"], counts["fetched"]) == (20, 19, 0)
    assert (counts["added"], counts["changed"], counts["removed"]) == (0, 0, 0)
