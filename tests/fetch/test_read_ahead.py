"""Records read ahead of the choices (harvester/fetch/read_ahead.py): the newest capture of
each of the next URLs, within a bounded room that answers nobody asked for never keep, asked
BATCH a request; an answer goes to the choice waiting for it, or waits to be asked for."""

import asyncio
from collections.abc import Callable

from harvester.capture.rows import Answer, Capture
from harvester.fetch.read_ahead import AHEAD, AHEAD_RECORD_BYTES, BATCH, ReadsAhead, batches


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


def reads(count: int, download_maxsize: int = 16 << 20) -> ReadsAhead:
    return ReadsAhead(Ledger(count), lambda capture: None, download_maxsize)


def requests_for(captures: list[Capture]) -> list[list[str]]:
    """What each request of a batch asks for."""
    return [[c.location for c in batch] for batch in batches(captures)]


def test_the_next_urls_are_read_ahead_within_the_room():
    files = reads(3 * AHEAD)
    asked = list(files.reads_after(capture(0).key))
    assert [c.location for c in asked] == [f"a.warc.gz#{n}" for n in range(1, AHEAD + 1)]


def test_answers_no_choice_asked_for_are_forgotten_once_the_choices_pass_them():
    files = reads(3 * AHEAD)
    for read in files.reads_after(capture(0).key):   # read, then never asked for: skipped
        files.answered[read.location] = (read.key, Answer(status=200))
    assert list(files.reads_after(capture(1).key)) == []   # no room: AHEAD answers wait

    asked = list(files.reads_after(capture(AHEAD + 1).key))

    assert files.answered == {}
    assert [c.location for c in asked] == [f"a.warc.gz#{n}"
                                           for n in range(AHEAD + 2, 2 * AHEAD + 2)]


def test_reads_wait_for_room_for_a_batch_and_leave_batch_a_request():
    files = reads(3 * AHEAD)
    pending = list(files.reads_after(capture(0).key))
    files.started(pending)
    first = requests_for(pending)
    # The whole room at the start, BATCH a request.
    assert first == [[f"a.warc.gz#{n}" for n in range(start, start + BATCH)]
                     for start in range(1, AHEAD + 1, BATCH)]
    assert files.reading == {location for asked in first for location in asked}

    taken = []
    for n in range(1, BATCH + 1):   # the choices take the answers one by one
        files.reading.discard(f"a.warc.gz#{n}")
        pending = list(files.reads_after(capture(n).key))
        files.started(pending)
        taken.append(requests_for(pending))

    # Nothing is asked while fewer than BATCH reads have room; then BATCH at once.
    assert taken[:-1] == [[]] * (BATCH - 1)
    assert taken[-1] == [[f"a.warc.gz#{n}" for n in range(AHEAD + 1, AHEAD + BATCH + 1)]]


# -- answers and the choices waiting for them ----------------------------------------------------
PAGE = Answer(status=200, body=b"<html>a page</html>", complete=True)


def waited(arrive: Callable[[ReadsAhead, Capture], None]) -> tuple:
    """Captures 1 and 2 read ahead, a choice waiting for 1; then `arrive` for each, in turn:
    what the waiting choice was given, and the reads ahead after."""
    async def run() -> tuple:
        files = reads(3)
        files.started([capture(1), capture(2)])
        waiting = files.wait_for(capture(1))
        arrive(files, capture(1))
        arrive(files, capture(2))
        return await waiting, files

    return asyncio.run(run())


def test_an_answer_goes_to_the_choice_waiting_for_it_else_waits_to_be_asked_for():
    given, files = waited(lambda files, read: files.read(read, PAGE))

    assert given == PAGE
    assert files.answered == {"a.warc.gz#2": (capture(2).key, PAGE)}   # nobody asked yet
    assert files.take(capture(2)) == PAGE and files.take(capture(2)) is None
    assert (files.reading, files.waiting) == (set(), {})


def test_a_capture_not_being_read_has_nothing_to_wait_for():
    async def run():
        return reads(3).wait_for(capture(1))

    assert asyncio.run(run()) is None


def test_a_record_longer_than_a_read_ahead_is_left_to_its_choice_to_read_whole():
    cut = Answer(status=200, body=b"x" * AHEAD_RECORD_BYTES, complete=False)

    given, files = waited(lambda files, read: files.read(read, cut))

    assert given is None   # the waiting choice reads the record itself, whole
    assert files.answered == {}
    assert files.read_whole == {"a.warc.gz#1": capture(1).key, "a.warc.gz#2": capture(2).key}


def test_a_read_ahead_that_failed_is_forgotten_and_its_choice_reads_the_record_itself():
    given, files = waited(lambda files, read: files.unread(read))

    assert given is None
    assert (files.answered, files.reading, files.waiting) == ({}, set(), {})
