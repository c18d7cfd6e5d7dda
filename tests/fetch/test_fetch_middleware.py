"""The download layer's fetcher as Scrapy sees it (harvester/fetch/middleware.py, choices.py):
it answers only a request for a page of the archive, and its answer, never sent, is not one
the run counts; a capture's failure names the attempts its retries made."""

import asyncio
from types import SimpleNamespace

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from twisted.internet.error import ConnectionRefusedError as Refused

from harvester.fetch.choices import CHOICE, LAST_ATTEMPT, error_reason, last_attempt
from harvester.fetch.middleware import CaptureFetchMiddleware
from harvester.middlewares.exchanges import ExchangesMiddleware

PAGE = "https://digitalarchive.wilsoncenter.org/document/x"


class Counted:
    """What the run is told of its requests and answers."""

    def __init__(self) -> None:
        self.requests = self.responses = 0

    def exchanged(self, requests: int = 0, responses: int = 0) -> None:
        self.requests += requests
        self.responses += responses


def test_a_request_that_asks_for_no_choice_goes_on_down_the_chain():
    fetcher = CaptureFetchMiddleware(SimpleNamespace(spider=None))
    request = Request("https://web.archive.org/cdx/search/cdx?url=x")

    assert asyncio.run(fetcher.process_request(request)) is None


def test_only_answers_to_requests_that_were_sent_are_counted():
    run = Counted()
    exchanges = ExchangesMiddleware(run)
    sent = Request("https://web.archive.org/web/20240115093000id_/" + PAGE)
    page = Request(PAGE, meta={CHOICE: (PAGE, "document", None)})

    exchanges.process_request(sent)
    exchanges.process_response(sent, Response(sent.url, request=sent))
    # The fetcher's answer to the page, given above this middleware: never sent.
    exchanges.process_response(page, Response(PAGE, request=page))

    assert (run.requests, run.responses) == (1, 1)


def test_a_failure_names_the_attempts_of_the_last_retry_that_reached_the_downloader():
    request = Request("https://web.archive.org/web/20240115093000id_/" + PAGE,
                      meta={LAST_ATTEMPT: [0]})
    retried = request.copy()   # what a retry is: its meta, copied, shares the list
    retried.meta["retry_times"] = 2
    refused = Refused("111: Connection refused")

    assert error_reason(refused, request) == (
        "ConnectionRefusedError: Connection was refused by other side: 111: Connection "
        "refused.")
    last_attempt(retried)

    assert request.meta[LAST_ATTEMPT] == [2]
    assert error_reason(refused, request) == (
        "ConnectionRefusedError: Connection was refused by other side: 111: Connection "
        "refused after 3 attempts")
    # A middleware's refusal says why in its own words.
    assert error_reason(IgnoreRequest("robots.txt forbids it"), request) == (
        "robots.txt forbids it after 3 attempts")


def test_a_request_the_fetcher_did_not_make_is_left_alone_when_it_reaches_the_downloader():
    request = Request(PAGE)
    last_attempt(request)
    assert LAST_ATTEMPT not in request.meta
