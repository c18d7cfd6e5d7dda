"""Records read ahead of the choices, for a source whose reads cost no one anything (WARC files).

The choices are made one at a time, in URL order, exactly as if each record were read when
asked for: which capture of a payload is fetched first, and so which are skipped unfetched as
"payload already tried", never depends on which answer came back first. Meanwhile the newest
untried capture of each of the next URLs, the one their choices will most likely ask for, is
already asked of the download layer (read on the WARC handler's thread, parsed by a parse
worker). A choice asking for a capture read ahead takes its answer at once; one asking for a
capture still being read waits for it; anything else is asked then.

The reads leave BATCH at a time in one request: Scrapy's engine costs about as much for one
request as the reading of a record, so one request per record would cost a records run most of
its time.
"""

import asyncio
from collections import deque
from collections.abc import Callable, Iterator
from typing import Protocol

from harvester.capture.rows import Answer, Capture
from harvester.sources.choosing import Ledger

# Records read ahead at most, in flight and answered but not yet taken; how many are asked in
# one request (reads wait until there is room for that many); URLs foreseen at once. Four
# requests' worth keeps the parse worker busy while a request is read and the crawl's process
# pauses (a commit of the state, a collection): with two, the worker was idle 15 % of the crawl
# phase.
AHEAD = 64
BATCH = 16
FORESEEN = 128
# Of a record read ahead, the payload is read up to this many bytes: one that is longer is read
# again, whole, when its choice asks for it. So the reads ahead hold at most AHEAD of these
# (64 MB) whatever a file holds, and a few MB for the site's pages, which run to tens of KB.
# (Reading each up to DOWNLOAD_MAXSIZE, 16 MB, it could have been 1 GB.)
AHEAD_RECORD_BYTES = 1024 * 1024


class RecordLedger(Ledger, Protocol):
    """What reading records asks of the run's ledger besides the rules'."""

    def newest_untried(self, kind: str, after: str, limit: int) -> list[Capture]: ...
    def payload_of(self, digest: str | None, key: str) -> Capture | None: ...


class ReadsAhead:
    """What is read ahead, being read, and waited for."""

    def __init__(self, ledger: RecordLedger, unfetched_skip: Callable[[Capture], str | None],
                 download_maxsize: int) -> None:
        self.ledger = ledger
        self.unfetched_skip = unfetched_skip
        self.download_maxsize = download_maxsize
        self.answered: dict[str, tuple[str, Answer]] = {}   # location -> (URL, answer read)
        self.reading: set[str] = set()             # locations asked, not yet answered
        # location -> what the choice waiting for it will be given (None: read it yourself)
        self.waiting: dict[str, asyncio.Future[Answer | None]] = {}
        self.foreseen: deque[Capture] = deque()    # what the next choices will likely ask
        self.foreseen_from = ""                    # the URL of the choice foreseen from
        self.foreseen_to = ""                      # the last URL foreseen
        self.read_whole: dict[str, str] = {}       # location -> URL: longer than a read ahead

    @property
    def size(self) -> int:
        """How much of a record's payload a read ahead reads."""
        return min(AHEAD_RECORD_BYTES, self.download_maxsize)

    def reads_after(self, key: str) -> Iterator[Capture]:
        """The captures the next documents' choices will most likely ask for first, not yet
        asked: the ledger is asked for them FORESEEN URLs at a time."""
        if key < self.foreseen_from:   # a later pass over the URLs from the start
            self.foreseen.clear()
            self.foreseen_to = ""
        self.foreseen_from = key
        while self.foreseen and self.foreseen[0].key <= key:
            self.foreseen.popleft()
        self.forget_passed(key)
        if len(self.foreseen) < AHEAD:
            after = max(key, self.foreseen_to)
            more = self.ledger.newest_untried("document", after, FORESEEN)
            self.foreseen.extend(more)
            if more:
                self.foreseen_to = more[-1].key
        room = AHEAD - len(self.answered) - len(self.reading)
        if room < BATCH:
            return
        for capture in list(self.foreseen)[:AHEAD]:
            if room <= 0:
                break
            if capture.location in self.answered or capture.location in self.reading or \
                    capture.location in self.read_whole or \
                    self.unfetched_skip(capture) is not None:
                continue
            room -= 1
            yield capture

    def forget_passed(self, key: str) -> None:
        """Answers read ahead for URLs before this one, which their choices never asked for
        (a capture skipped unfetched): they would hold the room of reads still useful. So are
        the records of those URLs known to be longer than a read ahead."""
        for location, (url, _) in list(self.answered.items()):
            if url < key:
                del self.answered[location]
        for location, url in list(self.read_whole.items()):
            if url < key:
                del self.read_whole[location]

    def started(self, captures: list[Capture]) -> None:
        self.reading.update(capture.location for capture in captures)

    def take(self, capture: Capture) -> Answer | None:
        """The capture's answer, when it was read ahead."""
        taken = self.answered.pop(capture.location, None)
        return taken[1] if taken is not None else None

    def wait_for(self, capture: Capture) -> "asyncio.Future[Answer | None] | None":
        """What a choice asking for a capture being read ahead waits for; None when it is not
        being read."""
        if capture.location not in self.reading:
            return None
        waiting = asyncio.get_running_loop().create_future()
        self.waiting[capture.location] = waiting
        return waiting

    def read(self, capture: Capture, answer: Answer) -> None:
        """A capture read ahead: to its waiting choice, else kept until asked for. One longer
        than a read ahead takes is read again, whole, by its choice."""
        self.reading.discard(capture.location)
        waiting = self.waiting.pop(capture.location, None)
        if self.longer_than_read(answer):
            self.read_whole[capture.location] = capture.key
            given: Answer | None = None
        elif waiting is None:
            self.answered[capture.location] = (capture.key, answer)
        else:
            given = answer
        if waiting is not None:
            waiting.set_result(given)

    def unread(self, capture: Capture) -> None:
        """A read ahead that failed (with the others of its request) is forgotten; a choice
        waiting for it asks for the record itself."""
        self.reading.discard(capture.location)
        if (waiting := self.waiting.pop(capture.location, None)) is not None:
            waiting.set_result(None)

    def longer_than_read(self, answer: Answer) -> bool:
        """A payload cut at `size` that a whole read may give more of."""
        cut_here = self.size < self.download_maxsize
        return cut_here and not answer.complete and answer.failure is None and \
            len(answer.body) >= self.size


def batches(captures: list[Capture]) -> list[list[Capture]]:
    """BATCH reads a request: the first answers of a long run of reads (the whole room, at the
    start) are parsed and taken while the rest are read."""
    return [captures[start:start + BATCH] for start in range(0, len(captures), BATCH)]
