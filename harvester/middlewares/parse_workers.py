"""Document pages parsed in worker processes beside the crawl (`HARVESTER_PARSE_WORKERS`), so
that parsing, the crawl's main cost, leaves the core the reactor runs on. A document page's
answer, once every other middleware has judged it (whole, decoded, no challenge), is parsed by
a worker while the reactor goes on; the spider takes the record from `response.meta`. A page
object is pure, so a page parsed there gives exactly the record it gives here. With 0 workers
(the default) this middleware is off and the spider parses in the crawl's own process."""

import asyncio
import contextlib
import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.connection import Connection

from parsel import Selector
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import TextResponse

from harvester.capture.rows import Capture
from harvester.items import Document
from harvester.pages.document import DocumentPage, MissingField
from harvester.sources import selection
from harvester.sources.warc_handler import BATCH_READ, RecordsRead

# Set by the spider on a document page's request; the parsed record comes back under the other.
DOCUMENT_PAGE = "document_page"
PARSED_RECORD = "parsed_record"
# Set by a capture spider on a document capture's request (the Capture); what the capture
# selection's reader makes of its page, should it be judged whole, comes back under the other.
DOCUMENT_CAPTURE = "document_capture"
PARSED_CAPTURE = "parsed_capture"
# The same for captures read together (harvester.sources.warc_handler's RECORD_BATCH): each
# capture, or None where it is no document; what was made of each, None where nothing was.
DOCUMENT_CAPTURES = "document_captures"
PARSED_CAPTURES = "parsed_captures"
# Sent by a spider that knows how many document pages lie ahead (`pages=`, a WARC index as it
# grows) before it asks for any: workers that will be needed start then, beside that work.
pages_foreseen = object()


def _worker_started(lifeline: Connection) -> None:
    """The crawl's process decides when to stop: a worker leaves Ctrl-C to it, and ends once
    that process is gone, however it went. A crawl killed outright (SIGKILL, the OOM killer)
    cannot tell its pool: the worker would wait for work for ever, and the forkserver with it,
    two idle processes left behind by every such run."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_end_with, args=(lifeline,), daemon=True).start()


def _end_with(lifeline: Connection) -> None:
    """Waits for the crawl's end of the lifeline to close (only the crawl's process holds
    it, so that is when the process is gone), then ends this worker."""
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv()
    os._exit(0)


def worker_ready() -> None:
    """Nothing: asked of a worker that starts early, so that it is started (its imports
    done) by the time the first page comes."""


def parsed_record(url: str, text: str) -> Document | tuple[str, str]:
    """The page's record, or (field, reason) of the field it lacks; parsed as Scrapy parses a
    response (`response.selector`)."""
    page = DocumentPage(Selector(text=text, type="html", base_url=url), url)
    try:
        return page.record()
    except MissingField as missing:
        return missing.field, missing.reason


def parsed_capture(capture: Capture, body: bytes, content_type: str):
    """What `selection.read_document` makes of a captured page, decoded as the selection
    decodes it (`selection.document_page`)."""
    return selection.read_document_page(capture, selection.document_page(capture.key, body,
                                                                          content_type))


def captured_html(response, capture: Capture) -> str | None:
    """The content type of a captured 200 answer that may be a page (as `selection.judge_page`
    asks it), else None: nothing else is worth a parse."""
    said = (response.headers.get("Content-Type") or b"").decode("latin-1") or None
    return html_type(response.status, said, response.body, capture)


def html_type(status: int, said: str | None, body: bytes, capture: Capture) -> str | None:
    content_type = said or capture.mimetype or ""
    if status != 200 or "html" not in content_type.lower() or body.lstrip()[:5] == b"%PDF-":
        return None
    return content_type


def parsed_captures(pages: list[tuple[Capture, bytes, str]]) -> list:
    """`parsed_capture` of each page, in one call to a worker."""
    return [parsed_capture(*page) for page in pages]


def record_from(parsed: Document | tuple[str, str]) -> Document:
    """The record a worker gave back; MissingField as the page object raised it there."""
    if isinstance(parsed, tuple):
        raise MissingField(*parsed)
    return parsed


class ParseWorkersMiddleware:
    """The workers start once `after` document pages have been left to the crawl's own
    process: starting one costs about what parsing a few hundred pages does, which a small
    crawl never earns back."""

    def __init__(self, workers: int, after: int = 0) -> None:
        self.workers = workers
        self.left = after   # pages still to leave to the crawl's process
        self.pool: ProcessPoolExecutor | None = None
        self.lifeline: Connection | None = None   # its closing ends the workers

    @classmethod
    def from_crawler(cls, crawler):
        workers = crawler.settings.getint("HARVESTER_PARSE_WORKERS")
        if workers <= 0:
            raise NotConfigured
        middleware = cls(workers, crawler.settings.getint("HARVESTER_PARSE_WORKERS_AFTER"))
        crawler.signals.connect(middleware.close, signal=signals.engine_stopped)
        crawler.signals.connect(middleware.foreseen, signal=pages_foreseen)
        return middleware

    def foreseen(self, pages: int) -> None:
        """As many pages ahead as the crawl would parse itself first: the workers start now,
        while the spider is busy with something else, and take every page."""
        if self.pool is not None or self.left <= 0 or pages < self.left:
            return
        self.left = 0
        pool = self.started()
        assert pool is not None, "nothing is left to the crawl's process now"
        for _ in range(self.workers):
            pool.submit(worker_ready)

    async def process_response(self, request, response):
        if (captures := request.meta.get(DOCUMENT_CAPTURES)) is not None:
            await self.parse_batch(request, captures)
            return response
        capture = request.meta.get(DOCUMENT_CAPTURE)
        if capture is not None:
            content_type = captured_html(response, capture)
            if content_type is not None and (pool := self.started()) is not None:
                future = pool.submit(parsed_capture, capture, response.body, content_type)
                request.meta[PARSED_CAPTURE] = await asyncio.wrap_future(future)
            return response
        if not request.meta.get(DOCUMENT_PAGE) or response.status != 200 or \
                not isinstance(response, TextResponse) or not response.text.strip() or \
                (pool := self.started()) is None:
            return response
        future = pool.submit(parsed_record, response.url, response.text)
        request.meta[PARSED_RECORD] = await asyncio.wrap_future(future)
        return response

    async def parse_batch(self, request, captures: list[Capture | None]) -> None:
        """The documents among captures read together, parsed by a worker in one call (those
        left to the crawl's process are not)."""
        parsed: list = [None] * len(captures)
        pages, places = [], []
        for place, (capture, read) in enumerate(zip(captures, request.meta[BATCH_READ],
                                                    strict=True)):
            if capture is None or not isinstance(read, RecordsRead) or \
                    not read.payload.complete:   # a page cut short is never used
                continue
            body = read.payload.body
            content_type = html_type(read.head.status or 0, read.content_type(), body, capture)
            if content_type is not None and self.started() is not None:
                pages.append((capture, body, content_type))
                places.append(place)
        if pages:
            assert self.pool is not None, "started() made it"
            results = await asyncio.wrap_future(self.pool.submit(parsed_captures, pages))
            for place, result in zip(places, results, strict=True):
                parsed[place] = result
        request.meta[PARSED_CAPTURES] = parsed

    def started(self) -> ProcessPoolExecutor | None:
        """The pool, once this page is past those left to the crawl's process (None: the
        spider parses this one itself)."""
        if self.left > 0:
            self.left -= 1
            return None
        if self.pool is None:
            # Workers start from a clean process (not a fork of the running crawl, its
            # reactor, sockets and threads). The crawl keeps the lifeline's sending end
            # until it exits.
            context = multiprocessing.get_context("forkserver")
            lifeline, self.lifeline = context.Pipe(duplex=False)
            self.pool = ProcessPoolExecutor(self.workers, initializer=_worker_started,
                                            initargs=(lifeline,), mp_context=context)
        return self.pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
