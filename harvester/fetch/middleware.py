"""The download layer's fetcher: a request for a page of the archive (request meta CHOICE) is
answered by the choice among its captures that the run's source makes (the spider opens the
source's fetch with its run: `capture_fetch`). It sits above every other downloader middleware
(the source's add-on lists it): each capture it asks for goes down the whole chain, judged by
every guard the source's answers need, while the answer it gives is empty, so that none of them
has anything to say about it, and what the choice came to travels in its meta (FETCHED)."""

from typing import Protocol

from scrapy import Request
from scrapy.http import Response

from harvester.fetch.choices import CHOICE, FETCHED, CaptureFetch, ChoiceLeft, Fetched


class FetchesCaptures(Protocol):
    """A spider whose pages are captures (harvester.spiders.captures)."""

    capture_fetch: CaptureFetch


class CaptureFetchMiddleware:
    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler) -> "CaptureFetchMiddleware":
        return cls(crawler)

    async def process_request(self, request: Request) -> Response | None:
        step = request.meta.get(CHOICE)
        if step is None:
            return None
        spider: FetchesCaptures = self.crawler.spider
        fetch = spider.capture_fetch
        try:
            fetched = await fetch.choose(*step)
        except ChoiceLeft:
            fetched = Fetched(None, fetch.released())
        request.meta[FETCHED] = fetched
        return Response(request.url, request=request)
