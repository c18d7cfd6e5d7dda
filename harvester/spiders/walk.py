"""A walk: the choices of a capture run (harvester.sources.choosing), phase by phase. A phase
starts only when every choice of the one before it is finished and all it gave has reached the
run.

The choices under way are the walk's, by URL: each is a request for the page at the archive's
URL that the fetcher answers (harvester.fetch), and what is being fetched is what the walk holds
open, never a count kept by hand beside it."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

# A phase of a walk: `(key, kind, context)` steps to choose for, or items to pass on.
Phase = Callable[[], Iterable[Any]]

WAIT = object()


@dataclass
class OpenChoice:
    """A URL's choice under way: what it is for."""

    kind: str
    context: str | None


class Walk:
    """Phases of work in order. Each phase is a function giving `(key, kind)` pairs to choose
    for, or items to pass on as they are; a phase is started only when nothing of the one
    before it is still being fetched, and all it gave has reached the run."""

    def __init__(self, phases: Iterable[Phase]) -> None:
        self.phases = list(phases)
        self.current: Iterator[Any] | None = None
        self.choices: dict[str, OpenChoice] = {}   # URL -> its choice, being fetched
        # Items given to the crawl and not yet through its pipelines (the spider counts them
        # out as it gives them, back in as the crawl says each was scraped, dropped or
        # failed). A later phase reads what the run took of the ones before (the topics the
        # documents name, the people they link, the records staged), and items reach the run
        # asynchronously: a phase starts only when none is out.
        self.items_out = 0

    @property
    def in_flight(self) -> int:
        """Fetches outstanding: one for each open choice."""
        return len(self.choices)

    def open(self, key: str, kind: str, context: str | None) -> None:
        self.choices[key] = OpenChoice(kind, context)

    def close(self, key: str) -> OpenChoice:
        """The URL's choice is over (made, or left to be made afresh later)."""
        return self.choices.pop(key)

    def holding(self) -> bool:
        """Whether the walk waits at the end of a phase for nothing but its items."""
        return self.current is None and not self.in_flight and bool(self.phases)

    def next_step(self) -> Any:
        """The next pair or item; WAIT while a phase ends with fetches outstanding or with
        what it gave not yet known to have reached the run; None when every phase is done."""
        while True:
            if self.current is None:
                if self.in_flight:
                    return WAIT
                if not self.phases:
                    return None
                if self.items_out:
                    return WAIT
                self.current = iter(self.phases.pop(0)())
            step = next(self.current, None)
            if step is not None:
                return step
            self.current = None
