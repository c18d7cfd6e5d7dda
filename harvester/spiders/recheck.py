"""What a spider does once its walk is over: re-walk a short listing, then re-check known
documents (all of them on a sweep, a budget otherwise), then read the pages of the people the
documents link (`--people-pages`: harvester.spiders.people_pages), before the crawl may
close."""

from collections.abc import Callable, Iterator

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider

from harvester.spiders.hosts import HarvestHost


class AfterWalk(HarvestHost):
    """Mixin for HarvestSpider: phases run when the crawl goes idle, one at a time."""

    def connect_after_walk(self, crawler: Crawler) -> None:
        self._phases: list[Callable[[], Iterator[scrapy.Request]]] = [
            self.rewalk_requests, self.recheck_requests, self.people_requests]
        crawler.signals.connect(self._on_idle, signal=signals.spider_idle)

    def _on_idle(self) -> None:
        while self._phases:
            requests = list(self._phases.pop(0)())
            if requests:
                for request in requests:
                    self.crawler.engine.crawl(request)
                raise DontCloseSpider

    def rewalk_requests(self) -> Iterator[scrapy.Request]:
        """Listing pages to walk again when the listing came up short (archive spider)."""
        return iter(())

    def people_requests(self) -> Iterator[scrapy.Request]:
        """People's own pages to read (harvester.spiders.people_pages)."""
        return iter(())

    def recheck_requests(self) -> Iterator[scrapy.Request]:
        config = self.config
        limit = self.policy.rechecks(self.run.known_documents(), lambda: self.run.recheck_budget(
            config.recheck_period_days, config.recheck_budget))
        self.crawler.stats.set_value("harvester/recheck_budget", limit)
        for record_id, public_url, _, _ in self.run.due_for_recheck(limit):
            url = self.rebase.back(public_url)
            if url not in self.requested_documents:
                self.crawler.stats.inc_value("harvester/rechecks")
                self.run.recheck()
                yield self.document_request(url, record_id)
