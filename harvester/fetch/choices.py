"""A URL's choice among its captures, made by the fetch of the run's source: the rules
(`ChoiceRules`, the same for every source) and the loop that fetches what they ask for
(`CaptureFetch.choose`). Each source says how it fetches a capture (`CaptureFetch.answer`)."""

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest

from harvester.capture import outcomes
from harvester.capture.rows import Answer, Capture
from harvester.sources import selection
from harvester.sources.choosing import Choice, Chooser, Ledger, Reader, choose

# Request meta: (key, kind, context) of the choice a request at the archive's URL asks for;
# on its answer, what the choice came to (`Fetched`).
CHOICE = "capture_choice"
FETCHED = "capture_fetched"
# Request meta of a capture's own request: the retries of its last attempt that reached the
# downloader (a one-element list its retries share), for the attempts a failure names. A
# number, never the request: a request holding itself would wait for the garbage collector,
# with the page its answer left in its meta.
LAST_ATTEMPT = "capture_last_attempt"

# A choice to make: the URL, what kind of page it is for, and its context (a topic's slug...).
Step = tuple[str, str, str | None]

READERS: dict[str, Reader] = {
    "document": selection.read_document, "topic": selection.read_topic,
    "listing": selection.read_listing, "counter": selection.read_listing,
    "person": selection.read_person}
# The kind of page a step reads (a counter is read from a list's first page).
PAGE_KINDS = {"counter": "listing"}


@dataclass
class Fetched:
    """What a choice came to (None: it was left, to be made afresh later), and the choices of
    other URLs that what was learnt while making it says to make again."""

    choice: Choice | None
    again: list[Step] = field(default_factory=list)


class ChoiceLeft(Exception):  # noqa: N818 (a way a choice ends, not an error)
    """The choice cannot be made now (the web archive failed to give a capture): it is made
    afresh later in the run, or by the run that resumes it."""


class CaptureLost(Exception):  # noqa: N818
    """A capture that could not be read for a reason that is the run's, not the capture's:
    the run is incomplete."""


class SiteAddresses(Protocol):
    """Where the source knows the site, as the run's spider knows it (a WARC run may adopt
    its public base once the files are indexed)."""

    site: str
    public: str

    def canonical(self, url: str | None) -> str | None: ...


class ChoiceRules:
    """Which capture of a URL becomes its record: the capture selection, with redirects to
    any address the source knows the site by."""

    def __init__(self, ledger: Ledger, where: SiteAddresses, max_fetches: int) -> None:
        self.ledger = ledger
        self.where = where
        self.max_fetches = max_fetches

    def chooser(self, key: str, kind: str,
                unfetched_skip: Callable[[Capture], str | None]) -> Chooser:
        return choose(self.ledger, key, PAGE_KINDS.get(kind, kind), READERS[kind], self.judge,
                      unfetched_skip, self.max_fetches)

    def judge(self, capture: Capture, answer: Answer) -> selection.Verdict:
        where = self.where
        verdict = selection.judge(capture, answer, where.site, where.public)
        if verdict.outcome == outcomes.REDIRECT_AWAY and (target := where.canonical(
                answer.moved_to)):
            return selection.redirect_verdict(capture, answer, target)
        return verdict


class CaptureFetch(ABC):
    """A source's fetch: each choice made by the rules, each capture they ask for fetched
    through the crawl's download layer (every middleware the source's answers need)."""

    def __init__(self, crawler, ledger: Ledger, rules: ChoiceRules) -> None:
        self.crawler = crawler
        self.ledger = ledger
        self.rules = rules
        crawler.signals.connect(last_attempt, signal=signals.request_reached_downloader)

    async def choose(self, key: str, kind: str, context: str | None) -> Fetched:
        """The URL's choice, made; ChoiceLeft when it cannot be now."""
        chooser = self.rules.chooser(key, kind, self.unfetched_skip)
        self.choice_begins(key, kind)
        answer: Answer | None = None
        while True:
            try:
                capture = chooser.send(answer)  # type: ignore[arg-type] # None starts it
            except StopIteration as done:
                self.choice_ends()
                return Fetched(done.value, self.released())
            answer = await self.answer(capture, (key, kind, context))

    @abstractmethod
    async def answer(self, capture: Capture, step: Step) -> Answer:
        """The capture's answer, as this source fetches it."""

    async def download(self, request: Request) -> Any:
        """The answer to a request, through every downloader middleware (never the spider's)."""
        request.meta[LAST_ATTEMPT] = [0]
        return await self.crawler.engine.download_async(request)

    def unfetched_skip(self, capture: Capture) -> str | None:
        """A skip decided from the census row alone, without fetching."""
        return selection.census_type_skip(capture)

    def capture_url(self, capture: Capture) -> str:
        """Where the capture was read, as its record names it."""
        return capture.location

    def choice_begins(self, key: str, kind: str) -> None:
        """A choice starts (a source that reads ahead looks ahead of it)."""
        return

    def choice_ends(self) -> None:
        """A choice is made."""
        return

    def released(self) -> list[Step]:
        """Choices of other URLs to make again, learnt since last asked."""
        return []


def last_attempt(request: Request) -> None:
    """Keep the retries of the attempt of a capture's request that reached the downloader (a
    retry is a copy of the request, and so shares the list)."""
    if (attempts := request.meta.get(LAST_ATTEMPT)) is not None:
        attempts[0] = request.meta.get("retry_times", 0)


def error_reason(error: BaseException, request: Request) -> str:
    """What went wrong with a request, as a spider's errback says it
    (harvester.spiders.base.failure_reason), with the attempts its retries made."""
    if isinstance(error, IgnoreRequest):  # refused by a middleware, which said why
        reason = str(error)
    else:
        reason = f"{type(error).__name__}: {error}".strip()
    retries = max(request.meta.get("retry_times", 0), *request.meta.get(LAST_ATTEMPT, [0]))
    attempts = retries + 1
    return f"{reason.rstrip('.')} after {attempts} attempts" if attempts > 1 else reason
