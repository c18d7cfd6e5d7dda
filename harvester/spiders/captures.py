"""What the web-archive and WARC spiders share: the run, the scope, asking for each page at the
archive's URL phase by phase (the order of work is `spiders.capture_order`'s; the choice among
its captures is made by the download layer's fetcher, harvester.fetch), and what each URL's
chosen capture becomes (a Document, a Topic, a counter, an alias, a reject:
`spiders.capture_records`).
"""

from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.utils.defer import deferred_from_coro

from harvester import interrupt
from harvester.capture.rows import Capture, check_partial_date, check_window
from harvester.fetch.choices import (
    CHOICE,
    FETCHED,
    CaptureFetch,
    CaptureLost,
    ChoiceRules,
    Fetched,
    Step,
)
from harvester.middlewares.control import is_stopping
from harvester.pages.topic import TopicPage
from harvester.run.harvest import Run, RunTerms
from harvester.run.refusal import LIMIT_REACHED
from harvester.site_urls import ARCHIVE_URL, UrlRebaser
from harvester.sources.urls import canonical_url
from harvester.spiders.base import check_base_url, failure_reason, introduce, take_limit
from harvester.spiders.capture_order import WorkOrder
from harvester.spiders.capture_records import CaptureRecords
from harvester.spiders.config import Configured
from harvester.spiders.topic import parse_slugs
from harvester.spiders.walk import WAIT, Walk

TRUE = ("1", "true", "yes")


class CaptureSpider(WorkOrder, CaptureRecords, Configured, scrapy.Spider):
    """Subclasses say how the census is taken and how a capture is fetched (`fetch_for`: a
    web archive's replays, the records of files, asked for by the download layer's fetcher,
    harvester.fetch); the spider asks for each page at the archive's URL.

    `self.run` (harvester.run.harvest.Run) is the run the spider works for, opened by the
    RunKeeper extension once the spider exists (`run_opened`)."""

    source = ""
    required_topics: list[str] = []   # a capture run publishes even if a topic page is missing

    def __init__(self, topics: str | list[str] | None = None, incremental: str | bool = False,
                 captured_from: str | None = None, captured_to: str | None = None,
                 base_url: str | None = None, limit: str | int | None = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self._limit_arg = limit
        self.slugs = parse_slugs(topics) if topics else []
        self.incremental = str(incremental).lower() in TRUE
        self.captured_from = check_partial_date(captured_from, "--captured-from") \
            if captured_from else None
        self.captured_to = check_partial_date(captured_to, "--captured-to") \
            if captured_to else None
        check_window(self.captured_from, self.captured_to)
        self._site_arg = base_url
        self.missing_topics: list[str] = []
        self.topic_pages: dict[str, TopicPage] = {}
        self.targets: deque[str] = deque()
        self.linked: set[str] = set()
        self.retries: deque[Step] = deque()   # choices left, to make again after their phase

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        take_limit(spider, spider._limit_arg)
        spider.site = check_base_url(spider._site_arg or settings.get("HARVESTER_BASE_URL")
                                     or ARCHIVE_URL)
        spider.public = check_base_url(settings.get("HARVESTER_PUBLIC_BASE_URL") or spider.site)
        spider.configure(crawler)
        spider.rebase = UrlRebaser("", "")
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        return spider

    def run_terms(self) -> RunTerms:
        return RunTerms(self.job(), self.arguments(), self.incremental, False, sweeps=False,
                        spider=self.name, base_url=self.base_url, topics=tuple(self.slugs),
                        required_topics=tuple(self.required_topics), reports=self,
                        stops_at_limit=True)

    def run_opened(self, run: Run) -> None:
        """The run, and its ledger of captures; a resumed run forgets what its interrupted
        attempt chose but did not stage."""
        self.run = run
        self.ledger = run.capture_ledger()
        if run.context.resumed:
            self.ledger.forget_unstaged()
        self.start_conflicts(self.ledger.staged_urls())
        self.walk = Walk(self.phases())
        self.capture_fetch = self.fetch_for(ChoiceRules(self.ledger, self,
                                                        self.config.capture_fetches))
        # Connected now, after the run's own handler (RunKeeper): the walk hears of an item
        # once the run has taken it.
        for done in (signals.item_scraped, signals.item_dropped, signals.item_error):
            self.crawler.signals.connect(self.item_done, signal=done)

    def configure(self, crawler) -> None:
        """Source settings (where to fetch from, politeness)."""
        introduce(self, crawler.settings, live=False)

    def job(self) -> str:
        scope = "topic-" + "+".join(sorted(self.slugs)) if self.slugs else "archive"
        return f"{scope}@{self.source}"

    def arguments(self) -> dict:
        return {"site": self.public, "source": self.source, "topics": sorted(self.slugs),
                "captured_from": self.captured_from, "captured_to": self.captured_to}

    def canonical(self, url: str | None) -> str | None:
        """The archive's form of a URL this source knows the site by, or None."""
        return self.on_site(url) if url else None

    def on_site(self, url: str) -> str | None:
        """The archive's form of a URL on the site (or on the run's public base)."""
        return canonical_url(url, self.site, self.public) or \
            canonical_url(url, self.public, self.public)

    # -- driving the choices ---------------------------------------------------------------------
    @property
    def parallel(self) -> int:
        """Pages being chosen at once: as many as requests may be (each source's add-on sets
        how many)."""
        return self.config.concurrent_requests

    # A trial run's limit ends the walk here, and the crawl once idle (`stops_at_limit` in
    # the run's terms; harvester.pipelines.limit): closing the crawl at once would wait for
    # ever on items a start() gave.
    def stopping(self) -> bool:
        """The run is being stopped (a signal, a stop rule) or reached its limit."""
        return is_stopping(self.crawler) or interrupt.stop_requested() or \
            self.limit_reached()

    def limit_reached(self) -> bool:
        """A trial run's limit is reached (the run says so once it holds N documents)."""
        run = getattr(self, "run", None)
        return run is not None and run.limit_reached

    def idle(self) -> None:
        """Nothing being fetched, nothing in the pipelines: the walk goes on to its next phase,
        if it has one (what it gives is handed to the crawl). A trial run that reached its
        limit closes as such; a walk still waiting for answers that will never come (a
        request dropped on the way) makes the run incomplete, never published as if it were
        whole."""
        if self.limit_reached():
            raise CloseSpider(LIMIT_REACHED)
        waiting = self.unanswered()
        for unanswered in waiting:
            self.run.incomplete(unanswered)
            self.logger.error("the run will not be published: %s", unanswered)
        if waiting or self.stopping() or getattr(self, "walk", None) is None:
            return
        self.walk.items_out = 0   # the crawl is idle: every item went through the pipelines
        given = list(self.advance())
        for step in given:
            self.hand_on(step)
        if given:
            raise DontCloseSpider

    def item_done(self) -> None:
        """An item the walk gave is through the pipelines; once none is out, a walk waiting at
        the end of a phase goes on at once (the crawl would notice it idle only at its next
        heartbeat, seconds later)."""
        walk = getattr(self, "walk", None)
        if walk is None or not walk.items_out:
            return
        walk.items_out -= 1
        if not walk.items_out and walk.holding() and not self.stopping():
            for step in self.advance():
                self.hand_on(step)

    def hand_on(self, step) -> None:
        """A request or an item given outside a callback, handed to the crawl as a callback's
        would be."""
        engine = self.crawler.engine
        assert engine is not None, "the walk goes on only while the crawl runs"
        if isinstance(step, scrapy.Request):
            engine.crawl(step)
        else:
            deferred_from_coro(engine.scraper.start_itemproc_async(step, response=None))

    def unanswered(self) -> list[str]:
        """What the walk still waits for once the crawl is idle."""
        walk = getattr(self, "walk", None)
        if walk is None or not walk.in_flight:
            return []
        asked = list(walk.choices)
        named = f": {', '.join(asked[:3])}{', ...' if len(asked) > 3 else ''}"
        return [f"{walk.in_flight} answer(s) never came{named}"]

    def advance(self) -> Iterator:
        """Start choices until as many are under way as allowed, or the walk is done: each is
        a request for the page at the archive's URL, answered by the fetcher (harvester.
        fetch) with what the choice among its captures came to."""
        while self.walk.in_flight < self.parallel and not self.stopping():
            step = self.walk.next_step()
            if step is None or step is WAIT:
                return
            if not isinstance(step, tuple):
                self.walk.items_out += 1
                yield step
                continue
            key, kind, context = step
            if key in self.walk.choices:   # a later phase reaching a URL still being chosen
                continue
            self.walk.open(key, kind, context)
            yield scrapy.Request(key, self.chosen, errback=self.choice_failed, dont_filter=True,
                                 meta={CHOICE: step})

    def chosen(self, response) -> Iterator:
        """What the URL's choice came to becomes its record (or reject, alias...); a choice
        left (the web archive failed to give a capture) is made afresh later."""
        key, kind, context = response.meta[CHOICE]
        fetched: Fetched = response.meta[FETCHED]
        self.walk.close(key)
        self.choose_again(fetched.again)
        if fetched.choice is not None:
            for item in self.finish(key, kind, context, fetched.choice):
                self.walk.items_out += 1
                yield item
        yield from self.advance()

    def choice_failed(self, failure) -> None:
        """A capture that could not be read for a reason of the run's own (or the fetcher
        failing): the run is incomplete, never published as if it were whole."""
        key = failure.request.meta[CHOICE][0]
        self.walk.close(key)
        lost = failure.value
        self.run.incomplete(str(lost) if isinstance(lost, CaptureLost)
                            else f"{key}: {failure_reason(failure)}")

    def choose_again(self, steps: list[Step]) -> None:
        """Choose these URLs again once the current phase is done."""
        self.retries.extend(steps)
        if self.retries and self.retry_keys not in self.walk.phases:
            self.walk.phases.insert(0, self.retry_keys)

    def retry_keys(self) -> Iterator[Step]:
        while self.retries:
            yield self.retries.popleft()

    # -- the fetch -----------------------------------------------------------------------------
    if TYPE_CHECKING:  # each source's: a web archive's replays, the records of files
        def fetch_for(self, rules: ChoiceRules) -> CaptureFetch: ...

    def capture_url(self, capture: Capture) -> str:
        return self.capture_fetch.capture_url(capture)

    def listing_report(self) -> dict:
        return {}

    def source_report(self) -> dict:
        return {"source": self.source, "site": self.public, **self.ledger.report(),
                "record_id_conflicts": self.conflicts,
                "topics_without_capture": sorted(self.missing_topics)}
