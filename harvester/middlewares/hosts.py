"""Nothing is fetched from a host other than the archive's, whatever led there.

Scrapy's offsite filter lets through requests marked `dont_filter` and redirects that follow
from them (which is how documents are requested), so a page or a redirect could send the crawl
anywhere, loopback services included. Here every request, redirects and meta refreshes too,
must be for the base URL's host and port; anything else is refused with the reason.
"""

from urllib.parse import urlsplit

from harvester.middlewares.control import Refused

DEFAULT_PORTS = {"http": 80, "https": 443}


def host_and_port(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        port = None
    return (parts.hostname or "").lower(), port


class SameHostMiddleware:
    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        base = getattr(self.crawler.spider, "base_url", None)
        if not base or host_and_port(request.url) == host_and_port(base):
            return None
        self.crawler.stats.inc_value("harvester/other_host_refused")
        host = urlsplit(request.url).netloc or request.url
        redirected_from = request.meta.get("redirect_urls")
        if redirected_from:
            raise Refused(f"redirect from {redirected_from[0]} to another host ({host}) refused")
        raise Refused(f"request to another host ({host}) refused")
