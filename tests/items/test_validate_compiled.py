"""The compiled schema check only speeds validation up: on any record, valid or broken in any
field, the crawl's validation step says exactly what the reference validator (`jsonschema`)
says, reasons included."""

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harvester.items.validation import only_compared, passes, problems, validator
from tests.helpers.records import BASES


def reference(record: dict, kind: str = "document") -> list[tuple[str | None, str]]:
    errors = sorted(validator(kind).iter_errors(record), key=lambda e: list(e.path))
    return [(str(e.path[0]) if e.path else None, e.message) for e in errors]


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a record a value can be changed: keys of objects, indexes of arrays."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += paths(inner, (*prefix, index))
    return found


def changed(record: dict, path: tuple, value: Any, remove: bool) -> dict:
    record = json.loads(json.dumps(record))
    parent = record
    for step in path[:-1]:
        parent = parent[step]
    if remove and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return record


ODD_VALUES = st.sampled_from([
    None, "", " ", "x", " x", "x ", "123", "123\n", "-1", "2026-01-01", "2026-01-01\n",
    "https://x", "ftp://x", "a-b", "A", "sha1:" + "A" * 32, 0, 1, -1, 1.0, 1.5, True, False,
    [], [""], ["a"], ["a", "a"], [1], [None], ("a",), {}, {"x": 1}, [{}], "person", "author",
    "day", "live", "warc",
])


def test_the_fixtures_pass_both_checks():
    assert len(BASES) >= 15
    for record in BASES:
        assert passes(record, "document")
        assert reference(record) == []


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_changed_field_gives_the_reference_outcome(data):
    record = data.draw(st.sampled_from(BASES))
    path = data.draw(st.sampled_from(paths(record)))
    broken = changed(record, path, data.draw(ODD_VALUES), data.draw(st.booleans()))
    expected = reference(broken)
    if passes(broken, "document"):
        assert expected == []
    assert problems(broken, "document") == expected


def test_a_tuple_is_not_an_array():
    record = {**BASES[0], "places": ("Moscow",)}
    assert not passes(record, "document")
    assert problems(record, "document") == [("places", "('Moscow',) is not of type 'array'")]


def test_a_tuple_is_not_an_array_that_may_be_null():
    record = {**BASES[0], "texts": ("a",)}
    assert not passes(record, "document")
    assert problems(record, "document") == [
        ("texts", "('a',) is not of type 'array', 'null'")]
    assert passes({**BASES[0], "texts": None}, "document")


def test_a_trailing_newline_is_left_to_the_reference():
    """Python's `$` matches before a final newline; the compiled check does not, so it sends
    the record to the reference, which passes it."""
    record = {**BASES[0], "record_id": "123\n"}
    assert not passes(record, "document")
    assert problems(record, "document") == []


@pytest.mark.parametrize("schema, compared", [
    ({"type": "object", "properties": {"a": {"type": "string", "minLength": 1}}}, True),
    ({"type": "array", "items": {"enum": ["a"]}, "uniqueItems": True}, True),
    ({"type": "array", "prefixItems": [{"type": "string"}]}, False),
    ({"type": "object", "properties": {"a": {"const": 1}}}, False),
    ({"type": "object", "additionalProperties": {"format": "uri"}}, False),
])
def test_only_keywords_compared_with_the_reference_are_compiled(schema, compared):
    assert only_compared(schema) is compared
