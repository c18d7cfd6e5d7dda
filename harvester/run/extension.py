"""The Scrapy extension that owns a crawl's run: it opens the run as soon as the spider exists,
hands it what the pipelines pass, and closes it (publishing or refusing) when the crawl ends.

The run is opened when the extension is built (right after the spider, before the engine
starts), not on `spider_opened`: a run refused there (another run holds the output folder, a
damaged state) fails the crawl before anything is fetched, and is told in one line.

When it closes the run it sets the stats' `finish_reason` to the run's verdict, `published` or
`refused` (`published_but_failed_after` when a step after the publication failed): Scrapy's
own reason, `finished` whether the run was published or refused, would tell a scheduler
nothing.
"""

import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured

from harvester.run.aftermath import error_text
from harvester.run.harvest import Run
from harvester.run.outcome import RunOutcome
from harvester.run.publish import close_run

logger = logging.getLogger(__name__)

# The run's verdict, as the stats' `finish_reason` (what scrapyd users read in a job's log).
PUBLISHED, PUBLISHED_BUT, REFUSED = "published", "published_but_failed_after", "refused"
CRAWL_REASON_STAT = "harvester/crawl_finish_reason"


class RunKeeper:
    def __init__(self, crawler, run: Run) -> None:
        self.crawler = crawler
        self.run = run

    @classmethod
    def from_crawler(cls, crawler):
        spider = crawler.spider
        run = Run.open(crawler, spider.run_terms())
        keeper = cls(crawler, run)
        # Before the spider is told of its run: a handler it connects then hears of a scraped
        # item once the run has taken it (signal handlers are called in the order connected).
        crawler.signals.connect(keeper.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(keeper.spider_closed, signal=signals.spider_closed)
        spider.run_opened(run)
        return keeper

    def item_scraped(self, item) -> None:
        self.run.take(item)

    def spider_closed(self, spider, reason: str) -> None:
        stats = self.crawler.stats
        try:
            close_run(self.run, reason)
        except Exception as error:  # the run must end with a reason, never half-published
            logger.exception("publishing failed")
            self.run.outcome.failure = f"publishing failed: {error_text(error)}"
            stats.set_value("harvester/failure", self.run.outcome.failure)
        stats.set_value(CRAWL_REASON_STAT, reason)
        stats.set_value("finish_reason", verdict(self.run.outcome))


def verdict(outcome: RunOutcome) -> str:
    """The close reason a scheduler's log shows (the stats' `finish_reason`): whether the run
    was published, instead of Scrapy's `finished` for a refused run and a published one alike;
    the crawl's own reason is kept as `harvester/crawl_finish_reason`."""
    if not outcome.published:
        return REFUSED
    return PUBLISHED_BUT if outcome.after_failures else PUBLISHED


def run_of(crawler) -> Run | None:
    """The run a crawl's RunKeeper opened; None for a crawl that opens none (a census)."""
    for extension in getattr(getattr(crawler, "extensions", None), "middlewares", ()):
        if isinstance(extension, RunKeeper):
            return extension.run
    return None


def run_needed(crawler) -> Run:
    """The crawl's run, for a component that serves it: NotConfigured (the component is left
    out) when the crawl opens none."""
    run = run_of(crawler)
    if run is None:
        raise NotConfigured
    return run


def outcome_of(crawler) -> RunOutcome | None:
    """How the crawl's run ended (what the command and the feeds read); None when the crawl
    opened no run."""
    run = run_of(crawler)
    return run.outcome if run is not None else None
