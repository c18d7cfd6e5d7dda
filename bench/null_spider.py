"""The ceiling of a crawl on this machine: a spider that fetches a list of URLs and parses
nothing, with the crawl's own settings (the project's, with the loopback overrides the spiders
apply to a mirror on this machine: no delay, no throttle, the same concurrency; the crawl's
garbage collector setting) and Scrapy's own components in place of the harvester's middlewares,
pipelines and extensions.

Each URL is asked for once, as the crawl asked for it: redirects are not followed (their
targets are in the list when the crawl fetched them) and every status is a response. robots.txt
is fetched by Scrapy's robots middleware, as the crawl's own fetches it.

Run by `bench/archive_scale.py`: `python bench/null_spider.py URLS_FILE [NAME=VALUE ...]` (the
same `-s` overrides the crawl was given); prints the stats that count as one JSON line on stdout.
"""

import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess

from harvester.crawl import collector_for_crawling, project_settings
from harvester.settings.loopback import LOOPBACK_SETTINGS

# Settings of the harvester's own components; Scrapy's stock ones stand in for them.
STOCK = {"DOWNLOADER_MIDDLEWARES": {}, "ITEM_PIPELINES": {}, "EXTENSIONS": {},
         "HARVESTER_PROGRESS_INTERVAL": 0, "LOG_LEVEL": "WARNING"}


class NullSpider(scrapy.Spider):
    name = "null"

    def __init__(self, urls: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.urls = urls
        self.allowed_domains = sorted({urlsplit(url).hostname or "" for url in urls})

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, self.parse, dont_filter=True,
                                 meta={"dont_redirect": True, "handle_httpstatus_all": True})

    def parse(self, response) -> None:
        return None


def settings(overrides: dict | None = None):
    chosen = project_settings({**STOCK, **(overrides or {})})
    chosen.setdict(LOOPBACK_SETTINGS, priority="spider")
    return chosen


def run(urls: list[str], overrides: dict | None = None) -> dict:
    process = CrawlerProcess(settings(overrides))
    crawler = process.create_crawler(NullSpider)
    process.crawl(crawler, urls=urls)
    with collector_for_crawling():  # as the crawl's: a process setting, shared like the others
        process.start()
    stats = crawler.stats.get_stats()
    return {"responses": stats.get("downloader/response_count", 0),
            "requests": stats.get("downloader/request_count", 0),
            "elapsed": stats.get("elapsed_time_seconds"),
            "finish_reason": stats.get("finish_reason")}


def main() -> None:
    urls = Path(sys.argv[1]).read_text("utf-8").split()
    overrides = dict(pair.split("=", 1) for pair in sys.argv[2:])
    print(json.dumps(run(urls, overrides)))


if __name__ == "__main__":
    main()
