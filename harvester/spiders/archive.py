"""The `archive` spider: every page of the default listing, every document, every topic."""

import math
from collections.abc import AsyncIterator, Iterator

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError

from harvester.items import Document, ListingCounter, Reject
from harvester.pages.listing import ListingPage, merge_page_query, page_number, query_pairs
from harvester.pages.topic_index import TopicIndexPage, topic_index_url
from harvester.spiders.base import HarvestSpider, failure_reason

LISTING = "/search"


class ArchiveSpider(HarvestSpider):
    name = "archive"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.listed: set[str] = set()
        self.listing_total: int | None = None
        self.listing_pages: set[int] = set()
        self.per_page = 0
        self.rewalks = 0
        self.topics_requested: set[str] = set()

    async def start(self) -> AsyncIterator:
        yield self.listing_request(self.url(LISTING), 0)

    def listing_request(self, url: str, number: int, again: bool = False) -> scrapy.Request:
        self.listing_pages.add(number)
        # Listing pages wait behind the documents they found, so the queue stays short.
        return scrapy.Request(url, self.parse_listing, errback=self.list_failed, priority=-1,
                              dont_filter=again, cb_kwargs={"number": number})

    def parse_listing(self, response, number: int) -> Iterator:
        page = ListingPage.from_response(response)
        total = page.total()
        yield ListingCounter(topic_slug="", url=response.url, total=total, topic_id=None)
        urls = page.document_urls()
        if number == 0 and total is not None:
            self.listing_total = total
            self.per_page = max(self.per_page, len(urls))
        new = [url for url in urls if self.is_new(url)]
        for url in urls:
            self.listed.add(url)
            yield from self.follow_document(url, None)
        yield from self.follow_topic_index(page)
        if not self.keeps_walking(response.url, bool(new)):
            return
        for number_, url in self.next_pages(response.url, page, number):
            if number_ not in self.listing_pages:
                yield self.listing_request(url, number_)

    def next_pages(self, here: str, page: ListingPage, number: int) -> Iterator[tuple[int, str]]:
        """Every page the counter says exists (a complete walk), or just the next one (an
        incremental walk, which stops where nothing is new)."""
        if self.incremental and not self.context.sweep:
            numbers = [number + 1] if self.listing_total is None or \
                (number + 1) * max(self.per_page, 1) < self.listing_total else []
        else:
            numbers = list(range(1, self.last_page() + 1)) if number == 0 else []
            numbers += [page_number(url) for url in page.pager_urls()]
        for target in numbers:
            yield target, self.page_url(here, target)

    def page_url(self, here: str, number: int) -> str:
        """Page 0 is the bare listing, as the site links it; others carry `page=N`."""
        if number == 0:
            return self.url(LISTING)
        return f"{self.url(LISTING)}?{merge_page_query(query_pairs(here), [('page', str(number))])}"

    def last_page(self) -> int:
        if not self.listing_total or not self.per_page:
            return 0
        return math.ceil(self.listing_total / self.per_page) - 1

    def follow_topic_index(self, page: ListingPage) -> Iterator:
        url = topic_index_url(page)
        if url and "index" not in self.topics_requested:
            self.topics_requested.add("index")
            yield scrapy.Request(url, self.parse_topic_index, errback=self.list_failed)

    def parse_topic_index(self, response) -> Iterator:
        for slug in TopicIndexPage.from_response(response).slugs():
            yield from self.follow_topic(slug)

    def parse_document(self, response) -> Iterator:
        for item in super().parse_document(response):
            yield item
            if isinstance(item, Document):
                for topic in item.topics:
                    if topic["slug"]:
                        yield from self.follow_topic(topic["slug"])

    def follow_topic(self, slug: str) -> Iterator:
        """Each topic once; an incremental run fetches only topics it has never seen."""
        if slug in self.topics_requested:
            return
        self.topics_requested.add(slug)
        if self.incremental and not self.context.sweep and slug in self.known_topics():
            return
        yield scrapy.Request(self.url(f"/topics/{slug}"), self.parse_topic,
                             errback=self.topic_failed, cb_kwargs={"slug": slug})

    def topic_failed(self, failure) -> Iterator:
        """A topic a document names but the site does not have is a reject; any other
        failure leaves a Topic record missing, so the run is incomplete."""
        if failure.check(HttpError) and failure.value.response.status in (404, 410):
            yield Reject(url=failure.request.url, reason=failure_reason(failure), field=None)
        else:
            self.list_failed(failure)

    def known_topics(self) -> set[str]:
        if not hasattr(self, "_known_topics"):
            self._known_topics = set(self.context.store.topics())
        return self._known_topics

    def parse_topic(self, response, slug: str) -> Iterator:
        page, topic = self.topic_item(response, slug)
        if topic is None:
            return
        yield topic
        # The first page of the topic's list gives its counter; members come from the
        # documents' own Associated Topics, so the rest of the list is not needed.
        for url in page.listing_urls()[:1]:
            yield scrapy.Request(url, self.parse_topic_counter, errback=self.list_failed,
                                 cb_kwargs={"slug": slug})

    def parse_topic_counter(self, response, slug: str) -> Iterator:
        page = ListingPage.from_response(response)
        yield ListingCounter(topic_slug=slug, url=response.url, total=page.total(),
                             topic_id=page.topic_id())

    def unique_listed(self) -> int:
        store = self.context.store
        store.flush()
        return len({self.known_record(url) or url for url in self.listed})

    def rewalk_requests(self) -> Iterator[scrapy.Request]:
        """A complete walk that found fewer documents than the counter walks again (the
        newest-first listing shifts while documents are added), a bounded number of times."""
        if self.incremental and not self.context.sweep:
            return
        limit = self.crawler.settings.getint("HARVESTER_LISTING_REWALKS")
        short = self.listing_total is not None and self.unique_listed() < self.listing_total
        if not short:
            return
        if self.rewalks >= limit:
            self.incomplete.append(
                f"listing shows {self.listing_total} documents, {self.unique_listed()} found "
                f"after {self.rewalks} re-walks")
            return
        self.rewalks += 1
        self._phases.insert(0, self.rewalk_requests)
        for number in range(self.last_page() + 1):
            yield self.listing_request(self.page_url(self.url(LISTING), number), number,
                                       again=True)

    def listing_report(self) -> dict:
        return {"counter": self.listing_total, "unique_documents_listed": self.unique_listed(),
                "pages": len(self.listing_pages), "rewalks": self.rewalks}
