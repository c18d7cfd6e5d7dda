"""The live spiders' document callbacks, called one at a time on saved pages: `parse_document`
(a page, a redirected page, a page found unchanged or gone, pages that give no record),
`document_failed` and `list_failed` (what a failed request tells the run)."""

import logging

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from harvester.items import Document, Reject, Topic
from harvester.items.envelope import Envelope, envelope_of
from harvester.middlewares.control import Refused
from harvester.middlewares.parse_workers import PARSED_RECORD, parsed_record
from harvester.mirror.hostile import CHALLENGE_PAGE
from tests.helpers.captures import PDF
from tests.helpers.pages import BASE, VARIANTS, expected_for, load_json, with_membership
from tests.helpers.spider_fakes import (
    MODIFIED,
    answer,
    call,
    fail,
    failure,
    http_error,
    received,
    record_of,
    saved,
    sent,
    timed_out,
    unresolved,
    validators,
)
from tests.helpers.warcs import sha1_of

TELEGRAM = f"{BASE}/document/telegram-shtykov-gromyko-and-stalin"
CIPHERED = f"{BASE}/document/ciphered-telegram-no-405840-shtykov-feng-xi-stalin"
OLD_CIPHERED = f"{BASE}/document/110360"  # the mirror redirects it to CIPHERED
UNTITLED = f"{BASE}/document/conversation-between-kim-il-sung-and-commanders-chinese-peoples-" \
           "volunteers"  # the mirror's page without a title
KIM = {"slug": "conversations-kim-il-sung", "title": "Conversations with Kim Il Sung"}
# A topic of fixtures/pages/topics that the ciphered telegram's page does not name.
ORIGINS = {k: v for k, v in load_json(VARIANTS / "topics" / "korean-war-origins.expected.json")
           .items() if k in ("slug", "title")}


def expected(url: str) -> dict:
    return load_json(expected_for(saved(url)))


def test_a_document_page_gives_its_record_with_its_capture_and_validators(topic, clock):
    request = topic.spider.document_request(TELEGRAM, None)
    assert (request.meta, dict(request.headers)) == (
        {"link": TELEGRAM, "known_record": None, "document_page": True,
         "counted": True}, {})
    body = saved(TELEGRAM).read_bytes()

    [document] = call(request, answer(request, body, headers=validators(body)))

    assert record_of(document) == expected(TELEGRAM)
    assert document.capture == {"source": "live", "timestamp": "2026-01-06T08:30:00Z",
                                "url": TELEGRAM, "digest": sha1_of(body)}
    assert envelope_of(document) == Envelope(reached_from=[TELEGRAM],
                                             validators=(validators(body)["ETag"], MODIFIED))
    assert topic.run.told == []
    assert topic.stats == {"harvester/document_requests": 1}


def test_a_page_a_parse_worker_read_gives_the_workers_record(topic, clock):
    request = topic.spider.document_request(TELEGRAM, None)
    body = saved(TELEGRAM).read_bytes()
    response = answer(request, body, headers=validators(body))
    request.meta[PARSED_RECORD] = parsed_record(TELEGRAM, response.text)  # as the worker does

    [document] = call(request, response)

    assert record_of(document) == expected(TELEGRAM)
    assert envelope_of(document).reached_from == [TELEGRAM]


def test_a_page_a_parse_worker_found_lacking_is_a_reject(topic):
    request = topic.spider.document_request(TELEGRAM, None)
    request.meta[PARSED_RECORD] = ("record_id", "no Record ID in Document Information")

    assert call(request, answer(request, saved(TELEGRAM).read_bytes())) == [
        Reject(url=TELEGRAM, reason="no Record ID in Document Information", field="record_id")]


def test_a_redirected_page_is_reached_from_each_address_and_joins_the_topics_listing_it(topic,
                                                                                        clock):
    topic.run.take(Topic(**ORIGINS, url=f"{BASE}/topics/{ORIGINS['slug']}"))
    topic.run.listed([OLD_CIPHERED], ORIGINS["slug"])
    request = topic.spider.document_request(OLD_CIPHERED, None)
    request.meta["redirect_urls"] = [OLD_CIPHERED]  # as RedirectMiddleware leaves it

    [document] = call(request, answer(request, url=CIPHERED))

    assert envelope_of(document).reached_from == [OLD_CIPHERED, CIPHERED]
    assert ORIGINS not in expected(CIPHERED)["topics"]
    assert record_of(document) == with_membership(expected(CIPHERED), ORIGINS)
    assert document.topics[-1] == {"slug": "korean-war-origins",
                                   "title": "Korean War Origins, 1945-1950"}
    assert document.capture["url"] == CIPHERED
    assert envelope_of(document).validators == (None, None)  # the answer gave none


@pytest.mark.parametrize(("body", "reason", "field"), [
    (CHALLENGE_PAGE, "no Record ID in Document Information", "record_id"),
    (saved(TELEGRAM).read_bytes()[:40_000], "no document title (h1) on the page", "title"),
    (saved(UNTITLED).read_bytes(), "no document title (h1) on the page",
     expected(UNTITLED)["reject"]["field"]),
    (b" \n\t", "not an HTML page", None),
], ids=["challenge", "truncated", "no title", "blank"])
def test_a_page_that_gives_no_record_is_a_reject_saying_why(topic, body, reason, field):
    """A challenge never reaches the callback in a crawl (ChallengeMiddleware refuses it, see
    the errback's tests): were it to, it would still be no record."""
    request = topic.spider.document_request(TELEGRAM, None)

    assert call(request, answer(request, body)) == [Reject(url=TELEGRAM, reason=reason,
                                                           field=field)]
    assert topic.run.told == []


def test_an_answer_that_is_not_html_is_a_reject(topic):
    request = topic.spider.document_request(TELEGRAM, None)
    response = Response(TELEGRAM, body=PDF, request=request,
                        headers={"Content-Type": "application/pdf"})

    assert call(request, response) == [Reject(url=TELEGRAM, reason="not an HTML page",
                                              field=None)]


# -- a document a published run holds -------------------------------------------------------------
def test_a_known_document_is_asked_for_conditionally_and_unchanged_gives_its_stored_record(
        next_topic_run):
    fake = next_topic_run()
    record_id = expected(TELEGRAM)["record_id"]
    request = fake.spider.document_request(TELEGRAM, record_id)
    assert request.meta == {"link": TELEGRAM, "known_record": record_id, "document_page": True,
                            "counted": True}
    assert request.headers.to_unicode_dict() == {}

    etag = validators(saved(TELEGRAM).read_bytes())["ETag"]
    assert sent(fake, request).headers.to_unicode_dict() == {"If-None-Match": etag,
                                                             "If-Modified-Since": MODIFIED}
    assert request.meta["handle_httpstatus_list"] == [304, 404, 410]
    [document] = call(request, received(fake, request, answer(request, b"", status=304)))

    assert isinstance(document, Document)
    assert envelope_of(document) == Envelope(unchanged=True)
    assert record_of(document) == with_membership(expected(TELEGRAM), KIM)
    assert fake.run.told == []


@pytest.mark.parametrize("status", [404, 410])
def test_a_known_document_the_site_no_longer_has_is_told_to_the_run_as_gone(next_topic_run,
                                                                           status):
    fake = next_topic_run()
    record_id = expected(TELEGRAM)["record_id"]
    request = sent(fake, fake.spider.document_request(TELEGRAM, record_id))

    assert call(request, answer(request, b"<h1>Not found</h1>", status=status)) == []
    assert fake.run.told == [("gone", record_id)]


# -- document_failed ------------------------------------------------------------------------------
@pytest.mark.parametrize(("failed", "reason"), [
    (timed_out, f"DownloadTimeoutError: Getting {TELEGRAM} took longer than "
                             "180.0 seconds."),
    (unresolved, "CannotResolveHostError: DNS lookup failed: no results for "
                              "hostname lookup: digitalarchive.wilsoncenter.org."),
    (lambda r: http_error(r, 503, retries=2), "HTTP 503 after 3 attempts"),
    (lambda r: http_error(r, 403), "HTTP 403"),
    (lambda r: failure(r, Refused("bot challenge instead of the page (window._cf_chl_opt)")),
     "bot challenge instead of the page (window._cf_chl_opt)"),
], ids=["timeout", "dns", "503 retried", "403", "challenge"])
def test_a_document_request_that_fails_is_a_reject_and_counted(topic, failed, reason):
    request = topic.spider.document_request(TELEGRAM, None)

    assert fail(request, failed(request)) == [Reject(url=TELEGRAM, reason=reason, field=None)]
    assert topic.stats == {"harvester/document_requests": 1,
                           "harvester/document_failures": 1}
    assert topic.run.told == []


def test_a_failure_after_a_redirect_names_the_link_and_a_middlewares_refusal_says_why(topic):
    request = topic.spider.document_request(OLD_CIPHERED, None).replace(url=CIPHERED)
    refusal = failure(request, IgnoreRequest("Forbidden by robots.txt."))

    assert fail(request, refusal) == [
        Reject(url=OLD_CIPHERED, reason="Forbidden by robots.txt.", field=None)]


def test_a_document_rejected_before_that_fails_again_is_not_counted(next_topic_run):
    fake = next_topic_run()
    request = fake.spider.document_request(UNTITLED, None)
    assert "counted" not in request.meta

    assert fail(request, timed_out(request)) == [Reject(
        url=UNTITLED, reason=f"DownloadTimeoutError: Getting {UNTITLED} took longer than 180.0 "
                             "seconds.", field=None)]
    assert "harvester/document_failures" not in fake.stats
    assert "harvester/document_requests" not in fake.stats


# -- list_failed ----------------------------------------------------------------------------------
def test_a_list_page_that_fails_makes_the_run_incomplete_and_says_so(topic, caplog):
    listing = f"{BASE}/search?f%5B0%5D=topics%3A86466&fo%5B0%5D=86466"
    request = topic.spider.document_request(listing, None)
    caplog.set_level(logging.ERROR)

    assert topic.spider.list_failed(http_error(request, 500, retries=2)) is None

    message = f"{listing}: HTTP 500 after 3 attempts"
    assert topic.run.findings.incomplete == [message]
    assert topic.stats["harvester/incomplete"] == 1
    assert [r.getMessage() for r in caplog.records] == [
        f"list page failed, the run will not be published: {message}"]


def test_a_list_page_failing_while_the_run_stops_is_not_logged_again(topic, caplog):
    request = topic.spider.document_request(f"{BASE}/search?page=3", None)
    topic.crawler.crawling = False  # the crawl is stopping
    caplog.set_level(logging.ERROR)

    topic.spider.list_failed(unresolved(request))

    assert topic.run.findings.incomplete == [
        f"{BASE}/search?page=3: CannotResolveHostError: DNS lookup failed: no results for "
        "hostname lookup: digitalarchive.wilsoncenter.org."]
    assert caplog.records == []
