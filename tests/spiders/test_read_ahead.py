"""Records read ahead of the choices (harvester/spiders/read_ahead.py): the newest capture of
each of the next URLs, within a bounded room that answers nobody asked for never keep, asked
BATCH a request."""

from harvester.capture.rows import Answer, Capture
from harvester.spiders.read_ahead import AHEAD, BATCH, ReadAhead


def capture(n: int) -> Capture:
    key = f"https://digitalarchive.wilsoncenter.org/document/{n:03d}"
    return Capture(location=f"a.warc.gz#{n}", key=key, kind="document",
                   timestamp="20240115093000", original=key, status=200,
                   mimetype="text/html", digest=None)


class Ledger:
    """The newest untried capture of each URL, one capture a URL, as the state answers it."""

    def __init__(self, count: int) -> None:
        self.captures = [capture(n) for n in range(count)]

    def newest_untried(self, kind: str, after: str, limit: int) -> list[Capture]:
        return [c for c in self.captures if c.key > after][:limit]


class Files(ReadAhead):
    def __init__(self, count: int) -> None:
        self.ledger = Ledger(count)
        self.start_read_ahead()

    def unfetched_skip(self, capture: Capture) -> str | None:
        return None

    def read_ahead_request(self, captures: list[Capture]) -> list[str]:
        return [c.location for c in captures]   # what the one request would ask for


def test_the_next_urls_are_read_ahead_within_the_room():
    files = Files(3 * AHEAD)
    asked = list(files.reads_after(capture(0).key))
    assert [c.location for c in asked] == [f"a.warc.gz#{n}" for n in range(1, AHEAD + 1)]


def test_answers_no_choice_asked_for_are_forgotten_once_the_choices_pass_them():
    files = Files(3 * AHEAD)
    for read in files.reads_after(capture(0).key):   # read, then never asked for: skipped
        files.answered[read.location] = (read.key, Answer(status=200))
    assert list(files.reads_after(capture(1).key)) == []   # no room: AHEAD answers wait

    asked = list(files.reads_after(capture(AHEAD + 1).key))

    assert files.answered == {}
    assert [c.location for c in asked] == [f"a.warc.gz#{n}"
                                           for n in range(AHEAD + 2, 2 * AHEAD + 2)]


def test_reads_wait_for_room_for_a_batch_and_leave_batch_a_request():
    files = Files(3 * AHEAD)
    files.pending_reads = list(files.reads_after(capture(0).key))
    first = list(files.read_ahead_requests())
    # The whole room at the start, BATCH a request.
    assert first == [[f"a.warc.gz#{n}" for n in range(start, start + BATCH)]
                     for start in range(1, AHEAD + 1, BATCH)]
    assert files.reading == {location for asked in first for location in asked}

    taken = []
    for n in range(1, BATCH + 1):   # the choices take the answers one by one
        files.reading.discard(f"a.warc.gz#{n}")
        files.pending_reads = list(files.reads_after(capture(n).key))
        taken.append(list(files.read_ahead_requests()))

    # Nothing is asked while fewer than BATCH reads have room; then BATCH at once.
    assert taken[:-1] == [[]] * (BATCH - 1)
    assert taken[-1] == [[f"a.warc.gz#{n}" for n in range(AHEAD + 1, AHEAD + BATCH + 1)]]
