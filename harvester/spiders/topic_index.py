"""The `topic-index` spider: the topics the site's topic index (`/topics`) lists, read through
the crawl's own politeness (robots.txt, pacing, challenges), nothing harvested or published
(`harvester topics --site`)."""

from collections.abc import AsyncIterator

import scrapy

from harvester.pages.topic_index import TopicIndexPage
from harvester.settings.base import EXTENSIONS
from harvester.settings.profiles import LOOPBACK_ADDON
from harvester.site_urls import TOPIC_INDEX_PATH
from harvester.spiders.base import failure_reason, take_site

# Crawler stats the command reads: the slugs listed, or why the index could not be read.
TOPICS_STAT, FAILURE_STAT = "harvester/topic_index", "harvester/topic_index_failure"


class TopicIndexSpider(scrapy.Spider):
    name = "topic-index"
    base_url: str  # set by `from_crawler`
    # Nothing is harvested: no pipelines, no run.
    custom_settings = {"ITEM_PIPELINES": {}, "HARVESTER_WARC": False, "ADDONS": LOOPBACK_ADDON,
                       "EXTENSIONS": {**EXTENSIONS, "harvester.run.extension.RunKeeper": None}}

    def __init__(self, base_url: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._base_url_arg = base_url

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        take_site(spider, crawler, spider._base_url_arg)
        return spider

    async def start(self) -> AsyncIterator:
        yield scrapy.Request(self.base_url + TOPIC_INDEX_PATH, self.parse, errback=self.failed)

    def parse(self, response) -> None:
        if not hasattr(response, "selector"):
            self.crawler.stats.set_value(FAILURE_STAT, "not an HTML page")
            return
        self.crawler.stats.set_value(TOPICS_STAT, TopicIndexPage.from_response(response).slugs())

    def failed(self, failure) -> None:
        self.crawler.stats.set_value(FAILURE_STAT, failure_reason(failure))
