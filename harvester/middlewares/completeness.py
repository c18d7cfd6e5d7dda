"""A page whose markup stops short is fetched again, never parsed half.

A body cut off by a dropped connection is caught by the download handler when the server
sent a Content-Length; without one, a truncated page looks finished. Parsing it would write a
record with the later sections silently missing, so a page must reach its end (the closing
`</body>`/`</html>`, or at least the site footer that follows all content) to be parsed.
"""

from scrapy.http import HtmlResponse

from harvester.middlewares.backoff import Backoff
from harvester.middlewares.challenge import is_robots_request
from harvester.middlewares.control import Refused
from harvester.pages.completeness import looks_complete

CUT_SHORT = "page cut short (its markup stops before the end of the page)"


class CompletenessMiddleware:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.backoff = Backoff.of(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response):
        if response.status != 200 or not isinstance(response, HtmlResponse) \
                or is_robots_request(request) or looks_complete(response.body):
            return response
        self.crawler.stats.inc_value("harvester/cut_short")
        again = self.backoff.retry(request, "page cut short")
        if again is None:
            raise Refused(CUT_SHORT)
        return again
