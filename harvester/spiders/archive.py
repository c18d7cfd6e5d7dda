"""The `archive` spider: every page of the default listing, every document, every topic.

The listing is the authority for documents, and each document names its topics (Associated
Topics); the topic index only adds topics no document names yet. So a missing or broken index,
or a topic page the site does not have, is a warning in the manifest, never a refusal.
"""

from collections.abc import AsyncIterator, Iterator

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError

from harvester.items import Document
from harvester.items.envelope import envelope_of
from harvester.pages.listing import ListingPage, page_number
from harvester.pages.topic_index import TopicIndexPage, topic_index_url
from harvester.site_urls import LISTING_PATH, topic_path
from harvester.spiders.base import HarvestSpider, failure_reason
from harvester.spiders.lists import ListWalk, WalksLists

LISTING = LISTING_PATH


class ArchiveSpider(WalksLists, HarvestSpider):
    name = "archive"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.listed: set[str] = set()
        self.listing_total: int | None = None
        self.listing_pages = 0
        self.rewalks = 0
        self.topics_requested: set[str] = set()
        self.index_requested = False
        self.walk: ListWalk | None = None
        # What the manifest's `warnings` says; topic pages that answered 404/410: slug -> (the
        # public URL, the status), remembered in the state when the run is published.

    async def start(self) -> AsyncIterator:
        self.walk = self.new_walk(self.url(LISTING))
        for request in self.listing_requests():
            yield request
        for slug in self.topics_to_ask_again():
            for request in self.follow_topic(slug):
                yield request

    def topics_to_ask_again(self) -> list[str]:
        """Topics this run would not otherwise reach: a complete run asks again for every topic
        found missing before (one that came back is then harvested and forgotten); a resumed
        run follows the topics of the documents its interrupted part fetched."""
        slugs = self.run.missing_topic_slugs() if self.walks_completely() else []
        if self.run.context.resumed:
            slugs += self.run.staged_topics()
        return slugs

    def listing_requests(self) -> Iterator[scrapy.Request]:
        """The pages the walk is due. Listing pages wait behind the documents they found,
        so the queue stays short."""
        yield from self.walk_requests(self.listing_walk(), self.parse_listing,
                                      self.listing_failed, priority=-1)
        self.listing_pages = max(self.listing_pages, self.listing_walk().next)

    def listing_walk(self) -> ListWalk:
        """The walk of the listing under way: `start` begins the first, before any page of the
        listing is asked for."""
        assert self.walk is not None, "the listing is walked once the crawl has started"
        return self.walk

    def parse_listing(self, response, number: int) -> Iterator:
        page = ListingPage.from_response(response)
        total = page.total()
        self.run.counter("", self.rebase(response.url), total, None)
        urls = page.document_urls()
        if number == 0 and total is not None:
            self.listing_total = total
        new = [url for url in urls if self.is_new(url)]
        self.listed.update(urls)
        yield from self.follow_documents(urls, None)
        yield from self.follow_topic_index(page)
        walk = self.listing_walk()
        walk.answered(number, urls, total, [page_number(url) for url in page.pager_urls()])
        if not self.keeps_walking(response.url, bool(new)):
            walk.finish()
        yield from self.listing_requests()

    def listing_failed(self, failure) -> Iterator[scrapy.Request]:
        self.walk_page_failed(self.listing_walk(), failure)
        yield from self.listing_requests()

    def follow_topic_index(self, page: ListingPage) -> Iterator:
        url = topic_index_url(page)
        if url and not self.index_requested:
            self.index_requested = True
            yield scrapy.Request(url, self.parse_topic_index, errback=self.topic_index_failed)

    def parse_topic_index(self, response) -> Iterator:
        if not hasattr(response, "selector"):
            self.warn(f"topic index {self.rebase(response.url)} not read: not an HTML page")
            return
        slugs = TopicIndexPage.from_response(response).slugs()
        if not slugs:
            self.warn(f"topic index {self.rebase(response.url)} lists no topics")
        for slug in slugs:
            yield from self.follow_topic(slug)

    def topic_index_failed(self, failure) -> None:
        """A mirror or a web archive may lack the index, and the site may fail to serve it:
        the documents still name their topics, so the run goes on."""
        self.warn(f"topic index {self.rebase(failure.request.url)} not read: "
                  f"{failure_reason(failure)}")

    def warn(self, message: str) -> None:
        self.run.warn(message)
        self.logger.warning(message)

    def parse_document(self, response) -> Iterator:
        for item in super().parse_document(response):
            yield item
            if isinstance(item, Document) and not envelope_of(item).unchanged:
                for topic in item.topics:
                    if topic["slug"]:
                        yield from self.follow_topic(topic["slug"])

    def follow_topic(self, slug: str) -> Iterator:
        """Each topic once; an incremental run fetches only topics it has never seen."""
        if slug in self.topics_requested:
            return
        self.topics_requested.add(slug)
        if not self.policy.asks_topic(known=slug in self.known_topics()):
            return
        yield scrapy.Request(self.url(topic_path(slug)), self.parse_topic,
                             errback=self.topic_failed, cb_kwargs={"slug": slug})

    def topic_failed(self, failure) -> None:
        """A topic page the site does not have (404/410) is not a document, so not a reject:
        it is reported and remembered. Any other failure leaves a Topic record missing, so
        the run is incomplete."""
        if failure.check(HttpError) and failure.value.response.status in (404, 410):
            slug = failure.request.cb_kwargs["slug"]
            url = self.rebase(self.url(topic_path(slug)))
            self.run.topic_not_found(slug, url, failure.value.response.status)
            self.warn(f"topic page {url} not read: {failure_reason(failure)}")
        else:
            self.list_failed(failure)

    def known_topics(self) -> set[str]:
        """Topics harvested before, and those found missing before."""
        if not hasattr(self, "_known_topics"):
            self._known_topics = self.run.known_topic_slugs() | set(self.run.missing_topic_slugs())
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

    def parse_topic_counter(self, response, slug: str) -> None:
        page = ListingPage.from_response(response)
        self.run.counter(slug, self.rebase(response.url), page.total(), page.topic_id())

    def unique_listed(self) -> int:
        return self.distinct_documents(self.listed)

    def rewalk_requests(self) -> Iterator[scrapy.Request]:
        """A complete walk that found fewer documents than the counter walks again (the
        newest-first listing shifts while documents are added), a bounded number of times,
        unless it stopped early or ended on a missing page: walking again would not help."""
        complete = self.walks_completely()
        found = self.unique_listed() if complete else 0
        if problems := self.walk_problems(self.listing_walk(), found, complete):
            self.refuse(problems)
            return
        if not complete or self.listing_total is None or found >= self.listing_total:
            return
        if self.rewalks >= self.config.listing_rewalks:
            self.run.incomplete(
                f"listing shows {self.listing_total} documents, {found} found "
                f"after {self.rewalks} re-walks")
            return
        self.rewalks += 1
        self._phases.insert(0, self.rewalk_requests)
        self.walk = self.new_walk(self.url(LISTING))
        yield from self.listing_requests()

    def progress_total(self) -> int | None:
        """The listing's counter, the documents a complete run goes through (an incremental
        run stops where nothing is new: its total is not known)."""
        return self.listing_total if self.walks_completely() else None

    def listing_report(self) -> dict:
        return {"counter": self.listing_total, "unique_documents_listed": self.unique_listed(),
                "pages": self.listing_pages, "rewalks": self.rewalks}
