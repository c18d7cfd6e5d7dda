"""How the harvester keeps to a web archive's limits, on small fakes of the crawler (no
reactor): the `wayback` settings, pauses of every download slot on a 429 or a refused
connection, and captured answers (a replay carrying Memento-Datetime) left to the source's
selection rules instead of being retried or taken for the archive's own refusal."""

import gzip
import logging
from types import SimpleNamespace

import pytest
from scrapy import Request, signals
from scrapy.core.downloader import Slot
from scrapy.exceptions import DownloadConnectionRefusedError
from scrapy.http import HtmlResponse, Response
from scrapy.settings import Settings
from scrapy.signalmanager import SignalManager
from twisted.internet.error import ConnectionRefusedError

import harvester.middlewares.backoff as backoff_module
from harvester.capture.rows import Capture, sha1_digest
from harvester.middlewares.backoff import Backoff
from harvester.middlewares.captured import CapturedAnswersMiddleware
from harvester.middlewares.challenge import ChallengeMiddleware
from harvester.middlewares.completeness import CompletenessMiddleware
from harvester.middlewares.control import RunStopped, stop_message
from harvester.middlewares.ratelimit import RateLimitMiddleware
from harvester.middlewares.retry import BackoffRetryMiddleware
from harvester.mirror.hostile import CHALLENGE_PAGE
from harvester.settings import base
from harvester.settings.profiles import CDX_SLOT, REPLAY_SLOT, SpiderArguments, WaybackProfile
from harvester.sources.choosing import verified_payload
from harvester.sources.replay import CAPTURED_ANSWER
from harvester.spiders.wayback import configure_wayback
from tests.helpers.crawler_fakes import NOW, PAGE

WAYBACK = "https://web.archive.org"
MEMENTO = {"Memento-Datetime": "Mon, 15 Jan 2024 09:30:00 GMT"}
ORIGINAL = "https://digitalarchive.wilsoncenter.org/document/x"


# -- the `wayback` settings -------------------------------------------------------------------
def configured(wayback: str, **given) -> tuple[str, Settings, SimpleNamespace]:
    settings = Settings({name: getattr(base, name) for name in dir(base) if name.isupper()})
    settings.set("HARVESTER_WAYBACK_URL", wayback)
    settings.set("HARVESTER_CONTACT_URL", "")
    for name, (value, priority) in given.items():
        settings.set(name, value, priority=priority)
    spider = SimpleNamespace(logger=logging.getLogger("harvester.tests.wayback"))
    address = configure_wayback(spider, SimpleNamespace(settings=settings))
    # As Scrapy applies the spider's add-ons: its arguments first, then the source's profile.
    SpiderArguments(spider.argument_settings).update_settings(settings)
    WaybackProfile().update_settings(settings)
    return address, settings, spider


def test_the_wayback_machine_is_asked_one_request_at_a_time_at_its_pace(caplog):
    with caplog.at_level(logging.WARNING, "harvester.tests.wayback"):
        address, settings, spider = configured(WAYBACK + "/")
    assert (address, spider.base_url, spider.allowed_domains) == (
        WAYBACK, WAYBACK, ["web.archive.org"])
    assert settings.getdict("DOWNLOAD_SLOTS") == {
        CDX_SLOT: {"concurrency": 1, "delay": 2.5, "jitter": 0},
        REPLAY_SLOT: {"concurrency": 1, "delay": 1.0, "jitter": 0}}
    assert (settings.getint("CONCURRENT_REQUESTS"), settings.getbool("ROBOTSTXT_OBEY"),
            settings.getbool("AUTOTHROTTLE_ENABLED")) == (1, False, False)
    assert (settings.getfloat("HARVESTER_RATE_LIMIT_PAUSE"),
            settings.getfloat("HARVESTER_REFUSED_PAUSE"),
            settings.getbool("HARVESTER_PAUSE_EVERYTHING"),
            settings.getint("HARVESTER_MAX_RATE_LIMITS")) == (60.0, 60.0, True, 3)
    assert caplog.messages == [f"crawling {WAYBACK} without HARVESTER_CONTACT_URL: set it so "
                               "its operators can reach you"]


def test_the_pace_follows_the_settings():
    _, settings, _ = configured(WAYBACK, HARVESTER_CDX_PER_MINUTE=(12, "project"),
                                HARVESTER_REPLAYS_PER_SECOND=(0.5, "project"),
                                HARVESTER_WAYBACK_PAUSE=(90, "project"))
    slots = settings.getdict("DOWNLOAD_SLOTS")
    assert (slots[CDX_SLOT]["delay"], slots[REPLAY_SLOT]["delay"]) == (5.0, 2.0)
    assert (settings.getfloat("HARVESTER_RATE_LIMIT_PAUSE"),
            settings.getfloat("HARVESTER_REFUSED_PAUSE")) == (90.0, 90.0)


def test_a_stand_in_on_this_machine_gets_no_waiting(caplog):
    with caplog.at_level(logging.WARNING, "harvester.tests.wayback"):
        address, settings, spider = configured("http://127.0.0.1:8123/")
    assert (address, spider.allowed_domains) == ("http://127.0.0.1:8123", ["127.0.0.1"])
    assert settings.getdict("DOWNLOAD_SLOTS") == {
        CDX_SLOT: {"concurrency": 4, "delay": 0}, REPLAY_SLOT: {"concurrency": 8, "delay": 0}}
    assert (settings.getfloat("DOWNLOAD_DELAY"), settings.getfloat("HARVESTER_RATE_LIMIT_PAUSE"),
            settings.getfloat("HARVESTER_REFUSED_PAUSE")) == (0.0, 0.0, 0.0)
    assert caplog.messages == []


def test_settings_given_on_the_command_line_still_win():
    _, settings, _ = configured(WAYBACK, CONCURRENT_REQUESTS=(2, "cmdline"),
                                HARVESTER_RATE_LIMIT_PAUSE=(5, "cmdline"))
    assert settings.getint("CONCURRENT_REQUESTS") == 2
    assert settings.getfloat("HARVESTER_RATE_LIMIT_PAUSE") == 5.0
    assert settings.getfloat("HARVESTER_REFUSED_PAUSE") == 60.0


# -- pausing every slot -----------------------------------------------------------------------
@pytest.fixture
def wayback(crawler):  # noqa: F811
    """The fake crawler with the wayback spider's two download slots."""
    crawler.slots = {CDX_SLOT: Slot(concurrency=1, delay=2.5, jitter=0),
                     REPLAY_SLOT: Slot(concurrency=1, delay=1.0, jitter=0)}
    crawler.engine.downloader = SimpleNamespace(slots=crawler.slots,
                                                get_slot_key=lambda request: CDX_SLOT)
    crawler.settings.set("HARVESTER_RATE_LIMIT_PAUSE", 60.0)
    crawler.settings.set("HARVESTER_REFUSED_PAUSE", 60.0)
    crawler.settings.set("HARVESTER_PAUSE_EVERYTHING", True)
    return crawler


def replay_request(slot: str = REPLAY_SLOT, **meta) -> Request:
    return Request(f"{WAYBACK}/web/20240115093000id_/{ORIGINAL}",
                   meta={"download_slot": slot, "replay": True, **meta})


def cdx_request() -> Request:
    return Request(f"{WAYBACK}/cdx/search/cdx?url=x", meta={"download_slot": CDX_SLOT})


def answer(request: Request, status: int, body: bytes = b"", **headers) -> HtmlResponse:
    return HtmlResponse(request.url, status=status, body=body, request=request,
                        headers={"Content-Type": "text/html; charset=utf-8", **headers})


def held(fake) -> dict[str, float]:
    """How long each paused slot now waits (a slot never paused has not been sent from)."""
    return {key: slot.lastseen - NOW for key, slot in fake.slots.items() if slot.lastseen}


def test_hold_everything_pauses_every_slot(wayback):
    backoff = Backoff(wayback)
    backoff.hold(cdx_request(), 30.0, everything=True)
    assert held(wayback) == {CDX_SLOT: 30.0, REPLAY_SLOT: 30.0}
    assert [(delay, args) for delay, _, args in wayback.clock.calls] == [
        (30.0, (CDX_SLOT, NOW + 30.0)), (30.0, (REPLAY_SLOT, NOW + 30.0))]
    assert (wayback.slots[CDX_SLOT].delay, wayback.slots[REPLAY_SLOT].delay) == (2.5, 1.0)


@pytest.mark.parametrize(("headers", "pause"), [({}, 60.0), ({"Retry-After": "120"}, 120.0),
                                                ({"Retry-After": "5"}, 60.0)])
def test_a_429_holds_every_slot_at_least_a_minute(wayback, headers, pause):
    middleware = RateLimitMiddleware.from_crawler(wayback)
    request = cdx_request()
    again = middleware.process_response(request, answer(request, 429, **headers))
    assert (again.url, again.dont_filter, again.meta["rate_limited_times"]) == (
        request.url, True, 1)
    assert held(wayback) == {CDX_SLOT: pause, REPLAY_SLOT: pause}
    assert [(delay, args) for delay, _, args in wayback.clock.calls] == [
        (pause, (CDX_SLOT, NOW + pause)), (pause, (REPLAY_SLOT, NOW + pause))]


def test_429s_count_in_a_row_whatever_request_of_the_archive_gets_them(wayback):
    """Before, each request counted its own: three census queries let ten 429s through where
    HARVESTER_WAYBACK_MAX_RATE_LIMITS says three. Now the archive's 429s count in a row
    whatever request gets them, an answer between ends the row, and the fourth stops the run
    naming the settings that slow this source (not DOWNLOAD_DELAY, which it ignores)."""
    wayback.settings.set("HARVESTER_MAX_RATE_LIMITS", 3)
    middleware = RateLimitMiddleware.from_crawler(wayback)
    queries = [Request(f"{WAYBACK}/cdx/search/cdx?url={name}", meta={"download_slot": CDX_SLOT})
               for name in ("document", "topics", "search")]
    for query in queries:
        assert middleware.process_response(query, answer(query, 429)).meta[
            "rate_limited_times"] == middleware.streak
    assert middleware.process_response(queries[0], answer(queries[0], 200)).status == 200
    for query in queries:   # the row began again
        middleware.process_response(query, answer(query, 429))
    with pytest.raises(RunStopped):
        middleware.process_response(queries[0], answer(queries[0], 429))
    assert stop_message(wayback) == (
        "crawl stopped (rate_limited): the web archive answered 429 Too Many Requests 4 times "
        f"in a row (the last for {WAYBACK}/cdx/search/cdx?url=document); run again later, more "
        "slowly (e.g. -s HARVESTER_CDX_PER_MINUTE=12 -s HARVESTER_REPLAYS_PER_SECOND=0.5)")


def taken_aside(request: Request, response: HtmlResponse):
    """An answer as the guards receive it: a captured one read into its Answer (request meta)
    and replaced by an empty answer (harvester.middlewares.captured)."""
    return CapturedAnswersMiddleware().process_response(request, response)


def test_a_captured_answer_is_taken_aside_before_any_guard_sees_it():
    request = replay_request()
    carrier = taken_aside(request, answer(request, 503, b"<h1>busy</h1>", **MEMENTO))
    assert (type(carrier), carrier.status, carrier.body, dict(carrier.headers)) == (
        Response, 200, b"", {})
    captured = request.meta[CAPTURED_ANSWER]
    assert (captured.status, captured.body, captured.captured) == (503, b"<h1>busy</h1>", True)
    assert captured.headers["memento-datetime"] == MEMENTO["Memento-Datetime"]
    own = answer(request, 503)   # the archive's own answer (no Memento-Datetime) goes on
    assert taken_aside(replay_request(), own) is own
    census = cdx_request()  # the header alone is not enough: the request must be a replay
    kept = answer(census, 429, **MEMENTO)
    assert taken_aside(census, kept) is kept and CAPTURED_ANSWER not in census.meta


def test_a_replay_keeps_the_digest_of_its_bytes_as_they_arrived_for_its_answer():
    """A web archive's index may name a capture's payload as it was sent, content coding
    and all: the replay's digest as it arrived (before the decompression below the
    middleware removes the coding) goes with its Answer, and the capture's digest is then
    verified by it, no mismatch counted."""
    crawler = SimpleNamespace(signals=SignalManager())
    captured = CapturedAnswersMiddleware.from_crawler(crawler)
    page, request = b"<html><h1 class='title'>A page</h1></html>", replay_request()
    coded = gzip.compress(page, mtime=0)
    arrived = answer(request, 200, coded, **MEMENTO, **{"Content-Encoding": "gzip"})
    crawler.signals.send_catch_log(signals.response_downloaded, response=arrived,
                                   request=request, spider=None)
    decoded = answer(request, 200, page, **MEMENTO)   # as HttpCompressionMiddleware leaves it
    captured.process_response(request, decoded)
    taken = request.meta[CAPTURED_ANSWER]
    assert (taken.body, taken.sent_digest) == (page, sha1_digest(coded))
    counted: list = []
    ledger = SimpleNamespace(count=lambda kind, counts: counted.append((kind, counts)))
    capture = Capture(location="/web/20240115093000id_/x", key=ORIGINAL, kind="document",
                      timestamp="20240115093000", original=ORIGINAL, status=200,
                      mimetype="text/html", digest=sha1_digest(coded))
    assert (verified_payload(ledger, capture, taken), counted) == (sha1_digest(coded), [])


def test_a_captured_429_is_not_the_archive_asking_to_slow_down(wayback):
    middleware = RateLimitMiddleware.from_crawler(wayback)
    request = replay_request()
    carrier = taken_aside(request, answer(request, 429, b"<h1>Too many</h1>", **MEMENTO))
    assert middleware.process_response(request, carrier) is carrier
    assert (held(wayback), wayback.clock.calls) == ({}, [])
    assert wayback.stats.get_value("harvester/rate_limited") is None


def test_a_captured_error_does_not_pause_its_slot_as_it_arrives(wayback):
    backoff = Backoff(wayback)
    request = replay_request()
    backoff.on_answer(answer(request, 503, **MEMENTO), request, None)
    assert backoff.holds == {}
    backoff.on_answer(answer(request, 503), request, None)
    assert list(backoff.holds) == [REPLAY_SLOT]


# -- refused connections and 5xx --------------------------------------------------------------
@pytest.mark.parametrize("refused", [
    ConnectionRefusedError(),
    # How Scrapy's HTTP download handler raises a refused connection.
    DownloadConnectionRefusedError("Connection was refused by other side: 111"),
], ids=["twisted", "scrapy"])
def test_a_refused_connection_holds_every_slot_a_minute(wayback, refused):
    middleware = BackoffRetryMiddleware.from_crawler(wayback)
    again = middleware.process_exception(replay_request(), refused)
    assert again.meta["retry_times"] == 1
    assert held(wayback) == {CDX_SLOT: 60.0, REPLAY_SLOT: 60.0}


def test_without_a_refused_pause_only_the_slot_backs_off(wayback, monkeypatch):
    monkeypatch.setattr(backoff_module.random, "uniform", lambda low, high: high)
    wayback.settings.set("HARVESTER_REFUSED_PAUSE", 0.0)
    middleware = BackoffRetryMiddleware.from_crawler(wayback)
    again = middleware.process_exception(replay_request(), ConnectionRefusedError())
    assert again.meta["retry_times"] == 1
    assert held(wayback) == {REPLAY_SLOT: 2.0}


def test_a_captured_5xx_is_not_retried_and_the_archive_s_own_is(wayback, monkeypatch):
    monkeypatch.setattr(backoff_module.random, "uniform", lambda low, high: high)
    middleware = BackoffRetryMiddleware.from_crawler(wayback)
    request = replay_request()
    carrier = taken_aside(request, answer(request, 503, b"<h1>busy</h1>", **MEMENTO))
    assert middleware.process_response(request, carrier) is carrier
    assert wayback.clock.calls == []
    request = replay_request()
    again = middleware.process_response(request, answer(request, 503, b"<h1>busy</h1>"))
    assert (again.url, again.meta["retry_times"]) == (request.url, 1)
    assert held(wayback) == {REPLAY_SLOT: 2.0}


# -- challenges and cut pages -----------------------------------------------------------------
@pytest.mark.parametrize(("status", "body"), [(200, CHALLENGE_PAGE), (403, CHALLENGE_PAGE)])
def test_a_captured_challenge_goes_on_to_the_source(wayback, status, body):
    wayback.settings.set("HARVESTER_CHALLENGE_BACKOFF", 60.0)
    middleware = ChallengeMiddleware.from_crawler(wayback)
    request = replay_request()
    carrier = taken_aside(request, answer(request, status, body, **MEMENTO))
    assert middleware.process_response(request, carrier) is carrier
    assert (middleware.in_a_row, wayback.stats.get_value("harvester/challenges")) == (0, None)
    request = replay_request()
    again = middleware.process_response(request, answer(request, status, body))
    assert (again.meta["retry_times"], middleware.in_a_row) == (1, 1)
    assert held(wayback) == {REPLAY_SLOT: 60.0}


def test_a_captured_cut_page_goes_on_to_the_source(wayback):
    middleware = CompletenessMiddleware.from_crawler(wayback)
    request = replay_request()
    carrier = taken_aside(request, answer(request, 200, PAGE[:500], **MEMENTO))
    assert middleware.process_response(request, carrier) is carrier
    assert wayback.stats.get_value("harvester/cut_short") is None
    request = replay_request()
    again = middleware.process_response(request, answer(request, 200, PAGE[:500]))
    assert again.meta["retry_times"] == 1
    assert wayback.stats.get_value("harvester/cut_short") == 1
