"""A web-archive or WARC run's census and decisions, kept in the state store.

Every census page is saved with the key that continues it, in one transaction; every capture
tried is noted with what it came to; every URL settled is noted with its outcome. A run killed
at any point therefore resumes where it stopped: it asks the CDX server for the next page, and
never fetches a capture it already judged. What the run refused (census rows, WARC records)
is counted by reason with it, so a resumed run goes on counting.

A census row is stored compactly: its captured URL is left out when it is the row's own key,
or when its location (a web archive's replay path) already holds it.
"""

from collections.abc import Iterable

from harvester.capture import outcomes
from harvester.capture.rows import EMPTY_DIGEST, Capture
from harvester.state.capture_counts import NOT_SKIPS, CaptureCounts
from harvester.state.capture_outcomes import CaptureOutcomes
from harvester.state.store import StateStore

_CAPTURE_COLUMNS = ("location, key, kind, timestamp, original, status, mimetype, digest, "
                    "length, revisit")
# Outcomes of a fetch that say nothing of the payload (the archive answered for itself, or the
# record could not be read): another capture with the same digest is still worth a fetch.
PAYLOAD_UNSEEN = (outcomes.NOT_REPLAYED, outcomes.UNREADABLE, outcomes.OVERSIZE,
                  outcomes.TOO_LONG, outcomes.TIME_DISAGREES)
_REPLAY_PREFIX = "/web/"


def _stored_original(capture: Capture) -> str:
    """"" when the captured URL can be had again from the row (compact storage)."""
    if capture.original == capture.key or \
            capture.location == f"{_REPLAY_PREFIX}{capture.timestamp}id_/{capture.original}":
        return ""
    return capture.original


def _capture(row) -> Capture:
    location, key, kind, timestamp, original, status, mimetype, digest, length, revisit = row
    if not original:
        replay = f"{_REPLAY_PREFIX}{timestamp}id_/"
        original = location[len(replay):] if location.startswith(replay) else key
    return Capture(location, key, kind, timestamp, original, status, mimetype, digest, length,
                   bool(revisit))


class CaptureLedger(CaptureOutcomes, CaptureCounts):
    def __init__(self, store: StateStore, run_id: str) -> None:
        self.store = store
        self.db = store.db
        self.run_id = run_id
        # What this run's tries cover, kept as they are noted (never less than the table
        # holds): a URL none of whose captures was judged yet, and a payload no fetched try
        # was noted with, need no query. In a first attempt that is nearly every one.
        self.tried_keys: set[str] = {key for (key,) in self.db.execute(
            "SELECT DISTINCT key FROM run_tries WHERE run_id = ?", (run_id,))}
        self.fetched_payloads: set[str] = {digest for (digest,) in self.db.execute(
            "SELECT DISTINCT digest FROM run_tries WHERE run_id = ? AND fetched = 1 AND "
            "digest IS NOT NULL", (run_id,))}

    # -- the census ----------------------------------------------------------------------------
    def enumeration(self, query: str) -> tuple[str | None, bool]:
        """(the key that continues this query, whether it is complete) for this run."""
        row = self.db.execute("SELECT resume_key, done FROM run_enumerations "
                              "WHERE run_id = ? AND query = ?", (self.run_id, query)).fetchone()
        return (row[0], bool(row[1])) if row else (None, False)

    def record_page(self, query: str, captures: Iterable[Capture], resume_key: str | None,
                    done: bool) -> int:
        """Save one census page and where the next one starts, atomically."""
        self.store.flush()
        db, count, newest = self.db, 0, None
        db.execute("BEGIN")
        for capture in captures:
            db.execute(f"INSERT OR IGNORE INTO run_captures ({_CAPTURE_COLUMNS}, run_id, query) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (capture.location, capture.key, capture.kind, capture.timestamp,
                        _stored_original(capture), capture.status, capture.mimetype, capture.digest,
                        capture.length, int(capture.revisit), self.run_id, query))
            count += 1
            newest = max(newest or capture.timestamp, capture.timestamp)
        db.execute(
            "INSERT INTO run_enumerations (run_id, query, resume_key, done, requests, rows, "
            "newest) VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (run_id, query) DO UPDATE SET "
            "resume_key = excluded.resume_key, done = excluded.done, "
            "requests = requests + 1, rows = rows + excluded.rows, "
            "newest = max(coalesce(newest, ''), coalesce(excluded.newest, '')) ",
            (self.run_id, query, resume_key, int(done), count, newest))
        db.execute("COMMIT")
        return count

    def mark(self, query: str) -> str | None:
        """The newest capture a published run saw for this query (for `--incremental`)."""
        return self.store.one("SELECT newest FROM capture_marks WHERE query = ?", (query,))

    # -- choosing captures ---------------------------------------------------------------------
    def keys(self, kind: str, after: str = "", limit: int = 100) -> list[str]:
        """URLs of this kind not yet settled, in order, `limit` at a time."""
        rows = self.db.execute(
            "SELECT DISTINCT c.key FROM run_captures c WHERE c.run_id = ? AND c.kind = ? "
            "AND c.key > ? AND NOT EXISTS (SELECT 1 FROM run_keys k WHERE k.run_id = c.run_id "
            "AND k.key = c.key) ORDER BY c.key LIMIT ?",
            (self.run_id, kind, after, limit))
        return [key for (key,) in rows]

    def all_keys(self, kind: str) -> list[str]:
        rows = self.db.execute("SELECT DISTINCT key FROM run_captures WHERE run_id = ? AND "
                               "kind = ? ORDER BY key", (self.run_id, kind))
        return [key for (key,) in rows]

    def newest_untried(self, kind: str, after: str, limit: int) -> list[Capture]:
        """The newest capture not judged yet of each of the next `limit` URLs of this kind
        after `after` not yet settled, in URL order: what their choices will most likely
        fetch first. The URLs are found first and their captures looked up by key (CROSS
        JOIN keeps that order): ranging over every capture after `after` instead made the
        calls of a whole run grow with the square of its URLs."""
        rows = self.db.execute(
            "WITH next_keys AS (SELECT DISTINCT u.key FROM run_captures u WHERE u.run_id = ? "
            "AND u.kind = ? AND u.key > ? AND NOT EXISTS (SELECT 1 FROM run_keys k WHERE "
            "k.run_id = u.run_id AND k.key = u.key) ORDER BY u.key LIMIT ?) "
            f"SELECT {_CAPTURE_COLUMNS} FROM (SELECT c.*, ROW_NUMBER() OVER (PARTITION BY "
            "c.key ORDER BY c.timestamp DESC, c.location) AS n FROM next_keys CROSS JOIN "
            "run_captures c ON c.key = next_keys.key WHERE c.run_id = ? AND c.kind = ? AND "
            "NOT EXISTS (SELECT 1 FROM run_tries t WHERE t.run_id = c.run_id AND t.location "
            "= c.location)) WHERE n = 1 ORDER BY key",
            (self.run_id, kind, after, limit, self.run_id, kind))
        return [_capture(row) for row in rows]

    def untried(self, key: str) -> list[Capture]:
        """Captures of a URL this run has not judged yet, newest first."""
        rows = self.db.execute(
            f"SELECT {_CAPTURE_COLUMNS} FROM run_captures c WHERE c.run_id = ? AND c.key = ? "
            "AND NOT EXISTS (SELECT 1 FROM run_tries t WHERE t.run_id = c.run_id "
            "AND t.location = c.location) ORDER BY c.timestamp DESC, c.location",
            (self.run_id, key))
        return [_capture(row) for row in rows]

    def shared_unfetched(self, key: str) -> list[Capture]:
        """Captures of a URL this run skipped unfetched, on its digest alone (an interrupted
        attempt's too), newest first."""
        if key not in self.tried_keys:
            return []
        rows = self.db.execute(
            f"SELECT {', '.join('c.' + name.strip() for name in _CAPTURE_COLUMNS.split(','))} "
            "FROM run_captures c JOIN run_tries t ON t.run_id = c.run_id AND t.location = "
            "c.location WHERE c.run_id = ? AND c.key = ? AND t.outcome = ? AND t.fetched = 0 "
            "ORDER BY c.timestamp DESC, c.location", (self.run_id, key, outcomes.REPEATED))
        return [_capture(row) for row in rows]

    def all_captures(self, key: str) -> list[Capture]:
        rows = self.db.execute(
            f"SELECT {_CAPTURE_COLUMNS} FROM run_captures WHERE run_id = ? AND key = ? "
            "ORDER BY timestamp DESC, location", (self.run_id, key))
        return [_capture(row) for row in rows]

    def has_captures(self, key: str) -> bool:
        return self.store.one("SELECT 1 FROM run_captures WHERE run_id = ? AND key = ? LIMIT 1",
                              (self.run_id, key)) is not None

    def has_keys_under(self, base: str) -> bool:
        """Whether any capture's URL is under this base (scheme, host and port)."""
        prefix = base.rstrip("/") + "/"
        return self.store.one("SELECT 1 FROM run_captures WHERE run_id = ? AND key >= ? AND "
                              "key < ? LIMIT 1", (self.run_id, prefix, prefix[:-1] + "0")
                              ) is not None

    def skips(self, key: str) -> dict[str, int]:
        """Why this run skipped the URL's captures it already judged, counted by reason (for a
        choice taken up again after a kill or a replay the archive failed)."""
        if key not in self.tried_keys:
            return {}
        rows = self.db.execute(
            "SELECT outcome, count(*) FROM run_tries WHERE run_id = ? AND key = ? AND outcome "
            f"NOT IN ({', '.join('?' * len(NOT_SKIPS))}) GROUP BY outcome",
            (self.run_id, key, *NOT_SKIPS))
        return dict(rows.fetchall())

    def fetches(self, key: str) -> int:
        if key not in self.tried_keys:
            return 0
        return self.store.one("SELECT count(*) FROM run_tries WHERE run_id = ? AND key = ? "
                              "AND fetched = 1", (self.run_id, key))

    def note(self, capture: Capture, outcome: str, fetched: bool,
             record_id: str | None = None, payload: str | None = None,
             why: tuple[str | None, str | None] = (None, None)) -> None:
        """What a capture came to. `payload` is the digest the try identified a payload by
        (`sources.captures.payload_identity`), None when it says nothing of one (a redirect,
        an error, a capture not fetched): only those are shared by `digest_outcome`. `why`:
        a skip's detail and field, in the reject's words."""
        self.tried_keys.add(capture.key)
        if fetched and payload:
            self.fetched_payloads.add(payload)
        self.store.write(
            "INSERT OR REPLACE INTO run_tries (run_id, location, key, timestamp, digest, "
            "outcome, fetched, record_id, detail, field) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.run_id, capture.location, capture.key, capture.timestamp, payload,
             outcome, int(fetched), record_id, *why))

    def newest_skip(self, key: str) -> tuple[str, str | None, str | None] | None:
        """The first fetched capture of the URL this run skipped, as judged (outcome, detail,
        field): what a choice taken up again names, as the choice before it would have."""
        if key not in self.tried_keys:
            return None
        row = self.db.execute(
            "SELECT outcome, detail, field FROM run_tries WHERE run_id = ? AND key = ? AND "
            f"fetched = 1 AND outcome NOT IN ({', '.join('?' * len(NOT_SKIPS))}) "
            "ORDER BY rowid LIMIT 1", (self.run_id, key, *NOT_SKIPS)).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def digest_outcome(self, digest: str | None,
                       other_than: str = "") -> tuple[str, str | None] | None:
        """What another fetched capture with this payload came to in this run, if any (only
        tries noted with their payload count)."""
        if not digest or digest not in self.fetched_payloads:
            return None
        unseen = ", ".join("?" * len(PAYLOAD_UNSEEN))
        row = self.db.execute("SELECT outcome, record_id FROM run_tries WHERE run_id = ? AND "
                              "digest = ? AND fetched = 1 AND location != ? AND outcome NOT IN "
                              f"({unseen}) ORDER BY outcome = 'used' DESC LIMIT 1",
                              (self.run_id, digest, other_than, *PAYLOAD_UNSEEN)).fetchone()
        return (row[0], row[1]) if row else None

    def payload_of(self, digest: str | None, key: str) -> Capture | None:
        """A capture (not a revisit) holding this payload: what a revisit of `key` repeats,
        a capture of that URL first. The empty body is every redirect's: only a capture of
        the same URL can stand for it, or the revisit would take another URL's `Location`."""
        if not digest:
            return None
        same_url_only = " AND key = ?" if digest == EMPTY_DIGEST else ""
        row = self.db.execute(
            f"SELECT {_CAPTURE_COLUMNS} FROM run_captures WHERE run_id = ? AND digest = ? "
            f"AND revisit = 0{same_url_only} ORDER BY key = ? DESC, timestamp DESC LIMIT 1",
            (self.run_id, digest, *([key] if same_url_only else []), key)).fetchone()
        return _capture(row) if row else None

    def replay_failures(self, location: str) -> int:
        """How many times the web archive failed to replay this capture in this run (its
        earlier, interrupted attempts included)."""
        return self.store.one("SELECT failures FROM run_replay_failures WHERE run_id = ? AND "
                              "location = ?", (self.run_id, location)) or 0

    def probe_capture(self, other_than: str) -> str | None:
        """A capture of a page the census lists whose replay tells whether the web archive is
        up: the newest listed whole page (status 200, HTML) not known to fail."""
        return self.store.one(
            "SELECT location FROM run_captures c WHERE run_id = ? AND kind = 'document' AND "
            "status = 200 AND revisit = 0 AND mimetype LIKE '%html%' AND location != ? AND "
            "NOT EXISTS (SELECT 1 FROM run_replay_failures f WHERE f.run_id = c.run_id AND "
            "f.location = c.location) ORDER BY timestamp DESC, location LIMIT 1",
            (self.run_id, other_than))

    def count_replay_failure(self, location: str) -> None:
        self.store.write("INSERT INTO run_replay_failures (run_id, location, failures) VALUES "
                         "(?, ?, 1) ON CONFLICT (run_id, location) DO UPDATE SET "
                         "failures = failures + 1", (self.run_id, location))
