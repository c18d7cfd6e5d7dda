"""Navigation shared by the harvester's spiders: base URL, documents, failures."""

import ipaddress
from collections.abc import Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import UsageError
from scrapy.spidermiddlewares.httperror import HttpError

from harvester.items import Membership, Reject
from harvester.normalize.text import unique
from harvester.pages.document import DocumentPage, MissingField
from harvester.settings.loopback import LOOPBACK_SETTINGS


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(url: str) -> str:
    """The base URL without a trailing slash; a clear error for anything unusable."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"base URL must be an http(s) URL with a host, got {url!r}")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def failure_reason(failure) -> str:
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    return f"{type(failure.value).__name__}: {failure.getErrorMessage()}".strip()


class HarvestSpider(scrapy.Spider):
    """Resolves the base URL and follows each document once, whatever links to it."""

    def __init__(self, base_url: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._base_url_arg = base_url
        self.requested_documents: set[str] = set()
        # Why the run cannot be trusted to be complete (a list page that failed, ...).
        self.incomplete: list[str] = []

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.base_url = check_base_url(spider._base_url_arg or
                                         crawler.settings.get("HARVESTER_BASE_URL"))
        host = urlsplit(spider.base_url).hostname or ""
        spider.allowed_domains = [host]
        if is_loopback(host):
            crawler.settings.setdict(LOOPBACK_SETTINGS, priority="spider")
        return spider

    def url(self, path: str) -> str:
        return self.base_url + path

    def follow_document(self, url: str, topic_slug: str | None) -> Iterator:
        if topic_slug is not None:
            yield Membership(topic_slug=topic_slug, document_url=url)
        if url in self.requested_documents:
            return
        self.requested_documents.add(url)
        # Our own set decides what is new: the stock filter would also drop a redirect's
        # target reached a second way, and lose that way's membership.
        yield scrapy.Request(url, self.parse_document, errback=self.document_failed,
                             dont_filter=True, meta={"link": url})

    def parse_document(self, response) -> Iterator:
        if not hasattr(response, "selector") or not response.text.strip():
            yield Reject(url=response.url, reason="not an HTML page", field=None)
            return
        try:
            document = DocumentPage.from_response(response).record()
        except MissingField as missing:
            yield Reject(url=response.url, reason=missing.reason, field=missing.field)
            return
        document.reached_from = unique(
            [response.meta["link"], *response.meta.get("redirect_urls", []), response.url]
        )
        yield document

    def document_failed(self, failure) -> Iterator:
        yield Reject(url=failure.request.url, reason=failure_reason(failure), field=None)

    def list_failed(self, failure) -> None:
        """A list page that fails makes the whole list, and so the run, incomplete."""
        message = f"{failure.request.url}: {failure_reason(failure)}"
        self.incomplete.append(message)
        self.crawler.stats.inc_value("harvester/incomplete")
        self.logger.error("list page failed, the run will not be published: %s", message)
