"""What each source needs of Scrapy's settings, as Scrapy add-ons. A spider names the add-on of
its source (`ADDONS` in its `custom_settings`); Scrapy applies it once the spider exists, before
the settings are frozen, so while the crawl runs no component writes a setting for another. An
add-on that does not apply disables itself with NotConfigured. `-s NAME=VALUE` still wins.

What a spider's own arguments say of the settings (`-a base_url=…`, `-a limit=N`, a web
archive's address) the spider only states (`spiders.config.ArgumentSettings`); the first add-on,
`SpiderArguments`, applies it, so that the source's add-on reads the site it will ask. No spider
writes a setting."""

from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured
from scrapy.settings import SETTINGS_PRIORITIES

from harvester import harvester_version
from harvester.settings.loopback import LOOPBACK_SETTINGS
from harvester.site_urls import is_loopback

# The Wayback Machine's two paces: CDX queries and raw replays each have a download slot.
CDX_SLOT, REPLAY_SLOT = "wayback-cdx", "wayback-replay"
WAYBACK_URL = "https://web.archive.org"


def on_loopback(url: str | None) -> bool:
    return is_loopback(urlsplit(url or "").hostname or "")


def wayback_url(settings) -> str:
    return settings.get("HARVESTER_WAYBACK_URL") or WAYBACK_URL


def apply(settings, overrides: dict) -> None:
    """Each setting at the spider's priority: over the project's, under `-s`."""
    for name, value in overrides.items():
        settings.set(name, value, priority="spider")


class SpiderArguments:
    """The settings the spider's arguments stand for, each at the priority the spider gives
    it: a site given as `base_url` at the command line's (the one the crawl asks), a trial
    run's `limit` at the spider's (`-s HARVESTER_LIMIT=N` wins)."""

    def __init__(self, given: dict[str, tuple[object, str]]) -> None:
        self.given = given

    @classmethod
    def from_crawler(cls, crawler) -> "SpiderArguments":
        given = getattr(crawler.spider, "argument_settings", None)
        if not given:
            raise NotConfigured
        return cls(dict(given))

    def update_settings(self, settings) -> None:
        for name, (value, priority) in self.given.items():
            settings.set(name, value, priority=priority)


class Identity:
    """Whoever runs the crawl, named to the sites it asks: with `HARVESTER_CONTACT_URL` (from
    the environment or `-s`), the User-Agent carries it, unless a User-Agent was given."""

    @classmethod
    def from_crawler(cls, crawler) -> "Identity":
        return cls()

    def update_settings(self, settings) -> None:
        contact = settings.get("HARVESTER_CONTACT_URL")
        if contact and settings.getpriority("USER_AGENT") <= SETTINGS_PRIORITIES["project"]:
            settings.set("USER_AGENT", f"harvester/{harvester_version()} (+{contact})",
                         priority="spider")


class LoopbackProfile:
    """A site served on this machine (the bundled mirror, a saved one): waiting protects
    nobody."""

    @classmethod
    def from_crawler(cls, crawler) -> "LoopbackProfile":
        if not on_loopback(crawler.settings.get("HARVESTER_BASE_URL")):
            raise NotConfigured
        return cls()

    def update_settings(self, settings) -> None:
        apply(settings, LOOPBACK_SETTINGS)


class WaybackProfile:
    """The Internet Archive's published interfaces for programs: one request at a time, CDX
    queries and replays each at their own pace, everything paused on a 429 or a refusal. Its
    limits are kept by these slots, not read from a robots.txt written for crawlers of its
    pages. A stand-in on this machine gets no waiting at all. The rates are checked by the
    spider before this applies."""

    @classmethod
    def from_crawler(cls, crawler) -> "WaybackProfile":
        return cls()

    def update_settings(self, settings) -> None:
        apply(settings, {
            "DOWNLOADER_MIDDLEWARES": {**settings.getdict("DOWNLOADER_MIDDLEWARES"),
                                       FETCHER: FETCHER_ORDER},
            # A request the spider gives is a CDX query or a page at the archive's URL, which
            # the fetcher answers; a replay longer than URLLENGTH_LIMIT is a capture skipped
            # by the fetcher, not a request dropped without a word.
            "SPIDER_MIDDLEWARES": {**settings.getdict("SPIDER_MIDDLEWARES"),
                                   f"scrapy.spidermiddlewares.{URL_LENGTH}": None}})
        if on_loopback(wayback_url(settings)):
            apply(settings, {**self.polite(settings), **LOOPBACK_SETTINGS,
                             "DOWNLOAD_SLOTS": {CDX_SLOT: {"concurrency": 4, "delay": 0},
                                                REPLAY_SLOT: {"concurrency": 8, "delay": 0}},
                             "HARVESTER_RATE_LIMIT_PAUSE": 0, "HARVESTER_REFUSED_PAUSE": 0})
        else:
            apply(settings, self.polite(settings))

    @staticmethod
    def polite(settings) -> dict:
        cdx_delay = 60.0 / settings.getfloat("HARVESTER_CDX_PER_MINUTE")
        replay_delay = 1.0 / settings.getfloat("HARVESTER_REPLAYS_PER_SECOND")
        pause = settings.getfloat("HARVESTER_WAYBACK_PAUSE")
        return {
            "ROBOTSTXT_OBEY": False,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS": 1,
            "DOWNLOAD_SLOTS": {CDX_SLOT: {"concurrency": 1, "delay": cdx_delay, "jitter": 0},
                               REPLAY_SLOT: {"concurrency": 1, "delay": replay_delay,
                                             "jitter": 0}},
            "HARVESTER_RATE_LIMIT_PAUSE": pause,
            "HARVESTER_REFUSED_PAUSE": pause,
            "HARVESTER_PAUSE_EVERYTHING": True,
            "HARVESTER_MAX_RATE_LIMITS": settings.getint("HARVESTER_WAYBACK_MAX_RATE_LIMITS"),
        }


class WarcProfile:
    """Records read from files on this machine: no server to be polite to, so nothing waits,
    and none of the components that guard a server sees them (robots.txt, retries, rate
    limits, challenges, cut answers, host checks, cookies, the cache, compression), nor those
    that only an HTTP request or a followed link needs: a record is judged as a capture by
    the capture selection alone. Reading is the WARC handler's (a
    thread of its own) and parsing a worker process's, so both cores work. Nothing is asked of
    the network: the HTTP handlers are not loaded, and a web address cannot be fetched."""

    @classmethod
    def from_crawler(cls, crawler) -> "WarcProfile":
        return cls()

    def update_settings(self, settings) -> None:
        apply(settings, {**LOOPBACK_SETTINGS, "ROBOTSTXT_OBEY": False,
                         "DOWNLOAD_HANDLERS": {**settings.getdict("DOWNLOAD_HANDLERS"),
                                               "http": None, "https": None,
                                               WARC_SCHEME: WARC_HANDLER},
                         "DOWNLOADER_MIDDLEWARES": {
                             **settings.getdict("DOWNLOADER_MIDDLEWARES"),
                             FETCHER: FETCHER_ORDER,
                             **dict.fromkeys((*SERVER_GUARDS, *HTTP_ONLY))},
                         "SPIDER_MIDDLEWARES": {
                             **settings.getdict("SPIDER_MIDDLEWARES"),
                             **dict.fromkeys(LINKS_ONLY)},
                         "CONCURRENT_REQUESTS": WARC_READS_AHEAD,
                         "CONCURRENT_REQUESTS_PER_DOMAIN": WARC_READS_AHEAD,
                         "COOKIES_ENABLED": False, "HTTPCACHE_ENABLED": False,
                         "COMPRESSION_ENABLED": False, "REDIRECT_ENABLED": False,
                         "METAREFRESH_ENABLED": False, "HTTPPROXY_ENABLED": False,
                         "DOWNLOADER_STATS": False,
                         "HARVESTER_PARSE_WORKERS": WARC_PARSE_WORKERS})


WARC_SCHEME = "warc-record"
WARC_HANDLER = "harvester.sources.warc_handler.WarcRecordHandler"
# Records asked for at once: enough to keep the reading thread and the parse worker busy.
WARC_READS_AHEAD = 16
WARC_PARSE_WORKERS = 1
# What only a request sent over HTTP needs (its headers, its time limit, its host), and the
# taking aside of a web archive's replays; the run's count of requests sent to hosts.
HTTP_ONLY = (*(f"scrapy.downloadermiddlewares.{name}" for name in (
    "offsite.OffsiteMiddleware", "httpauth.HttpAuthMiddleware",
    "downloadtimeout.DownloadTimeoutMiddleware", "defaultheaders.DefaultHeadersMiddleware",
    "useragent.UserAgentMiddleware")), "harvester.middlewares.captured.CapturedAnswersMiddleware",
    "harvester.middlewares.exchanges.ExchangesMiddleware")
# What only requests that follow links need (a referer, a depth, a length).
URL_LENGTH = "urllength.UrlLengthMiddleware"
LINKS_ONLY = tuple(f"scrapy.spidermiddlewares.{name}" for name in (
    "referer.RefererMiddleware", URL_LENGTH, "depth.DepthMiddleware"))
# The download layer's fetcher (harvester.fetch): a capture source's pages are chosen among
# captures, above every other downloader middleware.
FETCHER = "harvester.fetch.middleware.CaptureFetchMiddleware"
FETCHER_ORDER = 10
# What guards a server, and so has nothing to do with records read from files.
SERVER_GUARDS = tuple(f"harvester.middlewares.{name}" for name in (
    "conditional.ConditionalRequestsMiddleware", "hosts.SameHostMiddleware",
    "robots.StrictRobotsTxtMiddleware", "retry.BackoffRetryMiddleware",
    "ratelimit.RateLimitMiddleware", "limits.SizeLimitMiddleware",
    "encoding.EncodingMiddleware", "challenge.ChallengeMiddleware",
    "completeness.CompletenessMiddleware"))


# Each source's add-on, after the spider's arguments are applied and the crawl's identity.
FIRST = {"harvester.settings.profiles.SpiderArguments": -2,
         "harvester.settings.profiles.Identity": -1}
# And after it, what no source's crawl loads: the components switched off by then.
LAST = {"harvester.settings.unloaded.SwitchedOffUnloaded": 10}
LOOPBACK_ADDON = {**FIRST, "harvester.settings.profiles.LoopbackProfile": 0, **LAST}
WAYBACK_ADDON = {**FIRST, "harvester.settings.profiles.WaybackProfile": 0, **LAST}
WARC_ADDON = {**FIRST, "harvester.settings.profiles.WarcProfile": 0, **LAST}
