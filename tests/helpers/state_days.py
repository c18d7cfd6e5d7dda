"""Days of scheduled runs over one output folder, without a crawl: the run (`Run`, its
context, its refusal and publication) is the harvester's own, fed what a spider would hand it
for a small site whose listings glitch, whose pages fail or vanish, and whose runs are refused
or killed. The property tests of the state's invariants drive it (tests/state/)."""

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from harvester.crawl import project_settings
from harvester.items import Document, Reject, Topic, fields_of, stored_document
from harvester.items.envelope import Envelope, sealed
from harvester.run.config import RunConfig
from harvester.run.context import RunContext
from harvester.run.harvest import Run, RunTerms
from harvester.run.publish import close_run
from harvester.spiders.policy import WalkPolicy
from tests.helpers.records import BASES

JOB = "topic-days"
SITE = "https://digitalarchive.wilsoncenter.org"
DOCUMENTS = 5
# The state's tables that hold what was published (the rest is one run's work or the runs).
PUBLISHED_TABLES = ("documents", "urls", "topics", "missing_topics", "rejects", "capture_marks")
# How a day ends: published if nothing refuses it; stopped, or refused as untrusted (a topic
# that breaks its schema: its staged work is thrown away), or killed (SIGKILL: nothing closed).
ENDINGS = ("publish", "stopped", "untrusted", "killed")


def url(doc: int) -> str:
    return f"{SITE}/document/{BASES[doc]['slug']}"


def record(doc: int, version: int) -> dict:
    """Document `doc` of the site as its page reads in its `version`."""
    base = BASES[doc]
    title = base["title"] if version == 0 else f"{base['title']} (revised {version})"
    return {**base, "url": url(doc), "title": title}


@dataclass(frozen=True)
class Day:
    sweep: bool  # a plain run (every list, every document); else --incremental
    hidden: frozenset[int]  # documents the listing leaves out today (a glitch)
    answers: tuple[str, ...]  # per document: "ok" (200 or 304), "fail" (5xx), "gone" (404)
    edited: frozenset[int]  # documents whose page changes today
    ending: str


@dataclass
class Outcome:
    """What one day did, as the invariants read it."""

    published: bool
    listed: set[int] = field(default_factory=set)
    gone: set[int] = field(default_factory=set)
    staged: set[int] = field(default_factory=set)  # fetched whole (200) by this attempt
    resumed: bool = False
    resumed_urls: set[str] = field(default_factory=set)
    snapshot: set[int] = field(default_factory=set)  # documents of the published run


class Stats:
    def __init__(self) -> None:
        self.values: dict = {}

    def get_value(self, name, default=None):
        return self.values.get(name, default)

    def set_value(self, name, value) -> None:
        self.values[name] = value

    def inc_value(self, name, count=1) -> None:
        self.values[name] = self.values.get(name, 0) + count


class Crawler:
    def __init__(self, out: Path) -> None:
        self.settings = project_settings({"HARVESTER_OUTPUT_DIR": str(out),
                                          "HARVESTER_STATE_BATCH_WRITES": 1})
        self.stats = Stats()


class Reports:
    """What a live topic spider reports to the manifest."""

    def listing_report(self) -> dict:
        return {}

    def source_report(self) -> dict:
        return {"source": "live", "site": SITE}


def run_terms(incremental: bool) -> RunTerms:
    """What a topic spider on the site tells the run it opens."""
    return RunTerms(JOB, {"site": SITE}, incremental, False, spider="topic", base_url=SITE,
                    reports=Reports())


class Site:
    """The site, and every day run against it in one output folder."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.versions = [0] * DOCUMENTS

    def published_tables(self) -> dict[str, list]:
        db = sqlite3.connect(self.out / "state" / f"{JOB}.sqlite")
        try:
            return {table: db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                    for table in PUBLISHED_TABLES}
        finally:
            db.close()

    def run(self, day: Day) -> Outcome:
        for doc in day.edited:
            self.versions[doc] += 1
        crawler = Crawler(self.out)
        terms = run_terms(not day.sweep)
        config = RunConfig.of(crawler.settings)
        context = RunContext.open(config, terms.job, terms.arguments, terms.incremental,
                                  terms.full_sweep)
        outcome = Outcome(False, resumed=context.resumed,
                          resumed_urls=context.store.staged_urls(context.run_id))
        run = Run(crawler, terms, context, config)
        policy = WalkPolicy(not day.sweep, context.sweep, 1)
        for doc in range(DOCUMENTS):
            if doc not in day.hidden:
                self.visit(run, policy, doc, day.answers[doc], outcome)
        return self.end(run, day.ending, outcome)

    def visit(self, run: Run, policy: WalkPolicy, doc: int, answer: str,
              outcome: Outcome) -> None:
        """A listing shows the document; asked for, its page answers as told."""
        outcome.listed.add(doc)
        run.listed([url(doc)], None)
        record_id = run.known_record(url(doc))
        if url(doc) in outcome.resumed_urls or not policy.asks_for(known=run.holds(record_id)):
            return
        run.document_requested()
        if answer == "fail":
            run.document_failed()
            run.take(Reject(url=url(doc), reason="HTTP 503 after 4 attempts", field=None))
        elif answer == "gone":
            outcome.gone.add(doc)
            if record_id is not None:
                run.gone(record_id)
        else:
            self.answer(run, doc, record_id, outcome)

    def answer(self, run: Run, doc: int, record_id: str | None, outcome: Outcome) -> None:
        """200 with the page, or 304 when the stored record is the page as it is."""
        page = record(doc, self.versions[doc])
        stored = run.store.stored_record(record_id) if record_id else None
        if stored is not None and stored["title"] == page["title"]:
            run.take(stored_document(stored))
            return
        names = set(fields_of("document"))
        document = Document(**{k: v for k, v in page.items() if k in names})
        run.take(sealed(document, Envelope(reached_from=[url(doc)],
                                           validators=(f'"v{self.versions[doc]}"', None))))
        outcome.staged.add(doc)

    def end(self, run: Run, ending: str, outcome: Outcome) -> Outcome:
        if ending == "killed":  # every write is committed (one per batch); nothing is closed
            run.store.db.close()
            run.store.lock.release()
            return outcome
        if ending == "untrusted":
            run.harvest.topics["broken"] = Topic(slug="broken", url=f"{SITE}/topics/broken")
        close_run(run, "shutdown" if ending == "stopped" else "finished")
        run_dir = run.outcome.run_dir
        if run_dir is None:  # refused: the store is closed
            return outcome
        outcome.published = True
        lines = (run_dir / "documents.jsonl").read_text("utf-8").splitlines()
        ids = {json.loads(line)["record_id"] for line in lines}
        outcome.snapshot = {doc for doc in range(DOCUMENTS) if BASES[doc]["record_id"] in ids}
        return outcome


def misses(history: list[tuple[Day, Outcome]], doc: int) -> Counter:
    """How the published runs since its last listing saw a document: sweeps that did not list
    it, and published runs whose page for it answered 404/410."""
    seen: Counter = Counter()
    for day, outcome in history:
        if not outcome.published:
            continue
        if doc in outcome.listed and doc not in outcome.gone:
            seen.clear()
        elif day.sweep:
            seen["absent"] += doc not in outcome.listed
            seen["gone"] += doc in outcome.gone
    return seen
