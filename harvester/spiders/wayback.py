"""The `wayback` spider: the archive's records from the Wayback Machine's captures.

A census of the site's captures through the CDX server, then, URL by URL, raw replays of the
captures newest first until one is a whole current-layout page (see `spiders.captures`).
Polite to the Internet Archive: one request at a time, CDX queries and replays on their own
download slots with their own pace, everything paused at least a minute on a 429 or a refused
connection, the run stopped (resumable) when 429s keep coming or the archive keeps failing;
a capture it cannot replay is skipped after a bounded number of tries (`fetch.replays`).
"""

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import UsageError
from scrapy.spidermiddlewares.httperror import HttpError

from harvester.capture.outcomes import REFUSED_ROWS
from harvester.capture.rows import timestamp_from
from harvester.fetch.choices import ChoiceRules
from harvester.fetch.replays import ReplayFetch, ReplayLimits
from harvester.settings.profiles import CDX_SLOT, WAYBACK_ADDON, wayback_url
from harvester.sources import cdx
from harvester.sources.replay import archive_says
from harvester.spiders.base import check_base_url, failure_reason, introduce, is_loopback
from harvester.spiders.captures import CaptureSpider
from harvester.spiders.census_bounds import CensusBounds, CensusGuard
from harvester.spiders.config import state_setting

CENSUS_INCOMPLETE = "census of captures incomplete: "


def configure_wayback(spider, crawler) -> str:
    """The Wayback Machine's address, stated as the setting its add-on (WaybackProfile: the
    slots and pauses that keep to its limits) reads, once its rates are known to make sense.
    Returns the address."""
    settings = crawler.settings
    wayback = check_base_url(getattr(spider, "_wayback_arg", None) or wayback_url(settings))
    host = urlsplit(wayback).hostname or ""
    spider.allowed_domains = [host]
    if settings.getfloat("HARVESTER_CDX_PER_MINUTE") <= 0 or \
            settings.getfloat("HARVESTER_REPLAYS_PER_SECOND") <= 0:
        raise UsageError("HARVESTER_CDX_PER_MINUTE and HARVESTER_REPLAYS_PER_SECOND must be "
                         "above 0")
    state_setting(spider, "HARVESTER_WAYBACK_URL", wayback, "cmdline")
    spider.base_url = wayback
    introduce(spider, settings, live=not is_loopback(host))
    return wayback


def archive_failure_reason(failure) -> str:
    """What went wrong, with what the archive said of it when it answered (why it refused)."""
    reason = failure_reason(failure)
    said = archive_says(failure.value.response) if failure.check(HttpError) else ""
    return f"{reason} ({said})" if said else reason


def next_second(timestamp: str) -> str:
    moment = datetime.strptime(timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    return timestamp_from(moment + timedelta(seconds=1))


class WaybackSpider(CaptureSpider):
    name = "wayback"
    source = "wayback"
    custom_settings = {"ADDONS": WAYBACK_ADDON}

    def __init__(self, wayback_url: str | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._wayback_arg = wayback_url
        self.census_open: set[str] = set()
        self.census_failures = cdx.CensusFailures()

    def configure(self, crawler) -> None:
        self.base_url = configure_wayback(self, crawler)
        self.bounds = CensusBounds.of(crawler.settings)

    # -- the census ----------------------------------------------------------------------------
    def census_window(self, query: str) -> tuple[str | None, str | None]:
        """`--captured-from/-to`; an incremental run asks only for captures newer than the
        newest one a published run saw."""
        start = self.captured_from
        if self.incremental and (mark := self.ledger.mark(query)):
            start = max(start or "", next_second(mark))
        return start, self.captured_to

    def cdx_request(self, query: str, resume_key: str | None) -> scrapy.Request:
        start, end = self.census_window(query)
        limit = self.config.cdx_page_rows
        url = cdx.query_url(self.base_url, self.site, query, limit, resume_key, start, end)
        return scrapy.Request(url, self.parse_census, errback=self.census_failed,
                              dont_filter=True, cb_kwargs={"query": query},
                              meta={"download_slot": CDX_SLOT, "resume_key": resume_key})

    async def start(self) -> AsyncIterator:
        pages, rows = self.ledger.pages()
        refused = sum(self.ledger.counts(REFUSED_ROWS).values())
        self.guard = CensusGuard(self.bounds, pages, rows + refused, refused)
        for query in cdx.PREFIXES.values():
            resume_key, done = self.ledger.enumeration(query)
            if not done:
                self.census_open.add(query)
                yield self.cdx_request(query, resume_key)
        if not self.census_open:
            for step in self.advance():
                yield step

    def parse_census(self, response, query: str) -> Iterator:
        try:
            page = cdx.read_page(response.body, self.canonical, self.run_start)
        except cdx.CdxError as error:
            self.census_broken(query, str(error), response.url)
            return
        self.crawler.stats.inc_value("harvester/cdx/rows", page.rows)
        self.ledger.count(REFUSED_ROWS, page.refused)
        stop = self.guard.after_page(query, response.meta.get("resume_key"), page)
        self.ledger.record_page(query, page.captures, page.resume_key,
                                page.resume_key is None and stop is None)
        if stop is not None:
            self.census_broken(query, stop, response.url)
        elif page.resume_key is not None:
            yield self.cdx_request(query, page.resume_key)
        else:
            yield from self.census_done(query, response.url)

    def census_done(self, query: str, url: str) -> Iterator:
        """One query's census is whole; once every query's is, the rows are judged as a whole
        and the replays begin."""
        self.census_open.discard(query)
        if self.census_open:
            return
        malformed = self.guard.malformed(self.ledger.counts(REFUSED_ROWS))
        if malformed is not None:
            self.census_broken(", ".join(cdx.PREFIXES.values()), malformed, url)
            return
        yield from self.advance()

    @property
    def run_start(self) -> str:
        return timestamp_from(self.run.context.started)

    def unanswered(self) -> list[str]:
        """A census that never ended (an answer that never came, a query whose failure went
        unsaid) leaves the run incomplete."""
        said = {query for queries in self.census_failures.by_reason.values()
                for query in queries}
        silent = sorted(self.census_open - said)
        if silent:
            return [f"{CENSUS_INCOMPLETE}{', '.join(silent)}: never finished"]
        return super().unanswered()

    def census_failed(self, failure) -> None:
        request = failure.request
        self.census_broken(request.cb_kwargs["query"], archive_failure_reason(failure),
                           request.url)

    def census_broken(self, query: str, reason: str, url: str) -> None:
        """Without the whole census the run cannot say what it is missing: it stops and is
        resumed from the last page saved. Its message names the queries and what went wrong
        once for all that failed alike."""
        self.census_failures.add(query, reason)
        self.run.incomplete_again(CENSUS_INCOMPLETE, self.census_failures.lines())
        self.logger.error("census failed, the run will not be published: %s: %s", url, reason)

    def source_report(self) -> dict:
        return {**super().source_report(), "refused_rows": self.ledger.counts(REFUSED_ROWS)}

    # -- replays -------------------------------------------------------------------------------
    def fetch_for(self, rules: ChoiceRules) -> ReplayFetch:
        config = self.config
        return ReplayFetch(self.crawler, self.ledger, rules, self.base_url,
                           ReplayLimits(config.url_length_limit, config.replay_tries,
                                        config.wayback_max_failures), self.logger)
