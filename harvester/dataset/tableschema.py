"""Frictionless Table Schemas derived from the records' JSON Schemas, so the two never disagree.

Table Schema types are coarse (`object`, `array`): the JSON Schema beside each data file stays the
full contract for nested values, and the data package names it on each resource. A string whose
pattern is an ISO day is a `date`, one whose pattern is an ISO second in UTC a `datetime`, as in
the Parquet export and the DuckDB column types (typed.py).
"""

from typing import Any

from harvester.items import schema_for

_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean",
          "object": "object", "array": "array", "date": "date", "timestamp": "datetime"}

# The key of each record type (a Table Schema primary key).
PRIMARY_KEYS = {"document": "record_id", "topic": "slug", "people": "key"}


def json_types(spec: dict[str, Any]) -> list[str]:
    """The JSON types a property allows, "null" included when it may be null."""
    declared = spec.get("type")
    if declared is None and "enum" in spec:
        found = {"null" if v is None else _json_type(v) for v in spec["enum"]}
        return sorted(found)
    return [declared] if isinstance(declared, str) else list(declared or [])


ISO_DAY = r"^-?\d{4}-\d{2}-\d{2}$"
ISO_SECOND_UTC = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"


def value_type(spec: dict[str, Any]) -> str:
    """`date`, `timestamp`, or the JSON type a property takes when not null."""
    types = [t for t in json_types(spec) if t != "null"]
    kind = types[0] if types else "string"
    if kind == "string" and spec.get("pattern") == ISO_DAY:
        return "date"
    if kind == "string" and spec.get("pattern") == ISO_SECOND_UTC:
        return "timestamp"
    return kind


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {str: "string", float: "number", dict: "object", list: "array"}[type(value)]


def table_field(name: str, spec: dict[str, Any], required: bool) -> dict[str, Any]:
    types = json_types(spec)
    concrete = [t for t in types if t != "null"]
    described: dict[str, Any] = {"name": name,
                                 "type": _TYPES[value_type(spec)] if concrete else "any"}
    if "description" in spec:
        described["description"] = spec["description"]
    constraints: dict[str, Any] = {}
    if required and "null" not in types:
        constraints["required"] = True
    if "enum" in spec:
        constraints["enum"] = [v for v in spec["enum"] if v is not None]
    if constraints:
        described["constraints"] = constraints
    return described


def table_schema(kind: str) -> dict[str, Any]:
    """The Table Schema of a record type, fields in written order."""
    schema = schema_for(kind)
    required = set(schema.get("required", []))
    described: dict[str, Any] = {
        "fields": [table_field(name, spec, name in required)
                   for name, spec in schema["properties"].items()],
    }
    if kind in PRIMARY_KEYS:
        described["primaryKey"] = [PRIMARY_KEYS[kind]]
    return described
