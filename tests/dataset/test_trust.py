"""A run validated when it was published carries the mark saying so; an export trusts the files
that are still byte for byte what the descriptors say, and checks every other record in full.
Whether records were checked is seen by counting the calls of the one per-record schema check."""

import json

import pytest

from harvester import harvester_version
from harvester.cli import main
from harvester.dataset import add_package_files
from harvester.dataset import validate as validate_module
from harvester.dataset.files import read_jsonl
from harvester.dataset.folder import RunWriter, file_facts
from harvester.dataset.trust import VALIDATED
from tests.helpers.records import edit_records, reseal

RECORDS = {"documents.jsonl": 19, "topics.jsonl": 1, "people.jsonl": 29, "rejects.jsonl": 1}


@pytest.fixture
def checked(monkeypatch) -> list[str]:
    """The file of every record checked against its schema, in order."""
    calls: list[str] = []
    real = validate_module.record_problems

    def counting(schema, name, line, record):
        calls.append(name)
        return real(schema, name, line, record)

    monkeypatch.setattr(validate_module, "record_problems", counting)
    return calls


def per_file(calls: list[str]) -> dict[str, int]:
    return {name: calls.count(name) for name in dict.fromkeys(calls)}


def test_a_published_run_is_marked_validated_with_its_schemas(run_dir):
    package = json.loads((run_dir / "datapackage.json").read_text())
    schemas = {kind: f"sha256:{file_facts(run_dir / 'schema' / f'{kind}.schema.json')['sha256']}"
               for kind in ("document", "topic", "people", "reject")}
    assert package[VALIDATED] == {"by": f"harvester {harvester_version()}", "schemas": schemas}
    assert list(package).index(VALIDATED) == list(package).index("harvester_version") + 1


@pytest.mark.parametrize("broken", [None, "documents.jsonl", "rejects.jsonl"])
def test_only_a_run_whose_every_record_passes_is_marked(run_dir, tmp_path, broken):
    """The package files of the same records, written again: one record breaking its schema
    (the crawl never stages such a record, but the mark does not take that on trust) and the
    package goes unmarked."""
    writer = RunWriter(tmp_path / "out", "20260101T000000Z")
    for name in ("documents.jsonl", "topics.jsonl", "rejects.jsonl"):
        records = read_jsonl(run_dir / name)
        if name == broken:
            records[-1] = {**records[-1], "url": 5}
        writer.write_jsonl(name, records)
    add_package_files(writer)
    package = json.loads((writer.partial / "datapackage.json").read_text())
    assert (VALIDATED in package) == (broken is None)


def test_a_marked_untouched_run_exports_without_checking_a_record(run_dir, tmp_path, checked,
                                                                  capsys):
    out = tmp_path / "run.sqlite"
    assert main(["export", "sqlite", str(run_dir), str(out), "--quiet"]) == 0
    assert checked == []
    assert out.is_file()
    assert capsys.readouterr() == (f"{out}\n", "")


def test_revalidate_checks_every_record_of_a_marked_run(run_dir, tmp_path, checked):
    assert main(["export", "csv", str(run_dir), str(tmp_path / "csv"), "--revalidate",
                 "-q"]) == 0
    assert per_file(checked) == RECORDS


def test_validate_itself_always_checks_every_record(run_dir, checked, capsys):
    assert main(["validate", str(run_dir), "-q"]) == 0
    assert per_file(checked) == RECORDS


def test_a_tampered_file_is_checked_and_refused_with_the_usual_message(copy, run_dir, tmp_path,
                                                                      checked, capsys):
    path = copy / "documents.jsonl"
    title = b'"title":"Ciphered Telegram No. 405840 from Shtykov to Feng Xi [Stalin]"'
    path.write_bytes(path.read_bytes().replace(title, b'"title":""', 1))
    old, new = file_facts(run_dir / "documents.jsonl")["sha256"], file_facts(path)["sha256"]
    out = tmp_path / "refused.sqlite"
    assert main(["export", "sqlite", str(copy), str(out), "-q"]) == 1
    assert per_file(checked) == {"documents.jsonl": 19}  # the others are untouched: trusted
    assert capsys.readouterr().err.splitlines() == [
        f"documents.jsonl: {path.stat().st_size} bytes, datapackage.json says "
        f"{(run_dir / 'documents.jsonl').stat().st_size}",
        f"documents.jsonl: checksum mismatch, sha256 is {new}, datapackage.json says {old}",
        f"documents.jsonl: {path.stat().st_size} bytes, manifest.json says "
        f"{(run_dir / 'documents.jsonl').stat().st_size}",
        f"documents.jsonl: checksum mismatch, sha256 is {new}, manifest.json says {old}",
        "documents.jsonl line 1 (record 110360): title: '' should be non-empty",
        f"harvester: not exported: {copy} is not a valid published run (5 problems)"]
    assert not out.exists()


def test_an_unmarked_run_is_checked_in_full(copy, tmp_path, checked):
    package = json.loads((copy / "datapackage.json").read_text())
    del package[VALIDATED]
    (copy / "datapackage.json").write_text(json.dumps(package))
    assert main(["export", "parquet", str(copy), str(tmp_path / "parquet"), "-q"]) == 0
    assert per_file(checked) == RECORDS


def test_a_schema_other_than_the_one_marked_is_not_trusted(copy, tmp_path, checked):
    """The schema file changed and the descriptors resealed: the mark names another schema,
    so the records of that type are checked (against the run's new schema)."""
    path = copy / "schema" / "reject.schema.json"
    schema = json.loads(path.read_text())
    schema["description"] = "Edited after publication."
    path.write_text(json.dumps(schema))
    reseal(copy)
    assert main(["export", "csv", str(copy), str(tmp_path / "csv"), "-q"]) == 0
    assert per_file(checked) == {"rejects.jsonl": 1}


def test_trust_misplaced_falls_back_to_checking_everything(copy, tmp_path, checked, capsys):
    """A record the references cannot be read on, in a file resealed as if sound: the export
    does not stumble on it but checks the whole run and refuses it."""
    def unname(documents):
        del documents[0]["record_id"]

    edit_records(copy / "documents.jsonl", unname)
    reseal(copy)
    assert main(["export", "sqlite", str(copy), str(tmp_path / "run.sqlite"), "-q"]) == 1
    assert per_file(checked) == RECORDS
    assert capsys.readouterr().err.splitlines()[0] == (
        "documents.jsonl line 1 (record ciphered-telegram-no-405840-shtykov-feng-xi-stalin): "
        "'record_id' is a required property")
