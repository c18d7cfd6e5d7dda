"""How a run ended is kept by the run: the command and the feeds find it through the crawl's
RunKeeper, never in the stats."""

from pathlib import Path
from types import SimpleNamespace

from scrapy import signals
from scrapy.signalmanager import SignalManager

from harvester.run.extension import (
    PUBLISHED,
    PUBLISHED_BUT,
    REFUSED,
    RunKeeper,
    outcome_of,
    run_of,
    verdict,
)
from harvester.run.outcome import RunOutcome


def crawl_with(*extensions) -> SimpleNamespace:
    return SimpleNamespace(extensions=SimpleNamespace(middlewares=list(extensions)))


def test_the_crawls_run_and_its_outcome_are_found_through_its_keeper():
    run = SimpleNamespace(outcome=RunOutcome())
    keeper = RunKeeper(SimpleNamespace(), run)
    crawler = crawl_with(SimpleNamespace(), keeper)
    assert run_of(crawler) is run
    assert outcome_of(crawler) is run.outcome


def test_a_crawl_without_a_run_has_no_outcome():
    for crawler in (crawl_with(SimpleNamespace()), SimpleNamespace()):
        assert run_of(crawler) is None
        assert outcome_of(crawler) is None


def test_the_verdict_a_scheduler_sees():
    published = RunOutcome(run_dir=Path("/out/20261207T153000Z"))
    failed_after = RunOutcome(run_dir=Path("/out/20261207T153000Z"),
                              after_failures=["the state did not record the run"])
    refused = RunOutcome(failure="document list incomplete: …")
    assert [verdict(o) for o in (published, failed_after, refused)] == [
        PUBLISHED, PUBLISHED_BUT, REFUSED] == ["published", "published_but_failed_after",
                                               "refused"]
    assert (published.published, refused.published) == (True, False)


def test_a_spider_hears_of_a_scraped_item_once_its_run_has_taken_it(monkeypatch):
    """A capture walk's next phase reads what the run took of the one before: the spider's
    handler, connected when it is told of its run, comes after the run's own."""
    heard: list[tuple[str, object]] = []
    run = SimpleNamespace(outcome=RunOutcome(), take=lambda item: heard.append(("taken", item)))
    monkeypatch.setattr("harvester.run.extension.Run.open", lambda crawler, terms: run)

    class Spider:
        def run_terms(self):
            return None

        def run_opened(self, opened):
            crawler.signals.connect(self.item_done, signal=signals.item_scraped)

        def item_done(self, item):
            heard.append(("heard", item))

    crawler = SimpleNamespace(signals=SignalManager(), spider=Spider())
    keeper = RunKeeper.from_crawler(crawler)   # kept, as the crawl keeps its extensions
    crawler.signals.send_catch_log(signals.item_scraped, item="a record")
    assert heard == [("taken", "a record"), ("heard", "a record")]
    assert keeper.run is run
