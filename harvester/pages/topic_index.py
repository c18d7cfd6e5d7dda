"""The topic index (`/topics`) and the links that lead to it."""

from urllib.parse import unquote, urlsplit

from harvester.pages.base import Page
from harvester.pages.html import absolute
from harvester.site_urls import TOPIC_INDEX_PATH, TOPIC_PATH


def topic_index_url(page: Page) -> str | None:
    """Where a page links the topic index, if it does (the site's main menu)."""
    for href in page.xpath("//a/@href"):
        url = absolute(page.url, href)
        if url and urlsplit(url).path.rstrip("/") == TOPIC_INDEX_PATH:
            return url
    return None


class TopicIndexPage(Page):
    def slugs(self) -> list[str]:
        """Every topic the index's content links, in page order, once (the menus and footer
        every page carries link topics too: they are not the index)."""
        found: dict[str, None] = {}
        for link in self.index.at(self.index.links):
            url = self.index.url(link)
            match = TOPIC_PATH.match(unquote(urlsplit(url or "").path))
            if match:
                found.setdefault(match.group(1), None)
        return list(found)
