"""The files of a published run and how to read them line by line, naming each broken line."""

import errno
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

# Data file -> record type (the name of its JSON Schema), in the order they are described.
DATA_FILES: dict[str, str] = {
    "documents.jsonl": "document",
    "topics.jsonl": "topic",
    "people.jsonl": "people",
    "rejects.jsonl": "reject",
}
SCHEMA_DIR = "schema"
DATAPACKAGE = "datapackage.json"
MANIFEST = "manifest.json"


# A run's descriptors and schemas are a few kilobytes; one larger than this is not read at all,
# so memory stays bounded whatever a folder holds.
MAX_DESCRIPTOR_BYTES = 16 * 1024 * 1024


def read_descriptor_text(path: Path) -> str:
    """A descriptor's or a schema's text; OSError, saying its size, when it is larger than any
    this harvester writes could be."""
    with path.open("rb") as handle:
        data = handle.read(MAX_DESCRIPTOR_BYTES + 1)
        if len(data) > MAX_DESCRIPTOR_BYTES:
            size = os.fstat(handle.fileno()).st_size
            raise OSError(errno.EFBIG, f"{size} bytes, more than a descriptor holds "
                                       f"({MAX_DESCRIPTOR_BYTES} at most)")
    return data.decode("utf-8")


def schema_path(kind: str) -> str:
    """Where a record type's JSON Schema sits inside a run folder."""
    return f"{SCHEMA_DIR}/{kind}.schema.json"


def inside(run_dir: Path, name: str) -> Path | None:
    """Where a file the run lists really is, links followed; None when that is outside the run
    folder (an absolute path, `..`, a link out), so that nothing outside is ever read."""
    if PurePath(name).is_absolute() or ".." in PurePath(name).parts or "\x00" in name:
        return None
    try:
        path = (run_dir / name).resolve()
        return path if path.is_relative_to(run_dir.resolve()) else None
    except (OSError, RuntimeError):  # a link loop: not a file of the run
        return run_dir / name


def load_json(text: str) -> Any:
    """json.loads, with nesting too deep for the parser a ValueError like any other bad JSON."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None


class BrokenLine(ValueError):
    """A line of a JSON Lines file that is not one JSON object."""

    def __init__(self, name: str, line: int, why: str) -> None:
        super().__init__(f"{name} line {line}: {why}")
        self.name, self.line = name, line


def iter_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) for each line; a line that is not a JSON object raises BrokenLine.

    Split on "\\n" only, so a truncated last line (no newline) is caught too, and before any
    record is given. Read a line at a time, so a large snapshot is never held whole.
    """
    with path.open("rb") as handle:
        handle.seek(0, 2)
        if handle.tell():
            handle.seek(-1, 2)
            if handle.read(1) != b"\n":
                handle.seek(0)
                last = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
                raise BrokenLine(path.name, last + 1, "the file ends inside a line (truncated?)")
        handle.seek(0)
        for number, raw in enumerate(handle, start=1):
            yield number, parse_line(path.name, number, raw.rstrip(b"\n"))


def parse_line(name: str, number: int, raw: bytes) -> dict[str, Any]:
    try:
        record = load_json(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise BrokenLine(name, number, f"not UTF-8 ({error.reason})") from None
    except json.JSONDecodeError as error:
        raise BrokenLine(name, number, f"not valid JSON ({error.msg})") from None
    except ValueError as error:
        raise BrokenLine(name, number, f"not valid JSON ({error})") from None
    if not isinstance(record, dict):
        raise BrokenLine(name, number, "not a JSON object")
    return record


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [record for _, record in iter_jsonl(path)]


@dataclass
class RunRecords:
    """Every record of a published run, as written."""

    documents: list[dict[str, Any]]
    topics: list[dict[str, Any]]
    people: list[dict[str, Any]]
    rejects: list[dict[str, Any]]

    def count(self) -> int:
        return len(self.documents) + len(self.topics) + len(self.people) + len(self.rejects)

    @classmethod
    def load(cls, run_dir: Path) -> "RunRecords":
        paths = [path for path in (inside(run_dir, name) for name in DATA_FILES) if path]
        if len(paths) < len(DATA_FILES):
            raise ValueError(f"{run_dir}: a record file lies outside the run folder")
        return cls(*(read_jsonl(path) for path in paths))
