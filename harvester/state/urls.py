"""Which URLs lead to which records. A URL becomes known only when a published run holds its
record: what a run stages keeps its URLs in `run_urls`, which the run itself reads (a document
reached again, a resumed run) and which publishing promotes to `urls`. A run that is refused,
stopped or killed so leaves nothing that would make a later run skip a document it never
published."""

import sqlite3
from collections.abc import Callable
from typing import Any

# A URL of a record the published dataset holds (current or removed).
_PUBLISHED = ("SELECT u.record_id FROM urls u JOIN documents d ON d.record_id = u.record_id "
              "WHERE u.url = ?")


class KnownUrls:
    """Mixin for StateStore, which provides these:"""

    db: sqlite3.Connection
    write: Callable[[str, tuple], None]
    flush: Callable[[], None]
    one: Callable[[str, tuple], Any]

    def record_for_url(self, url: str, run_id: str | None = None) -> str | None:
        """The Record ID a URL led to in a published run (a removed record's too), else, with
        `run_id`, in that run so far."""
        found = self.one(_PUBLISHED, (url,))
        if found is None and run_id is not None:
            found = self.one("SELECT record_id FROM run_urls WHERE run_id = ? AND url = ?",
                             (run_id, url))
        return found

    def is_removed(self, record_id: str) -> bool:
        """Whether the published dataset holds this record as removed from the site."""
        return self.one("SELECT removed_at IS NOT NULL FROM documents WHERE record_id = ?",
                        (record_id,)) == 1

    def is_current_url(self, url: str) -> bool:
        """Whether a URL leads to a record the published dataset holds as current."""
        return self.one(_PUBLISHED + " AND d.removed_at IS NULL", (url,)) is not None

    def add_urls(self, urls: list[str], record_id: str, run_id: str) -> None:
        """URLs that led to a record in this run (known to other runs once it is published)."""
        for url in urls:
            self.write("INSERT OR REPLACE INTO run_urls (run_id, url, record_id) "
                       "VALUES (?, ?, ?)", (run_id, url, record_id))

    def promote_urls(self, run_id: str) -> None:
        """The run is being published: the URLs it found become known."""
        self.write("INSERT OR REPLACE INTO urls (url, record_id) "
                   "SELECT url, record_id FROM run_urls WHERE run_id = ?", (run_id,))

    def staged_urls(self, run_id: str) -> set[str]:
        """URLs of documents this run already has (what a resumed run need not fetch): those
        it found, and the published URLs of the records it found unchanged."""
        self.flush()
        rows = self.db.execute(
            "SELECT u.url FROM run_documents r JOIN run_urls u ON u.run_id = r.run_id "
            "AND u.record_id = r.record_id WHERE r.run_id = ? UNION "
            "SELECT u.url FROM run_documents r JOIN urls u ON u.record_id = r.record_id "
            "WHERE r.run_id = ?", (run_id, run_id))
        return {url for (url,) in rows}
