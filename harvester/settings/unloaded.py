"""Components a setting switches off are not loaded at all.

Scrapy imports every component it lists before the component can say that its setting switched
it off, and some of those imports are dear: the remote control's web server (aiohttp) and the
cookies middleware's public-suffix list (tldextract, requests) cost about 0.15 s of every
command that crawls, although both are always off here (`harvester.settings.base`). This
add-on runs after every other (`LAST`): whatever the settings say by then, `-s` included,
decides. A component switched on again with `-s COOKIES_ENABLED=True` is loaded as usual.
"""

from harvester.settings.profiles import apply

# (the setting that lists the component, the component, the setting that switches it off)
SWITCHED = (
    ("EXTENSIONS", "scrapy.extensions.remote_control.RemoteControl", "REMOTE_CONTROL_ENABLED"),
    ("EXTENSIONS", "scrapy.extensions.telnet.TelnetConsole", "TELNETCONSOLE_ENABLED"),
    ("EXTENSIONS", "scrapy.extensions.memdebug.MemoryDebugger", "MEMDEBUG_ENABLED"),
    ("EXTENSIONS", "scrapy.extensions.throttle.AutoThrottle", "AUTOTHROTTLE_ENABLED"),
    *(("DOWNLOADER_MIDDLEWARES", f"scrapy.downloadermiddlewares.{path}", switch)
      for path, switch in (
          ("cookies.CookiesMiddleware", "COOKIES_ENABLED"),
          ("httpcache.HttpCacheMiddleware", "HTTPCACHE_ENABLED"),
          ("httpcompression.HttpCompressionMiddleware", "COMPRESSION_ENABLED"),
          ("httpproxy.HttpProxyMiddleware", "HTTPPROXY_ENABLED"),
          ("redirect.RedirectMiddleware", "REDIRECT_ENABLED"),
          ("redirect.MetaRefreshMiddleware", "METAREFRESH_ENABLED"),
          ("stats.DownloaderStats", "DOWNLOADER_STATS"))),
)


class SwitchedOffUnloaded:
    """Each component whose setting is off is taken out of the lists that name it: its
    project's list and Scrapy's own (`*_BASE`). Listing it as None would not do, as Scrapy
    imports every key of a list to compare them, None or not."""

    @classmethod
    def from_crawler(cls, crawler) -> "SwitchedOffUnloaded":
        return cls()

    def update_settings(self, settings) -> None:
        lists: dict[str, dict] = {}
        for listing, component, switch in SWITCHED:
            if settings.getbool(switch):
                continue
            for name in (listing, f"{listing}_BASE"):
                lists.setdefault(name, settings.getdict(name)).pop(component, None)
        apply(settings, lists)
