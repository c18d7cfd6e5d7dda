"""Record order and topic memberships, shared by the publishing steps."""

from typing import Any

from harvester.items import Document


def record_order(record_id: str) -> tuple[int, str]:
    """Record IDs sort as numbers (9999 before 110360), any odd one after, as text."""
    return (int(record_id), "") if record_id.isdigit() else (1 << 62, record_id)


def add_topic(document: Document, topic: dict[str, Any]) -> None:
    """Add a membership unless the page already names the topic (by slug, else by title)."""
    for existing in document.topics:
        if existing["slug"] == topic["slug"]:
            return
        if existing["slug"] is None and existing["title"] == topic["title"]:
            existing["slug"] = topic["slug"]
            return
    document.topics.append(topic)
