"""Whole wayback runs without a crawl process: the wayback spider as `harvester crawl … --source
wayback` makes it, every request it gives answered in the order given, one at a time: a census
query asked of the stand-in Wayback Machine (served on loopback by the test's own process) with
a plain HTTP client, an error answer the request does not take given to its errback as Scrapy's
HttpError; a page at the archive's URL answered by the download layer's fetcher
(harvester.fetch), each replay it asks for asked of the stand-in the same way and read as the
download layer reads it (harvester.middlewares.captured); each item through the pipelines to
the run, and the run published as a crawl closes it.

There is no engine: no retries, no pauses, no slots. What needs those (429s, Retry-After, the
archive failing, a replay too big or too long for Scrapy, a kill) stays a process
(tests/end_to_end)."""

import asyncio
import http.client
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.spidermiddlewares.httperror import HttpError, HttpErrorMiddleware

from harvester.fetch.choices import CHOICE
from harvester.middlewares.captured import CapturedAnswersMiddleware
from harvester.mirror.wayback.server import WaybackServer
from harvester.run.publish import close_run
from harvester.spiders.topic import parse_slugs
from harvester.spiders.wayback import WaybackSpider
from tests.helpers.offline_runs import Pipelines, idle_hands_on
from tests.helpers.spider_fakes import Fake, failure, fake_run, fetched_steps

# One choice at a time (as CONCURRENT_REQUESTS=1 makes a crawl), census pages of 7 rows.
ONE_AT_A_TIME = {"CONCURRENT_REQUESTS": 1, "HARVESTER_CDX_PAGE_ROWS": 7}


def downloaded(fake: Fake, server: WaybackServer, request: Request,
               captured: CapturedAnswersMiddleware):
    """The stand-in's answer to a request, as the download layer hands it to the spider
    (`captured`: the crawl's middleware, made as the crawl makes it)."""
    parts = urlsplit(request.url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPConnection(*server.server_address[:2], timeout=60)
    try:
        connection.request("GET", target, headers={"Accept-Encoding": "identity"})
        answer = connection.getresponse()
        status, headers, body = answer.status, Headers(answer.getheaders()), answer.read()
    finally:
        connection.close()
    kind = responsetypes.from_args(headers=headers, url=request.url, body=body)
    response = kind(request.url, status=status, headers=headers, body=body, request=request)
    fake.crawler.signals.send_catch_log(signals.response_downloaded, response=response,
                                        request=request, spider=fake.spider)
    return captured.process_response(request, response)


def given_for(fake: Fake, request: Request, response) -> list:
    """What the request's callback gives for the answer, or its errback for the HttpError
    Scrapy would raise for it."""
    try:
        HttpErrorMiddleware(fake.crawler.settings).process_spider_input(response)
    except HttpError as error:
        return list(request.errback(failure(request, error)) or ())
    return list(request.callback(response, **request.cb_kwargs) or ())


async def steps_for(fake: Fake, server: WaybackServer, request: Request,
                    captured: CapturedAnswersMiddleware) -> list:
    """What the request's callback gives: for a page, the fetcher's answer; else the
    stand-in's."""
    if CHOICE in request.meta:
        return await fetched_steps(fake, request)
    return given_for(fake, request, downloaded(fake, server, request, captured))


def ask_archive(fake: Fake, server: WaybackServer) -> list:
    """The spider's `start()`, then every request answered by the stand-in, in the order
    given, and the walk's next phase whenever nothing is left, as the engine does. The
    items the run took, in order."""
    pipelines = Pipelines(fake.crawler)
    captured = CapturedAnswersMiddleware.from_crawler(fake.crawler)
    queue: list[Request] = []
    taken: list = []

    def take(step) -> None:
        if isinstance(step, Request):
            queue.append(step)
        elif (item := pipelines.into_run(fake, step)) is not None:
            taken.append(item)

    async def download(request: Request):
        return downloaded(fake, server, request, captured)

    async def run() -> None:
        fake.crawler.engine.download_async = download
        async for step in fake.spider.start():
            take(step)
        while queue or idle_hands_on(fake, take):
            if not queue:   # the walk, idle, handed on items only: ask it again
                continue
            for step in await steps_for(fake, server, queue.pop(0), captured):
                take(step)

    asyncio.run(run())
    return taken


def harvest_wayback(server: WaybackServer, out: Path, spider: str = "archive",
                    settings: dict | None = None, **arguments: Any) -> Fake:
    """`harvester crawl SPIDER --source wayback --wayback-url <the stand-in>` into `out`,
    closed as the crawl closes it (published, or refused: `harvester/failure` in its stats).
    `spider` is "archive" or "topic" (the topics of the run: `topics`)."""
    url = f"http://{server.server_address[0]}:{server.server_address[1]}"
    given = {"incremental": False, "captured_from": None, "captured_to": None, **arguments}
    if spider == "topic":
        given["topics"] = parse_slugs(given.get("topics") or None)
    fake = fake_run(WaybackSpider, out, command_line={**ONE_AT_A_TIME, **(settings or {})},
                    wayback_url=url, **given)
    try:
        ask_archive(fake, server)
        fake.closed = True
        close_run(fake.run, "finished")
    finally:
        fake.close()
    return fake
