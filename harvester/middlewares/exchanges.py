"""The requests a run sent and the answers it got, counted for the run itself (the manifest's
`requests` and `responses`), where Scrapy's own downloader stats count them: just before the
download handler, so that a retry, a redirect or robots.txt is one more request, and an
answer is counted once, however the middlewares above it take it. An answer given by a
middleware above (the fetcher's choice among a page's captures) was never sent: only the
answers to requests that came this far count. Scrapy's stats stay what they are for: watching
a crawl, not telling the run what it did."""

from weakref import WeakSet

from harvester.run.extension import run_needed


class ExchangesMiddleware:
    def __init__(self, run) -> None:
        self.run = run
        self.sent: WeakSet = WeakSet()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(run_needed(crawler))  # without a run, no manifest to count for

    def process_request(self, request):
        self.sent.add(request)
        self.run.exchanged(requests=1)

    def process_response(self, request, response):
        if request in self.sent:
            self.sent.discard(request)
            self.run.exchanged(responses=1)
        return response
