"""Spiders as a crawl builds them, without a reactor or a server, for tests that call their
callbacks one at a time: Scrapy's Crawler with the harvester's settings, the run opened over a
state in a temporary folder (a `RecordingRun`, which notes what the spider tells it), answers
built from saved pages, and the failures Scrapy hands an errback. Whole runs made of them, offline,
are in tests/helpers/offline_runs.py.

The crawler is built in the order `Crawler.crawl` builds it (the spider before the settings are
frozen), not with `scrapy.utils.test.get_crawler`, which freezes them first: the spiders set
settings when they are made (`-a limit`, the loopback and web-archive profiles)."""

import asyncio
import contextlib
import hashlib
import inspect
import pickle
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DontCloseSpider,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
)
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.request import request_from_dict
from scrapy.utils.test import get_reactor_settings
from twisted.python.failure import Failure

from harvester.fetch.middleware import CaptureFetchMiddleware
from harvester.items import to_record
from harvester.middlewares.conditional import ConditionalRequestsMiddleware
from harvester.mirror.layout import relative_file
from harvester.run.context import state_path
from harvester.run.harvest import Run
from harvester.run.merge import PROVENANCE
from harvester.settings import base
from harvester.state.store import StateStore
from tests.helpers.pages import SITE

HTML = {"Content-Type": "text/html; charset=utf-8"}
MODIFIED = "Mon, 05 Jan 2026 10:00:00 GMT"  # every saved page's Last-Modified
NOW = datetime(2026, 1, 6, 8, 30, tzinfo=UTC)  # when a test's live pages are read
# What a spider hands its run directly, never as items (harvester.run.harvest.Run).
TOLD = ("listed", "members", "counter", "gone", "alias", "person_page", "duplicate", "recheck")


def harvester_settings(out: Path, **overrides: Any) -> dict:
    """The project's settings, no extension (the run is opened here, not by RunKeeper), the
    output folder `out`, and `overrides`."""
    project = {name: getattr(base, name) for name in dir(base) if name.isupper()}
    return {**project, **get_reactor_settings(), "EXTENSIONS": {},
            "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False,
            "HARVESTER_OUTPUT_DIR": str(out), **overrides}


@dataclass
class Scraper:
    """What an idle capture spider uses of Scrapy's scraper: the items it hands on, kept in
    `given`."""

    given: list = field(default_factory=list)

    def start_itemproc_async(self, item: Any, response: Any = None) -> None:
        self.given.append(item)


async def no_download(request: Request) -> Any:
    raise AssertionError(f"nothing answers {request} in this test")


@dataclass
class Engine:
    """What the spiders use of Scrapy's engine: `crawl` (the requests an idle spider hands
    on, kept in `crawled`), its scraper (the items an idle spider hands on), `download_async`
    (how the fetcher asks for a capture: set by the test that answers it), and no downloader
    or open spider for a stopping run to drain or close (harvester.middlewares.control.
    stop_run)."""

    crawled: list = field(default_factory=list)
    scraper: Scraper = field(default_factory=Scraper)
    downloader: None = None
    spider: None = None
    download_async: Callable = no_download

    def crawl(self, request: Request) -> None:
        self.crawled.append(request)


def made_spider(spidercls: type, out: Path, settings: dict | None = None,
                command_line: dict | None = None, **arguments: Any):
    """A crawler and its spider, as `scrapy crawl` makes them (`command_line`: its `-s`
    settings, which no add-on overrides); the crawl counts as running (what `is_stopping`
    reads), its engine an `Engine`."""
    crawler = Crawler(spidercls, harvester_settings(out, **(settings or {})))
    crawler.settings.setdict(command_line or {}, priority="cmdline")
    crawler.spider = crawler._create_spider(**arguments)
    crawler._apply_settings()
    crawler.crawling = True
    crawler.engine = Engine()
    return crawler, crawler.spider


class RecordingRun(Run):
    """The real run, noting in `told` each thing the spider hands it directly, in order, with
    every argument (defaults filled in); calls the run makes to itself are not noted."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.told: list[tuple] = []
        self._telling = False


def _noted(name: str):
    real = getattr(Run, name)
    signature = inspect.signature(real)

    def noted(self: RecordingRun, *args: Any, **kwargs: Any) -> Any:
        if self._telling:
            return real(self, *args, **kwargs)
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        self.told.append((name, *list(bound.arguments.values())[1:]))
        self._telling = True
        try:
            return real(self, *args, **kwargs)
        finally:
            self._telling = False

    noted.__name__ = name
    return noted


for _name in TOLD:
    setattr(RecordingRun, _name, _noted(_name))


@dataclass
class Fake:
    """A spider and the run it works for, with the crawler that holds its settings, its stats
    and its engine."""

    crawler: Crawler
    spider: Any
    run: RecordingRun
    closed: bool = False

    @property
    def stats(self) -> dict:
        return self.crawler.stats.get_stats()

    @property
    def engine(self) -> Engine:
        return self.crawler.engine

    def close(self) -> None:
        """Let the state go, and the output folder's lock, unless the run was closed."""
        if not self.closed:
            self.closed = True
            self.run.store.close()


@cache
def empty_state() -> bytes:
    """A new state file's bytes, as a first run creates it (made once: creating one takes
    most of the time a run takes to open)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "empty.sqlite"
        StateStore(path).close()
        return path.read_bytes()


def fake_run(spidercls: type, out: Path, settings: dict | None = None,
             command_line: dict | None = None, **arguments: Any) -> Fake:
    """A spider whose run is open over the state in `out` (a new one when `out` holds none
    for its job), as RunKeeper opens it."""
    crawler, spider = made_spider(spidercls, out, settings, command_line, **arguments)
    state = state_path(out.resolve(), spider.run_terms().job)
    if not state.exists():
        state.parent.mkdir(parents=True, exist_ok=True)
        state.write_bytes(empty_state())
    run = RecordingRun.open(crawler, spider.run_terms())
    spider.run_opened(run)
    return Fake(crawler, spider, run)


def started(spider) -> list:
    """What the spider's `start()` gives, iterated to its end."""
    async def collect() -> list:
        return [step async for step in spider.start()]

    return asyncio.run(collect())


# -- answers -----------------------------------------------------------------------------------
def saved(url: str, root: Path = SITE) -> Path:
    """The file of a mirror folder that holds the page at `url`."""
    parts = urlsplit(url)
    return root / str(relative_file(parts.path + (f"?{parts.query}" if parts.query else "")))


def answer(request: Request, body: bytes | None = None, status: int = 200,
           headers: dict | None = None, url: str | None = None, root: Path = SITE):
    """The site's answer to `request`: the page saved at its URL (or `body`), at `url` when it
    was redirected there."""
    if body is None:
        body = saved(url or request.url, root).read_bytes()
    return HtmlResponse(url or request.url, status=status, body=body, request=request,
                        headers={**HTML, **(headers or {})})


def validators(body: bytes) -> dict[str, str]:
    """The ETag and Last-Modified a mirror server gives a page (harvester/mirror/server.py)."""
    return {"ETag": f'"{hashlib.sha1(body).hexdigest()}"', "Last-Modified": MODIFIED}


def sent(fake: "Fake", request: Request) -> Request:
    """The request as the download layer sends it: a known document's with the validators
    the run's state keeps (harvester.middlewares.conditional)."""
    ConditionalRequestsMiddleware(fake.run).process_request(request)
    return request


def received(fake: "Fake", request: Request, response):
    """The answer as the download layer hands it on: a 304 with the stored record."""
    return ConditionalRequestsMiddleware(fake.run).process_response(request, response)


def call(request: Request, response) -> list:
    """Everything the request's callback gives for `response`."""
    return list(request.callback(response, **request.cb_kwargs) or ())


@dataclass
class Answered:
    """What the fetcher asked the download layer for, in order, while it answered a request
    for a page at the archive's URL, and what that request's callback (or errback) gave."""

    asked: list[Request]
    given: list


def fetch_answered(fake: "Fake", request: Request,
                   answer: Callable[[Request], Any]) -> Answered:
    """The download layer's fetcher (harvester.fetch) answering `request`, each capture it asks
    for answered by `answer`: a response, or an exception, raised as the download's failure;
    its answer handed to the request's callback, a failure to its errback."""
    asked: list[Request] = []

    async def download(capture_request: Request) -> Any:
        asked.append(capture_request)
        result = answer(capture_request)
        if isinstance(result, BaseException):
            raise result
        return result

    engine = fake.crawler.engine
    engine.download_async = download
    try:
        return Answered(asked, asyncio.run(fetched_steps(fake, request)))
    finally:
        engine.download_async = no_download


async def fetched_steps(fake: "Fake", request: Request) -> list:
    """What the request's callback gives for the fetcher's answer to it (its errback, for the
    fetcher's failure), each capture asked of `fake.crawler.engine.download_async`."""
    try:
        response = await CaptureFetchMiddleware(fake.crawler).process_request(request)
    except Exception as error:  # noqa: BLE001 (what the errback is given)
        return fail(request, failure(request, error))
    return call(request, response)


def by_url(answers: dict[str, Callable[[Request], Any]]) -> Callable[[Request], Any]:
    """Answers to capture requests, by URL."""
    return lambda request: answers[request.url](request)


def stored_and_read_back(request: Request, spider) -> Request:
    """The request as a disk queue keeps it (Scrapy's `to_dict`, pickled) and gives it back."""
    kept = pickle.dumps(request.to_dict(spider=spider), protocol=4)
    return request_from_dict(pickle.loads(kept), spider=spider)


def as_sent(request: Request) -> tuple:
    """What a request asks for and where its answer goes."""
    return (request.url, request.method, request.priority, request.dont_filter,
            request.callback.__name__, request.errback.__name__ if request.errback else None,
            request.cb_kwargs, request.meta)


def failure(request: Request, error: Exception) -> Failure:
    """What Scrapy hands an errback: the error, with the request that failed."""
    failed = Failure(error)
    failed.request = request
    return failed


def http_error(request: Request, status: int, retries: int = 0, headers: dict | None = None,
               body: bytes = b"") -> Failure:
    """An answer HttpErrorMiddleware refused, after `retries` retries."""
    if retries:
        request.meta["retry_times"] = retries
    return refused_answer(HtmlResponse(request.url, status=status, body=body, request=request,
                                       headers={**HTML, **(headers or {})}))


def refused_answer(response) -> Failure:
    """A whole answer HttpErrorMiddleware refused (its status not handled)."""
    return failure(response.request, HttpError(response, "Ignoring non-200 response"))


def timed_out(request: Request, seconds: float = 180.0) -> Failure:
    """A download that took longer than DOWNLOAD_TIMEOUT, as Scrapy's handler says it."""
    return failure(request, DownloadTimeoutError(
        f"Getting {request.url} took longer than {seconds} seconds."))


def unresolved(request: Request) -> Failure:
    """A host name that does not resolve, as Scrapy's handler says it."""
    host = urlsplit(request.url).hostname
    return failure(request, CannotResolveHostError(
        f"DNS lookup failed: no results for hostname lookup: {host}."))


def refused(request: Request) -> Failure:
    """A connection the server refused, as Scrapy's handler says it."""
    return failure(request, DownloadConnectionRefusedError(
        "Connection was refused by other side: 111: Connection refused."))


def fail(request: Request, failed: Failure) -> list:
    """Everything the request's errback gives for `failed`."""
    return list(request.errback(failed) or ())


def handed_on_idle(fake: "Fake") -> list:
    """What a capture spider hands the crawl once it goes idle (its walk's next phase):
    requests, then items."""
    engine = fake.crawler.engine
    with contextlib.suppress(DontCloseSpider):
        fake.spider.idle()
    given = [*engine.crawled, *engine.scraper.given]
    engine.crawled.clear()
    engine.scraper.given.clear()
    return given


def requested(steps: Iterable) -> list[tuple]:
    """(URL, callback name, errback name, cb_kwargs) of each request among `steps`."""
    return [(r.url, r.callback.__name__, r.errback.__name__ if r.errback else None,
             r.cb_kwargs) for r in steps if isinstance(r, Request)]


def record_of(item) -> dict:
    """An item as written, without the fields that say when and whence it was read."""
    return {k: v for k, v in to_record(item).items() if k not in PROVENANCE}
