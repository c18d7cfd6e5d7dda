"""`harvester export sqlite`: the run as one SQLite file of linked tables, for SQL users.

documents, people, places, subjects, topics and the vocabularies (languages, archives, donors)
are tables; document_people (with the role), document_places, document_subjects,
document_topics and document_<vocabulary> link them with foreign keys; people, places and
subjects are merged entries (sqlite_entries.py). document_texts holds every text of each
document (kind, language, text), in page order. documents_fts is a full-text index (FTS5) on
title, summary and text, and document_texts_fts one on every text. documents_per_year is a view
of the documents dated within one year. Lists that link nowhere (related, downloads, aliases,
popular) and the facet columns of documents are JSON text.
"""

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlite_utils

from harvester.dataset.atomic import atomic_file
from harvester.dataset.chart import document_year
from harvester.dataset.files import RunRecords
from harvester.dataset.flat import ROLE_COLUMNS, column_types, flat_row
from harvester.dataset.progress import Progress
from harvester.dataset.sqlite_entries import FACET_COLUMNS, Entries, write_people, write_terms
from harvester.dataset.terms import LINKED_FIELDS

# Document list field -> (vocabulary table, its link table's id column).
VOCABULARIES = {"languages": "language_id", "archives": "archive_id", "donors": "donor_id"}
PER_YEAR = ("CREATE VIEW documents_per_year AS SELECT year, count(*) AS documents "
            "FROM documents WHERE year IS NOT NULL GROUP BY year ORDER BY year")
PACKAGE_FACTS = ("name", "title", "run_id", "created", "harvester_version", "homepage",
                 "rights")


def to_json(values: list[Any]) -> str:
    return json.dumps(values, ensure_ascii=False)


def export_sqlite(records: RunRecords, package: dict[str, Any], out: Path,
                  progress: Progress | None = None) -> Path:
    progress = progress or Progress.silent()
    with atomic_file(out) as building:
        db = sqlite_utils.Database(building)
        db.conn.execute("PRAGMA foreign_keys = ON")
        with db.conn:
            write_package(db, package)
            entries = Entries(records.documents)
            progress.begin("writing documents", len(records.documents))
            write_documents(db, progress.counted(records.documents), entries)
            progress.begin("writing people", len(records.people))
            write_people(db, list(progress.counted(records.people)), records.documents,
                         entries.people)
            write_terms(db, entries.places, records.documents)
            write_terms(db, entries.subjects, records.documents)
            progress.begin("writing topics", len(records.topics))
            write_topics(db, progress.counted(records.topics), records.documents)
            for field, id_column in VOCABULARIES.items():
                write_vocabulary(db, field, id_column, records.documents)
            write_texts(db, records.documents)
            progress.begin("writing rejects", len(records.rejects))
            write_rejects(db, progress.counted(records.rejects))
        db.table("documents").enable_fts(["title", "summary", "text"], fts_version="FTS5")
        db.table("document_texts").enable_fts(["text"], fts_version="FTS5")
        db.execute(PER_YEAR)
        broken = db.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the export breaks its own foreign keys: {broken[:5]}")
        db.vacuum()
        db.close()
    return out


def write_package(db: sqlite_utils.Database, package: dict[str, Any]) -> None:
    db.table("package").insert_all(
        [{"key": k, "value": str(package[k])} for k in PACKAGE_FACTS if package.get(k)],
        pk="key")


def write_documents(db: sqlite_utils.Database, documents: Iterable[dict[str, Any]],
                    entries: Entries) -> None:
    """One row per document: its own fields, `year`, and the facet columns (JSON arrays)."""
    linked = {*ROLE_COLUMNS.values(), "topics", "texts", *VOCABULARIES, *LINKED_FIELDS,
              *LINKED_FIELDS.values()}
    columns = {k: v for k, v in column_types("document").items() if k not in linked}
    columns |= {"year": int} | dict.fromkeys(FACET_COLUMNS, str)
    table = db.table("documents")
    table.create(columns, pk="record_id", not_null=["url", "title"])
    table.insert_all({**{k: v for k, v in flat_row(d, to_json).items() if k in columns},
                      "year": document_year(d), **entries.facets(d)} for d in documents)
    for column in ("date_earliest", "date_latest", "uploaded", "year"):
        table.create_index([column])


def write_texts(db: sqlite_utils.Database, documents: list[dict[str, Any]]) -> None:
    """Every text of each document (translations, transcripts, originals), in page order."""
    db.table("document_texts").create(
        {"record_id": str, "position": int, "kind": str, "language": str, "text": str},
        pk=("record_id", "position"), not_null=["kind", "text"],
        foreign_keys=[("record_id", "documents", "record_id")])
    db.table("document_texts").insert_all(
        {"record_id": d["record_id"], "position": n, "kind": t["kind"],
         "language": t["language"], "text": t["text"]}
        for d in documents for n, t in enumerate(d.get("texts") or [], start=1))
    db.table("document_texts").create_index(["kind", "language"])


def topic_key(topic: dict[str, Any]) -> str:
    """A topic pill's key: its slug, else its title (the archive gave no link)."""
    return topic["slug"] or f"title:{topic['title'] or ''}"


def write_topics(db: sqlite_utils.Database, topics: Iterable[dict[str, Any]],
                 documents: list[dict[str, Any]]) -> None:
    rows: dict[str, dict[str, Any]] = {}
    for topic in topics:
        rows[topic["slug"]] = {"key": topic["slug"], "slug": topic["slug"],
                               "title": topic["title"], "url": topic["url"],
                               "description": topic["description"],
                               "topic_id": topic["topic_id"],
                               "document_count": topic["document_count"],
                               "harvested": 1, "popular": to_json(topic["popular"])}
    for document in documents:
        for topic in document["topics"]:
            rows.setdefault(topic_key(topic), {"key": topic_key(topic), "slug": topic["slug"],
                                               "title": topic["title"], "harvested": 0})
    db.table("topics").create({"key": str, "slug": str, "title": str, "url": str,
                               "description": str, "topic_id": int, "document_count": int,
                               "harvested": int, "popular": str}, pk="key")
    db.table("topics").insert_all(sorted(rows.values(), key=lambda r: r["key"]))
    links = [{"record_id": d["record_id"], "position": n, "topic_key": topic_key(t)}
             for d in documents for n, t in enumerate(d["topics"], start=1)]
    db.table("document_topics").create(
        {"record_id": str, "position": int, "topic_key": str}, pk=("record_id", "position"),
        foreign_keys=[("record_id", "documents", "record_id"), ("topic_key", "topics", "key")])
    db.table("document_topics").insert_all(links)
    db.table("document_topics").create_index(["topic_key"])


def write_vocabulary(db: sqlite_utils.Database, field: str, id_column: str,
                     documents: list[dict[str, Any]]) -> None:
    """One table of the distinct values (ids in sorted order, stable across runs) and a link
    table keeping each document's page order."""
    names = sorted({v for d in documents for v in d[field]}, key=lambda v: (v.casefold(), v))
    ids = {name: number for number, name in enumerate(names, start=1)}
    db.table(field).create({"id": int, "name": str}, pk="id", not_null=["name"])
    db.table(field).insert_all({"id": ids[name], "name": name} for name in names)
    db.table(field).create_index(["name"], unique=True)
    link = f"document_{field}"
    db.table(link).create({"record_id": str, "position": int, id_column: int},
                           pk=("record_id", "position"),
                           foreign_keys=[("record_id", "documents", "record_id"),
                                         (id_column, field, "id")])
    db.table(link).insert_all({"record_id": d["record_id"], "position": n, id_column: ids[v]}
                               for d in documents for n, v in enumerate(d[field], start=1))
    db.table(link).create_index([id_column])


def write_rejects(db: sqlite_utils.Database, rejects: Iterable[dict[str, Any]]) -> None:
    db.table("rejects").create({"line": int, "url": str, "reason": str, "field": str}, pk="line")
    db.table("rejects").insert_all({"line": n, **r} for n, r in enumerate(rejects, start=1))
