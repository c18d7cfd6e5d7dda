"""`harvester export parquet`: one Parquet file per record type, nesting kept (lists stay lists,
objects are structs), with Arrow types derived from the records' JSON Schemas.

pyarrow is an optional extra: `pip install 'harvester[parquet]'`.
"""

from pathlib import Path
from typing import Any

from harvester.dataset.atomic import atomic_dir
from harvester.dataset.files import RunRecords
from harvester.dataset.tableschema import json_types
from harvester.items import schema_for

TABLES = {"documents": "document", "topics": "topic", "people": "people", "rejects": "reject"}


class ParquetUnavailable(RuntimeError):
    def __init__(self) -> None:
        super().__init__("Parquet export needs pyarrow: pip install 'harvester[parquet]'")


def arrow_type(spec: dict[str, Any]):
    import pyarrow as pa

    types = [t for t in json_types(spec) if t != "null"]
    kind = types[0] if types else "string"
    if kind == "object":
        return pa.struct([pa.field(name, arrow_type(part), nullable=True)
                          for name, part in spec["properties"].items()])
    if kind == "array":
        return pa.list_(arrow_type(spec.get("items", {})))
    return {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(),
            "boolean": pa.bool_()}[kind]


def arrow_schema(kind: str, metadata: dict[str, str]):
    import pyarrow as pa

    properties = schema_for(kind)["properties"]
    return pa.schema([pa.field(name, arrow_type(spec)) for name, spec in properties.items()],
                     metadata=metadata)


def export_parquet(records: RunRecords, package: dict[str, Any], out: Path) -> Path:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ParquetUnavailable() from None
    metadata = {k: str(package[k]) for k in ("name", "run_id", "created", "harvester_version")
                if package.get(k)}
    with atomic_dir(out) as building:
        for name, kind in TABLES.items():
            table = pa.Table.from_pylist(getattr(records, name), arrow_schema(kind, metadata))
            pq.write_table(table, building / f"{name}.parquet")
    return out
