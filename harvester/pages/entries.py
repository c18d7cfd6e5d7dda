"""Teaser entries (date, linked title, summary) as listings and topic pages show them."""

from typing import Any

from lxml import html as lxml_html

from harvester.normalize.dates import parse_date
from harvester.normalize.text import clean, paragraphs
from harvester.pages.html import absolute, document_slug, has_class, inline_text, text_blocks

Element = lxml_html.HtmlElement
_SKIPPED_REGIONS = ("header", "footer", "nav")


def document_links(base_url: str, nodes: list[Element]) -> list[tuple[str, Element]]:
    """(absolute URL, first link) for each distinct document page linked, in page order."""
    found: dict[str, Element] = {}
    for link in nodes:
        if link.xpath(" or ".join(f"ancestor::{tag}" for tag in _SKIPPED_REGIONS)):
            continue
        url = absolute(base_url, link.get("href"))
        if url and document_slug(url):
            found.setdefault(url, link)
    return list(found.items())


def _entry_of(link: Element, url: str, base_url: str, scope: Element) -> Element:
    """The largest ancestor of `link` that still links to no other document."""
    entry = link
    for ancestor in link.iterancestors():
        urls = {absolute(base_url, a.get("href")) for a in ancestor.iter("a")}
        if any(u != url and u and document_slug(u) for u in urls):
            break
        entry = ancestor
        if ancestor is scope:
            break
    return entry


def entry(link: Element, url: str, base_url: str, scope: Element) -> dict[str, Any]:
    """`{url, date, title, summary}` of the teaser around one document link."""
    box = _entry_of(link, url, base_url, scope)
    title = inline_text(link) or None
    dates = box.xpath(f".//*[{has_class('date')}]")
    date_text = inline_text(dates[0]) if dates else None
    summary_nodes = box.xpath(
        f".//*[{has_class('text-block')} or {has_class('summary')} or {has_class('teaser-text')}]"
    )
    if summary_nodes:
        summary = paragraphs(text_blocks(summary_nodes[0]))
    else:
        shown = {date_text, title}
        summary = paragraphs([b for b in text_blocks(box) if clean(b) not in shown])
    return {"url": url, "date": parse_date(date_text), "title": title, "summary": summary}

