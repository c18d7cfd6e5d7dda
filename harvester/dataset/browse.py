"""What `harvester browse` gives Datasette: the run's SQLite export and a metadata file with the
title, the source, the rights, a description of every column, the facets (people, places,
subjects, topics, languages, year), full-text search over title, summary and text, and the
documents-per-year chart. `harvester browse --save DIR` writes the same two files for
`datasette DIR/<run>.sqlite -m DIR/metadata.json` or `datasette publish`."""

import sqlite3
from pathlib import Path
from typing import Any

from harvester.dataset.chart import documents_per_year_svg, per_year
from harvester.dataset.package import ARCHIVE_TITLE, RIGHTS
from harvester.items import schema_for

FACETS: list[Any] = [{"array": "people"}, {"array": "places"}, {"array": "subjects"},
                     {"array": "topics"}, {"array": "languages"}, "year"]
# Columns of the export that are not a record field of the same name.
COLUMNS = {
    "year": "The year the document is from, when its date lies within one year (null for an "
            "undated document, a range or a decade).",
    "people": "The people and organisations named on the document, one name per merged entry "
              "of the people table (JSON array; a facet).",
    "places": "Associated places, one name per merged entry of the places table (JSON array).",
    "subjects": "Subjects discussed, one name per merged entry of the subjects table (JSON "
                "array).",
    "topics": "The topics the document belongs to, by title (JSON array).",
    "languages": "The document's languages (JSON array).",
    "url": "The document's page on the archive.",
    "capture_url": "Where the page was read: the page itself, a web archive's capture, or a "
                   "WARC file and offset.",
    "key": "The entry's key: slug:<slug> (its page on the archive), id:<term id>, or "
           "name:<normalised name>.",
    "aliases": "Every other name form the documents show for this entry (JSON array).",
    "ids": "The archive's term ids merged into this entry (JSON array).",
    "record_id": "The document's Record ID.",
    "position": "Order on the document's page, from 1.",
    "person_key": "The people entry (people.key).",
    "place_key": "The places entry (places.key).",
    "subject_key": "The subjects entry (subjects.key).",
    "topic_key": "The topic (topics.key).",
    "document_count": "Documents naming this entry.",
    "name": "The name as the archive shows it.",
}


def describe(column: str, kind: str | None) -> str:
    """A column's description: its own, else the record field's (or the part of an object
    field it flattens), else what it links."""
    if column in COLUMNS:
        return COLUMNS[column]
    properties = schema_for(kind)["properties"] if kind else {}
    if column in properties:
        return str(properties[column].get("description") or column.replace("_", " ").capitalize())
    field, _, part = column.partition("_")
    if field in properties:
        return f"{field.capitalize()}: {part.replace('_', ' ')}."
    return column.replace("_", " ").capitalize() + "."


KINDS = {"documents": "document", "people": "people", "topics": "topic", "rejects": "reject"}


def columns_of(db: Path) -> dict[str, list[str]]:
    with sqlite3.connect(db) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE '%_fts%' ORDER BY name")]
        return {table: [row[1] for row in connection.execute(
            f'SELECT * FROM pragma_table_info("{table}")')] for table in tables}


def metadata(db: Path, database: str, documents: list[dict[str, Any]],
             package: dict[str, Any]) -> dict[str, Any]:
    """Datasette's metadata for the export at `db`, served as `database`."""
    counts, undated = per_year(documents)
    chart = documents_per_year_svg(counts, undated, "Documents per year")
    tables: dict[str, Any] = {
        table: {"columns": {c: describe(c, KINDS.get(table)) for c in columns}}
        for table, columns in columns_of(db).items()}
    tables["documents"].update({
        "description_html": chart, "facets": FACETS, "label_column": "title",
        "sort": "date_earliest", "size": 20})
    tables["documents_per_year"]["description_html"] = chart
    tables["people"].update({"label_column": "display", "sort_desc": "document_count"})
    for table in ("places", "subjects"):
        tables[table].update({"label_column": "name", "sort_desc": "document_count"})
    return {
        "title": package.get("title") or ARCHIVE_TITLE,
        "description": f"{len(documents)} documents harvested from the {ARCHIVE_TITLE} (run "
                       f"{package.get('run_id')}). Search the documents by title, summary and "
                       "text; filter them by person, place, subject, topic, language and "
                       "year.",
        "source": ARCHIVE_TITLE,
        "source_url": package.get("homepage") or "https://digitalarchive.wilsoncenter.org",
        "license": "No licence of its own: each document's rights field states its terms",
        "about": RIGHTS,
        "databases": {database: {"tables": tables}},
    }
