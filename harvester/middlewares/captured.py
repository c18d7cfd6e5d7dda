"""A web archive's replay of a capture is data about the past, not an answer of the archive
nor of the site: the download layer reads it into the capture's Answer (request meta
`captured_answer`) and hands on, in its place, an empty answer that none of the guards below
(challenges, cut pages, size, rate limits, retries) has anything to say about. The source
judges the capture by the capture selection (harvester/sources/selection.py); the archive's
own answers (no `Memento-Datetime`: its refusals, its failures) go through the guards as
before.

It sits below the decompression and decoding of answers (590, 588), so the capture is read as
every page is, and above the guards (586 and down). Only the slot pause taken as an answer
arrives (harvester.middlewares.backoff, on `response_downloaded`, before any middleware) still
tells a capture from the archive's answer itself, by the same function. As a replay arrives,
before its content codings are removed, the digest of its bytes is kept for its Answer
(`sent_digest`): a web archive's index may name the payload in that form.
"""

from scrapy import signals
from scrapy.http import Response

from harvester.sources.replay import (
    CAPTURED_ANSWER,
    is_replayed_capture,
    keep_sent_digest,
    read_answer,
)


class CapturedAnswersMiddleware:
    @classmethod
    def from_crawler(cls, crawler) -> "CapturedAnswersMiddleware":
        # A replay's digest as it arrived, before the decompression below (590) removes its
        # codings: the web archive's index may name that form.
        crawler.signals.connect(keep_sent_digest, signal=signals.response_downloaded)
        return cls()

    def process_response(self, request, response):
        if not is_replayed_capture(request, response):
            return response
        request.meta[CAPTURED_ANSWER] = read_answer(response)
        return Response(response.url, status=200, request=request)
