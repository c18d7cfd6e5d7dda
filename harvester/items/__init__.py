"""Records the spiders emit. Field order here is the key order of every written line.

A record is only the record: what the crawl knows of it besides (how its page was reached, its
validators) travels beside it (`harvester.items.envelope`). The JSON Schemas in
`harvester/items/schemas/` are the published contract for the records (`schema_for`);
`harvester.items.validation.problems` checks a record against its schema.
"""

import json
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from harvester.items.envelope import Envelope, sealed


@dataclass
class Document:
    record_id: str | None = None
    node_id: int | None = None
    url: str | None = None
    slug: str | None = None
    title: str | None = None
    date: dict[str, Any] | None = None
    summary: str | None = None
    people: list[dict[str, Any]] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    # Each place as {id, slug, name}: what its pill links (harvester/pages/links.py); None only
    # for a record stored before the field existed, as for `subject_links`.
    place_links: list[dict[str, Any]] | None = None
    topics: list[dict[str, Any]] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    subject_links: list[dict[str, Any]] | None = None
    source: str | None = None
    archives: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    type: str | None = None
    classification: str | None = None
    rights: str | None = None
    donors: list[str] = field(default_factory=list)
    credit: str | None = None
    uploaded: str | None = None
    related: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)
    # The file a PDF-only page shows in place of text (also in downloads).
    preview: str | None = None
    text: str | None = None
    # Every text the page holds, {kind, language, text} in page order; None only for a record
    # stored before the field existed (harvester/pages/texts.py).
    texts: list[dict[str, Any]] | None = None
    retrieved_at: str | None = None
    # Where the page came from: {source, timestamp, url, digest} (harvester.capture.rows).
    capture: dict[str, Any] | None = None


@dataclass
class Topic:
    slug: str | None = None
    url: str | None = None
    title: str | None = None
    description: str | None = None
    topic_id: int | None = None
    document_count: int | None = None
    record_ids: list[str] = field(default_factory=list)
    popular: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Reject:
    url: str | None = None
    reason: str | None = None
    field: str | None = None


RECORD_TYPES: dict[type, str] = {Document: "document", Topic: "topic", Reject: "reject"}


def to_record(item: Document | Topic | Reject) -> dict[str, Any]:
    """The item as written, in declared order."""
    return {f.name: getattr(item, f.name) for f in fields(item)}


def stored_document(record: dict[str, Any]) -> Document:
    """A Document from a record the state keeps, sealed as unchanged (a key the record type no
    longer has is left out)."""
    names = set(fields_of("document"))
    document = Document(**{k: v for k, v in record.items() if k in names})
    return sealed(document, Envelope(unchanged=True))


def fields_of(kind: str) -> list[str]:
    """Written field names of a record type, in order."""
    item_type = next(t for t, name in RECORD_TYPES.items() if name == kind)
    return [f.name for f in fields(item_type)]


def schema_file(kind: str) -> Traversable:
    """Where the JSON Schema of a record type is installed (`items/schemas/<kind>.schema.json`)."""
    return resources.files(__name__).joinpath("schemas", f"{kind}.schema.json")


@cache
def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema of a record type (`document`, `topic`, `people`, `reject`)."""
    return json.loads(schema_file(kind).read_text("utf-8"))
