"""`harvester export csv`: one flat CSV per record type, for spreadsheets and quick looks.

UTF-8 with a byte-order mark (so spreadsheet programs detect the encoding) and a header row;
lists are joined with "; " (see flat.py), objects become prefixed columns. document_people.csv
keeps each person's key, term id, slug and role per document, and document_texts.csv each of a
document's texts whole, which one cell cannot.

A spreadsheet runs a cell starting with `=`, `+`, `-` or `@` as a formula (some also after a
leading tab or carriage return), so text taken from a page could run in the reader's
spreadsheet. Such text cells get a leading apostrophe, which spreadsheets show as text;
`verbatim=True` writes them as they are, for programs that read the CSV.
"""

import csv
from pathlib import Path
from typing import Any

from harvester.dataset.atomic import atomic_dir
from harvester.dataset.files import RunRecords
from harvester.dataset.flat import NAMED_ITEMS, column_types, flat_row, join_with_semicolons
from harvester.dataset.people import build_people_index
from harvester.dataset.progress import Progress

SEPARATOR = "; "
LINK_COLUMNS = ["record_id", "position", "person_key", "person_id", "person_slug", "role",
                "name"]
TEXT_COLUMNS = ["record_id", "position", "kind", "language", "text"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_csv(records: RunRecords, out: Path, verbatim: bool = False,
               progress: Progress | None = None) -> list[str]:
    """Write the CSV folder; returns warnings about list values a "; " split would not restore."""
    progress = progress or Progress.silent()
    guard = (lambda row: row) if verbatim else neutralised
    tables = {
        "documents.csv": ("document", records.documents),
        "topics.csv": ("topic", records.topics),
        "people.csv": ("people", records.people),
        "rejects.csv": ("reject", records.rejects),
    }
    with atomic_dir(out) as building:
        for name, (kind, rows) in tables.items():
            progress.begin(f"writing {name}", len(rows))
            write_csv(building / name, list(column_types(kind)),
                      (guard(flat_row(row, join_with_semicolons))
                       for row in progress.counted(rows)))
        write_csv(building / "document_people.csv", LINK_COLUMNS,
                  (guard(row) for row in document_people(records)))
        write_csv(building / "document_texts.csv", TEXT_COLUMNS,
                  (guard(row) for row in document_texts(records)))
    return ambiguous_values(records)


def write_csv(path: Path, columns: list[str], rows) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="raise")
        writer.writeheader()
        writer.writerows(rows)


def neutralised(row: dict[str, Any]) -> dict[str, Any]:
    """The row with every text cell a spreadsheet would run as a formula made plain text."""
    return {name: f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS)
            else value for name, value in row.items()}


def document_people(records: RunRecords):
    """One row per person pill, with the key of the people entry it belongs to."""
    key_of = build_people_index(records.documents, ordered=True).key_of
    for document in records.documents:
        for position, person in enumerate(document["people"], start=1):
            yield {"record_id": document["record_id"], "position": position,
                   "person_key": key_of(person), "person_id": person["id"],
                   "person_slug": person.get("slug"), "role": person["role"],
                   "name": person["name"]}


def document_texts(records: RunRecords):
    """One row per text of each document, in page order."""
    for document in records.documents:
        for position, text in enumerate(document.get("texts") or [], start=1):
            yield {"record_id": document["record_id"], "position": position,
                   "kind": text["kind"], "language": text["language"], "text": text["text"]}


def ambiguous_values(records: RunRecords) -> list[str]:
    """List items that themselves contain "; ": splitting their cell would cut them in two."""
    found = []
    for kind, rows, label in (("document", records.documents, "record_id"),
                              ("topic", records.topics, "slug"),
                              ("people", records.people, "key")):
        for row in rows:
            for field, value in row.items():
                if isinstance(value, list) and any(contains_separator(v)
                                                   for v in joined(field, value)):
                    found.append(f"{kind} {row[label]}: a value in {field} contains "
                                 f"{SEPARATOR!r}; use the JSON Lines or Parquet for exact lists")
    return found


def joined(field: str, values: list[Any]) -> list[Any]:
    """What of a list goes into its cell: a document's texts are there by kind and language
    only (document_texts.csv holds them whole)."""
    return [NAMED_ITEMS["texts"](v) for v in values] if field == "texts" else values


def contains_separator(value: Any) -> bool:
    if isinstance(value, dict):
        return any(contains_separator(v) for v in value.values())
    return isinstance(value, str) and SEPARATOR in value
