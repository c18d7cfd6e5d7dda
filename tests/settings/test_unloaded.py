"""Components switched off are not loaded (harvester.settings.unloaded): each crawl keeps the
same enabled components, and Scrapy no longer imports what it would have thrown away."""

import subprocess
import sys
import textwrap

import pytest
from scrapy.crawler import Crawler
from scrapy.utils.conf import build_component_list

from harvester.crawl import project_settings
from harvester.mirror.wayback.store import PlannedCapture
from harvester.settings.unloaded import SWITCHED, SwitchedOffUnloaded
from harvester.spiders.archive import ArchiveSpider
from harvester.spiders.warc import WarcSpider
from harvester.spiders.wayback import WaybackSpider
from tests.helpers.captures import T1, document, page, write_warc

TELEGRAM = "telegram-shtykov-gromyko-and-stalin"
LISTS = ("EXTENSIONS", "DOWNLOADER_MIDDLEWARES")
ALWAYS_OFF = {  # off in every crawl (harvester.settings.base)
    "scrapy.extensions.remote_control.RemoteControl",
    "scrapy.extensions.telnet.TelnetConsole",
    "scrapy.extensions.memdebug.MemoryDebugger",
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",
    "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware"}


def crawler_of(spidercls: type, tmp_path, *, unloaded: bool = True, cmdline: dict | None = None,
               **arguments) -> Crawler:
    """A crawler whose spider's add-ons are applied (without the last one, if asked)."""
    settings = project_settings({"HARVESTER_OUTPUT_DIR": str(tmp_path / "out")})
    settings.setdict(cmdline or {}, priority="cmdline")
    crawler = Crawler(spidercls, settings)
    crawler.spider = crawler._create_spider(**arguments)
    if not unloaded:
        addons = dict(crawler.settings.getdict("ADDONS"))
        del addons["harvester.settings.unloaded.SwitchedOffUnloaded"]
        crawler.settings.set("ADDONS", addons, priority="cmdline")
    crawler.addons.load_settings(crawler.settings)
    return crawler


def listed(crawler: Crawler) -> dict[str, list[str]]:
    return {name: build_component_list(crawler.settings.getwithbase(name)) for name in LISTS}


def switched_on(crawler: Crawler, components: dict[str, list[str]]) -> dict[str, list[str]]:
    """What would be enabled: the listed components whose switch, if they have one, is on."""
    switches = {component: switch for _, component, switch in SWITCHED}
    return {name: [c for c in found if c not in switches or
                   crawler.settings.getbool(switches[c])]
            for name, found in components.items()}


def warc_file(tmp_path):
    return write_warc(tmp_path / "a.warc.gz", [
        PlannedCapture(document(TELEGRAM), T1, body=page(TELEGRAM))])


SPIDERS = {
    "mirror": (ArchiveSpider, lambda tmp_path: {"base_url": "http://127.0.0.1:8123"}),
    "live site": (ArchiveSpider, lambda tmp_path: {}),
    "stand-in wayback": (WaybackSpider, lambda tmp_path: {"wayback_url": "http://127.0.0.1:9"}),
    "wayback": (WaybackSpider, lambda tmp_path: {}),
    "warc": (WarcSpider, lambda tmp_path: {"paths": str(warc_file(tmp_path))}),
}


@pytest.mark.parametrize("source", SPIDERS)
def test_every_crawl_keeps_the_components_it_had_and_lists_no_switched_off_one(
        tmp_path, source):
    spidercls, arguments = SPIDERS[source]
    before = crawler_of(spidercls, tmp_path, unloaded=False, **arguments(tmp_path))
    after = crawler_of(spidercls, tmp_path, **arguments(tmp_path))
    assert switched_on(after, listed(after)) == switched_on(before, listed(before))
    gone = {c for name in LISTS for c in set(listed(before)[name]) - set(listed(after)[name])}
    assert gone >= ALWAYS_OFF
    assert gone == {component for _, component, switch in SWITCHED
                    if not after.settings.getbool(switch)}


def test_a_crawl_from_files_loads_neither_an_http_handler_nor_a_guard_of_http(tmp_path):
    crawler = crawler_of(WarcSpider, tmp_path, paths=str(warc_file(tmp_path)))
    handlers = {scheme: path for scheme, path in
                crawler.settings.getwithbase("DOWNLOAD_HANDLERS").items() if path}
    assert handlers == {"warc-record": "harvester.sources.warc_handler.WarcRecordHandler"}
    assert listed(crawler)["DOWNLOADER_MIDDLEWARES"] == [
        "harvester.fetch.middleware.CaptureFetchMiddleware",
        "harvester.middlewares.parse_workers.ParseWorkersMiddleware"]


def test_a_component_switched_on_at_the_command_line_is_loaded(tmp_path):
    crawler = crawler_of(ArchiveSpider, tmp_path, cmdline={"COOKIES_ENABLED": True},
                         base_url="http://127.0.0.1:8123")
    middlewares = listed(crawler)["DOWNLOADER_MIDDLEWARES"]
    assert "scrapy.downloadermiddlewares.cookies.CookiesMiddleware" in middlewares
    assert "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware" not in middlewares


def test_a_list_given_at_the_command_line_is_left_as_given():
    settings = project_settings({})
    given = {"scrapy.downloadermiddlewares.cookies.CookiesMiddleware": 700}
    settings.set("DOWNLOADER_MIDDLEWARES", given, priority="cmdline")
    SwitchedOffUnloaded().update_settings(settings)
    assert settings.getdict("DOWNLOADER_MIDDLEWARES") == given


def test_making_a_crawl_from_files_imports_no_web_server_suffix_list_or_http_client(tmp_path):
    """What the add-on is for, seen in a process of its own: every component the crawl lists
    is loaded as Scrapy loads it, and the modules only switched-off ones need never are."""
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from scrapy.core.downloader.handlers import DownloadHandlers
        from scrapy.utils.conf import build_component_list
        from scrapy.utils.misc import load_object
        from tests.settings.test_unloaded import LISTS, crawler_of, warc_file
        from harvester.spiders.warc import WarcSpider
        tmp = Path({str(tmp_path)!r})
        crawler = crawler_of(WarcSpider, tmp, paths=str(warc_file(tmp)))
        for name in (*LISTS, "SPIDER_MIDDLEWARES", "ITEM_PIPELINES"):
            for component in build_component_list(crawler.settings.getwithbase(name)):
                load_object(component)
        DownloadHandlers(crawler)
        print(sorted(name for name in ("aiohttp", "tldextract", "twisted.conch.telnet",
                                       "scrapy.core.downloader.handlers.http11")
                     if name in sys.modules))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"
