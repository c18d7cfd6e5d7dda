"""Navigation shared by the harvester's spiders: base URL, documents, failures."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import UsageError
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from harvester.assemble import add_topic
from harvester.capture.rows import capture_field, sha1_digest, timestamp_from
from harvester.fetch.choices import error_reason
from harvester.items import Document, Reject, Topic, stored_document
from harvester.items.envelope import Envelope, sealed
from harvester.middlewares.conditional import KNOWN_RECORD, STORED_RECORD
from harvester.middlewares.control import is_stopping
from harvester.middlewares.parse_workers import DOCUMENT_PAGE, PARSED_RECORD, record_from
from harvester.normalize.text import unique
from harvester.pages.document import DocumentPage, MissingField
from harvester.pages.topic import TopicPage
from harvester.run.harvest import Run, RunTerms
from harvester.settings.checks import check_settings
from harvester.settings.profiles import LOOPBACK_ADDON
from harvester.site_urls import UrlRebaser, is_loopback
from harvester.spiders.config import Configured, state_setting
from harvester.spiders.people_pages import PeoplePages
from harvester.spiders.policy import WalkPolicy
from harvester.spiders.recheck import AfterWalk


def check_base_url(url: str) -> str:
    """The base URL without a trailing slash; a clear error for anything unusable."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"base URL must be an http(s) URL with a host, got {url!r}")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def check_limit(value) -> int:
    """`--limit N` / `-a limit=N`: a whole number of documents above 0."""
    try:
        limit = int(str(value).strip())
    except ValueError:
        limit = 0
    if limit <= 0:
        raise UsageError(f"limit must be a whole number of documents above 0, got {value!r}")
    return limit


def take_limit(spider, value) -> None:
    """`-a limit=N`: a trial run (HARVESTER_LIMIT; `-s HARVESTER_LIMIT=N` wins)."""
    if value is not None:
        state_setting(spider, "HARVESTER_LIMIT", check_limit(value), "spider")


def introduce(spider, settings, live: bool) -> None:
    """A live crawl without a contact for whoever runs it (the User-Agent names one when
    `HARVESTER_CONTACT_URL` is set: harvester.settings.profiles.Identity) is warned of."""
    contact = settings.get("HARVESTER_CONTACT_URL")
    if live and not contact:
        spider.logger.warning("crawling %s without HARVESTER_CONTACT_URL: set it so its "
                              "operators can reach you", spider.base_url)
    elif live and is_placeholder(contact):
        spider.logger.warning("crawling %s with HARVESTER_CONTACT_URL=%s, a placeholder that "
                              "reaches nobody: set your own", spider.base_url, contact)


def take_site(spider, crawler, argument: str | None) -> None:
    """The site a live spider asks (its `base_url` argument, else HARVESTER_BASE_URL), stated
    as the setting the loopback add-on reads; only its host is crawled, and whoever runs the
    crawl is named to it."""
    spider.base_url = check_base_url(argument or crawler.settings.get("HARVESTER_BASE_URL"))
    state_setting(spider, "HARVESTER_BASE_URL", spider.base_url, "cmdline")
    host = urlsplit(spider.base_url).hostname or ""
    spider.allowed_domains = [host]
    introduce(spider, crawler.settings, live=not is_loopback(host))


def is_placeholder(contact: str) -> bool:
    """A contact at a domain reserved for examples (RFC 2606), as documentation gives them."""
    host = (urlsplit(contact).hostname or contact.rpartition("@")[2]).lower()
    return any(host == name or host.endswith("." + name)
               for name in ("example.com", "example.org", "example.net"))


def list_key(url: str) -> tuple[str, tuple]:
    """Which list a page belongs to: its path and every parameter but the page number."""
    from harvester.pages.listing import query_pairs

    return urlsplit(url).path, tuple(sorted(p for p in query_pairs(url) if p[0] != "page"))


def failure_reason(failure) -> str:
    """What went wrong, with the number of attempts when it was retried."""
    if not failure.check(HttpError):
        return error_reason(failure.value, failure.request)
    attempts = failure.request.meta.get("retry_times", 0) + 1
    reason = f"HTTP {failure.value.response.status}"
    return f"{reason} after {attempts} attempts" if attempts > 1 else reason


class HarvestSpider(PeoplePages, AfterWalk, Configured, scrapy.Spider):
    """Resolves the base URL and follows each document once, whatever links to it.

    `self.run` (harvester.run.harvest.Run) is the run the spider works for: opened by the
    RunKeeper extension once the spider exists (`run_opened`), its state store is where the
    spider asks what is known."""

    slugs: list[str] = []  # the topics asked for (a topic spider's)
    # A site on this machine is crawled without waiting (harvester.settings.profiles).
    custom_settings = {"ADDONS": LOOPBACK_ADDON}

    @property
    def required_topics(self) -> list[str]:
        return self.slugs

    def __init__(self, base_url: str | None = None, incremental: str | bool = False,
                 full_sweep: str | bool = False, limit: str | int | None = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self._base_url_arg = base_url
        self._limit_arg = limit
        self.incremental = str(incremental).lower() in ("1", "true", "yes")
        self.full_sweep = str(full_sweep).lower() in ("1", "true", "yes")
        self.requested_documents: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        take_limit(spider, spider._limit_arg)
        check_settings(crawler.settings)  # before the run is opened, whoever started it
        take_site(spider, crawler, spider._base_url_arg)
        spider.rebase = UrlRebaser(spider.base_url,
                                   crawler.settings.get("HARVESTER_PUBLIC_BASE_URL") or "")
        spider.connect_after_walk(crawler)
        return spider

    def run_terms(self) -> RunTerms:
        return RunTerms(self.job(), self.arguments(), self.incremental, self.full_sweep,
                        spider=self.name, base_url=self.base_url, topics=tuple(self.slugs),
                        required_topics=tuple(self.required_topics), reports=self)

    def run_opened(self, run: Run) -> None:
        """The run this spider works for, and what it walks (`policy`); a resumed run keeps
        what the interrupted attempt already fetched."""
        self.run = run
        stop_pages = self.config.incremental_stop_pages
        self.policy = WalkPolicy(self.incremental, run.context.sweep, stop_pages)
        staged = run.staged_urls()
        self.requested_documents |= {self.rebase.back(url) for url in staged}

    def job(self) -> str:
        """Which dataset this run keeps current (one state store per job)."""
        return self.name

    def arguments(self) -> dict:
        """What a resumed run must share with the interrupted one: the site as the records
        name it (a mirror restarted on another port is the same site)."""
        return {"site": self.rebase.public_base or self.base_url}

    def listing_report(self) -> dict:
        return {}

    def source_report(self) -> dict:
        return {"source": "live", "site": self.rebase.public_base or self.base_url,
                "fetched_from": self.base_url}

    def known_record(self, url: str) -> str | None:
        """The Record ID of a document URL seen before (the state keeps public URLs)."""
        return self.run.known_record(self.rebase(url))

    def is_new(self, url: str) -> bool:
        """Not current in the published dataset, nor rejected before: what keeps an
        incremental walk going (see Run.is_new)."""
        return self.run.is_new(self.rebase(url))

    def keeps_walking(self, list_url: str, found_new: bool) -> bool:
        """Whether to go on to the next listing page (see WalkPolicy)."""
        return self.policy.keeps_walking(list_key(list_url), found_new)

    def walks_completely(self) -> bool:
        return self.policy.complete

    def distinct_documents(self, urls) -> int:
        """Documents behind these URLs, a document linked two ways (an old numeric URL that
        redirects, and its slug) counted once."""
        urls = list(urls)
        records = self.run.records_of([self.rebase(url) for url in urls])
        return len({records[self.rebase(url)] or url for url in urls})

    def url(self, path: str) -> str:
        return self.base_url + path

    def follow_documents(self, urls: list[str], topic_slug: str | None) -> Iterator:
        """The document links of one listing page: the run learns they were listed (and, on
        a topic's list, that the topic has them), and each new one is asked for once."""
        self.run.listed([self.rebase(url) for url in urls], topic_slug)
        too_long = self.config.url_length_limit
        for url in urls:
            if url in self.requested_documents:
                continue
            if too_long and len(url) > too_long:  # Scrapy would drop it with a log line only
                self.requested_documents.add(url)
                yield Reject(url=url, reason=f"URL too long to request (over URLLENGTH_LIMIT "
                                             f"{too_long})", field=None)
                continue
            record_id = self.known_record(url)
            if self.policy.asks_for(known=self.run.holds(record_id)):
                yield self.document_request(url, record_id)

    def document_request(self, url: str, record_id: str | None) -> scrapy.Request:
        """A request for a document; a known one (`known_record`) is asked conditionally
        (harvester.middlewares.conditional)."""
        self.requested_documents.add(url)
        meta: dict[str, Any] = {"link": url, KNOWN_RECORD: record_id, DOCUMENT_PAGE: True}
        # A page rejected before is asked again in case it was mended; failing again, it says
        # nothing about the site, so it is left out of "every document request failed".
        if not self.run.was_rejected(self.rebase(url)):
            meta["counted"] = True
            self.run.document_requested()
        # Our own set decides what is new: the stock filter would also drop a redirect's
        # target reached a second way, and lose that way's membership.
        return scrapy.Request(url, self.parse_document, errback=self.document_failed,
                              dont_filter=True, meta=meta)

    def parse_document(self, response) -> Iterator:
        known = response.meta.get(KNOWN_RECORD)
        if response.status == 304 and known:
            # The stored record, whole, so a feed holds every current document.
            if (stored := response.meta.get(STORED_RECORD)) is not None:
                yield stored_document(stored)
            return
        if response.status in (404, 410) and known:
            self.run.gone(known)
            return
        if not isinstance(response, TextResponse) or not response.text.strip():
            yield Reject(url=response.url, reason="not an HTML page", field=None)
            return
        try:
            document = self.document_of(response)
        except MissingField as missing:
            yield Reject(url=response.url, reason=missing.reason, field=missing.field)
            return
        reached_from = unique(
            [response.meta["link"], *response.meta.get("redirect_urls", []), response.url]
        )
        # The topics whose lists led here, so the record is whole wherever it goes (a feed).
        for topic in self.run.topics_listing([self.rebase(url) for url in reached_from]):
            add_topic(document, topic)
        document.capture = capture_field("live", timestamp_from(datetime.now(UTC)), response.url,
                                         sha1_digest(response.body))
        validators = ((response.headers.get("ETag") or b"").decode("latin-1") or None,
                      (response.headers.get("Last-Modified") or b"").decode("latin-1") or None)
        yield sealed(document, Envelope(reached_from=reached_from, validators=validators))

    @staticmethod
    def document_of(response) -> Document:
        """The page's record: parsed by a worker beside the crawl when one is at work
        (harvester.middlewares.parse_workers), else here."""
        if (parsed := response.meta.get(PARSED_RECORD)) is not None:
            return record_from(parsed)
        return DocumentPage.from_response(response).record()

    def topic_item(self, response, slug: str) -> tuple[TopicPage, Topic | None]:
        """The topic page read, and its Topic record (None, and the run marked incomplete,
        when the page has no title: a topic without its record would be lost silently)."""
        page = TopicPage.from_response(response)
        if page.title() is None:
            self.run.incomplete(f"{response.url}: topic page has no title")
            return page, None
        return page, page.record(slug, response.url)

    def document_failed(self, failure) -> Iterator:
        url = failure.request.meta.get("link", failure.request.url)  # not where it redirected
        if failure.request.meta.get("counted"):
            self.run.document_failed()
        yield Reject(url=url, reason=failure_reason(failure), field=None)

    def list_failed(self, failure) -> None:
        """A list page that fails makes the whole list, and so the run, incomplete."""
        message = f"{failure.request.url}: {failure_reason(failure)}"
        self.run.incomplete(message)
        if not is_stopping(self.crawler):  # else the stop's own line says why
            self.logger.error("list page failed, the run will not be published: %s", message)
