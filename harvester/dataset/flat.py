"""Records as flat rows, for tables that hold no nested values (CSV cells, SQLite columns).

Objects become prefixed columns (`date_edtf`, `roles_author`); a list of strings becomes one
value made by `join`; the lists of objects become what a reader of one row needs: the people split
by role (names), topics by title, popular documents by URL, a document's texts by kind and
language (`translation (English)`; the texts themselves are rows of their own). The exact nesting
stays in the JSON Lines and Parquet files.
"""

from collections.abc import Callable
from typing import Any

from harvester.dataset.people import ROLES
from harvester.dataset.tableschema import json_types
from harvester.items import schema_for

Join = Callable[[list[Any]], Any]
DATE_PARTS = ("original", "edtf", "earliest", "latest", "precision")
CAPTURE_PARTS = ("source", "timestamp", "url", "digest")
# Objects that become one column per part (`date_edtf`, `capture_source`).
OBJECT_PARTS = {"date": DATE_PARTS, "capture": CAPTURE_PARTS}
# Column of the people of one role on a document row.
ROLE_COLUMNS = {"author": "authors", "associated": "associated_people",
                "contributor": "contributors"}


def text_label(entry: dict[str, Any]) -> str:
    """What names one of a document's texts in a cell: `translation (English)`, `original`."""
    return f"{entry['kind']} ({entry['language']})" if entry["language"] else entry["kind"]


def link_label(link: dict[str, Any]) -> str:
    """What a place or subject pill links, in a cell: `slug:korea-north`, `id:1001`, or
    `name:<name>` for a pill without a link."""
    if link["slug"]:
        return f"slug:{link['slug']}"
    return f"id:{link['id']}" if link["id"] is not None else f"name:{link['name']}"


# Lists of objects, each object named in the cell by what a reader of one row needs.
NAMED_ITEMS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "topics": lambda topic: topic["title"] or topic["slug"],
    "popular": lambda entry: entry["url"],
    "texts": text_label,
    "place_links": link_label,
    "subject_links": link_label,
}


def join_with_semicolons(values: list[Any]) -> str | None:
    """The CSV form of a list: "; "-joined, or an empty cell for an empty list."""
    return "; ".join(str(v) for v in values) if values else None


def flat_row(record: dict[str, Any], join: Join) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, value in record.items():
        if name in OBJECT_PARTS:
            row.update({f"{name}_{part}": (value or {}).get(part) for part in OBJECT_PARTS[name]})
        elif name == "roles":
            row.update({f"roles_{role}": value[role] for role in ROLES})
        elif name == "people":
            for role, column in ROLE_COLUMNS.items():
                row[column] = join([p["name"] for p in value if p["role"] == role])
        elif name in NAMED_ITEMS:
            row[name] = join([NAMED_ITEMS[name](item) for item in value or []])
        elif isinstance(value, list):
            row[name] = join(value)
        else:
            row[name] = value
    return row


def column_types(kind: str) -> dict[str, type]:
    """The flat columns of a record type, in order, each `int` or `str` (text or joined list)."""
    columns: dict[str, type] = {}
    for name, spec in schema_for(kind)["properties"].items():
        types = json_types(spec)
        if name == "people":
            columns.update({column: str for column in ROLE_COLUMNS.values()})
        elif "object" in types and "properties" in spec:
            for part, part_spec in spec["properties"].items():
                columns[f"{name}_{part}"] = int if "integer" in json_types(part_spec) else str
        else:
            columns[name] = int if "integer" in types else str
    return columns
