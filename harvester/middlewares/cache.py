"""An HTTP cache policy that never stores what the crawl would refuse to parse.

Scrapy's default policy caches every answer, so with HTTPCACHE_ENABLED one bot challenge or
one truncated page would be served back to every later run, retries included. The cache sits
before decompression, so the body is decoded (a bounded amount, every coding the crawl accepts:
gzip, deflate, br, zstd, stacked) to be inspected; an answer that cannot be inspected (an
unknown coding, bytes that do not decode, a coded stream cut short) is not cached.
"""

from scrapy.extensions.httpcache import DummyPolicy
from scrapy.http import HtmlResponse

from harvester.pages.challenge import SNIFF_BYTES, challenge_marker
from harvester.pages.completeness import looks_complete
from harvester.sources.content import ContentEncodingError, decode_body


def inspectable_body(response, limit: int) -> bytes | None:
    """The body as the crawl will see it, up to `limit` bytes; None if it cannot be read."""
    try:
        decoded = decode_body(response.body, response.headers.getlist(b"Content-Encoding"),
                              limit)
    except ContentEncodingError:
        return None
    return decoded.body if decoded.ended or decoded.over_limit else None


class SafeCachePolicy(DummyPolicy):
    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.max_size = settings.getint("DOWNLOAD_MAXSIZE") or 1 << 30

    def should_cache_response(self, response, request) -> bool:
        if not super().should_cache_response(response, request):
            return False
        page = isinstance(response, HtmlResponse) and response.status == 200
        # A page is read to its end (it must be whole); other answers only as far as a
        # challenge's markers can be.
        body = inspectable_body(response, self.max_size if page else SNIFF_BYTES)
        if body is None or challenge_marker(response.status, response.headers, body):
            return False
        return looks_complete(body) if page else True
