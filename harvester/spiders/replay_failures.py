"""Replays the web archive fails to give (a 5xx or 429 of its own after Scrapy's retries, a
refused connection): one capture it cannot replay must not keep a run from publishing, while the
archive failing as a whole still stops the run, resumably.

After a failed replay the archive is probed: a capture it has already replayed in this run is
asked for again (before any, another capture of a page the census lists). If the archive
answers, it is up and the capture is what fails: the failure is counted against the capture in
the state (so a resumed run counts on), and its URL is chosen again after the rest of its
phase; a capture that has failed HARVESTER_WAYBACK_REPLAY_TRIES times is skipped, counted under
REPLAY_FAILED, and the URL goes on to its older captures. If the probe fails too, nothing is
counted against the capture (the archive was failing), and HARVESTER_WAYBACK_MAX_FAILURES failed
requests in a row stop the run: its state is kept, and the same command resumes it later.
"""

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import scrapy

from harvester.capture import outcomes
from harvester.capture.rows import Capture
from harvester.middlewares.control import is_stopping, stop_run
from harvester.sources.replay import REPLAY, archive_failure
from harvester.spiders.base import failure_reason
from harvester.spiders.hosts import CaptureHost

FAILING = "web_archive_failing"
PROBE_PRIORITY = 10   # before any replay already queued


@dataclass(frozen=True)
class FailedReplay:
    capture: Capture
    step: tuple[str, str, str | None]   # what to choose again: (key, kind, context)


class ReplayFailures(CaptureHost):
    """Mixin for WaybackSpider (which provides the ledger, the walk, the slots and `advance`)."""

    replay_slot = ""

    def start_failures(self) -> None:
        self.failed_in_a_row = 0
        self.unconfirmed: list[FailedReplay] = []  # failures awaiting the probe's answer
        self.retries: deque[tuple[str, str, str | None]] = deque()
        self.answered_url: str | None = None       # a replay the archive gave in this run

    def replay_tries(self) -> int:
        return self.config.replay_tries

    def failing_capture(self, capture: Capture) -> str | None:
        """REPLAY_FAILED for a capture the archive failed to replay every try allowed."""
        if self.ledger.replay_failures(capture.location) >= self.replay_tries():
            return outcomes.REPLAY_FAILED
        return None

    # -- what the archive answered -------------------------------------------------------------
    def replay_answered(self, response) -> None:
        """A replay came back: the archive is up, so the failures before it were the captures'."""
        self.answered_url = response.url
        self.archive_up()

    def replay_failed(self, capture: Capture, key: str, message: str) -> Iterator:
        """The archive did not give a capture (after Scrapy's retries): probe whether it is up.
        The URL's choice is left, to be made afresh later."""
        left = self.walk.close(key)
        if is_stopping(self.crawler):
            return
        self.unconfirmed.append(FailedReplay(capture, (key, *left.step)))
        message = f"{capture.location}: {message}"
        self.logger.warning("the web archive did not replay %s", message)
        if self.archive_failing(message):
            return
        probe = self.probe(capture)
        if probe is None:  # nothing else to ask: the next URL's replay will tell
            yield from self.advance()
            return
        self.walk.probes += 1   # the phase waits for the probe's answer
        yield probe

    def archive_up(self) -> None:
        self.failed_in_a_row = 0
        for failed in self.unconfirmed:
            self.ledger.count_replay_failure(failed.capture.location)
        self.retry_later(self.unconfirmed)

    def archive_failing(self, message: str) -> bool:
        """One more failed request in a row; True when that many stop the run."""
        self.failed_in_a_row += 1
        if self.failed_in_a_row < self.config.wayback_max_failures:
            return False
        stop_run(self.crawler, FAILING,
                 f"the web archive failed to answer {self.failed_in_a_row} requests in a row "
                 f"(last: {message}); run the same command again later to resume")
        return True

    # -- the probe -----------------------------------------------------------------------------
    def probe(self, failed: Capture) -> scrapy.Request | None:
        """A replay that tells whether the archive is up: one it gave in this run, else
        another page's capture the census lists (a replay, as the CDX server may answer while
        replays fail)."""
        url = self.answered_url
        if url is None and (location := self.ledger.probe_capture(failed.location)):
            url = self.base_url + location
        if url is None:
            return None
        return scrapy.Request(url, self.probe_answered, errback=self.probe_failed,
                              dont_filter=True, priority=PROBE_PRIORITY,
                              meta={"download_slot": self.replay_slot, REPLAY: True,
                                    "dont_redirect": True, "handle_httpstatus_all": True})

    def probe_answered(self, response) -> Iterator:
        self.walk.probes -= 1
        if archive_failure(response):
            yield from self.probe_unanswered(f"{_path(response.url)}: "
                                             f"{unanswered_status(response)}")
            return
        self.archive_up()
        yield from self.advance()

    def probe_failed(self, failure) -> Iterator:
        self.walk.probes -= 1
        yield from self.probe_unanswered(f"{_path(failure.request.url)}: "
                                         f"{failure_reason(failure)}")

    def probe_unanswered(self, message: str) -> Iterator:
        """The archive failed the probe too: the failures were its own, counted against no
        capture; their URLs are tried again later, or by the resumed run."""
        if is_stopping(self.crawler):
            return
        self.retry_later(self.unconfirmed)
        if not self.archive_failing(message):
            yield from self.advance()

    # -- trying again --------------------------------------------------------------------------
    def retry_later(self, failed: list[FailedReplay]) -> None:
        """Choose these URLs again once the current phase is done."""
        self.retries.extend(item.step for item in failed)
        failed.clear()
        if self.retries and self.retry_keys not in self.walk.phases:
            self.walk.phases.insert(0, self.retry_keys)

    def retry_keys(self) -> Iterator[tuple]:
        while self.retries:
            yield self.retries.popleft()


def unanswered_status(response) -> str:
    """The archive's failing answer, with the attempts Scrapy's retries made."""
    attempts = response.meta.get("retry_times", 0) + 1
    return f"HTTP {response.status}" + (f" after {attempts} attempts" if attempts > 1 else "")


def _path(url: str) -> str:
    """A request's target without the archive's address (the same wherever it is served)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
