"""Pausing a download slot, so a retry is never sent hot and the reactor never sleeps.

Scrapy's downloader sends a slot's next request only once the slot's delay has passed since
its last one, waiting with a timer. A pause moves that "last one" into the future by the
pause's length (and gives a slot without a delay a tiny one, so it is checked at all): the
slot's next request then leaves when the pause is over, and no sooner, while every other part
of the crawl keeps running; the slot's own delay, and AutoThrottle's, are left as they were.
"""

import logging
import random
import weakref
from dataclasses import dataclass
from time import monotonic

from scrapy import signals
from scrapy.downloadermiddlewares.retry import get_retry_request, retry_logger
from scrapy.utils.asyncio import call_later
from twisted.internet import task

from harvester.middlewares.control import drain, is_stopping
from harvester.sources.replay import is_replayed_capture

# Attempts at robots.txt, given up on or not, are not logged: a robots.txt that cannot be had
# stops the run, which says why in its own line (harvester.middlewares.robots).
QUIET = logging.getLogger(f"{__name__}.robots")
QUIET.setLevel(logging.CRITICAL)

_BY_CRAWLER: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
# The delay a slot without one gets while paused: the downloader only checks the clock of a
# slot that has a delay.
PAUSED_DELAY = 0.001


@dataclass
class Hold:
    until: float
    base_delay: float


class Backoff:
    """One per crawler, shared by the middlewares that need to wait."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.base = crawler.settings.getfloat("HARVESTER_BACKOFF_BASE")
        self.cap = crawler.settings.getfloat("HARVESTER_BACKOFF_MAX")
        self.holds: dict[str, Hold] = {}
        self.watch: task.LoopingCall | None = None
        self.troubled = {429, *(int(c) for c in crawler.settings.getlist("RETRY_HTTP_CODES"))}
        # Runs as an answer arrives, before the downloader sends the slot's next request (and
        # after AutoThrottle, which may lower a slot's delay when a fast answer comes in).
        crawler.signals.connect(self.on_answer, signal=signals.response_downloaded)

    @classmethod
    def of(cls, crawler) -> "Backoff":
        if crawler not in _BY_CRAWLER:
            _BY_CRAWLER[crawler] = cls(crawler)
        return _BY_CRAWLER[crawler]

    def delay(self, attempt: int) -> float:
        """Exponential back-off with equal jitter: half of base·2^(attempt-1) fixed, half
        random, never above the cap, so clients that failed together do not return together."""
        ceiling = min(self.cap, self.base * 2 ** max(0, attempt - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def retry(self, request, reason: str, at_least: float = 0.0, everything: bool = False):
        """A copy of `request` to send again after a back-off of at least `at_least` seconds
        (counted in `retry_times`, bounded by RETRY_TIMES), or None when attempts are used up."""
        # robots.txt given up on stops the run, which says why on its own line.
        quiet = QUIET if request.meta.get("dont_obey_robotstxt") else retry_logger
        again = get_retry_request(request, spider=self.crawler.spider, reason=reason,
                                  logger=quiet)
        if again is not None:
            self.hold(request, max(at_least, self.delay(again.meta["retry_times"])), everything)
        return again

    def hold(self, request, seconds: float, everything: bool = False) -> None:
        """Send nothing more from the slot of `request` (from every slot, when `everything`)
        for at least `seconds`."""
        downloader = self.crawler.engine.downloader
        key = request.meta.get("download_slot") or downloader.get_slot_key(request)
        keys = list(downloader.slots) if everything else [key]
        for other in keys:
            self._hold_slot(other, seconds)

    def _hold_slot(self, key: str, seconds: float) -> None:
        slot = self.crawler.engine.downloader.slots.get(key)
        if slot is None or seconds <= 0:
            return
        now = monotonic()
        current = self.holds.get(key)
        if current is not None and current.until >= now + seconds:
            return
        base = current.base_delay if current is not None else slot.delay
        self.holds[key] = Hold(until=now + seconds, base_delay=base)
        slot.delay = max(slot.delay, PAUSED_DELAY)
        # The downloader waits delay·(1 ± jitter) ≥ 0 after `lastseen`.
        slot.lastseen = now + seconds
        call_later(seconds, self.release, key, now + seconds)
        self.crawler.stats.max_value("harvester/backoff/longest_pause", round(seconds, 3))
        self.crawler.stats.inc_value("harvester/backoff/pauses")
        self._watch()

    def release(self, key: str, until: float) -> None:
        hold = self.holds.get(key)
        if hold is None or hold.until != until:
            return  # a longer pause replaced this one
        del self.holds[key]
        slot = self.crawler.engine.downloader.slots.get(key)
        if slot is not None and slot.delay == PAUSED_DELAY:
            slot.delay = hold.base_delay

    def on_answer(self, response, request, spider) -> None:
        """Keep a paused slot checked even if AutoThrottle took its delay to zero; and pause
        the slot at once for an answer that will be retried, so no queued request leaves
        before the middleware sets the real pause (which only ever lengthens this one)."""
        key = request.meta.get("download_slot")
        slot = self.crawler.engine.downloader.slots.get(key)
        if key in self.holds and slot is not None and slot.delay < PAUSED_DELAY:
            slot.delay = PAUSED_DELAY
        if is_replayed_capture(request, response):   # taken aside below, never retried
            return
        if response.status in self.troubled or b"cf-mitigated" in response.headers:
            self.hold(request, self.base / 2)

    def _watch(self) -> None:
        """While a pause lasts, notice a shutdown (Ctrl-C) and stop waiting for the pause."""
        if self.watch is None or not self.watch.running:
            self.watch = task.LoopingCall(self._check)
            self.watch.start(0.2, now=False)

    def _check(self) -> None:
        if is_stopping(self.crawler):
            drain(self.crawler, "the crawl is stopping")
        if not self.holds or is_stopping(self.crawler):
            assert self.watch is not None, "the watch is what calls this"
            self.watch.stop()
