"""`Run`: one run while it lasts. Records (Documents, Topics, Rejects) reach it as items, once
through the pipelines; what the run alone needs (which links a listing showed, topic
memberships, list counters, documents gone, other URLs of a document) the spider and pipelines
hand it directly, never as items, so feeds see only records. Documents are staged in the state
store as they arrive (a killed run resumes from them); the rest is kept until the run is closed,
refused or published. Every URL handed to the run is public (as records name it)."""

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from harvester.items import Document, Reject, Topic, to_record
from harvester.items.envelope import envelope_of, has_envelope
from harvester.items.validation import problems
from harvester.run.config import RunConfig
from harvester.run.context import RunContext
from harvester.run.coverage import Baseline
from harvester.run.findings import Findings, TellsFindings
from harvester.run.outcome import RunOutcome
from harvester.run.reads import StateReads
from harvester.run.refusal import RunFacts
from harvester.state.budget import recheck_budget
from harvester.state.captures import CaptureLedger
from harvester.state.known_topics import known_topics
from harvester.utc import utc_iso

logger = logging.getLogger(__name__)


class Reports(Protocol):
    """The manifest's account of the walk and of where pages came from, asked once when the
    run is published."""

    def listing_report(self) -> dict: ...
    def source_report(self) -> dict: ...


class NoReports:
    def listing_report(self) -> dict:
        return {}

    def source_report(self) -> dict:
        return {}


@dataclass(frozen=True)
class RunTerms:
    """What a spider asks of the run it opens, all it says of itself."""

    job: str  # which dataset the run keeps current (one state store per job)
    arguments: dict  # what a resumed run must share with the interrupted one
    incremental: bool = False
    full_sweep: bool = False
    # Whether a complete run can tell a removal by absence (a web archive never forgets).
    sweeps: bool = True
    spider: str = ""  # the spider's name, for the manifest
    base_url: str = ""  # where pages were asked for
    topics: tuple[str, ...] = ()  # the topics asked for (none: the whole archive)
    required_topics: tuple[str, ...] = ()  # topics without which the run is refused
    reports: Reports = field(default_factory=NoReports)
    # The spider ends its own walk once the limit is reached, and the crawl closes once idle
    # (harvester.pipelines.limit); otherwise the Nth document closes the crawl.
    stops_at_limit: bool = False


@dataclass
class Membership:
    """A topic's list links to a document URL; resolved to a Record ID when the run ends."""

    topic_slug: str
    document_url: str


@dataclass
class ListingCounter:
    """What one page of a topic's list says about the whole list."""

    topic_slug: str
    url: str
    total: int | None
    topic_id: int | None


# The start of the line that says documents reached the run unsealed (Run.unsealed).
UNSEALED = "items replaced on the way: "


@dataclass
class Harvest:
    """What a run gathered besides the documents themselves (those go to the state)."""

    topics: dict[str, Topic] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    counters: list[ListingCounter] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)
    # slug -> what the person's own page says (harvester.pages.person.PersonPage.details).
    person_pages: dict[str, dict] = field(default_factory=dict)
    fetched: int = 0
    not_modified: int = 0
    duplicates: int = 0   # documents reached again by another URL (kept as its alias)
    rechecks: int = 0     # known documents asked for again, once the walk was over
    requests: int = 0     # sent by this process (a resumed run's earlier ones are not)
    responses: int = 0
    present: Counter = field(default_factory=Counter)
    # Record IDs of the documents staged as they passed their schema in this crawl.
    checked: set[str] = field(default_factory=set)
    # URLs of documents that reached the run unsealed (Run.unsealed).
    unsealed: list[str] = field(default_factory=list)


class Run(TellsFindings, StateReads):
    """The run a spider works for (`spider.run`): its context in the state and its harvest."""

    def __init__(self, crawler, terms: RunTerms, context: RunContext,
                 config: RunConfig) -> None:
        self.crawler = crawler
        self.terms = terms
        self.config = config
        self.context = context
        self.harvest = Harvest()
        self.findings = Findings()
        self.outcome = RunOutcome()
        # Document URL -> topics whose list has it -> when first seen (memberships' order).
        self._listed_in: dict[str, dict[str, int]] = {}
        self._ledger: CaptureLedger | None = None
        self.limit_reached = False   # a trial run holds its `--limit N` documents

    @classmethod
    def open(cls, crawler, terms: RunTerms) -> "Run":
        """Take the output folder's lock and open the state; RunRefused when either cannot be
        had."""
        config = RunConfig.of(crawler.settings)
        context = RunContext.open(config, terms.job, terms.arguments, terms.incremental,
                                  terms.full_sweep, terms.sweeps)
        return cls(crawler, terms, context, config)

    def reach_limit(self) -> None:
        """The trial run holds as many documents as it was limited to (harvester.pipelines.
        limit): a spider that ends its own walk there asks `limit_reached`."""
        self.limit_reached = True

    def recheck_budget(self, period_days: float, fixed: int) -> int:
        """How many known documents this run re-checks (harvester.state.budget)."""
        context = self.context
        return recheck_budget(self.store, context.job, context.started, period_days, fixed)

    def capture_ledger(self) -> CaptureLedger:
        """A web-archive or WARC run's census and choices, kept in this run's state: one
        ledger, whose knowledge of what was tried is the table's."""
        if self._ledger is None:
            self._ledger = CaptureLedger(self.store, self.run_id)
        return self._ledger

    # -- records, as the pipelines passed them -------------------------------------------------
    def take(self, item) -> None:
        """Stage a document (one found unchanged as checked), or keep a topic or a reject."""
        store, run_id, harvest = self.store, self.run_id, self.harvest
        envelope = envelope_of(item)
        if isinstance(item, Document) and not has_envelope(item):
            self.unsealed(item)
        elif isinstance(item, Document) and envelope.unchanged:
            store.stage_unchanged(run_id, item.record_id, utc_iso())
            harvest.not_modified += 1
        elif isinstance(item, Document):
            record = to_record(item)
            etag, modified = envelope.validators or (None, None)
            store.stage_document(run_id, record, envelope.reached_from, etag, modified, utc_iso())
            if envelope.checked:
                harvest.checked.add(record["record_id"])
            harvest.fetched += 1
            harvest.present.update(k for k, v in record.items() if v not in (None, []))
        elif isinstance(item, Topic):
            assert item.slug is not None, f"{item.url}: a topic without its slug"  # as built
            harvest.topics.setdefault(item.slug, item)
        elif isinstance(item, Reject):
            harvest.rejects.append(item)
            self.crawler.stats.inc_value("harvester/rejects")

    def unsealed(self, item: Document) -> None:
        """A document without what the crawl knew of it: staged, how it was reached (so its
        topics and other addresses) would be lost silently, so the run is not published. Said
        once, with how many and the first."""
        self.harvest.unsealed.append(item.url or "")
        first, count = self.harvest.unsealed[0], len(self.harvest.unsealed)
        self.incomplete_again(UNSEALED, [
            f"{count} document(s) without what the crawl knew of them, the first {first} (an "
            "item pipeline gave a copy in its place?)"])

    # -- what only the run needs, handed to it directly -----------------------------------------
    def listed(self, urls: list[str], topic_slug: str | None = None) -> None:
        """A listing page showed these document links (presence, for complete sweeps); a
        topic's list makes them members of the topic."""
        for url in urls:
            self.store.mark_listed(self.run_id, url)
        if topic_slug is not None:
            self.members(topic_slug, urls)

    def members(self, topic_slug: str, urls: list[str]) -> None:
        """The topic lists these document URLs (resolved to records when the run ends)."""
        self.harvest.memberships += [Membership(topic_slug, url) for url in urls]
        for url in urls:
            self._listed_in.setdefault(url, {}).setdefault(topic_slug,
                                                           len(self.harvest.memberships))

    def topics_listing(self, urls: list[str]) -> list[dict]:
        """{slug, title} of each harvested topic whose list links one of these URLs so far:
        a document's memberships, given to it before it is yielded (merged again on publish)."""
        first: dict[str, int] = {}
        for url in urls:
            for slug, seen in self._listed_in.get(url, {}).items():
                first[slug] = min(seen, first.get(slug, seen))
        slugs = sorted(first, key=first.__getitem__)
        topics = self.harvest.topics
        return [{"slug": slug, "title": topics[slug].title} for slug in slugs if slug in topics]

    def counter(self, topic_slug: str, url: str, total: int | None,
                topic_id: int | None) -> None:
        """What a page of a topic's list (or of the archive's listing, slug "") says about the
        whole list."""
        self.harvest.counters.append(ListingCounter(topic_slug, url, total, topic_id))

    def exchanged(self, requests: int = 0, responses: int = 0) -> None:
        """Requests sent and answers received (harvester.middlewares.exchanges)."""
        self.harvest.requests += requests
        self.harvest.responses += responses

    def gone(self, record_id: str) -> None:
        """A known document's page answered 404 or 410."""
        self.harvest.gone.add(record_id)

    def person_page(self, slug: str, details: dict) -> None:
        """What the page of a person the documents link says; saved when the run is
        published, for the people index."""
        self.harvest.person_pages[slug] = details

    def duplicate(self, record_id: str, urls: list[str]) -> None:
        """A record this crawl already harvested, reached again by other URLs: counted, and
        the URLs kept as its aliases."""
        self.harvest.duplicates += 1
        self.alias(record_id, urls)

    def recheck(self) -> None:
        """A known document asked for again once the walk is over (counted)."""
        self.harvest.rechecks += 1

    def alias(self, record_id: str, urls: list[str]) -> None:
        """Other URLs that led to a document already harvested in this run."""
        self.store.add_urls(urls, record_id, self.run_id)

    # -- what the run knows of a document URL (public) ------------------------------------------
    def known_record(self, url: str) -> str | None:
        """The Record ID a URL led to in a published run (a removed record's too) or in this
        one so far."""
        return self.store.record_for_url(url, self.run_id)

    def holds(self, record_id: str | None) -> bool:
        """Whether a record is in hand: current in the published dataset, or found by this run.
        A removed one is not: listed again, it is asked for again."""
        return record_id is not None and not self.store.is_removed(record_id)

    def is_new(self, url: str) -> bool:
        """Neither current in the published dataset nor rejected before: what keeps an
        incremental walk going. A URL only a refused run found, or a removed document's, is
        new."""
        return not self.store.is_current_url(url) and not self.store.was_rejected(url)

    def facts(self, reason: str) -> RunFacts:
        findings, harvest = self.findings, self.harvest
        store, config = self.store, self.config
        coverage = config.min_coverage
        unknown = findings.unknown_topics
        sample = config.coverage_sample
        known = 0
        if harvest.fetched == 0:  # asked only when it can matter
            known = store.known_documents() + store.staged_documents(self.run_id)
        return RunFacts(
            finish_reason=reason,
            limit=self.context.limit,
            incomplete=tuple(findings.incomplete),
            missing_topics=tuple(s for s in self.terms.required_topics
                                 if s not in harvest.topics),
            unknown_topics=tuple(unknown.items()),
            known_topics=tuple(known_topics(self.context.out_dir)) if unknown else (),
            topic_problems=tuple((slug, found[0][1]) for slug, topic in harvest.topics.items()
                                 if (found := problems(to_record(topic), "topic"))),
            document_requests=findings.document_requests,
            document_failures=findings.document_failures,
            fetched=harvest.fetched, not_modified=harvest.not_modified, known_documents=known,
            present=harvest.present, min_coverage=coverage, coverage_sample=sample,
            baseline=self.baseline(list(coverage), sample))

    def baseline(self, names: list[str], sample: int) -> Baseline:
        """The published dataset's field rates, read only when the run has a sample to judge."""
        if self.harvest.fetched < sample:
            return Baseline()
        documents, rates = self.store.field_rates(names)
        return Baseline(documents, rates)
