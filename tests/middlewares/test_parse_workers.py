"""Document pages parsed by a worker process give exactly the record the crawl's own process
gives; the spider takes it from the answer."""

import asyncio
import subprocess
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.settings import Settings

from harvester.middlewares.parse_workers import (
    DOCUMENT_PAGE,
    PARSED_RECORD,
    ParseWorkersMiddleware,
    parsed_record,
    record_from,
)
from harvester.pages.document import DocumentPage, MissingField
from tests.helpers.crawls import bundled_crawl_command
from tests.helpers.pages import BASE, SITE, expected_documents, load_json, read_jsonl
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
                                                      "HARVESTER_PARSE_WORKERS=1"),
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
