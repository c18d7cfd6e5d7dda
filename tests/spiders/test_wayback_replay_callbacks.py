"""The wayback spider's replays, called one at a time on replays built by hand from the
bundled mirror's saved pages: `parse_capture` (a page, a challenge, a page cut short, a
captured redirect, the archive failing), `capture_failed` (too big, a timeout, the run
stopping) and the probe that tells whether the archive is up (`probe_answered`,
`probe_failed`)."""

import logging

from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest

from harvester.items import Document, Reject
from harvester.items.envelope import envelope_of
from harvester.middlewares.control import STOP_MESSAGE, RunStopped
from harvester.mirror.hostile import CHALLENGE_PAGE
from harvester.spiders.wayback import WaybackSpider
from tests.helpers.pages import BASE, expected_for, load_json
from tests.helpers.spider_fakes import (
    as_sent,
    call,
    fail,
    failure,
    fake_run,
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


def replays(fake, rows: list[list[str]]) -> list:
    """The census answered (every capture under /document/), the first replays it asks for."""
    asked = {request.cb_kwargs["query"]: request for request in started(fake.spider)}
    for query in ("/topics", "/search"):
        call(asked[query], cdx_answer(asked[query], []))
    return call(asked["/document/"], cdx_answer(asked["/document/"], rows))


def of(request: Request) -> tuple:
    """What a request asks for: (the capture's URL and time, callback, errback)."""
    capture = request.cb_kwargs.get("capture")
    target = (capture.key, capture.timestamp) if capture else request.url
    return target, request.callback.__name__, request.errback.__name__


def expected(url: str) -> dict:
    return load_json(expected_for(saved(url)))


def test_a_whole_page_replayed_becomes_its_record_with_its_capture(wayback):
    [request] = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM])])

    [document] = call(request, replay(request, PAGES[TELEGRAM], T1))

    assert isinstance(document, Document)
    assert record_of(document) == expected(TELEGRAM)
    assert document.capture == {"source": "wayback", "timestamp": "2024-01-15T09:30:00Z",
                                "url": f"{WAYBACK}/web/{T1}id_/{TELEGRAM}",
                                "digest": sha1_of(PAGES[TELEGRAM])}
    assert envelope_of(document).reached_from == [TELEGRAM]
    assert wayback.spider.walk.in_flight == 0
    assert wayback.run.told == []


def test_a_newer_challenge_is_skipped_for_the_older_page(wayback):
    [newest] = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM]),
                                 row(TELEGRAM, T2, CHALLENGE_PAGE)])
    assert of(newest) == ((TELEGRAM, T2), "parse_capture", "capture_failed")

    [older] = call(newest, replay(newest, CHALLENGE_PAGE, T2))
    assert of(older) == ((TELEGRAM, T1), "parse_capture", "capture_failed")
    [document] = call(older, replay(older, PAGES[TELEGRAM], T1))

    assert record_of(document) == expected(TELEGRAM)
    assert wayback.spider.ledger.report()["skipped"] == {"challenge page": 1}


def test_a_page_cut_short_with_nothing_older_is_a_reject(wayback):
    cut = PAGES[TELEGRAM][:30_000]
    [request] = replays(wayback, [row(TELEGRAM, T1, cut)])

    assert call(request, replay(request, cut, T1)) == [
        Reject(url=TELEGRAM, reason="no usable capture (1 truncated)", field=None)]


def test_a_captured_redirect_makes_its_url_another_address_of_the_record(wayback):
    [redirect] = replays(wayback, [row(OLD, T1, status=301, mimetype="unk"),
                                   row(CIPHERED, T1, PAGES[CIPHERED])])

    [target] = call(redirect, replay(redirect, b"", T1, status=301, location=CIPHERED))
    assert of(target) == ((CIPHERED, T1), "parse_capture", "capture_failed")
    [document] = call(target, replay(target, PAGES[CIPHERED], T1))
    assert wayback.run.told == []   # the walk waits for the record to reach the run
    wayback.crawler.signals.send_catch_log(signals.item_scraped, item=document,
                                           response=None, spider=wayback.spider)

    assert record_of(document) == expected(CIPHERED)
    assert wayback.run.told == [("alias", expected(CIPHERED)["record_id"], [OLD])]


# -- the archive failing, and the probe ---------------------------------------------------------
def test_a_replay_the_archive_fails_is_followed_by_a_probe_of_another_capture(wayback, caplog):
    first, = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM]),
                               row(CIPHERED, T1, PAGES[CIPHERED])])
    caplog.set_level(logging.WARNING)

    [probe] = call(first, archive_error(first, 503, retries=2))

    assert of(probe) == (f"{WAYBACK}/web/{T1}id_/{TELEGRAM}", "probe_answered", "probe_failed")
    assert probe.priority == 10
    assert probe.meta == {"download_slot": "wayback-replay", "replay": True,
                          "dont_redirect": True, "handle_httpstatus_all": True}
    assert (wayback.spider.walk.in_flight, wayback.spider.failed_in_a_row) == (1, 1)
    assert [r.getMessage() for r in caplog.records] == [
        f"the web archive did not replay /web/{T1}id_/{CIPHERED}: HTTP 503 after 3 attempts"]


def test_a_probe_answered_counts_the_failure_against_the_capture_and_tries_it_again_later(
        wayback):
    first, = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM]),
                               row(CIPHERED, T1, PAGES[CIPHERED])])
    [probe] = call(first, archive_error(first, 503))

    [after] = call(probe, replay(probe, PAGES[TELEGRAM], T1))

    location = first.cb_kwargs["capture"].location
    assert wayback.spider.ledger.replay_failures(location) == 1
    assert wayback.spider.failed_in_a_row == 0
    assert of(after) == ((TELEGRAM, T1), "parse_capture", "capture_failed")
    [document] = call(after, replay(after, PAGES[TELEGRAM], T1))
    [again] = handed_on_idle(wayback)   # once the record reached the run: the URL again
    assert record_of(document) == expected(TELEGRAM)
    assert of(again) == ((CIPHERED, T1), "parse_capture", "capture_failed")


def test_a_probe_that_fails_too_counts_nothing_against_the_capture(wayback):
    first, = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM]),
                               row(CIPHERED, T1, PAGES[CIPHERED])])
    [probe] = fail(first, timed_out(first))

    [after] = fail(probe, refused(probe))

    assert wayback.spider.ledger.replay_failures(first.cb_kwargs["capture"].location) == 0
    assert wayback.spider.failed_in_a_row == 2
    assert list(wayback.spider.retries) == [(CIPHERED, "document", None)]
    assert of(after) == ((TELEGRAM, T1), "parse_capture", "capture_failed")


def test_a_probe_answered_by_the_archive_failing_counts_one_more_failure(wayback):
    first, = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM]),
                               row(CIPHERED, T1, PAGES[CIPHERED])])
    [probe] = call(first, archive_error(first, 502))

    [after] = call(probe, archive_error(probe, 429))

    assert wayback.spider.failed_in_a_row == 2
    assert of(after) == ((TELEGRAM, T1), "parse_capture", "capture_failed")


def test_the_archive_failing_requests_in_a_row_stops_the_run_resumably(tmp_path):
    fake = fake_run(WaybackSpider, tmp_path / "out", {"HARVESTER_WAYBACK_MAX_FAILURES": 2})
    try:
        first, = replays(fake, [row(TELEGRAM, T1, PAGES[TELEGRAM]),
                                row(CIPHERED, T1, PAGES[CIPHERED])])
        [probe] = fail(first, refused(first))

        assert fail(probe, refused(probe)) == []

        assert fake.stats[STOP_MESSAGE] == (
            "crawl stopped (web_archive_failing): the web archive failed to answer 2 requests "
            f"in a row (last: /web/{T1}id_/{TELEGRAM}: DownloadConnectionRefusedError: "
            "Connection was refused by other side: 111: Connection refused.); run the same "
            "command again later to resume")
        assert fake.spider.ledger.replay_failures(first.cb_kwargs["capture"].location) == 0
    finally:
        fake.close()


# -- capture_failed ------------------------------------------------------------------------------
def test_a_capture_too_big_to_download_is_skipped_for_an_older_one(wayback):
    newest, = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM]),
                                row(TELEGRAM, T2, PAGES[TELEGRAM] * 20)])
    too_big = IgnoreRequest(f"Cancelling download of {newest.url}: expected response size "
                            "(1297080) larger than download max size (1048576) "
                            "(DOWNLOAD_MAXSIZE).")

    [older] = fail(newest, failure(newest, too_big))

    assert of(older) == ((TELEGRAM, T1), "parse_capture", "capture_failed")
    assert wayback.spider.ledger.report()["skipped"] == {
        "larger than the size limit (DOWNLOAD_MAXSIZE)": 1}
    assert wayback.spider.failed_in_a_row == 0


def test_a_replay_dropped_because_the_run_stops_asks_for_nothing_more(wayback):
    newest, = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM])])
    wayback.crawler.crawling = False

    assert fail(newest, failure(newest, RunStopped("the crawl is stopping"))) == []
    assert (wayback.spider.walk.in_flight, wayback.spider.unconfirmed) == (0, [])


# -- what the walk holds, and what a request carries -------------------------------------------
def test_replays_and_probes_carry_no_choice_and_come_back_the_same_from_a_disk_queue(wayback):
    first, = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM]),
                               row(CIPHERED, T1, PAGES[CIPHERED])])
    [probe] = call(first, archive_error(first, 503))

    for request in (first, probe):
        assert as_sent(stored_and_read_back(request, wayback.spider)) == as_sent(request)
    assert first.cb_kwargs == {"capture": first.cb_kwargs["capture"], "key": CIPHERED}
    assert probe.cb_kwargs == {}


def test_a_replay_whose_answer_never_comes_keeps_the_run_from_publishing_and_is_named(wayback):
    newest, = replays(wayback, [row(TELEGRAM, T1, PAGES[TELEGRAM])])

    assert handed_on_idle(wayback) == []   # dropped on the way: the crawl went idle without it

    assert wayback.spider.walk.unanswered() == [f"/web/{T1}id_/{TELEGRAM}"]
    assert wayback.run.findings.incomplete == [
        f"1 answer(s) never came: /web/{T1}id_/{TELEGRAM}"]
