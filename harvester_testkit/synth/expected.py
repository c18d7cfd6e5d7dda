"""Ground truth: the records a correct crawl of the mirror yields, worked out from the model
(never by parsing a page). Documents and topics as docs/RECORDS.md defines them, without
`retrieved_at`, sorted like the harvester's output; rejects as `{url, field}` (the reason is
free text)."""

import hashlib
from collections.abc import Iterator

from harvester.site_urls import ARCHIVE_URL
from harvester_testkit.synth import dates
from harvester_testkit.synth.build import can_be_linked, upload_day
from harvester_testkit.synth.model import DocumentModel, SiteModel, TopicModel
from harvester_testkit.synth.people import PEOPLE, SLUG_LINKS, TERM_LINKS
from harvester_testkit.synth.vocabulary import (
    CREDIT_PREFIX,
    PLACES,
    RIGHTS_PLAIN,
    RIGHTS_WITH_EMAIL,
)

PUBLIC_BASE = ARCHIVE_URL
POPULAR_SIZE = 5


def document_url(document: DocumentModel) -> str:
    return f"{PUBLIC_BASE}/document/{document.slug}"


def topic_url(topic: TopicModel) -> str:
    return f"{PUBLIC_BASE}/topics/{topic.slug}"


def document_record(document: DocumentModel, by_id: dict[str, DocumentModel],
                    topics: dict[str, TopicModel]) -> dict:
    """The Document record of a valid page (its related documents looked up in `by_id`)."""
    look = document.look
    links = SLUG_LINKS if look["people-link"] == "slug" else TERM_LINKS
    return {
        "record_id": document.record_id,
        "node_id": node_id(document),
        "url": document_url(document),
        "slug": document.slug,
        "title": document.title,
        "date": dates.expected(document.date),
        "summary": "\n\n".join(document.summary) or None,
        "people": [PEOPLE[key].record(role, links) for key, role in document.people],
        "places": list(document.places),
        # places link a faceted search on their term id, subjects a full-text search
        "place_links": [{"id": dict(PLACES)[p], "slug": None, "name": p} for p in document.places],
        "topics": [{"slug": s, "title": topics[s].title} for s in document.topics],
        "subjects": list(document.subjects),
        "subject_links": [{"id": None, "slug": None, "name": s} for s in document.subjects],
        "source": document.source,
        "archives": list(document.archives),
        "languages": list(document.languages),
        "type": document.type,
        "classification": document.classification,
        "rights": rights_text(document.rights),
        # the Donors block and the credit line name the same funders: each once
        "donors": [] if look["donors"] == look["credit"] == "none" else list(document.funders),
        "credit": None if look["credit"] == "none" else credit_line(document.funders),
        "uploaded": upload_day(document.created) if look["uploaded"] == "shown" else None,
        "related": [document_url(by_id[r]) for r in document.related],
        "downloads": downloads(document),
        "preview": preview_url(document),
        "text": None if preview_url(document) else "\n\n".join(text_lines(document.text)),
        "texts": texts(document),
    }


def node_id(document: DocumentModel) -> int | None:
    where = document.look["node-id"]
    if where == "download" and document.look["downloads"] == "none":
        return None
    return document.node_id


def downloads(document: DocumentModel) -> list[str]:
    """The node's download link (in the header), then the PDF a PDF-only page shows."""
    found = [] if document.look["downloads"] == "none" else [
        f"{PUBLIC_BASE}/document/{document.node_id}/download"]
    pdf = preview_url(document)
    return found + [pdf] if pdf else found


def preview_path(document: DocumentModel) -> str | None:
    """Where a PDF-only page's scan is (`object.pdf-preview[data]`); None for a page of text."""
    if document.look.get("scan") != "pdf-only":
        return None
    return f"/sites/default/files/documents/{upload_day(document.created)[:7]}/{document.slug}.pdf"


def preview_url(document: DocumentModel) -> str | None:
    path = preview_path(document)
    return PUBLIC_BASE + path if path else None


def texts(document: DocumentModel) -> list[dict]:
    """Each pane with text, in page order: the translation (English when a tab button or the
    language level names it; a lone pane without buttons does not say) and the original. A
    PDF-only page's one pane is its scan: no text."""
    if preview_url(document):
        return []
    tabs = document.look["tabs"]
    found = [{"kind": "translation", "language": None if tabs == "single-inactive" else "English",
              "text": "\n\n".join(text_lines(document.text))}]
    if document.original is not None:
        original = {"kind": "original", "language": document.languages[0],
                    "text": document.original}
        found = [original, *found] if tabs == "active-second" else [*found, original]
    return found


def rights_text(rights: dict | None) -> str | None:
    if rights is None:
        return None
    if rights["kind"] == "email":
        before, address, after, _ = RIGHTS_WITH_EMAIL[rights["index"]]
        return before + address + after
    return RIGHTS_PLAIN


def credit_line(funders: list[str]) -> str:
    names = funders[0] if len(funders) == 1 else f"{', '.join(funders[:-1])} and {funders[-1]}"
    return f"{CREDIT_PREFIX} {names}"


def text_lines(blocks: list[dict]) -> list[str]:
    """The text's paragraphs: each block, list item and `<br>`-separated line on its own."""
    lines: list[str] = []
    for block in blocks:
        for value in block.values():
            lines.extend(value if isinstance(value, list) else [value])
    return lines


def listed_url(document: DocumentModel) -> str:
    """The URL listings link a document by (an old numeric one for some)."""
    if document.look.get("listed-as") == "old-url":
        return f"{PUBLIC_BASE}/document/{document.record_id}"
    return document_url(document)


def popularity(topic: TopicModel, document: DocumentModel) -> bytes:
    """A rank that depends on nothing else in the site, so popular lists stay stable."""
    return hashlib.sha1(f"{topic.slug}/{document.record_id}".encode()).digest()


def popular(topic: TopicModel, members: list[DocumentModel]) -> list[DocumentModel]:
    """The topic page's Popular Documents: a stable pick of its linkable, summarised members."""
    shown = [d for d in members if can_be_linked(d) and d.summary]
    return sorted(shown, key=lambda d: popularity(topic, d))[:POPULAR_SIZE]


def topic_record(topic: TopicModel, members: list[DocumentModel]) -> dict:
    valid = [d for d in members if d.reject is None]
    return {
        "slug": topic.slug,
        "url": topic_url(topic),
        "title": topic.title,
        "description": topic.description,
        "topic_id": topic.tid,
        "document_count": len(members),
        "record_ids": sorted((d.record_id for d in valid), key=int),
        "popular": [{"url": document_url(d), "date": dates.expected(d.date), "title": d.title,
                     "summary": "\n\n".join(d.summary)} for d in popular(topic, members)],
    }


def reject_record(document: DocumentModel) -> dict:
    return {"url": document_url(document), "field": document.reject}


def expected_records(site: SiteModel) -> tuple[Iterator[dict], list[dict], list[dict]]:
    """(documents by numeric Record ID, made one at a time; topics by slug; rejects by URL)."""
    by_id, topics_by_slug = site.by_id(), {t.slug: t for t in site.topics}
    ordered = sorted(site.documents, key=lambda d: int(d.record_id))
    documents = (document_record(d, by_id, topics_by_slug) for d in ordered if d.reject is None)
    rejects = sorted((reject_record(d) for d in ordered if d.reject), key=lambda r: r["url"])
    members = {t.slug: site.members(t.slug) for t in site.topics}
    topics = [topic_record(t, members[t.slug])
              for t in sorted(site.topics, key=lambda t: t.slug)]
    return documents, topics, rejects
