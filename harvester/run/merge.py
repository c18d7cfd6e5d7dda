"""Publishing a run into the state: staged records become the dataset, each difference is
journalled as added / changed (with field names) / removed. What to write is decided here; the
writes themselves are the state store's (harvester.state.documents)."""

import hashlib
import json

from harvester.assemble import add_topic, record_order
from harvester.items import Document
from harvester.state.store import StateStore
from harvester.utc import utc_iso

# Removed when absent from this many consecutive complete sweeps (sooner if the page is gone).
SWEEPS_TO_REMOVE = 2


# Fields that say when and whence a page was read, not what it says: a record whose other fields
# are the same has not changed.
PROVENANCE = ("retrieved_at", "capture")


def content_hash(record: dict) -> str:
    stable = {k: v for k, v in record.items() if k not in PROVENANCE}
    text = json.dumps(stable, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def changed_fields(old: dict, new: dict) -> list[str]:
    return [k for k in new if k not in PROVENANCE and old.get(k) != new.get(k)]


def fold_changes(journals: list[list[dict]]) -> list[dict]:
    """The changes of several runs in a row as one change each, against what came before the
    first: added then changed is added, added then removed is nothing, changed twice is changed
    in both runs' fields, anything then removed is removed. Trial runs change the state without
    being published, so a published run reports theirs with its own."""
    folded: dict[str, dict] = {}
    for journal in journals:
        for entry in journal:
            record_id, before = entry["record_id"], folded.get(entry["record_id"])
            after = fold_one(before, entry)
            if after is None:
                folded.pop(record_id, None)
            else:
                folded[record_id] = after
    return sorted(folded.values(), key=lambda e: record_order(e["record_id"]))


def fold_one(before: dict | None, entry: dict) -> dict | None:
    if before is None or entry["change"] == "removed":
        return None if before and before["change"] == "added" else entry
    if before["change"] == "added" or entry["change"] == "added":
        return {**entry, "change": "added", "fields": []}
    fields = list(dict.fromkeys([*before["fields"], *entry["fields"]]))
    return {**entry, "change": "changed", "fields": fields}


def captured_earlier(new: dict, stored: dict) -> bool:
    """Whether `new` was read from an older capture than the stored record (a WARC of older
    captures harvested after a newer one): the newer record stands. A stored capture time
    after now is no capture at all (a lying index, before capture times were checked): it
    never stands against a true one."""
    new_time = (new.get("capture") or {}).get("timestamp")
    stored_time = (stored.get("capture") or {}).get("timestamp")
    return bool(new_time and stored_time and new_time < stored_time <= utc_iso())


def with_topics(record: dict, topics: list[dict]) -> dict:
    document = Document(topics=[dict(t) for t in record["topics"]])
    for topic in topics:
        add_topic(document, dict(topic))
    return {**record, "topics": document.topics}


def merge_run(store: StateStore, run_id: str, now: str, memberships: dict[str, list[dict]],
              sweep: bool, gone: set[str]) -> None:
    """The run's work into the published state. Nothing it found is known to later runs before
    this (its URLs included), so a run refused or killed before it leaves nothing to skip."""
    store.promote_urls(run_id)
    touched: set[str] = set()
    for record_id, record, etag, modified, checked in store.staged(run_id):
        touched.add(record_id)
        if record is None:  # found unchanged (304): the same record, removed or not
            seen_unchanged(store, run_id, record_id, checked)
            continue
        record = with_topics(record, memberships.get(record_id, []))
        upsert(store, run_id, record, etag, modified, checked)
    for record_id, topics in memberships.items():
        stored = None if record_id in touched else store.stored_record(record_id)
        if stored is not None and with_topics(stored, topics) != stored:
            upsert(store, run_id, with_topics(stored, topics), None, None, now, keep=True)
    restore_listed(store, run_id, now, gone)
    store.reset_misses(run_id)
    if sweep:
        mark_absent(store, run_id, now, gone)
    store.promote_capture_marks(run_id)
    store.flush()


def seen_unchanged(store: StateStore, run_id: str, record_id: str, now: str) -> None:
    """A 304: the page is the record stored. A removed one is back, whole."""
    if store.is_removed(record_id):
        store.restore_document(record_id, now)
        store.journal(run_id, record_id, "added", [])
    else:
        store.mark_checked(record_id, now, seen=True)


def restore_listed(store: StateStore, run_id: str, now: str, gone: set[str]) -> None:
    """A removed document that the run's lists show again is back, whatever its page
    answered (unless 404/410 in this run): a listing glitch never loses a record for good."""
    for record_id in store.listed_removed(run_id):
        if record_id not in gone:
            store.restore_document(record_id, now)
            store.journal(run_id, record_id, "added", [])


def upsert(store: StateStore, run_id: str, record: dict, etag: str | None,
           modified: str | None, now: str, keep: bool = False) -> None:
    """Added, changed (with the fields that changed) or seen again; a record read from an
    older capture than the stored one leaves it standing."""
    record_id = record["record_id"]
    row = store.document_row(record_id)
    digest = content_hash(record)
    if row is not None and row[2] is None and captured_earlier(record, row[1]):
        store.mark_checked(record_id, now)
        return
    if row is None or row[2] is not None:
        store.insert_document(record, digest, now, etag, modified)
        store.journal(run_id, record_id, "added", [])
    elif row[0] != digest:
        store.change_document(record, digest, now, etag, modified)
        store.journal(run_id, record_id, "changed", changed_fields(row[1], record))
    elif not keep:
        store.confirm_document(record_id, now, etag, modified)


def mark_absent(store: StateStore, run_id: str, now: str, gone: set[str]) -> None:
    """After a complete sweep: documents not listed count a miss; two misses in a row, or a
    page that answers 404/410, and the document is removed (kept in history)."""
    store.count_sweep(run_id)
    for record_id, misses in store.missed_documents():
        if misses >= SWEEPS_TO_REMOVE or record_id in gone:
            store.mark_removed(record_id, now)
            store.journal(run_id, record_id, "removed", [])
