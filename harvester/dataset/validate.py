"""`harvester validate`: is a published run exactly what its descriptors say, and sound?

Checks, in order: the descriptors can be read; every data and schema file is listed, present, and
of the bytes and sha256 that datapackage.json and manifest.json state (and so is every WARC file
the manifest lists, which is also read back, record by record: warccheck.py); every line is a
JSON object that its JSON Schema accepts (schemacheck.py); the counts agree; and documents,
topics and people refer to each other correctly (checks.py).
Each problem is one sentence naming the file and line. Records are read one line at a time and
not kept, so memory does not grow with the run.
No file is read where a listed path leads outside the run folder, by `..` or by a link.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, SchemaError

from harvester.dataset.checks import Integrity, first
from harvester.dataset.files import (
    DATA_FILES,
    DATAPACKAGE,
    MANIFEST,
    BrokenLine,
    inside,
    iter_jsonl,
    load_json,
    read_descriptor_text,
    schema_path,
)
from harvester.dataset.folder import file_facts
from harvester.dataset.progress import Progress
from harvester.dataset.schemacheck import RecordSchema, control_problems
from harvester.dataset.trust import TrustMisplaced, is_trusted, validated_schemas
from harvester.dataset.warccheck import warc_problems

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
    return check_run(run_dir).problems


@dataclass
class RunCheck:
    problems: list[str]
    records: int = 0  # lines read in the record files
    trusted: list[str] = field(default_factory=list)  # files whose records were not re-checked


def check_run(run_dir: Path, trust: bool = False, progress: Progress | None = None) -> RunCheck:
    """validate_run, telling how many records were read; with `trust`, the records of a file
    whose bytes are those of a package marked validated at publication (trust.py) are read for
    counts and references but not checked against the schema again."""
    progress = progress or Progress.silent()
    check_is_run(run_dir)
    try:
        return checked(run_dir, trust, progress)
    except TrustMisplaced:
        return checked(run_dir, False, progress)


def checked(run_dir: Path, trust: bool, progress: Progress) -> RunCheck:
    problems: list[str] = []
    package = read_descriptor(run_dir, DATAPACKAGE, problems)
    manifest = read_descriptor(run_dir, MANIFEST, problems)
    listed = listed_resources(package, problems)
    manifest_files = (file_entries(manifest.get("files", {}), "files", problems)
                      if manifest else None)
    schemas = [schema_path(kind) for kind in DATA_FILES.values()]
    others = sorted({*(listed or {}), *(manifest_files or {})} - {*DATA_FILES, *schemas})
    sound: set[str] = set()  # files whose bytes are exactly what both descriptors say
    for name in [*schemas, *DATA_FILES, *others]:
        found = file_problems(run_dir, name, listed, None if name in schemas else manifest_files)
        problems += found
        if not found:
            sound.add(name)
    kept_warc = kept_warc_files(manifest, problems)
    for name in kept_warc:
        problems += file_problems(run_dir, name, None, kept_warc)
    problems += warc_problems(run_dir, kept_warc, progress)
    marked = validated_schemas(package) if trust else {}
    check = RunCheck(problems)
    documents = inside(run_dir, "documents.jsonl")
    integrity = Integrity(lambda: iter_jsonl(documents) if documents else iter(()))
    clean: set[str] = set()
    for name, kind in DATA_FILES.items():
        path = inside(run_dir, name)
        if path is None or not path.is_file():
            continue
        trusted = is_trusted(name, kind, sound, listed, marked)
        progress.begin(f"checking {name}", expected_records(name, listed, manifest_files))
        count, record_problems = read_records(run_dir, name, kind, integrity, trusted, progress)
        check.records += count or 0
        if trusted:
            check.trusted.append(name)
        problems += record_problems
        if count is None:
            continue
        problems += count_problems(name, count, (listed or {}).get(name), manifest,
                                   manifest_files)
        if not record_problems:
            clean.add(name)
    if {"documents.jsonl", "topics.jsonl", "people.jsonl"} <= clean:
        problems += first(integrity.problems(), PER_FILE_LIMIT)
    return check


def expected_records(name: str, listed: dict[str, dict] | None,
                     manifest_files: dict[str, dict] | None) -> int | None:
    """How many records the descriptors announce for a file, for progress only."""
    for stated in ((manifest_files or {}).get(name, {}).get("records"),
                   (listed or {}).get(name, {}).get("rows")):
        if isinstance(stated, int) and not isinstance(stated, bool):
            return stated
    return None


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
        descriptor = load_json(read_descriptor_text(path))
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


def read_records(run_dir: Path, name: str, kind: str, integrity: Integrity, trusted: bool,
                 progress: Progress) -> tuple[int | None, list[str]]:
    """(records read, schema problems); None read when a line cannot be read at all. Records
    go on to the integrity checks until one has a problem (then those checks are not used)."""
    schema, found = None, []  # an unreadable schema: file_problems says why (or checksum)
    schema_file = inside(run_dir, schema_path(kind))
    try:
        if schema_file is not None and not trusted:
            loaded = load_json(read_descriptor_text(schema_file))
            Draft202012Validator.check_schema(loaded)
            schema = RecordSchema(kind, loaded)
    except (OSError, ValueError):
        pass
    except SchemaError as error:
        found.append(f"{schema_path(kind)}: not a JSON Schema ({error.message})")
    data = inside(run_dir, name)
    count = 0
    try:
        for line, record in iter_jsonl(data) if data else ():
            count = line
            progress.tick()
            problems = record_problems(schema, name, line, record) if schema else []
            problems += control_problems(name, line, record)
            found += problems
            if not found and name in integrity.orders:
                found += integrity_fed(integrity, name, line, record, trusted)
    except BrokenLine as broken:
        return None, [str(broken)]
    return count, first(found, PER_FILE_LIMIT)


def record_problems(schema: RecordSchema, name: str, line: int,
                    record: dict[str, Any]) -> list[str]:
    """The schema check of one record (the one place records are checked: tests count calls)."""
    return schema.problems(name, line, record)


def integrity_fed(integrity: Integrity, name: str, line: int, record: dict[str, Any],
                  trusted: bool) -> list[str]:
    """Feed a record to the checks across files; a record they cannot read is a problem of its
    own (a schema looser than this harvester's), or, in a trusted file, trust misplaced."""
    try:
        integrity.add(name, line, record)
    except (KeyError, TypeError, AttributeError) as error:
        if trusted:
            raise TrustMisplaced(name) from error
        return [f"{name} line {line}: not a record whose references can be checked "
                f"({type(error).__name__}: {error})"]
    return []


def count_problems(name: str, count: int, resource: dict[str, Any] | None,
                   manifest: dict[str, Any] | None,
                   manifest_files: dict[str, dict] | None) -> list[str]:
    found = []
    tabular = resource is not None and (resource.get("type") == "table" or "rows" in resource)
    if resource is not None and tabular and resource.get("rows") != count:
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
