"""How the middlewares pace the crawl when the archive pushes back, on small fakes of the crawler
(no reactor): Retry-After, back-off pauses that never sleep, retries of 5xx, 429 and bot
challenges, and when each stops the run. What they decide about one answer's content is in
test_faults_answers; the end-to-end behaviour is in end_to_end/test_faults_end_to_end."""

import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import scrapy.core.downloader as downloader_module
from scrapy.core.downloader import Downloader
from scrapy.utils.asyncio import CallLaterResult
from twisted.internet import task

import harvester.middlewares.backoff as backoff_module
from harvester.middlewares.backoff import PAUSED_DELAY, Backoff
from harvester.middlewares.challenge import ChallengeMiddleware
from harvester.middlewares.control import Refused, RunStopped, stop_message
from harvester.middlewares.ratelimit import RateLimitMiddleware, retry_after
from harvester.middlewares.retry import BackoffRetryMiddleware
from harvester.mirror.hostile import CHALLENGE_PAGE
from tests.helpers.crawler_fakes import MIRROR_URL as BASE
from tests.helpers.crawler_fakes import NOW, html, request
from tests.helpers.pages import document_pages
from tests.helpers.real_shaped import with_snippet


# -- Retry-After ------------------------------------------------------------------------------
def test_retry_after_in_seconds_or_as_an_http_date():
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert retry_after({b"Retry-After": b"120"}) == 120.0
    assert retry_after({"Retry-After": " 3 "}) == 3.0
    date = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert retry_after({b"Retry-After": date.encode()}, now=now) == 90.0
    past = format_datetime(now - timedelta(seconds=90), usegmt=True)
    assert retry_after({b"Retry-After": past.encode()}, now=now) == 0.0
    assert retry_after({b"Retry-After": b"soon"}) is None
    assert retry_after({}) is None


# -- back-off ---------------------------------------------------------------------------------
def test_backoff_doubles_with_equal_jitter_up_to_the_cap(crawler, monkeypatch):
    backoff = Backoff(crawler)
    monkeypatch.setattr(backoff_module.random, "uniform", lambda low, high: high)
    assert [backoff.delay(n) for n in (1, 2, 3, 4, 7, 8)] == [2, 4, 8, 16, 120, 120]
    monkeypatch.setattr(backoff_module.random, "uniform", lambda low, high: low)
    assert [backoff.delay(n) for n in (1, 2, 3, 4, 7, 8)] == [1, 2, 4, 8, 60, 60]


def wait_of(slot, shortest: bool = True) -> float:
    """How long Scrapy's downloader would now wait before the slot's next request."""
    factor = 1 - slot.jitter if shortest else 1 + slot.jitter
    return slot.delay * factor - NOW + slot.lastseen if slot.delay else 0.0


def test_hold_moves_the_slot_clock_without_sleeping_and_lets_go(crawler):
    backoff, slot = Backoff(crawler), crawler.slot
    backoff.hold(request(), 3.0)
    assert (slot.delay, slot.lastseen) == (PAUSED_DELAY, NOW + 3.0)
    assert 3.0 <= wait_of(slot) <= wait_of(slot, shortest=False) < 3.01
    assert crawler.clock.calls == [(3.0, backoff.release, ("127.0.0.1", NOW + 3.0))]
    backoff.hold(request(), 1.0)  # a shorter pause inside a longer one changes nothing
    assert (slot.lastseen, len(crawler.clock.calls)) == (NOW + 3.0, 1)
    slot.delay = 0.0  # AutoThrottle taking the delay away on a fast answer
    backoff.on_answer(html(), request(), None)
    assert slot.delay == PAUSED_DELAY
    backoff.release("127.0.0.1", NOW + 3.0)
    assert (slot.delay, backoff.holds) == (0.0, {})
    assert crawler.stats.get_value("harvester/backoff/longest_pause") == 3.0


def test_a_slot_with_a_delay_keeps_it_and_waits_the_pause_first(crawler):
    slot = crawler.slot
    slot.delay = 2.0
    Backoff(crawler).hold(request(), 4.0)
    assert slot.delay == 2.0 and wait_of(slot) == 4.0 + 2.0 * 0.5


def test_an_answer_to_retry_pauses_the_slot_before_the_next_request_leaves(crawler):
    backoff = Backoff(crawler)
    backoff.on_answer(html(200), request(), None)
    assert (wait_of(crawler.slot), backoff.holds) == (0.0, {})
    backoff.on_answer(html(429), request(), None)
    assert wait_of(crawler.slot) >= 1.0  # half the first back-off, until the middleware decides
    backoff.hold(request(), 30.0)
    assert wait_of(crawler.slot) >= 30.0


def test_the_reactor_keeps_running_during_a_pause(crawler, monkeypatch):
    """Scrapy's own download queue and the back-off on one fake reactor clock: a 429 asking for
    3 s holds the slot's next request exactly that long (plus the tiny delay a paused slot is
    given), while the reactor's other timers keep to time and nothing sleeps."""
    clock = task.Clock()

    def call_later(delay, function, *args):
        return CallLaterResult.from_twisted(clock.callLater(delay, function, *args))

    def no_sleeping(seconds):
        raise AssertionError(f"slept {seconds} s")

    for module in (downloader_module, backoff_module):
        monkeypatch.setattr(module, "monotonic", clock.seconds)
        monkeypatch.setattr(module, "call_later", call_later)
    monkeypatch.setattr(time, "sleep", no_sleeping)
    slot = crawler.slot
    slot.concurrency, slot.jitter = 1, 0.0
    downloader = Downloader.__new__(Downloader)  # the queue only: no handlers, no network
    downloader.slots = crawler.engine.downloader.slots
    crawler.engine.downloader = downloader
    sent = []

    def download(slot, request, waiting):  # the transfer starts; the test ends it
        slot.transferring.add(request)
        sent.append((clock.seconds(), request.url))

    downloader._wait_for_download = download
    monkeypatch.setattr(downloader_module, "_schedule_coro", lambda started: None)
    ticks = []
    progress = task.LoopingCall(lambda: ticks.append(clock.seconds()))
    progress.clock = clock
    progress.start(0.25, now=False)

    first, other = request("/document/a"), request("/document/b")
    for queued in (first, other):
        slot.queue.append((queued, None))
        downloader._process_queue(slot)
    assert sent == [(0.0, first.url)]  # one at a time: the other waits for a free transfer
    answer = html(429, headers={"Retry-After": "3"}, req=first)
    backoff = Backoff.of(crawler)
    backoff.on_answer(answer, first, None)  # as Scrapy's downloader signals the answer
    slot.transferring.remove(first)
    downloader._process_queue(slot)
    again = RateLimitMiddleware.from_crawler(crawler).process_response(first, answer)
    slot.queue.append((again, None))
    downloader._process_queue(slot)
    clock.pump([0.25] * 12)
    assert (clock.seconds(), sent) == (3.0, [(0.0, first.url)])
    assert ticks == [0.25 * n for n in range(1, 13)]  # every tick on time through the pause
    clock.advance(PAUSED_DELAY)
    assert sent == [(0.0, first.url), (3.0 + PAUSED_DELAY, other.url)]
    assert (slot.delay, backoff.holds) == (0.0, {})  # the pause is over: no delay left behind
    progress.stop()


# -- retries of 5xx ---------------------------------------------------------------------------
def test_5xx_is_retried_after_a_pause_then_handed_on(crawler, monkeypatch):
    monkeypatch.setattr(backoff_module.random, "uniform", lambda low, high: high)
    middleware = BackoffRetryMiddleware.from_crawler(crawler)
    current, pauses = request(), []
    for attempt in (1, 2, 3):
        again = middleware.process_response(current, html(503, req=current))
        assert again.meta["retry_times"] == attempt
        pauses.append(crawler.slot.lastseen - NOW)
        middleware.backoff.release("127.0.0.1", crawler.slot.lastseen)
        current = again
    assert pauses == [2.0, 4.0, 8.0]
    last = html(503, req=current)
    assert middleware.process_response(current, last) is last  # the spider makes it a reject


def test_5xx_with_retry_after_waits_at_least_that_long(crawler):
    middleware = BackoffRetryMiddleware.from_crawler(crawler)
    middleware.process_response(request(), html(503, headers={"Retry-After": "45"}))
    assert wait_of(crawler.slot) >= 45.0


# -- 429 --------------------------------------------------------------------------------------
def test_429_pauses_for_retry_after_without_using_up_retries(crawler):
    middleware = RateLimitMiddleware.from_crawler(crawler)
    again = middleware.process_response(request(), html(429, headers={"Retry-After": "30"}))
    assert (again.url, again.meta["rate_limited_times"], again.meta.get("retry_times")) == (
        BASE + "/document/a", 1, None)
    assert wait_of(crawler.slot) >= 30.0


def test_retry_after_past_the_cap_stops_the_run(crawler):
    middleware = RateLimitMiddleware.from_crawler(crawler)
    with pytest.raises(RunStopped):
        middleware.process_response(request(), html(429, headers={"Retry-After": "3600"}))
    assert stop_message(crawler) == (
        "crawl stopped (rate_limited): the archive asked to wait 3600 s (Retry-After) before "
        f"fetching {BASE}/document/a, longer than HARVESTER_MAX_RETRY_AFTER=600 s; run again "
        "later, or raise that limit with -s HARVESTER_MAX_RETRY_AFTER=SECONDS")


def test_429_again_and_again_stops_the_run(crawler):
    middleware = RateLimitMiddleware.from_crawler(crawler)
    current = request()
    for _ in range(5):
        current = middleware.process_response(current, html(429, req=current))
    with pytest.raises(RunStopped):
        middleware.process_response(current, html(429, req=current))
    assert stop_message(crawler).startswith(
        "crawl stopped (rate_limited): the archive answered 429 Too Many Requests 6 times")


# -- challenges -------------------------------------------------------------------------------
def test_real_pages_in_a_row_never_stop_the_crawl(crawler):
    """Every real page carries Cloudflare's detections script (shared/real-world/pages/): three
    in a row stopped a live crawl while a script of the challenge platform counted as a
    challenge. The shapes told apart are tested in tests/pages/test_challenge.py."""
    middleware = ChallengeMiddleware.from_crawler(crawler)
    for page in document_pages()[:5]:
        answer = html(body=with_snippet(page.read_bytes(), "before-body-end"))
        assert middleware.process_response(answer.request, answer) is answer
    assert crawler.stats.get_value("harvester/challenges") is None


def test_challenges_are_retried_after_a_pause_and_in_a_row_they_stop_the_run(crawler):
    crawler.settings.set("HARVESTER_CHALLENGE_BACKOFF", 60.0)
    middleware = ChallengeMiddleware.from_crawler(crawler)
    challenge = {"cf-mitigated": "challenge"}
    first = middleware.process_response(request(), html(403, CHALLENGE_PAGE, challenge))
    assert first.meta["retry_times"] == 1 and wait_of(crawler.slot) >= 60.0
    page = html(req=first)
    assert middleware.process_response(first, page) is page  # a real page: the count restarts
    for _ in range(2):
        middleware.process_response(request(), html(200, CHALLENGE_PAGE))
    with pytest.raises(RunStopped):
        middleware.process_response(request(), html(200, CHALLENGE_PAGE))
    assert crawler.stats.get_value("harvester/challenges") == 4
    assert stop_message(crawler) == (
        "crawl stopped (challenge): the archive answered 3 requests in a row with a bot "
        "challenge (window._cf_chl_opt) instead of pages: it is refusing automated clients. "
        "Nothing from those answers was kept. Wait and run again more slowly "
        "(e.g. -s DOWNLOAD_DELAY=10), ask the archive to let the harvester in (set "
        "HARVESTER_CONTACT_URL so they can reach you), or crawl a saved mirror with --base-url")


def test_a_page_challenged_on_every_attempt_becomes_a_reject(crawler):
    crawler.settings.set("HARVESTER_CHALLENGE_LIMIT", 100)
    middleware = ChallengeMiddleware.from_crawler(crawler)
    current = request()
    for _ in range(3):
        current = middleware.process_response(current, html(403, CHALLENGE_PAGE, req=current))
    with pytest.raises(Refused) as refused:
        middleware.process_response(current, html(403, CHALLENGE_PAGE, req=current))
    assert str(refused.value) == "bot challenge instead of the page (window._cf_chl_opt)"


def test_a_challenged_robots_txt_goes_on_to_the_robots_middleware(crawler):
    middleware = ChallengeMiddleware.from_crawler(crawler)
    robots = request("/robots.txt", dont_obey_robotstxt=True)
    response = html(403, CHALLENGE_PAGE, {"cf-mitigated": "challenge"}, req=robots)
    assert middleware.process_response(robots, response) is response
    assert robots.meta["dont_retry"] is True
