"""Progress of `harvester mirror synth|mutate` on stderr, in the crawl's style
(harvester/extensions/progress.py): `document pages 1200/16000 · 3s`, at most once every
`interval` seconds, rewritten in place on a terminal and one line each otherwise. The clock is
injectable so tests see exact lines."""

import sys
import time
from collections.abc import Callable
from typing import TextIO


class Progress:
    def __init__(self, interval: float = 2.0, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.stream = stream if stream is not None else sys.stderr
        self.live = self.stream.isatty()
        self.clock = clock
        self.started = self.last = clock()
        self.pending = False  # a live line is on screen without its newline

    def __call__(self, done: int, total: int) -> None:
        """Called after each document page; shows a line when `interval` has passed."""
        now = self.clock()
        if now - self.last < self.interval:
            return
        self.last = now
        prefix, end = ("\r", "") if self.live else ("", "\n")
        self.stream.write(f"{prefix}document pages {done}/{total} · {now - self.started:.0f}s{end}")
        self.stream.flush()
        self.pending = self.live

    def elapsed(self) -> float:
        return self.clock() - self.started

    def finish(self, summary: str) -> None:
        """The last line: what was written, and in how long."""
        if self.pending:
            self.stream.write("\n")
        self.stream.write(f"{summary} ({self.elapsed():.1f}s)\n")
        self.stream.flush()
        self.pending = False
