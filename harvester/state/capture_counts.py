"""What a web-archive or WARC run counted (refused rows and records, digests that were not their
payloads') and what its manifest reports of its census and choices: kept with the run's state, so
a resumed run goes on counting."""

import sqlite3

from harvester.capture import outcomes
from harvester.capture.rows import iso_from_timestamp
from harvester.state.store import StateStore

# Outcomes of a try that are not reasons to skip a capture.
NOT_SKIPS = (outcomes.USED, outcomes.MOVED, outcomes.OUT_OF_SCOPE, outcomes.SAME_PAYLOAD)


class CaptureCounts:
    """Mixin for CaptureLedger (which provides the store, its database and the run)."""

    store: StateStore
    db: sqlite3.Connection
    run_id: str

    def pages(self) -> tuple[int, int]:
        """(census requests answered, rows kept) so far in this run, its resumed parts too."""
        row = self.db.execute("SELECT coalesce(sum(requests), 0), coalesce(sum(rows), 0) FROM "
                              "run_enumerations WHERE run_id = ?", (self.run_id,)).fetchone()
        return row[0], row[1]

    def count(self, kind: str, counts: dict[str, int]) -> None:
        """Add to the run's counts of one kind (refused rows by reason, …)."""
        for reason, number in counts.items():
            self.store.write(
                "INSERT INTO run_counts (run_id, kind, reason, count) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (run_id, kind, reason) DO UPDATE SET count = count + "
                "excluded.count", (self.run_id, kind, reason, number))

    def counts(self, kind: str) -> dict[str, int]:
        self.store.flush()
        rows = self.db.execute("SELECT reason, count FROM run_counts WHERE run_id = ? AND "
                               "kind = ? ORDER BY reason", (self.run_id, kind))
        return dict(rows.fetchall())

    # -- what the manifest reports -------------------------------------------------------------
    def report(self) -> dict:
        self.store.flush()
        one, run = self.store.one, (self.run_id,)
        skipped = self.db.execute(
            "SELECT outcome, count(*) FROM run_tries WHERE run_id = ? AND outcome NOT IN "
            f"({', '.join('?' * len(NOT_SKIPS))}) GROUP BY outcome ORDER BY outcome",
            (*run, *NOT_SKIPS)).fetchall()
        used = self.db.execute(
            "SELECT min(t.timestamp), max(t.timestamp), count(DISTINCT t.record_id) "
            "FROM run_tries t JOIN run_captures c ON c.run_id = t.run_id AND "
            "c.location = t.location WHERE t.run_id = ? AND t.outcome = 'used' AND "
            "c.kind = 'document'", run).fetchone()
        return {
            "queries": one("SELECT coalesce(sum(requests), 0) FROM run_enumerations "
                           "WHERE run_id = ?", run),
            "rows": one("SELECT count(*) FROM run_captures WHERE run_id = ?", run),
            "document_urls": one("SELECT count(DISTINCT key) FROM run_captures WHERE "
                                 "run_id = ? AND kind = 'document'", run),
            "captures_tried": one("SELECT count(*) FROM run_tries WHERE run_id = ? AND "
                                  "fetched = 1", run),
            "records": used[2],
            "skipped": dict(skipped),
            "oldest_capture": iso_from_timestamp(used[0]) if used[0] else None,
            "newest_capture": iso_from_timestamp(used[1]) if used[1] else None,
            "digest_mismatches": sum(self.counts(outcomes.DIGEST_MISMATCHES).values()),
        }
