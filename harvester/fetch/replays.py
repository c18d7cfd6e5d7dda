"""A web archive's captures, each fetched as a raw replay (`id_`) on the replay slot; the
replay is read into the capture's Answer by the download layer
(harvester.middlewares.captured) before any guard sees it.

A replay the archive fails to give (a 5xx or 429 of its own after Scrapy's retries, a refused
connection) must not keep a run from publishing, while the archive failing as a whole still
stops the run, resumably. After a failed replay the archive is probed: a capture it has
already replayed in this run is asked for again (before any, another capture of a page the
census lists). If the archive answers, it is up and the capture is what fails: the failure is
counted against the capture in the state (so a resumed run counts on), and its URL is chosen
again after the rest of its phase; a capture that has failed HARVESTER_WAYBACK_REPLAY_TRIES
times is skipped, counted under REPLAY_FAILED, and the URL goes on to its older captures. If the
probe fails too, nothing is counted against the capture (the archive was failing), and
HARVESTER_WAYBACK_MAX_FAILURES failed requests in a row stop the run: its state is kept, and
the same command resumes it later.
"""

from dataclasses import dataclass
from typing import NoReturn, Protocol
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from harvester.capture import outcomes
from harvester.capture.rows import Answer, Capture
from harvester.fetch.choices import CaptureFetch, ChoiceLeft, ChoiceRules, Step, error_reason
from harvester.middlewares.control import RunStopped, is_stopping, stop_run
from harvester.settings.profiles import REPLAY_SLOT
from harvester.sources import selection
from harvester.sources.choosing import Ledger
from harvester.sources.replay import REPLAY, answer_of, archive_failure

FAILING = "web_archive_failing"
# What a replay request carries besides the capture: the archive's answer, whatever its status.
REPLAY_META = {"download_slot": REPLAY_SLOT, REPLAY: True, "dont_redirect": True,
               "handle_httpstatus_all": True}


class ReplayLedger(Ledger, Protocol):
    """What replays ask of the run's ledger besides the rules' (harvester.state.captures)."""

    def replay_failures(self, location: str) -> int: ...
    def count_replay_failure(self, location: str) -> None: ...
    def probe_capture(self, other_than: str) -> str | None: ...


@dataclass(frozen=True)
class ReplayLimits:
    url_length: int      # URLLENGTH_LIMIT: a replay URL longer is a capture that cannot be had
    tries: int           # HARVESTER_WAYBACK_REPLAY_TRIES
    max_failures: int    # HARVESTER_WAYBACK_MAX_FAILURES


@dataclass(frozen=True)
class FailedReplay:
    capture: Capture
    step: Step   # the choice to make again


class ReplayFetch(CaptureFetch):
    """The Wayback Machine's replays of the census's captures."""

    ledger: ReplayLedger

    def __init__(self, crawler, ledger: ReplayLedger, rules: ChoiceRules, base_url: str,
                 limits: ReplayLimits, logger) -> None:
        super().__init__(crawler, ledger, rules)
        self.base_url = base_url
        self.limits = limits
        self.logger = logger
        self.failed_in_a_row = 0
        self.unconfirmed: list[FailedReplay] = []   # failures awaiting the archive's word
        self.again: list[Step] = []
        self.answered_url: str | None = None   # a replay the archive gave in this run

    def capture_url(self, capture: Capture) -> str:
        return self.base_url + capture.location

    def unfetched_skip(self, capture: Capture) -> str | None:
        """The census row alone rules out captures that cannot be a page (not fetching them
        spares the archive), and the state those the archive failed to replay every try."""
        return super().unfetched_skip(capture) or selection.census_status_skip(capture) or \
            self.failing_capture(capture)

    def failing_capture(self, capture: Capture) -> str | None:
        """REPLAY_FAILED for a capture the archive failed to replay every try allowed."""
        if self.ledger.replay_failures(capture.location) >= self.limits.tries:
            return outcomes.REPLAY_FAILED
        return None

    def unrequestable(self, capture: Capture) -> Answer | None:
        """A replay whose URL Scrapy would drop as too long (URLLENGTH_LIMIT), without a word
        or an answer, is a capture that cannot be had: skipped, so its URL goes on."""
        length = len(self.capture_url(capture))
        most = self.limits.url_length
        if most and length > most:
            return Answer(status=0, failure=f"replay URL of {length} characters, over "
                                            f"URLLENGTH_LIMIT {most}",
                          skipped_as=outcomes.TOO_LONG)
        return None

    def replay_request(self, url: str) -> Request:
        return Request(url, dont_filter=True, meta=dict(REPLAY_META))

    async def answer(self, capture: Capture, step: Step) -> Answer:
        if (cannot := self.unrequestable(capture)) is not None:
            return cannot
        request = self.replay_request(self.capture_url(capture))
        try:
            response = await self.download(request)
        except Exception as error:  # noqa: BLE001 (every way a download fails is told)
            reason = error_reason(error, request)
            if isinstance(error, IgnoreRequest) and not isinstance(error, RunStopped) and \
                    "DOWNLOAD_MAXSIZE" in reason:
                # The capture is too big, not the archive failing: its URL goes on.
                return Answer(status=0, failure=reason, skipped_as=outcomes.OVERSIZE)
            await self.failed(capture, step, reason)
        if archive_failure(response):
            await self.failed(capture, step, unanswered_status(response))
        self.answered_url = response.url
        self.archive_up()
        return answer_of(response)

    def released(self) -> list[Step]:
        again, self.again = self.again, []
        return again

    # -- the archive failing -----------------------------------------------------------------
    async def failed(self, capture: Capture, step: Step, message: str) -> NoReturn:
        """The archive did not give a capture (after Scrapy's retries): probe whether it is up.
        The URL's choice is left, to be made afresh later."""
        if is_stopping(self.crawler):
            raise ChoiceLeft
        self.unconfirmed.append(FailedReplay(capture, step))
        message = f"{capture.location}: {message}"
        self.logger.warning("the web archive did not replay %s", message)
        if not self.archive_failing(message) and \
                (probe := self.probe_request(capture)) is not None:
            await self.probe(probe)
        # With nothing to probe, the next URL's replay will tell.
        raise ChoiceLeft

    def archive_up(self) -> None:
        """The archive answered: the failures before were the captures' own."""
        self.failed_in_a_row = 0
        for failed in self.unconfirmed:
            self.ledger.count_replay_failure(failed.capture.location)
        self.choose_again()

    def choose_again(self) -> None:
        self.again.extend(failed.step for failed in self.unconfirmed)
        self.unconfirmed.clear()

    def archive_failing(self, message: str) -> bool:
        """One more failed request in a row; True when that many stop the run."""
        self.failed_in_a_row += 1
        if self.failed_in_a_row < self.limits.max_failures:
            return False
        stop_run(self.crawler, FAILING,
                 f"the web archive failed to answer {self.failed_in_a_row} requests in a row "
                 f"(last: {message}); run the same command again later to resume")
        return True

    def probe_request(self, failed: Capture) -> Request | None:
        """A replay that tells whether the archive is up: one it gave in this run, else
        another page's capture the census lists (a replay, as the CDX server may answer while
        replays fail)."""
        url = self.answered_url
        if url is None and (location := self.ledger.probe_capture(failed.location)):
            url = self.base_url + location
        return None if url is None else self.replay_request(url)

    async def probe(self, request: Request) -> None:
        try:
            response = await self.download(request)
        except Exception as error:  # noqa: BLE001
            self.probe_unanswered(f"{_path(request.url)}: {error_reason(error, request)}")
            return
        if archive_failure(response):
            self.probe_unanswered(f"{_path(response.url)}: {unanswered_status(response)}")
            return
        self.archive_up()

    def probe_unanswered(self, message: str) -> None:
        """The archive failed the probe too: the failures were its own, counted against no
        capture; their URLs are tried again later, or by the resumed run."""
        if is_stopping(self.crawler):
            return
        self.choose_again()
        self.archive_failing(message)


def unanswered_status(response) -> str:
    """The archive's failing answer, with the attempts Scrapy's retries made."""
    attempts = response.meta.get("retry_times", 0) + 1
    return f"HTTP {response.status}" + (f" after {attempts} attempts" if attempts > 1 else "")


def _path(url: str) -> str:
    """A request's target without the archive's address (the same wherever it is served)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
