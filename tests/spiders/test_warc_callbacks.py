"""The warc spider's `start`, which indexes the files and then asks for each URL's page, and its
pages answered by the download layer's fetcher (harvester.fetch.records), on small WARC files
written in the test from the bundled mirror's saved pages, each record the fetcher asks for
read by the WARC handler: the records read, in order (one by one, or read ahead together), what
the spider gives, and what it tells the run."""

import logging
import threading
from collections.abc import Iterator

import pytest

from harvester.fetch import read_ahead
from harvester.fetch.choices import CHOICE
from harvester.items import Document, Reject, Topic
from harvester.middlewares.parse_workers import pages_foreseen
from harvester.mirror.hostile import CHALLENGE_PAGE
from harvester.mirror.wayback.store import PlannedCapture
from harvester.sources.warc_handler import RECORD_BATCH, RECORD_READ
from harvester.spiders.warc import WarcSpider
from tests.helpers.captures import (
    HUNGARIAN,
    KHRUSHCHEV,
    T1,
    T2,
    T3,
    TOPIC,
    document,
    page,
    write_warc,
)
from tests.helpers.offline_runs import read_from_files
from tests.helpers.pages import BASE, SITE, VARIANTS, expected_for, load_json
from tests.helpers.spider_fakes import (
    Fake,
    as_sent,
    fake_run,
    record_of,
    started,
    stored_and_read_back,
)
from tests.helpers.warcs import sha1_of, warcio_offsets

TELEGRAM = "telegram-shtykov-gromyko-and-stalin"
LIST = "search@f%5B0%5D=topics%3A86466&fo%5B0%5D=86466"
LISTS = [SITE / f"{LIST}{suffix}.html" for suffix in ("", "&page=1", "&page=2")]


def expected(slug: str) -> dict:
    return load_json(expected_for(SITE / "document" / f"{slug}.html"))


@pytest.fixture
def run(tmp_path) -> Iterator:
    """Makes a warc run over one file holding `captures`: the items it gave, the run, the
    file (the requests it gave are `fake.requests`)."""
    made: list[Fake] = []

    def make(captures: list[PlannedCapture], settings: dict | None = None,
             **arguments) -> tuple:
        warc = write_warc(tmp_path / "a.warc.gz", captures)
        made.append(fake_run(WarcSpider, tmp_path / "out", settings, paths=str(warc),
                             **arguments))
        items, made[-1].requests = read_from_files(made[-1])
        return items, made[-1], warc

    yield make
    for fake in made:
        fake.close()


def read_of(request) -> tuple:
    """A read's URL, whether it asks for one record or several read ahead together, and the
    offsets of the records it asks the handler for: of each capture, its own and a revisit's
    payload's."""
    batch = request.meta.get(RECORD_BATCH)
    wanted = batch or [request.meta[RECORD_READ]]
    return request.url, "ahead" if batch else "record", [
        (read.offset, read.payload_offset if read.payload_source is not None else None)
        for read in wanted]


def capture_of(warc, number: int, timestamp: str, body: bytes) -> dict:
    offset = warcio_offsets(warc.read_bytes())[number]
    return {"source": "warc", "timestamp": timestamp, "url": f"{warc.name}#{offset}",
            "digest": sha1_of(body)}


def test_a_topic_run_reads_its_topic_page_then_its_lists_then_the_documents_they_link(
        run):
    topic_page = SITE / "topics" / f"{TOPIC}.html"
    captures = [PlannedCapture(f"{BASE}/topics/{TOPIC}", T1, body=topic_page.read_bytes()),
                *(PlannedCapture(f"{BASE}/search?{p.stem.removeprefix('search@')}", T1,
                                 body=p.read_bytes()) for p in LISTS),
                PlannedCapture(document(TELEGRAM), T1, body=page(TELEGRAM)),
                PlannedCapture(document(TELEGRAM), T3, revisit=True)]

    steps, fake, warc = run(captures, topics=TOPIC)

    said = load_json(expected_for(topic_page))
    lists = [load_json(expected_for(p)) for p in LISTS]
    linked = sorted({e["url"] for e in said["popular"]} |
                    {url for listing in lists for url in listing["document_urls"]})
    assert steps[0] == Topic(**{k: v for k, v in said.items() if k != "listing_urls"})
    [telegram] = [s for s in steps if isinstance(s, Document)]
    assert steps[1:] == [telegram if url == document(TELEGRAM) else Reject(
        url=url, reason="no capture of this page in the source", field=None) for url in linked]
    # The newest capture is a revisit, whose payload is the page captured before.
    assert telegram.capture == capture_of(warc, -1, "2025-06-01T00:00:00Z", page(TELEGRAM))
    assert record_of(telegram) == expected(TELEGRAM)
    # Each record asked of the WARC handler by its place in the file (file order: by time,
    # then URL): the topic page's and the lists' as their choices ask for them, the
    # document's read ahead, when the first document's choice begins, in a request of its own
    # (the first and only capture read ahead, "+0" others): the revisit, with the record of
    # the payload it repeats.
    document_at, *list_at, topic_at, revisit_at = warcio_offsets(warc.read_bytes())
    assert [read_of(r) for r in fake.requests] == [
        (f"warc-record://file/a.warc.gz/{topic_at}", "record", [(topic_at, None)]),
        *((f"warc-record://file/a.warc.gz/{at}", "record", [(at, None)])
          for at in list_at),
        (f"warc-record://file/a.warc.gz/{revisit_at}+0", "ahead",
         [(revisit_at, document_at)])]
    assert fake.run.told == [
        *(("counter", TOPIC, f"{BASE}/search?{p.stem.removeprefix('search@')}", 21, 86466)
          for p in LISTS),
        ("members", TOPIC, linked)]


def test_a_newer_challenge_in_the_files_is_skipped_for_the_older_page(run):
    steps, fake, warc = run([
        PlannedCapture(document(TELEGRAM), T1, body=page(TELEGRAM)),
        PlannedCapture(document(TELEGRAM), T2, body=CHALLENGE_PAGE)])

    [telegram] = steps
    assert record_of(telegram) == expected(TELEGRAM)
    assert telegram.capture == capture_of(warc, 0, "2024-01-15T09:30:00Z", page(TELEGRAM))
    assert fake.spider.ledger.report()["skipped"] == {"challenge page": 1}
    assert fake.run.told == []


def test_a_page_captured_only_cut_short_is_a_reject(run):
    cut = page(HUNGARIAN)[:len(page(HUNGARIAN)) // 2]  # sent chunked, as the file has it

    steps, fake, _ = run([PlannedCapture(document(HUNGARIAN), T2, body=cut)])

    assert steps == [Reject(url=document(HUNGARIAN), reason="no usable capture (1 truncated)",
                            field=None)]


def test_a_file_cut_short_gives_its_records_before_the_damage_and_no_warc_is_left_out(
        tmp_path, caplog):
    warc = write_warc(tmp_path / "a.warc.gz", [
        PlannedCapture(document(TELEGRAM), T1, body=page(TELEGRAM)),
        PlannedCapture(document(KHRUSHCHEV), T2, body=page(KHRUSHCHEV))])
    whole = warc.read_bytes()
    warc.write_bytes(whole[:-3000])
    damaged_at = max(o for o in warcio_offsets(whole, http_only=False) if o < len(whole) - 3000)
    (tmp_path / "b.warc.gz").write_bytes(b"not a warc at all")
    caplog.set_level(logging.WARNING)
    fake = fake_run(WarcSpider, tmp_path / "out", paths=f"{warc},{tmp_path / 'b.warc.gz'}")
    try:
        steps, _ = read_from_files(fake)
        files = fake.spider.source_report()["files"]
    finally:
        fake.close()

    [telegram] = steps
    assert record_of(telegram) == expected(TELEGRAM)
    unreadable = "b.warc.gz at byte 0: neither a WARC nor an ARC file (its first bytes are not " \
                 "a WARC or ARC header)"
    cut = f"a.warc.gz at byte {damaged_at}: record cut short"
    assert fake.spider.damaged == [unreadable, cut]
    assert [r.getMessage() for r in caplog.records if r.name == "warc"] == [
        f"{unreadable}; the file is left out", f"{cut}; the records before it are used"]
    assert files == ["a.warc.gz"]


def test_a_record_damaged_among_those_read_ahead_together_costs_only_its_capture(tmp_path):
    """Three documents, the first asked for by its choice, the next two read ahead in one
    request; the newest capture of the second is damaged once the files are indexed: it is
    skipped as unreadable for the older one, and the third is read ahead as if nothing
    happened."""
    first, second, third = sorted([TELEGRAM, KHRUSHCHEV, HUNGARIAN],
                                  key=lambda slug: document(slug))
    warc = write_warc(tmp_path / "a.warc.gz", [
        PlannedCapture(document(first), T1, body=page(first)),
        PlannedCapture(document(second), T1, body=page(second)),
        PlannedCapture(document(second), T2, body=page(second) + b" "),
        PlannedCapture(document(third), T1, body=page(third))])
    # File order: by time, then URL.
    first_at, older_at, third_at, newer_at = warcio_offsets(warc.read_bytes())

    def damaged() -> None:
        data = bytearray(warc.read_bytes())
        data[newer_at:newer_at + 40] = b"\0" * 40
        warc.write_bytes(bytes(data))

    fake = fake_run(WarcSpider, tmp_path / "out", paths=str(warc))
    try:
        steps, requests = read_from_files(fake, damaged)
        skipped = fake.spider.ledger.report()["skipped"]
    finally:
        fake.close()

    assert [record_of(s) for s in steps] == [expected(first), expected(second),
                                             expected(third)]
    assert steps[1].capture["timestamp"] == "2024-01-15T09:30:00Z"   # the older capture
    assert [read_of(r)[1:] for r in requests] == [
        ("record", [(first_at, None)]),
        ("ahead", [(newer_at, None), (third_at, None)]),
        ("record", [(older_at, None)])]
    assert skipped == {"unreadable": 1}


def test_people_pages_in_the_files_are_read_and_one_never_read_is_a_warning(run):
    people = sorted((VARIANTS / "people").glob("*.html"))
    captures = [PlannedCapture(document(TELEGRAM), T1, body=page(TELEGRAM)),
                *(PlannedCapture(f"{BASE}/people/{p.stem}", T1, body=p.read_bytes())
                  for p in people),
                PlannedCapture(f"{BASE}/people/shtykov-terentii-fomich", T1,
                               body=CHALLENGE_PAGE)]

    steps, fake, _ = run(captures, {"HARVESTER_PEOPLE_PAGES": True})

    assert [record_of(s) for s in steps] == [expected(TELEGRAM)]
    assert fake.run.told == [("person_page", p.stem, load_json(expected_for(p)))
                             for p in people]
    assert fake.run.findings.warnings == [
        f"person page {BASE}/people/shtykov-terentii-fomich not read: no usable capture (1 "
        "challenge page); the newest fetched: window._cf_chl_opt"]
    assert fake.stats["harvester/person_pages_read"] == len(people)



def test_a_record_that_cannot_be_read_when_asked_for_is_skipped_for_an_older_one(tmp_path):
    warc = write_warc(tmp_path / "a.warc.gz", [
        PlannedCapture(document(TELEGRAM), T1, body=page(TELEGRAM)),
        PlannedCapture(document(TELEGRAM), T2, body=page(TELEGRAM) + b" ")])
    older_at, newer_at = warcio_offsets(warc.read_bytes())

    def damaged() -> None:   # once the files are indexed, where the file lies
        data = bytearray(warc.read_bytes())
        data[newer_at:newer_at + 40] = b"\0" * 40
        warc.write_bytes(bytes(data))

    fake = fake_run(WarcSpider, tmp_path / "out", paths=str(warc))
    try:
        [telegram], reads = read_from_files(fake, damaged)
        skipped = fake.spider.ledger.report()["skipped"]
    finally:
        fake.close()

    assert [read_of(r)[1:] for r in reads] == [("record", [(newer_at, None)]),
                                               ("record", [(older_at, None)])]
    assert record_of(telegram) == expected(TELEGRAM)
    assert skipped == {"unreadable": 1}


def test_a_record_that_fails_to_be_read_for_another_reason_makes_the_run_incomplete(
        tmp_path):
    warc = write_warc(tmp_path / "a.warc.gz", [
        PlannedCapture(document(TELEGRAM), T1, body=page(TELEGRAM))])
    [at] = warcio_offsets(warc.read_bytes())

    async def stopped(request, handler):
        raise OSError("the reading thread stopped")

    fake = fake_run(WarcSpider, tmp_path / "out", paths=str(warc))
    try:
        steps, reads = read_from_files(fake, reader=stopped)
    finally:
        fake.close()

    assert (steps, [read_of(r)[1:] for r in reads]) == ([], [("record", [(at, None)])])
    assert fake.run.findings.incomplete == [
        f"a.warc.gz#{at}: OSError: the reading thread stopped"]
    assert fake.spider.walk.choices == {}


def test_reads_ahead_that_fail_together_are_asked_again_one_by_one_when_chosen(tmp_path):
    """Three documents: the first asked for by its choice, the next two read ahead in one
    request. That read fails as a whole (not a damaged record: the request itself) while the
    first is read: both are forgotten, so the second's choice asks for its record on its own
    and the third is read ahead again. Nothing is skipped."""
    first, second, third = sorted([TELEGRAM, KHRUSHCHEV, HUNGARIAN],
                                  key=lambda slug: document(slug))
    warc = write_warc(tmp_path / "a.warc.gz", [
        PlannedCapture(document(slug), T1, body=page(slug)) for slug in (first, second, third)])
    first_at, second_at, third_at = warcio_offsets(warc.read_bytes())

    failed: list = []

    async def ahead_fails(request, handler):
        if RECORD_BATCH in request.meta and not failed:
            failed.append(request)
            raise OSError("the reading thread stopped")
        return await handler.download_request(request)

    fake = fake_run(WarcSpider, tmp_path / "out", paths=str(warc))
    try:
        steps, reads = read_from_files(fake, reader=ahead_fails)
        report = fake.spider.ledger.report()
    finally:
        fake.close()

    assert [read_of(r)[1:] for r in reads] == [
        ("record", [(first_at, None)]),
        ("ahead", [(second_at, None), (third_at, None)]),
        ("record", [(second_at, None)]),
        ("ahead", [(third_at, None)])]
    assert failed == [reads[1]]
    assert [record_of(s) for s in steps] == [expected(first), expected(second), expected(third)]
    assert report["skipped"] == {}
    ahead = fake.spider.capture_fetch.ahead
    assert (ahead.reading, ahead.waiting, ahead.answered) == (set(), {}, {})


def test_the_index_pass_reads_on_a_thread_and_keeps_the_state_on_the_reactors(tmp_path,
                                                                          monkeypatch):
    """Reading a file (its records, their digests, a proven file's hash) never holds up the
    reactor; the state is written only where it was opened."""
    warc = write_warc(tmp_path / "a.warc.gz", [
        PlannedCapture(document(TELEGRAM), T1, body=page(TELEGRAM)),
        PlannedCapture(document(KHRUSHCHEV), T2, body=page(KHRUSHCHEV))])
    fake = fake_run(WarcSpider, tmp_path / "out", paths=str(warc))
    read_on, kept_on = [], []
    capture_of, record_page = fake.spider.capture_of, fake.spider.ledger.record_page

    def reading(*args):
        read_on.append(threading.current_thread())
        return capture_of(*args)

    def keeping(*args):
        kept_on.append(threading.current_thread())
        return record_page(*args)

    monkeypatch.setattr(fake.spider, "capture_of", reading)
    monkeypatch.setattr(fake.spider.ledger, "record_page", keeping)
    try:
        started(fake.spider)
        indexed = fake.spider.ledger.newest_untried("document", "", 10)
    finally:
        fake.close()
    assert len(read_on) == 2 and threading.main_thread() not in read_on
    assert kept_on == [threading.main_thread()]   # one batch: the file's whole census
    assert [capture.key for capture in indexed] == sorted([document(TELEGRAM),
                                                           document(KHRUSHCHEV)])


def test_the_index_pass_tells_how_many_document_captures_it_found_so_far(tmp_path):
    """After each file (and each batch of records within one), for parse workers to start
    beside the index pass when enough pages lie ahead: documents only, counted over the
    files."""
    first = write_warc(tmp_path / "a.warc.gz", [
        PlannedCapture(document(TELEGRAM), T1, body=page(TELEGRAM)),
        PlannedCapture(document(TELEGRAM), T2, body=page(TELEGRAM) + b" "),
        PlannedCapture(f"{BASE}/topics/{TOPIC}", T1, body=(SITE / "topics" /
                                                          f"{TOPIC}.html").read_bytes())])
    second = write_warc(tmp_path / "b.warc.gz", [
        PlannedCapture(document(KHRUSHCHEV), T3, body=page(KHRUSHCHEV))])
    fake = fake_run(WarcSpider, tmp_path / "out", paths=f"{first},{second}")
    told: list[int] = []

    def foreseen(pages: int) -> None:
        told.append(pages)

    fake.crawler.signals.connect(foreseen, signal=pages_foreseen)
    try:
        started(fake.spider)
    finally:
        fake.close()
    assert told == [2, 3]


def test_a_page_is_asked_for_at_its_url_by_a_request_that_comes_back_the_same_from_a_disk_queue(
        tmp_path):
    topic_page = SITE / "topics" / f"{TOPIC}.html"
    warc = write_warc(tmp_path / "a.warc.gz", [
        PlannedCapture(f"{BASE}/topics/{TOPIC}", T1, body=topic_page.read_bytes())])
    fake = fake_run(WarcSpider, tmp_path / "out", paths=str(warc), topics=TOPIC)
    try:
        [request] = started(fake.spider)
    finally:
        fake.close()

    assert as_sent(stored_and_read_back(request, fake.spider)) == as_sent(request)
    assert (request.url, request.callback.__name__, request.errback.__name__) == (
        f"{BASE}/topics/{TOPIC}", "chosen", "choice_failed")
    assert (request.meta, request.cb_kwargs) == (
        {CHOICE: (f"{BASE}/topics/{TOPIC}", "topic", TOPIC)}, {})


def test_a_record_longer_than_a_read_ahead_holds_is_read_again_whole_when_chosen(
        tmp_path, monkeypatch):
    """Three documents: the first asked for by its choice, the next two read ahead, each up
    to AHEAD_RECORD_BYTES of payload. The second's page is longer: its choice, waiting for
    that read, asks for the record again, whole; the third's read is taken as it came.
    Nothing is skipped as cut short, and each page gives its record."""
    monkeypatch.setattr(read_ahead, "AHEAD_RECORD_BYTES", 100_000)   # pages: 14 to 65 KB
    first, second, third = sorted([TELEGRAM, KHRUSHCHEV, HUNGARIAN],
                                  key=lambda slug: document(slug))
    long_page = page(second).replace(b"</body>", b"<!-- " + b"x" * 150_000 + b" --></body>")
    warc = write_warc(tmp_path / "a.warc.gz", [
        PlannedCapture(document(slug), T1, body=long_page if slug == second else page(slug))
        for slug in (first, second, third)])
    first_at, second_at, third_at = warcio_offsets(warc.read_bytes())
    fake = fake_run(WarcSpider, tmp_path / "out", paths=str(warc))
    try:
        steps, reads = read_from_files(fake)
        report = fake.spider.ledger.report()
    finally:
        fake.close()

    assert [read_of(r)[1:] for r in reads] == [
        ("record", [(first_at, None)]),
        ("ahead", [(second_at, None), (third_at, None)]),
        ("record", [(second_at, None)])]
    assert [wanted.max_size for wanted in reads[1].meta[RECORD_BATCH]] == [100_000, 100_000]
    assert reads[2].meta[RECORD_READ].max_size == 16 * 1024 * 1024
    assert [record_of(s) for s in steps] == [expected(first), expected(second), expected(third)]
    assert report["skipped"] == {}


def test_a_read_ahead_that_cannot_be_taken_is_read_by_its_choice_and_never_waited_for(
        tmp_path, monkeypatch):
    """Three documents, the next two read ahead together; taking the batch's answers fails on
    the first (a record the fetcher cannot make an answer of): both are left to their choices,
    which read them themselves, instead of waiting for ever."""
    first, second, third = sorted([TELEGRAM, KHRUSHCHEV, HUNGARIAN],
                                  key=lambda slug: document(slug))
    warc = write_warc(tmp_path / "a.warc.gz", [
        PlannedCapture(document(slug), T1, body=page(slug)) for slug in (first, second, third)])
    first_at, second_at, third_at = warcio_offsets(warc.read_bytes())
    from harvester.fetch.records import RecordFetch
    answer_of = RecordFetch.answer_of
    failed: list = []

    def failing_once(self, read, capture, parsed):
        if capture.key == document(second) and not failed:
            failed.append(capture)
            raise ValueError("Invalid IPv6 URL")
        return answer_of(self, read, capture, parsed)

    monkeypatch.setattr(RecordFetch, "answer_of", failing_once)
    fake = fake_run(WarcSpider, tmp_path / "out", paths=str(warc))
    try:
        steps, reads = read_from_files(fake)
    finally:
        fake.close()

    assert [read_of(r)[1:] for r in reads] == [
        ("record", [(first_at, None)]),
        ("ahead", [(second_at, None), (third_at, None)]),
        ("record", [(second_at, None)]),
        ("record", [(third_at, None)])]
    assert [record_of(s) for s in steps] == [expected(first), expected(second), expected(third)]
