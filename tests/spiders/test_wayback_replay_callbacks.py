"""The wayback spider's pages, each asked for at the archive's URL and answered by the download
layer's fetcher (harvester.fetch.replays) from replays built by hand from the bundled mirror's
saved pages: a page, a challenge, a page cut short, a captured redirect, the archive failing
and the probe that tells whether it is up, a capture too big, the run stopping; and what the
spider's `chosen` makes of each choice."""

import gc
import logging
import weakref

from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest

from harvester.fetch.choices import CHOICE, last_attempt
from harvester.items import Document, Reject
from harvester.items.envelope import envelope_of
from harvester.middlewares.control import STOP_MESSAGE, RunStopped
from harvester.mirror.hostile import CHALLENGE_PAGE
from harvester.spiders.wayback import WaybackSpider
from tests.helpers.pages import BASE, expected_for, load_json
from tests.helpers.spider_fakes import (
    as_sent,
    by_url,
    call,
    fake_run,
    fetch_answered,
    handed_on_idle,
    record_of,
    refused,
    saved,
    started,
    stored_and_read_back,
    timed_out,
)
from tests.helpers.warcs import sha1_of
from tests.helpers.wayback_answers import WAYBACK, archive_error, cdx_answer, page, replay, row

T1, T2 = "20240115093000", "20250301120000"
TELEGRAM = f"{BASE}/document/telegram-shtykov-gromyko-and-stalin"
CIPHERED = f"{BASE}/document/ciphered-telegram-no-405840-shtykov-feng-xi-stalin"
OLD = f"{BASE}/document/110360"  # the site redirects it to CIPHERED
PAGES = {url: page(url.removeprefix(BASE)) for url in (TELEGRAM, CIPHERED)}
REPLAY_META = {"download_slot": "wayback-replay", "replay": True, "dont_redirect": True,
               "handle_httpstatus_all": True}


def replays(fake, rows: list[list[str]]) -> list:
    """The census answered (every capture under /document/), the first pages it asks for."""
    asked = {request.cb_kwargs["query"]: request for request in started(fake.spider)}
    for query in ("/topics", "/search"):
        call(asked[query], cdx_answer(asked[query], []))
    return call(asked["/document/"], cdx_answer(asked["/document/"], rows))


def replay_of(url: str, timestamp: str) -> str:
    return f"{WAYBACK}/web/{timestamp}id_/{url}"


def choice_of(request: Request) -> tuple:
    """What a request for a page asks the fetcher: (URL, kind, context), and where its answer
    goes."""
    return request.meta[CHOICE], request.callback.__name__, request.errback.__name__


def expected(url: str) -> dict:
    return load_json(expected_for(saved(url)))


def test_a_whole_page_replayed_becomes_its_record_with_its_capture(wayback):
    [request] = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM])])
    assert choice_of(request) == ((TELEGRAM, "document", None), "chosen", "choice_failed")
    assert request.url == TELEGRAM

    done = fetch_answered(wayback, request, lambda r: replay(r, PAGES[TELEGRAM], T1))

    assert [r.url for r in done.asked] == [replay_of(TELEGRAM, T1)]
    assert REPLAY_META.items() <= done.asked[0].meta.items()   # and what its answer added
    [document] = done.given
    assert isinstance(document, Document)
    assert record_of(document) == expected(TELEGRAM)
    assert document.capture == {"source": "wayback", "timestamp": "2024-01-15T09:30:00Z",
                                "url": f"{WAYBACK}/web/{T1}id_/{TELEGRAM}",
                                "digest": sha1_of(PAGES[TELEGRAM])}
    assert envelope_of(document).reached_from == [TELEGRAM]
    assert wayback.spider.walk.in_flight == 0
    assert wayback.run.told == []


def test_a_newer_challenge_is_skipped_for_the_older_page(wayback):
    [request] = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM]),
                                  row(TELEGRAM, T2, CHALLENGE_PAGE)])

    done = fetch_answered(wayback, request, by_url({
        replay_of(TELEGRAM, T2): lambda r: replay(r, CHALLENGE_PAGE, T2),
        replay_of(TELEGRAM, T1): lambda r: replay(r, PAGES[TELEGRAM], T1)}))

    assert [r.url for r in done.asked] == [replay_of(TELEGRAM, T2), replay_of(TELEGRAM, T1)]
    [document] = done.given
    assert record_of(document) == expected(TELEGRAM)
    assert wayback.spider.ledger.report()["skipped"] == {"challenge page": 1}


def test_a_page_cut_short_with_nothing_older_is_a_reject(wayback):
    cut = PAGES[TELEGRAM][:30_000]
    [request] = replays(wayback, [row(TELEGRAM, T1, cut)])

    assert fetch_answered(wayback, request, lambda r: replay(r, cut, T1)).given == [
        Reject(url=TELEGRAM, reason="no usable capture (1 truncated)", field=None)]


def test_a_captured_redirect_makes_its_url_another_address_of_the_record(wayback):
    [redirect] = replays(wayback, [row(OLD, T1, status=301, mimetype="unk"),
                                   row(CIPHERED, T1, PAGES[CIPHERED])])

    [target] = fetch_answered(wayback, redirect, lambda r: replay(
        r, b"", T1, status=301, location=CIPHERED)).given
    assert choice_of(target) == ((CIPHERED, "document", None), "chosen", "choice_failed")
    [document] = fetch_answered(wayback, target,
                                lambda r: replay(r, PAGES[CIPHERED], T1)).given
    assert wayback.run.told == []   # the walk waits for the record to reach the run
    wayback.crawler.signals.send_catch_log(signals.item_scraped, item=document,
                                           response=None, spider=wayback.spider)

    assert record_of(document) == expected(CIPHERED)
    assert wayback.run.told == [("alias", expected(CIPHERED)["record_id"], [OLD])]


# -- the archive failing, and the probe ---------------------------------------------------------
def test_a_replay_the_archive_fails_is_followed_by_a_probe_and_its_url_chosen_again_later(
        wayback, caplog):
    first, = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM]),
                               row(CIPHERED, T1, PAGES[CIPHERED])])
    caplog.set_level(logging.WARNING)

    done = fetch_answered(wayback, first, by_url({
        replay_of(CIPHERED, T1): lambda r: archive_error(r, 503, retries=2),
        # The probe: another page's capture the census lists.
        replay_of(TELEGRAM, T1): lambda r: replay(r, PAGES[TELEGRAM], T1)}))

    assert [(r.url, r.meta["download_slot"]) for r in done.asked] == [
        (replay_of(CIPHERED, T1), "wayback-replay"), (replay_of(TELEGRAM, T1), "wayback-replay")]
    assert REPLAY_META.items() <= done.asked[1].meta.items()
    assert [r.getMessage() for r in caplog.records] == [
        f"the web archive did not replay /web/{T1}id_/{CIPHERED}: HTTP 503 after 3 attempts"]
    # The archive answered the probe: the failure was the capture's.
    assert wayback.spider.ledger.replay_failures(f"/web/{T1}id_/{CIPHERED}") == 1
    assert wayback.spider.capture_fetch.failed_in_a_row == 0
    assert list(wayback.spider.retries) == [(CIPHERED, "document", None)]
    [after] = done.given
    assert choice_of(after)[0] == (TELEGRAM, "document", None)
    [document] = fetch_answered(wayback, after, lambda r: replay(r, PAGES[TELEGRAM], T1)).given
    [again] = handed_on_idle(wayback)   # once the record reached the run: the URL again
    assert record_of(document) == expected(TELEGRAM)
    assert choice_of(again)[0] == (CIPHERED, "document", None)


def test_a_probe_that_fails_too_counts_nothing_against_the_capture(wayback):
    first, = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM]),
                               row(CIPHERED, T1, PAGES[CIPHERED])])

    done = fetch_answered(wayback, first, by_url({
        replay_of(CIPHERED, T1): lambda r: timed_out(r).value,
        replay_of(TELEGRAM, T1): lambda r: refused(r).value}))

    assert [r.url for r in done.asked] == [replay_of(CIPHERED, T1), replay_of(TELEGRAM, T1)]
    assert wayback.spider.ledger.replay_failures(f"/web/{T1}id_/{CIPHERED}") == 0
    assert wayback.spider.capture_fetch.failed_in_a_row == 2
    assert list(wayback.spider.retries) == [(CIPHERED, "document", None)]
    [after] = done.given
    assert choice_of(after)[0] == (TELEGRAM, "document", None)


def test_a_probe_answered_by_the_archive_failing_counts_one_more_failure(wayback):
    first, = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM]),
                               row(CIPHERED, T1, PAGES[CIPHERED])])

    done = fetch_answered(wayback, first, by_url({
        replay_of(CIPHERED, T1): lambda r: archive_error(r, 502),
        replay_of(TELEGRAM, T1): lambda r: archive_error(r, 429)}))

    assert wayback.spider.capture_fetch.failed_in_a_row == 2
    [after] = done.given
    assert choice_of(after)[0] == (TELEGRAM, "document", None)


def test_the_archive_failing_requests_in_a_row_stops_the_run_resumably(tmp_path):
    fake = fake_run(WaybackSpider, tmp_path / "out", {"HARVESTER_WAYBACK_MAX_FAILURES": 2})
    try:
        first, = replays(fake, [row(TELEGRAM, T1, PAGES[TELEGRAM]),
                                row(CIPHERED, T1, PAGES[CIPHERED])])

        done = fetch_answered(fake, first, lambda r: refused(r).value)

        assert [r.url for r in done.asked] == [replay_of(CIPHERED, T1),
                                                replay_of(TELEGRAM, T1)]
        assert done.given == []
        assert fake.stats[STOP_MESSAGE] == (
            "crawl stopped (web_archive_failing): the web archive failed to answer 2 requests "
            f"in a row (last: /web/{T1}id_/{TELEGRAM}: DownloadConnectionRefusedError: "
            "Connection was refused by other side: 111: Connection refused.); run the same "
            "command again later to resume")
        assert fake.spider.ledger.replay_failures(f"/web/{T1}id_/{CIPHERED}") == 0
    finally:
        fake.close()


def test_a_failure_after_retries_names_the_attempts_the_last_one_made(wayback, caplog):
    [request] = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM])])
    caplog.set_level(logging.WARNING)

    def retried_then_refused(replay_request: Request) -> Exception:
        # What the download layer's retries leave: the last attempt, a copy of the request.
        again = replay_request.copy()
        again.meta["retry_times"] = 3
        last_attempt(again)   # as it reaches the downloader
        return refused(again).value

    fetch_answered(wayback, request, retried_then_refused)

    assert [r.getMessage() for r in caplog.records] == [
        f"the web archive did not replay /web/{T1}id_/{TELEGRAM}: "
        "DownloadConnectionRefusedError: Connection was refused by other side: 111: "
        "Connection refused after 4 attempts"]


# -- too big, too long, stopping ----------------------------------------------------------------
def test_a_capture_too_big_to_download_is_skipped_for_an_older_one(wayback):
    newest, = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM]),
                                row(TELEGRAM, T2, PAGES[TELEGRAM] * 20)])
    too_big = IgnoreRequest(f"Cancelling download of {replay_of(TELEGRAM, T2)}: expected "
                            "response size (1297080) larger than download max size (1048576) "
                            "(DOWNLOAD_MAXSIZE).")

    done = fetch_answered(wayback, newest, by_url({
        replay_of(TELEGRAM, T2): lambda r: too_big,
        replay_of(TELEGRAM, T1): lambda r: replay(r, PAGES[TELEGRAM], T1)}))

    assert [r.url for r in done.asked] == [replay_of(TELEGRAM, T2), replay_of(TELEGRAM, T1)]
    [document] = done.given
    assert record_of(document) == expected(TELEGRAM)
    assert wayback.spider.ledger.report()["skipped"] == {
        "larger than the size limit (DOWNLOAD_MAXSIZE)": 1}
    assert wayback.spider.capture_fetch.failed_in_a_row == 0


def test_a_replay_url_over_the_length_limit_is_skipped_without_a_request(tmp_path):
    fake = fake_run(WaybackSpider, tmp_path / "out", {"URLLENGTH_LIMIT": 100})
    try:
        [request] = replays(fake, [row(TELEGRAM, T1, PAGES[TELEGRAM])])

        done = fetch_answered(fake, request, lambda r: replay(r, PAGES[TELEGRAM], T1))

        length = len(replay_of(TELEGRAM, T1))
        assert length == 130
        assert (done.asked, done.given) == ([], [Reject(
            url=TELEGRAM, reason="no usable capture (1 URL too long to request (over "
            "URLLENGTH_LIMIT)); the newest fetched: replay URL of 130 characters, over "
            "URLLENGTH_LIMIT 100", field=None)])
    finally:
        fake.close()


def test_a_replay_dropped_because_the_run_stops_asks_for_nothing_more(wayback):
    newest, = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM])])
    wayback.crawler.crawling = False

    done = fetch_answered(wayback, newest, lambda r: RunStopped("the crawl is stopping"))

    assert done.given == []
    assert (wayback.spider.walk.in_flight, wayback.spider.capture_fetch.unconfirmed) == (0, [])
    assert list(wayback.spider.retries) == []


# -- what the walk holds, and what a request carries -------------------------------------------
def test_a_request_for_a_page_names_only_its_choice_and_comes_back_the_same_from_a_disk_queue(
        wayback):
    [request] = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM])])

    assert as_sent(stored_and_read_back(request, wayback.spider)) == as_sent(request)
    assert (request.cb_kwargs, request.meta) == ({}, {CHOICE: (TELEGRAM, "document", None)})


def test_a_page_whose_answer_never_comes_keeps_the_run_from_publishing_and_is_named(wayback):
    replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM])])

    assert handed_on_idle(wayback) == []   # dropped on the way: the crawl went idle without it

    assert list(wayback.spider.walk.choices) == [TELEGRAM]
    assert wayback.run.findings.incomplete == [f"1 answer(s) never came: {TELEGRAM}"]


def test_a_replay_the_fetcher_asked_for_is_freed_with_its_answer_once_the_page_is_chosen(
        wayback):
    """By reference counting alone: a request holding itself (through its meta) would keep
    the page its answer left there until a collection, which comes after so many objects, not
    so many bytes."""
    [request] = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM])])
    gc.collect()
    gc.disable()
    try:
        done = fetch_answered(wayback, request, lambda r: replay(r, PAGES[TELEGRAM], T1))
        asked = [weakref.ref(replayed) for replayed in done.asked]
        del done
        assert [ref() for ref in asked] == [None]
    finally:
        gc.enable()
