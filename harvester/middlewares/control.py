"""Refusing one request with a reason, and stopping the whole run with one."""

import logging
from weakref import WeakKeyDictionary

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import deferred_from_coro

logger = logging.getLogger(__name__)

# Crawler stat repeating, for the log, the one-line explanation of a stop (`stop_message`).
STOP_MESSAGE = "harvester/stopped"
# Crawler -> why it was stopped: what the command prints, and what makes it stopping.
_STOPPED: WeakKeyDictionary = WeakKeyDictionary()


class Refused(IgnoreRequest):
    """A request given up for a reason a person can act on; the message is that reason and
    becomes the reject's (or the incomplete list's) explanation."""


class RunStopped(Refused):
    """The request was dropped because the run is stopping."""


def stop_run(crawler, reason: str, message: str) -> None:
    """Close the spider with `reason` (its finish reason) and remember `message` for the user.
    The first stop wins; nothing queued for download is sent afterwards."""
    if crawler in _STOPPED:
        return
    _STOPPED[crawler] = f"crawl stopped ({reason}): {message}"
    crawler.stats.set_value(STOP_MESSAGE, _STOPPED[crawler])
    # At INFO: the command's last line says it once, and a scheduler's log (INFO) has it.
    logger.info("stopping the crawl (%s): %s", reason, message)
    drain(crawler, "the crawl is stopping")
    engine = crawler.engine
    if engine is not None and engine.spider is not None:
        deferred_from_coro(engine.close_spider_async(reason=reason))


def stop_message(crawler) -> str | None:
    """Why the crawl was stopped (`stop_run`), None when it was not."""
    return _STOPPED.get(crawler)


def is_stopping(crawler) -> bool:
    return crawler in _STOPPED or not crawler.crawling


def drain(crawler, why: str) -> None:
    """Fail every request still waiting in a download slot, so a stopping run sends nothing
    more to a server that asked it to go away and does not sit out long pauses."""
    engine = crawler.engine
    if engine is None or engine.downloader is None:
        return
    for slot in list(engine.downloader.slots.values()):
        if slot.latercall is not None:
            slot.latercall.cancel()
            slot.latercall = None
        while slot.queue:
            _request, waiting = slot.queue.popleft()
            waiting.errback(RunStopped(why))
