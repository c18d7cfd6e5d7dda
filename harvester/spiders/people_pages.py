"""Reading people's own pages (`--people-pages`, HARVESTER_PEOPLE_PAGES; off by default).

Once the walk and the re-checks are done, each person the run's documents link by slug whose
page the state does not hold as read within HARVESTER_RECHECK_PERIOD_DAYS is asked for once:
`/people/<slug>` on the crawled site, through the same download slot, robots.txt rules, delay
and fault handling as documents. What a page says (harvester.pages.person) is handed to the
run and saved when it is published. A page that fails or cannot be read is a warning in the
manifest, never a reject and never a reason to refuse the run: the person's entry then keeps
what an earlier run read, or goes without. A page that answered 404 or 410 is remembered as
checked (harvester.state.person_pages), so it too waits for the period to pass.
"""

from collections.abc import Iterator
from datetime import timedelta
from typing import Protocol

import scrapy
from scrapy.crawler import Crawler
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.log import SpiderLoggerAdapter

from harvester.middlewares.control import is_stopping
from harvester.pages.person import PersonPage
from harvester.run.harvest import Run
from harvester.site_urls import person_path
from harvester.spiders.hosts import HarvestHost
from harvester.utc import utc_iso

READ_STAT = "harvester/person_pages_read"
REQUESTED_STAT = "harvester/person_pages_requested"
FAILED_STAT = "harvester/person_pages_failed"
# Person pages named one by one in the manifest's warnings; the others are counted in one line.
MAX_WARNINGS = 20


class PeoplePages(HarvestHost):
    """Mixin for HarvestSpider (which provides the run, the crawler, `url`, `rebase` and the
    manifest's `warnings`)."""

    people_summary_line = 0  # where the line counting unnamed failures is, once there is one
    people_not_read = 0  # person pages that gave nothing so far

    def people_requests(self) -> Iterator[scrapy.Request]:
        """The after-walk phase: one request per person page due, or none when the option is
        off."""
        if not self.config.people_pages or is_stopping(self.crawler):
            return
        period = self.config.recheck_period_days
        since = utc_iso(self.run.context.started - timedelta(days=period))
        for slug in self.run.people_to_read(since):
            self.crawler.stats.inc_value(REQUESTED_STAT)
            yield scrapy.Request(self.url(person_path(slug)), self.parse_person,
                                 errback=self.person_failed, cb_kwargs={"slug": slug})

    def parse_person(self, response, slug: str) -> None:
        url = self.rebase(response.url)
        if not hasattr(response, "selector"):
            self.person_not_read(url, "not an HTML page")
            return
        details = PersonPage.from_response(response).details()
        if details["name"] is None:
            self.person_not_read(url, "no name (no h1) on the page")
            return
        self.crawler.stats.inc_value(READ_STAT)
        self.run.person_page(slug, {**details, "url": url})

    def person_failed(self, failure) -> None:
        """A warning; a page the site does not have (404/410) is also remembered as checked,
        so that it is not asked for again within the period."""
        from harvester.spiders.base import failure_reason  # base builds on this mixin

        url = self.rebase(failure.request.url)
        if failure.check(HttpError) and failure.value.response.status in (404, 410):
            self.run.person_page(failure.request.cb_kwargs["slug"],
                                 {"url": url, "missing": failure.value.response.status})
        self.person_not_read(url, failure_reason(failure))

    def person_not_read(self, url: str, why: str) -> None:
        not_read(self, url, why)


class WarnsOfPeople(Protocol):
    """What `not_read` uses of a spider, live (PeoplePages) or of captures (PersonCaptures)."""

    crawler: Crawler
    run: Run
    people_summary_line: int  # the manifest's warning that counts the pages not named
    people_not_read: int

    @property
    def logger(self) -> SpiderLoggerAdapter: ...


def not_read(spider: WarnsOfPeople, url: str, why: str) -> None:
    """A person page that gave nothing: one warning line per page up to MAX_WARNINGS, then
    one line counting the rest (their pages are named in the log at INFO)."""
    spider.crawler.stats.inc_value(FAILED_STAT)   # observed; the count is the spider's
    spider.people_not_read += 1
    failed = spider.people_not_read
    if failed <= MAX_WARNINGS:
        message = f"person page {url} not read: {why}"
        spider.run.warn(message)
        spider.logger.warning(message)
        return
    spider.logger.info("person page %s not read: %s", url, why)
    summary = f"{failed - MAX_WARNINGS} more person pages not read (the log at INFO names them)"
    if failed == MAX_WARNINGS + 1:
        spider.people_summary_line = spider.run.warn(summary)
    else:
        spider.run.warn_again(spider.people_summary_line, summary)
