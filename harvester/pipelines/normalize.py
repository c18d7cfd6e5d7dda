"""Last touches every record gets, whatever page object produced it."""

from dataclasses import fields
from functools import cache
from typing import Any, Protocol, cast

from scrapy.crawler import Crawler

from harvester.items import Document, Reject, Topic
from harvester.items.envelope import envelope_of
from harvester.normalize.text import clean, without_controls
from harvester.site_urls import UrlRebaser
from harvester.utc import utc_iso


def _tidy(value: Any) -> Any:
    """Strings cleaned ("" becomes None) without touching paragraph breaks."""
    if isinstance(value, str):
        blocks = [clean(b) for b in value.split("\n\n")]
        joined = "\n\n".join(b for b in blocks if b)
        return joined or None
    if isinstance(value, dict):
        return {k: _tidy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [v for v in (_tidy(v) for v in value) if v is not None]
    return value


@cache
def output_fields(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


class Rebasing(Protocol):
    """A spider whose records name the public site, not the one crawled: every harvesting
    spider (the others run no pipelines)."""

    rebase: UrlRebaser


class NormalizePipeline:
    crawler: Crawler
    rebase: UrlRebaser  # the spider's, once it is open

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls()
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self) -> None:
        self.rebase = cast(Rebasing, self.crawler.spider).rebase

    def process_item(self, item):
        """Each kind of record tidied, then no control character left in any field."""
        self.tidy(item)
        for name in output_fields(type(item)):
            setattr(item, name, without_controls(getattr(item, name)))
        return item

    def tidy(self, item) -> None:
        rebase = self.rebase
        envelope = envelope_of(item)
        if isinstance(item, Document) and envelope.unchanged:
            return  # the stored record, normalised when it was harvested
        if isinstance(item, Document):
            for name in ("summary", "text", "title", "source", "type", "classification",
                         "rights", "credit"):
                setattr(item, name, _tidy(getattr(item, name)))
            if item.texts:
                item.texts = [entry for entry in _tidy(item.texts) if entry["text"]]
            item.url = rebase(item.url)
            item.related = [rebase(u) for u in item.related]
            item.downloads = [rebase(u) for u in item.downloads]
            if item.preview:
                item.preview = rebase(item.preview)
            envelope.reached_from = [rebase(u) for u in envelope.reached_from]
            if item.capture is not None:
                item.capture = {**item.capture, "url": rebase(item.capture["url"])}
            item.retrieved_at = item.retrieved_at or utc_iso()
        elif isinstance(item, Topic):
            item.url = rebase(item.url)
            item.description = _tidy(item.description)
            for entry in item.popular:
                entry["url"] = rebase(entry["url"])
        elif isinstance(item, Reject):
            item.url = rebase(item.url)
