"""The `topic-index` spider's callbacks (`harvester topics --site`), called one at a time on
saved pages: `start`, `parse` (the index, a page that is not HTML) and `failed`, and what each
leaves in the `TopicIndexRead` the command hands the spider."""

import json

import pytest
from scrapy.http import Response

from harvester.middlewares.control import Refused
from harvester.spiders.topic_index import TopicIndexRead, TopicIndexSpider
from tests.helpers.pages import BASE
from tests.helpers.spider_fakes import (
    answer,
    call,
    fail,
    failure,
    http_error,
    made_spider,
    requested,
    started,
    unresolved,
)

INDEX = f"{BASE}/topics"


@pytest.fixture
def index(tmp_path):
    _, spider = made_spider(TopicIndexSpider, tmp_path / "out", base_url=BASE + "/")
    return spider


def read(spider) -> TopicIndexRead:
    return spider.read


def test_start_asks_for_the_topic_index_of_the_site(index):
    assert requested(started(index)) == [(INDEX, "parse", "failed", {})]


def test_the_index_gives_every_topic_it_lists_in_page_order(index, synth_site):
    [request] = started(index)

    assert call(request, answer(request, (synth_site / "topics.html").read_bytes())) == []

    listed = [json.loads(line)["slug"] for line in
              (synth_site / "_expected" / "topics.jsonl").read_text("utf-8").splitlines()]
    assert read(index) == TopicIndexRead(slugs=listed)
    assert listed == ["conversations-kim-il-sung", "korean-war", "sino-soviet-split"]


def test_a_page_without_topics_lists_none_and_fails_nothing(index):
    [request] = started(index)

    call(request, answer(request, b"<html><body><main><h1>Topics</h1></main></body></html>"))

    assert read(index) == TopicIndexRead(slugs=[])


def test_an_answer_that_is_not_html_is_said(index):
    [request] = started(index)

    call(request, Response(INDEX, body=b"{}", request=request,
                           headers={"Content-Type": "application/json"}))

    assert read(index) == TopicIndexRead(failure="not an HTML page")


@pytest.mark.parametrize(("failed", "said"), [
    (lambda r: http_error(r, 404), "HTTP 404"),
    (unresolved, "CannotResolveHostError: DNS lookup failed: no results for hostname lookup: "
                 "digitalarchive.wilsoncenter.org."),
    (lambda r: failure(r, Refused("bot challenge instead of the page (window._cf_chl_opt)")),
     "bot challenge instead of the page (window._cf_chl_opt)"),
], ids=["404", "dns", "challenge"])
def test_an_index_that_fails_says_why(index, failed, said):
    [request] = started(index)

    assert fail(request, failed(request)) == []
    assert read(index) == TopicIndexRead(failure=said)


def test_the_read_handed_to_the_spider_is_the_one_it_fills(tmp_path):
    given = TopicIndexRead()
    _, spider = made_spider(TopicIndexSpider, tmp_path / "out", base_url=BASE, read=given)
    [request] = started(spider)

    fail(request, http_error(request, 503))

    assert given == TopicIndexRead(failure="HTTP 503")
    assert spider.crawler.stats.get_stats() == {}   # the stats observe; they carry nothing
