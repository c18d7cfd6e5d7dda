"""`harvester validate`: is a published run exactly what its descriptors say, and sound?

Checks, in order: the descriptors can be read; every data and schema file is listed, present, and
of the bytes and sha256 that datapackage.json and manifest.json state (and so is every WARC file
the manifest lists); every line is a JSON object
that its JSON Schema accepts; the counts agree; and documents, topics and people refer to each
other correctly (see checks.py). Each problem is one sentence naming the file and line.
"""

import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from harvester.dataset.checks import first, integrity_problems
from harvester.dataset.files import (
    DATA_FILES,
    DATAPACKAGE,
    MANIFEST,
    BrokenLine,
    iter_jsonl,
    schema_path,
)
from harvester.runs import file_facts

PER_FILE_LIMIT = 50
# manifest.json's count name for each data file it counts.
MANIFEST_COUNTS = {"documents.jsonl": "documents", "topics.jsonl": "topics",
                   "rejects.jsonl": "rejects"}


def validate_run(run_dir: Path) -> list[str]:
    """Every problem found in a published run folder; empty when it is sound."""
    if not run_dir.is_dir():
        return [f"{run_dir}: not a run folder"]
    problems: list[str] = []
    package = read_descriptor(run_dir / DATAPACKAGE, problems)
    manifest = read_descriptor(run_dir / MANIFEST, problems)
    listed = {r.get("path"): r for r in package.get("resources", [])} if package else None
    manifest_files = manifest.get("files", {}) if manifest else None
    schemas = [schema_path(kind) for kind in DATA_FILES.values()]
    others = sorted({*(listed or {}), *(manifest_files or {})} - {*DATA_FILES, *schemas})
    for name in schemas:
        problems += file_problems(run_dir, name, listed, None)
    for name in [*DATA_FILES, *others]:
        problems += file_problems(run_dir, name, listed, manifest_files)
    kept_warc = kept_warc_files(manifest)
    for name in kept_warc:
        problems += file_problems(run_dir, name, None, kept_warc)
    records: dict[str, list[dict[str, Any]]] = {}
    for name, kind in DATA_FILES.items():
        if not (run_dir / name).is_file():
            continue
        parsed, record_problems = read_records(run_dir, name, kind)
        problems += record_problems
        if parsed is None:
            continue
        problems += count_problems(name, len(parsed), (listed or {}).get(name), manifest)
        if not record_problems:
            records[name] = parsed
    if all(name in records for name in ("documents.jsonl", "topics.jsonl", "people.jsonl")):
        problems += first(integrity_problems(records["documents.jsonl"], records["topics.jsonl"],
                                             records["people.jsonl"]), PER_FILE_LIMIT)
    return problems


def kept_warc_files(manifest: dict[str, Any] | None) -> dict[str, dict]:
    """The WARC files a `--warc` run kept (not data package resources: the manifest lists
    them with their sizes and checksums)."""
    kept = (manifest or {}).get("warc")
    files = kept.get("files") if isinstance(kept, dict) else None
    return files if isinstance(files, dict) else {}


def read_descriptor(path: Path, problems: list[str]) -> dict[str, Any] | None:
    try:
        descriptor = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        problems.append(f"{path.name}: missing")
        return None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        problems.append(f"{path.name}: not valid JSON ({error})")
        return None
    if not isinstance(descriptor, dict):
        problems.append(f"{path.name}: not a JSON object")
        return None
    return descriptor


def file_problems(run_dir: Path, name: str, listed: dict[str, dict] | None,
                  manifest_files: dict[str, dict] | None) -> list[str]:
    """Presence, size and checksum against each descriptor that is readable."""
    if Path(name).is_absolute() or ".." in Path(name).parts:
        return [f"{name}: a path outside the run folder"]
    path = run_dir / name
    if not path.is_file():
        return [f"{name}: missing"]
    facts = file_facts(path)
    found = []
    if listed is not None:
        resource = listed.get(name)
        if resource is None:
            found.append(f"{name}: not listed in {DATAPACKAGE}")
        else:
            found += fact_problems(name, facts, resource.get("bytes"),
                                   str(resource.get("hash", "")).removeprefix("sha256:"),
                                   DATAPACKAGE)
    if manifest_files is not None:
        entry = manifest_files.get(name)
        if entry is None:
            found.append(f"{name}: not listed in {MANIFEST}")
        else:
            found += fact_problems(name, facts, entry.get("bytes"), entry.get("sha256"), MANIFEST)
    return found


def fact_problems(name: str, facts: dict[str, Any], size: Any, sha256: Any,
                  source: str) -> list[str]:
    found = []
    if facts["bytes"] != size:
        found.append(f"{name}: {facts['bytes']} bytes, {source} says {size}")
    if facts["sha256"] != sha256:
        found.append(f"{name}: checksum mismatch, sha256 is {facts['sha256']}, {source} says "
                     f"{sha256}")
    return found


def read_records(run_dir: Path, name: str,
                 kind: str) -> tuple[list[dict[str, Any]] | None, list[str]]:
    """(records, schema problems); records is None when a line cannot be read at all."""
    schema_file = run_dir / schema_path(kind)
    try:
        validator = Draft202012Validator(json.loads(schema_file.read_text("utf-8")))
    except (OSError, ValueError):
        validator = None  # reported by file_problems (missing) or its checksum
    records, found = [], []
    try:
        for line, record in iter_jsonl(run_dir / name):
            records.append(record)
            if validator is not None:
                found += [schema_problem(name, line, record, error)
                          for error in validator.iter_errors(record)]
    except BrokenLine as broken:
        return None, [str(broken)]
    return records, first(found, PER_FILE_LIMIT)


def schema_problem(name: str, line: int, record: dict[str, Any], error) -> str:
    label = record.get("record_id") or record.get("slug") or record.get("key")
    where = f"{name} line {line}" + (f" (record {label})" if label else "")
    field = ".".join(str(p) for p in error.absolute_path)
    return f"{where}: {field + ': ' if field else ''}{error.message}"


def count_problems(name: str, count: int, resource: dict[str, Any] | None,
                   manifest: dict[str, Any] | None) -> list[str]:
    found = []
    tabular = resource is not None and (resource.get("type") == "table" or "rows" in resource)
    if tabular and resource.get("rows") != count:
        found.append(f"{name}: {count} records, {DATAPACKAGE} says {resource.get('rows')} rows")
    if manifest is not None:
        entry = manifest.get("files", {}).get(name)
        if entry is not None and entry.get("records") != count:
            found.append(f"{name}: {count} records, {MANIFEST} says {entry.get('records')}")
        counted = manifest.get("counts", {}).get(MANIFEST_COUNTS.get(name, ""))
        if name in MANIFEST_COUNTS and counted != count:
            found.append(f"{name}: {count} records, {MANIFEST} counts {counted}")
    return found
