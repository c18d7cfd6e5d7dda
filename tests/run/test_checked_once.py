"""Each published record is checked against its schema once: a document the crawl checked
(harvester.pipelines.validate) and published to the byte as it was staged is not checked again
by the package's pass (harvester.dataset.record_tap); every other record is, and one that
fails still keeps the package from its "validated" mark."""

import json
import sqlite3
from datetime import datetime

from harvester.dataset.trust import VALIDATED
from harvester.run.publish import CHECKED_STAT, TRUSTED_STAT
from harvester.spiders.topic import TopicSpider
from tests.helpers.offline_runs import crawl_saved, publish
from tests.helpers.pages import BASE, load_json, read_jsonl
from tests.helpers.spider_fakes import NOW, fake_run, started


def crawled(out, **settings):
    """A topic run of the bundled mirror, published: its folder and its stats."""
    fake = fake_run(TopicSpider, out, settings, base_url=BASE)
    crawl_saved(fake, started(fake.spider))
    published = publish(fake)
    fake.close()
    return published, fake.crawler.stats


def test_documents_the_crawl_checked_are_not_checked_again(tmp_path):
    run, stats = crawled(tmp_path / "out")

    people = load_json(run / "manifest.json")["files"]["people.jsonl"]["records"]
    # 19 documents checked in the crawl; the topic, the reject and the people entries here.
    assert (stats.get_value(TRUSTED_STAT), stats.get_value(CHECKED_STAT)) == (19, 1 + 1 + people)
    assert VALIDATED in load_json(run / "datapackage.json")


def test_a_stored_record_not_published_as_staged_is_checked_and_can_unmark_the_package(
        tmp_path, monkeypatch):
    """A stored record altered behind the state's back, its content hash left as it was: the
    next run fetches its page, finds the record unchanged and keeps the stored text. Published
    not as this run staged it, it is checked, and its failure unmarks the package. (Both runs
    read their pages at the same moment, so that the others are published as staged: a record
    found unchanged keeps the time it was first read, and is checked again.)"""
    class Stopped(datetime):
        @classmethod
        def now(cls, tz=None):
            return NOW.astimezone(tz)

    monkeypatch.setattr("harvester.spiders.base.datetime", Stopped)   # the capture's time
    monkeypatch.setattr("harvester.pipelines.normalize.utc_iso", lambda: "2026-12-07T12:00:00Z")
    out = tmp_path / "out"
    first, _ = crawled(out)
    record = read_jsonl(first / "documents.jsonl")[0]
    [state] = (out / "state").glob("*.sqlite")
    with sqlite3.connect(state) as db:
        db.execute("UPDATE documents SET record_json = ? WHERE record_id = ?",
                   (json.dumps({**record, "url": 5}), record["record_id"]))

    again, stats = crawled(out)

    people = load_json(again / "manifest.json")["files"]["people.jsonl"]["records"]
    assert (stats.get_value(TRUSTED_STAT), stats.get_value(CHECKED_STAT)) == (
        18, 1 + 1 + 1 + people)
    assert [r["url"] for r in read_jsonl(again / "documents.jsonl")
            if r["record_id"] == record["record_id"]] == [5]
    assert VALIDATED not in load_json(again / "datapackage.json")
