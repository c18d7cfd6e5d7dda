"""How a run ended is kept by the run: the command and the feeds find it through the crawl's
RunKeeper, never in the stats."""

from pathlib import Path
from types import SimpleNamespace

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
