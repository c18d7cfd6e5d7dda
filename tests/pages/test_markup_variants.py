"""The same documents in markup that varies as the site's notes allow: same records.

Each variant rewrites every saved document page (headings h3↔h4, pills without their inner
span, information blocks reordered and relabelled, the title without its class, extra
whitespace, the real site's mega-menus and footer in place of the mirror's small ones, ...) and
the page object must still give the hand-checked record.
"""

import copy
import re

import pytest
from lxml import html

from harvester.items import to_record
from harvester.pages.document import DocumentPage
from tests.helpers.pages import (
    ROOT,
    all_document_pages,
    expected_for,
    load_json,
    url_of,
    without_provenance,
)

VALID = [p for p in all_document_pages() if "reject" not in load_json(expected_for(p))]


def has_class(node, name: str) -> bool:
    return name in (node.get("class") or "").split()


def swap_heading_levels(tree):
    for node in tree.iter("h3", "h4"):
        node.tag = "h4" if node.tag == "h3" else "h3"


def unwrap_name_spans(tree):
    for span in tree.xpath("//*[contains(@class, 'name')]/span"):
        span.drop_tag()


def reverse_information_blocks(tree):
    blocks = [n for n in tree.iter() if has_class(n, "information-block")]
    parents = {b.getparent() for b in blocks}
    for parent in parents:
        children = [b for b in blocks if b.getparent() is parent]
        anchor = children[0].getprevious()
        for block in children:
            parent.remove(block)
        position = parent.index(anchor) + 1 if anchor is not None else 0
        for block in children:  # inserted one by one at the same place: reversed order
            parent.insert(position, block)


def relabel_with_colons_and_case(tree):
    """Information block labels only: a related document's `h3.sub-title` is its linked title."""
    for label in tree.xpath("//*[contains(@class, 'information-block')]"
                            "//*[contains(@class, 'sub-title')]"):
        text = label.text_content().strip()
        for child in list(label):
            label.remove(child)
        label.text = f"  {text.upper()}: "


def drop_title_class(tree):
    for h1 in tree.iter("h1"):
        h1.attrib.pop("class", None)


def pad_text_with_spaces(tree):
    for node in tree.iter():
        if isinstance(node.tag, str) and node.tag not in ("script", "style") and node.text:
            node.text = re.sub(" ", " \u00a0 ", node.text)


def drop_value_class(tree):
    """Information values without their `.text` class: the block minus its label is read."""
    for node in tree.xpath("//*[contains(@class, 'information-block')]//*[@class='text']"):
        node.attrib.pop("class")


def labels_as_headings(tree):
    for label in tree.xpath("//*[contains(@class, 'sub-title')]"):
        label.tag = "h4"
        label.attrib.pop("class")


CHROME = ROOT / "fixtures" / "chrome"


def in_real_site_chrome(tree):
    """The real site's header (mega-menus of people, places and topics cards) and footer (h3
    "Topics", "People", "Places" over lists of links): a page without those sections of its
    own must not take them from the chrome."""
    for tag in ("header", "footer"):
        shared = html.fragment_fromstring((CHROME / f"{tag}.html").read_text("utf-8"),
                                          create_parent="div").find(tag)
        old = tree.find(f".//{tag}")
        old.addnext(shared)
        old.getparent().remove(old)


VARIANTS = [in_real_site_chrome, drop_value_class, labels_as_headings, swap_heading_levels,
            unwrap_name_spans, reverse_information_blocks, relabel_with_colons_and_case,
            drop_title_class, pad_text_with_spaces]


def comparable(record: dict) -> dict:
    return without_provenance(record)


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.__name__ for v in VARIANTS])
@pytest.mark.parametrize("page", VALID, ids=[p.stem[:40] for p in VALID])
def test_variant_markup_gives_the_same_record(page, variant):
    tree = html.fromstring(page.read_bytes())
    changed = copy.deepcopy(tree)
    variant(changed)
    markup = html.tostring(changed, encoding="unicode")
    record = DocumentPage.from_html(markup, url_of(page)).record()
    assert comparable(to_record(record)) == comparable(load_json(expected_for(page)))
