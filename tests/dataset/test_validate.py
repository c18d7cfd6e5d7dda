"""`harvester validate` on a published run of the bundled mirror and on corrupted copies of it:
each corruption is reported with the file, the line and what is wrong."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harvester.cli import main
from harvester.dataset.folder import file_facts
from tests.helpers.records import edit_records, reseal


def validate(run: Path, capsys) -> tuple[int, list[str]]:
    code = main(["validate", str(run)])
    return code, capsys.readouterr().out.splitlines()


def test_a_published_run_is_valid(run_dir, capsys):
    assert validate(run_dir, capsys) == (0, [])


def test_an_edited_byte_fails_both_checksums(copy, run_dir, capsys):
    path = copy / "documents.jsonl"
    data = path.read_bytes()
    path.write_bytes(data.replace(b"CIPHERED TELEGRAM", b"CIPHERED TELEGRAN", 1))
    old, new = file_facts(run_dir / "documents.jsonl")["sha256"], file_facts(path)["sha256"]
    assert validate(copy, capsys) == (1, [
        f"documents.jsonl: checksum mismatch, sha256 is {new}, datapackage.json says {old}",
        f"documents.jsonl: checksum mismatch, sha256 is {new}, manifest.json says {old}"])


def test_a_truncated_file_names_its_broken_last_line(copy, run_dir, capsys):
    path = copy / "documents.jsonl"
    data = path.read_bytes()
    path.write_bytes(data[:-100])
    size, old = len(data), file_facts(run_dir / "documents.jsonl")["sha256"]
    new = file_facts(path)["sha256"]
    assert validate(copy, capsys) == (1, [
        f"documents.jsonl: {size - 100} bytes, datapackage.json says {size}",
        f"documents.jsonl: checksum mismatch, sha256 is {new}, datapackage.json says {old}",
        f"documents.jsonl: {size - 100} bytes, manifest.json says {size}",
        f"documents.jsonl: checksum mismatch, sha256 is {new}, manifest.json says {old}",
        "documents.jsonl line 19: the file ends inside a line (truncated?)"])


def test_a_dangling_person_reference_is_named(copy, capsys):
    def retag_stalin(documents):
        [stalin] = [p for p in documents[0]["people"] if p["id"] == 39830]
        stalin["id"], stalin["name"] = 999999, "Stalin, Iosif"  # a term and name no entry has

    edit_records(copy / "documents.jsonl", retag_stalin)
    reseal(copy)
    code, problems = validate(copy, capsys)
    assert code == 1
    assert problems[0] == ("documents.jsonl line 1 (record 110360): person id:999999 "
                           "(Stalin, Iosif) has no entry in people.jsonl")
    line = next(n for n, p in enumerate((copy / "people.jsonl").read_text().splitlines(), 1)
                if '"key":"slug:stalin-joseph"' in p)
    assert problems[1:] == [
        f"people.jsonl line {line} (slug:stalin-joseph): roles is {{'author': 0, "
        "'associated': 5, 'contributor': 0}, the documents give {'author': 0, 'associated': 4, "
        "'contributor': 0}",
        f"people.jsonl line {line} (slug:stalin-joseph): document_count is 5, the documents "
        "give 4",
        f"people.jsonl line {line} (slug:stalin-joseph): record_ids is ['110360', '112127', "
        "'114902', '116978', '300188'], the documents give ['112127', '114902', '116978', "
        "'300188']"]


def test_a_variant_of_a_known_person_is_no_new_entry(copy, capsys):
    """Stalin under a term no page gave, with his name as shown: the same person, so his entry
    gains the term and nothing is dangling."""
    def retag_stalin(documents):
        [stalin] = [p for p in documents[0]["people"] if p["id"] == 39830]
        stalin["id"] = 999999

    edit_records(copy / "documents.jsonl", retag_stalin)
    reseal(copy)
    line = next(n for n, p in enumerate((copy / "people.jsonl").read_text().splitlines(), 1)
                if '"key":"slug:stalin-joseph"' in p)
    assert validate(copy, capsys) == (1, [
        f"people.jsonl line {line} (slug:stalin-joseph): ids is [39830], the documents give "
        "[39830, 999999]"])


def test_a_person_missing_from_the_index_is_named(copy, capsys):
    edit_records(copy / "people.jsonl", lambda people: people.remove(
        next(p for p in people if p["key"].startswith("name:"))))
    reseal(copy)
    assert validate(copy, capsys) == (1, [
        "documents.jsonl line 11 (record 119271): person name:romanian communist party "
        "central committee (Romanian Communist Party. Central Committee) has no entry in "
        "people.jsonl"])


def test_a_person_named_on_no_document_is_named(copy, capsys):
    def add_stranger(people):
        people.append({**people[-1], "key": "id:1", "ids": [1]})

    edit_records(copy / "people.jsonl", add_stranger)
    reseal(copy)
    assert validate(copy, capsys) == (1, [
        "people.jsonl line 30: out of display name order",
        "people.jsonl line 30 (id:1): named on no document"])


def test_a_topic_listing_a_missing_document_is_named(copy, capsys):
    edit_records(copy / "topics.jsonl", lambda topics: topics[0]["record_ids"].append("999999"))
    reseal(copy)
    assert validate(copy, capsys) == (1, [
        "topics.jsonl line 1 (conversations-kim-il-sung): Record ID 999999 is not in "
        "documents.jsonl"])


def test_a_record_breaking_its_schema_is_named(copy, capsys):
    def untitle(documents):
        documents[0]["title"] = None

    edit_records(copy / "documents.jsonl", untitle)
    reseal(copy)
    assert validate(copy, capsys) == (1, [
        "documents.jsonl line 1 (record 110360): title: None is not of type 'string'"])


def test_records_out_of_order_are_named(copy, capsys):
    def swap(documents):
        documents[0], documents[1] = documents[1], documents[0]

    edit_records(copy / "documents.jsonl", swap)
    reseal(copy)
    assert validate(copy, capsys) == (1, ["documents.jsonl line 2: out of Record ID order"])


def test_counts_that_disagree_are_named(copy, capsys):
    package = json.loads((copy / "datapackage.json").read_text())
    [people] = [r for r in package["resources"] if r["name"] == "people"]
    people["rows"] = 24
    (copy / "datapackage.json").write_text(json.dumps(package))
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["counts"]["documents"] = 18
    (copy / "manifest.json").write_text(json.dumps(manifest))
    assert validate(copy, capsys) == (1, [
        "documents.jsonl: 19 records, manifest.json counts 18",
        "people.jsonl: 29 records, datapackage.json says 24 rows"])


@pytest.mark.parametrize(("missing", "problem"), [
    ("datapackage.json", "datapackage.json: missing"),
    ("people.jsonl", "people.jsonl: missing"),
    ("schema/people.schema.json", "schema/people.schema.json: missing"),
])
def test_a_missing_file_is_named(copy, capsys, missing, problem):
    (copy / missing).unlink()
    assert validate(copy, capsys) == (1, [problem])


def test_the_command_exits_non_zero_and_says_how_many_problems(copy):
    (copy / "topics.jsonl").write_bytes(b"")
    result = subprocess.run([sys.executable, "-m", "harvester.cli", "validate", str(copy)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == "topics.jsonl: 0 records, manifest.json counts 1"
    count = len(result.stdout.splitlines())
    assert result.stderr.strip() == f"harvester: {copy} is not valid: {count} problems"


def test_export_refuses_a_corrupted_run_and_writes_nothing(copy, tmp_path, capsys):
    (copy / "people.jsonl").unlink()
    out = tmp_path / "refused.sqlite"
    assert main(["export", "sqlite", str(copy), str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "people.jsonl: missing"
    assert err[-1] == f"harvester: not exported: {copy} is not a valid published run (1 problem)"
    assert not out.exists()
    assert list(tmp_path.glob(".refused*")) == []


def test_a_document_left_out_of_its_topic_is_named(copy, capsys):
    edit_records(copy / "topics.jsonl", lambda topics: topics[0]["record_ids"].remove("112127"))
    reseal(copy)
    assert validate(copy, capsys) == (1, [
        "documents.jsonl line 3 (record 112127): names topic conversations-kim-il-sung, whose "
        "record_ids in topics.jsonl leave it out"])


def test_a_document_missing_its_topic_is_named(copy, capsys):
    def drop_topic(documents):
        documents[2]["topics"] = [t for t in documents[2]["topics"]
                                  if t["slug"] != "conversations-kim-il-sung"]

    edit_records(copy / "documents.jsonl", drop_topic)
    reseal(copy)
    assert validate(copy, capsys) == (1, [
        "documents.jsonl line 3 (record 112127): topic conversations-kim-il-sung is missing "
        "though topics.jsonl lists the document"])


def test_a_resource_outside_the_run_folder_is_refused(copy, capsys):
    package = json.loads((copy / "datapackage.json").read_text())
    package["resources"].append({"name": "outside", "path": "../outside.jsonl"})
    (copy / "datapackage.json").write_text(json.dumps(package))
    assert validate(copy, capsys) == (1, ["../outside.jsonl: a path outside the run folder"])


@pytest.mark.parametrize("name", ["people.jsonl", "schema/people.schema.json", "manifest.json"])
def test_a_listed_file_linked_out_of_the_run_folder_is_refused(copy, tmp_path, capsys, name):
    """The same bytes, checksums and all, but through a link: nothing outside is read."""
    outside = tmp_path / "outside" / Path(name).name
    outside.parent.mkdir()
    (copy / name).rename(outside)
    (copy / name).symlink_to(outside)
    assert validate(copy, capsys) == (1, [f"{name}: a path outside the run folder"])


def test_a_link_inside_the_run_folder_and_the_latest_link_are_followed(copy, capsys):
    (copy / "people.jsonl").rename(copy / "people-data.jsonl")
    (copy / "people.jsonl").symlink_to("people-data.jsonl")
    (copy.parent / "latest").symlink_to(copy.name)
    assert validate(copy.parent / "latest", capsys) == (0, [])


@pytest.mark.parametrize(("text", "problem"), [
    ("[]", "not a JSON object"),
    ("42", "not a JSON object"),
    ("[" * 100_000 + "]" * 100_000, "not valid JSON (nested too deeply)"),
    ('{"resources": 5}', "resources is not a list of objects with a path"),
    ('{"resources": [{"path": 5}]}', "resources is not a list of objects with a path"),
])
def test_a_malformed_datapackage_is_one_problem(copy, capsys, text, problem):
    (copy / "datapackage.json").write_text(text)
    assert validate(copy, capsys) == (1, [f"datapackage.json: {problem}"])


@pytest.mark.parametrize(("change", "problem"), [
    ({"files": []}, "manifest.json: files is not an object of file entries"),
    ({"warc": {"files": [1]}}, "manifest.json: warc.files is not an object of file entries"),
])
def test_a_malformed_manifest_entry_is_one_problem(copy, capsys, change, problem):
    manifest = json.loads((copy / "manifest.json").read_text())
    (copy / "manifest.json").write_text(json.dumps({**manifest, **change}))
    assert validate(copy, capsys) == (1, [problem])


def test_a_record_nested_too_deeply_is_a_broken_line(copy, capsys):
    path = copy / "documents.jsonl"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    path.write_text("".join(["[" * 100_000 + "]" * 100_000 + "\n", *lines[1:]]), "utf-8")
    reseal(copy)
    assert validate(copy, capsys) == (1, [
        "documents.jsonl line 1: not valid JSON (nested too deeply)"])


def test_a_folder_that_is_no_run_is_an_input_error(run_dir, tmp_path, capsys):
    out = run_dir.parent
    assert main(["validate", str(out)]) == 2
    assert capsys.readouterr().err == (f"harvester: not a run folder: {out} "
                                       f"(did you mean {out / 'latest'}?)\n")
    assert main(["validate", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"harvester: not a run folder: {tmp_path}\n"


def test_a_text_of_no_known_kind_or_without_text_is_named(copy, capsys):
    def spoil(documents):
        documents[0]["texts"][1]["kind"] = "scan"
        documents[1]["texts"][0]["text"] = ""

    edit_records(copy / "documents.jsonl", spoil)
    reseal(copy)
    assert validate(copy, capsys) == (1, [
        "documents.jsonl line 1 (record 110360): texts.1.kind: 'scan' is not one of "
        "['translation', 'transcript', 'original']",
        "documents.jsonl line 2 (record 111861): texts.0.text: '' should be non-empty",
        "documents.jsonl line 2 (record 111861): texts.0.text: '' does not match "
        "'^\\\\S[\\\\s\\\\S]*$'"])


def test_a_record_stored_before_texts_existed_is_valid(copy, capsys):
    def stored_earlier(documents):
        documents[0]["texts"] = None

    edit_records(copy / "documents.jsonl", stored_earlier)
    reseal(copy)
    assert validate(copy, capsys) == (0, [])
