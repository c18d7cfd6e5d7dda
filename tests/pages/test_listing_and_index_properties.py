"""Property tests of the listing and topic page objects on the mirror's pages, cut anywhere or with
their rows in any order: they still read, and give their links in the order shown. Also the page
index (content in document order, no menu or footer) and links joined the quick way giving what
urljoin gives."""

from urllib.parse import urljoin

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import html as lxml_html

from harvester.normalize.text import clean
from harvester.pages.html import absolute
from harvester.pages.index import PageIndex
from harvester.pages.listing import ListingPage
from harvester.pages.topic import TopicPage
from tests.helpers.page_changes import SETTINGS, children_with_class, orders, rearranged
from tests.helpers.pages import ROOT, SITE, listing_pages, url_of

LISTINGS = {page.name: (page.read_bytes(), url_of(page)) for page in listing_pages()}
TOPIC = SITE / "topics" / "conversations-kim-il-sung.html"


def listing_facts(page: ListingPage) -> tuple:
    facts = (page.total(), page.document_urls(), page.pager_urls(), page.entries(),
             page.topic_id())
    assert facts[0] is None or isinstance(facts[0], int)
    assert all(u.startswith("https://") and "/document/" in u for u in facts[1])
    assert all(u.startswith("https://") and "/search" in u for u in facts[2])
    return facts


@SETTINGS
@given(name=st.sampled_from(sorted(LISTINGS)), data=st.data())
def test_a_listing_cut_anywhere_still_reads(name, data):
    body, address = LISTINGS[name]
    cut = data.draw(st.integers(0, len(body)), label="cut")
    listing_facts(ListingPage.from_html(body[:cut], address))


@SETTINGS
@given(name=st.sampled_from(sorted(LISTINGS)), order=orders)
def test_listing_rows_in_any_order_give_their_links_in_that_order(name, order):
    body, address = LISTINGS[name]
    root = lxml_html.document_fromstring(body.decode("utf-8"))
    rows = children_with_class(root, "views-row")
    order = [i % len(rows) for i in order]
    links = [ListingPage(lxml_html_selector(row), address).document_urls() for row in rows]
    rearranged(rows, order)
    page = ListingPage.from_html(lxml_html.tostring(root, encoding="unicode"), address)
    expected = list(dict.fromkeys(u for i in order for u in links[i]))
    assert listing_facts(page)[1] == expected


def lxml_html_selector(element):
    from parsel import Selector

    return Selector(text=lxml_html.tostring(element, encoding="unicode"), type="html")


@SETTINGS
@given(data=st.data())
def test_the_topic_page_cut_anywhere_still_reads(data):
    body = TOPIC.read_bytes()
    cut = data.draw(st.integers(0, len(body)), label="cut")
    page = TopicPage.from_html(body[:cut], url_of(TOPIC))
    title = page.title()
    assert title is None or title == clean(title)
    assert isinstance(page.popular(), list) and isinstance(page.listing_urls(), list)
    assert all("/document/" in u for u in page.document_urls())
    assert page.topic_id() in (None, 86466)


# -- the page index ------------------------------------------------------------------------------
INDEXED = [*sorted(SITE.rglob("*.html")), *sorted((ROOT / "fixtures" / "pages").rglob("*.html"))]
CHROME_CLASS = " or ".join(f"contains(concat(' ', normalize-space(@class)), ' {name}')"
                           for name in ("mega-menu", "navbar", "site-header", "site-footer"))


def indexed(path):
    root = lxml_html.document_fromstring(path.read_bytes())
    return root, PageIndex(root, "https://digitalarchive.wilsoncenter.org/x")


def filed_positions(index: PageIndex) -> list[int]:
    return sorted({p for positions in index.tags.values() for p in positions})


@pytest.mark.parametrize("path", INDEXED, ids=[p.stem[:40] for p in INDEXED])
def test_the_index_files_content_in_document_order_with_exact_spans(path):
    root, index = indexed(path)
    positions = filed_positions(index)
    content = index.at(positions)
    in_content = set(content)
    assert content == [e for e in root.iter() if e in in_content]
    for element in content:
        assert index.inside(positions, element) == \
            [d for d in element.iterdescendants() if d in in_content]
        for name in (element.get("class") or "").split():
            assert element in index.at(index.with_class(name))


@pytest.mark.parametrize("path", INDEXED, ids=[p.stem[:40] for p in INDEXED])
def test_the_index_reads_no_menu_or_footer_and_every_title(path):
    root, index = indexed(path)
    in_content = set(index.at(filed_positions(index)))
    chrome = root.xpath("//*[self::header or self::nav or self::footer]"
                        f"[not(ancestor::main or ancestor::article)][not(.//h1)] | "
                        f"//*[{CHROME_CLASS}][not(.//h1)]")
    assert not [e for region in chrome for e in region.iter() if e in in_content]
    assert index.at(index.with_tag("h1")) == root.xpath("//h1")


def joined(base: str, href: str | None) -> str | None:
    """What `absolute` must give: the link joined by urljoin, without fragment, http(s) only."""
    if not href or href.strip().startswith(("mailto:", "javascript:", "tel:", "data:", "#")):
        return None
    try:
        url = urljoin(base, href.strip()).split("#", 1)[0]
    except ValueError:  # "//[": no URL at all
        return None
    return url if url.startswith(("http://", "https://")) else None


@SETTINGS
@given(base=st.sampled_from(["https://digitalarchive.wilsoncenter.org/document/x",
                             "HTTP://User@Host:8080/a/b/?q=1#f", "about:blank", "/relative"]),
       href=st.text("/.?#;%az:@ \t\n[]\\", max_size=16).map(lambda s: "/" + s)
       | st.text("/.?#;%az:@ \t\n", max_size=16))
def test_a_link_joined_the_quick_way_is_the_url_urljoin_gives(base, href):
    assert absolute(base, href) == joined(base, href)
