"""Referential integrity of a run's records: documents, topics and people must tell one story.

The records are fed one at a time, documents first, then topics, then people, and only what the
checks across files need is kept (keys, line numbers, each document's topic slugs, the people
index the documents give), never the records, so memory does not grow with the text. Each check
gives problems as sentences naming the file, the line and the record at fault. Line N of a file
is its record N (a file with a broken line never reaches these checks).
"""

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from harvester.assemble import record_order
from harvester.dataset.people import (
    PAGE_FIELDS,
    PeopleIndex,
    PersonEntry,
    build_people_index,
    entry_order,
)

Record = dict[str, Any]


class OrderCheck:
    """Keys must be unique and the records sorted, so that runs diff line by line."""

    def __init__(self, name: str, what: str, key: Callable[[Record], str],
                 order: Callable[[Record], Any]) -> None:
        self.name, self.what, self.key, self.order = name, what, key, order
        self.seen: dict[str, int] = {}
        self.repeats: list[str] = []
        self.previous: Any = None
        self.unordered: str | None = None

    def add(self, line: int, record: Record) -> None:
        key = sys.intern(self.key(record))
        if key in self.seen:
            self.repeats.append(f"{self.name} line {line}: {key} repeats line {self.seen[key]}")
        self.seen.setdefault(key, line)
        order = self.order(record)
        if self.unordered is None and line > 1 and order < self.previous:
            self.unordered = f"{self.name} line {line}: out of {self.what} order"
        self.previous = order

    def problems(self) -> list[str]:
        return self.repeats + ([self.unordered] if self.unordered else [])


class Integrity:
    """Feed documents, then topics, then people; `problems()` says what does not agree.
    `documents_again` reads documents.jsonl anew, for the rare broken run whose problems need
    more than was kept (a person without entry, documents out of order)."""

    def __init__(self, documents_again: Callable[[], Iterable[tuple[int, Record]]]) -> None:
        self.documents_again = documents_again
        self.orders = {
            "documents.jsonl": OrderCheck("documents.jsonl", "Record ID",
                                          lambda r: r["record_id"],
                                          lambda r: record_order(r["record_id"])),
            "topics.jsonl": OrderCheck("topics.jsonl", "slug", lambda r: r["slug"],
                                       lambda r: r["slug"]),
            "people.jsonl": OrderCheck("people.jsonl", "display name", lambda r: r["key"],
                                       lambda r: entry_order(PersonEntry(**r))),
        }
        self.lines: dict[str, int] = {}  # Record ID -> its (last) line
        self.slugs: dict[str, frozenset[str]] = {}  # Record ID -> the topics it names
        self.members: dict[str, list[str]] | None = None  # slug -> Record IDs naming it
        self.index = PeopleIndex()
        self.expected: dict[str, Record] | None = None  # people key -> the entry expected
        self.published: set[str] = set()
        self.topic_found: list[str] = []
        self.entry_found: list[str] = []

    def add(self, name: str, line: int, record: Record) -> None:
        self.orders[name].add(line, record)
        if name == "documents.jsonl":
            self.add_document(line, record)
        elif name == "topics.jsonl":
            self.topic_found += self.topic_problems(line, record)
        else:
            self.entry_found += self.entry_problems(line, record)

    def add_document(self, line: int, document: Record) -> None:
        record_id = document["record_id"]
        self.lines[record_id] = line
        self.slugs[record_id] = frozenset(sys.intern(t["slug"]) for t in document["topics"]
                                          if t.get("slug"))
        self.index.add(document)

    def topic_problems(self, line: int, topic: Record) -> list[str]:
        """A harvested topic's record_ids and its documents' topic lists must agree both
        ways."""
        if self.members is None:
            self.members = {}
            for record_id, named in self.slugs.items():
                for slug in named:
                    self.members.setdefault(slug, []).append(record_id)
        found = []
        slug = topic["slug"]
        listed = set(topic["record_ids"])
        for record_id in topic["record_ids"]:
            if record_id not in self.slugs:
                found.append(f"topics.jsonl line {line} ({slug}): Record ID {record_id} is not "
                             "in documents.jsonl")
            elif slug not in self.slugs[record_id]:
                found.append(f"documents.jsonl line {self.lines[record_id]} (record "
                             f"{record_id}): topic {slug} is missing though topics.jsonl lists "
                             "the document")
        found += [f"documents.jsonl line {self.lines[record_id]} (record {record_id}): names "
                  f"topic {slug}, whose record_ids in topics.jsonl leave it out"
                  for record_id in self.members.get(slug, []) if record_id not in listed]
        return found

    def expected_people(self) -> dict[str, Record]:
        """The people index the documents give (read again, sorted, if they were not in
        order: the index takes names in Record ID order)."""
        if self.expected is None:
            if self.orders["documents.jsonl"].unordered:
                self.index = build_people_index(slim(self.documents_again()))
            self.expected = {entry["key"]: entry for entry in self.index.entries()}
        return self.expected

    def entry_problems(self, line: int, entry: Record) -> list[str]:
        """Every people entry is exactly what the documents give (its first line counts); what
        a person's own page adds (PAGE_FIELDS) is not the documents' to say."""
        expected, key = self.expected_people(), entry["key"]
        if key in self.published:
            return []
        self.published.add(key)
        if key not in expected:
            return [f"people.jsonl line {line} ({key}): named on no document"]
        return [f"people.jsonl line {line} ({key}): {field} is {entry[field]!r}, the "
                f"documents give {value!r}"
                for field, value in expected[key].items()
                if field not in PAGE_FIELDS and entry.get(field) != value]

    def people_without_entry(self) -> list[str]:
        """Every person on a document has its entry (documents read again to name them)."""
        if set(self.expected_people()) <= self.published:
            return []
        key_of = self.index.key_of
        return [f"documents.jsonl line {line} (record {document['record_id']}): person "
                f"{key_of(person)} ({person['name']}) has no entry in people.jsonl"
                for line, document in self.documents_again() for person in document["people"]
                if key_of(person) not in self.published]

    def problems(self) -> list[str]:
        return [*(problem for check in self.orders.values() for problem in check.problems()),
                *self.topic_found, *self.people_without_entry(), *self.entry_found]


def slim(documents: Iterable[tuple[int, Record]]) -> Iterator[Record]:
    """Only what the people index reads of each document."""
    for _, document in documents:
        yield {"record_id": document["record_id"], "date": document["date"],
               "people": document["people"]}


def first(items: Iterable[str], limit: int) -> list[str]:
    """At most `limit` problems, then one line saying how many more there were."""
    items = list(items)
    extra = len(items) - limit
    return items[:limit] + ([f"... and {extra} more like these"] if extra > 0 else [])
