"""CSV cells a spreadsheet would run as formulas are written as plain text, unless asked not to."""

import csv
from pathlib import Path

from harvester.cli import build_parser
from harvester.dataset.export_csv import export_csv
from harvester.dataset.files import RunRecords
from tests.helpers.pages import SITE, load_json

PAGE = SITE / "document" / "ciphered-telegram-no-405840-shtykov-feng-xi-stalin.expected.json"
HOSTILE = {"title": '=HYPERLINK("http://example.invalid","open")', "summary": "+1+1",
           "type": "-2+3", "source": "@SUM(A1:A2)", "rights": "\tcmd", "credit": "\r=1",
           "classification": "a = b - c"}


def hostile_records() -> RunRecords:
    document = {**load_json(PAGE), **HOSTILE}
    document["people"] = [{**document["people"][0], "name": "=cmd|' /C calc'!A0"}]
    document["texts"] = [{"kind": "original", "language": "Russian", "text": "=1+1"}]
    reject = {"url": "https://digitalarchive.wilsoncenter.org/document/1", "reason": "-title",
              "field": "title"}
    return RunRecords([document], [], [], [reject])


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_cells_that_start_like_formulas_get_an_apostrophe(tmp_path):
    export_csv(hostile_records(), tmp_path / "csv")
    document = rows(tmp_path / "csv" / "documents.csv")[0]
    assert {name: document[name] for name in HOSTILE} == {
        "title": '\'=HYPERLINK("http://example.invalid","open")', "summary": "'+1+1",
        "type": "'-2+3", "source": "'@SUM(A1:A2)", "rights": "'\tcmd", "credit": "'\r=1",
        "classification": "a = b - c"}
    assert document["authors"] == "'=cmd|' /C calc'!A0"
    assert rows(tmp_path / "csv" / "rejects.csv")[0]["reason"] == "'-title"
    link = rows(tmp_path / "csv" / "document_people.csv")[0]
    assert (link["name"], link["position"]) == ("'=cmd|' /C calc'!A0", "1")
    text = rows(tmp_path / "csv" / "document_texts.csv")[0]
    assert (text["text"], text["kind"], text["position"]) == ("'=1+1", "original", "1")


def test_verbatim_writes_every_cell_as_it_is(tmp_path):
    export_csv(hostile_records(), tmp_path / "csv", verbatim=True)
    document = rows(tmp_path / "csv" / "documents.csv")[0]
    assert {name: document[name] for name in HOSTILE} == HOSTILE
    assert rows(tmp_path / "csv" / "rejects.csv")[0]["reason"] == "-title"
    assert rows(tmp_path / "csv" / "document_texts.csv")[0]["text"] == "=1+1"


def test_the_export_command_takes_verbatim():
    parser = build_parser()
    assert parser.parse_args(["export", "csv", "run", "--verbatim"]).verbatim is True
    assert parser.parse_args(["export", "csv", "run"]).verbatim is False
