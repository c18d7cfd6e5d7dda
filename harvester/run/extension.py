"""The Scrapy extension that owns a crawl's run: it opens the run as soon as the spider exists,
hands it what the pipelines pass, and closes it (publishing or refusing) when the crawl ends.

The run is opened when the extension is built (right after the spider, before the engine
starts), not on `spider_opened`: a run refused there (another run holds the output folder, a
damaged state) fails the crawl before anything is fetched, and is told in one line.
"""

import logging

from scrapy import signals

from harvester.run.harvest import Run
from harvester.run.publish import close_run

logger = logging.getLogger(__name__)


class RunKeeper:
    def __init__(self, crawler, run: Run) -> None:
        self.crawler = crawler
        self.run = run

    @classmethod
    def from_crawler(cls, crawler):
        spider = crawler.spider
        run = Run.open(crawler, spider)
        keeper = cls(crawler, run)
        spider.run_opened(run)
        crawler.signals.connect(keeper.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(keeper.spider_closed, signal=signals.spider_closed)
        return keeper

    def item_scraped(self, item) -> None:
        self.run.take(item)

    def spider_closed(self, spider, reason: str) -> None:
        try:
            close_run(self.run, reason)
        except Exception as error:  # the run must end with a reason, never half-published
            logger.exception("publishing failed")
            self.crawler.stats.set_value("harvester/failure", f"publishing failed: {error!r}")
