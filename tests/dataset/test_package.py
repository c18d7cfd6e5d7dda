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
from harvester.dataset.folder import file_facts
from harvester.dataset.package import datapackage
from harvester.dataset.people import build_people_index
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
    assert rows == {"documents": ("table", 19), "topics": ("table", 1), "people": ("table", 29),
                    "rejects": ("table", 1), "changes": ("file", None),
                    "document-schema": ("json", None), "topic-schema": ("json", None),
                    "people-schema": ("json", None), "reject-schema": ("json", None),
                    "readme": ("file", None), "documents-per-year": ("file", None)}
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
    assert fields == ["key", "slug", "ids", "name", "display", "family", "given", "kind",
                      "aliases", "roles", "document_count", "record_ids", "first_date",
                      "last_date", "life_dates", "description"]
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


def test_one_entry_for_stalin_under_his_page_and_under_his_term(run_dir):
    # Stalin's pills link a faceted search on the older-shape pages, his page on the others.
    people = people_by_key(run_dir)
    assert people["slug:stalin-joseph"] == {
        "key": "slug:stalin-joseph", "slug": "stalin-joseph", "ids": [39830],
        "name": "Stalin, Joseph, 1878-1953", "display": "Joseph Stalin", "family": "Stalin",
        "given": "Joseph", "kind": "person", "aliases": [],
        "roles": {"author": 0, "associated": 5, "contributor": 0}, "document_count": 5,
        "record_ids": ["110360", "112127", "114902", "116978", "300188"],
        "first_date": "1949-03-05", "last_date": "1950-10-08",
        "life_dates": None, "description": None}
    assert "id:39830" not in people


def test_people_index_counts_each_role_per_document(run_dir):
    people = people_by_key(run_dir)
    assert (people["slug:shtykov-terentii-fomich"]["roles"],
            people["slug:shtykov-terentii-fomich"]["document_count"]) == (
        {"author": 3, "associated": 2, "contributor": 0}, 4)
    assert people["slug:poland-ministry-foreign-affairs"]["roles"] == {
        "author": 1, "associated": 1, "contributor": 0}
    assert people["id:44120"]["roles"] == {"author": 0, "associated": 0, "contributor": 1}


def test_one_entry_per_person_each_variant_an_alias(run_dir):
    people = people_by_key(run_dir)
    assert len(people) == 29
    assert sum(k.startswith("slug:") for k in people) == 15
    assert sum(k.startswith("id:") for k in people) == 13
    assert [k for k in people if k.startswith("name:")] == [
        "name:romanian communist party central committee"]
    unlinked = people["name:romanian communist party central committee"]
    assert (unlinked["ids"], unlinked["name"], unlinked["kind"], unlinked["record_ids"]) == (
        [], "Romanian Communist Party. Central Committee", "organization", ["119271"])
    # Kim Il Sung: the pills linking his page, the term 40011 ("Kim, Il Sung") and the term
    # 87212 ("Kim Il Sung"), one entry.
    kim = people["slug:kim-il-sung"]
    assert (kim["ids"], kim["name"], kim["aliases"], kim["kind"], kim["document_count"]) == (
        [40011, 87212], "Kim, Il Sung", ["Kim Il Sung"], "person", 19)
    assert (kim["first_date"], kim["last_date"]) == ("1949-03-05", "1986-09-27")
    assert [(k, e["ids"]) for k, e in people.items() if e["ids"] and k.startswith("slug:")] == [
        ("slug:stalin-joseph", [39830]), ("slug:kim-il-sung", [40011, 87212]),
        ("slug:shtykov-terentii-fomich", [40211]), ("slug:workers-party-korea", [42288])]


def test_people_are_sorted_by_display_name_then_id(run_dir):
    people = read_jsonl(run_dir / "people.jsonl")
    displays = [p["display"] for p in people]
    assert displays[:3] == ["Aleksandr Mikhailovich Puzanov", "Aleksandr Nikiforovich Aksenov",
                            "Andrei Andreevich Gromyko"]
    assert [p["key"] for p in people if p["display"] == "Kim Il Sung"] == ["slug:kim-il-sung"]
    assert displays == sorted(displays, key=str.casefold)
    assert len(set(displays)) == len(displays)


def test_people_index_covers_every_person_on_every_document(run_dir):
    documents = read_jsonl(run_dir / "documents.jsonl")
    people = people_by_key(run_dir)
    key_of = build_people_index(documents).key_of
    for document in documents:
        for person in document["people"]:
            assert document["record_id"] in people[key_of(person)]["record_ids"]
    naming_kim = [d["record_id"] for d in documents
                  if any(p["id"] in (40011, 87212) or p["slug"] == "kim-il-sung"
                         for p in d["people"])]
    assert naming_kim == people["slug:kim-il-sung"]["record_ids"]


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


def test_the_card_and_the_chart_are_in_both_descriptors(run_dir):
    package = load_json(run_dir / "datapackage.json")
    views = {r["path"]: (r["format"], r["mediatype"]) for r in package["resources"]
             if r["path"] in ("README.md", "documents-per-year.svg")}
    assert views == {"README.md": ("md", "text/markdown"),
                     "documents-per-year.svg": ("svg", "image/svg+xml")}
    files = load_json(run_dir / "manifest.json")["files"]
    assert {name: files[name]["records"] for name in views} == {
        "README.md": None, "documents-per-year.svg": None}


def test_the_card_says_counts_dates_sources_and_coverage(run_dir):
    card = (run_dir / "README.md").read_text("utf-8")
    assert card.startswith("# Wilson Center Digital Archive metadata: Conversations with Kim Il "
                           "Sung\n")
    for line in ("| documents | 19 |", "| topics harvested | 1 |",
                 "| people and organisations | 29 |", "| places | 17 |", "| subjects | 26 |",
                 "| pages rejected | 1 |",
                 "Dates: 1949-03-05 to 1986-09-27; 17 documents dated within one year, 2 "
                 "undated or dated to a wider span.",
                 "![Documents per year](documents-per-year.svg)",
                 "- Wilson Center Digital Archive: Conversations with Kim Il Sung: "
                 "https://digitalarchive.wilsoncenter.org/topics/conversations-kim-il-sung",
                 "- pages read: live 19", "| date | 89 % |", "| Russian | 7 |",
                 "| Conversations with Kim Il Sung | 19 |"):
        assert line in card.splitlines(), line


def test_the_chart_has_a_bar_per_year_with_documents(run_dir):
    svg = (run_dir / "documents-per-year.svg").read_text("utf-8")
    bars = re.findall(r"<title>(\d{4}): (\d+)</title></rect>", svg)
    assert bars == [("1949", "1"), ("1950", "4"), ("1956", "2"), ("1958", "1"), ("1960", "1"),
                    ("1961", "1"), ("1970", "1"), ("1971", "1"), ("1975", "1"), ("1984", "2"),
                    ("1985", "1"), ("1986", "1")]
    assert "17 documents dated within a year; 2 undated or dated to a wider span, not shown" \
        in svg


def test_people_pages_details_fill_their_entries_and_the_package_stays_validated(run_dir,
                                                                                tmp_path):
    """What people's own pages said (the state's, by slug) reaches people.jsonl, and only the
    entries of those slugs; a slug no document links adds nothing."""
    from harvester.dataset import add_package_files
    from harvester.dataset.folder import RunWriter
    from harvester.dataset.trust import VALIDATED

    writer = RunWriter(tmp_path / "out", "20260101T000000Z")
    for name in ("documents.jsonl", "topics.jsonl", "rejects.jsonl"):
        writer.write_jsonl(name, read_jsonl(run_dir / name))
    add_package_files(writer, {
        "kim-il-sung": {"life_dates": "1912-1994", "description": "Leader of the DPRK."},
        "workers-party-korea": {"life_dates": None, "description": "The ruling party."},
        "castro-fidel": {"life_dates": "1926-2016", "description": "Linked by no document."}})
    people = read_jsonl(writer.partial / "people.jsonl")
    filled = [(p["key"], p["life_dates"], p["description"]) for p in people
              if p["life_dates"] or p["description"]]
    assert filled == [("slug:kim-il-sung", "1912-1994", "Leader of the DPRK."),
                      ("slug:workers-party-korea", None, "The ruling party.")]
    assert len(people) == 29
    assert VALIDATED in load_json(writer.partial / "datapackage.json")
