"""One progress line on stderr (pages, documents, rejects) while a crawl runs. Documents count
those harvested and those a conditional request found unchanged (given again whole)."""

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from harvester.items import Document, Reject


class Progress:
    def __init__(self, crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.pages = self.documents = self.rejects = 0
        self.started = time.monotonic()
        self.stream = sys.stderr
        self.live = self.stream.isatty()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("HARVESTER_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        progress = cls(crawler, interval)
        crawler.signals.connect(progress.opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.closed, signal=signals.spider_closed)
        crawler.signals.connect(progress.response, signal=signals.response_received)
        crawler.signals.connect(progress.item, signal=signals.item_scraped)
        return progress

    def opened(self, spider) -> None:
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval, now=False)

    def response(self, response, request, spider) -> None:
        self.pages += 1

    def item(self, item, response, spider) -> None:
        if isinstance(item, Document):
            self.documents += 1
        elif isinstance(item, Reject):
            self.rejects += 1

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        note = getattr(self.crawler.spider, "progress_note", None)
        extra = f" · {note()}" if note is not None else ""
        return (f"pages {self.pages} · documents {self.documents} · rejects {self.rejects}"
                f"{extra} · {elapsed:.0f}s")

    def show(self, final: bool = False) -> None:
        end = "\n" if final or not self.live else ""
        prefix = "\r" if self.live else ""
        self.stream.write(f"{prefix}{self.line()}{end}")
        self.stream.flush()

    def closed(self, spider, reason) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.show(final=True)
