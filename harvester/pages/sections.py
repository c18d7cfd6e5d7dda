"""Finding labelled sections by their headings and reading their pills and blocks.

The archive's markup is known from text captures, scrapers' selectors and saved pages, so
everything here anchors on labels and classes, never on positions. Every "inside" question is
answered by the page's index (harvester/pages/index.py).
"""

import re
from collections.abc import Callable, Iterator

from harvester.normalize.text import clean
from harvester.pages.html import inline_text, text_blocks
from harvester.pages.index import HEADING_TAGS, Element, PageIndex, classes_of

MAX_LABEL = 60
_BODY_LIMITS = frozenset(("main", "body", "section", "article"))


def label_key(text: str | None) -> str:
    """A label reduced for matching: lower case, '&' as 'and', no trailing colon."""
    text = (clean(text) or "").lower().replace("&", "and")
    return re.sub(r"[\s:：]+$", "", text)


def starts(*prefixes: str) -> Callable[[str], bool]:
    """A label test: the label begins with one of the prefixes (labels, not page titles)."""
    return lambda label: len(label) <= MAX_LABEL and label.startswith(prefixes)


Headings = list[tuple[str, Element]]


def heading_index(index: PageIndex) -> Headings:
    """(label, heading) of every section heading (h2–h6, never the page's h1), read once."""
    return [(label_key(inline_text(node)), node) for node in index.at(index.section_headings)]


def headings(found: Headings, matches: Callable[[str], bool]) -> Iterator[Element]:
    """Headings whose label matches, in page order."""
    return (node for label, node in found if matches(label))


def section_body(index: PageIndex, heading: Element) -> Element | None:
    """Where a heading's values live: its `.pill-block`, else its next sibling element."""
    for ancestor in heading.iterancestors():
        names = classes_of(ancestor)
        if "pill-block" in names or "information-block" in names:
            return ancestor
        if ancestor.tag in _BODY_LIMITS or ancestor not in index.position:
            break
        if index.count_inside(index.headings, ancestor) > 1:
            break
    sibling = heading.getnext()
    while sibling is not None and not isinstance(sibling.tag, str):
        sibling = sibling.getnext()
    return sibling


def find_section(index: PageIndex, found: Headings,
                 matches: Callable[[str], bool]) -> Element | None:
    for heading in headings(found, matches):
        body = section_body(index, heading)
        if body is not None:
            return body
    return None


def pills(index: PageIndex, container: Element | None,
          links: bool = True) -> list[tuple[str, str | None]]:
    """(name, link) of each pill: `.pill .name span`, `.pill .name`, or the pill's own text.

    With no `.pill` at all, the container's links stand in for pills unless `links` is False.
    """
    if container is None or container not in index.position:
        return []
    values: list[tuple[str, str | None]] = []
    limit = -1
    # A pill nested in another pill (a wrapper div and its link) is read once, at the outer one.
    for pill in index.inside(index.with_class("pill"), container):
        if index.start(pill) <= limit:
            continue
        limit = index.end(pill)
        name = _pill_name(index, pill)
        if name:
            values.append((name, _pill_link(pill)))
    if values or not links:
        return values
    return [(name, a.get("href")) for a in index.inside(index.links, container)
            if (name := inline_text(a)) and not _is_heading_text(a)]


def _pill_name(index: PageIndex, pill: Element) -> str | None:
    names = index.inside(index.with_class("name"), pill)
    spans = index.with_tag("span")
    first: Element | None = None
    for name in names:
        span = index.first_inside(spans, name)
        if span is not None and (first is None or index.start(span) < index.start(first)):
            first = span
    if first is not None:
        return inline_text(first)
    return inline_text(names[0] if names else pill)


def _pill_link(pill: Element) -> str | None:
    if pill.tag == "a" and pill.get("href"):
        return pill.get("href")
    for link in pill.iterdescendants("a"):
        if link.get("href") is not None:
            return link.get("href")
    for link in pill.iterancestors("a"):
        if link.get("href") is not None:
            return link.get("href")
    return None


def _is_heading_text(node: Element) -> bool:
    return node.tag in HEADING_TAGS or any(a.tag in HEADING_TAGS for a in node.iterancestors())


def information_blocks(index: PageIndex) -> dict[str, Element]:
    """Document Information blocks by label (`.information-block` or `dt`/`dd` pairs)."""
    blocks: dict[str, Element] = {}
    for block in index.at(index.with_class("information-block")):
        label = index.first_inside(index.with_class("sub-title"), block)
        if label is None:
            label = index.first_inside(index.headings, block)
        if label is not None:
            blocks.setdefault(label_key(inline_text(label)), block)
    for term in index.at(index.with_tag("dt")):
        value = term.getnext()
        if value is not None and value.tag == "dd":
            blocks.setdefault(label_key(inline_text(term)), value)
    return blocks


def block_value(index: PageIndex, block: Element) -> Element:
    """The value part of an information block: its `.text`, else the block itself."""
    found = index.first_inside(index.with_class("text"), block)
    return block if found is None else found


def block_text_value(index: PageIndex, block: Element) -> str | None:
    """An information block's value on one line: its `.text`, else everything in the block
    but its label."""
    value = block_value(index, block)
    if value is not block:
        return inline_text(value)
    labels = {*index.inside(index.with_class("sub-title"), block),
              *index.inside(index.headings, block)}
    parts = []
    for child in block:
        if child in labels or not isinstance(child.tag, str):
            if child.tail:
                parts.append(child.tail)
            continue
        parts.append(inline_text(child) or "")
        if child.tail:
            parts.append(child.tail)
    return clean(" ".join([block.text or "", *parts]))


def value_lines(index: PageIndex, block: Element) -> list[str]:
    """A block's value as separate lines (pills, else paragraphs and `;`-separated parts)."""
    named = [name for name, _ in pills(index, block, links=False)]
    if named:
        return named
    value = block_value(index, block)
    label_texts = {inline_text(n) for n in index.inside(index.with_class("sub-title"), block)}
    lines: list[str] = []
    for chunk in text_blocks(value):
        for part in chunk.split(";"):
            cleaned = clean(part)
            if cleaned and cleaned not in label_texts:
                lines.append(cleaned)
    return lines
