"""Bot challenges (Cloudflare's "Just a moment..." and the like): never parsed, never retried
hot, and after HARVESTER_CHALLENGE_LIMIT in a row the run stops with reason `challenge`.

A challenge says the site doubts we are welcome, not that a page is broken: the request is
tried again only after HARVESTER_CHALLENGE_BACKOFF seconds, and a run that keeps meeting them
stops instead of publishing holes (the last good run stays in place).
"""

from urllib.parse import urlsplit

from harvester.middlewares.backoff import Backoff
from harvester.middlewares.control import Refused, RunStopped, stop_run
from harvester.pages.challenge import challenge_marker

REASON = "challenge"
ADVICE = ("the archive answered {count} requests in a row with a bot challenge ({marker}) "
          "instead of pages: it is refusing automated clients. Nothing from those answers was "
          "kept. Wait and run again more slowly (e.g. -s DOWNLOAD_DELAY=10), ask the archive "
          "to let the harvester in (set HARVESTER_CONTACT_URL so they can reach you), or crawl "
          "a saved mirror with --base-url")


def is_robots_request(request) -> bool:
    return bool(request.meta.get("dont_obey_robotstxt")) and \
        urlsplit(request.url).path == "/robots.txt"


class ChallengeMiddleware:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.backoff = Backoff.of(crawler)
        self.limit = crawler.settings.getint("HARVESTER_CHALLENGE_LIMIT")
        self.pause = crawler.settings.getfloat("HARVESTER_CHALLENGE_BACKOFF")
        self.in_a_row = 0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response):
        marker = challenge_marker(response.status, response.headers, response.body)
        if marker is None:
            self.in_a_row = 0
            return response
        self.crawler.stats.inc_value("harvester/challenges")
        if is_robots_request(request):
            request.meta["dont_retry"] = True  # the robots.txt middleware decides
            return response
        self.in_a_row += 1
        if self.in_a_row >= self.limit:
            stop_run(self.crawler, REASON, ADVICE.format(count=self.in_a_row, marker=marker))
            raise RunStopped("bot challenge")
        again = self.backoff.retry(request, "bot challenge", at_least=self.pause)
        if again is None:
            raise Refused(f"bot challenge instead of the page ({marker})")
        return again
