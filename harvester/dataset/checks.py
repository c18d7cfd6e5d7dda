"""Referential integrity of a run's records: documents, topics and people must tell one story.

Each check returns problems as sentences naming the file, the line and the record at fault.
Line N of a file is its record N (a file with a broken line never reaches these checks).
"""

from collections.abc import Callable, Iterable
from typing import Any

from harvester.assemble import record_order
from harvester.dataset.people import PersonEntry, entry_order, people_index, person_key

Records = list[dict[str, Any]]


def integrity_problems(documents: Records, topics: Records, people: Records) -> list[str]:
    return [
        *order_problems("documents.jsonl", documents, lambda r: record_order(r["record_id"]),
                        "Record ID", lambda r: r["record_id"]),
        *order_problems("topics.jsonl", topics, lambda r: r["slug"], "slug", lambda r: r["slug"]),
        *order_problems("people.jsonl", people, lambda r: entry_order(PersonEntry(**r)),
                        "display name", lambda r: r["key"]),
        *topic_problems(documents, topics),
        *people_problems(documents, people),
    ]


def order_problems(name: str, records: Records, order: Callable[[dict], Any], what: str,
                   key: Callable[[dict], str]) -> list[str]:
    """Keys must be unique and the records sorted, so that runs diff line by line."""
    found, seen = [], {}
    for line, record in enumerate(records, start=1):
        if key(record) in seen:
            found.append(f"{name} line {line}: {key(record)} repeats line {seen[key(record)]}")
        seen.setdefault(key(record), line)
    for line in range(2, len(records) + 1):
        if order(records[line - 1]) < order(records[line - 2]):
            found.append(f"{name} line {line}: out of {what} order")
            break
    return found


def topic_problems(documents: Records, topics: Records) -> list[str]:
    """A harvested topic's record_ids and its documents' topic lists must agree both ways."""
    found = []
    lines = {d["record_id"]: line for line, d in enumerate(documents, start=1)}
    slugs = {d["record_id"]: {t["slug"] for t in d["topics"] if t.get("slug")} for d in documents}
    members: dict[str, list[str]] = {}
    for record_id, named in slugs.items():
        for slug in named:
            members.setdefault(slug, []).append(record_id)
    for line, topic in enumerate(topics, start=1):
        slug = topic["slug"]
        listed = set(topic["record_ids"])
        for record_id in topic["record_ids"]:
            if record_id not in slugs:
                found.append(f"topics.jsonl line {line} ({slug}): Record ID {record_id} is not "
                             "in documents.jsonl")
            elif slug not in slugs[record_id]:
                found.append(f"documents.jsonl line {lines[record_id]} (record {record_id}): "
                             f"topic {slug} is missing though topics.jsonl lists the document")
        found += [f"documents.jsonl line {lines[record_id]} (record {record_id}): names topic "
                  f"{slug}, whose record_ids in topics.jsonl leave it out"
                  for record_id in members.get(slug, []) if record_id not in listed]
    return found


def people_problems(documents: Records, people: Records) -> list[str]:
    """Every person on a document has its entry, and every entry is what the documents give."""
    found = []
    published = {}
    for line, entry in enumerate(people, start=1):
        published.setdefault(entry["key"], (line, entry))
    for line, document in enumerate(documents, start=1):
        for person in document["people"]:
            if person_key(person) not in published:
                found.append(f"documents.jsonl line {line} (record {document['record_id']}): "
                             f"person {person_key(person)} ({person['name']}) has no entry in "
                             "people.jsonl")
    expected = {entry["key"]: entry for entry in people_index(documents)}
    for key, (line, entry) in published.items():
        if key not in expected:
            found.append(f"people.jsonl line {line} ({key}): named on no document")
            continue
        found += [f"people.jsonl line {line} ({key}): {field} is {entry[field]!r}, the "
                  f"documents give {value!r}"
                  for field, value in expected[key].items() if entry.get(field) != value]
    return found


def first(items: Iterable[str], limit: int) -> list[str]:
    """At most `limit` problems, then one line saying how many more there were."""
    items = list(items)
    extra = len(items) - limit
    return items[:limit] + ([f"... and {extra} more like these"] if extra > 0 else [])
