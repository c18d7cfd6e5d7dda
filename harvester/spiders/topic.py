"""The `topic` spider: a topic page, every page of its document list, every document."""

from collections.abc import AsyncIterator, Iterator

import scrapy
from scrapy.exceptions import UsageError
from scrapy.spidermiddlewares.httperror import HttpError

from harvester.pages.listing import ListingPage, page_number
from harvester.site_urls import SLUG_ONLY, topic_path
from harvester.spiders.base import HarvestSpider, list_key
from harvester.spiders.lists import ListWalk, WalksLists

DEFAULT_TOPIC = "conversations-kim-il-sung"
# Topics one run takes, and the length of a slug (the site cuts its slugs near 90): a job is
# named after its topics, and the lock, the state and every message name the job, so the input
# is bounded before anything is built from it. More topics: `harvester crawl archive`.
MAX_TOPICS = 100
MAX_SLUG = 200


def parse_slugs(topics: str | list[str] | None) -> list[str]:
    """Slugs from `-a topics=a,b` or a list; a clear error for anything that is not a slug."""
    if topics is None:
        return [DEFAULT_TOPIC]
    raw = topics.replace(",", " ").split() if isinstance(topics, str) else list(topics)
    if len(raw) > MAX_TOPICS:
        raise UsageError(f"{len(raw)} topics: one run takes at most {MAX_TOPICS}; crawl the "
                         "whole archive (`harvester crawl archive`) to harvest every topic")
    slugs = list(dict.fromkeys(s.strip().strip("/").removeprefix("topics/") for s in raw))
    bad = [s for s in slugs if not SLUG_ONLY.match(s) or len(s) > MAX_SLUG]
    if bad or not slugs:
        shown = [s if len(s) <= 60 else f"{s[:60]}… ({len(s)} characters)" for s in bad[:5]]
        raise UsageError(f"not a topic slug (lowercase letters, digits, hyphens, at most "
                         f"{MAX_SLUG}): {shown or raw}")
    return slugs


class TopicSpider(WalksLists, HarvestSpider):
    name = "topic"

    def __init__(self, topics: str | list[str] | None = None, **kwargs) -> None:
        self.slugs = parse_slugs(topics)
        super().__init__(**kwargs)
        # Each list the topic pages link, walked once.
        self.walks: dict[tuple, ListWalk] = {}

    def job(self) -> str:
        return "topic-" + "+".join(sorted(self.slugs))

    def arguments(self) -> dict:
        return {**super().arguments(), "topics": sorted(self.slugs)}

    async def start(self) -> AsyncIterator:
        for slug in self.slugs:
            yield scrapy.Request(self.url(topic_path(slug)), self.parse_topic,
                                 errback=self.topic_failed, cb_kwargs={"slug": slug})

    def topic_failed(self, failure) -> None:
        """A topic page the site does not have (404/410) is a topic that does not exist, said
        as such; any other failure leaves the run incomplete."""
        if failure.check(HttpError) and failure.value.response.status in (404, 410):
            slug = failure.request.cb_kwargs["slug"]
            self.run.unknown_topic(slug, f"{failure.request.url} answered HTTP "
                                         f"{failure.value.response.status}")
        else:
            self.list_failed(failure)

    def parse_topic(self, response, slug: str) -> Iterator:
        page, topic = self.topic_item(response, slug)
        if topic is None:
            return
        yield topic
        documents = page.document_urls()
        yield from self.follow_documents(documents, slug)
        for url in page.listing_urls():
            key = list_key(url)
            if key not in self.walks:
                self.walks[key] = self.new_walk(url)
                if key == list_key(response.url):  # the topic page is its list's first page
                    self.walks[key].seed(documents)
            self.walks[key].linked(page_number(url))
            yield from self.list_requests(key, slug)

    def progress_total(self) -> int | None:
        """What the topics' list counters claim, once read (a complete run goes through them
        all; an incremental one stops where nothing is new)."""
        counters = [walk.counter for walk in self.walks.values() if walk.counter]
        return sum(counters) if counters and self.walks_completely() else None

    def list_requests(self, key: tuple, slug: str) -> Iterator[scrapy.Request]:
        yield from self.walk_requests(self.walks[key], self.parse_listing, self.list_page_failed,
                                      slug=slug, key=key)

    def parse_listing(self, response, slug: str, key: tuple, number: int) -> Iterator:
        page = ListingPage.from_response(response)
        total = page.total()
        self.run.counter(slug, self.rebase(response.url), total, page.topic_id())
        urls = page.document_urls()
        new = [url for url in urls if self.is_new(url)]
        yield from self.follow_documents(urls, slug)
        walk = self.walks[key]
        walk.answered(number, urls, total, [page_number(url) for url in page.pager_urls()])
        if not self.keeps_walking(response.url, bool(new)):
            walk.finish()
        yield from self.list_requests(key, slug)

    def list_page_failed(self, failure) -> Iterator[scrapy.Request]:
        key, slug = failure.request.cb_kwargs["key"], failure.request.cb_kwargs["slug"]
        self.walk_page_failed(self.walks[key], failure)
        yield from self.list_requests(key, slug)

    def rewalk_requests(self) -> Iterator[scrapy.Request]:
        """Topic lists are not walked again; once the walk is over, a list with a missing
        page, one that stopped short of its counter, or (on a complete run) one that shows
        far fewer documents than its counter claims makes the run incomplete."""
        complete = self.walks_completely()
        share = self.config.topic_shortfall
        for walk in self.walks.values():
            found = self.distinct_documents(walk.seen) if complete else 0
            problems = self.walk_problems(walk, found, complete)
            if not problems and complete and walk.counter and \
                    found < walk.counter * (1 - share):
                problems = [f"listing {walk.name} shows {found} of the {walk.counter} documents "
                            f"its counter claims (more than HARVESTER_TOPIC_SHORTFALL "
                            f"{share:g} short)"]
            self.refuse(problems)
        return iter(())
