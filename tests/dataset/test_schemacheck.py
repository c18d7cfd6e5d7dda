"""`harvester validate` checks records with the compiled schema check and lets `jsonschema` word
the problems only of records that check rejects: the problems read exactly as the reference's,
and a sound record never reaches the reference."""

import copy
import json

import pytest
from jsonschema import Draft202012Validator

from harvester.dataset.schemacheck import RecordSchema, schema_problem
from harvester.items import schema_for
from tests.helpers.records import BASES

DOCUMENT = BASES[0]


class Reference:
    """A stand-in for the reference validator that says how often it was asked."""

    def __init__(self, schema: dict) -> None:
        self.real = Draft202012Validator(schema)
        self.asked = 0

    def iter_errors(self, record):
        self.asked += 1
        return self.real.iter_errors(record)


def reference_problems(record: dict, kind: str = "document") -> list[str]:
    """What validate said before the compiled check: every reference error, in its order."""
    return [schema_problem("documents.jsonl", 7, record, error)
            for error in Draft202012Validator(schema_for(kind)).iter_errors(record)]


def broken(change) -> dict:
    record = copy.deepcopy(DOCUMENT)
    change(record)
    return record


BROKEN = {
    "title null": lambda r: r.update(title=None),
    "title empty": lambda r: r.update(title=""),
    "two fields": lambda r: r.update(node_id="7", url="ftp://x"),
    "extra field": lambda r: r.update(colour="blue"),
    "missing field": lambda r: r.pop("people"),
    "nested date": lambda r: r.update(date={**r["date"], "earliest": "1950-4-1"}),
    "person role": lambda r: r["people"].append({**r["people"][0], "role": "editor"}),
    "tuple for a list": lambda r: r.update(places=("Korea (North)",)),
}


@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_record_gets_exactly_the_references_problems(name):
    record = broken(BROKEN[name])
    problems = RecordSchema("document", schema_for("document")).problems(
        "documents.jsonl", 7, record)
    assert problems == reference_problems(record)
    assert problems


def test_the_compiled_check_words_nothing_itself():
    assert RecordSchema("document", schema_for("document")).problems(
        "documents.jsonl", 3, broken(BROKEN["title null"])) == [
        f"documents.jsonl line 3 (record {DOCUMENT['record_id']}): title: None is not of type "
        "'string'"]


@pytest.mark.parametrize("kind", ["document", "topic", "people", "reject"])
def test_every_record_type_of_this_harvester_is_compiled(kind):
    assert RecordSchema(kind, schema_for(kind)).fast is not None


def test_sound_records_never_reach_the_reference():
    schema = RecordSchema("document", schema_for("document"))
    schema.reference = Reference(schema_for("document"))
    assert [schema.problems("documents.jsonl", n, r) for n, r in enumerate(BASES, 1)] == [
        [] for _ in BASES]
    assert schema.reference.asked == 0
    schema.problems("documents.jsonl", 1, broken(BROKEN["title null"]))
    assert schema.reference.asked == 1


def test_a_schema_other_than_this_harvesters_is_left_to_the_reference():
    """No code is generated from a schema found in a run folder: a run whose schema differs
    (here: one constraint loosened) is checked by jsonschema alone, against that schema."""
    loosened = json.loads(json.dumps(schema_for("document")))
    loosened["properties"]["title"]["minLength"] = 0
    schema = RecordSchema("document", loosened)
    assert schema.fast is None
    assert schema.problems("documents.jsonl", 1, broken(BROKEN["title empty"])) == []
    assert schema.problems("documents.jsonl", 1, broken(BROKEN["title null"])) == [
        f"documents.jsonl line 1 (record {DOCUMENT['record_id']}): title: None is not of type "
        "'string'"]


def test_a_sound_reject_passes_and_a_broken_one_is_named():
    schema = RecordSchema("reject", schema_for("reject"))
    assert schema.problems("rejects.jsonl", 1, {"url": None, "reason": "x", "field": None}) == []
    assert schema.problems("rejects.jsonl", 2, {"url": None, "reason": 5, "field": None}) == [
        "rejects.jsonl line 2: reason: 5 is not of type 'string'"]
