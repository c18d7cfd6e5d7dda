"""The topic page (`/topics/<slug>`): title, description, popular documents, and the links
that lead to the topic's complete document list."""

import re
from collections import Counter
from functools import cached_property
from typing import Any
from urllib.parse import unquote, urlsplit

from harvester.items import Topic
from harvester.normalize.text import paragraphs
from harvester.pages.base import Page
from harvester.pages.entries import document_links, entry
from harvester.pages.html import block_text, inline_text, text_blocks
from harvester.pages.index import Element
from harvester.pages.listing import pager_urls, topic_facet_id
from harvester.pages.sections import heading_index, headings, starts
from harvester.site_urls import TOPIC_PAGE_PATH

_VIEW_ALL = re.compile(r"\b(view|see|browse|show)\b.*\b(all|documents|more)\b", re.IGNORECASE)
DESCRIPTION_CLASSES = ("description", "field--name-description", "topic-description",
                       "field--name-body", "text-block", "intro", "lead")


class TopicPage(Page):
    def record(self, slug: str, url: str) -> Topic:
        """The Topic record of this page; `url` is its address on the archive, whatever
        answered it (the one place a Topic is built)."""
        return Topic(slug=slug, url=url, title=self.title(), description=self.description(),
                     topic_id=self.topic_id(), popular=self.popular())

    def slug(self) -> str | None:
        match = TOPIC_PAGE_PATH.match(unquote(urlsplit(self.url).path))
        return match.group(1) if match else None

    def title(self) -> str | None:
        return inline_text(self.title_node)

    def description(self) -> str | None:
        title, index = self.title_node, self.index
        for name in DESCRIPTION_CLASSES:
            node = index.first_after(index.with_class(name), title)
            if node is not None and not self._in_popular(node):
                return block_text(node)
        if title is None:
            return None
        for node in index.after(index.with_tag("p"), title):
            if self._in_popular(node) or any(
                    "/document/" in (a.get("href") or "") for a in index.inside(index.links, node)):
                break
            if text := paragraphs(text_blocks(node)):
                return text
        return None

    @cached_property
    def _popular_heading(self) -> Element | None:
        return next(headings(heading_index(self.index), starts("popular")), None)

    def _in_popular(self, node: Element) -> bool:
        heading = self._popular_heading
        return heading is not None and self.index.end(heading) < self.index.start(node)

    def popular(self) -> list[dict[str, Any]]:
        heading = self._popular_heading
        if heading is None:
            return []
        scope = heading.getparent()
        while scope is not None and not self._links_after(heading, scope):
            scope = scope.getparent()
        if scope is None:
            return []
        links = self._links_after(heading, scope)
        return [entry(self.index, link, url, scope, heading) for url, link in links]

    def _links_after(self, heading: Element, scope: Element) -> list[tuple[str, Element]]:
        index = self.index
        if scope not in index.position:
            return []
        later = index.between(index.links, index.end(heading), index.end(scope) + 1)
        return document_links(index, later)

    def topic_id(self) -> int | None:
        ids = [i for u in self._facet_links if (i := topic_facet_id(u)) is not None]
        return Counter(ids).most_common(1)[0][0] if ids else None

    @cached_property
    def _facet_links(self) -> list[str]:
        """Faceted listing links of the page's content (a menu's links are not the topic's)."""
        urls = (self.index.url(link) for link in self.index.at(self.index.links))
        return [u for u in urls if u and topic_facet_id(u) is not None]

    def listing_urls(self) -> list[str]:
        """The topic's document list: its own faceted listing, "view all" links, its pager."""
        topic_id = self.topic_id()
        found: dict[str, None] = {}
        for facet_url in self._facet_links:
            if topic_facet_id(facet_url) == topic_id:
                found.setdefault(facet_url, None)
        for link in self.index.at(self.index.links):
            url = self.index.url(link)
            if url and self._is_own_list(url, topic_id) \
                    and _VIEW_ALL.search(inline_text(link) or ""):
                found.setdefault(url, None)
        for url in pager_urls(self):
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
        index = self.index
        nodes = index.inside(index.links, main) if main in index.position \
            else index.at(index.links)
        return [url for url, _ in document_links(index, nodes)]
