"""A listing page (`/search…`): its counter, its document links and its pager."""

import re
from functools import cached_property
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from harvester.pages.base import Page
from harvester.pages.entries import document_links, entry
from harvester.pages.html import absolute, inline_text
from harvester.pages.index import Element

_COUNTER = re.compile(r"(\d[\d,]*)\s*[-–—]\s*(\d[\d,]*)\s+of\s+(\d[\d,]*)", re.IGNORECASE)
_NO_RESULTS = re.compile(r"\bno (results|documents)\b", re.IGNORECASE)
_TOPIC_FACET = re.compile(r"topics:(\d+)")
MAIN = "//main | //*[@id='main-content'] | //*[@role='main']"
# Containers that hold one result each, most specific first: (tag or None, class).
RESULT_CONTAINERS = (("td", "document"), (None, "views-row"))
# Only a link with a query can lead to another page of a list (see merge_page_query).
PAGER_LINKS = "//a[contains(@href, '?')] | //link[@rel='next' or @rel='prev'][contains(@href, '?')]"


def query_pairs(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def page_number(url: str) -> int:
    for key, value in query_pairs(url):
        if key == "page" and value.isdigit():
            return int(value)
    return 0


def topic_facet_id(url: str) -> int | None:
    """The topic term id of a faceted listing URL (`f[0]=topics:86466`, encoded or not)."""
    for key, value in query_pairs(url):
        match = _TOPIC_FACET.fullmatch(unquote(value))
        if key.startswith(("f[", "f%5B")) and match:
            return int(match.group(1))
    return None


class ListingPage(Page):
    """One page of a (possibly faceted) search listing."""

    @cached_property
    def _scope(self):
        scope = self.first_of(MAIN, "//body")
        return self.root if scope is None else scope

    def total(self) -> int | None:
        text = inline_text(self._scope) or ""
        if match := _COUNTER.search(text):
            return int(match.group(3).replace(",", ""))
        return 0 if _NO_RESULTS.search(text) else None

    def topic_id(self) -> int | None:
        return topic_facet_id(self.url)

    @cached_property
    def _links(self) -> list[tuple[str, Element]]:
        index = self.index
        for tag, name in RESULT_CONTAINERS:
            rows = [r for r in index.at(index.with_class(name)) if tag is None or r.tag == tag]
            found = sorted({index.start(a) for row in rows for a in index.inside(index.links, row)})
            links = document_links(index, index.at(found))
            if links:
                return links
        scope = self._scope
        nodes = index.inside(index.links, scope) if scope in index.position else []
        return document_links(index, nodes)

    def document_urls(self) -> list[str]:
        return [url for url, _ in self._links]

    def entries(self) -> list[dict]:
        return [entry(self.index, link, url, self._scope) for url, link in self._links]

    def pager_urls(self) -> list[str]:
        return pager_urls(self)


def pager_urls(page: Page) -> list[str]:
    """Other pages of the same list as `page`. A bare `?page=N` keeps the current facets, since
    resolving it as written would silently switch to the unfiltered listing."""
    here = urlsplit(page.url)
    current = query_pairs(page.url)
    found: dict[str, None] = {}
    for link in page.xpath(PAGER_LINKS):
        url = absolute(page.url, link.get("href"))
        if url is None:
            continue
        parts = urlsplit(url)
        if (parts.netloc, parts.path) != (here.netloc, here.path):
            continue
        merged = merge_page_query(current, query_pairs(url))
        if merged is None:
            continue
        target = urlunsplit((here.scheme, here.netloc, here.path, merged, ""))
        if page_number(target) != page_number(page.url):
            found.setdefault(target, None)
    return list(found)


def merge_page_query(
    current: list[tuple[str, str]], link: list[tuple[str, str]]
) -> str | None:
    """The query of the page of this list a link leads to, or None when it leads elsewhere.

    A link with the list's own parameters and no `page` is its first page; a link with `page`
    keeps the list's other parameters (a bare `?page=N`); a link that filters differently
    (a facet link) is not a pager link.
    """
    link_values = dict(link)
    current_values = {k: v for k, v in current if k != "page"}
    if "page" not in link_values:
        if link_values != current_values or not link_values:
            return None
        return urlencode(link, quote_via=quote, safe="")
    for key, value in link_values.items():
        if key != "page" and current_values.get(key) != value:
            return None
    pairs = [(key, value) for key, value in current if key != "page"]
    pairs.append(("page", link_values["page"]))
    return urlencode(pairs, quote_via=quote, safe="")
