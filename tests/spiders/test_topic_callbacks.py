"""The topic spider's callbacks, called one at a time on the bundled mirror's saved pages:
`start`, `parse_topic` and `topic_failed`, `parse_listing` and `list_page_failed` (with the
walk's end, `rewalk_requests`), and exactly what each yields and tells the run."""

import pytest
from scrapy import Request

from harvester.items import Reject, Topic
from harvester.middlewares.control import Refused
from harvester.spiders.topic import TopicSpider
from tests.helpers.pages import BASE, expected_for, load_json
from tests.helpers.spider_fakes import (
    answer,
    call,
    fail,
    failure,
    fake_run,
    http_error,
    requested,
    saved,
    started,
    timed_out,
)

SLUG = "conversations-kim-il-sung"
TOPIC_URL = f"{BASE}/topics/{SLUG}"
LISTING = f"{BASE}/search?f%5B0%5D=topics%3A86466&fo%5B0%5D=86466"
KEY = ("/search", (("f[0]", "topics:86466"), ("fo[0]", "86466")))
TOPIC = load_json(expected_for(saved(TOPIC_URL)))
POPULAR = [entry["url"] for entry in TOPIC["popular"]]


def page_url(number: int) -> str:
    return LISTING + (f"&page={number}" if number else "")


def listed_on(number: int) -> list[str]:
    """The document links the listing's page shows, as its hand-checked file says."""
    return load_json(expected_for(saved(page_url(number))))["document_urls"]


def documents(urls: list[str]) -> list[tuple]:
    return [(url, "parse_document", "document_failed", {}) for url in urls]


def pages(*numbers: int) -> list[tuple]:
    return [(page_url(n), "parse_listing", "list_page_failed",
             {"slug": SLUG, "key": KEY, "number": n}) for n in numbers]


def first_listing_page(fake) -> Request:
    """Start, answer the topic page; the request for its list's first page."""
    [request] = started(fake.spider)
    *_, listing = call(request, answer(request))
    fake.run.told.clear()
    return listing


# -- start, parse_topic, topic_failed -------------------------------------------------------------
def test_start_asks_for_each_topic_page_named_once_in_order(tmp_path):
    fake = fake_run(TopicSpider, tmp_path / "out", base_url=BASE,
                    topics="korean-war, conversations-kim-il-sung,korean-war")
    try:
        assert requested(started(fake.spider)) == [
            (f"{BASE}/topics/{slug}", "parse_topic", "topic_failed", {"slug": slug})
            for slug in ("korean-war", SLUG)]
    finally:
        fake.close()


def test_a_topic_page_gives_its_topic_its_popular_documents_and_its_lists_first_page(topic):
    [request] = started(topic.spider)

    steps = call(request, answer(request))

    fields = {k: v for k, v in TOPIC.items() if k != "listing_urls"}
    assert steps[0] == Topic(**fields)
    assert requested(steps[1:]) == documents(POPULAR) + pages(0)
    assert len(steps) == 1 + len(POPULAR) + 1
    assert TOPIC["listing_urls"] == [LISTING]
    assert topic.run.told == [("listed", POPULAR, SLUG)]
    assert topic.run.findings.incomplete == []


def test_a_topic_page_cut_before_its_title_gives_nothing_and_leaves_the_run_incomplete(topic):
    [request] = started(topic.spider)

    assert call(request, answer(request, saved(TOPIC_URL).read_bytes()[:3000])) == []
    assert topic.run.findings.incomplete == [f"{TOPIC_URL}: topic page has no title"]
    assert topic.run.told == []


def test_a_document_link_too_long_to_request_is_a_reject(tmp_path):
    fake = fake_run(TopicSpider, tmp_path / "out", {"URLLENGTH_LIMIT": 100}, base_url=BASE)
    try:
        [request] = started(fake.spider)
        steps = call(request, answer(request))
    finally:
        fake.close()
    long = [url for url in POPULAR if len(url) > 100]
    assert [s for s in steps if isinstance(s, Reject)] == [
        Reject(url=url, reason="URL too long to request (over URLLENGTH_LIMIT 100)", field=None)
        for url in long]
    assert requested(steps) == documents([u for u in POPULAR if u not in long]) + pages(0)
    assert len(long) == 3


@pytest.mark.parametrize("status", [404, 410])
def test_a_topic_page_the_site_does_not_have_is_an_unknown_topic(topic, status):
    [request] = started(topic.spider)

    assert topic.spider.topic_failed(http_error(request, status)) is None
    assert topic.run.findings.unknown_topics == {SLUG: f"{TOPIC_URL} answered HTTP {status}"}
    assert topic.run.findings.incomplete == []


@pytest.mark.parametrize(("failed", "reason"), [
    (timed_out, f"DownloadTimeoutError: Getting {TOPIC_URL} took longer than 180.0 seconds."),
    (lambda r: http_error(r, 500, retries=2), "HTTP 500 after 3 attempts"),
    (lambda r: failure(r, Refused("bot challenge instead of the page (window._cf_chl_opt)")),
     "bot challenge instead of the page (window._cf_chl_opt)"),
], ids=["timeout", "500", "challenge"])
def test_a_topic_page_that_fails_otherwise_leaves_the_run_incomplete(topic, failed, reason):
    [request] = started(topic.spider)

    topic.spider.topic_failed(failed(request))

    assert topic.run.findings.incomplete == [f"{TOPIC_URL}: {reason}"]
    assert topic.run.findings.unknown_topics == {}
    assert topic.stats["harvester/incomplete"] == 1


# -- parse_listing, list_page_failed --------------------------------------------------------------
def test_the_lists_first_page_tells_its_counter_and_links_and_asks_for_the_pages_it_implies(
        topic):
    request = first_listing_page(topic)

    steps = call(request, answer(request))

    assert requested(steps) == documents([u for u in listed_on(0) if u not in POPULAR]) + \
        pages(1, 2)
    assert len(steps) == len(requested(steps))
    assert topic.run.told == [("counter", SLUG, LISTING, 21, 86466),
                              ("listed", listed_on(0), SLUG)]


def test_the_walk_ends_at_the_last_page_the_counter_implies_and_is_whole(topic):
    first = first_listing_page(topic)
    page_1, page_2 = call(first, answer(first))[-2:]

    last = call(page_2, answer(page_2))
    middle = call(page_1, answer(page_1))

    assert requested(last) == documents(listed_on(2))
    asked = set(listed_on(0)) | set(POPULAR) | set(listed_on(2))
    assert requested(middle) == documents([u for u in listed_on(1) if u not in asked])
    assert [t[:2] for t in topic.run.told] == [
        ("counter", SLUG), ("listed", listed_on(0)), ("counter", SLUG), ("listed", listed_on(2)),
        ("counter", SLUG), ("listed", listed_on(1))]
    assert list(topic.spider.rewalk_requests()) == []
    assert topic.run.findings.incomplete == []
    assert topic.spider.progress_total() == 21


def test_an_incremental_walk_stops_at_a_page_with_nothing_new_and_asks_for_no_known_document(
        next_topic_run):
    fake = next_topic_run(incremental="true")
    [request] = started(fake.spider)
    *known, listing = call(request, answer(request))
    assert known == [Topic(**{k: v for k, v in TOPIC.items() if k != "listing_urls"})]
    fake.run.told.clear()

    steps = call(listing, answer(listing))

    # No next page, and of the page's documents only the one rejected before (no title), in
    # case it was mended, uncounted: it says nothing about the site if it fails again.
    [untitled] = [url for url in listed_on(0) if "chinese-peoples-volunteers" in url]
    assert requested(steps) == documents([untitled])
    assert "counted" not in steps[0].meta
    assert fake.run.told == [("counter", SLUG, LISTING, 21, 86466),
                             ("listed", listed_on(0), SLUG)]
    assert fake.spider.walks[KEY].finished
    assert fake.spider.progress_total() is None


def test_a_later_page_that_answers_404_is_where_the_list_may_end(topic, caplog):
    first = first_listing_page(topic)
    page_1, page_2 = call(first, answer(first))[-2:]

    assert fail(page_2, http_error(page_2, 404)) == []
    assert topic.run.findings.incomplete == []
    call(page_1, answer(page_1))

    # The counter says 21, the pages show 20: the missing page is why, and the run says so.
    assert list(topic.spider.rewalk_requests()) == []
    assert topic.run.findings.incomplete == [f"{page_url(2)}: HTTP 404"]
    assert topic.stats["harvester/incomplete"] == 1


def test_a_first_page_that_fails_fails_the_list_and_asks_for_no_other(topic):
    first = first_listing_page(topic)

    assert fail(first, http_error(first, 503, retries=2)) == []

    assert topic.run.findings.incomplete == [f"{LISTING}: HTTP 503 after 3 attempts"]
    assert list(topic.spider.rewalk_requests()) == []
    assert topic.run.findings.incomplete == [f"{LISTING}: HTTP 503 after 3 attempts"]
    assert topic.run.told == []


def test_a_middle_page_that_times_out_fails_the_list_but_the_walk_goes_on(topic):
    first = first_listing_page(topic)
    page_1, page_2 = call(first, answer(first))[-2:]

    assert fail(page_1, timed_out(page_1)) == []
    assert requested(call(page_2, answer(page_2))) == documents(listed_on(2))

    assert topic.run.findings.incomplete == [
        f"{page_url(1)}: DownloadTimeoutError: Getting {page_url(1)} took longer than 180.0 "
        "seconds."]
    assert topic.spider.walks[KEY].settled == 2
