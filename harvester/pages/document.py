"""The document page (`/document/<slug>`): one method per field of the Document record."""

import re
from functools import cached_property
from typing import Any
from urllib.parse import unquote

from harvester.items import Document
from harvester.normalize.dates import parse_date
from harvester.normalize.names import parse_name
from harvester.normalize.text import clean, unique
from harvester.pages.base import Page
from harvester.pages.credit import credit_donors, merged
from harvester.pages.header import own_date
from harvester.pages.html import (
    absolute,
    block_text,
    document_slug,
    inline_text,
    is_download,
    link_path,
)
from harvester.pages.index import Element, classes_of
from harvester.pages.links import term_links
from harvester.pages.sections import (
    Headings,
    block_text_value,
    find_section,
    heading_index,
    information_blocks,
    pills,
    starts,
    value_lines,
)
from harvester.pages.texts import TextTabs
from harvester.site_urls import DOWNLOAD_NODE, PERSON_LINK, TOPIC_LINK

_NODE_IN_SETTINGS = re.compile(r'"currentPath"\s*:\s*"node\\?/(\d+)"')
_NODE_PATH = re.compile(r"/node/(\d+)")
_PERSON_ID = re.compile(r"people:(\d+)")
# A slug as the site makes them; anything else in a link gives no slug, not a bad one.
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
            places=self.places(), place_links=self.place_links(), topics=self.topics(),
            subjects=self.subjects(), subject_links=self.subject_links(),
            source=self.source(), archives=self.archives(), languages=self.languages(),
            type=self.type(), classification=self.classification(), rights=self.rights(),
            donors=self.donors(), credit=self.credit(), uploaded=self.uploaded(),
            related=self.related(), downloads=self.downloads(), preview=self.preview(),
            text=self.text(), texts=self.texts(),
        )

    # -- the header --------------------------------------------------------------------------
    def title(self) -> str | None:
        node = self.title_node
        return inline_text(node) if node is not None else None

    def _after_title(self, name: str) -> Element | None:
        """First element of class `name` after the title (or anywhere if untitled)."""
        return self.index.first_after(self.index.with_class(name), self.title_node)

    def date(self) -> dict[str, Any] | None:
        node = own_date(self.index, self.title_node)
        return parse_date(inline_text(node)) if node is not None else None

    def credit(self) -> str | None:
        return inline_text(self._after_title("donated"))

    def text(self) -> str | None:
        """The English translation where the page has one, else the shown tab: the record's
        one text, as it was before `texts` held them all."""
        return self._tabs.english_translation() or block_text(self._tabs.shown)

    def texts(self) -> list[dict[str, Any]]:
        """Every text the page holds, `{kind, language, text}` in page order (texts.py)."""
        return self._tabs.texts

    @cached_property
    def _tabs(self) -> TextTabs:
        return TextTabs(self.index, self.title_node)

    def preview(self) -> str | None:
        """The file the page shows (`object.pdf-preview`: what a PDF-only page shows in place
        of text), as an absolute URL."""
        return next((url for _, url in self._previews()), None)

    def _previews(self) -> list[tuple[int, str]]:
        """(position, absolute URL) of each file the page shows after the title, outside the
        Related Documents."""
        index, found = self.index, []
        for node in index.after(index.with_class("pdf-preview"), self.title_node):
            if node.tag == "object" and not self._in_related(node) \
                    and (url := absolute(self.url, node.get("data"))):
                found.append((index.start(node), url))
        return found

    def summary(self) -> str | None:
        for node in self.index.after(self.index.with_class("text-block"), self.title_node):
            if not any("tab-pane" in classes_of(a) for a in node.iterancestors()):
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
        """From Drupal's settings JSON, else the shortlink, else a download link (anywhere on
        the page: the first two sit in its head)."""
        for script in self.root.iter("script"):
            if script.get("data-drupal-selector") == "drupal-settings-json" \
                    and (match := _NODE_IN_SETTINGS.search(script.text or "")):
                return int(match.group(1))
        for link in self.root.iter("link"):
            if link.get("rel") == "shortlink" \
                    and (match := _NODE_PATH.search(link.get("href") or "")):
                return int(match.group(1))
        for link in self.root.iter("a"):
            if match := DOWNLOAD_NODE.search(link.get("href") or ""):
                return int(match.group(1))
        return None

    # -- pill sections -----------------------------------------------------------------------
    def people(self) -> list[dict[str, Any]]:
        people: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for role, matches in PEOPLE_SECTIONS:
            for name, href in self._pills(matches):
                if (name, role) in seen:
                    continue
                seen.add((name, role))
                term = _PERSON_ID.search(unquote(href or ""))
                slug = PERSON_LINK.search(link_path(href))
                people.append({"id": int(term.group(1)) if term else None,
                               "slug": slug.group(1) if slug else None,
                               "name": name, "role": role, **parse_name(name)})
        return people

    def places(self) -> list[str]:
        return self._pill_names(PLACES)

    def place_links(self) -> list[dict[str, Any]]:
        return term_links("places", self._pills(PLACES))

    def subjects(self) -> list[str]:
        return [link["name"] for link in self.subject_links()]

    def subject_links(self) -> list[dict[str, Any]]:
        """Subjects Discussed pills, else any subject pill on the page (without its link)."""
        pills = self._pills(SUBJECTS)
        if not pills:
            pills = [(name, None) for n in self.index.at(self.index.with_class("pill-subject"))
                     if (name := inline_text(n))]
        return term_links("subjects", pills)

    def topics(self) -> list[dict[str, Any]]:
        topics: dict[str, dict[str, Any]] = {}
        for name, href in self._pills(TOPICS):
            match = TOPIC_LINK.search(link_path(href))
            topics.setdefault(name, {"slug": match.group(1) if match else None, "title": name})
        return list(topics.values())

    def related(self) -> list[str]:
        if self._related is None:
            return []
        return unique(self.index.document_url(a)
                      for a in self.index.inside(self.index.links, self._related))

    def downloads(self) -> list[str]:
        """Download links and the files the page shows (`preview`), in page order; none from
        the Related Documents."""
        index = self.index
        found = [(index.start(a), url) for a in index.after(index.links, self.title_node)
                 if not self._in_related(a) and (url := index.url(a)) and is_download(url)]
        return unique(url for _, url in sorted(found + self._previews()))

    @cached_property
    def _related(self) -> Element | None:
        return self._section(RELATED)

    def _in_related(self, node: Element) -> bool:
        related = self._related
        return related is not None and (node is related or self.index.contains(related, node))

    @cached_property
    def _headings(self) -> Headings:
        return heading_index(self.index)

    def _section(self, matches) -> Element | None:
        return find_section(self.index, self._headings, matches)

    def _pills(self, matches) -> list[tuple[str, str | None]]:
        return pills(self.index, self._section(matches))

    def _pill_names(self, matches) -> list[str]:
        return unique(name for name, _ in self._pills(matches))

    # -- Document Information ----------------------------------------------------------------
    @cached_property
    def _blocks(self) -> dict[str, Element]:
        return information_blocks(self.index)

    def _info_block(self, key: str) -> Element | None:
        for label in INFO_LABELS[key]:
            if label in self._blocks:
                return self._blocks[label]
        return None

    def _info_text(self, key: str) -> str | None:
        block = self._info_block(key)
        return block_text_value(self.index, block) if block is not None else None

    def _info_list(self, key: str) -> list[str]:
        block = self._info_block(key)
        return unique(value_lines(self.index, block)) if block is not None else []

    def source(self) -> str | None:
        return self._info_text("source")

    def archives(self) -> list[str]:
        return self._info_list("archives")

    def languages(self) -> list[str]:
        return self._info_list("languages")

    def donors(self) -> list[str]:
        """The Donors block's names, then those the credit line names, each once."""
        return merged(self._info_list("donors"), credit_donors(self._after_title("donated")))

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
