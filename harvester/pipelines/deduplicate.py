"""One record per Record ID: a document reached twice is written once; the other way it was
reached is handed to the run (as alias URLs) so its topic memberships still resolve to it. A
source that finds a newer capture of a record says so (`supersedes`), and that page replaces the
first."""

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from harvester.items import Document, Reject
from harvester.items.envelope import envelope_of


class DeduplicatePipeline:
    crawler: Crawler
    stats: StatsCollector
    record_ids: set[str]  # of the Documents given
    rejected_urls: set[str]  # of the Rejects given

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls()
        pipeline.crawler = crawler
        pipeline.stats = crawler.stats
        pipeline.record_ids = set()
        pipeline.rejected_urls = set()
        return pipeline

    def process_item(self, item):
        if isinstance(item, Document):
            envelope = envelope_of(item)
            if item.record_id not in self.record_ids or envelope.supersedes:
                self.record_ids.add(item.record_id)
                return item
            if envelope.unchanged:  # found unchanged again by another URL: checked, given once
                self.crawler.spider.run.take(item)
                raise DropItem(f"{item.record_id} already given")
            self.stats.inc_value("harvester/duplicates")
            self.crawler.spider.run.duplicate(item.record_id, envelope.reached_from)
            raise DropItem(f"{item.record_id} already harvested; {item.url} kept as an alias")
        if isinstance(item, Reject):
            if item.url in self.rejected_urls:
                raise DropItem(f"reject already recorded for {item.url}")
            self.rejected_urls.add(item.url)
        return item
