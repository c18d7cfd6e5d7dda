"""Record order and topic memberships, shared by the publishing steps."""

from typing import Any

from harvester.items import Document

# The one order of records in every file: Record IDs (digits) as numbers, 9999 before 110360,
# which is by length and then as text; the state's queries say the same in SQL.
RECORD_ORDER_SQL = "length(record_id), record_id"


def record_order(record_id: str) -> tuple[int, str]:
    """The sort key of RECORD_ORDER_SQL."""
    return len(record_id), record_id


def add_topic(document: Document, topic: dict[str, Any]) -> None:
    """Add a membership unless the page already names the topic (by slug, else by title)."""
    for existing in document.topics:
        if existing["slug"] == topic["slug"]:
            return
        if existing["slug"] is None and existing["title"] == topic["title"]:
            existing["slug"] = topic["slug"]
            return
    document.topics.append(topic)
