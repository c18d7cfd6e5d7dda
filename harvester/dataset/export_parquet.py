"""`harvester export parquet`: one Parquet file per record type, nesting kept (lists stay lists,
objects are structs), with Arrow types derived from the records' JSON Schemas (typed.py): ISO
days as date32, UTC times as timestamp[ms, UTC] (whole seconds), integers as int64 whether or
not they may be null, every other string (EDTF dates included) as text.

pyarrow is an optional extra, `parquet`; without it the command names how to install it
(harvester.extras).
"""

from pathlib import Path
from typing import Any

from harvester.dataset.atomic import atomic_dir
from harvester.dataset.files import RunRecords
from harvester.dataset.progress import Progress
from harvester.dataset.typed import NotInCalendar, arrow_type, record_converter
from harvester.items import schema_for

TABLES = {"documents": "document", "topics": "topic", "people": "people", "rejects": "reject"}
LABELS = ("record_id", "slug", "key", "url")  # what names a record in a message


class ParquetUnavailable(RuntimeError):
    def __init__(self) -> None:
        super().__init__("Parquet export needs pyarrow, the parquet extra")


class NotTypable(ValueError):
    """A value the schema's pattern admits that its Arrow type cannot hold."""


def arrow_schema(kind: str, metadata: dict[str, str]):
    import pyarrow as pa

    properties = schema_for(kind)["properties"]
    return pa.schema([pa.field(name, arrow_type(spec)) for name, spec in properties.items()],
                     metadata=metadata)


def arrow_rows(name: str, kind: str, records: list[dict[str, Any]], progress: Progress):
    convert = record_converter(kind)
    for line, record in enumerate(progress.counted(records), start=1):
        try:
            yield convert(record)
        except NotInCalendar as error:
            label = next((record[k] for k in LABELS if record.get(k)), None)
            where = f"{name}.jsonl line {line}" + (f" (record {label})" if label else "")
            raise NotTypable(f"{where}: {error}") from None


def export_parquet(records: RunRecords, package: dict[str, Any], out: Path,
                   progress: Progress | None = None) -> Path:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ParquetUnavailable() from None
    progress = progress or Progress.silent()
    metadata = {k: str(package[k]) for k in ("name", "run_id", "created", "harvester_version")
                if package.get(k)}
    with atomic_dir(out) as building:
        for name, kind in TABLES.items():
            rows = getattr(records, name)
            progress.begin(f"writing {name}.parquet", len(rows))
            table = pa.Table.from_pylist(list(arrow_rows(name, kind, rows, progress)),
                                         arrow_schema(kind, metadata))
            pq.write_table(table, building / f"{name}.parquet")
    return out
