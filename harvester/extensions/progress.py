"""One progress line on stderr while a crawl runs: pages, documents (of how many, when the
spider knows: a listing's counter), rejects, time so far and, with a total, how long is left at
the pace so far. Documents count those harvested and those a conditional request found
unchanged (given again whole).

`pages 130 · documents 120 of 16153 · rejects 2 · 2m10s · ETA 4h49m`
"""

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from harvester.fetch.choices import FETCHED
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
        """A page fetched. A page of a capture source that the fetcher chose is not one more:
        each capture it fetched for it was counted as it came."""
        if FETCHED not in request.meta:
            self.pages += 1

    def item(self, item, response, spider) -> None:
        if isinstance(item, Document):
            self.documents += 1
        elif isinstance(item, Reject):
            self.rejects += 1

    def line(self) -> str:
        spider = self.crawler.spider
        note = getattr(spider, "progress_note", None)
        total = getattr(spider, "progress_total", None)
        return progress_line(self.pages, self.documents, self.rejects,
                             total() if total is not None else None,
                             time.monotonic() - self.started,
                             note() if note is not None else None)

    def show(self, final: bool = False) -> None:
        end = "\n" if final or not self.live else ""
        prefix = "\r" if self.live else ""
        self.stream.write(f"{prefix}{self.line()}{end}")
        self.stream.flush()

    def closed(self, spider, reason) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.show(final=True)


def progress_line(pages: int, documents: int, rejects: int, total: int | None, elapsed: float,
                  note: str | None = None) -> str:
    """The line itself: documents of their total when it is known, and then the time left at
    the pace so far (a listed document ends as a record or a reject: both are done)."""
    of = f" of {total}" if total else ""
    extra = f" · {note}" if note else ""
    line = (f"pages {pages} · documents {documents}{of} · rejects {rejects}{extra} · "
            f"{duration(elapsed)}")
    done = documents + rejects
    if total and 0 < done < total and elapsed > 0:
        line += f" · ETA {duration((total - done) * elapsed / done)}"
    return line


def duration(seconds: float) -> str:
    """`42s`, `12m05s`, `4h49m`."""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"
