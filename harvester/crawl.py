"""Running a spider in-process and turning its outcome into an exit code and one line.

Scrapy's own `scrapy crawl` exits 0 whatever happened; this exits non-zero unless the run was
published, and says why (`harvester crawl`, and the project's `scrapy crawl`, which is
`harvester.scrapy_commands.crawl`).
"""

import gc
import json
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import UsageError
from scrapy.utils.project import get_project_settings

from harvester import interrupt
from harvester.dataset.folder import latest_run
from harvester.middlewares.control import stop_message
from harvester.run.extension import outcome_of
from harvester.run.manifest import summary
from harvester.run.outcome import RunOutcome
from harvester.settings.output import output_dir
from harvester.state.lock import RunRefused
from harvester.terminal import guard_log_handlers, printable

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# Published (`latest` names the new run), but a step after it failed: the state did not record
# it, or its backup was not written (harvester.run.aftermath); the line says how to recover.
EXIT_PUBLISHED_BUT = 3
EXIT_SIGNAL: dict[int, int] = {signal.SIGINT: 130, signal.SIGTERM: 143}  # signal -> exit code
# The garbage collector's thresholds during a crawl (Python's defaults: 700, 10, 10).
CRAWL_GC_THRESHOLDS = (7000, 10, 10)


@dataclass
class Outcome:
    exit_code: int
    message: str
    run_dir: Path | None = None

    def __post_init__(self) -> None:
        # It quotes file names and reasons taken from the inputs.
        self.message = printable(self.message)


class _Process(CrawlerProcess):
    """Remembers which signal stopped the crawl, for the exit code."""

    received: int | None = None

    def _signal_shutdown(self, signum, frame):
        if self.received is None:
            self.received = signum
        interrupt.request_stop()  # seen by a file being read, which keeps the reactor waiting
        super()._signal_shutdown(signum, frame)


def project_settings(overrides: dict):
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "harvester.settings")
    settings = get_project_settings()
    for name, value in overrides.items():
        if value is not None:
            settings.set(name, value, priority="cmdline")
    return settings


@contextmanager
def collector_for_crawling() -> Iterator[None]:
    """The cyclic garbage collector set for a crawl, and set back after it.

    What start-up made (modules, settings, the crawler, compiled schemas) stays for the whole
    crawl, yet the oldest generation's collections walked it every time: it is frozen out of
    them. Young objects are collected a tenth as often, and fewer survivors are walked again in
    the middle generation (docs/PERFORMANCE.md: less than half the time collecting, for a few
    MB more at the peak). Collections are counted in objects, not bytes, so nothing that holds
    a page may wait for one: pages are read without reference cycles (`Page.from_response`,
    `selection.captured_page`, `warcstream.release`).
    """
    previous = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*CRAWL_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


def run_spider(name: str, arguments: dict, overrides: dict, publishes: bool = True) -> Outcome:
    """Run a spider to its end. `publishes`: whether success means a published run (a census
    only counts, and succeeds when it finished)."""
    return run_with(project_settings(overrides), name, arguments, publishes)


def run_with(settings, name: str, arguments: dict, publishes: bool = True) -> Outcome:
    """`run_spider` with the settings given whole (the project's `scrapy crawl` has its own)."""
    out_dir = output_dir(settings.get("HARVESTER_OUTPUT_DIR"))
    interrupt.clear()
    process = _Process(settings)
    guard_log_handlers()
    crawler = process.create_crawler(name)
    closed: list[str] = []  # Scrapy's reason for closing the spider
    crawler.signals.connect(lambda spider, reason: closed.append(reason),
                            signal=signals.spider_closed, weak=False)
    refused: list[Exception] = []
    process.crawl(crawler, **arguments).addErrback(_refused_into, refused)
    with collector_for_crawling():
        process.start()
    if refused and not isinstance(refused[0], RunRefused):  # a bad spider argument
        return Outcome(EXIT_USAGE, one_line(refused[0]))
    if refused:  # another run holds the folder, or the state is damaged: nothing started
        return Outcome(EXIT_FAILED, f"{refused[0]}{_keeps(out_dir)}")
    run = outcome_of(crawler) or RunOutcome()
    if not publishes and closed == ["finished"] and process.received is None:
        return Outcome(EXIT_OK, "finished")
    if run.run_dir:  # a signal that came once the run was published stopped nothing
        return published_outcome(run)
    if process.received in EXIT_SIGNAL:
        message = (f"stopped by {signal.Signals(process.received).name}; "
                   f"nothing published{_keeps(out_dir)}")
        return Outcome(EXIT_SIGNAL[process.received], message)
    reason = stop_message(crawler) or run.failure or (
        f"crawl did not run ({closed[0] if closed else 'see the log above'})")
    return Outcome(EXIT_FAILED, f"run not published: {reason}{_keeps(out_dir)}")


def published_outcome(run: RunOutcome) -> Outcome:
    """Published: exit 0, or 3 when a step after the publication failed; either way the line
    says where the run went, then anything that went wrong after."""
    assert run.run_dir is not None
    line = "; ".join([published_line(run.run_dir), *(f"but {f}" for f in run.after_failures),
                      *(f"warning: {w}" for w in run.after_warnings)])
    return Outcome(EXIT_PUBLISHED_BUT if run.after_failures else EXIT_OK, line, run.run_dir)


def published_line(run_dir: Path) -> str:
    """Where the run went and what it holds, as the demo's summary says it."""
    manifest = json.loads((run_dir / "manifest.json").read_text("utf-8"))
    trial = (f" (partial: stopped at --limit {manifest['limit']}; latest not switched)"
             if manifest.get("partial") else "")
    return f"published {run_dir}{trial}: {summary(manifest)}"


def _refused_into(failure, refused: list[Exception]):
    """A run refused before it started, or a spider refusing its arguments, is told in one
    line, without a traceback."""
    if failure.check(RunRefused, UsageError, ValueError):
        refused.append(failure.value)
        return None
    return failure


def one_line(error: Exception) -> str:
    """An error's message on one line."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return printable("; ".join(lines) or type(error).__name__)


def _keeps(out_dir: Path) -> str:
    last = latest_run(out_dir)
    return f"; the last good run is still {last}" if last else ""
