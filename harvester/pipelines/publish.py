"""Keeps the run's documents in the state store as they arrive, and publishes the run when,
and only when, the crawl finished cleanly."""

import logging
from collections import Counter
from dataclasses import dataclass, field

from scrapy import signals

from harvester.items import (
    Document,
    DocumentAlias,
    Gone,
    Listed,
    ListingCounter,
    Membership,
    Reject,
    Topic,
    Unchanged,
    to_record,
)
from harvester.publishing import publish_run
from harvester.state.context import utc_iso

logger = logging.getLogger(__name__)


@dataclass
class Harvest:
    """What a run gathered besides the documents themselves (those go to the state)."""

    topics: dict[str, Topic] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    counters: list[ListingCounter] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)
    fetched: int = 0
    not_modified: int = 0
    present: Counter = field(default_factory=Counter)


class PublishPipeline:
    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls()
        pipeline.crawler = crawler
        pipeline.harvest = Harvest()
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def process_item(self, item):
        context = self.crawler.spider.context
        store, run_id, harvest = context.store, context.run_id, self.harvest
        if isinstance(item, Document):
            record = to_record(item)
            etag, modified = item.validators or (None, None)
            store.stage_document(run_id, record, item.reached_from, etag, modified, utc_iso())
            harvest.fetched += 1
            harvest.present.update(k for k, v in record.items() if v not in (None, []))
        elif isinstance(item, DocumentAlias):
            store.add_urls(item.urls, item.record_id)
        elif isinstance(item, Listed):
            store.mark_listed(run_id, item.url)
        elif isinstance(item, Unchanged):
            store.stage_unchanged(run_id, item.record_id, utc_iso())
            harvest.not_modified += 1
        elif isinstance(item, Gone):
            harvest.gone.add(item.record_id)
        elif isinstance(item, Topic):
            harvest.topics.setdefault(item.slug, item)
        elif isinstance(item, Reject):
            harvest.rejects.append(item)
            self.crawler.stats.inc_value("harvester/rejects")
        elif isinstance(item, Membership):
            harvest.memberships.append(item)
        elif isinstance(item, ListingCounter):
            harvest.counters.append(item)
        return item

    def spider_closed(self, spider, reason: str) -> None:
        try:
            publish_run(self.crawler, spider, reason, self.harvest)
        except Exception as error:  # the run must end with a reason, never half-published
            logger.exception("publishing failed")
            self.crawler.stats.set_value("harvester/failure", f"publishing failed: {error!r}")
