"""Document pages parsed by a worker process give exactly the record the crawl's own process
gives, and captured document pages what the capture selection's reader gives; the spider takes
it from the answer."""

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.settings import Settings

from harvester.capture.outcomes import NOT_A_PAGE
from harvester.capture.rows import Capture
from harvester.middlewares.parse_workers import (
    DOCUMENT_CAPTURE,
    DOCUMENT_CAPTURES,
    DOCUMENT_PAGE,
    PARSED_CAPTURE,
    PARSED_CAPTURES,
    PARSED_RECORD,
    ParseWorkersMiddleware,
    parsed_record,
    record_from,
)
from harvester.pages.document import DocumentPage, MissingField
from harvester.sources import selection
from harvester.sources.warc_handler import BATCH_READ, RecordsRead
from harvester.sources.warcfiles import RecordBody, WarcReadError
from tests.helpers.crawls import bundled_crawl_command
from tests.helpers.pages import BASE, ROOT, SITE, expected_documents, load_json, read_jsonl
from tests.helpers.real_shaped import REAL_PAGE_EXPECTED, REAL_PAGE_URL, real_page
from tests.helpers.serving import served

PAGE = SITE / "document" / "telegram-shtykov-gromyko-and-stalin.html"
EXPECTED = PAGE.with_suffix(".expected.json")
URL = f"{BASE}/document/telegram-shtykov-gromyko-and-stalin"


def answer(body: bytes, **meta) -> HtmlResponse:
    request = Request(URL, meta=meta)
    return HtmlResponse(URL, body=body, request=request,
                        headers={"Content-Type": "text/html; charset=utf-8"})


def test_a_page_parsed_apart_gives_the_record_parsed_here():
    response = answer(PAGE.read_bytes())
    here = DocumentPage.from_response(response).record()
    assert parsed_record(URL, response.text) == here
    assert (here.record_id, here.title) == ("114902", load_json(EXPECTED)["title"])


def test_a_page_without_its_title_comes_back_as_the_field_it_lacks():
    parsed = parsed_record(URL, "<html><body><p>nothing here</p></body></html>")
    assert parsed == ("title", "no document title (h1) on the page")
    with pytest.raises(MissingField) as missing:
        record_from(parsed)
    assert (missing.value.field, missing.value.reason) == parsed


def test_no_workers_no_middleware():
    crawler = type("Crawler", (), {"settings": Settings({"HARVESTER_PARSE_WORKERS": 0})})
    with pytest.raises(NotConfigured):
        ParseWorkersMiddleware.from_crawler(crawler)


def test_a_worker_parses_a_document_pages_answer_and_nothing_else():
    middleware = ParseWorkersMiddleware(1)
    try:
        document = answer(PAGE.read_bytes(), **{DOCUMENT_PAGE: True})
        listing = answer(PAGE.read_bytes())

        async def both():
            return (await middleware.process_response(document.request, document),
                    await middleware.process_response(listing.request, listing))

        assert asyncio.run(both()) == (document, listing)
    finally:
        middleware.close()
    assert document.meta[PARSED_RECORD] == DocumentPage.from_response(document).record()
    assert PARSED_RECORD not in listing.meta


def test_a_crawl_with_a_worker_publishes_the_hand_checked_records(tmp_path: Path):
    out = tmp_path / "out"
    with served() as url:
        result = subprocess.run(bundled_crawl_command(url, out, "-s",
                                                      "HARVESTER_PARSE_WORKERS=1", "-s",
                                                      "HARVESTER_PARSE_WORKERS_AFTER=0"),
                                capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    records = {r["record_id"]: r for r in read_jsonl(out / "latest" / "documents.jsonl")}
    for record_id, (_, expected) in expected_documents().items():
        record = records[record_id]
        assert {k: record[k] for k in expected if k != "topics"} == {
            k: v for k, v in expected.items() if k != "topics"}


def test_the_real_page_parsed_apart_gives_its_hand_checked_record():
    body = real_page()
    response = HtmlResponse(REAL_PAGE_URL, body=body,
                            headers={"Content-Type": "text/html; charset=utf-8"})
    here = DocumentPage.from_response(response).record()
    assert parsed_record(REAL_PAGE_URL, response.text) == here
    assert here.record_id == load_json(REAL_PAGE_EXPECTED)["record_id"]


def captured(body: bytes, content_type: str | None = "text/html; charset=utf-8",
             status: int = 200) -> Response:
    """A record's answer as the WARC handler gives it: the captured status, the payload and
    its type, the capture in the request."""
    capture = Capture(location="a.warc.gz#0", key=URL, kind="document",
                      timestamp="20240115093000", original=URL, status=200,
                      mimetype="text/html", digest=None)
    request = Request("warc-record://file/a.warc.gz/0", meta={DOCUMENT_CAPTURE: capture})
    return Response(request.url, status=status, body=body, request=request,
                    headers={"Content-Type": content_type} if content_type else None)


def test_a_worker_reads_a_captured_document_as_the_capture_selection_reads_it():
    middleware = ParseWorkersMiddleware(1)
    page, old, pdf, missing = (captured(PAGE.read_bytes()),
                               captured(b"<html><body><p>An old page</p></body></html>", None),
                               captured(b"%PDF-1.4 ...", "application/pdf"),
                               captured(PAGE.read_bytes(), status=404))
    try:
        async def each():
            return [await middleware.process_response(r.request, r)
                    for r in (page, old, pdf, missing)]

        assert asyncio.run(each()) == [page, old, pdf, missing]
    finally:
        middleware.close()
    capture = page.meta[DOCUMENT_CAPTURE]
    here = selection.read_document(capture, (
        URL, PAGE.read_bytes(), "text/html; charset=utf-8"))
    assert page.meta[PARSED_CAPTURE] == here
    assert here[0].record_id == "114902"
    # A page without information blocks, captured after the rebuild: not the old site's, but
    # no record either; its type was the capture's (the answer named none).
    record, skip = old.meta[PARSED_CAPTURE]
    assert (record, skip.outcome, skip.field) == (None, NOT_A_PAGE, "title")
    # Neither a PDF nor an error page is parsed.
    assert PARSED_CAPTURE not in pdf.meta and PARSED_CAPTURE not in missing.meta


def read(body: bytes, content_type: str | None = "text/html; charset=utf-8",
         status: int = 200, complete: bool = True) -> RecordsRead:
    """A capture's records as the WARC handler read them."""
    own = RecordBody(status, [("Content-Type", content_type)] if content_type else [], body,
                     complete)
    return RecordsRead(own, own)


def test_captures_read_together_are_parsed_by_a_worker_each_as_alone():
    """A batch of records read ahead (the WARC handler's RECORD_BATCH): each document page
    parsed as `test_a_worker_reads_a_captured_document_as_the_capture_selection_reads_it`
    parses it alone; a capture that is no document, a damaged record, a PDF, an error page and
    a page cut short (never used) are not parsed, and each result keeps its capture's place."""
    capture = captured(b"").meta[DOCUMENT_CAPTURE]
    reads = [read(PAGE.read_bytes()), read(b"<html><body><p>An old page</p></body></html>", None),
             read(PAGE.read_bytes()), WarcReadError("a.warc.gz", 7, "Invalid WARC record"),
             read(b"%PDF-1.4 ...", "application/pdf"), read(PAGE.read_bytes(), status=404),
             read(PAGE.read_bytes()[:20_000], complete=False)]
    captures = [capture, capture, None, capture, capture, capture, capture]
    request = Request("warc-record://file/a.warc.gz/0+5",
                      meta={DOCUMENT_CAPTURES: captures, BATCH_READ: reads})
    response = Response(request.url, status=200, request=request)
    middleware = ParseWorkersMiddleware(1)
    try:
        assert asyncio.run(middleware.process_response(request, response)) is response
    finally:
        middleware.close()

    here = selection.read_document(capture, (
        URL, PAGE.read_bytes(), "text/html; charset=utf-8"))
    [page, old, *others] = request.meta[PARSED_CAPTURES]
    assert page == here
    record, skip = old
    assert (record, skip.outcome, skip.field) == (None, NOT_A_PAGE, "title")
    assert others == [None, None, None, None, None]


def test_the_first_pages_are_left_to_the_crawls_own_process_before_a_worker_starts():
    middleware = ParseWorkersMiddleware(1, after=2)
    pages = [answer(PAGE.read_bytes(), **{DOCUMENT_PAGE: True}) for _ in range(3)]
    try:
        async def each():
            return [await middleware.process_response(p.request, p) for p in pages]

        assert asyncio.run(each()) == pages
        assert [PARSED_RECORD in p.meta for p in pages] == [False, False, True]
    finally:
        middleware.close()
    assert pages[2].meta[PARSED_RECORD] == DocumentPage.from_response(pages[2]).record()


def test_pages_foreseen_before_any_comes_start_the_workers_then_and_every_page_goes_to_them():
    """Fewer pages foreseen than a crawl parses itself first start nothing; as many start
    the workers at once, and from then on no page is left to the crawl's process."""
    middleware = ParseWorkersMiddleware(1, after=3)
    pages = [answer(PAGE.read_bytes(), **{DOCUMENT_PAGE: True}) for _ in range(2)]
    try:
        middleware.foreseen(pages=2)
        started_early = middleware.pool is not None
        middleware.foreseen(pages=3)
        started = middleware.pool is not None

        async def each():
            return [await middleware.process_response(p.request, p) for p in pages]

        assert asyncio.run(each()) == pages
    finally:
        middleware.close()
    assert (started_early, started) == (False, True)
    assert [p.meta[PARSED_RECORD] for p in pages] == [
        DocumentPage.from_response(p).record() for p in pages]


def alive(pid: int) -> bool:
    """Whether a process is there and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


# A process that starts the pool, says its worker's pid and its own forkserver's, then waits
# on its stdin for ever.
POOL_THEN_WAIT = """
import os, sys
from harvester.middlewares.parse_workers import ParseWorkersMiddleware
middleware = ParseWorkersMiddleware(1)
pool = middleware.started()
worker = pool.submit(os.getpid).result()
print(worker, pool.submit(os.getppid).result(), flush=True)
sys.stdin.read()
"""


def test_workers_end_when_the_crawls_process_is_killed_outright():
    """SIGKILL leaves no one to shut the pool down: before, the worker waited for work for
    ever, and its forkserver with it. Both end once the lifeline the process held closes."""
    crawl = subprocess.Popen([sys.executable, "-c", POOL_THEN_WAIT], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, cwd=ROOT)
    worker, forkserver = map(int, crawl.stdout.readline().split())
    assert alive(worker) and alive(forkserver)
    crawl.kill()
    crawl.wait()
    deadline = time.monotonic() + 60   # a bound for a broken fix, not a measure
    while (alive(worker) or alive(forkserver)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (alive(worker), alive(forkserver)) == (False, False)
