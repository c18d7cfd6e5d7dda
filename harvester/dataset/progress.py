"""Progress of `harvester validate` and `harvester export` on stderr, in the crawl's style: one
line at most every `interval` seconds (rewritten in place on a terminal, one line each
elsewhere), then a summary line when the work is done."""

import time
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO, TypeVar

Item = TypeVar("Item")
INTERVAL = 2.0  # seconds between progress lines at most, as the crawl's
CLOCK: Callable[[], float] = time.monotonic


class Progress:
    """Records done of the current step (and of how many, when known), and the time taken."""

    def __init__(self, stream: TextIO | None = None, interval: float | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        self.stream = stream
        self.interval = INTERVAL if interval is None else interval
        self.clock = clock or CLOCK
        self.started = self.last_shown = self.clock()
        self.live = bool(stream is not None and stream.isatty())
        self.pending = False  # a live line waits for its end
        self.step = ""
        self.done = 0
        self.total: int | None = None
        self.records = 0  # over all steps

    @classmethod
    def silent(cls) -> "Progress":
        return cls(None)

    def begin(self, step: str, total: int | None = None) -> None:
        self.step, self.done, self.total = step, 0, total

    def tick(self, count: int = 1) -> None:
        self.done += count
        self.records += count
        if self.stream is None:
            return
        now = self.clock()
        if now - self.last_shown >= self.interval:
            self.last_shown = now
            self.show(now)

    def counted(self, items: Iterable[Item]) -> Iterator[Item]:
        """The items, each ticked as it is taken."""
        for item in items:
            yield item
            self.tick()

    def elapsed(self) -> float:
        return self.clock() - self.started

    def line(self, now: float) -> str:
        of = f"/{self.total}" if self.total is not None else ""
        return f"{self.step} · {self.done}{of} records · {now - self.started:.0f}s"

    def show(self, now: float) -> None:
        if self.stream is None:
            return
        if self.live:
            self.stream.write(f"\r{self.line(now)}")
            self.pending = True
        else:
            self.stream.write(f"{self.line(now)}\n")
        self.stream.flush()

    def finish(self, summary: str | None = None) -> None:
        """End a live progress line, then write the summary line (if any)."""
        if self.stream is None:
            return
        ending = ("\n" if self.pending else "") + (f"{summary}\n" if summary else "")
        self.pending = False
        if ending:
            self.stream.write(ending)
            self.stream.flush()
