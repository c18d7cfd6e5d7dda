"""The `wayback-census` spider: what the Wayback Machine holds of the site, without replaying
anything (`harvester crawl … --source wayback --list-captures`), so a user can judge coverage
before a long run. Only counters are kept: memory does not grow with the number of captures
beyond the set of distinct document URLs."""

from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import scrapy

from harvester.capture.rows import check_partial_date, check_window, timestamp_from
from harvester.settings.base import EXTENSIONS
from harvester.settings.profiles import CDX_SLOT, WAYBACK_ADDON
from harvester.site_urls import ARCHIVE_URL
from harvester.sources import cdx
from harvester.sources.urls import canonical_url
from harvester.spiders.base import check_base_url
from harvester.spiders.census_bounds import CensusBounds, CensusGuard
from harvester.spiders.config import Configured
from harvester.spiders.wayback import archive_failure_reason, configure_wayback


@dataclass
class CensusTaken:
    """The census's report once the crawl closed, for whoever started it (`--list-captures`
    hands one to the spider and reads it once the crawl is over)."""

    report: dict | None = None


class CensusSpider(Configured, scrapy.Spider):
    name = "wayback-census"
    # Set by `from_crawler`: the Wayback Machine's address, the site's, the census's bounds.
    base_url: str
    site: str
    guard: CensusGuard
    # Nothing is harvested, so nothing goes through the pipelines or into a run.
    custom_settings = {"ITEM_PIPELINES": {}, "HARVESTER_WARC": False, "ADDONS": WAYBACK_ADDON,
                       "EXTENSIONS": {**EXTENSIONS, "harvester.run.extension.RunKeeper": None}}

    def __init__(self, wayback_url: str | None = None, base_url: str | None = None,
                 captured_from: str | None = None, captured_to: str | None = None,
                 taken: CensusTaken | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self._wayback_arg, self._site_arg = wayback_url, base_url
        self.taken = taken if taken is not None else CensusTaken()
        self.captured_from = check_partial_date(captured_from, "--captured-from") \
            if captured_from else None
        self.captured_to = check_partial_date(captured_to, "--captured-to") \
            if captured_to else None
        check_window(self.captured_from, self.captured_to)
        self.kinds: Counter[str] = Counter()
        self.years: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()
        self.documents: set[str] = set()
        self.requests = self.rows = 0
        self.failures = cdx.CensusFailures()
        self.started = timestamp_from(datetime.now(UTC))

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.site = check_base_url(spider._site_arg or crawler.settings.get(
            "HARVESTER_BASE_URL") or ARCHIVE_URL)
        configure_wayback(spider, crawler)
        spider.guard = CensusGuard(CensusBounds.of(crawler.settings))
        return spider

    def request(self, query: str, resume_key: str | None = None) -> scrapy.Request:
        limit = self.config.cdx_page_rows
        url = cdx.query_url(self.base_url, self.site, query, limit, resume_key,
                            self.captured_from, self.captured_to)
        return scrapy.Request(url, self.parse, errback=self.failed, dont_filter=True,
                              cb_kwargs={"query": query},
                              meta={"download_slot": CDX_SLOT, "resume_key": resume_key})

    async def start(self) -> AsyncIterator:
        for query in cdx.PREFIXES.values():
            yield self.request(query)

    def parse(self, response, query: str) -> Iterator:
        self.requests += 1
        try:
            page = cdx.read_page(response.body,
                                 lambda url: canonical_url(url, self.site, ARCHIVE_URL),
                                 self.started)
        except cdx.CdxError as error:
            self.failures.add(query, str(error))
            return
        self.rows += page.rows
        self.refused.update(page.refused)
        for kind, year, status in cdx.census_rows(page.captures):
            self.kinds[kind] += 1
            self.years[year] += 1
            self.statuses[status] += 1
        self.documents.update(c.key for c in page.captures if c.kind == "document")
        stop = self.guard.after_page(query, response.meta.get("resume_key"), page)
        if stop is not None:
            self.failures.add(query, stop)
        elif page.resume_key is not None:
            yield self.request(query, page.resume_key)

    def failed(self, failure) -> None:
        self.failures.add(failure.request.cb_kwargs["query"], archive_failure_reason(failure))

    def closed(self, reason: str) -> None:
        malformed = self.guard.malformed(self.refused)
        if malformed is not None:
            self.failures.add(", ".join(cdx.PREFIXES.values()), malformed)
        self.taken.report = self.report()

    def report(self) -> dict:
        return {
            "site": self.site, "wayback_url": self.base_url,
            "captured_from": self.captured_from, "captured_to": self.captured_to,
            "cdx_requests": self.requests, "rows": self.rows,
            "off_site_rows": self.refused[cdx.NOT_ON_SITE],
            "refused_rows": dict(sorted(self.refused.items())),
            "kinds": {kind: self.kinds[kind] for kind in ("document", "topic", "listing",
                                                          "other")},
            "years": dict(sorted(self.years.items())),
            "statuses": dict(sorted(self.statuses.items())),
            "document_urls": len(self.documents),
            "failures": self.failures.lines(),
        }


def census_text(report: dict) -> str:
    """The census as a person reads it."""
    window = ""
    if report["captured_from"] or report["captured_to"]:
        window = f" captured {report['captured_from'] or '…'}–{report['captured_to'] or '…'}"
    lines = [f"captures of {report['site']} in {report['wayback_url']}{window}: "
             f"{report['rows']} rows from {report['cdx_requests']} CDX requests",
             f"distinct document URLs: {report['document_urls']}", "by kind of page:"]
    lines += [f"  {kind:<10} {count:>9}" for kind, count in report["kinds"].items()]
    lines.append("by year:")
    lines += [f"  {year:<10} {count:>9}" for year, count in report["years"].items()]
    lines.append("by status:")
    lines += [f"  {status:<10} {count:>9}" for status, count in report["statuses"].items()]
    return "\n".join(lines)
