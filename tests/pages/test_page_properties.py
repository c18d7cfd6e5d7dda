"""Property tests of the page objects on the mirror's pages, changed the ways real pages change:
sections dropped, reordered or duplicated, whitespace and Unicode anywhere, documents cut off.
No exception ever escapes; every document page gives a record valid against the published
schema or a reject naming the field and the reason; and where the change cannot alter the
meaning, the record is exactly the unchanged page's."""

import copy
import re
from dataclasses import replace
from urllib.parse import urljoin

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from harvester.items import to_record
from harvester.items.validation import problems
from harvester.normalize.text import clean
from harvester.pages.document import INFO_LABELS, DocumentPage, MissingField
from harvester.pages.html import absolute
from harvester.pages.index import PageIndex
from harvester.pages.listing import ListingPage
from harvester.pages.sections import label_key
from harvester.pages.topic import TopicPage
from tests.helpers.pages import ROOT, SITE, all_document_pages, listing_pages, url_of

PATHS = {page.name: page for page in all_document_pages()}
PAGES = {name: page.read_text("utf-8") for name, page in PATHS.items()}
TITLED = sorted(name for name, text in PAGES.items() if "<h1" in text)
SETTINGS = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
WHITESPACE = [" ", "  ", "\t", "\n", "\r\n", "\xa0", "\u2003", "\u3000", " \n\t "]
RUN_OF_SPACES = re.compile(r"\s+")
FIELD_OF_LABEL = {label: field for field, labels in INFO_LABELS.items() for label in labels}
EMPTY = {"places": [], "topics": [], "subjects": []}
PILL_FIELDS = {"associated places": "places", "associated topics": "topics",
               "subjects discussed": "subjects"}


def url(name: str) -> str:
    return url_of(PATHS[name])


def tree(name: str):
    return lxml_html.document_fromstring(PAGES[name])


def outcome(root_or_text, name: str):
    """("record", record) or ("reject", field), as the crawl's page object and validation step
    decide; any exception fails the test, and every reject must carry a reason."""
    text = root_or_text if isinstance(root_or_text, (str, bytes)) else \
        lxml_html.tostring(root_or_text, encoding="unicode")
    try:
        document = DocumentPage.from_html(text, url(name)).record()
    except MissingField as missing:
        assert missing.reason and missing.field in ("title", "record_id")
        return "reject", missing.field
    record = to_record(replace(document, retrieved_at="2026-01-01T00:00:00Z"))
    found = problems(record, "document")
    if found:  # the validation step turns it into a reject: "schema: <message>"
        field, message = found[0]
        assert message
        return "reject", field
    return "record", record


def children_with_class(root, name: str):
    return root.xpath(f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


def rearranged(elements: list, order: list[int]) -> None:
    """Put copies of `elements` where the first of them was, in `order`; an index may repeat
    (a duplicated section) or be left out (a dropped one)."""
    if not elements:
        return
    parent = elements[0].getparent()
    position = parent.index(elements[0])
    copies = [copy.deepcopy(elements[i]) for i in order]
    for element in elements:
        element.getparent().remove(element)
    for offset, element in enumerate(copies):
        parent.insert(position + offset, element)


orders = st.lists(st.integers(0, 20), max_size=14)


@SETTINGS
@given(name=st.sampled_from(sorted(PAGES)), order=orders)
def test_information_blocks_dropped_reordered_or_repeated(name, order):
    root = tree(name)
    blocks = children_with_class(root, "information-block")
    order = [i % len(blocks) for i in order] if blocks else []
    kept_labels = {label_key(blocks[i].xpath(".//*[contains(@class,'sub-title')]")[0]
                             .text_content()) for i in order}
    dropped = {FIELD_OF_LABEL.get(label_key(b.xpath(".//*[contains(@class,'sub-title')]")[0]
                                            .text_content())) for b in blocks} - \
        {FIELD_OF_LABEL.get(label) for label in kept_labels}
    before = outcome(tree(name), name)
    rearranged(blocks, order)
    after = outcome(root, name)
    if before[0] == "reject":
        assert after[0] == "reject"
    elif "record_id" in dropped:
        assert after == ("reject", "record_id")
    else:
        want = dict(before[1])
        for field in dropped - {None}:
            want[field] = [] if isinstance(want[field], list) else None
        if "donors" in dropped:  # the credit line still names its donors
            want["donors"] = donors_left(before[1]["donors"], after[1]["donors"],
                                         text_of(root, "donated"))
        assert after == ("record", want)


def text_of(root, name: str) -> str:
    return " ".join(e.text_content() for e in children_with_class(root, name))


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def donors_left(before: list[str], after: list[str], remaining: str) -> list[str]:
    """Donors once one of their two places is gone: those the remaining place names, and
    only those."""
    left, kept = fold(remaining), {fold(d) for d in after}
    assert kept <= {fold(d) for d in before}
    assert all(fold(d) in left for d in after)
    assert not [d for d in before if fold(d) not in kept and fold(d) in left]
    return after


@SETTINGS
@given(name=st.sampled_from(sorted(PAGES)), order=orders)
def test_pill_sections_dropped_reordered_or_repeated(name, order):
    root = tree(name)
    blocks = children_with_class(root, "pill-block")
    order = [i % len(blocks) for i in order] if blocks else []
    label = lambda block: label_key(block.xpath(".//*[self::h3 or self::h4]")[0].text_content())  # noqa: E731
    dropped = {label(b) for b in blocks} - {label(blocks[i]) for i in order}
    before = outcome(tree(name), name)
    rearranged(blocks, order)
    after = outcome(root, name)
    if before[0] == "reject":
        assert after[0] == "reject"
        return
    want = dict(before[1])
    for gone in dropped:
        if gone in PILL_FIELDS:
            want[PILL_FIELDS[gone]] = EMPTY[PILL_FIELDS[gone]]
        elif gone.startswith("associated people"):
            want["people"] = [p for p in want["people"] if p["role"] != "associated"]
        elif gone.startswith("document contributor"):
            want["people"] = [p for p in want["people"] if p["role"] != "contributor"]
    assert after == ("record", want)


HEADER_SECTIONS = {  # class of the section → the field it fills (the credit line names donors too)
    "text-block": ("summary", None), "donated": ("credit", None),
    "related-documents": ("related", []),
}


@SETTINGS
@given(name=st.sampled_from(sorted(PAGES)),
       dropped=st.sets(st.sampled_from(sorted(HEADER_SECTIONS))))
def test_header_sections_dropped_empty_exactly_their_fields(name, dropped):
    root = tree(name)
    for section in dropped:
        for element in children_with_class(root, section):
            element.getparent().remove(element)
    before = outcome(tree(name), name)
    if before[0] == "reject":
        assert outcome(root, name)[0] == "reject"
        return
    want = dict(before[1])
    for section in dropped:
        field, empty = HEADER_SECTIONS[section]
        want[field] = empty
    after = outcome(root, name)
    if "donated" in dropped:  # the Donors block still names its donors
        want["donors"] = donors_left(before[1]["donors"], after[1]["donors"],
                                     donors_block_text(root))
    assert after == ("record", want)


def donors_block_text(root) -> str:
    return " ".join(b.text_content() for b in children_with_class(root, "information-block")
                    if FIELD_OF_LABEL.get(label_key(b.xpath(".//*[contains(@class,'sub-title')]")[0]
                                                    .text_content())) == "donors")


@SETTINGS
@given(name=st.sampled_from(TITLED))
def test_a_page_without_its_title_is_a_title_reject(name):
    root = tree(name)
    for heading in root.xpath("//h1"):
        heading.getparent().remove(heading)
    assert outcome(root, name) == ("reject", "title")


@SETTINGS
@given(name=st.sampled_from(sorted(PAGES)), random=st.randoms(use_true_random=False))
def test_any_whitespace_for_whitespace_changes_nothing(name, random):
    root = tree(name)
    respaced = lambda text: RUN_OF_SPACES.sub(lambda _: random.choice(WHITESPACE), text)  # noqa: E731
    for element in root.iter():
        if element.tag in ("script", "style") or not isinstance(element.tag, str):
            continue
        if element.text:
            element.text = respaced(element.text)
        if element.tail:
            element.tail = respaced(element.tail)
    assert outcome(root, name) == outcome(tree(name), name)


text_anywhere = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")),
                        max_size=40)


@SETTINGS
@given(name=st.sampled_from(TITLED), title=text_anywhere, source=text_anywhere)
def test_any_unicode_in_the_title_and_a_block_comes_out_as_shown(name, title, source):
    root = tree(name)
    heading = root.xpath("//h1")[0]
    for child in list(heading):
        heading.remove(child)
    heading.text = title
    for block in children_with_class(root, "information-block"):
        label = label_key(block.xpath(".//*[contains(@class,'sub-title')]")[0].text_content())
        value = block.xpath(".//*[contains(concat(' ', @class, ' '), ' text ')]")
        if FIELD_OF_LABEL.get(label) == "source" and value:
            for child in list(value[0]):
                value[0].remove(child)
            value[0].text = source
    result = outcome(root, name)
    if clean(title) is None:
        assert result == ("reject", "title")
        return
    assert result[0] == "record" and result[1]["title"] == clean(title)
    if "Source" in PAGES[name]:
        assert result[1]["source"] == clean(source)


@SETTINGS
@given(name=st.sampled_from(sorted(PAGES)), data=st.data())
def test_a_page_cut_anywhere_is_a_valid_record_or_a_reject(name, data):
    body = PAGES[name].encode("utf-8")
    cut = data.draw(st.integers(0, len(body)), label="cut")
    outcome(body[:cut], name)  # bytes: decoded as a response would be


@SETTINGS
@given(name=st.sampled_from(sorted(PAGES)), junk=st.binary(max_size=64), data=st.data())
def test_random_bytes_spliced_in_are_a_valid_record_or_a_reject(name, junk, data):
    body = PAGES[name].encode("utf-8")
    at = data.draw(st.integers(0, len(body)), label="at")
    outcome(body[:at] + junk + body[at:], name)


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
