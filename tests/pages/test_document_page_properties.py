"""Property tests of the document page object on the mirror's document pages, changed the ways real
pages change: sections dropped, reordered or duplicated, whitespace and Unicode anywhere, documents
cut off. No exception ever escapes; every document page gives a record valid against the published
schema or a reject naming the field and the reason; and where the change cannot alter the meaning,
the record is exactly the unchanged page's. The listing, topic and index properties are in
test_listing_and_index_properties."""

import re
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st
from lxml import html as lxml_html

from harvester.items import to_record
from harvester.items.validation import problems
from harvester.normalize.text import clean
from harvester.pages.document import INFO_LABELS, DocumentPage, MissingField
from harvester.pages.sections import label_key
from tests.helpers.page_changes import SETTINGS, children_with_class, orders, rearranged
from tests.helpers.pages import all_document_pages, url_of

PATHS = {page.name: page for page in all_document_pages()}
PAGES = {name: page.read_text("utf-8") for name, page in PATHS.items()}
TITLED = sorted(name for name, text in PAGES.items() if "<h1" in text)
WHITESPACE = [" ", "  ", "\t", "\n", "\r\n", "\xa0", "\u2003", "\u3000", " \n\t "]
RUN_OF_SPACES = re.compile(r"\s+")
FIELD_OF_LABEL = {label: field for field, labels in INFO_LABELS.items() for label in labels}
# A pill section -> the fields it fills, each empty without it.
PILL_FIELDS = {"associated places": ("places", "place_links"),
               "associated topics": ("topics",),
               "subjects discussed": ("subjects", "subject_links")}


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
            want.update(dict.fromkeys(PILL_FIELDS[gone], []))
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
