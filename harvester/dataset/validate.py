"""`harvester validate`: is a published run exactly what its descriptors say, and sound?

Checks, in order: the descriptors can be read; every data and schema file is listed, present, and
of the bytes and sha256 that datapackage.json and manifest.json state (and so is every WARC file
the manifest lists); every line is a JSON object
that its JSON Schema accepts; the counts agree; and documents, topics and people refer to each
other correctly (see checks.py). Each problem is one sentence naming the file and line.
No file is read where a listed path leads outside the run folder, by `..` or by a link.
"""

import os
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, SchemaError

from harvester.dataset.checks import first, integrity_problems
from harvester.dataset.files import (
    DATA_FILES,
    DATAPACKAGE,
    MANIFEST,
    BrokenLine,
    inside,
    iter_jsonl,
    load_json,
    schema_path,
)
from harvester.run.folder import file_facts

PER_FILE_LIMIT = 50
# manifest.json's count name for each data file it counts.
MANIFEST_COUNTS = {"documents.jsonl": "documents", "topics.jsonl": "topics",
                   "rejects.jsonl": "rejects"}


class NotARun(ValueError):
    """The folder holds no run at all: a wrong argument, not a run that fails its checks."""


def check_is_run(run_dir: Path) -> None:
    """A run folder holds at least one of its descriptors (a damaged run may have lost one)."""
    if run_dir.is_dir() and any(os.path.lexists(run_dir / name)
                                for name in (DATAPACKAGE, MANIFEST)):
        return
    latest = run_dir / "latest"
    hint = f" (did you mean {latest}?)" if (latest / MANIFEST).is_file() else ""
    raise NotARun(f"not a run folder: {run_dir}{hint}")


def validate_run(run_dir: Path) -> list[str]:
    """Every problem found in a published run folder; empty when it is sound. NotARun when the
    folder is not a run at all."""
    check_is_run(run_dir)
    problems: list[str] = []
    package = read_descriptor(run_dir, DATAPACKAGE, problems)
    manifest = read_descriptor(run_dir, MANIFEST, problems)
    listed = listed_resources(package, problems)
    manifest_files = (file_entries(manifest.get("files", {}), "files", problems)
                      if manifest else None)
    schemas = [schema_path(kind) for kind in DATA_FILES.values()]
    others = sorted({*(listed or {}), *(manifest_files or {})} - {*DATA_FILES, *schemas})
    for name in schemas:
        problems += file_problems(run_dir, name, listed, None)
    for name in [*DATA_FILES, *others]:
        problems += file_problems(run_dir, name, listed, manifest_files)
    kept_warc = kept_warc_files(manifest, problems)
    for name in kept_warc:
        problems += file_problems(run_dir, name, None, kept_warc)
    records: dict[str, list[dict[str, Any]]] = {}
    for name, kind in DATA_FILES.items():
        path = inside(run_dir, name)
        if path is None or not path.is_file():
            continue
        parsed, record_problems = read_records(run_dir, name, kind)
        problems += record_problems
        if parsed is None:
            continue
        problems += count_problems(name, len(parsed), (listed or {}).get(name), manifest,
                                   manifest_files)
        if not record_problems:
            records[name] = parsed
    if all(name in records for name in ("documents.jsonl", "topics.jsonl", "people.jsonl")):
        problems += first(integrity_problems(records["documents.jsonl"], records["topics.jsonl"],
                                             records["people.jsonl"]), PER_FILE_LIMIT)
    return problems


def kept_warc_files(manifest: dict[str, Any] | None, problems: list[str]) -> dict[str, dict]:
    """The WARC files a `--warc` run kept (not data package resources: the manifest lists
    them with their sizes and checksums)."""
    kept = (manifest or {}).get("warc")
    if kept is None:
        return {}
    files = kept.get("files") if isinstance(kept, dict) else None
    return file_entries(files, "warc.files", problems) or {}


def listed_resources(package: dict[str, Any] | None,
                     problems: list[str]) -> dict[str, dict] | None:
    """datapackage.json's resources by path; None, and a problem, unless they are a list of
    objects that each name a path."""
    if package is None:
        return None
    resources = package.get("resources", [])
    if isinstance(resources, list) and all(
            isinstance(r, dict) and isinstance(r.get("path"), str) for r in resources):
        return {r["path"]: r for r in resources}
    problems.append(f"{DATAPACKAGE}: resources is not a list of objects with a path")
    return None


def file_entries(entries: Any, where: str, problems: list[str]) -> dict[str, dict] | None:
    """A manifest's file entries by name; None, and a problem, unless an object of objects."""
    if isinstance(entries, dict) and all(isinstance(e, dict) for e in entries.values()):
        return entries
    problems.append(f"{MANIFEST}: {where} is not an object of file entries")
    return None


def read_descriptor(run_dir: Path, name: str, problems: list[str]) -> dict[str, Any] | None:
    path = inside(run_dir, name)
    if path is None:
        problems.append(f"{name}: a path outside the run folder")
        return None
    try:
        descriptor = load_json(path.read_text("utf-8"))
    except FileNotFoundError:
        problems.append(f"{name}: missing")
        return None
    except OSError as error:
        problems.append(f"{name}: cannot be read ({error.strerror or error})")
        return None
    except ValueError as error:  # not UTF-8, not JSON, nested too deeply
        problems.append(f"{name}: not valid JSON ({error})")
        return None
    if not isinstance(descriptor, dict):
        problems.append(f"{name}: not a JSON object")
        return None
    return descriptor


def file_problems(run_dir: Path, name: str, listed: dict[str, dict] | None,
                  manifest_files: dict[str, dict] | None) -> list[str]:
    """Presence, size and checksum against each descriptor that is readable."""
    path = inside(run_dir, name)
    if path is None:
        return [f"{name}: a path outside the run folder"]
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
    schema_file = inside(run_dir, schema_path(kind))
    validator, found = None, []  # an unreadable schema: file_problems says why (or checksum)
    try:
        if schema_file is not None:
            schema = load_json(schema_file.read_text("utf-8"))
            Draft202012Validator.check_schema(schema)
            validator = Draft202012Validator(schema)
    except (OSError, ValueError):
        pass
    except SchemaError as error:
        found.append(f"{schema_path(kind)}: not a JSON Schema ({error.message})")
    data = inside(run_dir, name)
    records = []
    try:
        for line, record in iter_jsonl(data) if data else ():
            records.append(record)
            if validator is not None:
                found += schema_problems(validator, name, line, record)
    except BrokenLine as broken:
        return None, [str(broken)]
    return records, first(found, PER_FILE_LIMIT)


def schema_problems(validator: Draft202012Validator, name: str, line: int,
                    record: dict[str, Any]) -> list[str]:
    try:
        return [schema_problem(name, line, record, error)
                for error in validator.iter_errors(record)]
    except RecursionError:
        return [f"{name} line {line}: nested too deeply to check against its schema"]


def schema_problem(name: str, line: int, record: dict[str, Any], error) -> str:
    label = record.get("record_id") or record.get("slug") or record.get("key")
    where = f"{name} line {line}" + (f" (record {label})" if label else "")
    field = ".".join(str(p) for p in error.absolute_path)
    return f"{where}: {field + ': ' if field else ''}{error.message}"


def count_problems(name: str, count: int, resource: dict[str, Any] | None,
                   manifest: dict[str, Any] | None,
                   manifest_files: dict[str, dict] | None) -> list[str]:
    found = []
    tabular = resource is not None and (resource.get("type") == "table" or "rows" in resource)
    if tabular and resource.get("rows") != count:
        found.append(f"{name}: {count} records, {DATAPACKAGE} says {resource.get('rows')} rows")
    if manifest is not None:
        entry = (manifest_files or {}).get(name)
        if entry is not None and entry.get("records") != count:
            found.append(f"{name}: {count} records, {MANIFEST} says {entry.get('records')}")
        counts = manifest.get("counts")
        counted = (counts if isinstance(counts, dict) else {}).get(MANIFEST_COUNTS.get(name, ""))
        if name in MANIFEST_COUNTS and counted != count:
            found.append(f"{name}: {count} records, {MANIFEST} counts {counted}")
    return found
