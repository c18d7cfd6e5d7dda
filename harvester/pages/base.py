"""What every page object shares: the parsed tree, the URL, its index, and ways to build one."""

from functools import cached_property
from typing import Self

from lxml import html as lxml_html
from parsel import Selector

from harvester.pages.decoding import decode_page
from harvester.pages.index import PageIndex


class Page:
    """A parsed page at a URL; subclasses add one small method per field."""

    def __init__(self, selector: Selector, url: str) -> None:
        self.selector = selector
        self.url = url
        self.root: lxml_html.HtmlElement = selector.root

    @classmethod
    def from_response(cls, response) -> Self:
        """The response's text parsed here, not through the response's own selector: that
        selector and its response refer to each other, a cycle only the garbage collector
        frees, which would hold the whole page and its tree until a collection comes (with
        large pages, hundreds of them)."""
        return cls.from_html(response.text, response.url)

    @classmethod
    def from_html(cls, html: str | bytes, url: str) -> Self:
        """Build from saved markup; bytes are decoded as the crawl decodes pages (a BOM, then
        valid UTF-8, then the declared charset: harvester/pages/decoding.py)."""
        if isinstance(html, bytes):
            html, _, _ = decode_page(html, None)
        return cls(Selector(text=html, type="html", base_url=url), url)

    @cached_property
    def index(self) -> PageIndex:
        """The page's content read once (harvester/pages/index.py); every field asks it."""
        return PageIndex(self.root, self.url)

    @cached_property
    def title_node(self):
        """The page's `h1.title`, else its first `h1`."""
        titles = self.index.at(self.index.with_tag("h1"))
        return next((h for h in titles if "title" in (h.get("class") or "").split()),
                    titles[0] if titles else None)

    def xpath(self, query: str, node: lxml_html.HtmlElement | None = None) -> list:
        return (self.root if node is None else node).xpath(query)

    def first(self, query: str, node: lxml_html.HtmlElement | None = None):
        found = self.xpath(query, node)
        return found[0] if found else None

    def first_of(self, *queries: str, node: lxml_html.HtmlElement | None = None):
        """The first match of the first query that matches (elements without children are
        falsy in lxml, so `a or b` would skip them)."""
        for query in queries:
            found = self.first(query, node)
            if found is not None:
                return found
        return None
