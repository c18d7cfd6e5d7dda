"""A feed file (`scrapy crawl … -O file`, `-o file`, FEEDS) is written aside and put in place
only when the run is published: a refused run leaves the last good feed as it was."""

import pytest

from tests.helpers.crawls import scrapy_crawl
from tests.helpers.pages import read_jsonl
from tests.helpers.serving import served_here

# The bundled topic's list shows 20 of the 21 documents its counter claims: held to no
# shortfall at all, a complete run is refused once it has crawled everything.
REFUSED = ("-s", "HARVESTER_TOPIC_SHORTFALL=0")


@pytest.fixture(scope="module")
def url():
    with served_here() as served:
        yield served


def test_a_refused_run_leaves_the_last_good_feed_as_it_was(url, tmp_path):
    feed = tmp_path / "docs.jsonl"
    good = scrapy_crawl(url, tmp_path / "out", "-O", str(feed))
    assert good.returncode == 0, good.stderr
    before = feed.read_bytes()
    assert len(read_jsonl(feed)) == 19
    refused = scrapy_crawl(url, tmp_path / "out", "-O", str(feed), *REFUSED)
    assert refused.returncode == 1
    assert "shows 20 of the 21 documents its counter claims" in refused.stderr
    assert feed.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs-topics.jsonl", "docs.jsonl",
                                                          "out"]


def test_an_appended_feed_grows_only_by_a_published_run(url, tmp_path):
    feed = tmp_path / "docs.jsonl"
    assert scrapy_crawl(url, tmp_path / "out", "-o", str(feed)).returncode == 0
    assert scrapy_crawl(url, tmp_path / "out", "-o", str(feed)).returncode == 0
    assert len(read_jsonl(feed)) == 38
    before = feed.read_bytes()
    assert scrapy_crawl(url, tmp_path / "out", "-o", str(feed), *REFUSED).returncode == 1
    assert feed.read_bytes() == before
