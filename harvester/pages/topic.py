"""The topic page (`/topics/<slug>`): title, description, popular documents, and the links
that lead to the topic's complete document list."""

import re
from collections import Counter
from typing import Any
from urllib.parse import unquote, urlsplit

from harvester.normalize.text import paragraphs
from harvester.pages.base import Page
from harvester.pages.entries import document_links, entry
from harvester.pages.html import absolute, block_text, has_class, inline_text, text_blocks
from harvester.pages.listing import ListingPage, topic_facet_id
from harvester.pages.sections import heading_index, headings, starts

_TOPIC_PATH = re.compile(r"^/topics/([^/?#]+)/?$")
_VIEW_ALL = re.compile(r"\b(view|see|browse|show)\b.*\b(all|documents|more)\b", re.IGNORECASE)
DESCRIPTION_CLASSES = ("description", "field--name-description", "topic-description",
                       "field--name-body", "text-block", "intro", "lead")


class TopicPage(Page):
    def slug(self) -> str | None:
        match = _TOPIC_PATH.match(unquote(urlsplit(self.url).path))
        return match.group(1) if match else None

    def _title_node(self):
        return self.first_of(f"//h1[{has_class('title')}]", "//h1")

    def title(self) -> str | None:
        return inline_text(self._title_node())

    def description(self) -> str | None:
        title = self._title_node()
        for name in DESCRIPTION_CLASSES:
            query = f"following::*[{has_class(name)}][1]" if title is not None else \
                f"//*[{has_class(name)}]"
            node = self.first(query, title)
            if node is not None and not self._in_popular(node):
                return block_text(node)
        if title is None:
            return None
        for node in title.xpath("following::p"):
            if self._in_popular(node) or node.xpath(".//a[contains(@href, '/document/')]"):
                break
            if text := paragraphs(text_blocks(node)):
                return text
        return None

    def _popular_heading(self):
        return next(headings(heading_index(self.root), starts("popular")), None)

    def _in_popular(self, node) -> bool:
        heading = self._popular_heading()
        return heading is not None and heading in node.xpath("preceding::*")

    def popular(self) -> list[dict[str, Any]]:
        heading = self._popular_heading()
        if heading is None:
            return []
        scope = heading.getparent()
        while scope is not None and not self._links_after(heading, scope):
            scope = scope.getparent()
        if scope is None:
            return []
        links = self._links_after(heading, scope)
        return [entry(link, url, self.url, scope) for url, link in links]

    def _links_after(self, heading, scope):
        later = [a for a in heading.xpath("following::a[@href]") if scope in a.iterancestors()]
        return document_links(self.url, later)

    def topic_id(self) -> int | None:
        ids = [i for u in self._facet_links() if (i := topic_facet_id(u)) is not None]
        return Counter(ids).most_common(1)[0][0] if ids else None

    def _facet_links(self) -> list[str]:
        urls = (absolute(self.url, href) for href in self.xpath("//a/@href"))
        return [u for u in urls if u and topic_facet_id(u) is not None]

    def listing_urls(self) -> list[str]:
        """The topic's document list: its own faceted listing, "view all" links, its pager."""
        topic_id = self.topic_id()
        found: dict[str, None] = {}
        for url in self._facet_links():
            if topic_facet_id(url) == topic_id:
                found.setdefault(url, None)
        for link in self.xpath("//a[@href]"):
            url = absolute(self.url, link.get("href"))
            text = inline_text(link) or ""
            if url and _VIEW_ALL.search(text) and self._is_own_list(url, topic_id):
                found.setdefault(url, None)
        for url in ListingPage(self.selector, self.url).pager_urls():
            found.setdefault(url, None)
        return list(found)

    def _is_own_list(self, url: str, topic_id: int | None) -> bool:
        """A search listing faceted on this topic, or a page under the topic's own path; never
        an unfiltered listing, which would make the whole archive members of the topic."""
        here, there = urlsplit(self.url), urlsplit(url)
        if there.netloc != here.netloc:
            return False
        if topic_facet_id(url) is not None:
            return topic_facet_id(url) == topic_id
        return there.path.startswith(here.path.rstrip("/") + "/")

    def document_urls(self) -> list[str]:
        """Every document the page itself links to (popular ones, or a list on the page)."""
        main = self.first("//main | //*[@id='main-content'] | //*[@role='main']")
        nodes = self.xpath(".//a[@href]", main) if main is not None else self.xpath("//a[@href]")
        return [url for url, _ in document_links(self.url, nodes)]
