"""Finding labelled sections by their headings and reading their pills and blocks.

The archive's markup is known only from text captures and scrapers' selectors, so everything
here anchors on labels and classes, never on positions.
"""

import re
from collections.abc import Callable, Iterator

from lxml import html as lxml_html

from harvester.normalize.text import clean
from harvester.pages.html import has_class, inline_text, text_blocks

HEADINGS = "self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6"
SECTION_HEADINGS = "self::h2 or self::h3 or self::h4 or self::h5 or self::h6"
MAX_LABEL = 60
Element = lxml_html.HtmlElement


def label_key(text: str | None) -> str:
    """A label reduced for matching: lower case, '&' as 'and', no trailing colon."""
    text = (clean(text) or "").lower().replace("&", "and")
    return re.sub(r"[\s:：]+$", "", text)


def starts(*prefixes: str) -> Callable[[str], bool]:
    """A label test: the label begins with one of the prefixes (labels, not page titles)."""
    return lambda label: len(label) <= MAX_LABEL and label.startswith(prefixes)


Headings = list[tuple[str, Element]]


def heading_index(root: Element) -> Headings:
    """(label, heading) of every section heading (h2–h6, never the page's h1), read once."""
    return [(label_key(inline_text(node)), node) for node in root.xpath(f"//*[{SECTION_HEADINGS}]")]


def headings(index: Headings, matches: Callable[[str], bool]) -> Iterator[Element]:
    """Headings whose label matches, in page order."""
    return (node for label, node in index if matches(label))


def section_body(heading: Element) -> Element | None:
    """Where a heading's values live: its `.pill-block`, else its next sibling element."""
    for ancestor in heading.iterancestors():
        classes = (ancestor.get("class") or "").split()
        if "pill-block" in classes or "information-block" in classes:
            return ancestor
        if ancestor.tag in ("main", "body", "section", "article"):
            break
        if len(ancestor.xpath(f".//*[{HEADINGS}]")) > 1:
            break
    sibling = heading.getnext()
    while sibling is not None and not isinstance(sibling.tag, str):
        sibling = sibling.getnext()
    return sibling


def find_section(index: Headings, matches: Callable[[str], bool]) -> Element | None:
    for heading in headings(index, matches):
        body = section_body(heading)
        if body is not None:
            return body
    return None


def pills(container: Element | None, links: bool = True) -> list[tuple[str, str | None]]:
    """(name, link) of each pill: `.pill .name span`, `.pill .name`, or the pill's own text.

    With no `.pill` at all, the container's links stand in for pills unless `links` is False.
    """
    if container is None:
        return []
    found = container.xpath(f".//*[{has_class('pill')}]")
    # A pill nested in another pill (a wrapper div and its link) is read once, at the outer one.
    outer = [p for p in found if not any(a in found for a in p.iterancestors())]
    values: list[tuple[str, str | None]] = []
    for pill in outer:
        name = _pill_name(pill)
        if name:
            values.append((name, _pill_link(pill)))
    if values or not links:
        return values
    return [(name, a.get("href")) for a in container.xpath(".//a[@href]")
            if (name := inline_text(a)) and not _is_heading_text(a)]


def _pill_name(pill: Element) -> str | None:
    for query in (f".//*[{has_class('name')}]//span", f".//*[{has_class('name')}]"):
        nodes = pill.xpath(query)
        if nodes:
            return inline_text(nodes[0])
    return inline_text(pill)


def _pill_link(pill: Element) -> str | None:
    if pill.tag == "a" and pill.get("href"):
        return pill.get("href")
    links = pill.xpath(".//a[@href]") or pill.xpath("ancestor::a[@href][1]")
    return links[0].get("href") if links else None


def _is_heading_text(node: Element) -> bool:
    return bool(node.xpath(f"ancestor-or-self::*[{HEADINGS}]"))


def information_blocks(root: Element) -> dict[str, Element]:
    """Document Information blocks by label (`.information-block` or `dt`/`dd` pairs)."""
    blocks: dict[str, Element] = {}
    for block in root.xpath(f"//*[{has_class('information-block')}]"):
        label = block.xpath(f".//*[{has_class('sub-title')}]") or block.xpath(f".//*[{HEADINGS}]")
        if label:
            blocks.setdefault(label_key(inline_text(label[0])), block)
    for term in root.xpath("//dt"):
        value = term.getnext()
        if value is not None and value.tag == "dd":
            blocks.setdefault(label_key(inline_text(term)), value)
    return blocks


def block_value(block: Element) -> Element:
    """The value part of an information block: its `.text`, else the block itself."""
    found = block.xpath(f".//*[{has_class('text')}]")
    return found[0] if found else block


def block_text_value(block: Element) -> str | None:
    """An information block's value on one line: its `.text`, else everything in the block
    but its label."""
    value = block_value(block)
    if value is not block:
        return inline_text(value)
    labels = set(block.xpath(f".//*[{has_class('sub-title')}] | .//*[{HEADINGS}]"))
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


def value_lines(block: Element) -> list[str]:
    """A block's value as separate lines (pills, else paragraphs and `;`-separated parts)."""
    named = [name for name, _ in pills(block, links=False)]
    if named:
        return named
    value = block_value(block)
    label_texts = {inline_text(n) for n in block.xpath(f".//*[{has_class('sub-title')}]")}
    lines: list[str] = []
    for chunk in text_blocks(value):
        for part in chunk.split(";"):
            cleaned = clean(part)
            if cleaned and cleaned not in label_texts:
                lines.append(cleaned)
    return lines
