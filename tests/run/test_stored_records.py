"""A record the state stored before `texts` existed: given again unchanged and published, it
says its texts were not read (null), the contract's one place for a null `texts`."""

import json
from collections import Counter

from harvester.items import fields_of, stored_document, to_record
from harvester.items.envelope import Envelope, envelope_of
from harvester.items.validation import problems
from harvester.run.publish import snapshot
from harvester.state.store import StateStore
from tests.helpers.records import BASES


class Store:
    def __init__(self, records: list[dict]) -> None:
        self.records = records

    def published_rows(self, only_run=None, staged_by=""):
        return ((record, False) for record in self.records)


def stored_earlier() -> dict:
    return {name: value for name, value in BASES[0].items() if name != "texts"}


def test_a_record_stored_before_texts_is_published_with_texts_null_and_valid():
    [(record, checked)] = snapshot(Store([stored_earlier()]), {}, Counter())
    assert not checked   # stored by an earlier run: checked as it is published
    assert list(record) == fields_of("document")
    assert (record["texts"], record["text"]) == (None, BASES[0]["text"])
    assert problems(record, "document") == []


def test_given_again_unchanged_it_keeps_texts_null():
    document = stored_document(stored_earlier())
    assert (envelope_of(document), to_record(document)["texts"]) == (Envelope(unchanged=True),
                                                                  None)


def test_its_page_is_asked_for_whole_once_so_it_gains_its_texts(tmp_path):
    """A scheduled run after an upgrade: a page that never changes would answer 304 for ever
    and its record would keep `texts` null; a record stored without it is asked for without
    validators, and once stored with `texts` (an empty list too) conditionally again."""
    store = StateStore(tmp_path / "state.sqlite")
    earlier, current = stored_earlier(), {**BASES[1], "texts": []}
    for record in (earlier, current):
        store.db.execute("INSERT INTO documents VALUES (?, ?, '', ?, '', '', '', '', ?, ?, 0, "
                         "NULL)", (record["record_id"], record["url"], json.dumps(record),
                                   '"e1"', "Mon, 05 Jan 2026 10:00:00 GMT"))
    assert store.validators(earlier["record_id"]) == (None, None)
    assert store.validators(current["record_id"]) == ('"e1"', "Mon, 05 Jan 2026 10:00:00 GMT")
    assert store.validators("0") == (None, None)
