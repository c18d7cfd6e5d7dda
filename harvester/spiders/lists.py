"""Walking a paged list without trusting what it says about itself.

A list's counter and pager only suggest how far to go. Pages are asked for in order, a few at a
time as earlier ones come back, so memory stays flat whatever a counter claims; a run of pages
with no documents new to the walk (empty, missing, failed, or the last page again, as a site that
clamps an out-of-range page number shows it) ends the walk, and so does a cap: what the counter
implies plus a margin, and a hard number of pages whatever the counter says.
"""

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError

from harvester.pages.listing import query_pairs
from harvester.spiders.base import failure_reason
from harvester.spiders.config import SpiderConfig
from harvester.spiders.hosts import HarvestHost

IN_FLIGHT_STAT = "harvester/list_pages_in_flight_max"


def list_page_url(url: str, number: int) -> str:
    """Page `number` of the list `url` belongs to; the first page carries no `page`, as the
    site links it."""
    parts = urlsplit(url)
    pairs = [(key, value) for key, value in query_pairs(url) if key != "page"]
    if number:
        pairs.append(("page", str(number)))
    return urlunsplit((parts.scheme, parts.netloc, parts.path,
                       urlencode(pairs, quote_via=quote, safe=""), ""))


@dataclass(frozen=True)
class Limits:
    window: int  # pages asked for ahead of the last page back in order
    empty_stop: int  # pages in a row with no new documents that end a walk
    margin: int  # pages beyond what the counter implies (the listing shifts while walked)
    max_pages: int  # pages of one list, whatever its counter says

    @classmethod
    def of(cls, config: SpiderConfig) -> "Limits":
        return cls(config.list_window, config.list_empty_stop, config.list_page_margin,
                   config.max_list_pages)


class ListWalk:
    """One walk of one list from its first page, which gives the counter and the page size.
    The next pages are asked for as earlier ones come back, never more than `window` beyond
    the last page back in order, so a lying counter costs neither memory nor more than a few
    requests past the list's real end."""

    def __init__(self, url: str, limits: Limits, window: int | None = None) -> None:
        self.url = list_page_url(url, 0)
        parts = urlsplit(self.url)
        self.name = parts.path + (f"?{parts.query}" if parts.query else "")
        self.limits = limits
        self.window = window or limits.window
        self.counter: int | None = None
        self.per_page = 0
        self.extent = 0  # the last page the counter or a pager link says there is
        self.next = 0  # the next page to ask for
        self.settled = -1  # every page up to this one came back
        self.back: dict[int, tuple[list[str], str | None]] = {}  # back early: links, why
        self.seen: set[str] = set()  # document links the walk has listed
        self.most_in_flight = 0
        self.empty_run = 0
        self.missing_run: list[str] = []  # missing pages since the last one with documents
        self.holes: list[str] = []  # missing pages with documents after them
        self.stopped: str | None = None  # why the walk ended before the list said it does
        self.finished = False  # ended by design (an incremental walk that found nothing new)

    def page_url(self, number: int) -> str:
        return list_page_url(self.url, number)

    @property
    def in_flight(self) -> int:
        return self.next - 1 - self.settled - len(self.back)

    def counter_pages(self) -> int:
        return math.ceil(self.counter / self.per_page) if self.counter and self.per_page else 0

    def allowed(self) -> int:
        """Pages this list may have: what its counter implies plus the margin, never more
        than the hard cap (which is all there is without a counter)."""
        if self.counter is not None and self.per_page:
            return min(self.limits.max_pages, self.counter_pages() + self.limits.margin)
        return self.limits.max_pages

    def due(self) -> list[int]:
        """Pages to ask for now, in order. The first page comes back alone before any other
        is asked for: it holds the counter, and so the cap."""
        pages = []
        while not (self.stopped or self.finished):
            if (self.next and self.settled < 0) or self.next > self.extent or \
                    self.next > self.settled + self.window:
                break
            if self.next >= self.allowed():
                self.stopped = self._cap_reason()
                break
            pages.append(self.next)
            self.next += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        return pages

    def _cap_reason(self) -> str:
        if self.allowed() == self.limits.max_pages:
            return f"stopped at its cap of {self.limits.max_pages} pages (HARVESTER_MAX_LIST_PAGES)"
        return (f"stopped at its cap of {self.allowed()} pages ({self.counter_pages()} for its "
                f"counter, plus HARVESTER_LIST_PAGE_MARGIN {self.limits.margin})")

    def answered(self, number: int, documents: list[str], counter: int | None = None,
                 links: Iterable[int] = ()) -> None:
        """A page came back with its document links, its counter and its pager's page
        numbers; the first page's counter and size set how far the list should go."""
        if number == 0:
            self.counter, self.per_page = counter, len(documents)
            self.extent = max(self.extent, self.counter_pages() - 1)
        self.extent = max([self.extent, *links])
        self._back(number, documents, None)

    def linked(self, number: int) -> None:
        """Another page links this page of the list (a topic page links its list)."""
        self.extent = max(self.extent, number)

    def seed(self, documents: list[str]) -> None:
        """The first page was read already: a topic page that is its own list's first page."""
        self.next = max(self.next, 1)
        self.answered(0, documents)

    def missing(self, number: int, why: str) -> None:
        """A page answered 404/410: the list's end if no page after it has documents."""
        self._back(number, [], why)

    def failed(self, number: int) -> None:
        """A page that failed (the run is incomplete already) counts as a page without
        documents, so a site failing past a list's end does not keep the walk going."""
        self._back(number, [], None)

    def finish(self) -> None:
        self.finished = True

    def _back(self, number: int, documents: list[str], why: str | None) -> None:
        """Pages are judged in page order, whatever order they came back in, so where a walk
        stops depends only on what the pages hold."""
        self.back[number] = (documents, why)
        while self.settled + 1 in self.back:
            self.settled += 1
            documents, why = self.back.pop(self.settled)
            new = set(documents) - self.seen
            self.seen |= new
            if new:
                self.holes += self.missing_run
                self.missing_run, self.empty_run = [], 0
                continue
            self.empty_run += 1
            if why:
                self.missing_run.append(why)
            if self.empty_run >= self.limits.empty_stop and self.stopped is None:
                self.stopped = (f"stopped after {self.empty_run} pages in a row with no new "
                                f"documents at page {self.settled}")

    def problems(self, found: int, complete: bool) -> list[str]:
        """Why the walk cannot be trusted to have seen the whole list: a missing page with
        documents after it; for a complete walk that `found` fewer documents than its counter,
        the stop or cap that ended it, or the missing pages it ended on. A short walk that
        ended where its counter said is for the spider to judge."""
        if self.holes or not complete:
            return list(self.holes)
        short = self.counter is None or found < self.counter
        if self.stopped and short:
            claim = "no counter" if self.counter is None else f"counter claims {self.counter}"
            return [f"listing {self.name} {self.stopped}; {claim}, {found} listed"]
        if self.missing_run and short and self.counter is not None:
            return list(self.missing_run)
        return []


class WalksLists(HarvestHost):
    """Mixin for HarvestSpider: the requests a walk is due, and what a page that did not come
    back means for its walk."""

    def new_walk(self, url: str) -> ListWalk:
        """An incremental walk goes one page at a time, so it can stop where nothing is new."""
        return ListWalk(url, Limits.of(self.config),
                        window=self.policy.list_window())

    def walk_requests(self, walk: ListWalk, callback, errback, priority: int = 0,
                      **cb_kwargs) -> Iterator[scrapy.Request]:
        # The walk asks for each page once (a re-walk asks again): no duplicate filter.
        for number in walk.due():
            yield scrapy.Request(walk.page_url(number), callback, errback=errback,
                                 priority=priority, dont_filter=True,
                                 cb_kwargs={**cb_kwargs, "number": number})
        self.crawler.stats.max_value(IN_FLIGHT_STAT, walk.most_in_flight)

    def walk_page_failed(self, walk: ListWalk, failure) -> None:
        """A page past the first that answers 404/410 may be where the list really ends (how
        a lying counter shows); anything else, or a missing first page, fails the list."""
        number = failure.request.cb_kwargs["number"]
        if number and failure.check(HttpError) and \
                failure.value.response.status in (404, 410):
            walk.missing(number, f"{failure.request.url}: {failure_reason(failure)}")
        else:
            self.list_failed(failure)
            walk.failed(number)

    def walk_problems(self, walk: ListWalk, found: int, complete: bool) -> list[str]:
        """The walk's problems; a stop that does not refuse the run (the counter was met, or
        an incremental walk) is still logged."""
        problems = walk.problems(found, complete)
        if walk.stopped and not problems:
            self.logger.warning("listing %s %s; %d listed", walk.name, walk.stopped, found)
        return problems

    def refuse(self, problems: list[str]) -> None:
        for problem in problems:
            self.run.incomplete(problem)
            self.logger.error("list incomplete, the run will not be published: %s", problem)
