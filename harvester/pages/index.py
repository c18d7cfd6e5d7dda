"""One walk over a page's content, and the questions the page objects ask of it.

Every field of a page is a question of the form "the first element of this class after the
title", "the pills inside this block", "the links between these two": the walk numbers the
elements of the content in document order and files them by class and by tag, so each question
is a comparison of numbers instead of another walk of the tree or an XPath scan of it.

Site chrome is skipped without being read: header menus, navigation and footers (their tags
outside the page's `main`/`article`, and anything classed as a mega-menu, navbar or site
header/footer). On the real site it is most of the page's markup, it links to people, places
and topics on every page, and none of it is the page's content. A region holding an `h1` is
never skipped, so a title is found wherever a theme puts it.
"""

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable

from harvester.pages.html import Element, absolute, document_slug

UNREAD_TAGS = frozenset(("head", "script", "style", "noscript", "template", "title"))
CHROME_TAGS = frozenset(("header", "nav", "footer"))
CHROME_CLASSES = ("mega-menu", "megamenu", "navbar", "site-header", "site-footer",
                  "region-header", "region-footer", "footer")
# A class token that begins with one of CHROME_CLASSES.
_CHROME_CLASS = re.compile(r"(?:^|\s)(?:" + "|".join(map(re.escape, CHROME_CLASSES)) + ")")
CONTENT_TAGS = ("main", "article")
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
SECTION_HEADING_TAGS = HEADING_TAGS[1:]


def classes_of(node: Element) -> list[str]:
    return (node.get("class") or "").split()


class PageIndex:
    """The content's elements in document order, by class and by tag, with their spans."""

    def __init__(self, root: Element, base_url: str) -> None:
        self.root = root
        self.base_url = base_url
        self.elements: list[Element] = []
        self.position: dict[Element, int] = {}
        self.classes: dict[str, list[int]] = {}
        self.tags: dict[str, list[int]] = {}
        self._ends: dict[Element, int] = {}
        self._urls: dict[Element, str | None] = {}
        self._documents: dict[Element, str | None] = {}
        self._matching: dict[Callable[[str], bool], list[int]] = {}
        self._walk(root)
        self.headings = self._merged(HEADING_TAGS)
        self.section_headings = self._merged(SECTION_HEADING_TAGS)
        self.links = [p for p in self.tags.get("a", ()) if self.elements[p].get("href") is not None]

    def _walk(self, root: Element) -> None:
        """Number every element reached; file the ones that are content. A skipped region's
        own element is numbered (so spans stay exact) but nothing in it is filed."""
        titled = {a for h1 in root.iter("h1") for a in h1.iterancestors()}
        content = set(root.iter(*CONTENT_TAGS))
        elements, position = self.elements, self.position
        classes: defaultdict[str, list[int]] = defaultdict(list)
        tags: defaultdict[str, list[int]] = defaultdict(list)
        chrome_class = _CHROME_CLASS.search
        stack = [root]
        here = -1
        while stack:
            node = stack.pop()
            tag = node.tag
            if tag.__class__ is not str:  # a comment or processing instruction
                continue
            here += 1
            elements.append(node)
            position[node] = here
            if tag in UNREAD_TAGS:
                continue
            names = node.get("class")
            if names:
                if chrome_class(names) and node not in titled:
                    continue
                for name in names.split():
                    classes[name].append(here)
            if tag in CHROME_TAGS and node not in titled \
                    and content.isdisjoint(node.iterancestors()):
                continue
            tags[tag].append(here)
            stack.extend(node[::-1])  # children, last first: they leave the stack in order
        self.classes, self.tags = dict(classes), dict(tags)

    def _merged(self, tags: tuple[str, ...]) -> list[int]:
        return sorted(p for tag in tags for p in self.tags.get(tag, ()))

    # -- spans -------------------------------------------------------------------------------
    def start(self, node: Element) -> int:
        return self.position[node]

    def end(self, node: Element) -> int:
        """Position of the last element inside `node` (its own when it has none): one before
        the first element after it, which is a sibling of it or of an ancestor."""
        found = self._ends.get(node)
        if found is not None:
            return found
        found = len(self.elements) - 1
        current: Element | None = node
        while current is not None and current is not self.root:
            after = current.getnext()
            while after is not None and not isinstance(after.tag, str):
                after = after.getnext()
            if after is not None:
                found = self.position[after] - 1
                break
            current = current.getparent()
        self._ends[node] = found
        return found

    def contains(self, outer: Element, inner: Element) -> bool:
        return self.position[outer] < self.position[inner] <= self.end(outer)

    # -- filed elements ----------------------------------------------------------------------
    def with_class(self, name: str) -> list[int]:
        return self.classes.get(name, [])

    def with_classes(self, test: Callable[[str], bool]) -> list[int]:
        """Positions of elements with any class that passes `test` (worked out once a test)."""
        if test not in self._matching:
            self._matching[test] = sorted({p for name, positions in self.classes.items()
                                           if test(name) for p in positions})
        return self._matching[test]

    def with_tag(self, tag: str) -> list[int]:
        return self.tags.get(tag, [])

    def at(self, positions: list[int]) -> list[Element]:
        return [self.elements[p] for p in positions]

    def inside(self, positions: list[int], node: Element) -> list[Element]:
        """Filed elements strictly inside `node`, in document order."""
        low = bisect_right(positions, self.position[node])
        high = bisect_right(positions, self.end(node))
        return [self.elements[p] for p in positions[low:high]]

    def between(self, positions: list[int], low: int, high: int) -> list[Element]:
        """Filed elements positioned strictly between `low` and `high`."""
        return [self.elements[p] for p in positions[bisect_right(positions, low):
                                                    bisect_left(positions, high)]]

    def after(self, positions: list[int], node: Element | None) -> list[Element]:
        """Filed elements after `node` and outside it (all of them when `node` is None)."""
        if node is None:
            return self.at(positions)
        return [self.elements[p] for p in positions[bisect_right(positions, self.end(node)):]]

    def count_inside(self, positions: list[int], node: Element) -> int:
        return bisect_right(positions, self.end(node)) - bisect_right(positions,
                                                                      self.position[node])

    def first_after(self, positions: list[int], node: Element | None) -> Element | None:
        low = 0 if node is None else bisect_right(positions, self.end(node))
        return self.elements[positions[low]] if low < len(positions) else None

    def first_inside(self, positions: list[int], node: Element) -> Element | None:
        low = bisect_right(positions, self.position[node])
        if low < len(positions) and positions[low] <= self.end(node):
            return self.elements[positions[low]]
        return None

    # -- links -------------------------------------------------------------------------------
    def url(self, link: Element) -> str | None:
        """The link's absolute URL, worked out once per link."""
        if link not in self._urls:
            self._urls[link] = absolute(self.base_url, link.get("href"))
        return self._urls[link]

    def document_url(self, link: Element) -> str | None:
        """The link's URL when it leads to a document page."""
        if link not in self._documents:
            url = self.url(link)
            self._documents[link] = url if url and document_slug(url) else None
        return self._documents[link]
