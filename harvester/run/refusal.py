"""The rules that refuse a run: why it must not replace the last good one.

A pure function of the run's facts, gathered once the crawl has ended, so every rule can be
checked on its own without a crawl.
"""

import difflib
from collections import Counter
from dataclasses import dataclass, field

from harvester.run.coverage import Baseline, short_fields

# Refusals whose staged work must not be reused: what was parsed may be wrong.
UNTRUSTED = ("field coverage", "breaks the schema")
# How a trial run (`--limit N`) ends when it reaches its limit: as if it had finished.
LIMIT_REACHED = "limit"
# Reasons a refusal names before "and N more".
SHOWN = 10


@dataclass(frozen=True)
class RunFacts:
    """What a run did, as far as deciding whether to publish it goes."""

    finish_reason: str = "finished"
    limit: int = 0  # a trial run's number of documents (0: a whole run)
    # Why the lists cannot be trusted to be complete (a list page that failed, ...).
    incomplete: tuple[str, ...] = ()
    # Topics the run must have (a topic run's slugs) that it did not harvest.
    missing_topics: tuple[str, ...] = ()
    # (slug, what its page answered) of topics asked for that the site does not have, and the
    # topics the state knows, to suggest the one meant.
    unknown_topics: tuple[tuple[str, str], ...] = ()
    known_topics: tuple[str, ...] = ()
    # (slug, message) for a harvested topic that breaks its schema.
    topic_problems: tuple[tuple[str, str], ...] = ()
    document_requests: int = 0
    document_failures: int = 0
    fetched: int = 0  # documents parsed in this run
    not_modified: int = 0  # documents a conditional request found unchanged
    # Documents the state knows or this run staged (an interrupted attempt's count too).
    known_documents: int = 0
    # Fetched documents that have each field.
    present: Counter = field(default_factory=Counter)
    # Share of the published dataset's rate that fetched documents must reach, per field.
    min_coverage: dict[str, float] = field(default_factory=dict)
    # Fetched documents below which coverage is not judged (HARVESTER_COVERAGE_SAMPLE).
    coverage_sample: int = 1
    # The published dataset's documents and field rates, asked for only over the sample.
    baseline: Baseline = field(default_factory=Baseline)


def refusal(facts: RunFacts) -> str | None:
    """Why this run must not be published, or None."""
    ended = facts.finish_reason == "finished" or (
        facts.limit and facts.finish_reason == LIMIT_REACHED)
    if not ended:
        return f"crawl stopped before the end ({facts.finish_reason})"
    if facts.unknown_topics:
        return no_such_topic(facts.unknown_topics, facts.known_topics)
    if facts.incomplete:
        return "document list incomplete: " + some(facts.incomplete, "; ")
    if facts.missing_topics:
        return "topic page not harvested: " + some(facts.missing_topics, ", ")
    for slug, message in facts.topic_problems:
        return f"topic {slug} breaks the schema: {message}"
    requested, failed = facts.document_requests, facts.document_failures
    if requested and failed >= requested and not (facts.fetched or facts.not_modified):
        # Publishing would give the stored records again as if the site had been read.
        return f"every document request failed: {failed} of {requested}"
    if facts.fetched == 0 and facts.known_documents == 0:
        return "no documents harvested"
    low = short_fields(facts.present, facts.fetched, facts.min_coverage, facts.coverage_sample,
                       facts.baseline)
    if low:
        return "field coverage below threshold (the site may have changed): " + ", ".join(low)
    return None


def no_such_topic(unknown: tuple[tuple[str, str], ...], known: tuple[str, ...]) -> str:
    """`no such topic: korean-wr (…/topics/korean-wr answered HTTP 404); did you mean
    korean-war?` and where the topics known are listed."""
    named = some(tuple(f"{slug} ({answer})" for slug, answer in unknown), ", ")
    meant = [match for slug, _ in unknown[:SHOWN]
             for match in difflib.get_close_matches(slug, known, n=1)]
    guess = f"; did you mean {', '.join(meant)}?" if meant else ";"
    return (f"no such topic: {named}{guess} `harvester topics` lists the topics known (from "
            "the state, or with --site from the site's topic index)")


def some(reasons: tuple[str, ...], separator: str) -> str:
    """The first few of many reasons, so a refusal stays one readable line (the log has all)."""
    shown = separator.join(reasons[:SHOWN])
    more = len(reasons) - SHOWN
    return f"{shown}{separator}and {more} more" if more > 0 else shown


def untrusted(reason: str) -> bool:
    """Whether a refused run's staged work must be thrown away rather than resumed."""
    return any(marker in reason for marker in UNTRUSTED)
