"""Scheduled days over one output folder that used to lose records for good while exiting 0: a
document the list hid for two sweeps and then shows again unchanged, and the new documents of
a day that was refused. Each day is a topic run of a copy of the bundled mirror, crawled
offline (tests/helpers/offline_runs.py, its pages answering 304 to their ETag as the mirror's
server does)."""

import json
import shutil
from pathlib import Path

import pytest

from harvester.spiders.topic import TopicSpider
from tests.helpers.mirror_runs import run_mirror
from tests.helpers.pages import BASE, SITE, read_jsonl

LIST_PAGE = "search@f%5B0%5D=topics%3A86466&fo%5B0%5D=86466.html"
HIDDEN = "note-conversation-wojciech-jaruzelski-kim-il-sung-pyongyang"
HIDDEN_ID = "300975"


def crawl(site: Path, out: Path, settings: dict | None = None, **arguments) -> str | None:
    """A day's topic run of `site` into `out`: why it was refused (None: published)."""
    return run_mirror(TopicSpider, site, out, settings, base_url=BASE, **arguments).failure


def published(site: Path, out: Path, settings: dict | None = None, **arguments) -> dict:
    failure = crawl(site, out, settings, **arguments)
    assert failure is None, failure
    return json.loads((out / "latest" / "manifest.json").read_text("utf-8"))


def record_ids(out: Path) -> list[str]:
    return [record["record_id"] for record in read_jsonl(out / "latest" / "documents.jsonl")]


def changes(out: Path) -> list[dict]:
    return read_jsonl(out / "latest" / "changes.jsonl")


class Mirror:
    """A copy of the bundled mirror whose topic list can leave one document out."""

    def __init__(self, root: Path) -> None:
        shutil.copytree(SITE, root)
        self.list_page = root / LIST_PAGE
        self.shown = self.list_page.read_text("utf-8")
        self.document = root / "document" / f"{HIDDEN}.html"

    def hide(self) -> None:
        self.list_page.write_text(self.shown.replace(f"/document/{HIDDEN}", "/elsewhere"),
                                  "utf-8")

    def show(self) -> None:
        self.list_page.write_text(self.shown, "utf-8")

    def drop(self, marker: str, instead: str) -> None:
        """The document's page without a part every other page has."""
        page = self.document.read_text("utf-8")
        assert marker in page
        self.document.write_text(page.replace(marker, instead), "utf-8")

    def drop_summary(self) -> None:
        """The document has no summary (documents may lack one)."""
        self.drop('class="text-block"', 'class="other-block"')

    def drop_languages(self) -> None:
        self.drop('<h3 class="sub-title">Language</h3>', '<h3 class="sub-title">Notes</h3>')


@pytest.mark.parametrize("option", ["incremental", "full_sweep"])
def test_a_document_hidden_for_two_sweeps_then_listed_again_unchanged_is_published(
        tmp_path, option):
    site, out = tmp_path / "site", tmp_path / "out"
    mirror = Mirror(site)
    assert published(site, out)["counts"]["documents"] == 19
    mirror.hide()
    published(site, out)
    removed = published(site, out)
    assert (removed["counts"]["documents"], removed["counts"]["removed"]) == (18, 1)
    assert HIDDEN_ID not in record_ids(out)
    mirror.show()
    back = published(site, out, **{option: True})
    counts = back["counts"]
    # Its page did not change: the conditional request was answered 304, and the record
    # stored is published again.
    assert (counts["documents"], counts["added"], counts["fetched"]) == (19, 1, 0)
    assert HIDDEN_ID in record_ids(out)
    assert changes(out) == [{"record_id": HIDDEN_ID, "change": "added", "fields": []}]


def test_a_refused_days_new_documents_are_in_the_next_published_run(tmp_path):
    """The day is refused after it fetched the new document (every other document names its
    language, this one none, and the day is held to that on a sample of one); the next day,
    held to the usual checks, publishes it."""
    site, out = tmp_path / "site", tmp_path / "out"
    mirror = Mirror(site)
    mirror.drop_languages()
    mirror.hide()
    assert published(site, out)["counts"]["documents"] == 18
    mirror.show()
    refused = crawl(site, out, {"HARVESTER_COVERAGE_SAMPLE": 1,
                                "HARVESTER_MIN_COVERAGE": '{"languages": 1.0}'},
                    incremental=True)
    assert refused == ("field coverage below threshold (the site may have changed): languages "
                       "0/1 (0%; the dataset has 100%, so at least 100%)")
    assert HIDDEN_ID not in record_ids(out)
    day = published(site, out, incremental=True)
    assert (day["counts"]["documents"], day["counts"]["added"], day["counts"]["fetched"]) == (
        19, 1, 1)
    assert HIDDEN_ID in record_ids(out)
    assert changes(out) == [{"record_id": HIDDEN_ID, "change": "added", "fields": []}]


def test_a_day_with_one_new_document_without_a_summary_is_published(tmp_path):
    site, out = tmp_path / "site", tmp_path / "out"
    mirror = Mirror(site)
    mirror.drop_summary()
    mirror.hide()
    published(site, out)
    mirror.show()
    day = published(site, out, incremental=True)
    assert (day["counts"]["added"], day["counts"]["fetched"]) == (1, 1)
    [record] = [r for r in read_jsonl(out / "latest" / "documents.jsonl")
                if r["record_id"] == HIDDEN_ID]
    assert (record["summary"], record["url"]) == (None, f"{BASE}/document/{HIDDEN}")
