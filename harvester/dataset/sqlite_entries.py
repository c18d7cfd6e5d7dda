"""The SQLite export's people, places and subjects: one row per merged entry (people.py,
terms.py), and link tables from each document's pills to them, with foreign keys.

Also what a browsing user filters documents by: each document's `year` and its people, places,
subjects, topics and languages as JSON arrays of names (Datasette facets them as arrays).
"""

import json
from typing import Any

import sqlite_utils

from harvester.dataset.flat import column_types, flat_row
from harvester.dataset.people import PeopleIndex, build_people_index
from harvester.dataset.terms import TermIndex, document_terms, term_index

# Document columns a browser facets on, each a JSON array of names.
FACET_COLUMNS = ("people", "places", "subjects", "topics", "languages")


def to_json(values: list[Any]) -> str:
    return json.dumps(values, ensure_ascii=False)


def unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


class Entries:
    """The merged people, places and subjects of one run, built once from its documents."""

    def __init__(self, documents: list[dict[str, Any]]) -> None:
        self.people = build_people_index(documents, ordered=True)
        self.places = term_index(documents, "places")
        self.subjects = term_index(documents, "subjects")
        self.display = {e["key"]: e["display"] for e in self.people.entries()}
        self.term_names: dict[str, dict[str, str]] = {
            index.field: {e["key"]: e["name"] for e in index.entries()}
            for index in (self.places, self.subjects)}

    def facets(self, document: dict[str, Any]) -> dict[str, str]:
        """The JSON array columns of a document row: one name per merged entry."""
        named = {
            "people": [self.display[self.people.key_of(p)] for p in document["people"]],
            "places": [self.term_names["places"][self.places.key_of(t)]
                       for t in document_terms(document, "places")],
            "subjects": [self.term_names["subjects"][self.subjects.key_of(t)]
                         for t in document_terms(document, "subjects")],
            "topics": [t["title"] or t["slug"] for t in document["topics"]],
            "languages": list(document["languages"]),
        }
        return {column: to_json(unique(values)) for column, values in named.items()}


def write_people(db: sqlite_utils.Database, people: list[dict[str, Any]],
                 documents: list[dict[str, Any]], index: PeopleIndex) -> None:
    columns = {k: v for k, v in column_types("people").items() if k != "record_ids"}
    table = db.table("people")
    table.create(columns, pk="key", not_null=["name"])
    table.insert_all({k: v for k, v in flat_row(entry, to_json).items() if k in columns}
                     for entry in people)
    table.create_index(["slug"])
    table.create_index(["display"])
    links = [{"record_id": d["record_id"], "position": n, "person_key": index.key_of(p),
              "role": p["role"], "name": p["name"], "id": p.get("id"), "slug": p.get("slug")}
             for d in documents for n, p in enumerate(d["people"], start=1)]
    db.table("document_people").create(
        {"record_id": str, "position": int, "person_key": str, "role": str, "name": str,
         "id": int, "slug": str},
        pk=("record_id", "position"),
        foreign_keys=[("record_id", "documents", "record_id"),
                      ("person_key", "people", "key")])
    db.table("document_people").insert_all(links)
    db.table("document_people").create_index(["person_key", "role"])


def write_terms(db: sqlite_utils.Database, index: TermIndex,
                documents: list[dict[str, Any]]) -> None:
    """`places` or `subjects` (key, slug, ids, name, aliases, document_count) and the link
    table `document_places` / `document_subjects` keeping each document's page order."""
    field, key_column = index.field, f"{index.field[:-1]}_key"
    db.table(field).create({"key": str, "slug": str, "ids": str, "name": str, "aliases": str,
                            "document_count": int}, pk="key", not_null=["name"])
    db.table(field).insert_all({**entry, "ids": to_json(entry["ids"]),
                                "aliases": to_json(entry["aliases"])}
                               for entry in index.entries())
    db.table(field).create_index(["name"])
    link = f"document_{field}"
    db.table(link).create({"record_id": str, "position": int, key_column: str, "name": str},
                          pk=("record_id", "position"),
                          foreign_keys=[("record_id", "documents", "record_id"),
                                        (key_column, field, "key")])
    db.table(link).insert_all({"record_id": d["record_id"], "position": n,
                               key_column: index.key_of(term), "name": term["name"]}
                              for d in documents
                              for n, term in enumerate(document_terms(d, field), start=1))
    db.table(link).create_index([key_column])
