"""Topic and listing page objects against their hand-checked expected values."""

import pytest

from harvester.pages.listing import ListingPage, merge_page_query, topic_facet_id
from harvester.pages.topic import TopicPage
from tests.conftest import BASE, SITE, expected_for, listing_pages, load_json, url_of

TOPIC_PAGE = SITE / "topics" / "conversations-kim-il-sung.html"
TOPIC_FIELDS = ["slug", "title", "description", "topic_id", "popular", "listing_urls"]
LISTINGS = [(p, load_json(expected_for(p))) for p in listing_pages()]


@pytest.mark.parametrize("field", TOPIC_FIELDS)
def test_topic_page_field(field):
    page = TopicPage.from_html(TOPIC_PAGE.read_bytes(), url_of(TOPIC_PAGE))
    assert getattr(page, field)() == load_json(expected_for(TOPIC_PAGE))[field]


def test_topic_page_links_every_popular_document():
    page = TopicPage.from_html(TOPIC_PAGE.read_bytes(), url_of(TOPIC_PAGE))
    expected = load_json(expected_for(TOPIC_PAGE))
    assert page.document_urls() == [entry["url"] for entry in expected["popular"]]


def test_there_are_at_least_three_listing_pages():
    assert len(LISTINGS) >= 3


@pytest.mark.parametrize("field", ["total", "document_urls", "pager_urls"])
@pytest.mark.parametrize(("page", "expected"), LISTINGS, ids=[p.stem[-10:] for p, _ in LISTINGS])
def test_listing_page_field(page, expected, field):
    listing = ListingPage.from_html(page.read_bytes(), url_of(page))
    assert getattr(listing, field)() == expected[field]


def test_listing_entries_read_date_title_and_summary():
    page, _ = LISTINGS[0]
    entries = ListingPage.from_html(page.read_bytes(), url_of(page)).entries()
    assert all(e["title"] for e in entries)
    assert any(e["date"] is None for e in entries) or any(
        e["date"] is None for p, _ in LISTINGS[1:]
        for e in ListingPage.from_html(p.read_bytes(), url_of(p)).entries())


@pytest.mark.parametrize(("url", "topic_id"), [
    ("https://h/search?f%5B0%5D=topics%3A86466&fo%5B0%5D=86466", 86466),
    ("https://h/search?f[1]=topics:12&f[0]=people:3", 12),
    ("https://h/search?f[0]=people:3", None),
    ("https://h/search?search_api_fulltext=topics:3", None),
])
def test_topic_facet_id(url, topic_id):
    assert topic_facet_id(url) == topic_id


def test_bare_page_link_keeps_the_lists_facets():
    current = [("f[0]", "topics:1"), ("page", "2")]
    assert merge_page_query(current, [("page", "1")]) == "f%5B0%5D=topics%3A1&page=1"


def test_facet_links_are_not_pager_links():
    current = [("f[0]", "topics:1")]
    assert merge_page_query(current, [("f[0]", "people:2"), ("page", "1")]) is None
    assert merge_page_query(current, [("f[0]", "topics:1"), ("f[1]", "people:2"),
                                      ("page", "1")]) is None
    assert merge_page_query(current, [("f[0]", "people:2")]) is None
    assert merge_page_query(current, []) is None


def test_link_with_the_lists_own_facets_and_no_page_is_its_first_page():
    current = [("f[0]", "topics:1"), ("page", "2")]
    assert merge_page_query(current, [("f[0]", "topics:1")]) == "f%5B0%5D=topics%3A1"


def test_topic_index_lists_each_topic_once_in_page_order():
    from harvester.pages.topic_index import TopicIndexPage, topic_index_url

    html = ('<nav><a href="/topics">Topics</a></nav><main><ul>'
            '<li><a href="/topics/korean-war">Korean War</a></li>'
            '<li><a href="https://digitalarchive.wilsoncenter.org/topics/conversations-kim-il-sung/">'
            'Conversations</a></li><li><a href="/topics/korean-war">again</a></li>'
            '<li><a href="/topics/Bad%20Slug">bad</a></li><li><a href="/search?page=1">x</a></li>'
            '</ul></main>')
    page = TopicIndexPage.from_html(html, f"{BASE}/topics")
    assert page.slugs() == ["korean-war", "conversations-kim-il-sung"]
    assert topic_index_url(page) == f"{BASE}/topics"


def test_listing_pages_link_the_topic_index_through_the_site_menu():
    from harvester.pages.topic_index import topic_index_url

    page, _ = LISTINGS[0]
    listing = ListingPage.from_html(page.read_bytes(), url_of(page))
    assert topic_index_url(listing) == f"{BASE}/topics"
