"""`Run`: one run while it lasts. Spiders and pipelines hand it what the crawl finds; documents
are staged in the state store as they arrive (a killed run resumes from them), the rest is kept
until the run is closed, refused or published."""

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from harvester.items import (
    Document,
    DocumentAlias,
    Gone,
    Listed,
    ListingCounter,
    Membership,
    Reject,
    Topic,
    Unchanged,
    to_record,
)
from harvester.items.validation import problems
from harvester.run.context import RunContext, utc_iso
from harvester.run.refusal import RunFacts

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunTerms:
    """What a spider asks of the run it opens."""

    job: str  # which dataset the run keeps current (one state store per job)
    arguments: dict  # what a resumed run must share with the interrupted one
    incremental: bool = False
    full_sweep: bool = False
    # Whether a complete run can tell a removal by absence (a web archive never forgets).
    sweeps: bool = True


class RunSpider(Protocol):
    """What the run reads from its spider when it closes (the manifest and the refusals)."""

    name: str
    base_url: str
    slugs: list[str]  # the topics asked for (none: the whole archive)
    required_topics: list[str]  # topics without which the run is refused
    incomplete: list[str]  # why the lists cannot be trusted to be complete
    warnings: list[str]  # one line each, for the manifest
    topics_not_found: dict[str, tuple[str, int]]  # slug -> (public URL, 404/410)

    def run_terms(self) -> RunTerms: ...
    def listing_report(self) -> dict: ...
    def source_report(self) -> dict: ...


@dataclass
class Harvest:
    """What a run gathered besides the documents themselves (those go to the state)."""

    topics: dict[str, Topic] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    counters: list[ListingCounter] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)
    fetched: int = 0
    not_modified: int = 0
    present: Counter = field(default_factory=Counter)


class Run:
    """The run a spider works for (`spider.run`): its context in the state and its harvest."""

    def __init__(self, crawler, spider: RunSpider, context: RunContext) -> None:
        self.crawler = crawler
        self.spider = spider
        self.context = context
        self.harvest = Harvest()

    @classmethod
    def open(cls, crawler, spider: RunSpider) -> "Run":
        """Take the output folder's lock and open the state; RunRefused when either cannot be
        had."""
        terms = spider.run_terms()
        context = RunContext.open(crawler.settings, terms.job, terms.arguments,
                                  terms.incremental, terms.full_sweep, terms.sweeps)
        return cls(crawler, spider, context)

    @property
    def store(self):
        return self.context.store

    @property
    def run_id(self) -> str:
        return self.context.run_id

    def take(self, item) -> None:
        """Stage a document, or keep what the run needs to publish."""
        store, run_id, harvest = self.store, self.run_id, self.harvest
        if isinstance(item, Document):
            record = to_record(item)
            etag, modified = item.validators or (None, None)
            store.stage_document(run_id, record, item.reached_from, etag, modified, utc_iso())
            harvest.fetched += 1
            harvest.present.update(k for k, v in record.items() if v not in (None, []))
        elif isinstance(item, DocumentAlias):
            store.add_urls(item.urls, item.record_id)
        elif isinstance(item, Listed):
            store.mark_listed(run_id, item.url)
        elif isinstance(item, Unchanged):
            store.stage_unchanged(run_id, item.record_id, utc_iso())
            harvest.not_modified += 1
        elif isinstance(item, Gone):
            harvest.gone.add(item.record_id)
        elif isinstance(item, Topic):
            harvest.topics.setdefault(item.slug, item)
        elif isinstance(item, Reject):
            harvest.rejects.append(item)
            self.crawler.stats.inc_value("harvester/rejects")
        elif isinstance(item, Membership):
            harvest.memberships.append(item)
        elif isinstance(item, ListingCounter):
            harvest.counters.append(item)

    def facts(self, reason: str) -> RunFacts:
        spider, harvest, stats = self.spider, self.harvest, self.crawler.stats
        store = self.store
        known = 0
        if harvest.fetched == 0:  # asked only when it can matter
            known = store.known_documents() + store.staged_documents(self.run_id)
        return RunFacts(
            finish_reason=reason,
            incomplete=tuple(spider.incomplete),
            missing_topics=tuple(s for s in spider.required_topics if s not in harvest.topics),
            topic_problems=tuple((topic.slug, found[0][1]) for topic in harvest.topics.values()
                                 if (found := problems(to_record(topic), "topic"))),
            document_requests=stats.get_value("harvester/document_requests", 0),
            document_failures=stats.get_value("harvester/document_failures", 0),
            fetched=harvest.fetched, not_modified=harvest.not_modified, known_documents=known,
            present=harvest.present,
            min_coverage=self.crawler.settings.getdict("HARVESTER_MIN_COVERAGE"))
