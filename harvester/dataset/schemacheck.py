"""Checking a run's records against the run's own JSON Schemas, fast.

A record goes first through the check the crawl compiles to Python (fastjsonschema, see
harvester/pipelines/validate.py): when it passes, `jsonschema`, the reference, would pass it too.
Only a record the compiled check rejects is walked by `jsonschema`, which words the problems,
so they read exactly as the reference says them. The compiled check is used only when the run's
schema is the one this harvester compiles; any other schema is left to the reference alone
(no code is generated from a schema found in a folder).
"""

from collections.abc import Callable
from typing import Any

from jsonschema import Draft202012Validator

from harvester.items import schema_for
from harvester.items.validation import compiled
from harvester.normalize.text import controls_in

Record = dict[str, Any]


class RecordSchema:
    """One record type's schema, as the run states it."""

    def __init__(self, kind: str, schema: dict[str, Any]) -> None:
        self.reference = Draft202012Validator(schema)
        self.fast: Callable[[Record], object] | None = (
            compiled(kind) if schema == schema_for(kind) else None)

    def passes(self, record: Record) -> bool:
        """Whether the compiled check passes the record (False sends it to the reference)."""
        if self.fast is None:
            return False
        try:
            self.fast(record)
        except Exception:  # a failed check, or a value the generated code cannot handle
            return False
        return True

    def problems(self, name: str, line: int, record: Record) -> list[str]:
        """One sentence per way the record breaks the schema, naming file, line and record."""
        if self.passes(record):
            return []
        try:
            return [schema_problem(name, line, record, error)
                    for error in self.reference.iter_errors(record)]
        except RecursionError:
            return [f"{name} line {line}: nested too deeply to check against its schema"]


def where(name: str, line: int, record: Record) -> str:
    label = record.get("record_id") or record.get("slug") or record.get("key")
    return f"{name} line {line}" + (f" (record {label})" if label else "")


def schema_problem(name: str, line: int, record: Record, error) -> str:
    field = ".".join(str(p) for p in error.absolute_path)
    return f"{where(name, line, record)}: {field + ': ' if field else ''}{error.message}"


def control_problems(name: str, line: int, record: Record) -> list[str]:
    """A field holding a control character (harvester.normalize.text.CONTROLS), which no
    schema says but the harvester never writes, whatever a page held; checked in every file,
    trusted or not."""
    return [f"{where(name, line, record)}: {path} holds a control character "
            f"(U+{ord(char):04X})" for path, char in controls_in(record)]
