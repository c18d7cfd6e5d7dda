"""The data package of a run of the bundled mirror: Frictionless finds it valid, every record
fits its JSON Schema, and the people index says what the hand-checked documents say."""

import json
import re
import shutil
from pathlib import Path

import pytest
from frictionless import Package
from jsonschema import Draft202012Validator

from harvester.dataset.files import DATA_FILES, read_jsonl
from harvester.dataset.package import datapackage
from harvester.run.folder import file_facts
from tests.helpers.pages import BASE, ROOT, load_json

SCHEMAS = ROOT / "harvester" / "items" / "schemas"


def test_frictionless_finds_the_package_valid(run_dir):
    report = Package(str(run_dir / "datapackage.json")).validate()
    assert report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"]) == []
    assert report.valid


def test_package_describes_each_file_with_size_checksum_and_rows(run_dir):
    package = load_json(run_dir / "datapackage.json")
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    rows = {r["name"]: (r["type"], r.get("rows")) for r in package["resources"]}
    assert rows == {"documents": ("table", 19), "topics": ("table", 1), "people": ("table", 34),
                    "rejects": ("table", 1), "changes": ("file", None),
                    "document-schema": ("json", None), "topic-schema": ("json", None),
                    "people-schema": ("json", None), "reject-schema": ("json", None)}
    for resource in package["resources"]:
        facts = file_facts(run_dir / resource["path"])
        assert resource["bytes"] == facts["bytes"]
        assert resource["hash"] == f"sha256:{facts['sha256']}"
        assert resource["encoding"] == "utf-8"
        assert resource["description"]


def test_package_names_its_sources_rights_time_and_version(run_dir):
    package = load_json(run_dir / "datapackage.json")
    manifest = load_json(run_dir / "manifest.json")
    assert package["run_id"] == manifest["run_id"] == run_dir.name
    assert package["harvester_version"] == manifest["harvester_version"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", package["created"])
    assert manifest["started"] <= package["created"] <= manifest["finished"]
    assert package["sources"] == [
        {"title": "Wilson Center Digital Archive", "path": BASE},
        {"title": "Wilson Center Digital Archive: Conversations with Kim Il Sung",
         "path": f"{BASE}/topics/conversations-kim-il-sung"}]
    assert "`rights` field" in package["rights"]
    assert package["title"] == (
        "Wilson Center Digital Archive metadata: Conversations with Kim Il Sung")


def test_each_table_points_to_its_json_schema_and_primary_key(run_dir):
    package = load_json(run_dir / "datapackage.json")
    tables = {r["name"]: r for r in package["resources"] if r["type"] == "table"}
    assert {n: (r["jsonSchema"], r["schema"].get("primaryKey")) for n, r in tables.items()} == {
        "documents": ("schema/document.schema.json", ["record_id"]),
        "topics": ("schema/topic.schema.json", ["slug"]),
        "people": ("schema/people.schema.json", ["key"]),
        "rejects": ("schema/reject.schema.json", None)}
    fields = [f["name"] for f in tables["people"]["schema"]["fields"]]
    assert fields == ["key", "id", "slug", "name", "display", "family", "given", "kind", "names",
                      "roles", "document_count", "record_ids", "first_date", "last_date"]
    documents = {f["name"]: f for f in tables["documents"]["schema"]["fields"]}
    assert list(documents)[list(documents).index("preview"):] == [
        "preview", "text", "texts", "retrieved_at", "capture"]
    assert documents["texts"] == {
        "name": "texts", "type": "array",
        "description": "Every text the page holds, in page order: one entry per pane of its text "
                       "tabs (a translation, transcript or original, in each of the languages "
                       "the page has). A scan and a pane without text are not entries. Null "
                       "only for records stored before the field existed."}


@pytest.mark.parametrize(("name", "kind"), sorted(DATA_FILES.items()))
def test_every_record_fits_its_published_json_schema(run_dir, name, kind):
    published = run_dir / "schema" / f"{kind}.schema.json"
    assert published.read_bytes() == (SCHEMAS / f"{kind}.schema.json").read_bytes()
    schema = json.loads(published.read_text("utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    validator = Draft202012Validator(schema)
    records = read_jsonl(run_dir / name)
    assert records
    assert [list(validator.iter_errors(r)) for r in records] == [[] for _ in records]


def people_by_key(run: Path) -> dict[str, dict]:
    return {p["key"]: p for p in read_jsonl(run / "people.jsonl")}


def test_people_index_entries_for_a_term_and_for_a_slug(run_dir):
    # Stalin's pills link a faceted search on the older-shape pages, his page on the others.
    people = people_by_key(run_dir)
    assert people["id:39830"] == {
        "key": "id:39830", "id": 39830, "slug": None, "name": "Stalin, Joseph, 1878-1953",
        "display": "Joseph Stalin", "family": "Stalin", "given": "Joseph", "kind": "person",
        "names": ["Stalin, Joseph, 1878-1953"],
        "roles": {"author": 0, "associated": 3, "contributor": 0}, "document_count": 3,
        "record_ids": ["110360", "112127", "116978"],
        "first_date": "1949-03-05", "last_date": "1950-07-04"}
    assert people["slug:stalin-joseph"] == {
        "key": "slug:stalin-joseph", "id": None, "slug": "stalin-joseph",
        "name": "Stalin, Joseph, 1878-1953", "display": "Joseph Stalin", "family": "Stalin",
        "given": "Joseph", "kind": "person", "names": ["Stalin, Joseph, 1878-1953"],
        "roles": {"author": 0, "associated": 2, "contributor": 0}, "document_count": 2,
        "record_ids": ["114902", "300188"],
        "first_date": "1950-09-29", "last_date": "1950-10-08"}


def test_people_index_counts_each_role_per_document(run_dir):
    people = people_by_key(run_dir)
    assert (people["id:40211"]["roles"], people["id:40211"]["document_count"]) == (
        {"author": 1, "associated": 2, "contributor": 0}, 2)
    assert (people["slug:shtykov-terentii-fomich"]["roles"],
            people["slug:shtykov-terentii-fomich"]["document_count"]) == (
        {"author": 2, "associated": 0, "contributor": 0}, 2)
    assert people["slug:poland-ministry-foreign-affairs"]["roles"] == {
        "author": 1, "associated": 1, "contributor": 0}
    assert people["id:44120"]["roles"] == {"author": 0, "associated": 0, "contributor": 1}


def test_people_index_keys_by_slug_else_term_id_else_name(run_dir):
    people = people_by_key(run_dir)
    assert len(people) == 34
    assert sum(k.startswith("slug:") for k in people) == 15
    assert sum(k.startswith("id:") for k in people) == 18
    assert [k for k in people if k.startswith("name:")] == [
        "name:Romanian Communist Party. Central Committee"]
    unlinked = people["name:Romanian Communist Party. Central Committee"]
    assert (unlinked["id"], unlinked["kind"], unlinked["record_ids"]) == (
        None, "organization", ["119271"])
    # Two archive terms shown as "Kim Il Sung" stay two entries, and the pills linking Kim's
    # page a third.
    assert (people["id:40011"]["name"], people["id:40011"]["document_count"]) == (
        "Kim, Il Sung", 10)
    assert (people["slug:kim-il-sung"]["name"], people["slug:kim-il-sung"]["record_ids"]) == (
        "Kim, Il Sung", ["114078", "114902", "115630", "117725", "121543", "300188", "300412",
                         "300975"])
    assert (people["id:87212"]["name"], people["id:87212"]["record_ids"]) == (
        "Kim Il Sung", ["122604"])
    assert (people["id:87212"]["first_date"], people["id:87212"]["last_date"]) == (None, None)


def test_people_are_sorted_by_display_name_then_id(run_dir):
    people = read_jsonl(run_dir / "people.jsonl")
    displays = [p["display"] for p in people]
    assert displays[:3] == ["Aleksandr Mikhailovich Puzanov", "Aleksandr Nikiforovich Aksenov",
                            "Andrei Andreevich Gromyko"]
    kims = [p["key"] for p in people if p["display"] == "Kim Il Sung"]
    assert kims == ["id:40011", "id:87212", "slug:kim-il-sung"]
    assert displays == sorted(displays, key=str.casefold)


def test_people_index_covers_every_person_on_every_document(run_dir):
    documents = read_jsonl(run_dir / "documents.jsonl")
    people = people_by_key(run_dir)
    for document in documents:
        for person in document["people"]:
            key = (f"slug:{person['slug']}" if person["slug"] else f"id:{person['id']}"
                   if person["id"] is not None else f"name:{person['name']}")
            assert document["record_id"] in people[key]["record_ids"]
    naming_kim = [d["record_id"] for d in documents if any(p["id"] == 40011 for p in d["people"])]
    assert naming_kim == people["id:40011"]["record_ids"]
    linking_kim = [d["record_id"] for d in documents
                   if any(p["slug"] == "kim-il-sung" for p in d["people"])]
    assert linking_kim == people["slug:kim-il-sung"]["record_ids"]


def test_a_run_without_rejects_is_still_a_valid_package(run_dir, tmp_path):
    copy = Path(shutil.copytree(run_dir, tmp_path / run_dir.name))
    (copy / "rejects.jsonl").write_bytes(b"")
    files = {name: {"records": len(read_jsonl(copy / name)), **file_facts(copy / name)}
             for name in ("documents.jsonl", "topics.jsonl", "people.jsonl", "rejects.jsonl")}
    descriptor = datapackage(copy, copy.name, files, read_jsonl(copy / "topics.jsonl"))
    (copy / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    [rejects] = [r for r in descriptor["resources"] if r["name"] == "rejects"]
    assert (rejects["type"], "rows" in rejects, "schema" in rejects) == ("file", False, False)
    report = Package(str(copy / "datapackage.json")).validate()
    assert report.flatten(["resourceName", "type", "note"]) == []
