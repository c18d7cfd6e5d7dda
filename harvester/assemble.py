"""Putting a run together once every page is in: topic memberships resolved to Record IDs,
counters attached to topics, and records in their published order."""

from dataclasses import dataclass, field
from typing import Any

from harvester.items import Document, ListingCounter, Membership, Topic


def record_order(record_id: str) -> tuple[int, str]:
    """Record IDs sort as numbers (9999 before 110360), any odd one after, as text."""
    return (int(record_id), "") if record_id.isdigit() else (1 << 62, record_id)


@dataclass
class TopicReport:
    listed: int = 0
    unresolved: list[str] = field(default_factory=list)
    counter: int | None = None


def assemble(
    documents: dict[str, Document],
    topics: dict[str, Topic],
    memberships: list[Membership],
    counters: list[ListingCounter],
) -> dict[str, TopicReport]:
    """Fill `Document.topics` and `Topic.record_ids`/`document_count`/`topic_id` in place."""
    by_url = {url: doc for doc in documents.values() for url in doc.reached_from}
    reports = {slug: TopicReport() for slug in topics}
    members: dict[str, set[str]] = {slug: set() for slug in topics}
    listed: dict[str, set[str]] = {slug: set() for slug in topics}
    for membership in memberships:
        slug = membership.topic_slug
        if slug not in topics:
            continue
        listed[slug].add(membership.document_url)
        document = by_url.get(membership.document_url)
        if document is None:
            continue
        members[slug].add(document.record_id)
        add_topic(document, {"slug": slug, "title": topics[slug].title})
    for counter in counters:
        topic = topics.get(counter.topic_slug)
        if topic is None:
            continue
        if counter.total is not None:
            topic.document_count = max(topic.document_count or 0, counter.total)
        if topic.topic_id is None:
            topic.topic_id = counter.topic_id
    for slug, topic in topics.items():
        topic.record_ids = sorted(members[slug], key=record_order)
        found = {u for doc in documents.values() if doc.record_id in members[slug]
                 for u in doc.reached_from}
        reports[slug] = TopicReport(listed=len(listed[slug]),
                                    unresolved=sorted(listed[slug] - found),
                                    counter=topic.document_count)
    return reports


def add_topic(document: Document, topic: dict[str, Any]) -> None:
    """Add a membership unless the page already names the topic (by slug, else by title)."""
    for existing in document.topics:
        if existing["slug"] == topic["slug"]:
            return
        if existing["slug"] is None and existing["title"] == topic["title"]:
            existing["slug"] = topic["slug"]
            return
    document.topics.append(topic)
