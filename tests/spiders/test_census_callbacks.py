"""The `wayback-census` spider's callbacks, called one at a time on CDX answers built by hand:
`start` (one query per part of the site), `parse` (a page of rows, paging on by resume key,
an answer that is no table), `failed` (the archive refusing), and the report `closed` leaves
in the `CensusTaken` the command hands the spider."""

from collections.abc import Iterator

import pytest

from harvester.mirror.hostile import CHALLENGE_PAGE
from harvester.mirror.wayback.cdx import BLOCKED_SITE
from harvester.spiders.census import CensusSpider, CensusTaken
from tests.helpers.pages import BASE
from tests.helpers.spider_fakes import (
    call,
    fail,
    made_spider,
    refused_answer,
    requested,
    started,
    timed_out,
)
from tests.helpers.wayback_answers import (
    WAYBACK,
    blocked,
    cdx_answer,
    census_url,
    page,
    row,
)

TELEGRAM = f"{BASE}/document/telegram-shtykov-gromyko-and-stalin"
BODY = page("/document/telegram-shtykov-gromyko-and-stalin")
ROWS = [row(TELEGRAM, "20240115093000", BODY),
        row(TELEGRAM, "20250301120000", CHALLENGE_PAGE, status=403),
        row(TELEGRAM, "20250601000000", status=None),  # a revisit
        row(f"{BASE}/document/19442/download", "20240115093000", b"%PDF-1.4",
            mimetype="application/pdf")]


@pytest.fixture
def census(tmp_path) -> Iterator:
    crawler, spider = made_spider(CensusSpider, tmp_path / "out")
    yield spider


def report(spider, reason: str = "finished") -> dict:
    spider.closed(reason)
    return spider.taken.report


def queries(spider) -> dict:
    return {request.cb_kwargs["query"]: request for request in started(spider)}


def test_start_asks_for_every_part_of_the_site_on_the_cdx_slot(census):
    steps = started(census)

    assert requested(steps) == [(census_url(prefix), "parse", "failed", {"query": prefix})
                                for prefix in ("/document/", "/topics", "/search")]
    assert [s.meta for s in steps] == [{"download_slot": "wayback-cdx", "resume_key": None}] * 3
    assert [s.dont_filter for s in steps] == [True] * 3


def test_a_page_of_rows_is_counted_and_its_resume_key_asks_for_the_next(census):
    asked = queries(census)["/document/"]

    steps = call(asked, cdx_answer(asked, ROWS, resume_key="KEY+1%3D"))

    assert requested(steps) == [(census_url("/document/", "KEY+1%3D"), "parse", "failed",
                                 {"query": "/document/"})]
    assert steps[0].meta == {"download_slot": "wayback-cdx", "resume_key": "KEY+1%3D"}
    assert call(steps[0], cdx_answer(steps[0], [])) == []  # the last page

    said = report(census)
    assert {k: said[k] for k in ("cdx_requests", "rows", "document_urls", "kinds", "years",
                                 "statuses", "refused_rows", "failures")} == {
        "cdx_requests": 2, "rows": 4, "document_urls": 1,
        "kinds": {"document": 3, "topic": 0, "listing": 0, "other": 1},
        "years": {"2024": 2, "2025": 2},
        "statuses": {"200": 2, "403": 1, "revisit": 1},
        "refused_rows": {}, "failures": []}


def test_the_report_names_the_archive_the_site_and_the_window(tmp_path):
    _, spider = made_spider(CensusSpider, tmp_path / "out", captured_from="2023",
                            captured_to="202406")
    first = queries(spider)["/topics"]
    assert first.url == census_url("/topics") + "&from=2023&to=202406"

    call(first, cdx_answer(first, [row(f"{BASE}/topics/korean-war", "20240101000000")]))

    assert report(spider) == {
        "site": BASE, "wayback_url": WAYBACK, "captured_from": "2023",
        "captured_to": "202406", "cdx_requests": 1, "rows": 1, "off_site_rows": 0,
        "refused_rows": {}, "kinds": {"document": 0, "topic": 1, "listing": 0, "other": 0},
        "years": {"2024": 1}, "statuses": {"200": 1}, "document_urls": 0, "failures": []}


def test_rows_that_are_not_of_the_site_are_refused_and_too_many_fail_the_census(census):
    asked = queries(census)["/search"]
    off_site = row("https://example.org/search?page=1", "20240115093000", BODY)

    assert call(asked, cdx_answer(asked, [off_site, row(f"{BASE}/search", "20240115093000")])) \
        == []

    said = report(census)
    assert (said["off_site_rows"], said["refused_rows"]) == (1, {"not a URL of the site": 1})
    assert said["failures"] == [
        "/document/, /topics, /search: 1 of 2 rows could not be read (1 not a URL of the site), "
        "more than HARVESTER_CDX_MAX_MALFORMED 0.01 of them"]


def test_an_answer_that_is_no_table_fails_its_query(census):
    asked = queries(census)["/topics"]

    assert call(asked, cdx_answer(asked, [], body=b"<html>Service unavailable</html>")) == []

    assert report(census)["failures"] == [
        "/topics: the CDX answer is not JSON (Expecting value: line 1 column 1 (char 0))"]


def test_a_query_the_archive_refuses_says_what_the_archive_said_once_for_all(census):
    asked = queries(census)

    for query in ("/document/", "/topics"):
        assert fail(asked[query], refused_answer(blocked(asked[query]))) == []
    fail(asked["/search"], timed_out(asked["/search"]))

    assert report(census)["failures"] == [  # in the order of their reasons
        f"/search: DownloadTimeoutError: Getting {asked['/search'].url} took longer than 180.0 "
        "seconds.",
        f"/document/, /topics: HTTP 403 ({BLOCKED_SITE})"]


def test_the_census_handed_to_the_spider_is_the_one_it_fills(tmp_path):
    given = CensusTaken()
    _, spider = made_spider(CensusSpider, tmp_path / "out", taken=given)

    spider.closed("finished")

    assert given.report == spider.report()
    assert given.report["failures"] == []
    assert "harvester/census" not in spider.crawler.stats.get_stats()   # stats only observe
