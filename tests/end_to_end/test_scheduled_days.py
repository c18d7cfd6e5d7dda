"""Scheduled days over one output folder that used to lose records for good while exiting 0: a
document the list hid for two sweeps and then shows again unchanged, and the new documents of
a day that was refused."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers.crawls import bundled_crawl_command
from tests.helpers.pages import BASE, SITE, read_jsonl
from tests.helpers.serving import served_here

LIST_PAGE = "search@f%5B0%5D=topics%3A86466&fo%5B0%5D=86466.html"
HIDDEN = "note-conversation-wojciech-jaruzelski-kim-il-sung-pyongyang"
HIDDEN_ID = "300975"


def crawl(url: str, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(bundled_crawl_command(url, out, *extra), capture_output=True,
                          text=True, timeout=120)


def published(url: str, out: Path, *extra: str) -> dict:
    result = crawl(url, out, *extra)
    assert result.returncode == 0, result.stderr
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


@pytest.mark.parametrize("option", ["--incremental", "--full-sweep"])
def test_a_document_hidden_for_two_sweeps_then_listed_again_unchanged_is_published(
        tmp_path, option):
    mirror, out = Mirror(tmp_path / "site"), tmp_path / "out"
    with served_here(tmp_path / "site") as url:
        assert published(url, out)["counts"]["documents"] == 19
        mirror.hide()
        published(url, out)
        removed = published(url, out)
        assert (removed["counts"]["documents"], removed["counts"]["removed"]) == (18, 1)
        assert HIDDEN_ID not in record_ids(out)
        mirror.show()
        back = published(url, out, option)
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
    mirror, out = Mirror(tmp_path / "site"), tmp_path / "out"
    mirror.drop_languages()
    mirror.hide()
    with served_here(tmp_path / "site") as url:
        assert published(url, out)["counts"]["documents"] == 18
        mirror.show()
        refused = crawl(url, out, "--incremental", "-s", "HARVESTER_COVERAGE_SAMPLE=1",
                        "-s", 'HARVESTER_MIN_COVERAGE={"languages": 1.0}')
        assert refused.returncode == 1
        assert "field coverage below threshold (the site may have changed): languages 0/1 " \
               "(0%; the dataset has 100%, so at least 100%)" in refused.stderr
        assert HIDDEN_ID not in record_ids(out)
        day = published(url, out, "--incremental")
    assert (day["counts"]["documents"], day["counts"]["added"], day["counts"]["fetched"]) == (
        19, 1, 1)
    assert HIDDEN_ID in record_ids(out)
    assert changes(out) == [{"record_id": HIDDEN_ID, "change": "added", "fields": []}]


def test_a_day_with_one_new_document_without_a_summary_is_published(tmp_path):
    mirror, out = Mirror(tmp_path / "site"), tmp_path / "out"
    mirror.drop_summary()
    mirror.hide()
    with served_here(tmp_path / "site") as url:
        published(url, out)
        mirror.show()
        day = published(url, out, "--incremental")
    assert (day["counts"]["added"], day["counts"]["fetched"]) == (1, 1)
    [record] = [r for r in read_jsonl(out / "latest" / "documents.jsonl")
                if r["record_id"] == HIDDEN_ID]
    assert (record["summary"], record["url"]) == (None, f"{BASE}/document/{HIDDEN}")
