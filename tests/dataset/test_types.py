"""One type per field wherever the records are read with types: the Parquet export (exact Arrow
types per column) and DuckDB reading the JSON Lines with the columns typed.py gives, which must
be the Parquet file's types and values, `topics.popular.date.edtf` text in both."""

import json
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from harvester.cli import main
from harvester.dataset.typed import NotInCalendar, duckdb_columns, epoch_day, epoch_millisecond
from tests.helpers.records import edit_records, reseal

DATE = ("struct<original: string, edtf: string, earliest: date32[day], latest: date32[day], "
        "precision: string>")
ARROW_TYPES = {
    "documents": {
        "record_id": "string", "node_id": "int64", "url": "string", "slug": "string",
        "title": "string", "date": DATE, "summary": "string",
        "people": "list<element: struct<id: int64, slug: string, name: string, role: string, "
                  "display: string, family: string, given: string, kind: string>>",
        "places": "list<element: string>",
        "place_links": "list<element: struct<id: int64, slug: string, name: string>>",
        "topics": "list<element: struct<slug: string, title: string>>",
        "subjects": "list<element: string>",
        "subject_links": "list<element: struct<id: int64, slug: string, name: string>>",
        "source": "string",
        "archives": "list<element: string>", "languages": "list<element: string>",
        "type": "string", "classification": "string", "rights": "string",
        "donors": "list<element: string>", "credit": "string", "uploaded": "date32[day]",
        "related": "list<element: string>", "downloads": "list<element: string>",
        "preview": "string", "text": "string",
        "texts": "list<element: struct<kind: string, language: string, text: string>>",
        "retrieved_at": "timestamp[ms, tz=UTC]",
        "capture": "struct<source: string, timestamp: timestamp[ms, tz=UTC], url: string, "
                   "digest: string>"},
    "topics": {
        "slug": "string", "url": "string", "title": "string", "description": "string",
        "topic_id": "int64", "document_count": "int64", "record_ids": "list<element: string>",
        "popular": f"list<element: struct<url: string, date: {DATE}, title: string, "
                   "summary: string>>"},
    "people": {
        "key": "string", "slug": "string", "ids": "list<element: int64>", "name": "string",
        "display": "string", "family": "string", "given": "string", "kind": "string",
        "aliases": "list<element: string>",
        "roles": "struct<author: int64, associated: int64, contributor: int64>",
        "document_count": "int64", "record_ids": "list<element: string>",
        "first_date": "date32[day]", "last_date": "date32[day]", "life_dates": "string",
        "description": "string"},
    "rejects": {"url": "string", "reason": "string", "field": "string"},
}
KINDS = {"documents": "document", "topics": "topic", "people": "people", "rejects": "reject"}


@pytest.fixture(scope="module")
def parquet(run_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("typed") / "parquet"
    assert main(["export", "parquet", str(run_dir), str(out), "-q"]) == 0
    return out


@pytest.mark.parametrize("table", ARROW_TYPES)
def test_every_parquet_column_has_its_exact_arrow_type(parquet, table):
    schema = pq.read_schema(parquet / f"{table}.parquet")
    assert {field.name: str(field.type) for field in schema} == ARROW_TYPES[table]


def test_nullable_integers_stay_integers_and_dates_are_days(parquet):
    people = pq.read_table(parquet / "people.parquet").to_pylist()
    by_key = {entry["key"]: entry for entry in people}
    assert (by_key["slug:stalin-joseph"]["ids"], by_key["slug:puzanov-aleksandr-mikhailovich"]
            ["ids"]) == ([39830], [])
    assert (by_key["slug:stalin-joseph"]["first_date"],
            by_key["slug:stalin-joseph"]["last_date"]) == (date(1949, 3, 5), date(1950, 10, 8))
    [document] = pq.read_table(parquet / "documents.parquet",
                               filters=[("record_id", "=", "110360")]).to_pylist()
    assert document["place_links"][0] == {"id": 1001, "slug": None, "name": "Korea (North)"}
    [document] = pq.read_table(parquet / "documents.parquet",
                               filters=[("record_id", "=", "116978")]).to_pylist()
    assert document["date"] == {"original": "April, 1950", "edtf": "1950-04",
                                "earliest": date(1950, 4, 1), "latest": date(1950, 4, 30),
                                "precision": "month"}


def test_duckdb_columns_of_a_topic():
    day = ('STRUCT("original" VARCHAR, "edtf" VARCHAR, "earliest" DATE, "latest" DATE, '
           '"precision" VARCHAR)')
    assert duckdb_columns("topic") == {
        "slug": "VARCHAR", "url": "VARCHAR", "title": "VARCHAR", "description": "VARCHAR",
        "topic_id": "BIGINT", "document_count": "BIGINT", "record_ids": "VARCHAR[]",
        "popular": f'STRUCT("url" VARCHAR, "date" {day}, "title" VARCHAR, '
                   '"summary" VARCHAR)[]'}


def test_duckdb_columns_of_a_documents_texts():
    columns = duckdb_columns("document")
    assert list(columns)[list(columns).index("text"):] == [
        "text", "texts", "retrieved_at", "capture"]
    assert columns["texts"] == 'STRUCT("kind" VARCHAR, "language" VARCHAR, "text" VARCHAR)[]'


@pytest.mark.parametrize("table", ARROW_TYPES)
def test_duckdb_reads_the_json_lines_as_the_parquet_types_and_values(run_dir, parquet, table):
    lines = duckdb.read_json(str(run_dir / f"{table}.jsonl"), columns=duckdb_columns(KINDS[table]))
    columns = duckdb.read_parquet(str(parquet / f"{table}.parquet"))
    assert [str(t) for t in lines.dtypes] == [str(t) for t in columns.dtypes]
    assert lines.columns == columns.columns
    assert sorted(lines.fetchall(), key=repr) == sorted(columns.fetchall(), key=repr)


def test_edtf_is_text_where_duckdb_left_to_guess_makes_it_a_date(run_dir):
    """Every popular document of the bundled topic is dated to the day, so a guess gives DATE;
    the typed columns keep EDTF text, as in Parquet."""
    guessed = duckdb.sql(f"SELECT popular FROM read_json_auto('{run_dir / 'topics.jsonl'}')")
    assert "edtf DATE" in str(guessed.dtypes[0])
    typed = duckdb.read_json(str(run_dir / "topics.jsonl"), columns=duckdb_columns("topic"))
    assert "edtf VARCHAR" in str(typed.select("popular").dtypes[0])


@pytest.mark.parametrize("day", ["1970-01-01", "1950-04-30", "2000-02-29", "1900-03-01",
                                 "0001-01-01", "9999-12-31", "1969-12-31"])
def test_epoch_days_are_the_calendars(day):
    assert epoch_day(day) == date.fromisoformat(day).toordinal() - date(1970, 1, 1).toordinal()


def test_epoch_days_before_year_one_and_seconds():
    # Year 0 is 1 BC, a leap year: 366 days before 0001-01-01.
    assert epoch_day("0000-01-01") == epoch_day("0001-01-01") - 366
    assert epoch_day("-0001-12-31") == epoch_day("0000-01-01") - 1
    assert epoch_millisecond("2026-11-26T14:57:32Z") == 1_795_705_052_000


@pytest.mark.parametrize("value", ["1950-02-30", "1900-02-29", "1950-13-01", "1950-00-10"])
def test_a_day_no_calendar_has_is_refused(value):
    with pytest.raises(NotInCalendar, match=f"^{value} is not a calendar day$"):
        epoch_day(value)


def test_parquet_export_refuses_a_day_no_calendar_has(run_dir, tmp_path, capsys):
    copy = Path(shutil.copytree(run_dir, tmp_path / "run"))

    def impossible_upload(documents):
        documents[0]["uploaded"] = "2011-02-30"

    edit_records(copy / "documents.jsonl", impossible_upload)
    reseal(copy)
    out = tmp_path / "parquet"
    assert main(["export", "parquet", str(copy), str(out), "-q"]) == 1
    assert capsys.readouterr().err == (
        "harvester: documents.jsonl line 1 (record 110360): 2011-02-30 is not a calendar day\n")
    assert not out.exists()
    assert json.loads((copy / "documents.jsonl").read_text().splitlines()[0])["uploaded"] == (
        "2011-02-30")
