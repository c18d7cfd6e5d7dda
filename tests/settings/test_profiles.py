"""The loopback, Wayback and WARC profiles, as Scrapy applies a spider's add-ons."""

from types import SimpleNamespace

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings

from harvester.settings import base
from harvester.settings.loopback import LOOPBACK_SETTINGS
from harvester.settings.profiles import (
    CDX_SLOT,
    REPLAY_SLOT,
    SERVER_GUARDS,
    LoopbackProfile,
    WarcProfile,
    WaybackProfile,
)


def project(**given) -> Settings:
    settings = Settings({name: getattr(base, name) for name in dir(base) if name.isupper()},
                        priority="project")
    for name, (value, priority) in given.items():
        settings.set(name, value, priority=priority)
    return settings


def test_a_site_on_this_machine_is_crawled_without_waiting():
    settings = project(HARVESTER_BASE_URL=("http://127.0.0.1:8123", "cmdline"))
    LoopbackProfile.from_crawler(SimpleNamespace(settings=settings)).update_settings(settings)
    assert {name: settings[name] for name in LOOPBACK_SETTINGS} == LOOPBACK_SETTINGS
    assert (base.DOWNLOAD_DELAY, settings.getfloat("DOWNLOAD_DELAY")) == (1.0, 0.0)


@pytest.mark.parametrize("site", ["https://digitalarchive.wilsoncenter.org",
                                  "http://192.168.1.10:8000"])
def test_any_other_site_keeps_the_polite_settings(site):
    settings = project(HARVESTER_BASE_URL=(site, "cmdline"))
    with pytest.raises(NotConfigured):
        LoopbackProfile.from_crawler(SimpleNamespace(settings=settings))


def test_the_command_line_wins_over_the_loopback_profile():
    settings = project(HARVESTER_BASE_URL=("http://localhost:8000", "cmdline"),
                       CONCURRENT_REQUESTS=(2, "cmdline"))
    LoopbackProfile.from_crawler(SimpleNamespace(settings=settings)).update_settings(settings)
    assert (settings.getint("CONCURRENT_REQUESTS"), settings.getint("DOWNLOAD_DELAY")) == (2, 0)


def test_a_stand_in_wayback_on_this_machine_keeps_its_slots_but_no_waiting():
    settings = project(HARVESTER_WAYBACK_URL=("http://127.0.0.1:9000", "cmdline"))
    WaybackProfile().update_settings(settings)
    assert settings.getdict("DOWNLOAD_SLOTS") == {
        CDX_SLOT: {"concurrency": 4, "delay": 0}, REPLAY_SLOT: {"concurrency": 8, "delay": 0}}
    assert (settings.getbool("ROBOTSTXT_OBEY"), settings.getint("CONCURRENT_REQUESTS"),
            settings.getfloat("HARVESTER_RATE_LIMIT_PAUSE")) == (False, 16, 0.0)


@pytest.mark.parametrize("wayback", ["http://127.0.0.1:9000", "https://web.archive.org"])
def test_a_web_archives_pages_are_fetched_as_captures_above_every_other_middleware(wayback):
    settings = project(HARVESTER_WAYBACK_URL=(wayback, "cmdline"))
    WaybackProfile().update_settings(settings)
    fetcher = settings.getdict("DOWNLOADER_MIDDLEWARES")[
        "harvester.fetch.middleware.CaptureFetchMiddleware"]
    assert fetcher == 10
    assert fetcher < min(p for p in base.DOWNLOADER_MIDDLEWARES.values() if p is not None)
    # A page's URL is no replay's: the fetcher skips a replay URL over the limit.
    assert settings.getdict("SPIDER_MIDDLEWARES")[
        "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware"] is None


def test_records_read_from_files_pass_no_guard_of_a_server_and_wait_for_nothing():
    settings = project()
    WarcProfile.from_crawler(SimpleNamespace(settings=settings)).update_settings(settings)
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    # Every guard the add-on turns off is one the project turns on.
    assert set(SERVER_GUARDS) <= set(base.DOWNLOADER_MIDDLEWARES)
    assert {name: priority for name, priority in middlewares.items()
            if priority is not None and name.startswith("harvester.")} == {
        "harvester.fetch.middleware.CaptureFetchMiddleware": 10,
        "harvester.middlewares.parse_workers.ParseWorkersMiddleware": 35}
    # Nor what only a request sent over HTTP, or one following a link, needs.
    assert {middlewares[f"scrapy.downloadermiddlewares.{name}"] for name in (
        "useragent.UserAgentMiddleware", "defaultheaders.DefaultHeadersMiddleware",
        "downloadtimeout.DownloadTimeoutMiddleware", "offsite.OffsiteMiddleware")} == {None}
    spider_middlewares = settings.getdict("SPIDER_MIDDLEWARES")
    assert {spider_middlewares[f"scrapy.spidermiddlewares.{name}"] for name in (
        "referer.RefererMiddleware", "depth.DepthMiddleware")} == {None}
    assert settings.getdict("DOWNLOAD_HANDLERS")["warc-record"] == \
        "harvester.sources.warc_handler.WarcRecordHandler"
    assert (settings.getbool("ROBOTSTXT_OBEY"), settings.getfloat("DOWNLOAD_DELAY"),
            settings.getbool("AUTOTHROTTLE_ENABLED"), settings.getbool("COMPRESSION_ENABLED"),
            settings.getbool("DOWNLOADER_STATS"), settings.getint("CONCURRENT_REQUESTS"),
            settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
            settings.getint("HARVESTER_PARSE_WORKERS")) == (False, 0.0, False, False, False,
                                                            16, 16, 1)


def test_the_command_line_wins_over_the_warc_profile():
    settings = project(HARVESTER_PARSE_WORKERS=(0, "cmdline"))
    WarcProfile().update_settings(settings)
    assert settings.getint("HARVESTER_PARSE_WORKERS") == 0
