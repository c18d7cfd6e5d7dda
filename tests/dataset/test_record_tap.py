"""Publishing writes each record once and the package is made from what the records told on
their way (harvester.dataset.record_tap), never from the files read back."""

import pytest

from harvester.dataset.card import CardFacts, chart
from harvester.dataset.files import read_jsonl
from harvester.dataset.record_tap import RecordTap
from harvester.dataset.trust import VALIDATED
from harvester.spiders.topic import TopicSpider
from tests.helpers.offline_runs import crawl_saved, publish
from tests.helpers.pages import BASE, load_json
from tests.helpers.spider_fakes import fake_run, started

KINDS = {"documents.jsonl": "document", "topics.jsonl": "topic", "rejects.jsonl": "reject"}


def tapped(run_dir, change=None) -> tuple[RecordTap, dict[str, list]]:
    tap, given = RecordTap(), {}
    for name, kind in KINDS.items():
        records = read_jsonl(run_dir / name)
        if change and name == change[0]:
            records[-1] = {**records[-1], **change[1]}
        given[name] = list(tap.each(kind, records))
    return tap, given


def test_the_tap_gives_the_records_as_they_came_and_counts_what_the_package_needs(run_dir):
    tap, given = tapped(run_dir)

    assert given == {name: read_jsonl(run_dir / name) for name in KINDS}
    assert tap.passed
    # As the card says: 17 documents dated within a year, 2 not (tests/dataset/test_package.py).
    assert (tap.facts.documents, tap.facts.undated) == (19, 2)
    assert tap.topics == read_jsonl(run_dir / "topics.jsonl")
    assert tap.people.entries() == read_jsonl(run_dir / "people.jsonl")


@pytest.mark.parametrize(("name", "change"), [
    ("documents.jsonl", {"url": 5}), ("topics.jsonl", {"record_ids": "110023"}),
    ("rejects.jsonl", {"reason": None})])
def test_one_record_breaking_its_schema_and_the_tap_has_not_passed(run_dir, name, change):
    tap, given = tapped(run_dir, (name, change))

    assert given[name][-1] == {**read_jsonl(run_dir / name)[-1], **change}
    assert not tap.passed


def test_what_the_tap_saw_is_what_the_files_read_back_give(run_dir):
    seen, read = tapped(run_dir)[0], RecordTap.of_files(run_dir)

    assert (read.passed, read.topics) == (seen.passed, seen.topics)
    assert counts(read.facts) == counts(seen.facts)
    assert chart(read.facts) == chart(seen.facts)
    assert read.people.entries() == seen.people.entries()


def counts(facts: CardFacts) -> dict:
    """The card's facts but its term indexes (which compare as objects)."""
    return {name: value for name, value in vars(facts).items()
            if name not in ("places", "subjects")}


def test_a_run_publishes_its_package_without_reading_a_record_file_back(tmp_path, monkeypatch,
                                                                        run_dir):
    def read_back(*_):
        raise AssertionError("a record file was read back")

    monkeypatch.setattr(RecordTap, "of_files", read_back)
    monkeypatch.setattr("harvester.dataset.record_tap.iter_jsonl", read_back)
    fake = fake_run(TopicSpider, tmp_path / "out", base_url=BASE)
    crawl_saved(fake, started(fake.spider))

    published = publish(fake)
    fake.close()

    assert read_jsonl(published / "people.jsonl") == read_jsonl(run_dir / "people.jsonl")
    assert VALIDATED in load_json(published / "datapackage.json")
    assert load_json(published / "manifest.json")["files"]["people.jsonl"]["records"] == 29
