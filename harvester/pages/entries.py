"""Teaser entries (date, linked title, summary) as listings and topic pages show them."""

from typing import Any

from harvester.normalize.dates import parse_date
from harvester.normalize.text import clean, paragraphs
from harvester.pages.html import inline_text, text_blocks
from harvester.pages.index import Element, PageIndex

_SKIPPED_REGIONS = frozenset(("header", "footer", "nav"))
SUMMARY_CLASSES = ("text-block", "summary", "teaser-text")
# A first line longer than this is a sentence that starts with a date, not a date.
MAX_DATE_LINE = 40


def document_links(index: PageIndex, nodes: list[Element]) -> list[tuple[str, Element]]:
    """(absolute URL, first link) for each distinct document page linked, in page order."""
    found: dict[str, Element] = {}
    for link in nodes:
        if any(a.tag in _SKIPPED_REGIONS for a in link.iterancestors()):
            continue
        url = index.document_url(link)
        if url:
            found.setdefault(url, link)
    return list(found.items())


def _entry_of(index: PageIndex, link: Element, url: str, scope: Element,
              apart: Element | None) -> Element:
    """The largest ancestor of `link` that still links to no other document (nor holds
    `apart`, the heading over a list that has only this one entry)."""
    entry = link
    for ancestor in link.iterancestors():
        if ancestor not in index.position or any(
                (other := index.document_url(a)) and other != url
                for a in index.inside(index.links, ancestor)) \
                or (apart is not None and index.contains(ancestor, apart)):
            break
        entry = ancestor
        if ancestor is scope:
            break
    return entry


def is_date_class(name: str) -> bool:
    """`date`, `card__date`, `teaser-date`, `field--name-field-date`, ..."""
    return name == "date" or name.endswith(("__date", "-date", "_date")) or "field-date" in name


def _leading_date(lines: list[str], title: str | None) -> str | None:
    """The entry's first line when the whole of it reads as a date (and is not the title)."""
    first = next((line for line in map(clean, lines) if line), None)
    if first is None or first == title or len(first) > MAX_DATE_LINE:
        return None
    parsed = parse_date(first)
    return first if parsed and parsed["edtf"] else None


def entry(index: PageIndex, link: Element, url: str, scope: Element,
          apart: Element | None = None) -> dict[str, Any]:
    """`{url, date, title, summary}` of the teaser around one document link. The date is the
    first element with a date-like class, else a first line that reads as a date; neither the
    date nor the title is ever part of the summary."""
    box = _entry_of(index, link, url, scope, apart)
    title = inline_text(link) or None
    lines = text_blocks(box)
    date = index.first_inside(index.with_classes(is_date_class), box)
    date_text = inline_text(date) if date is not None else _leading_date(lines, title)
    summaries = [n for name in SUMMARY_CLASSES
                 if (n := index.first_inside(index.with_class(name), box)) is not None]
    if summaries:
        lines = text_blocks(min(summaries, key=index.start))
    shown = {date_text, title}
    summary = paragraphs([b for b in lines if clean(b) not in shown])
    return {"url": url, "date": parse_date(date_text), "title": title, "summary": summary}
