"""A spider's arguments become settings only through its add-ons: making the spider writes no
setting, and the first add-on applies what the spider stated (harvester.settings.profiles.
SpiderArguments), before the source's own add-on reads it."""

import pytest
from scrapy.crawler import Crawler

from harvester.crawl import project_settings
from harvester.spiders.archive import ArchiveSpider
from harvester.spiders.census import CensusSpider
from harvester.spiders.topic import TopicSpider
from harvester.spiders.topic_index import TopicIndexSpider
from harvester.spiders.wayback import WaybackSpider

LOOPBACK_SITE = "http://127.0.0.1:8123"
STAND_IN_WAYBACK = "http://127.0.0.1:9000"
CONTACT = "https://harvest.invalid/ops"


def settings_as_they_are(crawler: Crawler) -> dict:
    """Every setting's value and priority."""
    settings = crawler.settings
    return {name: (settings[name], settings.getpriority(name)) for name in settings}


def made(spidercls: type, tmp_path, **arguments) -> tuple[Crawler, dict, dict]:
    """The crawler once its spider is made, with its settings before and after the making."""
    crawler = Crawler(spidercls, project_settings({"HARVESTER_OUTPUT_DIR": str(tmp_path),
                                                   "HARVESTER_CONTACT_URL": CONTACT}))
    before = settings_as_they_are(crawler)
    crawler.spider = crawler._create_spider(**arguments)
    return crawler, before, settings_as_they_are(crawler)


@pytest.mark.parametrize(("spidercls", "arguments"), [
    (TopicSpider, {"topics": "kim", "base_url": LOOPBACK_SITE, "limit": "3"}),
    (ArchiveSpider, {"base_url": LOOPBACK_SITE}),
    (WaybackSpider, {"wayback_url": STAND_IN_WAYBACK, "limit": "2"}),
    (CensusSpider, {"wayback_url": STAND_IN_WAYBACK}),
    (TopicIndexSpider, {"base_url": LOOPBACK_SITE}),
])
def test_making_a_spider_writes_no_setting(tmp_path, spidercls, arguments):
    _, before, after = made(spidercls, tmp_path, **arguments)
    assert after == before


def test_a_live_spiders_site_and_limit_are_applied_before_the_loopback_profile_reads_them(
        tmp_path):
    crawler, _, _ = made(TopicSpider, tmp_path, topics="kim", base_url=LOOPBACK_SITE + "/",
                         limit="3")
    assert crawler.spider.argument_settings == {
        "HARVESTER_LIMIT": (3, "spider"), "HARVESTER_BASE_URL": (LOOPBACK_SITE, "cmdline")}
    crawler.addons.load_settings(crawler.settings)
    settings = crawler.settings
    assert (settings["HARVESTER_BASE_URL"], settings.getpriority("HARVESTER_BASE_URL"),
            settings.getint("HARVESTER_LIMIT"), settings.getpriority("HARVESTER_LIMIT")) == (
        LOOPBACK_SITE, 40, 3, 30)
    # The loopback profile saw the site on this machine: no waiting.
    assert settings.getfloat("DOWNLOAD_DELAY") == 0.0
    assert settings["USER_AGENT"].endswith(f"(+{CONTACT})")


def test_a_limit_given_with_s_still_wins_over_the_spiders_argument(tmp_path):
    crawler, _, _ = made(TopicSpider, tmp_path, topics="kim", base_url=LOOPBACK_SITE,
                         limit="3")
    crawler.settings.set("HARVESTER_LIMIT", 7, priority="cmdline")
    crawler.addons.load_settings(crawler.settings)
    assert crawler.settings.getint("HARVESTER_LIMIT") == 7


def test_a_wayback_spiders_address_is_applied_before_the_wayback_profile_reads_it(tmp_path):
    crawler, _, _ = made(WaybackSpider, tmp_path, wayback_url=STAND_IN_WAYBACK)
    crawler.addons.load_settings(crawler.settings)
    settings = crawler.settings
    assert settings["HARVESTER_WAYBACK_URL"] == STAND_IN_WAYBACK
    # The profile took the stand-in on this machine for what it is: no waiting between slots.
    assert settings.getfloat("HARVESTER_RATE_LIMIT_PAUSE") == 0.0


def test_a_user_agent_given_is_kept_whatever_the_contact(tmp_path):
    crawler, _, _ = made(ArchiveSpider, tmp_path, base_url=LOOPBACK_SITE)
    crawler.settings.set("USER_AGENT", "my-crawler/1.0", priority="cmdline")
    crawler.addons.load_settings(crawler.settings)
    assert crawler.settings["USER_AGENT"] == "my-crawler/1.0"
