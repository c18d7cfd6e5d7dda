"""Whole runs of a live or capture spider, offline and without a reactor, made of the pieces of
tests/helpers/spider_fakes.py: the project's item pipelines, a crawl answered from a mirror
folder, a WARC run answered by the WARC handler, and the run published as a crawl closes it."""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, DropItem, NotConfigured
from scrapy.utils.misc import build_from_crawler, load_object

from harvester.middlewares.conditional import ConditionalRequestsMiddleware
from harvester.mirror.layout import load_redirects, redirect_key
from harvester.run.publish import close_run
from harvester.sources.warc_handler import WarcRecordHandler
from harvester.spiders.warc import WarcSpider
from tests.helpers.pages import SITE
from tests.helpers.spider_fakes import (
    Fake,
    answer,
    call,
    fail,
    fake_run,
    fetched_steps,
    handed_on_idle,
    http_error,
    saved,
    validators,
)


class Pipelines:
    """The project's item pipelines, in order, as the crawl passes items through them."""

    def __init__(self, crawler: Crawler) -> None:
        order = sorted(crawler.settings.getdict("ITEM_PIPELINES").items(), key=lambda p: p[1])
        self.stages = []
        for path, _ in order:
            try:
                self.stages.append(build_from_crawler(load_object(path), crawler))
            except NotConfigured:  # off for this crawl, as the crawl leaves it out
                continue
        for stage in self.stages:
            if hasattr(stage, "open_spider"):
                stage.open_spider()

    def pass_on(self, item) -> Any:
        """The item as it leaves the last pipeline, or None when one dropped it."""
        try:
            for stage in self.stages:
                item = stage.process_item(item)
        except DropItem:
            return None
        return item

    def into_run(self, fake: Fake, item) -> Any:
        """The item as the run took it once through the pipelines, or None when one dropped
        it (the crawl hands a scraped item to the run: harvester.run.extension)."""
        item = self.pass_on(item)
        if item is not None:
            fake.run.take(item)
        return item


def crawl_saved(fake: Fake, requests: Iterable[Request], root: Path = SITE,
                asked: list[str] | None = None, conditional: bool = False) -> list:
    """Answer `requests`, and every request their callbacks give, from the mirror folder `root`
    (following its redirects; a page it lacks answers 404; every page is answered whole, or,
    `conditional`, 304 to a request whose If-None-Match is the page's ETag, as the mirror's
    server does, the request and answer passing through the conditional requests middleware),
    and those of the after-walk phases whenever the queue runs dry, as the engine does; each
    item goes through the pipelines to the run. The items the run took, in order; the URL of
    each request answered is added to `asked`, in order."""
    pipelines, redirects, taken = Pipelines(fake.crawler), load_redirects(root), []
    known = ConditionalRequestsMiddleware(fake.run) if conditional else None
    queue = fake.crawler.engine.crawled
    queue += requests
    while queue or idle_gives_more(fake.spider):
        request = queue.pop(0)
        if asked is not None:
            asked.append(request.url)
        if known is not None:
            known.process_request(request)
        url, target = request.url, urlsplit(request.url)
        while rule := redirects.get(redirect_key(target.path)):
            request.meta.setdefault("redirect_urls", []).append(url)
            url = f"{target.scheme}://{target.netloc}{rule['location']}"
            target = urlsplit(url)
        for step in saved_answer_steps(request, url, root, known):
            if isinstance(step, Request):
                queue.append(step)
            elif (item := pipelines.into_run(fake, step)) is not None:
                taken.append(item)
    return taken


def saved_answer_steps(request: Request, url: str, root: Path,
                       known: ConditionalRequestsMiddleware | None) -> list:
    """What the request's callback (or errback) gives for the mirror folder's answer."""
    page = saved(url, root)
    if page.is_file():
        body = page.read_bytes()
        headers = validators(body)
        asked_with = (request.headers.get("If-None-Match") or b"").decode("latin-1")
        unchanged = known is not None and asked_with == headers["ETag"]
        response = answer(request, b"" if unchanged else body, status=304 if unchanged else 200,
                          headers=headers, url=url)
        if known is not None:
            response = known.process_response(request, response)
        return call(request, response)
    if 404 in request.meta.get("handle_httpstatus_list", ()):
        return call(request, answer(request, b"", status=404, url=url))
    return fail(request, http_error(request, 404))


def idle_gives_more(spider) -> bool:
    """Whether the spider, gone idle, gave the engine more requests (and so stays open)."""
    try:
        spider._on_idle()
    except DontCloseSpider:
        return True
    return False


def idle_hands_on(fake: Fake, take: Callable[[Any], None]) -> bool:
    """Whether a capture spider, gone idle (nothing fetched, every item taken), handed the
    crawl more: its walk's next phase; `take` is given each request and item it handed on."""
    given = handed_on_idle(fake)
    for step in given:
        take(step)
    return bool(given)


def publish(fake: Fake) -> Path:
    """Close the run as the crawl does when it ends; the folder it was published in."""
    fake.closed = True
    close_run(fake.run, "finished")
    published = fake.crawler.stats.get_value("harvester/run_dir")
    assert published, fake.crawler.stats.get_value("harvester/failure")
    return Path(published)


# How the fetcher's reads are answered, given the WARC handler.
Reader = Callable[[Request, WarcRecordHandler], Awaitable[Any]]


async def by_handler(request: Request, handler: WarcRecordHandler) -> Any:
    return await handler.download_request(request)


def read_from_files(fake: Fake, started: Callable[[], None] = lambda: None,
                    reader: Reader = by_handler) -> tuple[list, list[Request]]:
    """A warc run's `start()`, and then every request it and its callbacks give, in the order
    they were given, as the engine does: each page at the archive's URL answered by the
    download layer's fetcher (harvester.fetch), each record it asks for read by the WARC
    handler (harvester.sources.warc_handler); each item through the pipelines to the run. The
    items the run took, in order, and the requests the fetcher made of the handler, in the
    order it made them. `started` is called once `start()` is done (the files indexed), before
    any record is read; `reader` answers each read (a test's may fail some)."""
    pipelines, handler = Pipelines(fake.crawler), WarcRecordHandler()

    reads: list[Request] = []

    def take(step, queue: list, steps: list) -> None:
        if isinstance(step, Request):
            queue.append(step)
        elif (item := pipelines.into_run(fake, step)) is not None:
            steps.append(item)

    async def read(request: Request):
        reads.append(request)
        return await reader(request, handler)

    async def collect() -> list:
        fake.crawler.engine.download_async = read
        queue: list[Request] = []
        steps: list = []
        async for step in fake.spider.start():
            take(step, queue, steps)
        started()
        while queue or idle_hands_on(fake, lambda step: take(step, queue, steps)):
            if not queue:   # the walk, idle, handed on items only: ask it again
                continue
            for step in await fetched_steps(fake, queue.pop(0)):
                take(step, queue, steps)   # each item taken before the next step is asked for
        await asyncio.gather(*fake.spider.capture_fetch.batches)   # reads ahead still out
        await handler.close()
        return steps

    return asyncio.run(collect()), reads


def harvest_files(out: Path, *paths: Path, command_line: dict | None = None,
                  **arguments: Any) -> Path:
    """`harvester crawl archive --source warc PATH…` into `out`, offline (the warc spider as
    the command makes it, with `arguments` such as `topics` or `wayback_url`, and the `-s`
    settings `command_line`): the folder of the run published."""
    given = {"incremental": False, "captured_from": None, "captured_to": None,
             "wayback_url": None, **arguments}
    fake = fake_run(WarcSpider, out, command_line=command_line,
                    paths=[str(path) for path in paths], **given)
    try:
        read_from_files(fake)
        return publish(fake)
    finally:
        fake.close()
