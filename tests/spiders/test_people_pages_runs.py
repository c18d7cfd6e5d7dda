"""`--people-pages`, crawled offline (tests/helpers/offline_runs.py): a topic run of a copy of
the bundled mirror with people's pages added under `people/` reads the page of each person its
documents link, once, and people.jsonl and the SQLite export carry what the pages say. A page
that answers 404 or has no name is a warning in the manifest, and the run publishes the same
documents and rejects as without the option. The next run does not ask again for a page read
(or found missing) within the re-check period; a run without the option asks for none. A run
kept with `--warc` and read back, robots.txt and the command's refusal are
tests/end_to_end/test_people_pages.py."""

import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from harvester.cli import main
from harvester.spiders.topic import TopicSpider
from tests.helpers.mirror_runs import run_mirror
from tests.helpers.pages import (
    BASE,
    read_jsonl,
    without_provenance,
)
from tests.helpers.people_site import (
    LINKED,
    MISSING,
    NAMELESS,
    filled,
    page_fields,
    people_site,
)


@dataclass
class Crawl:
    run: Path  # the run folder it published
    manifest: dict
    asked: Counter  # request path -> how often it was asked for

    def people_requests(self) -> dict[str, int]:
        return {t: n for t, n in self.asked.items() if t.startswith("/people/")}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return people_site(tmp_path_factory.mktemp("people"))


def crawl(site: Path, out: Path, people_pages: bool) -> Crawl:
    """A topic run of `site` into `out` that must publish."""
    run = run_mirror(TopicSpider, site, out, {"HARVESTER_PEOPLE_PAGES": people_pages},
                     base_url=BASE)
    manifest = run.manifest()
    paths = Counter(url.removeprefix(BASE) for url in run.asked)
    return Crawl((out / "latest").resolve(), manifest, paths)


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("with-pages")


@pytest.fixture(scope="module")
def first(site, out) -> Crawl:
    return crawl(site, out, people_pages=True)


@pytest.fixture(scope="module")
def second(first, site, out) -> Crawl:
    return crawl(site, out, people_pages=True)


@pytest.fixture(scope="module")
def without(site, tmp_path_factory) -> Crawl:
    return crawl(site, tmp_path_factory.mktemp("without"), people_pages=False)


def test_each_linked_persons_page_is_asked_for_once(first):
    assert first.people_requests() == {f"/people/{slug}": 1 for slug in LINKED}


def test_people_jsonl_holds_what_each_page_says_and_nothing_for_the_others(first):
    fields = page_fields(first.run)
    assert len(fields) == 29
    assert {k: v for k, v in fields.items() if v != (None, None)} == filled()
    assert fields["slug:kim-il-sung"] == (
        "1912-1994", "Kim Il Sung was the founding leader of the Democratic People’s Republic of "
        "Korea, which he ruled from its establishment in 1948 until his death in 1994.\n\nThe "
        "documents below, from the archives of the DPRK’s allies, record his talks with foreign "
        "leaders, diplomats and party delegations.")
    assert fields["slug:workers-party-korea"][0] is None


def test_a_page_that_fails_or_has_no_name_is_a_warning_and_the_run_publishes(first):
    assert sorted(first.manifest["warnings"]) == sorted(
        [f"person page {BASE}/people/{slug} not read: HTTP 404" for slug in MISSING]
        + [f"person page {BASE}/people/{NAMELESS} not read: no name (no h1) on the page"])
    assert first.manifest["finish_reason"] == "finished"


def test_the_option_changes_no_document_and_no_reject(first, without):
    for name in ("documents.jsonl", "rejects.jsonl", "topics.jsonl"):
        assert [without_provenance(r) for r in read_jsonl(first.run / name)] == \
            [without_provenance(r) for r in read_jsonl(without.run / name)], name


def test_without_the_option_no_persons_page_is_asked_for(without):
    assert without.people_requests() == {}
    assert set(page_fields(without.run).values()) == {(None, None)}
    assert without.manifest["warnings"] == []


def test_the_next_run_asks_only_for_a_page_it_could_not_read_and_keeps_the_rest(second):
    assert second.people_requests() == {f"/people/{NAMELESS}": 1}
    assert {k: v for k, v in page_fields(second.run).items() if v != (None, None)} == filled()
    assert second.manifest["warnings"] == [
        f"person page {BASE}/people/{NAMELESS} not read: no name (no h1) on the page"]


def test_the_sqlite_export_holds_the_life_dates_and_descriptions(first, tmp_path):
    out = tmp_path / "run.sqlite"
    assert main(["export", "sqlite", str(first.run), str(out), "--quiet"]) == 0
    db = sqlite3.connect(out)
    try:
        rows = db.execute("SELECT key, life_dates, description FROM people WHERE life_dates "
                          "IS NOT NULL OR description IS NOT NULL ORDER BY key").fetchall()
    finally:
        db.close()
    assert rows == sorted((key, *values) for key, values in filled().items())
