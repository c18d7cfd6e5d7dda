"""Pages decoded as they are really encoded (harvester/pages/decoding.py says how): the crawl's
answers pass through here before a challenge or an end is looked for, and every dropped stray
byte or control character is counted."""

import logging

from scrapy.http import HtmlResponse

from harvester.pages.decoding import clean_utf8, declared_encoding, decode_page

logger = logging.getLogger(__name__)


class EncodingMiddleware:
    def __init__(self, crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response):
        if not isinstance(response, HtmlResponse):
            return response
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        if clean_utf8(response.body, content_type):
            return response
        text, encoding, dropped = decode_page(response.body, content_type)
        if dropped:
            self.stats.inc_value("harvester/encoding/dropped_characters", dropped)
            logger.info("dropped %d stray bytes or control characters from %s",
                           dropped, response.url)
        if encoding != "utf-8":
            self.stats.inc_value(f"harvester/encoding/{encoding}")
        if not dropped and encoding == declared_encoding(response.body, content_type) == "utf-8":
            return response
        return response.replace(body=text.encode("utf-8"), encoding="utf-8")
