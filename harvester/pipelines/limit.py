"""`--limit N` (HARVESTER_LIMIT): a trial run stops after N documents. The Nth closes the crawl;
any document already on its way after it is dropped, so the run holds exactly N. A resumed
trial counts what its interrupted attempt staged.

A spider whose run terms say `stops_at_limit` (the capture spiders, whose items may come from
`start()`) ends its own walk once the run says its limit is reached (`Run.limit_reached`;
LIMIT_STAT only shows it in the crawl's stats) and closes once idle (what is in flight then comes
back, and documents beyond the limit are dropped): Scrapy's close waits for the items in
process to drain, and never looks again when those items came from `start()`, so a close from
here hung a WARC run for ever."""

from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.defer import deferred_from_coro

from harvester.items import Document
from harvester.run.harvest import Run
from harvester.run.refusal import LIMIT_REACHED

LIMIT_STAT = "harvester/limit_reached"


class LimitPipeline:
    def __init__(self, crawler, limit: int) -> None:
        self.crawler = crawler
        self.limit = limit
        self.documents = 0
        self.stopping = False
        self.run: Run | None = None

    @classmethod
    def from_crawler(cls, crawler):
        limit = crawler.settings.getint("HARVESTER_LIMIT")
        if limit <= 0:
            raise NotConfigured
        return cls(crawler, limit)

    def open_spider(self) -> None:
        self.run = self.crawler.spider.run
        self.documents = self.run.staged_documents()

    def process_item(self, item):
        if not isinstance(item, Document):
            return item
        if self.documents >= self.limit:
            self.stop()
            raise DropItem(f"beyond the limit of {self.limit} documents")
        self.documents += 1
        if self.documents == self.limit:
            self.stop()
        return item

    def stop(self) -> None:
        if not self.stopping:
            self.stopping = True
            assert self.run is not None, "items come once the spider is open"
            self.run.reach_limit()
            self.crawler.stats.set_value(LIMIT_STAT, True)
            if self.run.terms.stops_at_limit:
                return
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=LIMIT_REACHED))
