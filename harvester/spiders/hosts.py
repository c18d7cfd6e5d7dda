"""What the spiders' mixins use of the spider they are mixed into, declared once.

A mixin (`lists`, `recheck`, `people_pages`, `record_conflicts`, `capture_records`,
`person_captures`, `warc_index`) works on attributes and methods its host
spider sets or defines. Each is declared here with its one type, and the host's own
assignments and definitions are checked against the same declaration. The classes hold
declarations only, nothing at run time: the methods are declared for the type checker alone,
since a definition here would come before the host's own in the method resolution order of a
spider that lists the mixin first.
"""

from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING

import scrapy
from scrapy.crawler import Crawler
from scrapy.utils.log import SpiderLoggerAdapter
from twisted.python.failure import Failure

from harvester.capture.rows import Capture
from harvester.fetch.choices import CaptureFetch
from harvester.pages.topic import TopicPage
from harvester.run.harvest import CaptureLedger, Run
from harvester.site_urls import UrlRebaser
from harvester.sources.choosing import Choice
from harvester.spiders.config import SpiderConfig
from harvester.spiders.policy import WalkPolicy
from harvester.spiders.walk import Phase, Walk


class SpiderHost:
    """What every harvesting spider gives its mixins: the crawler, the run it works for
    (opened by the RunKeeper extension: `run_opened`), where it fetches pages from."""

    crawler: Crawler
    run: Run
    base_url: str  # where pages are fetched from
    rebase: UrlRebaser  # crawled URLs to public ones and back
    config: SpiderConfig  # the settings it reads while it crawls (spiders.config.Configured)

    if TYPE_CHECKING:
        @property
        def logger(self) -> SpiderLoggerAdapter: ...


class HarvestHost(SpiderHost):
    """What HarvestSpider (a live site or a mirror) gives its mixins."""

    policy: WalkPolicy  # what the run walks and re-checks
    requested_documents: set[str]  # document URLs asked for once already

    if TYPE_CHECKING:
        def url(self, path: str) -> str: ...
        def document_request(self, url: str, record_id: str | None) -> scrapy.Request: ...
        def list_failed(self, failure: Failure) -> None: ...


class CaptureHost(SpiderHost):
    """What CaptureSpider (a web archive or WARC files) gives its mixins."""

    ledger: CaptureLedger  # the run's census of captures and its choices
    source: str  # the source's name in jobs and records
    site: str  # the site's address in the source
    public: str  # the site's address in the records
    slugs: list[str]  # the topics asked for (none: the whole archive)
    captured_from: str | None
    captured_to: str | None
    missing_topics: list[str]  # topics asked for with no usable capture
    topic_pages: dict[str, TopicPage]  # slug -> its page as chosen
    targets: deque[str]  # where captured redirects led, to choose for
    linked: set[str]  # document URLs the topics' lists link (a topic run)
    walk: Walk  # the choices, phase by phase
    capture_fetch: CaptureFetch  # the source's fetch, which makes each choice (harvester.fetch)

    if TYPE_CHECKING:
        def canonical(self, url: str | None) -> str | None: ...
        def on_site(self, url: str) -> str | None: ...
        def capture_url(self, capture: Capture) -> str: ...
        def phases(self) -> list[Phase]: ...
        def advance(self) -> Iterator: ...
        def finish(self, key: str, kind: str, context: str | None,
                   choice: Choice) -> Iterator: ...
