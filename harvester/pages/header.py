"""The document header: which `.date` is the document's own.

A teaser of a neighbouring document can sit right above the header with a date of its own, and
Related Documents further down carry theirs: the header's `h1` decides.
"""

from harvester.pages.index import Element, PageIndex

_UNBOXED = frozenset(("body", "main", "html", "section"))


def own_date(index: PageIndex, title: Element | None) -> Element | None:
    """The `.date` before the title with no other document's link in between (that would make
    it a teaser's), else one right after the title inside the title's own header box."""
    if title is None:
        return None
    dates = index.with_class("date")
    start = index.start(title)
    before = next((d for d in reversed(index.between(dates, -1, start))
                   if index.end(d) < start), None)
    if before is not None and not _document_link_between(index, index.end(before), start):
        return before
    header = title.getparent()
    after = index.first_after(dates, title)
    boxed = header is not None and header.tag not in _UNBOXED and header in index.position
    if after is not None and header is not None and boxed and index.contains(header, after) \
            and not _document_link_between(index, index.end(title), index.start(after)):
        return after
    return None


def _document_link_between(index: PageIndex, low: int, high: int) -> bool:
    return any(index.document_url(link) for link in index.between(index.links, low, high))
