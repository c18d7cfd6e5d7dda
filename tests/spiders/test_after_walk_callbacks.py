"""What a live spider does once its walk is over, called by hand as the engine's idle signal
calls it: `_on_idle` runs the after-walk phases one at a time, and `recheck_requests` asks
again, conditionally, for known documents the walk did not reach."""

import pytest
from scrapy.exceptions import DontCloseSpider

from tests.helpers.pages import BASE, read_jsonl
from tests.helpers.spider_fakes import MODIFIED, requested, saved, sent, validators

TELEGRAM = f"{BASE}/document/telegram-shtykov-gromyko-and-stalin"


def published_documents(folder) -> list[dict]:
    return read_jsonl(folder / "latest" / "documents.jsonl")


def test_a_plain_run_rechecks_every_known_document_it_did_not_ask_for(next_topic_run,
                                                                      published_topic):
    fake = next_topic_run()
    known = {r["url"]: r for r in published_documents(published_topic)}
    fake.spider.document_request(TELEGRAM, known[TELEGRAM]["record_id"])  # the walk's

    steps = list(fake.spider.recheck_requests())

    assert sorted(requested(steps)) == sorted(
        (url, "parse_document", "document_failed", {}) for url in known if url != TELEGRAM)
    for request in steps:
        record = known[request.url]
        assert request.meta == {"link": request.url, "known_record": record["record_id"],
                                "document_page": True, "counted": True}
        assert sent(fake, request).headers.to_unicode_dict() == {
            "If-None-Match": validators(saved(request.url).read_bytes())["ETag"],
            "If-Modified-Since": MODIFIED}
    assert fake.stats == {"harvester/document_requests": 1 + len(steps),
                          "harvester/recheck_budget": len(known),
                          "harvester/rechecks": len(known) - 1}
    # The manifest's count is the run's (the stats only show it).
    assert fake.spider.run.harvest.rechecks == len(known) - 1


def test_an_incremental_run_rechecks_its_budget_of_the_least_recently_checked(next_topic_run,
                                                                             published_topic):
    fake = next_topic_run(incremental="true")
    known = published_documents(published_topic)

    steps = list(fake.spider.recheck_requests())

    # 19 documents over a 30-day period: one a run.
    assert len(known) == 19
    assert [r.url for r in steps] in [[r["url"]] for r in known]
    assert fake.stats == {"harvester/document_requests": 1, "harvester/recheck_budget": 1,
                          "harvester/rechecks": 1}
    assert fake.spider.run.harvest.rechecks == 1


def test_idle_runs_one_phase_with_requests_at_a_time_then_lets_the_crawl_close(next_topic_run,
                                                                              published_topic):
    fake = next_topic_run()
    queue = fake.engine.crawled

    with pytest.raises(DontCloseSpider):
        fake.spider._on_idle()  # the walk left nothing: the re-checks are handed on
    assert len(queue) == len(published_documents(published_topic))
    assert {r.callback.__name__ for r in queue} == {"parse_document"}

    fake.spider._on_idle()  # no people's pages to read: the crawl may close
    assert len(queue) == len(published_documents(published_topic))
    assert fake.spider._phases == []


def test_idle_on_a_first_run_has_nothing_to_do(topic):
    queue = topic.engine.crawled

    topic.spider._on_idle()

    assert queue == []
    assert topic.stats == {"harvester/recheck_budget": 0}
