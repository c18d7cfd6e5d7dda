"""The writes that publish a run into the documents table (the merge's storage; what to write
is decided in harvester.run.merge)."""

import json
import sqlite3
from collections.abc import Callable
from typing import Any


class DocumentWrites:
    """Mixin for StateStore, which provides these:"""

    db: sqlite3.Connection
    write: Callable[[str, tuple], None]
    flush: Callable[[], None]
    one: Callable[[str, tuple], Any]

    def document_row(self, record_id: str) -> tuple[str, dict, str | None] | None:
        """(content hash, record, removed_at) of a stored document, or None."""
        row = self.db.execute(
            "SELECT content_hash, record_json, removed_at FROM documents WHERE record_id = ?",
            (record_id,)).fetchone()
        return None if row is None else (row[0], json.loads(row[1]), row[2])

    def mark_checked(self, record_id: str, now: str, seen: bool = False) -> None:
        """Checked now (and, `seen`, found on the site: a 304)."""
        if seen:
            self.write("UPDATE documents SET last_checked = ?, last_seen = ? WHERE record_id = ?",
                       (now, now, record_id))
        else:
            self.write("UPDATE documents SET last_checked = ? WHERE record_id = ?",
                       (now, record_id))

    def insert_document(self, record: dict[str, Any], digest: str, now: str,
                        etag: str | None, modified: str | None) -> None:
        """A new document, or one removed before that is back."""
        self.write(
            "INSERT OR REPLACE INTO documents (record_id, url, content_hash, record_json, "
            "first_seen, last_seen, last_changed, last_checked, etag, last_modified) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (record["record_id"], record["url"], digest, json.dumps(record, ensure_ascii=False),
             now, now, now, now, etag, modified))

    def change_document(self, record: dict[str, Any], digest: str, now: str,
                        etag: str | None, modified: str | None) -> None:
        self.write(
            "UPDATE documents SET url = ?, content_hash = ?, record_json = ?, last_seen = ?, "
            "last_changed = ?, last_checked = ?, etag = coalesce(?, etag), "
            "last_modified = coalesce(?, last_modified), missed_sweeps = 0 "
            "WHERE record_id = ?",
            (record["url"], digest, json.dumps(record, ensure_ascii=False), now, now, now, etag,
             modified, record["record_id"]))

    def confirm_document(self, record_id: str, now: str, etag: str | None,
                         modified: str | None) -> None:
        """Seen again, unchanged."""
        self.write(
            "UPDATE documents SET last_seen = ?, last_checked = ?, etag = coalesce(?, etag), "
            "last_modified = coalesce(?, last_modified) WHERE record_id = ?",
            (now, now, etag, modified, record_id))

    def journal(self, run_id: str, record_id: str, change: str, fields: list[str]) -> None:
        """The first journal entry of a run wins, so a resumed merge does not lose a change."""
        self.write("INSERT OR IGNORE INTO run_changes (run_id, record_id, change, fields) "
                   "VALUES (?, ?, ?, ?)", (run_id, record_id, change, json.dumps(fields)))

    def count_sweep(self, run_id: str) -> None:
        """After a complete sweep: each document its listing did not show counts a miss, the
        others none. Counted once per run, in one transaction: a resumed merge does not count
        again."""
        listed = ("SELECT u.record_id FROM run_listed l JOIN urls u ON u.url = l.url "
                  "WHERE l.run_id = ?")
        self.flush()
        if self.one("SELECT 1 FROM run_sweeps WHERE run_id = ?", (run_id,)):
            return
        self.db.execute("BEGIN")
        self.db.execute(f"UPDATE documents SET missed_sweeps = 0 WHERE record_id IN ({listed})",
                        (run_id,))
        self.db.execute("UPDATE documents SET missed_sweeps = missed_sweeps + 1 "
                        f"WHERE removed_at IS NULL AND record_id NOT IN ({listed})", (run_id,))
        self.db.execute("INSERT INTO run_sweeps (run_id) VALUES (?)", (run_id,))
        self.db.execute("COMMIT")

    def missed_documents(self) -> list[tuple[str, int]]:
        """(record id, sweeps missed in a row) of current documents that missed one."""
        return self.db.execute(
            "SELECT record_id, missed_sweeps FROM documents WHERE removed_at IS NULL "
            "AND missed_sweeps > 0").fetchall()

    def mark_removed(self, record_id: str, now: str) -> None:
        self.write("UPDATE documents SET removed_at = ? WHERE record_id = ?", (now, record_id))

    def restore_document(self, record_id: str, now: str) -> None:
        """A removed document the site shows again: current once more, its record as stored."""
        self.write("UPDATE documents SET removed_at = NULL, missed_sweeps = 0, last_seen = ?, "
                   "last_checked = ? WHERE record_id = ?", (now, now, record_id))

    def reset_misses(self, run_id: str) -> None:
        """Documents this run's lists show have missed no sweep: any run's listing is evidence
        of presence, not only a sweep's."""
        self.write("UPDATE documents SET missed_sweeps = 0 WHERE missed_sweeps > 0 AND "
                   "record_id IN (SELECT u.record_id FROM run_listed l JOIN urls u "
                   "ON u.url = l.url WHERE l.run_id = ?)", (run_id,))

    def listed_removed(self, run_id: str) -> list[str]:
        """Removed documents that this run's lists show again."""
        self.flush()
        rows = self.db.execute(
            "SELECT DISTINCT d.record_id FROM run_listed l JOIN urls u ON u.url = l.url "
            "JOIN documents d ON d.record_id = u.record_id WHERE l.run_id = ? "
            "AND d.removed_at IS NOT NULL", (run_id,))
        return [record_id for (record_id,) in rows]

    def promote_capture_marks(self, run_id: str) -> None:
        """The newest capture each completed census query saw, for the next incremental run."""
        self.write(
            "INSERT INTO capture_marks (query, newest) SELECT query, newest FROM "
            "run_enumerations WHERE run_id = ? AND done = 1 AND newest IS NOT NULL AND "
            "newest != '' ON CONFLICT (query) DO UPDATE SET newest = max(newest, "
            "excluded.newest)", (run_id,))

    def overdue_documents(self, cutoff: str) -> int:
        """Current documents last checked before `cutoff`."""
        return self.one("SELECT count(*) FROM documents WHERE removed_at IS NULL "
                        "AND last_checked < ?", (cutoff,))
