"""The archive spider's callbacks, called one at a time on saved pages: `start`, the listing
(`parse_listing`, `listing_failed`, and the re-walk of a short one), the topic index
(`parse_topic_index`, `topic_index_failed`), documents and the topics they name
(`parse_document`), topic pages (`parse_topic`, `topic_failed`) and their counters
(`parse_topic_counter`, whose errback is `list_failed`).

The listing's pages are the bundled mirror's saved list (21 documents, three pages) answered
at the archive's own listing address; the topic index is the synthetic mirror's."""

import json
import logging
from datetime import UTC, datetime

import pytest
from scrapy.http import Response

from harvester.items import Document, Topic
from harvester.items.envelope import Envelope, envelope_of
from tests.helpers.pages import BASE, SITE, expected_for, load_json
from tests.helpers.spider_fakes import (
    answer,
    call,
    fail,
    http_error,
    received,
    record_of,
    requested,
    saved,
    sent,
    started,
    timed_out,
    unresolved,
)

LIST = f"{BASE}/search?f%5B0%5D=topics%3A86466&fo%5B0%5D=86466"  # the saved list
LISTING = f"{BASE}/search"
INDEX = f"{BASE}/topics"
KIM = "conversations-kim-il-sung"
TELEGRAM = f"{BASE}/document/telegram-shtykov-gromyko-and-stalin"
KIM_TOPIC = load_json(SITE / "topics" / f"{KIM}.expected.json")


def list_page(number: int) -> bytes:
    return saved(LIST + (f"&page={number}" if number else "")).read_bytes()


def listed_on(number: int) -> list[str]:
    page = saved(LIST + (f"&page={number}" if number else ""))
    return load_json(expected_for(page))["document_urls"]


def documents(urls: list[str]) -> list[tuple]:
    return [(url, "parse_document", "document_failed", {}) for url in urls]


def listing(*numbers: int) -> list[tuple]:
    return [(LISTING + (f"?page={n}" if n else ""), "parse_listing", "listing_failed",
             {"number": n}) for n in numbers]


def topic_request(slug: str) -> tuple:
    return f"{BASE}/topics/{slug}", "parse_topic", "topic_failed", {"slug": slug}


def answered_first_page(fake) -> list:
    [first] = started(fake.spider)
    steps = call(first, answer(first, list_page(0)))
    fake.run.told.clear()
    return steps


# -- start and the listing ------------------------------------------------------------------------
def test_start_asks_for_the_listings_first_page_behind_the_documents(archive):
    steps = started(archive.spider)

    assert requested(steps) == listing(0)
    assert [s.priority for s in steps] == [-1]


def test_start_asks_again_for_topics_an_earlier_run_found_missing(archive):
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    archive.run.store.settle_missing_topics({"korean-war": (f"{BASE}/topics/korean-war", 404)},
                                            set(), now, swept=False)

    assert requested(started(archive.spider)) == listing(0) + [topic_request("korean-war")]


def test_the_first_page_tells_its_counter_and_asks_for_documents_index_and_next_pages(archive):
    [first] = started(archive.spider)

    steps = call(first, answer(first, list_page(0)))

    assert requested(steps) == documents(listed_on(0)) + [
        (INDEX, "parse_topic_index", "topic_index_failed", {})] + listing(1, 2)
    assert [s.priority for s in steps] == [0] * 11 + [-1, -1]
    assert archive.run.told == [("counter", "", LISTING, 21, None),
                                ("listed", listed_on(0), None)]
    assert (archive.spider.listing_total, archive.spider.listing_pages) == (21, 3)


def test_the_topic_index_is_asked_for_once_and_a_short_listing_is_walked_again(archive):
    page_1, page_2 = answered_first_page(archive)[-2:]

    later = call(page_1, answer(page_1, list_page(1))) + call(page_2, answer(page_2,
                                                                           list_page(2)))

    seen = set(listed_on(0))
    assert requested(later) == documents([u for u in listed_on(1) if u not in seen]) + \
        documents(listed_on(2))
    # 20 distinct links against a counter of 21: the listing shifted, so it is walked again.
    assert requested(archive.spider.rewalk_requests()) == listing(0)
    assert (archive.spider.rewalks, archive.run.findings.incomplete) == (1, [])
    assert archive.spider.listing_report() == {"counter": 21, "unique_documents_listed": 20,
                                               "pages": 3, "rewalks": 1}


def test_a_first_listing_page_that_fails_fails_the_run_and_ends_the_walk(archive, caplog):
    [first] = started(archive.spider)
    caplog.set_level(logging.ERROR)

    assert fail(first, http_error(first, 503, retries=2)) == []

    message = f"{LISTING}: HTTP 503 after 3 attempts"
    assert archive.run.findings.incomplete == [message]
    assert [r.getMessage() for r in caplog.records] == [
        f"list page failed, the run will not be published: {message}"]
    assert list(archive.spider.rewalk_requests()) == []


def test_a_last_listing_page_that_answers_404_is_a_missing_page_not_a_failure(archive):
    page_1, page_2 = answered_first_page(archive)[-2:]

    assert fail(page_2, http_error(page_2, 404)) == []
    call(page_1, answer(page_1, list_page(1)))

    assert archive.run.findings.incomplete == []
    assert archive.spider.walk.holes == []
    assert archive.spider.walk.missing_run == [f"{LISTING}?page=2: HTTP 404"]


# -- the topic index ------------------------------------------------------------------------------
def test_the_topic_index_asks_for_each_topic_it_lists_not_yet_asked_for(archive, synth_site):
    request = [s for s in answered_first_page(archive) if s.url == INDEX][0]
    archive.spider.topics_requested.add("korean-war")
    body = (synth_site / "topics.html").read_bytes()

    steps = call(request, answer(request, body))

    expected = [json.loads(line)["slug"] for line in
                (synth_site / "_expected" / "topics.jsonl").read_text("utf-8").splitlines()]
    assert expected == [KIM, "korean-war", "sino-soviet-split"]
    assert requested(steps) == [topic_request(KIM), topic_request("sino-soviet-split")]
    assert archive.run.findings.warnings == []


@pytest.mark.parametrize(("response", "warning"), [
    (lambda r: answer(r, b"<html><body><main><p>Topics</p></main></body></html>"),
     f"topic index {INDEX} lists no topics"),
    (lambda r: Response(INDEX, body=b"%PDF-1.4", request=r), f"topic index {INDEX} not read: "
                                                            "not an HTML page"),
], ids=["empty", "not html"])
def test_a_topic_index_without_topics_is_a_warning(archive, response, warning):
    request = [s for s in answered_first_page(archive) if s.url == INDEX][0]

    assert call(request, response(request)) == []
    assert archive.run.findings.warnings == [warning]
    assert archive.run.findings.incomplete == []


def test_a_topic_index_that_fails_is_a_warning_and_the_run_goes_on(archive):
    request = [s for s in answered_first_page(archive) if s.url == INDEX][0]

    assert archive.spider.topic_index_failed(unresolved(request)) is None
    assert archive.run.findings.warnings == [
        f"topic index {INDEX} not read: CannotResolveHostError: DNS lookup failed: no results "
        "for hostname lookup: digitalarchive.wilsoncenter.org."]
    assert archive.run.findings.incomplete == []


# -- documents and the topics they name -----------------------------------------------------------
def test_a_document_asks_for_each_topic_it_names_once(archive):
    request = archive.spider.document_request(TELEGRAM, None)
    archive.spider.topics_requested.add("korean-war")

    document, *steps = call(request, answer(request))

    assert isinstance(document, Document)
    assert record_of(document) == load_json(expected_for(saved(TELEGRAM)))
    assert [t["slug"] for t in document.topics] == [KIM, "korean-war"]
    assert requested(steps) == [topic_request(KIM)]


def test_a_document_found_unchanged_asks_for_no_topic(next_archive_run, synth_site):
    fake = next_archive_run()
    record = json.loads((synth_site / "_expected" / "documents.jsonl").read_text(
        "utf-8").splitlines()[1])
    request = sent(fake, fake.spider.document_request(record["url"], record["record_id"]))

    [document] = call(request, received(fake, request, answer(request, b"", status=304)))

    assert envelope_of(document) == Envelope(unchanged=True)
    assert record_of(document) == record
    assert fake.spider.topics_requested == set()


def test_an_incremental_run_asks_only_for_topics_never_seen(next_archive_run):
    fake = next_archive_run(incremental="true")

    assert list(fake.spider.follow_topic(KIM)) == []  # harvested before
    assert requested(fake.spider.follow_topic("korean-war-origins")) == [
        topic_request("korean-war-origins")]


# -- topic pages and their counters ---------------------------------------------------------------
def test_a_topic_page_gives_its_topic_and_asks_for_its_lists_first_page_for_the_counter(
        archive):
    [request] = archive.spider.follow_topic(KIM)

    topic, *steps = call(request, answer(request))

    assert topic == Topic(**{k: v for k, v in KIM_TOPIC.items() if k != "listing_urls"})
    assert requested(steps) == [(KIM_TOPIC["listing_urls"][0], "parse_topic_counter",
                                 "list_failed", {"slug": KIM})]
    assert archive.run.told == []


def test_a_topic_page_without_a_title_leaves_the_run_incomplete(archive):
    [request] = archive.spider.follow_topic(KIM)

    assert call(request, answer(request, b"<html><body><p>Kim</p></body></html>")) == []
    assert archive.run.findings.incomplete == [f"{BASE}/topics/{KIM}: topic page has no title"]


def test_the_counter_page_tells_the_run_the_topics_counter(archive):
    [request] = archive.spider.follow_topic(KIM)
    [counter] = call(request, answer(request))[1:]

    assert call(counter, answer(counter)) == []
    assert archive.run.told == [("counter", KIM, LIST, 21, 86466)]


def test_a_counter_page_that_fails_leaves_the_run_incomplete(archive):
    [request] = archive.spider.follow_topic(KIM)
    [counter] = call(request, answer(request))[1:]

    fail(counter, timed_out(counter))

    assert archive.run.findings.incomplete == [
        f"{LIST}: DownloadTimeoutError: Getting {LIST} took longer than 180.0 seconds."]
    assert archive.run.told == []


@pytest.mark.parametrize("status", [404, 410])
def test_a_topic_page_the_site_does_not_have_is_reported_and_remembered(archive, status):
    [request] = archive.spider.follow_topic("korean-war-origins")

    assert archive.spider.topic_failed(http_error(request, status)) is None

    url = f"{BASE}/topics/korean-war-origins"
    assert archive.run.findings.topics_not_found == {"korean-war-origins": (url, status)}
    assert archive.run.findings.warnings == [f"topic page {url} not read: HTTP {status}"]
    assert archive.run.findings.incomplete == []


def test_a_topic_page_that_fails_otherwise_leaves_the_run_incomplete(archive):
    [request] = archive.spider.follow_topic(KIM)

    archive.spider.topic_failed(http_error(request, 502, retries=2))

    assert archive.run.findings.incomplete == [f"{BASE}/topics/{KIM}: HTTP 502 after 3 attempts"]
    assert (archive.run.findings.topics_not_found, archive.run.findings.warnings) == ({}, [])
