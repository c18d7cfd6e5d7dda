"""Collects the run's records and publishes them when, and only when, the crawl finished."""

import logging
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from scrapy import signals

from harvester.assemble import assemble, record_order
from harvester.items import Document, ListingCounter, Membership, Reject, Topic, to_record
from harvester.pipelines.validate import problems
from harvester.runs import RunWriter, new_run_id

logger = logging.getLogger(__name__)


def harvester_version() -> str:
    try:
        return version("harvester")
    except PackageNotFoundError:
        return "unknown"


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class PublishPipeline:
    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls()
        pipeline.crawler = crawler
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        self.started = datetime.now(UTC)
        self.out_dir = Path(self.crawler.settings.get("HARVESTER_OUTPUT_DIR") or "output")
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.run_id = new_run_id(self.out_dir, self.started)
        self.documents: dict[str, Document] = {}
        self.topics: dict[str, Topic] = {}
        self.rejects: list[Reject] = []
        self.memberships: list[Membership] = []
        self.counters: list[ListingCounter] = []

    def process_item(self, item):
        if isinstance(item, Document):
            self.documents.setdefault(item.record_id, item)
        elif isinstance(item, Topic):
            self.topics.setdefault(item.slug, item)
        elif isinstance(item, Reject):
            self.rejects.append(item)
            self.crawler.stats.inc_value("harvester/rejects")
        elif isinstance(item, Membership):
            self.memberships.append(item)
        elif isinstance(item, ListingCounter):
            self.counters.append(item)
        return item

    def spider_closed(self, spider, reason: str) -> None:
        stats = self.crawler.stats
        reports = assemble(self.documents, self.topics, self.memberships, self.counters)
        failure = self.failure(spider, reason)
        if failure:
            stats.set_value("harvester/failure", failure)
            logger.error("run %s not published: %s", self.run_id, failure)
            return
        writer = RunWriter(self.out_dir, self.run_id)
        documents = [to_record(self.documents[k]) for k in sorted(self.documents, key=record_order)]
        writer.write_jsonl("documents.jsonl", documents)
        writer.write_jsonl("topics.jsonl", [to_record(self.topics[k]) for k in sorted(self.topics)])
        rejects = sorted(self.rejects, key=lambda r: (r.url or "", r.field or ""))
        writer.write_jsonl("rejects.jsonl", [to_record(r) for r in rejects])
        run_dir = writer.publish(self.manifest(spider, reason, reports))
        stats.set_value("harvester/run_dir", str(run_dir))
        logger.info("published %s", run_dir)

    def failure(self, spider, reason: str) -> str | None:
        """Why this run must not replace the last good one, or None."""
        if reason != "finished":
            return f"crawl stopped before the end ({reason})"
        if getattr(spider, "incomplete", None):
            return "document list incomplete: " + "; ".join(spider.incomplete)
        missing = [s for s in getattr(spider, "slugs", []) if s not in self.topics]
        if missing:
            return "topic page not harvested: " + ", ".join(missing)
        for topic in self.topics.values():
            if found := problems(to_record(topic), "topic"):
                return f"topic {topic.slug} breaks the schema: {found[0][1]}"
        if not self.documents:
            return "no documents harvested"
        return None

    def manifest(self, spider, reason: str, reports) -> dict[str, Any]:
        stats = self.crawler.stats
        return {
            "run_id": self.run_id,
            "harvester_version": harvester_version(),
            "spider": spider.name,
            "arguments": {"topics": list(getattr(spider, "slugs", []))},
            "base_url": getattr(spider, "base_url", None),
            "public_base_url": self.crawler.settings.get("HARVESTER_PUBLIC_BASE_URL") or None,
            "started": iso(self.started),
            "finished": iso(datetime.now(UTC)),
            "finish_reason": reason,
            "counts": {
                "documents": len(self.documents),
                "topics": len(self.topics),
                "rejects": len(self.rejects),
                "duplicates": stats.get_value("harvester/duplicates", 0),
                "requests": stats.get_value("downloader/request_count", 0),
                "responses": stats.get_value("downloader/response_count", 0),
            },
            "topics": {
                slug: {"listed_links": r.listed, "counter": r.counter,
                       "documents": len(self.topics[slug].record_ids),
                       "shortfall": max(0, (r.counter or 0) - len(self.topics[slug].record_ids)),
                       "unresolved_links": r.unresolved}
                for slug, r in sorted(reports.items())
            },
        }


