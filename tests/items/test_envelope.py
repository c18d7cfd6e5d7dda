"""The crawl's facts about a record travel beside it: kept by the item's identity, gone with
the item, and never part of what is written."""

import gc

from harvester.items import Document, fields_of, schema_for, stored_document, to_record
from harvester.items.envelope import Envelope, envelope_of, has_envelope, in_flight, sealed

ENVELOPE_FIELDS = {"reached_from", "validators", "supersedes", "unchanged"}


def test_an_envelope_is_read_back_from_its_own_item_only():
    document = Document(record_id="110023", title="Telegram")
    twin = Document(record_id="110023", title="Telegram")
    envelope = Envelope(reached_from=["https://example.org/document/110023"],
                        validators=('"e1"', None))

    assert sealed(document, envelope) is document
    assert document == twin  # equal records, not the same item
    assert envelope_of(document) is envelope
    assert envelope_of(twin) == Envelope()
    assert (has_envelope(document), has_envelope(twin)) == (True, False)


def test_sealing_again_replaces_the_envelope():
    document = sealed(Document(record_id="1"), Envelope(reached_from=["a"]))
    sealed(document, Envelope(reached_from=["b"], supersedes=True))

    assert envelope_of(document) == Envelope(reached_from=["b"], supersedes=True)


def test_the_envelope_goes_when_the_item_does():
    before = in_flight()
    documents = [sealed(Document(record_id=str(n)), Envelope(unchanged=True)) for n in range(50)]
    assert in_flight() == before + 50

    del documents
    gc.collect()

    assert in_flight() == before


def test_a_record_holds_none_of_the_crawl_facts():
    document = sealed(Document(record_id="1", title="T"),
                      Envelope(reached_from=["a"], validators=("x", "y"), supersedes=True))

    assert list(to_record(document)) == fields_of("document")
    assert ENVELOPE_FIELDS.isdisjoint(fields_of("document"))
    assert ENVELOPE_FIELDS.isdisjoint(schema_for("document")["properties"])


def test_a_stored_record_given_again_is_sealed_unchanged_and_loses_unknown_keys():
    document = stored_document({"record_id": "1", "title": "T", "dropped_field": 3})

    assert to_record(document) == to_record(Document(record_id="1", title="T"))
    assert envelope_of(document) == Envelope(unchanged=True)
