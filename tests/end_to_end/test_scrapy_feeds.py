"""`scrapy crawl topic` with feeds: every current Document whole (a second crawl's unchanged
documents too, from the state), Topics and Rejects in their own feeds, nothing internal; a
`-o/-O` feed gets the Documents, its Topics beside it."""

import json
from pathlib import Path

import pytest

from harvester.items import fields_of
from harvester.scrapy_commands.crawl import records_apart
from tests.helpers.crawls import scrapy_crawl
from tests.helpers.pages import read_jsonl, without_provenance
from tests.helpers.serving import served_here

TOPIC = "conversations-kim-il-sung"
# As README's example: one feed per record type.
FEEDS = {
    "{out}/documents-{n}.jsonl": {"format": "jsonlines",
                                  "item_classes": ["harvester.items.Document"]},
    "{out}/topics-{n}.jsonl": {"format": "jsonlines", "item_classes": ["harvester.items.Topic"]},
    "{out}/rejects-{n}.jsonl": {"format": "jsonlines",
                                "item_classes": ["harvester.items.Reject"]},
}


def feeds_setting(out: Path, n: int) -> str:
    return "FEEDS=" + json.dumps({name.format(out=out, n=n): options
                                  for name, options in FEEDS.items()})


@pytest.fixture(scope="module")
def two_crawls(tmp_path_factory):
    """Two crawls over one state, each with its feeds: the second finds every page unchanged."""
    out = tmp_path_factory.mktemp("feeds")
    with served_here() as url:
        for n in (1, 2):
            feeds = out / f"feeds{n}"
            result = scrapy_crawl(url, out / "runs", "-s", feeds_setting(feeds, n))
            assert result.returncode == 0, result.stderr
    return out


def published(out: Path) -> dict[str, dict]:
    documents = read_jsonl(out / "runs" / "latest" / "documents.jsonl")
    return {d["record_id"]: d for d in documents}


@pytest.mark.parametrize("n", [1, 2])
def test_document_feed_holds_every_current_document_whole(two_crawls, n):
    feed = read_jsonl(two_crawls / f"feeds{n}" / f"documents-{n}.jsonl")
    expected = published(two_crawls)
    assert len(feed) == 19
    assert sorted(d["record_id"] for d in feed) == sorted(expected)
    for document in feed:
        assert list(document) == fields_of("document")
        assert without_provenance(document) == without_provenance(expected[document["record_id"]])


def test_second_crawl_gives_the_stored_records(two_crawls):
    """Every page answered 304 (one document is linked by two URLs, each asked for): the feed
    holds each record once, as the state keeps it."""
    manifest = json.loads((two_crawls / "runs" / "latest" / "manifest.json").read_text())
    assert (manifest["counts"]["not_modified"], manifest["counts"]["fetched"]) == (20, 0)
    feed = read_jsonl(two_crawls / "feeds2" / "documents-2.jsonl")
    assert {d["record_id"]: d for d in feed} == published(two_crawls)


@pytest.mark.parametrize("n", [1, 2])
def test_topics_and_rejects_have_their_own_feeds(two_crawls, n):
    topics = read_jsonl(two_crawls / f"feeds{n}" / f"topics-{n}.jsonl")
    assert [(t["slug"], t["title"], t["topic_id"]) for t in topics] == [
        (TOPIC, "Conversations with Kim Il Sung", 86466)]
    assert list(topics[0]) == fields_of("topic")
    rejects = read_jsonl(two_crawls / f"feeds{n}" / f"rejects-{n}.jsonl")
    published_rejects = read_jsonl(two_crawls / "runs" / "latest" / "rejects.jsonl")
    assert [r["url"] for r in rejects] == [r["url"] for r in published_rejects]
    assert len(rejects) == 1


def test_a_command_line_feed_holds_the_documents_and_its_topics_go_beside_it(tmp_path):
    """`-O docs.jsonl`: the 19 Documents whole, nothing else; the Topic in `docs-topics.jsonl`;
    the Reject only in the run's rejects.jsonl."""
    with served_here() as url:
        result = scrapy_crawl(url, tmp_path / "runs", "-O", str(tmp_path / "docs.jsonl"))
    assert result.returncode == 0, result.stderr
    documents = read_jsonl(tmp_path / "docs.jsonl")
    assert [list(d) for d in documents] == [fields_of("document")] * 19
    assert {d["record_id"]: d for d in documents} == published(tmp_path)
    topics = read_jsonl(tmp_path / "docs-topics.jsonl")
    assert [(list(t), t["slug"]) for t in topics] == [(fields_of("topic"), TOPIC)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs-topics.jsonl", "docs.jsonl",
                                                         "runs"]


def test_standard_output_gets_the_documents_alone(tmp_path):
    with served_here() as url:
        result = scrapy_crawl(url, tmp_path / "runs", "-o", "-:jsonlines")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [list(line) for line in lines] == [fields_of("document")] * 19
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runs"]


@pytest.mark.parametrize(("feeds", "apart"), [
    ({"out/docs.jsonl": {"format": "jsonl"}},
     {"out/docs.jsonl": {"format": "jsonl", "item_classes": ["harvester.items.Document"]},
      "out/docs-topics.jsonl": {"format": "jsonl", "item_classes": ["harvester.items.Topic"]}}),
    ({"s3://b/%(name)s/%(time)s.csv": {"format": "csv", "overwrite": True}},
     {"s3://b/%(name)s/%(time)s.csv": {"format": "csv", "overwrite": True,
                                       "item_classes": ["harvester.items.Document"]},
      "s3://b/%(name)s/%(time)s-topics.csv": {"format": "csv", "overwrite": True,
                                              "item_classes": ["harvester.items.Topic"]}}),
    ({"out/all": {"format": "jsonl", "item_classes": ["harvester.items.Reject"]}},
     {"out/all": {"format": "jsonl", "item_classes": ["harvester.items.Reject"]}}),
    ({"stdout:": {"format": "jsonl"}},
     {"stdout:": {"format": "jsonl", "item_classes": ["harvester.items.Document"]}}),
])
def test_command_line_feeds_are_kept_apart(feeds, apart):
    assert records_apart(feeds) == apart
