"""Last touches every record gets, whatever page object produced it."""

from typing import Any

from harvester.items import Document, Reject, Topic
from harvester.normalize.text import clean
from harvester.run.context import utc_iso


class UrlRebaser:
    """Rewrites URLs of the crawled host to the public one, so a mirror's records read as the
    archive's own."""

    def __init__(self, crawl_base: str, public_base: str) -> None:
        self.crawl_base = crawl_base.rstrip("/")
        self.public_base = public_base.rstrip("/")

    def __call__(self, url: Any) -> Any:
        return self._swap(url, self.crawl_base, self.public_base)

    def back(self, url: Any) -> Any:
        """A public URL (as the state keeps it) turned into one to fetch from the crawl base."""
        return self._swap(url, self.public_base, self.crawl_base)

    @staticmethod
    def _swap(url: Any, old: str, new: str) -> Any:
        if not (isinstance(url, str) and old and new):
            return url
        if url == old or url.startswith(old + "/"):
            return new + url[len(old):]
        return url


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


class NormalizePipeline:
    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls()
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self) -> None:
        self.rebase = self.crawler.spider.rebase

    def process_item(self, item):
        rebase = self.rebase
        if isinstance(item, Document) and item.unchanged:
            return item  # the stored record, normalised when it was harvested
        if isinstance(item, Document):
            for name in ("summary", "text", "title", "source", "type", "classification",
                         "rights", "credit"):
                setattr(item, name, _tidy(getattr(item, name)))
            item.url = rebase(item.url)
            item.related = [rebase(u) for u in item.related]
            item.downloads = [rebase(u) for u in item.downloads]
            if item.preview:
                item.preview = rebase(item.preview)
            item.reached_from = [rebase(u) for u in item.reached_from]
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
        return item
