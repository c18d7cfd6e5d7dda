"""The archive spider's whole runs of a synthetic mirror, offline (tests/helpers/offline_runs.py,
answering conditional requests as the mirror's server does): exact records, an incremental run
without changes, and a day of changes (uploads, edits, removals) reported exactly. A killed run
resuming is tests/end_to_end/test_archive.py; the runs that must fail loudly,
test_archive_refusals.py."""

from pathlib import Path

import pytest

from harvester.spiders.archive import ArchiveSpider
from harvester_testkit.synth import mutate, synthesize
from tests.helpers.mirror_runs import run_mirror
from tests.helpers.pages import read_jsonl, without_provenance

PUBLIC = "https://digitalarchive.wilsoncenter.org"


def crawl(site: Path, out: Path, settings: dict | None = None,
          **arguments) -> tuple[dict, list[str]]:
    """An archive crawl of `site` into `out` that must publish: its manifest, and the URLs it
    asked."""
    run = run_mirror(ArchiveSpider, site, out, settings, base_url=PUBLIC, **arguments)
    return run.manifest(), run.asked


def without_times(records: list[dict]) -> list[dict]:
    return [without_provenance(r) for r in records]


@pytest.fixture(scope="module")
def first_run(synth_archive, tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("out")
    return out, crawl(synth_archive, out)[0]


def test_archive_crawl_yields_exactly_the_mirrors_documents_topics_and_rejects(synth_archive,
                                                                                 first_run):
    out, manifest = first_run
    expected = synth_archive / "_expected"
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


def test_incremental_run_without_changes_reads_one_listing_page(synth_archive, first_run):
    out, first = first_run
    manifest, asked = crawl(synth_archive, out, {"HARVESTER_RECHECK_BUDGET": 5}, incremental=True)
    counts = manifest["counts"]
    assert manifest["listing"]["pages"] == 1
    assert (counts["rechecks"], counts["not_modified"], counts["fetched"]) == (5, 5, 0)
    assert (counts["added"], counts["changed"], counts["removed"]) == (0, 0, 0)
    # One listing page, the topic index (new topics), the five re-checks, and pages rejected
    # before that the listing shows again (they may have been mended).
    assert len(asked) == 1 + 1 + 5 + counts["rejected"]
    assert counts["documents"] == first["counts"]["documents"]
    # pages rejected before that this walk did not reach are still broken: still listed
    assert (counts["rejected"], counts["rejects"]) == (0, first["counts"]["rejects"])
    previous = out / first["run_id"] / "rejects.jsonl"
    assert read_jsonl(out / "latest" / "rejects.jsonl") == read_jsonl(previous)


def test_a_day_of_changes_is_reported_exactly(tmp_path):
    root = tmp_path / "site"
    synthesize(root, documents=40, topics=3, seed=5)
    out = tmp_path / "out"
    crawl(root, out)
    mutate(root, add=12, change=5, remove=3, seed=9)
    incremental, _ = crawl(root, out, {"HARVESTER_RECHECK_BUDGET": 0}, incremental=True)
    reported = read_jsonl(out / "latest" / "changes.jsonl")
    assert incremental["counts"]["added"] == 12
    sweep, _ = crawl(root, out, full_sweep=True)
    reported += read_jsonl(out / "latest" / "changes.jsonl")
    expected = read_jsonl(root / "_expected" / "changes.jsonl")
    key = lambda c: (int(c["record_id"]), c["change"])  # noqa: E731
    assert sorted(reported, key=key) == sorted(expected, key=key)
    assert sweep["counts"]["removed"] == 3
    assert without_times(read_jsonl(out / "latest" / "documents.jsonl")) == read_jsonl(
        root / "_expected" / "documents.jsonl")
