"""Records read ahead of the choices (harvester/spiders/read_ahead.py): the newest capture of
each of the next URLs, within a bounded room that answers nobody asked for never keep."""

from harvester.capture.rows import Answer, Capture
from harvester.spiders.read_ahead import AHEAD, ReadAhead


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


def test_the_next_urls_are_read_ahead_within_the_room():
    files = Files(100)
    asked = list(files.reads_after(capture(0).key))
    assert [c.location for c in asked] == [f"a.warc.gz#{n}" for n in range(1, AHEAD + 1)]


def test_answers_no_choice_asked_for_are_forgotten_once_the_choices_pass_them():
    files = Files(100)
    for read in files.reads_after(capture(0).key):   # read, then never asked for: skipped
        files.answered[read.location] = (read.key, Answer(status=200))
    assert list(files.reads_after(capture(1).key)) == []   # no room: 16 answers wait

    asked = list(files.reads_after(capture(AHEAD + 1).key))

    assert files.answered == {}
    assert [c.location for c in asked] == [f"a.warc.gz#{n}"
                                           for n in range(AHEAD + 2, 2 * AHEAD + 2)]
