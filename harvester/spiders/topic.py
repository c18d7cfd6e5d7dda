"""The `topic` spider: a topic page, every page of its document list, every document."""

import re
from collections.abc import AsyncIterator, Iterator

import scrapy
from scrapy.exceptions import UsageError

from harvester.items import ListingCounter
from harvester.pages.listing import ListingPage, page_number
from harvester.spiders.base import HarvestSpider, list_key

DEFAULT_TOPIC = "conversations-kim-il-sung"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def parse_slugs(topics: str | list[str] | None) -> list[str]:
    """Slugs from `-a topics=a,b` or a list; a clear error for anything that is not a slug."""
    if topics is None:
        return [DEFAULT_TOPIC]
    raw = topics.replace(",", " ").split() if isinstance(topics, str) else list(topics)
    slugs = list(dict.fromkeys(s.strip().strip("/").removeprefix("topics/") for s in raw))
    bad = [s for s in slugs if not _SLUG.match(s)]
    if bad or not slugs:
        raise UsageError(f"not a topic slug (lowercase letters, digits, hyphens): {bad or raw}")
    return slugs


class TopicSpider(HarvestSpider):
    name = "topic"

    def __init__(self, topics: str | list[str] | None = None, **kwargs) -> None:
        self.slugs = parse_slugs(topics)
        super().__init__(**kwargs)
        self.pages_requested: set[tuple] = set()

    def job(self) -> str:
        return "topic-" + "+".join(sorted(self.slugs))

    def arguments(self) -> dict:
        return {**super().arguments(), "topics": sorted(self.slugs)}

    async def start(self) -> AsyncIterator:
        for slug in self.slugs:
            url = self.url(f"/topics/{slug}")
            self.pages_requested.add((list_key(url), 0))
            yield scrapy.Request(url, self.parse_topic, errback=self.list_failed,
                                 cb_kwargs={"slug": slug})

    def parse_topic(self, response, slug: str) -> Iterator:
        page, topic = self.topic_item(response, slug)
        if topic is None:
            return
        yield topic
        for url in page.document_urls():
            yield from self.follow_document(url, slug)
        for url in page.listing_urls():
            yield from self.follow_list_page(url, slug)

    def parse_listing(self, response, slug: str) -> Iterator:
        page = ListingPage.from_response(response)
        yield ListingCounter(topic_slug=slug, url=response.url, total=page.total(),
                             topic_id=page.topic_id())
        urls = page.document_urls()
        new = [url for url in urls if self.is_new(url)]
        for url in urls:
            yield from self.follow_document(url, slug)
        if self.keeps_walking(response.url, bool(new)):
            for url in page.pager_urls():
                if self.in_walk_order(response.url, url):
                    yield from self.follow_list_page(url, slug)

    def follow_list_page(self, url: str, slug: str) -> Iterator:
        """Each page number of each list once, however many pager links point at it."""
        key = (list_key(url), page_number(url))
        if key in self.pages_requested:
            return
        self.pages_requested.add(key)
        yield scrapy.Request(url, self.parse_listing, errback=self.list_failed,
                             cb_kwargs={"slug": slug})
