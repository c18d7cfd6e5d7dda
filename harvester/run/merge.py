"""Publishing a run into the state: staged records become the dataset, each difference is
journalled as added / changed (with field names) / removed."""

import hashlib
import json

from harvester.assemble import add_topic
from harvester.items import Document
from harvester.state.store import StateStore

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


def captured_earlier(new: dict, stored: dict) -> bool:
    """Whether `new` was read from an older capture than the stored record (a WARC of older
    captures harvested after a newer one): the newer record stands."""
    new_time = (new.get("capture") or {}).get("timestamp")
    stored_time = (stored.get("capture") or {}).get("timestamp")
    return bool(new_time and stored_time) and new_time < stored_time


def with_topics(record: dict, topics: list[dict]) -> dict:
    document = Document(topics=[dict(t) for t in record["topics"]])
    for topic in topics:
        add_topic(document, dict(topic))
    return {**record, "topics": document.topics}


def merge_run(store: StateStore, run_id: str, now: str, memberships: dict[str, list[dict]],
              sweep: bool, gone: set[str]) -> None:
    touched: set[str] = set()
    for record_id, record, etag, modified, checked in store.staged(run_id):
        touched.add(record_id)
        if record is None:
            store.write("UPDATE documents SET last_checked = ?, last_seen = ? "
                        "WHERE record_id = ?", (checked, checked, record_id))
            continue
        record = with_topics(record, memberships.get(record_id, []))
        upsert(store, run_id, record, etag, modified, checked)
    for record_id, topics in memberships.items():
        stored = None if record_id in touched else store.stored_record(record_id)
        if stored is not None and with_topics(stored, topics) != stored:
            upsert(store, run_id, with_topics(stored, topics), None, None, now, keep=True)
    if sweep:
        mark_absent(store, run_id, now, gone)
    promote_capture_marks(store, run_id)
    store.flush()


def promote_capture_marks(store: StateStore, run_id: str) -> None:
    """The newest capture each completed census query saw, for the next incremental run."""
    store.write(
        "INSERT INTO capture_marks (query, newest) SELECT query, newest FROM run_enumerations "
        "WHERE run_id = ? AND done = 1 AND newest IS NOT NULL AND newest != '' "
        "ON CONFLICT (query) DO UPDATE SET newest = max(newest, excluded.newest)", (run_id,))


def upsert(store: StateStore, run_id: str, record: dict, etag: str | None,
           modified: str | None, now: str, keep: bool = False) -> None:
    row = store.db.execute(
        "SELECT content_hash, record_json, removed_at FROM documents WHERE record_id = ?",
        (record["record_id"],)).fetchone()
    digest = content_hash(record)
    text = json.dumps(record, ensure_ascii=False)
    if row is not None and row[2] is None and captured_earlier(record, json.loads(row[1])):
        store.write("UPDATE documents SET last_checked = ? WHERE record_id = ?",
                    (now, record["record_id"]))
        return
    if row is None or row[2] is not None:
        store.write(
            "INSERT OR REPLACE INTO documents (record_id, url, content_hash, record_json, "
            "first_seen, last_seen, last_changed, last_checked, etag, last_modified) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record["record_id"], record["url"], digest, text, now, now, now, now, etag,
             modified))
        journal(store, run_id, record["record_id"], "added", [])
    elif row[0] != digest:
        fields = changed_fields(json.loads(row[1]), record)
        store.write(
            "UPDATE documents SET url = ?, content_hash = ?, record_json = ?, last_seen = ?, "
            "last_changed = ?, last_checked = ?, etag = coalesce(?, etag), "
            "last_modified = coalesce(?, last_modified), missed_sweeps = 0 "
            "WHERE record_id = ?",
            (record["url"], digest, text, now, now, now, etag, modified, record["record_id"]))
        journal(store, run_id, record["record_id"], "changed", fields)
    elif not keep:
        store.write(
            "UPDATE documents SET last_seen = ?, last_checked = ?, etag = coalesce(?, etag), "
            "last_modified = coalesce(?, last_modified) WHERE record_id = ?",
            (now, now, etag, modified, record["record_id"]))


def journal(store: StateStore, run_id: str, record_id: str, change: str,
            fields: list[str]) -> None:
    """The first journal entry of a run wins, so a resumed merge does not lose a change."""
    store.write("INSERT OR IGNORE INTO run_changes (run_id, record_id, change, fields) "
                "VALUES (?, ?, ?, ?)", (run_id, record_id, change, json.dumps(fields)))


def mark_absent(store: StateStore, run_id: str, now: str, gone: set[str]) -> None:
    """After a complete sweep: documents not listed count a miss; two misses in a row, or a
    page that answers 404/410, and the document is removed (kept in history)."""
    listed = ("SELECT u.record_id FROM run_listed l JOIN urls u ON u.url = l.url "
              "WHERE l.run_id = ?")
    store.flush()
    if not store.one("SELECT 1 FROM run_sweeps WHERE run_id = ?", (run_id,)):
        # Counted once per run, in one transaction: a resumed merge does not count again.
        store.db.execute("BEGIN")
        store.db.execute(f"UPDATE documents SET missed_sweeps = 0 WHERE record_id IN ({listed})",
                         (run_id,))
        store.db.execute("UPDATE documents SET missed_sweeps = missed_sweeps + 1 "
                         f"WHERE removed_at IS NULL AND record_id NOT IN ({listed})", (run_id,))
        store.db.execute("INSERT INTO run_sweeps (run_id) VALUES (?)", (run_id,))
        store.db.execute("COMMIT")
    candidates = store.db.execute(
        "SELECT record_id, missed_sweeps FROM documents WHERE removed_at IS NULL "
        "AND missed_sweeps > 0").fetchall()
    for record_id, misses in candidates:
        if misses >= SWEEPS_TO_REMOVE or record_id in gone:
            store.write("UPDATE documents SET removed_at = ? WHERE record_id = ?",
                        (now, record_id))
            journal(store, run_id, record_id, "removed", [])
