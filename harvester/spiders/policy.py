"""What a run walks and re-checks, and when an incremental walk stops: decided here, apart from
the spiders that navigate, with nothing of Scrapy in it, so each rule can be checked alone.

A plain run is a complete sweep: every list walked to its end, every listed document asked for
(known ones conditionally), every known document re-checked. An incremental run walks each
newest-first list only until `stop_pages` pages in a row show nothing new, asks only for unseen
documents, and re-checks a budget of known ones; on a sweep (`--full-sweep`, or every Nth run)
it walks every list to its end and re-checks every known document.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field


@dataclass
class WalkPolicy:
    incremental: bool = False
    sweep: bool = False  # this run is a complete sweep (it may infer removals)
    stop_pages: int = 1  # HARVESTER_INCREMENTAL_STOP_PAGES
    # Per list, pages in a row that showed nothing new.
    quiet: dict[Hashable, int] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Whether lists are walked to their end (a plain run or a sweep), not only as far as
        something is new."""
        return not self.incremental or self.sweep

    def list_window(self) -> int | None:
        """Pages of a list asked for at once: an incremental walk goes one at a time, so it can
        stop where nothing is new (None: the configured window)."""
        return None if self.complete else 1

    def keeps_walking(self, list_key: Hashable, found_new: bool) -> bool:
        """Whether to go on to the next page of a list after one that did (or did not) show a
        document never seen before."""
        if self.complete:
            return True
        self.quiet[list_key] = 0 if found_new else self.quiet.get(list_key, 0) + 1
        return self.quiet[list_key] < self.stop_pages

    def asks_for(self, known: bool) -> bool:
        """Whether a listed document is asked for now: an unseen one always; a known one on a
        plain run (conditionally), never on an incremental one (it is re-checked in turn)."""
        return not (known and self.incremental)

    def asks_topic(self, known: bool) -> bool:
        """Whether a topic page is asked for: every one on a complete walk, else only a topic
        neither harvested nor found missing before."""
        return self.complete or not known

    def rechecks(self, known: int, budget: Callable[[], int]) -> int:
        """How many known documents to re-check once the walk is over: all on a sweep, else
        the budget (asked for only then)."""
        return known if self.sweep else budget()
