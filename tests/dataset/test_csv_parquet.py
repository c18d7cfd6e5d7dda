"""`harvester export csv` and `export parquet` on a run of the bundled mirror: the same values
come back, lists as lists from Parquet and "; "-joined from CSV."""

import csv
from datetime import date, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from harvester.cli import main
from harvester.dataset.atomic import atomic_dir
from harvester.dataset.export_csv import ambiguous_values
from harvester.dataset.files import RunRecords, read_jsonl

TABLES = ("documents", "topics", "people", "rejects")


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
        return "; ".join(str(v) for v in value)
    return str(value)


def as_json(value):
    """A value read from Parquet as the JSON Lines write it: dates and UTC times as ISO text."""
    if isinstance(value, dict):
        return {name: as_json(part) for name, part in value.items()}
    if isinstance(value, list):
        return [as_json(part) for part in value]
    if isinstance(value, datetime):
        assert value.utcoffset() == timedelta(0)
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


@pytest.mark.parametrize("table", TABLES)
def test_parquet_gives_back_every_record_exactly(run_dir, exports, table):
    _, parquet = exports
    assert as_json(pq.read_table(parquet / f"{table}.parquet").to_pylist()) == read_jsonl(
        run_dir / f"{table}.jsonl")


def test_parquet_keeps_lists_and_objects_typed(exports):
    _, parquet = exports
    schema = pq.read_schema(parquet / "documents.parquet")
    assert str(schema.field("places").type) == "list<element: string>"
    assert str(schema.field("node_id").type) == "int64"
    assert str(schema.field("date").type) == (
        "struct<original: string, edtf: string, earliest: date32[day], latest: date32[day], "
        "precision: string>")
    [row] = pq.read_table(parquet / "documents.parquet",
                          filters=[("record_id", "=", "110360")]).to_pylist()
    assert row["places"] == ["Korea (North)", "Soviet Union", "Korea (South)"]
    people = pq.read_schema(parquet / "people.parquet")
    assert (str(people.field("ids").type), str(people.field("slug").type)) == (
        "list<element: int64>", "string")
    assert str(schema.field("place_links").type) == (
        "list<element: struct<id: int64, slug: string, name: string>>")
    assert [link["slug"] or link["id"] for link in row["place_links"]] == [1001, 1002, 1005]
    assert str(schema.field("preview").type) == "string"
    assert schema.names.index("preview") == schema.names.index("downloads") + 1
    assert str(schema.field("people").type).startswith(
        "list<element: struct<id: int64, slug: string, name: string, ")
    assert str(schema.field("texts").type) == (
        "list<element: struct<kind: string, language: string, text: string>>")


def test_parquet_keeps_every_text_of_a_document_in_page_order(exports):
    _, parquet = exports
    [row] = pq.read_table(parquet / "documents.parquet",
                          filters=[("record_id", "=", "300412")]).to_pylist()
    assert [(t["kind"], t["language"]) for t in row["texts"]] == [
        ("translation", "English"), ("original", "German")]
    assert row["texts"][1]["text"] == (
        "Genosse Erich Honecker begrüßte Genossen Kim Il Sung und die Delegation der KDVR "
        "herzlich in der DDR.\n\nGenosse Kim Il Sung führte aus, dass die Stationierung neuer "
        "amerikanischer Raketen den Frieden in der ganzen Welt bedrohe.")
    assert row["texts"][0]["text"] == row["text"]


def test_csv_files_and_headers(exports):
    folder, _ = exports
    assert sorted(p.name for p in folder.iterdir()) == [
        "document_people.csv", "document_texts.csv", "documents.csv", "people.csv",
        "rejects.csv", "topics.csv"]
    assert (folder / "documents.csv").read_bytes().startswith(b"\xef\xbb\xbfrecord_id,node_id,")
    with (folder / "people.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == [
            "key", "slug", "ids", "name", "display", "family", "given", "kind", "aliases",
            "roles_author", "roles_associated", "roles_contributor", "document_count",
            "record_ids", "first_date", "last_date", "life_dates", "description"]
    with (folder / "document_people.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == [
            "record_id", "position", "person_key", "person_id", "person_slug", "role", "name"]
    with (folder / "document_texts.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == ["record_id", "position", "kind", "language", "text"]


def test_csv_documents_hold_the_same_values_lists_joined(run_dir, exports):
    folder, _ = exports
    documents = read_jsonl(run_dir / "documents.jsonl")
    rows = read_csv(folder / "documents.csv")
    assert [r["record_id"] for r in rows] == [d["record_id"] for d in documents]
    for row, document in zip(rows, documents, strict=True):
        for field in ("node_id", "url", "slug", "title", "summary", "places", "subjects",
                      "source", "archives", "languages", "type", "classification", "rights",
                      "donors", "credit", "uploaded", "related", "downloads", "preview",
                      "text", "retrieved_at"):
            assert row[field] == cell(document[field]), (document["record_id"], field)
        for part in ("original", "edtf", "earliest", "latest", "precision"):
            assert row[f"date_{part}"] == cell((document["date"] or {}).get(part))
        for role, column in (("author", "authors"), ("associated", "associated_people"),
                             ("contributor", "contributors")):
            assert row[column] == cell([p["name"] for p in document["people"]
                                        if p["role"] == role])
        assert row["topics"] == cell([t["title"] for t in document["topics"]])
        assert row["texts"] == cell([f"{t['kind']} ({t['language']})" if t["language"]
                                     else t["kind"] for t in document["texts"]])


def test_csv_names_each_documents_texts_and_holds_them_whole_one_row_each(run_dir, exports):
    folder, _ = exports
    rows = {r["record_id"]: r for r in read_csv(folder / "documents.csv")}
    assert (rows["300412"]["texts"], rows["111861"]["texts"], rows["113901"]["texts"]) == (
        "translation (English); original (German)", "original (Russian); translation (English)",
        "translation")
    texts = read_csv(folder / "document_texts.csv")
    documents = read_jsonl(run_dir / "documents.jsonl")
    assert len(texts) == sum(len(d["texts"]) for d in documents) == 31
    assert [(r["position"], r["kind"], r["language"], r["text"]) for r in texts
            if r["record_id"] == "301046"] == [
        ("1", "translation", "English", rows["301046"]["text"]),
        ("2", "transcript", "Chinese", "胡耀邦总书记：我们希望朝鲜同志理解我们“一国两制”的政策。")]
    assert [r["language"] for r in texts if r["record_id"] == "113901"] == [""]


def test_only_a_list_cut_by_its_cells_separator_is_warned_about():
    """A document's texts are in its cell by kind and language only: a "; " inside a text cuts
    nothing (document_texts.csv holds it whole)."""
    document = {"record_id": "1", "places": ["Korea; North"], "texts": [
        {"kind": "translation", "language": "English", "text": "Molotov; Vyshinsky"}]}
    assert ambiguous_values(RunRecords([document], [], [], [])) == [
        "document 1: a value in places contains '; '; use the JSON Lines or Parquet for exact "
        "lists"]


def test_csv_matches_parquet_cell_for_cell(exports):
    folder, parquet = exports
    for table in TABLES:
        rows = read_csv(folder / f"{table}.csv")
        records = as_json(pq.read_table(parquet / f"{table}.parquet").to_pylist())
        assert len(rows) == len(records)
        for row, record in zip(rows, records, strict=True):
            for field, value in record.items():
                if field in row and not (isinstance(value, list) and value
                                         and isinstance(value[0], dict)):
                    assert row[field] == cell(value), (table, field)


def test_csv_people_and_their_documents(exports):
    folder, _ = exports
    people = {r["key"]: r for r in read_csv(folder / "people.csv")}
    stalin = people["slug:stalin-joseph"]
    assert (stalin["ids"], stalin["slug"], stalin["record_ids"], stalin["roles_associated"],
            stalin["first_date"]) == ("39830", "stalin-joseph",
                                      "110360; 112127; 114902; 116978; 300188", "5", "1949-03-05")
    assert (people["slug:kim-il-sung"]["ids"], people["slug:kim-il-sung"]["aliases"]) == (
        "40011; 87212", "Kim Il Sung")
    links = read_csv(folder / "document_people.csv")
    assert [(r["position"], r["person_key"], r["person_id"], r["person_slug"], r["role"])
            for r in links if r["record_id"] == "110360"] == [
        ("1", "slug:shtykov-terentii-fomich", "40211", "", "author"),
        ("2", "slug:shtykov-terentii-fomich", "40211", "", "associated"),
        ("3", "slug:stalin-joseph", "39830", "", "associated"),
        ("4", "slug:kim-il-sung", "40011", "", "associated"),
        ("5", "slug:workers-party-korea", "42288", "", "associated")]
    assert [(r["position"], r["person_key"], r["person_id"], r["person_slug"], r["role"])
            for r in links if r["record_id"] == "114902"] == [
        ("1", "slug:shtykov-terentii-fomich", "", "shtykov-terentii-fomich", "author"),
        ("2", "slug:gromyko-andrei-andreevich", "", "gromyko-andrei-andreevich", "associated"),
        ("3", "slug:stalin-joseph", "", "stalin-joseph", "associated"),
        ("4", "slug:kim-il-sung", "", "kim-il-sung", "associated"),
        ("5", "slug:workers-party-korea", "", "workers-party-korea", "associated")]


def test_csv_documents_name_what_each_place_links(exports):
    folder, _ = exports
    rows = {r["record_id"]: r for r in read_csv(folder / "documents.csv")}
    assert rows["110360"]["place_links"] == "id:1001; id:1002; id:1005"
    assert rows["114902"]["place_links"] == (
        "slug:korea-north; slug:soviet-union; slug:united-states")
    assert rows["114902"]["subject_links"] == "name:Korean War, 1950-1953"


def test_a_failed_export_leaves_the_previous_output_untouched(tmp_path):
    target = tmp_path / "csv"
    target.mkdir()
    (target / "documents.csv").write_text("previous")
    with pytest.raises(RuntimeError), atomic_dir(target) as building:
        (building / "documents.csv").write_text("half")
        raise RuntimeError("interrupted")
    assert [p.name for p in tmp_path.iterdir()] == ["csv"]
    assert (target / "documents.csv").read_text() == "previous"
