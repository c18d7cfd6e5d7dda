"""Bot challenges (Cloudflare's "Just a moment..." and the like): never parsed, never retried
hot, and after HARVESTER_CHALLENGE_LIMIT in a row the run stops with reason `challenge`.

A challenge says the site doubts we are welcome, not that a page is broken: the request is
tried again only after HARVESTER_CHALLENGE_BACKOFF seconds, and a run that keeps meeting them
stops instead of publishing holes (the last good run stays in place).
"""

from urllib.parse import urlsplit

from harvester.middlewares.backoff import Backoff
from harvester.middlewares.control import Refused, RunStopped, is_captured_answer, stop_run

REASON = "challenge"
CHALLENGE_STATUSES = (200, 403, 429, 503)
# Structural markers of challenge and block pages; a page's own text cannot produce them.
MARKERS = (
    b"window._cf_chl_opt", b"/cdn-cgi/challenge-platform/", b"cf_chl_", b"cf-chl-",
    b"cf-browser-verification", b"challenges.cloudflare.com/turnstile", b"cf-turnstile",
    b'id="challenge-form"', b"<title>just a moment", b"<title>attention required!",
    b"checking your browser before accessing", b"checking if the site connection is secure",
    b"enable javascript and cookies to continue", b"verify you are human",
    b"sorry, you have been blocked",
)
# Only in an error answer do these words mean a challenge.
ERROR_MARKERS = (b"captcha", b"are you a robot")
SNIFF_BYTES = 64 * 1024
ADVICE = ("the archive answered {count} requests in a row with a bot challenge ({marker}) "
          "instead of pages: it is refusing automated clients. Nothing from those answers was "
          "kept. Wait and run again more slowly (e.g. -s DOWNLOAD_DELAY=10), ask the archive "
          "to let the harvester in (set HARVESTER_CONTACT_URL so they can reach you), or crawl "
          "a saved mirror with --base-url")


def challenge_marker(status: int, headers, body: bytes) -> str | None:
    """What shows that an answer is a bot challenge rather than the page, or None."""
    mitigated = headers.get(b"cf-mitigated") or headers.get("cf-mitigated") or b""
    if isinstance(mitigated, str):
        mitigated = mitigated.encode("latin-1")
    if mitigated.strip().lower() == b"challenge":
        return "cf-mitigated: challenge"
    if status not in CHALLENGE_STATUSES:
        return None
    head = body[:SNIFF_BYTES].lower()
    markers = MARKERS if status == 200 else MARKERS + ERROR_MARKERS
    for marker in markers:
        if marker in head:
            return marker.decode()
    return None


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
        if is_captured_answer(request, response):
            return response  # a capture of a challenge: the source skips it, counted
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
