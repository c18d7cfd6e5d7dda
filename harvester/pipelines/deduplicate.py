"""One record per Record ID: a document reached twice is written once; the other way it was
reached is kept (as an alias URL) so its topic memberships still resolve to it. A source that
finds a newer capture of a record says so (`supersedes`), and that page replaces the first."""

from scrapy.exceptions import DropItem

from harvester.items import Document, DocumentAlias, Reject


class DeduplicatePipeline:
    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls()
        pipeline.stats = crawler.stats
        pipeline.record_ids: set[str] = set()
        pipeline.rejected_urls: set[str] = set()
        return pipeline

    def process_item(self, item):
        if isinstance(item, Document):
            if item.record_id not in self.record_ids or item.supersedes:
                self.record_ids.add(item.record_id)
                return item
            self.stats.inc_value("harvester/duplicates")
            return DocumentAlias(record_id=item.record_id, urls=item.reached_from)
        if isinstance(item, Reject):
            if item.url in self.rejected_urls:
                raise DropItem(f"reject already recorded for {item.url}")
            self.rejected_urls.add(item.url)
        return item
