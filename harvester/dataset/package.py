"""What every published run carries besides its records: people.jsonl, the JSON Schemas under
`schema/`, the dataset card `README.md` and its chart `documents-per-year.svg` (card.py), and a
Frictionless Data Package (v2) descriptor, `datapackage.json`, describing them.

Built from what the records told on their way into the run's partial folder (record_tap.py),
and the descriptor states the bytes and checksums of exactly the files written there.
"""

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from harvester import harvester_version
from harvester.dataset.card import CARD, CHART, card, chart
from harvester.dataset.files import DATA_FILES, DATAPACKAGE, schema_path
from harvester.dataset.folder import RunWriter, file_facts
from harvester.dataset.record_tap import RecordTap
from harvester.dataset.tableschema import table_schema
from harvester.dataset.trust import VALIDATED, validated_mark
from harvester.items import schema_file
from harvester.utc import utc_iso

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
PACKAGE_NAME = "wilson-center-digital-archive-metadata"
ARCHIVE_TITLE = "Wilson Center Digital Archive"
RIGHTS = (
    "Descriptive metadata harvested from the Wilson Center Digital Archive. This package grants "
    "no licence of its own: the rights in each document are as the archive states them in that "
    "document's `rights` field, and the documents themselves remain under the archive's terms."
)
DESCRIPTIONS = {
    "document": "One harvested document page per line (title, date, summary, people, places, "
                "topics, subjects, archive, rights and every other field the page has), sorted "
                "by Record ID.",
    "topic": "One harvested topic (collection) page per line, with the Record IDs harvested for "
             "it, sorted by slug.",
    "people": "One distinct person or organisation named on the documents per line, keyed by the "
              "slug of its page on the archive (else its term id, else the name as shown), with "
              "roles, Record IDs and date span; sorted by display name.",
    "reject": "One page per line that could not become a valid record: its URL, the reason and "
              "the field at fault.",
}


def add_package_files(writer: RunWriter,
                      people_details: dict[str, dict[str, Any]] | None = None,
                      tap: RecordTap | None = None) -> None:
    """Write people.jsonl (listed in the manifest), the schemas and datapackage.json, marked
    validated (trust.py) when every record of every record file passes its schema.
    `people_details`: what people's own pages said, by slug (the state's, read by this run or
    an earlier one), for the entries' `life_dates` and `description`. `tap`: what the records
    told on their way to their files; without it, the files are read back."""
    tap = tap or RecordTap.of_files(writer.partial)
    entries = tap.people.entries(people_details)
    writer.write_jsonl("people.jsonl", tap.each("people", entries))
    for kind in DATA_FILES.values():
        write_synced(writer.partial / schema_path(kind), schema_file(kind).read_bytes())
    validated = None
    if tap.passed:
        validated = validated_mark({kind: file_facts(writer.partial / schema_path(kind))["sha256"]
                                    for kind in DATA_FILES.values()})
    topics = tap.topics
    descriptor = datapackage(writer.partial, writer.run_id, writer.files, topics,
                             validated=validated)
    counts = {name.removesuffix(".jsonl"): facts["records"]
              for name, facts in writer.files.items()}
    add_card(writer, card(tap.facts, descriptor, counts), chart(tap.facts))
    descriptor = datapackage(writer.partial, writer.run_id, writer.files, topics,
                             validated=validated, created=descriptor["created"])
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    write_synced(writer.partial / DATAPACKAGE, text.encode("utf-8"))


def add_card(writer: RunWriter, text: str, svg: str) -> None:
    """The card and its chart, listed in the manifest's files like the records (no lines to
    count: `records` is null)."""
    for name, content in ((CARD, text), (CHART, svg)):
        write_synced(writer.partial / name, content.encode("utf-8"))
        writer.files[name] = {"records": None, **file_facts(writer.partial / name)}


def write_synced(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def datapackage(run_dir: Path, run_id: str, files: dict[str, dict[str, Any]],
                topics: list[dict[str, Any]], created: datetime | str | None = None,
                validated: dict[str, Any] | None = None) -> dict[str, Any]:
    """The descriptor of a run folder whose data files are `files` (name -> records, bytes,
    sha256, as the run writer records them); `validated`, the mark of trust.py, when every
    record was checked."""
    titles = [t["title"] for t in topics]
    mark = {VALIDATED: validated} if validated else {}
    return {
        "$schema": PROFILE,
        "name": PACKAGE_NAME,
        "title": (f"{ARCHIVE_TITLE} metadata: " + "; ".join(titles)) if titles else ARCHIVE_TITLE,
        "description": "Document, topic and people records harvested from the "
                       f"{ARCHIVE_TITLE}, with a JSON Schema for each record type. "
                       "manifest.json beside this file reports how the run went.",
        "created": created if isinstance(created, str)
        else utc_iso(created),
        "homepage": archive_origin(topics),
        "keywords": titles,
        "rights": RIGHTS,
        "sources": sources(topics),
        "run_id": run_id,
        "harvester_version": harvester_version(),
        **mark,
        "resources": [data_resource(name, DATA_FILES.get(name), files[name])
                      for name in sorted(files, key=file_order) if name not in VIEWS]
                     + [schema_resource(run_dir, kind) for kind in DATA_FILES.values()]
                     + [view_resource(name, files[name]) for name in VIEWS if name in files],
    }


def archive_origin(topics: list[dict[str, Any]]) -> str | None:
    """scheme://host of the pages as recorded (the public archive unless a mirror was kept)."""
    for topic in topics:
        parts = urlsplit(topic["url"])
        return f"{parts.scheme}://{parts.netloc}"
    return None


def sources(topics: list[dict[str, Any]]) -> list[dict[str, str]]:
    found = []
    if origin := archive_origin(topics):
        found.append({"title": ARCHIVE_TITLE, "path": origin})
    found += [{"title": f"{ARCHIVE_TITLE}: {t['title']}", "path": t["url"]} for t in topics]
    return found


def file_order(name: str) -> tuple[int, str]:
    """The record files first, in their usual order, then any other file the run wrote."""
    order = list(DATA_FILES)
    return (order.index(name), "") if name in order else (len(order), name)


def data_resource(name: str, kind: str | None, facts: dict[str, Any]) -> dict[str, Any]:
    """A record file as a tabular resource. An empty one, or one without a schema here, is a
    plain file, checked by size and checksum (its line count is in manifest.json): a table
    reader cannot take columns from zero lines, nor be trusted to guess them."""
    tabular = kind is not None and facts["records"] > 0
    described: dict[str, Any] = {
        "name": name.removesuffix(".jsonl"),
        "type": "table" if tabular else "file",
        "path": name,
        "format": "jsonl",
        "mediatype": "application/jsonl",
        "encoding": "utf-8",
        "bytes": facts["bytes"],
        "hash": f"sha256:{facts['sha256']}",
        "description": DESCRIPTIONS.get(kind or "", "Further records the run wrote; see "
                                                       "manifest.json."),
    }
    if kind is None:
        return described
    described["jsonSchema"] = schema_path(kind)
    if tabular:
        described["rows"] = facts["records"]
        described["schema"] = table_schema(kind)
    return described


# The files a reader looks at before the records: (name, format, media type, description).
VIEWS = {
    CARD: ("md", "text/markdown", "The dataset card: counts, sources, date range, coverage, "
                                  "languages and topics of this run."),
    CHART: ("svg", "image/svg+xml", "Documents per year, as a bar chart."),
}


def view_resource(name: str, facts: dict[str, Any]) -> dict[str, Any]:
    format, mediatype, description = VIEWS[name]
    return {"name": name.rsplit(".", 1)[0].lower(), "type": "file", "path": name,
            "format": format, "mediatype": mediatype, "encoding": "utf-8",
            "bytes": facts["bytes"], "hash": f"sha256:{facts['sha256']}",
            "description": description}


def schema_resource(run_dir: Path, kind: str) -> dict[str, Any]:
    path = schema_path(kind)
    facts = file_facts(run_dir / path)
    return {
        "name": f"{kind}-schema",
        "type": "json",
        "path": path,
        "format": "json",
        "mediatype": "application/schema+json",
        "encoding": "utf-8",
        "bytes": facts["bytes"],
        "hash": f"sha256:{facts['sha256']}",
        "description": f"JSON Schema (draft 2020-12) of each line of the {kind} records.",
    }
