"""What a spider tells the run it saw: kept by the run, counted in the stats for the log."""

from types import SimpleNamespace

from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from harvester.run.findings import Findings, TellsFindings


class Told(TellsFindings):
    def __init__(self) -> None:
        self.findings = Findings()
        self.crawler = SimpleNamespace(settings=Settings())
        self.crawler.stats = MemoryStatsCollector(self.crawler)


def test_incomplete_lists_are_kept_in_order_and_counted():
    run = Told()
    run.incomplete("http://127.0.0.1/search?page=2: HTTP 503 after 4 attempts")
    run.incomplete("listing shows 20 documents, 18 found after 2 re-walks")
    assert run.findings.incomplete == [
        "http://127.0.0.1/search?page=2: HTTP 503 after 4 attempts",
        "listing shows 20 documents, 18 found after 2 re-walks"]
    assert run.crawler.stats.get_value("harvester/incomplete") == 2


def test_one_kind_of_problem_said_again_replaces_its_lines_and_goes_last():
    run = Told()
    run.incomplete_again("census: ", ["prefix a: HTTP 503"])
    run.incomplete("a list page failed")
    run.incomplete_again("census: ", ["prefix a: HTTP 503", "prefix b: timeout"])
    assert run.findings.incomplete == ["a list page failed", "census: prefix a: HTTP 503",
                                       "census: prefix b: timeout"]


def test_a_warning_said_again_keeps_its_place():
    run = Told()
    first = run.warn("person page a not read: HTTP 500")
    place = run.warn("1 more person pages not read")
    run.warn("topic index not read: HTTP 404")
    run.warn_again(place, "3 more person pages not read")
    assert (first, place) == (0, 1)
    assert run.findings.warnings == ["person page a not read: HTTP 500",
                                     "3 more person pages not read",
                                     "topic index not read: HTTP 404"]


def test_topics_and_document_requests_are_kept():
    run = Told()
    run.topic_not_found("gone", "https://digitalarchive.wilsoncenter.org/topics/gone", 410)
    run.unknown_topic("nope", "http://127.0.0.1/topics/nope answered HTTP 404")
    for _ in range(3):
        run.document_requested()
    run.document_failed()
    findings = run.findings
    assert findings.topics_not_found == {
        "gone": ("https://digitalarchive.wilsoncenter.org/topics/gone", 410)}
    assert findings.unknown_topics == {"nope": "http://127.0.0.1/topics/nope answered HTTP 404"}
    assert (findings.document_requests, findings.document_failures) == (3, 1)
    assert run.crawler.stats.get_value("harvester/document_requests") == 3
