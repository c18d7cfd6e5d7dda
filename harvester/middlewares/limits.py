"""A body over DOWNLOAD_MAXSIZE is refused with a reason a person can read.

Scrapy cancels such a download (announced by Content-Length or counted as it streams in);
without this the reject would say only "DownloadCancelledError". Decompression bombs are
stopped by Scrapy's HttpCompressionMiddleware against the same limit, with its own message.
"""

from scrapy.exceptions import DownloadCancelledError

from harvester.middlewares.control import Refused


class SizeLimitMiddleware:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_exception(self, request, exception):
        if not isinstance(exception, DownloadCancelledError):
            return None
        message = str(exception)
        if message and "max size" not in message:
            return None  # cancelled for another reason
        limit = request.meta.get("download_maxsize", self.max_size)
        self.crawler.stats.inc_value("harvester/over_size_limit")
        raise Refused(f"response larger than the size limit (DOWNLOAD_MAXSIZE={limit} bytes)")
