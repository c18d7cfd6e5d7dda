"""`--limit N` (HARVESTER_LIMIT): a trial run stops after N documents. The Nth closes the crawl;
any document already on its way after it is dropped, so the run holds exactly N."""

from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.defer import deferred_from_coro

from harvester.items import Document
from harvester.run.refusal import LIMIT_REACHED


class LimitPipeline:
    def __init__(self, crawler, limit: int) -> None:
        self.crawler = crawler
        self.limit = limit
        self.documents = 0

    @classmethod
    def from_crawler(cls, crawler):
        limit = crawler.settings.getint("HARVESTER_LIMIT")
        if limit <= 0:
            raise NotConfigured
        return cls(crawler, limit)

    def process_item(self, item):
        if not isinstance(item, Document):
            return item
        if self.documents >= self.limit:
            raise DropItem(f"beyond the limit of {self.limit} documents")
        self.documents += 1
        if self.documents == self.limit:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=LIMIT_REACHED))
        return item
