"""The floor of a WARC harvest under Scrapy: a spider that asks the WARC handler for every HTTP
response record of the files, as a records run does (`warc-record:` requests, the WARC add-on's
settings: its download handler, 16 reads at once, none of the server guards), and does nothing
with them: no index kept, no choosing, no parse, no pipeline, no state. With `--batch N`, N
records in one request, as a records run reads ahead (harvester/spiders/read_ahead.py).

Run by `bench/warc_vs_bare.py` as a whole command, as the harvester's and the bare read are:
`python bench/warc_null_spider.py [--batch N] FILE...`; prints how many records it was
answered.
"""

import argparse
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import scrapy
from scrapy.crawler import CrawlerProcess
from warcio.archiveiterator import ArchiveIterator

from harvester.crawl import collector_for_crawling, project_settings
from harvester.sources.warc_handler import (
    BATCH_READ,
    RECORD_BATCH,
    RECORD_READ,
    RecordRead,
    batch_url,
    record_url,
)
from harvester.sources.warcfind import MemberLimits, find_warcs

STOCK = {"ITEM_PIPELINES": {}, "EXTENSIONS": {}, "HARVESTER_PROGRESS_INTERVAL": 0,
         "LOG_LEVEL": "WARNING", "HARVESTER_PARSE_WORKERS": 0,
         "ADDONS": {"harvester.settings.profiles.WarcProfile": 0}}
MAX_SIZE = 16 * 1024 * 1024


def records(path: Path) -> list[int]:
    """Offsets of the HTTP response records of a file, as warcio reports them."""
    with path.open("rb") as handle:
        iterator = ArchiveIterator(handle)
        return [iterator.get_record_offset() for record in iterator
                if record.rec_type == "response"]


class WarcNullSpider(scrapy.Spider):
    name = "warc-null"

    def __init__(self, files: list[str], batch: int = 1, **kwargs) -> None:
        super().__init__(**kwargs)
        self.files = files
        self.batch = batch
        self.answered = 0

    async def start(self) -> AsyncIterator[scrapy.Request]:
        found = find_warcs(self.files, MemberLimits(1 << 30, 100.0))
        for source in found.sources:
            offsets = records(source.path)
            for first in range(0, len(offsets), self.batch):
                yield self.request(source, offsets[first:first + self.batch])

    def request(self, source, offsets: list[int]) -> scrapy.Request:
        meta: dict = {"dont_redirect": True, "handle_httpstatus_all": True}
        if self.batch == 1:
            meta[RECORD_READ] = RecordRead(source, offsets[0], MAX_SIZE)
            url = record_url(f"{source.name}#{offsets[0]}")
        else:
            meta[RECORD_BATCH] = [RecordRead(source, offset, MAX_SIZE) for offset in offsets]
            url = batch_url([f"{source.name}#{offset}" for offset in offsets])
        return scrapy.Request(url, self.parse, dont_filter=True, meta=meta)

    def parse(self, response) -> None:
        self.answered += len(response.meta.get(BATCH_READ) or [response])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(sys.argv[1:])
    process = CrawlerProcess(project_settings(STOCK))
    crawler = process.create_crawler(WarcNullSpider)
    process.crawl(crawler, files=args.files, batch=args.batch)
    with collector_for_crawling():
        process.start()
    print(crawler.spider.answered)


if __name__ == "__main__":
    main()
