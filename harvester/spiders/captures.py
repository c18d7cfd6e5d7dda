"""What the web-archive and WARC spiders share: the run, the scope, the order of work, and
what each URL's chosen capture becomes (a Document, a Topic, a counter, an alias, a reject).

The order of work: a topic run reads its topic pages, then every captured page of their lists,
then the documents those link (a WARC run also every document naming the topic); an archive
run reads every document, then the topics they name and the first page of each topic's list.
Last come the URLs that are other addresses of a record (old numeric URLs, redirects).
"""

import json
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING

import scrapy
from scrapy import signals
from scrapy.exceptions import CloseSpider

from harvester import interrupt
from harvester.capture import outcomes
from harvester.capture.rows import Answer, Capture, check_partial_date, check_window
from harvester.items import Reject
from harvester.middlewares.control import is_stopping
from harvester.pages.topic import TopicPage
from harvester.pipelines.limit import LIMIT_STAT
from harvester.run.harvest import Run, RunTerms
from harvester.run.refusal import LIMIT_REACHED
from harvester.site_urls import ARCHIVE_URL, UrlRebaser, topic_url
from harvester.sources import selection
from harvester.sources.urls import canonical_url
from harvester.spiders.base import check_base_url, introduce, list_key, take_limit
from harvester.spiders.capture_records import CaptureRecords
from harvester.spiders.choosing import WAIT, Chooser, Phase, Walk, choose
from harvester.spiders.topic import parse_slugs

TRUE = ("1", "true", "yes")


class CaptureSpider(CaptureRecords, scrapy.Spider):
    """Subclasses say how the census is taken and how a capture is fetched: at once
    (`fetch_now`, a file) or by a request whose callback goes on (`capture_request`).

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

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        take_limit(crawler, spider._limit_arg)
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
                        required_topics=tuple(self.required_topics), reports=self)

    def run_opened(self, run: Run) -> None:
        """The run, and its ledger of captures; a resumed run forgets what its interrupted
        attempt chose but did not stage."""
        self.run = run
        self.ledger = run.capture_ledger()
        if run.context.resumed:
            self.ledger.forget_unstaged()
        self.start_conflicts(self.ledger.staged_urls())
        self.walk = Walk(self.phases())

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

    # -- the order of work ---------------------------------------------------------------------
    def phases(self) -> list[Phase]:
        resume = [self.resumed_rejects]
        if self.slugs:
            return [*resume, self.topic_keys, self.list_keys, self.document_keys,
                    self.target_keys, self.confirmation_keys, self.resolve]
        return [*resume, self.document_keys, self.target_keys, self.topic_keys,
                self.counter_keys, self.confirmation_keys, self.resolve]

    def resumed_rejects(self) -> Iterator[Reject]:
        """A resumed run gives again the rejects its interrupted part settled."""
        for key, detail in self.ledger.settled("reject"):
            assert detail is not None, f"{key}: settled as a reject without its reason"
            reason, field = json.loads(detail)
            yield Reject(url=key, reason=reason, field=field)

    def topic_keys(self) -> Iterator[tuple]:
        slugs = self.slugs or self.run.staged_topics()
        known = self.run.known_topic_slugs() if self.incremental and not self.slugs else ()
        for slug in slugs:
            if slug not in known:
                yield topic_url(slug, self.public), "topic", slug

    def list_keys(self) -> Iterator[tuple]:
        """Every captured page of each topic's own list (a topic run)."""
        for slug, page in self.topic_pages.items():
            wanted = {list_key(self.canonical(url) or url) for url in page.listing_urls()}
            for url in page.document_urls():
                if key := self.canonical(url):
                    self.ledger.link(slug, key)
            for key in self.ledger.all_keys("listing"):
                if list_key(key) in wanted:
                    yield key, "listing", slug

    def counter_keys(self) -> Iterator[tuple]:
        """The first page of each topic's list, for its counter (an archive run)."""
        for slug, page in self.topic_pages.items():
            for url in page.listing_urls()[:1]:
                if key := self.canonical(url):
                    yield key, "counter", slug

    def document_keys(self) -> Iterator[tuple]:
        if self.slugs:
            self.linked = {key for _, key in self.ledger.links()}
            for key in sorted(self.linked):
                if self.ledger.settlement(key) is None:
                    yield key, "document", None
            if not self.reads_every_document:
                return
        after = ""
        while keys := self.ledger.keys("document", after):
            for key in keys:
                yield key, "document", None
            after = keys[-1]

    def target_keys(self) -> Iterator[tuple]:
        """Where captured redirects led, when that URL has captures of its own."""
        while self.targets:
            key = self.targets.popleft()
            if self.ledger.settlement(key) is None and self.ledger.has_captures(key):
                yield key, "document", None
        if self.targets:
            self.walk.phases.insert(0, self.target_keys)

    # Whether a topic run reads every document of the source to find those naming the topic
    # (cheap from files, not from a web archive).
    reads_every_document = False

    # -- driving the choices ---------------------------------------------------------------------
    @property
    def parallel(self) -> int:
        """Choices with a fetch outstanding at once: one, for a source read at once (a file)."""
        return 1
    # A trial run's limit ends the walk here, and the crawl once idle (harvester.pipelines.
    # limit): closing the crawl at once would wait for ever on items a start() gave.
    stops_at_limit = True

    def stopping(self) -> bool:
        """The run is being stopped (a signal, a stop rule) or reached its limit."""
        return is_stopping(self.crawler) or interrupt.stop_requested() or \
            bool(self.crawler.stats.get_value(LIMIT_STAT))

    def idle(self) -> None:
        """Nothing left to do or to wait for. A trial run that reached its limit closes as
        such; a walk still waiting for answers that will never come (a request dropped on
        the way) makes the run incomplete, never published as if it were whole."""
        if self.crawler.stats.get_value(LIMIT_STAT):
            raise CloseSpider(LIMIT_REACHED)
        for waiting in self.unanswered():
            self.run.incomplete(waiting)
            self.logger.error("the run will not be published: %s", waiting)

    def unanswered(self) -> list[str]:
        """What the walk still waits for once the crawl is idle."""
        if getattr(self, "walk", None) is not None and self.walk.in_flight:
            return [f"{self.walk.in_flight} answer(s) never came"]
        return []

    def advance(self) -> Iterator:
        """Start choices until as many fetches are out as allowed, or the walk is done."""
        while self.walk.in_flight < self.parallel and not self.stopping():
            step = self.walk.next_step()
            if step is None or step is WAIT:
                return
            if not isinstance(step, tuple):
                yield step
                continue
            key, kind, context = step
            yield from self.proceed(key, kind, context, self.choice_for(key, kind), None)

    def proceed(self, key: str, kind: str, context: str | None, chooser, answer) -> Iterator:
        """Give a choice what it asked for until it is made; a fetch that cannot be answered
        at once leaves as a request whose callback comes back here."""
        while True:
            try:
                capture = chooser.send(answer)
            except StopIteration as done:
                yield from self.finish(key, kind, context, done.value)
                return
            answer = self.fetch_now(capture) or self.unrequestable(capture)
            if answer is None:
                self.walk.in_flight += 1
                yield self.capture_request(capture, key, kind, context, chooser)
                return

    def fetch_now(self, capture: Capture) -> Answer | None:
        """The source's answer for a capture it can read at once (a file), else None: then
        the source's `capture_request` fetches it, and its callback comes back to `proceed`."""
        return None

    def unrequestable(self, capture: Capture) -> Answer | None:
        """Why a capture's request would never be sent, as its answer (None: it can be)."""
        return None

    if TYPE_CHECKING:  # given by a source that fetches over the network (the web archive's)
        def capture_request(self, capture: Capture, key: str, kind: str, context: str | None,
                            chooser: Chooser) -> scrapy.Request: ...

    # -- choosing ------------------------------------------------------------------------------
    def choice_for(self, key: str, kind: str) -> Chooser:
        read = {"document": selection.read_document, "topic": selection.read_topic,
                "listing": selection.read_listing, "counter": selection.read_listing}[kind]
        page_kind = "listing" if kind == "counter" else kind
        return choose(self.ledger, key, page_kind, read, self.judge, self.unfetched_skip,
                      self.crawler.settings.getint("HARVESTER_CAPTURE_FETCHES"))

    def judge(self, capture: Capture, answer) -> selection.Verdict:
        """The selection rules, with redirects to the other addresses this source knows the
        site by (a mirror's address, in WARC files a crawl of one kept)."""
        verdict = selection.judge(capture, answer, self.site, self.public)
        if verdict.outcome == outcomes.REDIRECT_AWAY and (target := self.canonical(
                answer.moved_to)):
            return selection.redirect_verdict(capture, answer, target)
        return verdict

    def unfetched_skip(self, capture: Capture) -> str | None:
        """A skip decided from the census row alone, without fetching."""
        return selection.census_type_skip(capture)

    def capture_url(self, capture: Capture) -> str:
        return capture.location

    def listing_report(self) -> dict:
        return {}

    def source_report(self) -> dict:
        return {"source": self.source, "site": self.public, **self.ledger.report(),
                "record_id_conflicts": self.conflicts,
                "topics_without_capture": sorted(self.missing_topics)}
