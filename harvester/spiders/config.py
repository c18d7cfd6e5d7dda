"""What the spiders read of the crawl's settings while they crawl, read once by each setting's
kind (the table in harvester/settings/checks.py, which refuses a value out of its range before
the crawl starts) into a typed object.

It is read the first time a spider asks, once the source's add-on has applied its settings
(harvester/settings/profiles.py): a spider is made before the add-ons run. What a spider
resolves from its own arguments when it is made (the site's address, a web archive's, the
census bounds it refuses at once) is read there, in `from_crawler`.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from harvester.settings.checks import read_setting


@dataclass(frozen=True)
class SpiderConfig:
    concurrent_requests: int  # CONCURRENT_REQUESTS: choices of captures under way at once
    url_length_limit: int  # URLLENGTH_LIMIT (0: none)
    download_maxsize: int  # DOWNLOAD_MAXSIZE: of a WARC record's payload read (0: 1 GB)
    capture_fetches: int  # HARVESTER_CAPTURE_FETCHES: captures fetched per URL at most
    cdx_page_rows: int  # HARVESTER_CDX_PAGE_ROWS
    replay_tries: int  # HARVESTER_WAYBACK_REPLAY_TRIES
    wayback_max_failures: int  # HARVESTER_WAYBACK_MAX_FAILURES
    people_pages: bool  # HARVESTER_PEOPLE_PAGES
    recheck_period_days: float  # HARVESTER_RECHECK_PERIOD_DAYS
    recheck_budget: int  # HARVESTER_RECHECK_BUDGET
    topic_shortfall: float  # HARVESTER_TOPIC_SHORTFALL
    incremental_stop_pages: int  # HARVESTER_INCREMENTAL_STOP_PAGES
    listing_rewalks: int  # HARVESTER_LISTING_REWALKS
    list_window: int  # HARVESTER_LIST_WINDOW
    list_empty_stop: int  # HARVESTER_LIST_EMPTY_STOP
    list_page_margin: int  # HARVESTER_LIST_PAGE_MARGIN
    max_list_pages: int  # HARVESTER_MAX_LIST_PAGES

    @classmethod
    def of(cls, settings) -> "SpiderConfig":
        def read(name: str) -> Any:
            return read_setting(settings, name)

        return cls(
            concurrent_requests=read("CONCURRENT_REQUESTS"),
            url_length_limit=read("URLLENGTH_LIMIT"),
            download_maxsize=read("DOWNLOAD_MAXSIZE") or 1 << 30,
            capture_fetches=read("HARVESTER_CAPTURE_FETCHES"),
            cdx_page_rows=read("HARVESTER_CDX_PAGE_ROWS"),
            replay_tries=read("HARVESTER_WAYBACK_REPLAY_TRIES"),
            wayback_max_failures=read("HARVESTER_WAYBACK_MAX_FAILURES"),
            people_pages=read("HARVESTER_PEOPLE_PAGES"),
            recheck_period_days=read("HARVESTER_RECHECK_PERIOD_DAYS"),
            recheck_budget=read("HARVESTER_RECHECK_BUDGET"),
            topic_shortfall=read("HARVESTER_TOPIC_SHORTFALL"),
            incremental_stop_pages=read("HARVESTER_INCREMENTAL_STOP_PAGES"),
            listing_rewalks=read("HARVESTER_LISTING_REWALKS"),
            list_window=read("HARVESTER_LIST_WINDOW"),
            list_empty_stop=read("HARVESTER_LIST_EMPTY_STOP"),
            list_page_margin=read("HARVESTER_LIST_PAGE_MARGIN"),
            max_list_pages=read("HARVESTER_MAX_LIST_PAGES"))


class Configured:
    """Mixin for the spiders: `self.config`, read from the crawler's settings when first
    asked."""

    crawler: Any

    @cached_property
    def config(self) -> SpiderConfig:
        return SpiderConfig.of(self.crawler.settings)


def state_setting(spider: Any, name: str, value: Any, priority: str) -> None:
    """What one of the spider's arguments stands for in the settings, resolved when the spider
    is made; the first add-on applies it (harvester.settings.profiles.SpiderArguments), and
    what reads the setting reads it from the crawl's settings as ever."""
    given = spider.__dict__.setdefault("argument_settings", {})
    given[name] = (value, priority)
