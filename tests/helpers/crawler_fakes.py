"""Small fakes of a Scrapy crawler for the middleware tests (no reactor): a timer that records
what would be called later, the crawler the `crawler` fixture builds of them, and requests to
the mirror with their HTML answers."""

from scrapy import Request
from scrapy.http import HtmlResponse

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


def request(path: str = "/document/a", **meta) -> Request:
    """A request to the mirror, on the one download slot the fake crawler has."""
    return Request(MIRROR_URL + path, meta={"download_slot": "127.0.0.1", **meta})


def html(status: int = 200, body: bytes = PAGE, headers: dict | None = None,
         req: Request | None = None) -> HtmlResponse:
    """An HTML answer to `req` (by default a fresh request), the first document page unless told."""
    req = req or request()
    return HtmlResponse(req.url, status=status, body=body, request=req,
                        headers={"Content-Type": "text/html; charset=utf-8", **(headers or {})})
