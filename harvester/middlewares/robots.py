"""robots.txt read as RFC 9309 says, not as whatever body came back.

Stock Scrapy parses the body of any answer, so a 503 page or a bot challenge served as
robots.txt means "everything allowed". Here: a 4xx means there are no rules (allow all); a
5xx, a 429, a challenge or a download that fails for good means "disallow everything" (§2.3.1.4)
and the run stops, saying why, instead of crawling without permission.
"""

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.downloadermiddlewares.robotstxt import logger as scrapy_robots_logger
from scrapy.exceptions import CannotResolveHostError, DownloadConnectionRefusedError
from scrapy.utils.misc import build_from_crawler
from twisted.internet import error as network
from twisted.internet.defer import Deferred

from harvester.middlewares.control import stop_run
from harvester.pages.challenge import challenge_marker

REASON = "robots_txt"
# The host does not answer at all: the first request to it (robots.txt) says so, in one line.
UNREACHABLE = "unreachable"
CAUSES = (
    ((CannotResolveHostError, network.DNSLookupError), "its name does not resolve (DNS)"),
    ((DownloadConnectionRefusedError, network.ConnectionRefusedError),
     "it refused the connection (nothing listens on that port)"),
    ((network.TCPTimedOutError, network.NoRouteError, network.ConnectError),
     "no connection could be made (no route, or the connection timed out)"),
)
UNREACHABLE_ADVICE = ("cannot reach {host}: {cause}. Check the address (--base-url) and this "
                      "machine's network, or crawl a saved mirror with --base-url")
DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
ADVICE = ("robots.txt {problem}; RFC 9309 says to treat that as \"disallow everything\", so "
          "nothing more was fetched. Run again later; if it persists, open the site in a "
          "browser to see what it answers, or crawl a saved mirror with --base-url")


def robots_problem(response) -> str | None:
    """Why this robots.txt answer forbids crawling, or None when its rules can be used."""
    marker = challenge_marker(response.status, response.headers, response.body)
    if marker is not None:
        return f"was answered with a bot challenge ({marker})"
    if response.status >= 500 or response.status == 429:
        attempts = (response.request.meta.get("retry_times", 0) + 1
                    if response.request is not None else 1)
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        return f"answered HTTP {response.status}{tries}"
    return None


def describe(error: Exception) -> str:
    """One line for a download error, unwrapping Twisted's lists of underlying failures
    (which Scrapy wraps in its own error)."""
    for candidate in (error, error.__cause__):
        reasons = getattr(candidate, "reasons", None)
        if reasons:
            return "; ".join(f"{r.type.__name__}: {r.getErrorMessage()}" for r in reasons)
    return f"{type(error).__name__}: {error}".rstrip(": ")


def unreachable_cause(error: BaseException) -> str | None:
    """Why a host cannot be reached, when the error says it was not reached at all."""
    for candidate in (error, error.__cause__):
        for kinds, cause in CAUSES:
            if isinstance(candidate, kinds):
                return cause
    return None


class ReportedElsewhere(logging.Filter):
    """Scrapy logs a robots.txt download that failed with its traceback; a host that cannot be
    reached is said once, in the run's one line, instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return error is None or unreachable_cause(error) is None


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    @classmethod
    def from_crawler(cls, crawler):
        if not any(isinstance(f, ReportedElsewhere) for f in scrapy_robots_logger.filters):
            scrapy_robots_logger.addFilter(ReportedElsewhere())
        return super().from_crawler(crawler)

    async def _parse_robots(self, response, netloc, request) -> None:
        problem = robots_problem(response)
        if problem is not None:
            stop_run(self.crawler, REASON, ADVICE.format(problem=problem))
            response = response.replace(body=DISALLOW_ALL)
        elif 400 <= response.status < 500:
            response = response.replace(body=b"")  # unavailable: no rules at all
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc, netloc) -> None:
        cause = unreachable_cause(exc)
        if cause is not None:
            stop_run(self.crawler, UNREACHABLE, UNREACHABLE_ADVICE.format(host=netloc,
                                                                          cause=cause))
        else:
            problem = f"could not be fetched ({describe(exc)})"
            stop_run(self.crawler, REASON, ADVICE.format(problem=problem))
        waiting = self._parsers[netloc]
        assert isinstance(waiting, Deferred), "robots.txt is being fetched (as Scrapy's asserts)"
        parser = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)
        self._parsers[netloc] = parser
        waiting.callback(parser)
