"""The `topic-index` spider: the topics the site's topic index (`/topics`) lists, read through
the crawl's own politeness (robots.txt, pacing, challenges), nothing harvested or published
(`harvester topics --site`)."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import scrapy

from harvester.pages.topic_index import TopicIndexPage
from harvester.settings.base import EXTENSIONS
from harvester.settings.profiles import LOOPBACK_ADDON
from harvester.site_urls import TOPIC_INDEX_PATH
from harvester.spiders.base import failure_reason, take_site


@dataclass
class TopicIndexRead:
    """What the index gave, for whoever started the crawl (`harvester topics --site` hands
    one to the spider and reads it once the crawl is over): the slugs it lists, or why it
    could not be read."""

    slugs: list[str] | None = None
    failure: str | None = None


class TopicIndexSpider(scrapy.Spider):
    name = "topic-index"
    base_url: str  # set by `from_crawler`
    # Nothing is harvested: no pipelines, no run.
    custom_settings = {"ITEM_PIPELINES": {}, "HARVESTER_WARC": False, "ADDONS": LOOPBACK_ADDON,
                       "EXTENSIONS": {**EXTENSIONS, "harvester.run.extension.RunKeeper": None}}

    def __init__(self, base_url: str | None = None, read: TopicIndexRead | None = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self._base_url_arg = base_url
        self.read = read if read is not None else TopicIndexRead()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        take_site(spider, crawler, spider._base_url_arg)
        return spider

    async def start(self) -> AsyncIterator:
        yield scrapy.Request(self.base_url + TOPIC_INDEX_PATH, self.parse, errback=self.failed)

    def parse(self, response) -> None:
        if not hasattr(response, "selector"):
            self.read.failure = "not an HTML page"
            return
        self.read.slugs = TopicIndexPage.from_response(response).slugs()

    def failed(self, failure) -> None:
        self.read.failure = failure_reason(failure)
