"""robots.txt read as RFC 9309 says, not as whatever body came back.

Stock Scrapy parses the body of any answer, so a 503 page or a bot challenge served as
robots.txt means "everything allowed". Here: a 4xx means there are no rules (allow all); a
5xx, a 429, a challenge or a download that fails for good means "disallow everything" (§2.3.1.4)
and the run stops, saying why, instead of crawling without permission.
"""

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.utils.misc import build_from_crawler

from harvester.middlewares.control import stop_run
from harvester.pages.challenge import challenge_marker

REASON = "robots_txt"
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


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    async def _parse_robots(self, response, netloc, request) -> None:
        problem = robots_problem(response)
        if problem is not None:
            stop_run(self.crawler, REASON, ADVICE.format(problem=problem))
            response = response.replace(body=DISALLOW_ALL)
        elif 400 <= response.status < 500:
            response = response.replace(body=b"")  # unavailable: no rules at all
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc, netloc) -> None:
        problem = f"could not be fetched ({describe(exc)})"
        stop_run(self.crawler, REASON, ADVICE.format(problem=problem))
        waiting = self._parsers[netloc]
        parser = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)
        self._parsers[netloc] = parser
        waiting.callback(parser)
