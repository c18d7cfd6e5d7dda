"""A person's or organisation's own page (`/people/<slug>`): its name, life dates and description.

The site links these pages from every pill and from its menus, but no copy of one has been
seen (docs/SITE.md), so each field anchors on labels and classes, never on positions: the name
is the page's `h1` (`h1.title` where there is one); life dates come from a labelled block
("Life Dates", "Born", "Died"), else an element classed for them, else the heading itself or a
line right under it that holds nothing but dates; the description is the content's main text
block, else its first paragraphs after the heading. Everything is read from the page's content
(harvester/pages/index.py): the header menus' cards show other people's life dates on every
page, and none of them is this person's.
"""

import re
from functools import cached_property
from urllib.parse import unquote, urlsplit

from harvester.normalize.text import clean, paragraphs
from harvester.pages.base import Page
from harvester.pages.html import block_text, inline_text, text_blocks
from harvester.pages.index import Element, classes_of
from harvester.pages.life_dates import life_dates, only_life_dates, span, split_name, year_of
from harvester.pages.sections import block_text_value, information_blocks, label_key
from harvester.site_urls import PERSON_PAGE_PATH

SPAN_LABELS = ("life dates", "lifespan", "life span", "dates", "lived", "years")
BORN_LABELS = ("born", "birth", "date of birth")
DIED_LABELS = ("died", "death", "date of death")
# Main text blocks, most specific first (the site's themes: Drupal fields, its `.text-block`).
DESCRIPTION_CLASSES = ("field--name-description", "field--name-field-biography",
                       "field--name-body", "biography", "description", "bio", "text-block",
                       "intro", "lead")
# Containers of labelled values and pop-ups: what is in them is not the description.
NOT_DESCRIPTION = ("information-block", "modal", "citation")
LABEL_TAGS = ("strong", "b")
_LIFE_CLASS = re.compile(r"(?:^|[-_])(?:life|lifespan|life-?dates|dates|years)$")


def is_life_class(name: str) -> bool:
    """A class naming life dates (`person__life`, `field--name-field-life-dates`)."""
    return _LIFE_CLASS.search(name) is not None


class PersonPage(Page):
    def slug(self) -> str | None:
        match = PERSON_PAGE_PATH.match(unquote(urlsplit(self.url).path))
        return match.group(1) if match else None

    def name(self) -> str | None:
        """The heading, without life dates it may end in."""
        return split_name(inline_text(self.title_node))[0]

    def life_dates(self) -> str | None:
        """`1912-1994`, `b. 1912` or `d. 1994` (harvester/pages/life_dates.py)."""
        return self._labelled_dates() or self._classed_dates() or self._dates_near_title()

    def description(self) -> str | None:
        """The main text block after the heading, else its first paragraphs; nothing from
        the documents the page lists below it."""
        found = self._classed_description()
        return found if found is not None else self._first_paragraphs()

    def details(self) -> dict[str, str | None]:
        """What the people index takes from the page, with where it was read."""
        return {"slug": self.slug(), "url": self.url, "name": self.name(),
                "life_dates": self.life_dates(), "description": self.description()}

    # -- life dates ------------------------------------------------------------------------
    @cached_property
    def _labels(self) -> dict[str, str]:
        """Label -> value of every labelled value of the content: information blocks and
        `dt`/`dd` pairs, Drupal fields, a bold label at the start of a line."""
        found = {label: value for label, block in information_blocks(self.index).items()
                 if (value := block_text_value(self.index, block))}
        for label, value in [*self._field_labels(), *self._bold_labels()]:
            if value:
                found.setdefault(label, value)
        return found

    def _field_labels(self) -> list[tuple[str, str | None]]:
        """Drupal's `.field__label` and the `.field__item`s beside it."""
        pairs = []
        for label in self.index.at(self.index.with_class("field__label")):
            field = label.getparent()
            items = self.index.inside(self.index.with_class("field__item"), field) \
                if field is not None else []
            value = clean(" ".join(filter(None, map(inline_text, items))))
            pairs.append((label_key(inline_text(label)), value))
        return pairs

    def _bold_labels(self) -> list[tuple[str, str | None]]:
        """`<p><strong>Born:</strong> 1912</p>`: the rest of the line is the value."""
        pairs = []
        for tag in LABEL_TAGS:
            for label in self.index.at(self.index.with_tag(tag)):
                parent = label.getparent()
                text, whole = inline_text(label), inline_text(parent)
                if parent is None or not text or not whole or not whole.startswith(text):
                    continue
                pairs.append((label_key(text), clean(whole[len(text):].lstrip(" :"))))
        return pairs

    def _labelled_dates(self) -> str | None:
        labels = self._labels
        for label in SPAN_LABELS:
            if found := life_dates(labels.get(label)):
                return found
        born = next((year_of(labels[k]) for k in BORN_LABELS if k in labels), None)
        died = next((year_of(labels[k]) for k in DIED_LABELS if k in labels), None)
        return span(born, died)

    def _classed_dates(self) -> str | None:
        for node in self.index.at(self.index.with_classes(is_life_class)):
            if found := life_dates(inline_text(node)):
                return found
        return None

    def _dates_near_title(self) -> str | None:
        """The heading's own trailing dates, else a line right before or after it (or the
        element holding it) that is dates and nothing else."""
        title = self.title_node
        if title is None:
            return None
        found = split_name(inline_text(title))[1]
        for nearby in _neighbours(title):
            if found is None and nearby in self.index.position:
                found = only_life_dates(inline_text(nearby))
        return found

    # -- description -----------------------------------------------------------------------
    @cached_property
    def _documents_start(self) -> int:
        """Where the page's own list of documents begins (after the heading), or its end."""
        for link in self.index.after(self.index.links, self.title_node):
            if self.index.document_url(link) is not None:
                return self.index.start(link)
        return len(self.index.elements)

    def _before_documents(self, positions: list[int]) -> list[Element]:
        return [node for node in self.index.after(positions, self.title_node)
                if self.index.start(node) < self._documents_start]

    def _classed_description(self) -> str | None:
        for name in DESCRIPTION_CLASSES:
            for node in self._before_documents(self.index.with_class(name)):
                text = block_text(node)
                if text and only_life_dates(text) is None:
                    return text
        return None

    def _first_paragraphs(self) -> str | None:
        """The first paragraph of the content area after the heading that is text (not dates,
        not a labelled value), with the paragraphs that follow it."""
        area = self._content_area()
        for node in self._before_documents(self.index.with_tag("p")):
            if (area is None or self.index.contains(area, node)) and self._is_text(node):
                run = [node]
                while (after := _next_element(run[-1])) is not None and after.tag == "p" \
                        and self._is_text(after):
                    run.append(after)
                return paragraphs([b for p in run for b in text_blocks(p)])
        return None

    def _content_area(self) -> Element | None:
        """The `article` or `main` holding the heading (a cookie notice or a pop-up after it
        is not the page's content)."""
        title = self.title_node
        for ancestor in title.iterancestors() if title is not None else ():
            if ancestor.tag in ("article", "main") or ancestor.get("role") == "main":
                return ancestor
        return None

    def _is_text(self, node: Element) -> bool:
        """A paragraph of prose: not life dates, not a labelled value, not in a pop-up."""
        text = inline_text(node)
        if not text or only_life_dates(text) is not None:
            return False
        if any(self._holds_values(holder) for holder in (node, *node.iterancestors())):
            return False
        return not any(text.startswith(inline_text(b) or "\0") and _is_label(inline_text(b))
                       for b in node.iter(*LABEL_TAGS))

    def _holds_values(self, node: Element) -> bool:
        """A definition list, an information block, a labelled Drupal field, a pop-up, or an
        element classed for life dates."""
        names = classes_of(node)
        if node.tag in ("dl", "dd") or any(n in NOT_DESCRIPTION or is_life_class(n)
                                           for n in names):
            return True
        return "field" in names and node in self.index.position and \
            self.index.first_inside(self.index.with_class("field__label"), node) is not None


def _is_label(text: str | None) -> bool:
    """Bold text that labels a value ("Born:", "Died"), not a name in bold opening prose."""
    if not text:
        return False
    return text.rstrip().endswith((":", "：")) or \
        label_key(text) in (*SPAN_LABELS, *BORN_LABELS, *DIED_LABELS)


def _next_element(node: Element) -> Element | None:
    sibling = node.getnext()
    while sibling is not None and not isinstance(sibling.tag, str):
        sibling = sibling.getnext()
    return sibling


def _previous_element(node: Element) -> Element | None:
    sibling = node.getprevious()
    while sibling is not None and not isinstance(sibling.tag, str):
        sibling = sibling.getprevious()
    return sibling


def _neighbours(title: Element) -> list[Element]:
    """The elements beside the heading, and beside the element holding it: after, then
    before."""
    found = []
    for node in (title, title.getparent()):
        if node is not None:
            found += [n for n in (_next_element(node), _previous_element(node)) if n is not None]
    return found
