"""The published dataset as a run reads it from the state: every current record, as a snapshot
publishes it, and how often its documents have each field, as a coverage check compares."""

import json
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from harvester.assemble import RECORD_ORDER_SQL
from harvester.normalize.text import json_may_hold_controls, without_controls


class PublishedReads:
    """Mixin for StateStore, which provides these:"""

    db: sqlite3.Connection
    flush: Callable[[], None]
    one: Callable[[str, tuple], Any]
    known_documents: Callable[[], int]

    def current_records(self, only_run: str | None = None) -> Iterator[dict]:
        """Every current document (or those run `only_run` staged), in published order (Record
        IDs as numbers), without a control character however old the record (one stored by an
        earlier version may hold one: harvester.normalize.text)."""
        for record, _ in self.published_rows(only_run):
            yield record

    def published_rows(self, only_run: str | None = None, staged_by: str = ""
                       ) -> Iterator[tuple[dict, bool]]:
        """`current_records`, each with whether it is, to the byte, the record run `staged_by`
        staged (none is without `staged_by`)."""
        self.flush()
        staged = "" if only_run is None else (
            "AND record_id IN (SELECT record_id FROM run_documents WHERE run_id = ?) ")
        as_staged = ("d.record_json = (SELECT r.record_json FROM run_documents r WHERE "
                     "r.run_id = ? AND r.record_id = d.record_id)")
        rows = self.db.execute(
            f"SELECT d.record_json, coalesce({as_staged}, 0) FROM documents d WHERE "
            f"removed_at IS NULL {staged}ORDER BY {RECORD_ORDER_SQL}",
            (staged_by, *(() if only_run is None else (only_run,))))
        for text, same in rows:
            record = json.loads(text)
            if json_may_hold_controls(text):
                yield without_controls(record), False
            else:
                yield record, bool(same)

    def field_rates(self, names: list[str]) -> tuple[int, dict[str, float]]:
        """Current documents, and per field the share that have it (not null, not empty)."""
        self.flush()
        total = self.known_documents()
        rates = {}
        for name in names:
            path = f"$.{name}"
            found = self.one(
                "SELECT count(*) FROM documents WHERE removed_at IS NULL AND "
                "coalesce(json_type(record_json, ?), 'null') != 'null' AND NOT "
                "(json_type(record_json, ?) = 'array' AND json_array_length(record_json, ?) = 0)",
                (path, path, path))
            rates[name] = found / total if total else 0.0
        return total, rates
