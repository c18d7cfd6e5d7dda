"""429 Too Many Requests and Retry-After: wait as long as the archive asks, then ask again.

Stock Scrapy retries a 429 at once and never reads Retry-After; here the download slot is
paused for the time asked (seconds or an HTTP date), up to HARVESTER_MAX_RETRY_AFTER. A longer
wait, or a 429 that keeps coming back, stops the run: going on would only hammer a server that
has said it is overloaded, and a run with holes in it would not be published anyway.
"""

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from harvester.middlewares.backoff import Backoff
from harvester.middlewares.control import RunStopped, stop_run

REASON = "rate_limited"
# What slows a run down, as advice in the message that stops it: a web archive's requests go
# through their own download slots, at the pace of these settings, never DOWNLOAD_DELAY.
SLOWER_LIVE = "-s DOWNLOAD_DELAY=5"
SLOWER_WEB_ARCHIVE = "-s HARVESTER_CDX_PER_MINUTE=12 -s HARVESTER_REPLAYS_PER_SECOND=0.5"


def retry_after(headers, now: datetime | None = None) -> float | None:
    """Seconds the server asked us to wait (RFC 9110 §10.2.3), or None if it did not say."""
    raw = headers.get(b"Retry-After") or headers.get("Retry-After")
    if not raw:
        return None
    text = (raw.decode("latin-1") if isinstance(raw, bytes) else raw).strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def refuse_long_wait(crawler, request, asked: float) -> None:
    """Stop the run when the archive asks for a longer pause than we are willing to take."""
    limit = crawler.settings.getfloat("HARVESTER_MAX_RETRY_AFTER")
    if asked <= limit:
        return
    stop_run(crawler, REASON,
             f"the archive asked to wait {asked:.0f} s (Retry-After) before fetching "
             f"{request.url}, longer than HARVESTER_MAX_RETRY_AFTER={limit:g} s; run again "
             f"later, or raise that limit with -s HARVESTER_MAX_RETRY_AFTER=SECONDS")
    raise RunStopped(f"Retry-After of {asked:.0f} s is over the limit")


class RateLimitMiddleware:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.backoff = Backoff.of(crawler)
        self.max_times = crawler.settings.getint("HARVESTER_MAX_RATE_LIMITS")
        # A web archive asks for at least this pause, for every slot (0: back off one slot).
        self.min_pause = crawler.settings.getfloat("HARVESTER_RATE_LIMIT_PAUSE")
        # A web archive is one server: its 429s count in a row whatever request got them
        # (three census queries, each counted apart, let ten through), and every slot waits.
        self.everything = crawler.settings.getbool("HARVESTER_PAUSE_EVERYTHING")
        self.streak = 0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response):
        if response.status != 429 or request.meta.get("dont_retry"):
            self.streak = 0
            return response
        self.streak += 1
        times = self.streak if self.everything else request.meta.get("rate_limited_times", 0) + 1
        self.crawler.stats.inc_value("harvester/rate_limited")
        asked = retry_after(response.headers)
        if asked is not None:
            refuse_long_wait(self.crawler, request, asked)
        if times > self.max_times:
            stop_run(self.crawler, REASON, self.stop_message(request, times))
            raise RunStopped("rate limited")
        pause = self.backoff.delay(times) if asked is None else asked
        self.backoff.hold(request, max(pause, self.min_pause), everything=self.everything)
        again = request.replace(dont_filter=True)
        again.meta["rate_limited_times"] = times
        return again

    def stop_message(self, request, times: int) -> str:
        if self.everything:
            return (f"the web archive answered 429 Too Many Requests {times} times in a row "
                    f"(the last for {request.url}); run again later, more slowly "
                    f"(e.g. {SLOWER_WEB_ARCHIVE})")
        return (f"the archive answered 429 Too Many Requests {times} times in a row for "
                f"{request.url}; run again later, more slowly (e.g. {SLOWER_LIVE})")
