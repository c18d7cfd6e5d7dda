"""Small fakes of a Scrapy crawler for the middleware tests (no reactor): a timer that records
what would be called later, and the crawler the `crawler` fixture builds of them."""

from tests.helpers.pages import document_pages

MIRROR_URL = "http://127.0.0.1:8123"
PAGE = document_pages()[0].read_bytes()
NOW = 1000.0


class Clock:
    """Stands in for the reactor's timer: records what would be called later."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def __call__(self, delay, function, *args):
        self.calls.append((delay, function, args))


class FakeCrawler:
    """What the middlewares use of a crawler: settings, stats, signals, the download slots."""
