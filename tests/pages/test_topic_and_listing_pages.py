"""Topic and listing page objects against their hand-checked expected values (the variants'
fields: test_variant_pages.py), and each teaser and menu rule on small pages of its own."""

import pytest

from harvester.pages.listing import ListingPage, merge_page_query, topic_facet_id
from harvester.pages.topic import TopicPage
from tests.helpers.pages import (
    BASE,
    SITE,
    expected_for,
    listing_pages,
    load_json,
    url_of,
    variant_pages,
)

TOPIC_PAGE = SITE / "topics" / "conversations-kim-il-sung.html"
TOPIC_PAGES = [TOPIC_PAGE, *variant_pages("topics")]
TOPIC_FIELDS = ["slug", "title", "description", "topic_id", "popular", "listing_urls"]
LISTINGS = [(p, load_json(expected_for(p))) for p in listing_pages()]


@pytest.mark.parametrize("field", TOPIC_FIELDS)
def test_topic_page_field(field):
    page = TopicPage.from_html(TOPIC_PAGE.read_bytes(), url_of(TOPIC_PAGE))
    assert getattr(page, field)() == load_json(expected_for(TOPIC_PAGE))[field]


@pytest.mark.parametrize("page", TOPIC_PAGES, ids=[p.stem for p in TOPIC_PAGES])
def test_topic_page_links_every_popular_document(page):
    topic = TopicPage.from_html(page.read_bytes(), url_of(page))
    expected = load_json(expected_for(page))
    assert topic.document_urls() == [entry["url"] for entry in expected["popular"]]


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


# -- teasers in other markup ---------------------------------------------------------------------
def popular(rows: str) -> list[dict]:
    html = (f'<h1 class="title">Topic</h1><section><h2 class="title">Popular Documents</h2>'
            f'<ul>{rows}</ul></section>')
    return TopicPage.from_html(html, f"{BASE}/topics/t").popular()


def row(inside: str, slug: str = "a") -> str:
    return inside.replace("LINK", f'<a href="/document/{slug}">Title {slug}</a>')


@pytest.mark.parametrize("date_class", ["date", "card__date", "teaser__date", "teaser-date",
                                        "node_date", "field--name-field-date",
                                        "field field--name-field-date-shown field__item"])
def test_a_teaser_date_is_found_by_any_date_like_class(date_class):
    entries = popular(row(f'<li><h3>LINK</h3><span class="{date_class}">April, 1950</span>'
                          '<div>Summary.</div></li>'))
    assert [(e["date"]["edtf"], e["title"], e["summary"]) for e in entries] == \
        [("1950-04", "Title a", "Summary.")]


@pytest.mark.parametrize("name", ["update", "datepicker", "dates"])
def test_a_class_that_merely_mentions_date_is_no_date(name):
    entries = popular(row(f'<li><h3>LINK</h3><div class="{name}">April, 1950</div></li>'))
    assert (entries[0]["date"], entries[0]["summary"]) == (None, "April, 1950")


def test_a_leading_line_that_reads_as_a_date_is_the_date_and_not_the_summary():
    entries = popular("".join((
        row("<li><div>\n  July 4, 1950\n</div><h3>LINK</h3><div>Shtykov reports.</div></li>",
            "a"),
        row("<li><div></div><h3>LINK</h3><div>Undated.</div></li>", "b"),
        row("<li><p>1950</p>LINK<p>1950 was the year of the war.</p></li>", "c"),
        row("<li><div>June 25, 1950, the war began on the 38th parallel</div><h3>LINK</h3>"
            "</li>", "d"),
    )))
    assert [(e["date"] and e["date"]["edtf"], e["summary"]) for e in entries] == [
        ("1950-07-04", "Shtykov reports."),
        (None, "Undated."),
        ("1950", "1950 was the year of the war."),
        (None, "June 25, 1950, the war began on the 38th parallel"),
    ]


def test_listing_rows_without_date_classes_read_their_leading_date():
    html = ('<main><p>1 - 2 of 2</p><table><tr><td class="document"><p>March 05, 1949</p>'
            '<a href="/document/a">Stalin and Kim</a><p>They talk.</p></td></tr><tr>'
            '<td class="document"><p></p><a href="/document/b">Draft Plan</a></td></tr>'
            '</table></main>')
    entries = ListingPage.from_html(html, f"{BASE}/search").entries()
    assert [(e["date"] and e["date"]["original"], e["title"], e["summary"]) for e in entries] == \
        [("March 05, 1949", "Stalin and Kim", "They talk."), (None, "Draft Plan", None)]


# -- menus are not lists -------------------------------------------------------------------------
MENU = ('<header><nav class="navbar"><div class="mega-menu"><a href="/topics/korean-war">Korean'
        ' War (703)</a><a href="/search?f%5B0%5D=topics%3A1&amp;fo%5B0%5D=1">Browse all '
        'documents</a><a href="/document/featured">Featured</a></div></nav></header>')
FOOTER = '<footer><h3>Topics</h3><a href="/topics/cold-war">Cold War</a></footer>'


def test_a_topic_page_reads_its_list_and_documents_from_its_content_only():
    html = (f'{MENU}<main><h1 class="title">Topic</h1><a href="/document/mine">Mine</a>'
            '<a href="/search?f%5B0%5D=topics%3A2&amp;fo%5B0%5D=2">View all documents</a>'
            f'</main>{FOOTER}{MENU}')
    page = TopicPage.from_html(html, f"{BASE}/topics/t")
    assert page.topic_id() == 2
    assert page.listing_urls() == [f"{BASE}/search?f%5B0%5D=topics%3A2&fo%5B0%5D=2"]
    assert page.document_urls() == [f"{BASE}/document/mine"]


def test_the_topic_index_lists_the_topics_of_its_content_not_of_its_menus():
    from harvester.pages.topic_index import TopicIndexPage, topic_index_url

    html = (f'{MENU}<main><ul><li><a href="/topics/sino-soviet-split">Sino-Soviet Split</a></li>'
            f'</ul></main>{FOOTER}')
    page = TopicIndexPage.from_html(html, f"{BASE}/topics")
    assert page.slugs() == ["sino-soviet-split"]
    assert topic_index_url(TopicIndexPage.from_html(MENU.replace(
        "/topics/korean-war", "/topics"), f"{BASE}/search")) == f"{BASE}/topics"
