"""SQLite state beside the outputs (standard library only). Writes are batched in short
transactions: a killed run loses at most the last batch, which the resumed run fetches again."""

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from harvester.assemble import RECORD_ORDER_SQL
from harvester.state.backup import keep_backup
from harvester.state.dataset import PublishedReads
from harvester.state.documents import DocumentWrites
from harvester.state.lock import RunLock
from harvester.state.migrations import open_state
from harvester.state.person_pages import PersonPages
from harvester.state.urls import KnownUrls

BATCH_WRITES = 200
# Fields a Document gained after records were first stored (a record without one was made by
# an earlier version and is never answered "not modified" into the new contract).
LATER_FIELDS = ("texts", "place_links", "subject_links")
_HAS_LATER_FIELDS = " AND ".join(
    f"coalesce(json_type(record_json, '$.{name}'), 'null') != 'null'" for name in LATER_FIELDS)
BATCH_SECONDS = 1.0
RESUMABLE = ("running", "interrupted")
# One run's work, dropped once the run is published, failed or abandoned.
RUN_TABLES = ("run_documents", "run_urls", "run_listed", "run_captures", "run_enumerations",
              "run_tries", "run_replay_failures", "run_keys", "run_links", "run_counts")


class StateStore(KnownUrls, PublishedReads, DocumentWrites, PersonPages):
    """`lock`: the run lock, let go when the store is closed (the run is over)."""

    def __init__(self, path: Path, batch_writes: int = BATCH_WRITES,
                 lock: RunLock | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.batch_writes = max(1, batch_writes)
        self.lock = lock
        # Refused (DamagedState) when empty, damaged, newer or not a state; brought forward
        # from an earlier version.
        self.db = open_state(path)
        self.db.execute("PRAGMA synchronous = NORMAL")
        self._pending = 0
        self._since = time.monotonic()

    # -- transactions --------------------------------------------------------------------------
    def write(self, sql: str, params: tuple = ()) -> None:
        if not self.db.in_transaction:
            self.db.execute("BEGIN")
        self.db.execute(sql, params)
        self._pending += 1
        if self._pending >= self.batch_writes or time.monotonic() - self._since > BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")
        self._pending = 0
        self._since = time.monotonic()

    def close(self) -> None:
        try:
            self.flush()
            self.db.close()
        finally:
            if self.lock is not None:
                self.lock.release()

    def keep_backup(self) -> Path:
        """Copy the state as it is now to `<state>.published` (call it once a run is
        published)."""
        self.flush()
        return keep_backup(self.db, self.path)

    def one(self, sql: str, params: tuple = ()) -> Any:
        row = self.db.execute(sql, params).fetchone()
        return row[0] if row else None

    # -- runs ----------------------------------------------------------------------------------
    def open_run(self, job: str, arguments: dict, new_run_id: str, now: str,
                 full_sweep: bool) -> tuple[str, bool]:
        """(run id, resumed): an unfinished run of the same job and arguments is resumed,
        any other unfinished run of the job is abandoned with its staged work."""
        self.flush()
        wanted = json.dumps(arguments, sort_keys=True)
        rows = self.db.execute(
            "SELECT run_id, arguments FROM runs WHERE job = ? AND status IN (?, ?) "
            "ORDER BY started DESC", (job, *RESUMABLE)).fetchall()
        for run_id, stored in rows:
            if stored == wanted:
                self.write("UPDATE runs SET status = 'running' WHERE run_id = ?", (run_id,))
                self.flush()
                return run_id, True
            self.end_run(run_id, "abandoned", now)
        self.write("INSERT INTO runs (run_id, job, arguments, started, full_sweep) "
                   "VALUES (?, ?, ?, ?, ?)", (new_run_id, job, wanted, now, int(full_sweep)))
        self.flush()
        return new_run_id, False

    def end_run(self, run_id: str, status: str, now: str) -> None:
        self.write("UPDATE runs SET status = ?, finished = ? WHERE run_id = ?",
                   (status, now, run_id))
        if status in ("published", "partial", "failed", "abandoned"):
            for table in RUN_TABLES:
                self.write(f"DELETE FROM {table} WHERE run_id = ?", (run_id,))
        self.flush()

    def has_run(self, run_id: str) -> bool:
        return self.one("SELECT 1 FROM runs WHERE run_id = ?", (run_id,)) is not None

    def published_runs(self, job: str) -> int:
        return self.one("SELECT count(*) FROM runs WHERE job = ? AND status = 'published'",
                        (job,))

    def trial_runs_since_published(self, job: str, run_id: str) -> list[str]:
        """Trial runs (`--limit`) of the job since its last published run, oldest first: they
        changed the state, but `latest` never showed what they changed."""
        self.flush()
        rows = self.db.execute(
            "SELECT run_id FROM runs WHERE job = ? AND status = 'partial' AND started > ? "
            "AND run_id != ? ORDER BY started, run_id",
            (job, self.last_published(job) or "", run_id))
        return [row[0] for row in rows]

    def last_published(self, job: str) -> str | None:
        return self.one("SELECT max(started) FROM runs WHERE job = ? AND status = 'published'",
                        (job,))

    # -- what is known -------------------------------------------------------------------------
    def was_rejected(self, url: str) -> bool:
        return self.one("SELECT 1 FROM rejects WHERE url = ?", (url,)) is not None

    def save_reject(self, record: dict, now: str) -> None:
        self.write("INSERT OR REPLACE INTO rejects (url, reason, field, last_seen) "
                   "VALUES (?, ?, ?, ?)", (record["url"], record["reason"], record["field"], now))

    def settle_rejects(self, seen: list[dict], now: str, swept: bool) -> list[dict]:
        """Every page still rejected once this run's rejects are in: a page that has since
        become a record is mended, and after a sweep (every listed page tried) one not tried
        again is no longer listed. A page an incremental run did not reach stays rejected."""
        self.write("DELETE FROM rejects" if swept else
                   "DELETE FROM rejects WHERE url IN (SELECT url FROM urls)")
        for record in seen:
            self.save_reject(record, now)
        self.flush()
        rows = self.db.execute("SELECT url, reason, field FROM rejects "
                               "ORDER BY url, coalesce(field, '')")
        return [{"url": url, "reason": reason, "field": field} for url, reason, field in rows]

    def known_documents(self) -> int:
        return self.one("SELECT count(*) FROM documents WHERE removed_at IS NULL")

    def staged_documents(self, run_id: str) -> int:
        """Documents this run has staged, an interrupted attempt's included."""
        self.flush()
        return self.one("SELECT count(*) FROM run_documents WHERE run_id = ? "
                        "AND record_json IS NOT NULL", (run_id,))

    def due_for_recheck(self, run_id: str, limit: int) -> list[tuple[str, str, str | None,
                                                                     str | None]]:
        """Known documents this run has not touched, least recently checked first."""
        self.flush()
        return self.db.execute(
            "SELECT d.record_id, d.url, d.etag, d.last_modified FROM documents d "
            "WHERE d.removed_at IS NULL AND d.record_id NOT IN "
            "(SELECT record_id FROM run_documents WHERE run_id = ?) "
            "ORDER BY d.last_checked, CAST(d.record_id AS INTEGER) LIMIT ?",
            (run_id, limit)).fetchall()

    def validators(self, record_id: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) the server last gave for a document, for a conditional GET;
        none for a record stored before a field of the record existed, so that its page is
        read whole once and the record gains the field though the page never changes."""
        row = self.db.execute(f"SELECT etag, last_modified FROM documents WHERE record_id = ? "
                              f"AND {_HAS_LATER_FIELDS}", (record_id,)).fetchone()
        return row or (None, None)

    def stored_record(self, record_id: str) -> dict | None:
        text = self.one("SELECT record_json FROM documents WHERE record_id = ?", (record_id,))
        return json.loads(text) if text else None

    # -- this run's work -----------------------------------------------------------------------
    def stage_document(self, run_id: str, record: dict, urls: list[str], etag: str | None,
                       last_modified: str | None, now: str) -> None:
        self.add_urls(urls, record["record_id"], run_id)
        self.write(
            "INSERT OR REPLACE INTO run_documents (run_id, record_id, record_json, etag, "
            "last_modified, checked_at) VALUES (?, ?, ?, ?, ?, ?)",
            (run_id, record["record_id"], json.dumps(record, ensure_ascii=False), etag,
             last_modified, now))

    def stage_unchanged(self, run_id: str, record_id: str, now: str) -> None:
        self.write("INSERT OR IGNORE INTO run_documents (run_id, record_id, checked_at) "
                   "VALUES (?, ?, ?)", (run_id, record_id, now))

    def mark_listed(self, run_id: str, url: str) -> None:
        self.write("INSERT OR IGNORE INTO run_listed (run_id, url) VALUES (?, ?)",
                   (run_id, url))

    def staged(self, run_id: str, chunk: int = 500) -> Iterator[
            tuple[str, dict | None, str | None, str | None, str]]:
        """This run's staged documents, read a chunk at a time: memory stays flat however
        large the run."""
        self.flush()
        after = ""
        while True:
            rows = self.db.execute(
                "SELECT record_id, record_json, etag, last_modified, checked_at "
                "FROM run_documents WHERE run_id = ? AND record_id > ? ORDER BY record_id "
                "LIMIT ?", (run_id, after, chunk)).fetchall()
            if not rows:
                return
            for record_id, text, etag, modified, checked in rows:
                yield record_id, (json.loads(text) if text else None), etag, modified, checked
            after = rows[-1][0]

    # -- the published dataset -----------------------------------------------------------------
    def save_topic(self, record: dict, now: str) -> None:
        self.write("INSERT OR REPLACE INTO topics (slug, record_json, last_checked) "
                   "VALUES (?, ?, ?)", (record["slug"], json.dumps(record, ensure_ascii=False),
                                        now))

    def topics(self) -> dict[str, dict]:
        self.flush()
        rows = self.db.execute("SELECT slug, record_json FROM topics ORDER BY slug")
        return {slug: json.loads(text) for slug, text in rows}

    def missing_topics(self) -> dict[str, dict]:
        """Topic pages that answered 404/410 when last asked: slug -> url, status, last_seen."""
        self.flush()
        rows = self.db.execute("SELECT slug, url, status, last_seen FROM missing_topics "
                               "ORDER BY slug")
        return {slug: {"url": url, "status": status, "last_seen": seen}
                for slug, url, status, seen in rows}

    def settle_missing_topics(self, seen: dict[str, tuple[str, int]], found: set[str],
                              now: str, swept: bool) -> dict[str, dict]:
        """Topic pages still missing once this run's are in: a harvested topic is forgotten,
        and a complete run, which asked for every one again, keeps only those it found
        missing. A topic whose page has gone leaves the topics, as its record no longer says
        what the site holds."""
        if swept:
            self.write("DELETE FROM missing_topics")
        for slug in found:
            self.write("DELETE FROM missing_topics WHERE slug = ?", (slug,))
        for slug, (url, status) in seen.items():
            self.write("INSERT OR REPLACE INTO missing_topics (slug, url, status, last_seen) "
                       "VALUES (?, ?, ?, ?)", (slug, url, status, now))
            self.write("DELETE FROM topics WHERE slug = ?", (slug,))
        return self.missing_topics()

    def staged_topics(self, run_id: str) -> list[str]:
        """Topics the documents this run has staged name (what a resumed run must follow)."""
        self.flush()
        rows = self.db.execute(
            "SELECT DISTINCT json_extract(t.value, '$.slug') FROM run_documents d, "
            "json_each(d.record_json, '$.topics') t WHERE d.run_id = ? AND "
            "d.record_json IS NOT NULL", (run_id,))
        return sorted(slug for (slug,) in rows if slug)

    def changes(self, run_id: str) -> list[dict]:
        self.flush()
        rows = self.db.execute(
            "SELECT record_id, change, fields FROM run_changes WHERE run_id = ? "
            f"ORDER BY {RECORD_ORDER_SQL}", (run_id,))
        return [{"record_id": r, "change": c, "fields": json.loads(f)} for r, c, f in rows]
