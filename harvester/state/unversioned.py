"""The step from version 0 to version 1: a state with no version (`user_version` 0) is either a
new, empty file or a state written before the state had versions, by any earlier harvester.

No earlier harvester ever changed a table's columns: each added whole tables and indexes to
the schema it ran `CREATE … IF NOT EXISTS` for, on every open, so a state has the tables of the
newest harvester that opened it. Their history (docs/RELIABILITY.md sums it up):

    575a69b  documents (index documents_by_check), urls, topics, runs, run_documents,
             run_listed, run_changes
    b92a054  + rejects
    e7e0582  + run_sweeps
    4bd5897  + run_captures (indexes run_captures_by_key on run_id, kind, key, timestamp, and
             run_captures_by_digest), run_enumerations, run_tries (index run_tries_by_key),
             run_keys, run_links, capture_marks
    2571f67  + index run_captures_by_kind; run_captures_by_key redefined on run_id, key,
             timestamp (a state created before keeps the old one: IF NOT EXISTS); + index
             run_tries_by_digest
    d5b1bdc  + missing_topics
    d67dc24  + run_replay_failures
    e503248  + run_urls
    0b21d13  - index run_captures_by_kind (DROP INDEX IF EXISTS); + run_counts

So the step adds whatever of version 1 is missing, drops the index that was dropped, and
rebuilds an index whose columns are not version 1's. Tables no harvester of this project
wrote are left as they are."""

import sqlite3
from functools import cache

from harvester.state.schema import VERSION_1

# The tables of the first state (575a69b): every earlier state has them.
FIRST_TABLES = ("documents", "urls", "topics", "runs", "run_documents", "run_listed",
                "run_changes")
# Indexes an earlier schema had and version 1 has not.
DROPPED_INDEXES = ("run_captures_by_kind",)


class NotAState(Exception):
    """A database with tables, but not those of any state; the message says what is wrong."""


def statements(script: str) -> list[str]:
    """The statements of a schema script (none holds a semicolon inside)."""
    return [sql.strip() for sql in script.split(";") if sql.strip()]


def tables(db: sqlite3.Connection) -> dict[str, list[str]]:
    """Table name -> its column names, SQLite's own tables left out."""
    names = [row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {name: [row[1] for row in db.execute("SELECT * FROM pragma_table_info(?)", (name,))]
            for name in names}


def indexes(db: sqlite3.Connection) -> dict[str, tuple[str, list[str]]]:
    """Index name -> (its table, its columns), the ones SQLite makes for keys left out."""
    rows = db.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND "
                      "sql IS NOT NULL").fetchall()
    return {name: (table, [row[2] for row in db.execute(
        "SELECT * FROM pragma_index_info(?)", (name,))]) for name, table in rows}


@cache
def version_1() -> tuple[dict[str, list[str]], dict[str, tuple[str, list[str]]]]:
    """Version 1's tables and indexes, as SQLite reads them from `VERSION_1`."""
    db = sqlite3.connect(":memory:")
    try:
        for sql in statements(VERSION_1):
            db.execute(sql)
        return tables(db), indexes(db)
    finally:
        db.close()


def recognise(db: sqlite3.Connection) -> None:
    """Nothing, for a new file or an earlier state; NotAState for any other database."""
    found = tables(db)
    if not found:
        return
    missing = [name for name in FIRST_TABLES if name not in found]
    if missing:
        raise NotAState(f"it has no {', '.join(missing)} table")
    expected, _ = version_1()
    for name, columns in found.items():
        lacking = [column for column in expected.get(name, []) if column not in columns]
        if lacking:
            raise NotAState(f"its {name} table has no {', '.join(lacking)} column")


def to_version_1(db: sqlite3.Connection) -> None:
    """Brings a new file or any earlier state to version 1 (inside the caller's transaction)."""
    recognise(db)
    for name in DROPPED_INDEXES:
        db.execute(f"DROP INDEX IF EXISTS {name}")
    _, wanted = version_1()
    for name, (table, columns) in indexes(db).items():
        if name in wanted and wanted[name] != (table, columns):
            db.execute(f"DROP INDEX {name}")  # made before its columns changed
    for sql in statements(VERSION_1):
        db.execute(sql)
