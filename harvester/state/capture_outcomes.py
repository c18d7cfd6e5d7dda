"""What a web-archive or WARC run decided of each URL (its outcome, the record it staged, the
topics that link it), and what a resumed run forgets of an interrupted attempt: kept with the
run's state."""

import json
import sqlite3

from harvester.state.store import StateStore


class CaptureOutcomes:
    """Mixin for CaptureLedger (which provides the store, its database and the run)."""

    store: StateStore
    db: sqlite3.Connection
    run_id: str

    # -- what each URL came to -----------------------------------------------------------------
    def settle(self, key: str, outcome: str, detail: str | None = None) -> None:
        self.store.write("INSERT OR REPLACE INTO run_keys (run_id, key, outcome, detail) "
                         "VALUES (?, ?, ?, ?)", (self.run_id, key, outcome, detail))

    def settlement(self, key: str) -> tuple[str, str | None] | None:
        row = self.db.execute("SELECT outcome, detail FROM run_keys WHERE run_id = ? AND "
                              "key = ?", (self.run_id, key)).fetchone()
        return (row[0], row[1]) if row else None

    def settled(self, outcome: str) -> list[tuple[str, str | None]]:
        rows = self.db.execute("SELECT key, detail FROM run_keys WHERE run_id = ? AND "
                               "outcome = ? ORDER BY key", (self.run_id, outcome))
        return rows.fetchall()

    def staged_record(self, record_id: str) -> dict | None:
        self.store.flush()
        row = self.db.execute("SELECT record_json FROM run_documents WHERE run_id = ? AND "
                              "record_id = ?", (self.run_id, record_id)).fetchone()
        return json.loads(row[0]) if row and row[0] else None

    def forget_address(self, url: str, record_id: str) -> None:
        """A URL whose page claimed a record it does not give is no address of it."""
        self.store.write("DELETE FROM urls WHERE url = ? AND record_id = ?", (url, record_id))

    def unstage(self, record_id: str) -> None:
        """A record no page of this run may give (its Record ID in conflict): left out."""
        self.store.write("DELETE FROM run_documents WHERE run_id = ? AND record_id = ?",
                         (self.run_id, record_id))

    def link(self, topic_slug: str, key: str) -> None:
        self.store.write("INSERT OR IGNORE INTO run_links (run_id, topic_slug, key) VALUES "
                         "(?, ?, ?)", (self.run_id, topic_slug, key))

    def links(self, topic_slug: str | None = None) -> list[tuple[str, str]]:
        rows = self.db.execute("SELECT topic_slug, key FROM run_links WHERE run_id = ? "
                               "ORDER BY topic_slug, key", (self.run_id,)).fetchall()
        return [row for row in rows if topic_slug is None or row[0] == topic_slug]

    # -- resuming ------------------------------------------------------------------------------
    def staged_urls(self) -> dict[str, str]:
        """Record ID → the URL whose page gave each document this run has staged."""
        self.store.flush()
        rows = self.db.execute(
            "SELECT record_id, json_extract(record_json, '$.url') "
            "FROM run_documents WHERE run_id = ? AND record_json IS NOT NULL", (self.run_id,))
        return {record_id: url or "" for record_id, url in rows}

    def forget_unstaged(self) -> None:
        """A kill can land between choosing a capture and staging its record: choose again."""
        self.store.flush()
        staged = "SELECT record_id FROM run_documents WHERE run_id = ?"
        self.db.execute("BEGIN")
        self.db.execute(f"DELETE FROM run_tries WHERE run_id = ? AND outcome = 'used' AND "
                        f"record_id IS NOT NULL AND record_id NOT IN ({staged})",
                        (self.run_id, self.run_id))
        self.db.execute(f"DELETE FROM run_keys WHERE run_id = ? AND outcome = 'record' AND "
                        f"detail NOT IN ({staged})", (self.run_id, self.run_id))
        self.db.execute("COMMIT")
