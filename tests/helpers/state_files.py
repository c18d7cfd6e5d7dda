"""What the state tests read from a state file with SQLite alone, never through the store they
test: its shape (tables and indexes) and its version."""

import sqlite3
from pathlib import Path


def shape(path: Path) -> dict[str, tuple[str, list]]:
    """Every table's columns (name, type, not null, default, key) and every index's table and
    columns, as SQLite reads them."""
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT type, name, tbl_name FROM sqlite_master "
                          "WHERE name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
        return {name: (table, [row[1:] if kind == "table" else row[2] for row in db.execute(
            f"PRAGMA {'table_info' if kind == 'table' else 'index_info'}({name})")])
            for kind, name, table in rows}
    finally:
        db.close()


def user_version(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()
