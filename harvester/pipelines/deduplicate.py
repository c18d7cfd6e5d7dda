"""One record per Record ID: a document reached twice is written once, its ways merged."""

from scrapy.exceptions import DropItem

from harvester.items import Document, Reject


class DeduplicatePipeline:
    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls()
        pipeline.stats = crawler.stats
        pipeline.documents = {}
        pipeline.rejected_urls = set()
        return pipeline

    def process_item(self, item):
        if isinstance(item, Document):
            kept = self.documents.setdefault(item.record_id, item)
            if kept is item:
                return item
            for topic in item.topics:
                if topic not in kept.topics:
                    kept.topics.append(topic)
            kept.reached_from.extend(u for u in item.reached_from if u not in kept.reached_from)
            self.stats.inc_value("harvester/duplicates")
            raise DropItem(f"duplicate of Record ID {item.record_id} ({kept.url})")
        if isinstance(item, Reject):
            if item.url in self.rejected_urls:
                raise DropItem(f"reject already recorded for {item.url}")
            self.rejected_urls.add(item.url)
        return item
