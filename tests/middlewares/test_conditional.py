"""Conditional requests over the state: a known document's request carries the validators its
page last answered with, and its 304 brings the stored record to the spider."""

from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from harvester.middlewares.conditional import (
    KNOWN_ANSWERS,
    KNOWN_RECORD,
    STORED_RECORD,
    ConditionalRequestsMiddleware,
)

URL = "http://127.0.0.1:8000/document/119271"
STORED = {"record_id": "119271", "title": "Stored"}


class StateOfRun:
    """The two questions the middleware asks the run."""

    def __init__(self, validators: dict, stored: dict) -> None:
        self._validators, self._stored = validators, stored

    def validators(self, record_id: str) -> tuple[str | None, str | None]:
        return self._validators.get(record_id, (None, None))

    def stored_record(self, record_id: str) -> dict | None:
        return self._stored.get(record_id)


@pytest.fixture
def middleware() -> ConditionalRequestsMiddleware:
    run = StateOfRun({"119271": ('"v1"', "Mon, 05 Jan 2026 10:00:00 GMT"),
                      "300640": (None, "Tue, 06 Jan 2026 10:00:00 GMT")},
                     {"119271": STORED})
    return ConditionalRequestsMiddleware(run)


def test_a_known_document_is_asked_with_its_validators(middleware):
    request = Request(URL, meta={KNOWN_RECORD: "119271"})
    assert middleware.process_request(request) is None
    assert request.headers.get("If-None-Match") == b'"v1"'
    assert request.headers.get("If-Modified-Since") == b"Mon, 05 Jan 2026 10:00:00 GMT"
    assert request.meta["handle_httpstatus_list"] == KNOWN_ANSWERS == [304, 404, 410]


def test_only_the_validators_the_state_keeps_are_sent(middleware):
    request = Request(URL, meta={KNOWN_RECORD: "300640"})
    middleware.process_request(request)
    assert "If-None-Match" not in request.headers
    assert request.headers.get("If-Modified-Since") == b"Tue, 06 Jan 2026 10:00:00 GMT"


def test_a_record_stored_without_validators_is_asked_whole_but_may_be_gone(middleware):
    request = Request(URL, meta={KNOWN_RECORD: "999999"})
    middleware.process_request(request)
    assert "If-None-Match" not in request.headers
    assert "If-Modified-Since" not in request.headers
    assert request.meta["handle_httpstatus_list"] == [304, 404, 410]


def test_a_new_document_and_a_retried_request_are_left_as_they_are(middleware):
    new = Request(URL, meta={KNOWN_RECORD: None})
    retried = Request(URL, meta={KNOWN_RECORD: "119271", "handle_httpstatus_list": [304]},
                      headers={"If-None-Match": '"v0"'})
    for request in (new, retried):
        assert middleware.process_request(request) is None
    assert new.headers == {} and "handle_httpstatus_list" not in new.meta
    assert retried.headers.get("If-None-Match") == b'"v0"'
    assert retried.meta["handle_httpstatus_list"] == [304]


def test_a_304_brings_the_stored_record(middleware):
    request = Request(URL, meta={KNOWN_RECORD: "119271"})
    response = Response(URL, status=304, request=request)
    assert middleware.process_response(request, response) is response
    assert response.meta[STORED_RECORD] == STORED


def test_other_answers_bring_nothing(middleware):
    for status, known in ((200, "119271"), (404, "119271"), (304, None)):
        request = Request(URL, meta={KNOWN_RECORD: known})
        response = Response(URL, status=status, request=request)
        assert middleware.process_response(request, response) is response
        assert STORED_RECORD not in response.meta


def test_a_crawl_without_a_run_has_no_conditional_requests():
    crawler = SimpleNamespace(extensions=SimpleNamespace(middlewares=[]))
    with pytest.raises(NotConfigured):
        ConditionalRequestsMiddleware.from_crawler(crawler)
