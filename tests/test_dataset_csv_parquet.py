"""`harvester export csv` and `export parquet` on a run of the bundled mirror: the same values
come back, lists as lists from Parquet and "; "-joined from CSV."""

import csv
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from harvester.cli import main
from harvester.dataset.atomic import atomic_dir
from harvester.dataset.files import read_jsonl
from tests.test_dataset_run import crawl_bundled_mirror

TABLES = ("documents", "topics", "people", "rejects")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    return crawl_bundled_mirror(tmp_path_factory.mktemp("out"))


@pytest.fixture(scope="module")
def exports(run_dir, tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("exports")
    assert main(["export", "csv", str(run_dir), str(base / "csv")]) == 0
    assert main(["export", "parquet", str(run_dir), str(base / "parquet")]) == 0
    return base / "csv", base / "parquet"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def cell(value) -> str:
    """What a CSV cell holds for a JSON value: empty for null or [], lists "; "-joined."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)


@pytest.mark.parametrize("table", TABLES)
def test_parquet_gives_back_every_record_exactly(run_dir, exports, table):
    _, parquet = exports
    assert pq.read_table(parquet / f"{table}.parquet").to_pylist() == read_jsonl(
        run_dir / f"{table}.jsonl")


def test_parquet_keeps_lists_and_objects_typed(exports):
    _, parquet = exports
    schema = pq.read_schema(parquet / "documents.parquet")
    assert str(schema.field("places").type) == "list<element: string>"
    assert str(schema.field("node_id").type) == "int64"
    assert str(schema.field("date").type) == (
        "struct<original: string, edtf: string, earliest: string, latest: string, "
        "precision: string>")
    [row] = pq.read_table(parquet / "documents.parquet",
                          filters=[("record_id", "=", "110360")]).to_pylist()
    assert row["places"] == ["Korea (North)", "Soviet Union", "Korea (South)"]


def test_csv_files_and_headers(exports):
    folder, _ = exports
    assert sorted(p.name for p in folder.iterdir()) == [
        "document_people.csv", "documents.csv", "people.csv", "rejects.csv", "topics.csv"]
    assert (folder / "documents.csv").read_bytes().startswith(b"\xef\xbb\xbfrecord_id,node_id,")
    with (folder / "people.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == [
            "key", "id", "name", "display", "family", "given", "kind", "names", "roles_author",
            "roles_associated", "roles_contributor", "document_count", "record_ids",
            "first_date", "last_date"]


def test_csv_documents_hold_the_same_values_lists_joined(run_dir, exports):
    folder, _ = exports
    documents = read_jsonl(run_dir / "documents.jsonl")
    rows = read_csv(folder / "documents.csv")
    assert [r["record_id"] for r in rows] == [d["record_id"] for d in documents]
    for row, document in zip(rows, documents, strict=True):
        for field in ("node_id", "url", "slug", "title", "summary", "places", "subjects",
                      "source", "archives", "languages", "type", "classification", "rights",
                      "donors", "credit", "uploaded", "related", "downloads", "text",
                      "retrieved_at"):
            assert row[field] == cell(document[field]), (document["record_id"], field)
        for part in ("original", "edtf", "earliest", "latest", "precision"):
            assert row[f"date_{part}"] == cell((document["date"] or {}).get(part))
        for role, column in (("author", "authors"), ("associated", "associated_people"),
                             ("contributor", "contributors")):
            assert row[column] == cell([p["name"] for p in document["people"]
                                        if p["role"] == role])
        assert row["topics"] == cell([t["title"] for t in document["topics"]])


def test_csv_matches_parquet_cell_for_cell(exports):
    folder, parquet = exports
    for table in TABLES:
        rows = read_csv(folder / f"{table}.csv")
        records = pq.read_table(parquet / f"{table}.parquet").to_pylist()
        assert len(rows) == len(records)
        for row, record in zip(rows, records, strict=True):
            for field, value in record.items():
                if field in row and not (isinstance(value, list) and value
                                         and isinstance(value[0], dict)):
                    assert row[field] == cell(value), (table, field)


def test_csv_people_and_their_documents(exports):
    folder, _ = exports
    stalin = next(r for r in read_csv(folder / "people.csv") if r["key"] == "id:39830")
    assert (stalin["record_ids"], stalin["roles_associated"], stalin["first_date"]) == (
        "110360; 112127; 114902; 116978; 300188", "5", "1949-03-05")
    links = [r for r in read_csv(folder / "document_people.csv") if r["record_id"] == "110360"]
    assert [(r["position"], r["person_key"], r["role"]) for r in links] == [
        ("1", "id:40211", "author"), ("2", "id:40211", "associated"),
        ("3", "id:39830", "associated"), ("4", "id:40011", "associated"),
        ("5", "id:42288", "associated")]


def test_a_failed_export_leaves_the_previous_output_untouched(tmp_path):
    target = tmp_path / "csv"
    target.mkdir()
    (target / "documents.csv").write_text("previous")
    with pytest.raises(RuntimeError), atomic_dir(target) as building:
        (building / "documents.csv").write_text("half")
        raise RuntimeError("interrupted")
    assert [p.name for p in tmp_path.iterdir()] == ["csv"]
    assert (target / "documents.csv").read_text() == "previous"
