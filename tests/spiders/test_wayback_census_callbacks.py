"""The wayback spider's census, called one at a time on CDX answers built by hand: `start`
(one query per part of the site, or, resumed, what the interrupted attempt left), `parse_census`
(pages of rows, a resume key, an answer that is no table, the whole census and the first
choices it starts), `census_failed`, and a census the idle crawl finds unfinished."""

import logging

from harvester.fetch.choices import CHOICE
from harvester.mirror.hostile import CHALLENGE_PAGE
from harvester.mirror.wayback.cdx import BLOCKED_SITE
from harvester.spiders.wayback import WaybackSpider
from tests.helpers.pages import BASE
from tests.helpers.spider_fakes import (
    call,
    fail,
    fake_run,
    refused_answer,
    requested,
    started,
    unresolved,
)
from tests.helpers.wayback_answers import (
    blocked,
    cdx_answer,
    census_url,
    page,
    row,
)

T1, T2 = "20240115093000", "20250301120000"
TELEGRAM = f"{BASE}/document/telegram-shtykov-gromyko-and-stalin"
TELEGRAM_PAGE = page("/document/telegram-shtykov-gromyko-and-stalin")
INCOMPLETE = "census of captures incomplete: "


def queries(fake) -> dict:
    return {request.cb_kwargs["query"]: request for request in started(fake.spider)}


def census(prefix: str) -> tuple:
    return census_url(prefix), "parse_census", "census_failed", {"query": prefix}


def test_start_asks_for_a_census_of_every_part_of_the_site(wayback):
    steps = started(wayback.spider)

    assert requested(steps) == [census(p) for p in ("/document/", "/topics", "/search")]
    assert [s.meta for s in steps] == [{"download_slot": "wayback-cdx", "resume_key": None}] * 3
    assert wayback.spider.census_open == {"/document/", "/topics", "/search"}


def test_a_page_with_a_resume_key_asks_for_the_next_and_is_kept(wayback):
    asked = queries(wayback)["/document/"]

    steps = call(asked, cdx_answer(asked, [row(TELEGRAM, T1, TELEGRAM_PAGE)], "KEY%2B1"))

    assert requested(steps) == [(census_url("/document/", "KEY%2B1"), "parse_census",
                                 "census_failed", {"query": "/document/"})]
    assert steps[0].meta == {"download_slot": "wayback-cdx", "resume_key": "KEY%2B1"}
    assert wayback.spider.ledger.enumeration("/document/") == ("KEY%2B1", False)
    assert wayback.stats == {"harvester/cdx/rows": 1}
    assert wayback.run.told == []


def test_the_whole_census_starts_the_choices_of_the_pages(wayback):
    asked = queries(wayback)
    assert call(asked["/topics"], cdx_answer(asked["/topics"], [])) == []
    assert call(asked["/search"], cdx_answer(asked["/search"], [])) == []

    steps = call(asked["/document/"], cdx_answer(asked["/document/"], [
        row(TELEGRAM, T1, TELEGRAM_PAGE), row(TELEGRAM, T2, CHALLENGE_PAGE)]))

    # A request for the page at the archive's URL: the fetcher replays its captures.
    assert [(s.url, s.callback.__name__, s.errback.__name__) for s in steps] == [
        (TELEGRAM, "chosen", "choice_failed")]
    assert (steps[0].meta, steps[0].cb_kwargs) == ({CHOICE: (TELEGRAM, "document", None)}, {})
    assert (wayback.spider.census_open, wayback.spider.walk.in_flight) == (set(), 1)
    assert wayback.spider.ledger.enumeration("/document/") == (None, True)


def test_an_answer_that_is_no_table_stops_the_census_and_says_why(wayback, caplog):
    asked = queries(wayback)["/topics"]
    caplog.set_level(logging.ERROR)

    assert call(asked, cdx_answer(asked, [], body=b"<html>Temporarily Offline</html>")) == []

    reason = "the CDX answer is not JSON (Expecting value: line 1 column 1 (char 0))"
    assert wayback.run.findings.incomplete == [f"{INCOMPLETE}/topics: {reason}"]
    assert wayback.stats["harvester/incomplete"] == 1
    assert [r.getMessage() for r in caplog.records] == [
        f"census failed, the run will not be published: {asked.url}: {reason}"]


def test_queries_the_archive_refuses_alike_are_named_in_one_line(wayback):
    asked = queries(wayback)

    for query in ("/search", "/document/"):
        assert fail(asked[query], refused_answer(blocked(asked[query]))) == []
    wayback.spider.census_failed(unresolved(asked["/topics"]))

    assert wayback.run.findings.incomplete == [
        f"{INCOMPLETE}/topics: CannotResolveHostError: DNS lookup failed: no results for "
        "hostname lookup: web.archive.org.",
        f"{INCOMPLETE}/document/, /search: HTTP 403 ({BLOCKED_SITE})"]
    assert wayback.stats["harvester/incomplete"] == 3


def test_a_census_whose_answer_never_came_leaves_the_idle_run_incomplete(wayback, caplog):
    asked = queries(wayback)
    call(asked["/topics"], cdx_answer(asked["/topics"], []))
    call(asked["/document/"], cdx_answer(asked["/document/"], []))
    caplog.set_level(logging.ERROR)

    wayback.spider.idle()

    assert wayback.run.findings.incomplete == [f"{INCOMPLETE}/search: never finished"]
    assert [r.getMessage() for r in caplog.records] == [
        f"the run will not be published: {INCOMPLETE}/search: never finished"]


def test_a_census_that_failed_and_said_so_is_not_said_again_when_idle(wayback):
    asked = queries(wayback)
    call(asked["/topics"], cdx_answer(asked["/topics"], []))
    call(asked["/document/"], cdx_answer(asked["/document/"], []))
    wayback.spider.census_failed(refused_answer(blocked(asked["/search"])))

    wayback.spider.idle()

    assert wayback.run.findings.incomplete == [f"{INCOMPLETE}/search: HTTP 403 ({BLOCKED_SITE})"]


# -- a resumed run -------------------------------------------------------------------------------
def interrupted(tmp_path, answers: dict) -> None:
    """A first attempt whose census got `answers` (query -> rows, resume key), then killed."""
    fake = fake_run(WaybackSpider, tmp_path / "out")
    asked = queries(fake)
    for query, (rows, resume_key) in answers.items():
        call(asked[query], cdx_answer(asked[query], rows, resume_key))
    fake.close()  # the run is neither published nor refused: the next one resumes it


def test_a_resumed_census_goes_on_from_the_last_page_each_query_saved(tmp_path):
    interrupted(tmp_path, {"/topics": ([], None),
                           "/document/": ([row(TELEGRAM, T1, TELEGRAM_PAGE)], "KEY%2B1")})

    fake = fake_run(WaybackSpider, tmp_path / "out")
    try:
        assert fake.run.context.resumed
        assert requested(started(fake.spider)) == [
            (census_url("/document/", "KEY%2B1"), "parse_census", "census_failed",
             {"query": "/document/"}), census("/search")]
    finally:
        fake.close()


def test_a_resumed_run_whose_census_was_whole_starts_with_the_choices(tmp_path):
    interrupted(tmp_path, {"/topics": ([], None), "/search": ([], None),
                           "/document/": ([row(TELEGRAM, T1, TELEGRAM_PAGE)], None)})

    fake = fake_run(WaybackSpider, tmp_path / "out")
    try:
        [choice] = started(fake.spider)
        assert (choice.url, choice.callback.__name__) == (TELEGRAM, "chosen")
        assert fake.spider.census_open == set()
    finally:
        fake.close()
