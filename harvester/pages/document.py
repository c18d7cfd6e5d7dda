"""The document page (`/document/<slug>`): one method per field of the Document record."""

import re
from typing import Any
from urllib.parse import unquote, urlsplit

from harvester.items import Document
from harvester.normalize.dates import parse_date
from harvester.normalize.names import parse_name
from harvester.normalize.text import clean, unique
from harvester.pages.base import Page
from harvester.pages.html import (
    absolute,
    block_text,
    document_slug,
    has_class,
    inline_text,
    is_download,
)
from harvester.pages.sections import (
    block_text_value,
    find_section,
    heading_index,
    information_blocks,
    pills,
    starts,
    value_lines,
)

_NODE_IN_SETTINGS = re.compile(r'"currentPath"\s*:\s*"node\\?/(\d+)"')
_NODE_PATH = re.compile(r"/node/(\d+)")
_DOWNLOAD_NODE = re.compile(r"/document/(\d+)/download")
_PERSON_ID = re.compile(r"people:(\d+)")
# A slug as the site makes them; anything else in a topic link gives no slug, not a bad one.
_TOPIC_PATH = re.compile(r"/topics/([a-z0-9][a-z0-9-]*)/?$")
_ISO_DAY = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_DIGITS = re.compile(r"\d+")

PEOPLE_SECTIONS = (
    ("author", starts("author")),
    ("associated", starts("associated people", "associated organi", "people")),
    ("contributor", starts("document contributor", "contributor")),
)
PLACES = starts("associated place", "places")
TOPICS = starts("associated topic", "topics")
SUBJECTS = starts("subjects", "subject")
RELATED = starts("related")
INFO_LABELS = {
    "source": ("source",),
    "archives": ("original archive", "archive", "archives", "original repository"),
    "rights": ("rights", "copyright"),
    "uploaded": ("original uploaded date", "uploaded date", "uploaded", "date uploaded"),
    "type": ("type", "document type"),
    "languages": ("language", "languages"),
    "record_id": ("record id", "record", "record number"),
    "classification": ("original classification", "classification"),
    "donors": ("donors", "donor", "funding", "donated by"),
}


class MissingField(Exception):
    """A page lacks a field every record must have; it becomes a reject, not an item."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


class DocumentPage(Page):
    """Fields of one document. The header (its `h1`) anchors everything that could be confused
    with a neighbouring document's teaser or the related documents further down."""

    def record(self) -> Document:
        """The Document record, or MissingField when the page is not a usable document."""
        title, record_id = self.title(), self.record_id()
        if title is None:
            raise MissingField("title", "no document title (h1) on the page")
        if record_id is None:
            raise MissingField("record_id", "no Record ID in Document Information")
        return Document(
            record_id=record_id, node_id=self.node_id(), url=self.url, slug=self.slug(),
            title=title, date=self.date(), summary=self.summary(), people=self.people(),
            places=self.places(), topics=self.topics(), subjects=self.subjects(),
            source=self.source(), archives=self.archives(), languages=self.languages(),
            type=self.type(), classification=self.classification(), rights=self.rights(),
            donors=self.donors(), credit=self.credit(), uploaded=self.uploaded(),
            related=self.related(), downloads=self.downloads(), text=self.text(),
            reached_from=[self.url],
        )

    # -- the header --------------------------------------------------------------------------
    def _title_node(self):
        return self.first_of(f"//h1[{has_class('title')}]", "//h1")

    def title(self) -> str | None:
        node = self._title_node()
        return inline_text(node) if node is not None else None

    def _after_title(self, predicate: str):
        """First element matching `predicate` after the title (or anywhere if untitled)."""
        title = self._title_node()
        if title is None:
            return self.first(f"//*[{predicate}]")
        return self.first(f"following::*[{predicate}]", title)

    def date(self) -> dict[str, Any] | None:
        node = self._date_node()
        return parse_date(inline_text(node)) if node is not None else None

    def _date_node(self):
        """The `.date` heading this document: before the title with no other document's link
        in between (that would make it a teaser's), else right after the title."""
        title = self._title_node()
        if title is None:
            return None
        date = has_class("date")
        before = self.first(f"preceding::*[{date}][1]", title)
        if before is not None and not self._document_link_between(before, title):
            return before
        # A date printed after the title only counts inside the title's own header box.
        header = title.getparent()
        after = self.first(f"following::*[{date}][1]", title)
        boxed = header is not None and header.tag not in ("body", "main", "html", "section")
        if after is not None and boxed and header in after.iterancestors() \
                and not self._document_link_between(title, after):
            return after
        return None

    def _document_link_between(self, start, end) -> bool:
        order = {node: index for index, node in enumerate(self.root.iter())}
        low, high = order[start], order[end]
        inside = set(start.iter())
        return any(
            low < order[link] < high and link not in inside and document_slug(
                absolute(self.url, link.get("href")) or "")
            for link in self.root.iter("a")
        )

    def credit(self) -> str | None:
        return inline_text(self._after_title(has_class("donated")))

    def text(self) -> str | None:
        active = f"{has_class('tab-pane')} and {has_class('active')}"
        node = self._after_title(active)
        if node is None:
            node = self._after_title(has_class("tab-pane"))
        return block_text(node)

    def summary(self) -> str | None:
        title = self._title_node()
        query = f"//*[{has_class('text-block')}]" if title is None else \
            f"following::*[{has_class('text-block')}]"
        for node in self.xpath(query, title):
            if not node.xpath(f"ancestor::*[{has_class('tab-pane')}]"):
                return block_text(node)
        return None

    # -- identity ----------------------------------------------------------------------------
    def slug(self) -> str | None:
        return document_slug(self.url)

    def record_id(self) -> str | None:
        value = self._info_text("record_id")
        match = _DIGITS.search(value or "")
        return match.group(0) if match else None

    def node_id(self) -> int | None:
        for script in self.xpath("//script[@data-drupal-selector='drupal-settings-json']/text()"):
            if match := _NODE_IN_SETTINGS.search(script):
                return int(match.group(1))
        for href in self.xpath("//link[@rel='shortlink']/@href"):
            if match := _NODE_PATH.search(href):
                return int(match.group(1))
        for href in self.xpath("//a/@href"):
            if match := _DOWNLOAD_NODE.search(href):
                return int(match.group(1))
        return None

    # -- pill sections -----------------------------------------------------------------------
    def people(self) -> list[dict[str, Any]]:
        people: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for role, matches in PEOPLE_SECTIONS:
            for name, href in pills(find_section(self._headings(), matches)):
                if (name, role) in seen:
                    continue
                seen.add((name, role))
                match = _PERSON_ID.search(unquote(href or ""))
                people.append({"id": int(match.group(1)) if match else None,
                               "name": name, "role": role, **parse_name(name)})
        return people

    def places(self) -> list[str]:
        return self._pill_names(PLACES)

    def subjects(self) -> list[str]:
        names = self._pill_names(SUBJECTS)
        if names:
            return names
        return unique(inline_text(n) for n in self.xpath(f"//*[{has_class('pill-subject')}]"))

    def topics(self) -> list[dict[str, Any]]:
        section = find_section(self._headings(), TOPICS)
        topics: dict[str, dict[str, Any]] = {}
        for name, href in pills(section):
            match = _TOPIC_PATH.search(urlsplit(href or "").path)
            topics.setdefault(name, {"slug": match.group(1) if match else None, "title": name})
        return list(topics.values())

    def related(self) -> list[str]:
        section = find_section(self._headings(), RELATED)
        return self._document_links(section)

    def downloads(self) -> list[str]:
        title = self._title_node()
        related = find_section(self._headings(), RELATED)
        skip = set(related.iter()) if related is not None else set()
        links = self.xpath("//a[@href]" if title is None else "following::a[@href]", title)
        urls = (absolute(self.url, a.get("href")) for a in links if a not in skip)
        return unique(u for u in urls if u and is_download(u))

    def _headings(self):
        if not hasattr(self, "_heading_cache"):
            self._heading_cache = heading_index(self.root)
        return self._heading_cache

    def _pill_names(self, matches) -> list[str]:
        return unique(name for name, _ in pills(find_section(self._headings(), matches)))

    def _document_links(self, section) -> list[str]:
        if section is None:
            return []
        urls = (absolute(self.url, a.get("href")) for a in section.xpath(".//a[@href]"))
        return unique(u for u in urls if u and document_slug(u))

    # -- Document Information ----------------------------------------------------------------
    def _info_block(self, key: str):
        blocks = self._blocks()
        for label in INFO_LABELS[key]:
            if label in blocks:
                return blocks[label]
        return None

    def _blocks(self):
        if not hasattr(self, "_info_cache"):
            self._info_cache = information_blocks(self.root)
        return self._info_cache

    def _info_text(self, key: str) -> str | None:
        block = self._info_block(key)
        return block_text_value(block) if block is not None else None

    def _info_list(self, key: str) -> list[str]:
        block = self._info_block(key)
        return unique(value_lines(block)) if block is not None else []

    def source(self) -> str | None:
        return self._info_text("source")

    def archives(self) -> list[str]:
        return self._info_list("archives")

    def languages(self) -> list[str]:
        return self._info_list("languages")

    def donors(self) -> list[str]:
        return self._info_list("donors")

    def type(self) -> str | None:
        return self._info_text("type")

    def classification(self) -> str | None:
        return self._info_text("classification")

    def rights(self) -> str | None:
        return self._info_text("rights")

    def uploaded(self) -> str | None:
        value = self._info_text("uploaded")
        if value is None:
            return None
        if match := _ISO_DAY.search(value):
            return match.group(1)
        parsed = parse_date(clean(value))
        return parsed["earliest"] if parsed and parsed["precision"] == "day" else None
