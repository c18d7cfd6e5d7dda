"""One type per field, derived from the records' JSON Schemas, for the readers that have types:
Arrow (the Parquet export) and DuckDB (reading the JSON Lines themselves).

A string whose schema pattern is an ISO day (`date.earliest`, `uploaded`, `first_date`) is a
date; one whose pattern is an ISO second in UTC (`retrieved_at`, `capture.timestamp`) is a
timestamp in UTC (in milliseconds for Arrow, since a Parquet file has no unit of seconds and
would turn seconds into them on writing: the values stay whole seconds); an integer that may be
null stays an integer. Every other string stays text, `date.edtf` included (an EDTF value is
not always a day: `1950-04`, `1971`, `1950/1953`): a reader left to guess would type a column
DATE when every value happens to be a full day and text otherwise, so the same field would
change type from one run to the next.
"""

from datetime import datetime
from typing import Any

from harvester.dataset.tableschema import value_type
from harvester.items import schema_for

DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def arrow_type(spec: dict[str, Any]):
    import pyarrow as pa

    kind = value_type(spec)
    if kind == "object":
        return pa.struct([pa.field(name, arrow_type(part), nullable=True)
                          for name, part in spec["properties"].items()])
    if kind == "array":
        return pa.list_(arrow_type(spec.get("items", {})))
    return {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(),
            "boolean": pa.bool_(), "date": pa.date32(),
            "timestamp": pa.timestamp("ms", tz="UTC")}[kind]


def duckdb_type(spec: dict[str, Any]) -> str:
    kind = value_type(spec)
    if kind == "object":
        parts = ", ".join(f'"{name}" {duckdb_type(part)}'
                          for name, part in spec["properties"].items())
        return f"STRUCT({parts})"
    if kind == "array":
        return f"{duckdb_type(spec.get('items', {}))}[]"
    return {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN",
            "date": "DATE", "timestamp": "TIMESTAMP WITH TIME ZONE"}[kind]


def duckdb_columns(kind: str) -> dict[str, str]:
    """The `columns` argument of DuckDB's read_json for a record type's JSON Lines: the types the
    Parquet export has, whatever values a run holds."""
    return {name: duckdb_type(spec) for name, spec in schema_for(kind)["properties"].items()}


class NotInCalendar(ValueError):
    """A date or time that its pattern lets through but no calendar has (`1950-02-30`)."""


def epoch_day(iso: str) -> int:
    """Days from 1970-01-01 to an ISO day, proleptic Gregorian calendar, astronomical years
    (`-0500` is 501 BC), as Arrow's date32 counts them: years before 1 included."""
    negative = iso.startswith("-")
    year_text, month_text, day_text = iso.removeprefix("-").split("-")
    year, month, day = int(year_text) * (-1 if negative else 1), int(month_text), int(day_text)
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if not 1 <= month <= 12 or not 1 <= day <= DAYS_IN_MONTH[month - 1] - (
            month == 2 and not leap):
        raise NotInCalendar(f"{iso} is not a calendar day")
    shifted = year - (month <= 2)  # a year counted from March, so the leap day comes last
    era, year_of_era = divmod(shifted, 400)
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def epoch_millisecond(iso: str) -> int:
    """Milliseconds from the epoch (Parquet has no unit of seconds: whole seconds in ms)."""
    try:
        return int(datetime.fromisoformat(iso).timestamp()) * 1000
    except ValueError:
        raise NotInCalendar(f"{iso} is not a calendar time") from None


def converter(spec: dict[str, Any]):
    """A function giving a JSON value in the form its Arrow type takes (dates as days, times
    as milliseconds since the epoch), or None where the value goes in as it is."""
    kind = value_type(spec)
    if kind in ("date", "timestamp"):
        to_number = epoch_day if kind == "date" else epoch_millisecond
        return lambda value: None if value is None else to_number(value)
    if kind == "object":
        parts = {name: converter(part) for name, part in spec["properties"].items()}
        parts = {name: convert for name, convert in parts.items() if convert is not None}
        if not parts:
            return None
        return lambda value: None if value is None else {
            **value, **{name: convert(value.get(name)) for name, convert in parts.items()}}
    if kind == "array":
        each = converter(spec.get("items", {}))
        if each is None:
            return None
        return lambda value: None if value is None else [each(item) for item in value]
    return None


def record_converter(kind: str):
    """A function giving a record with every date and time in its Arrow form."""
    parts = {name: converter(spec) for name, spec in schema_for(kind)["properties"].items()}
    parts = {name: convert for name, convert in parts.items() if convert is not None}
    return lambda record: {**record, **{name: convert(record.get(name))
                                        for name, convert in parts.items()}}
