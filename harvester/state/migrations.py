"""The state's schema version (SQLite's `PRAGMA user_version`) and the steps that bring an
earlier state forward, so a scheduled run keeps its published dataset, runs and staged work
across an upgrade of the harvester.

`STEPS[n]` takes a state from version n to n + 1. Each runs in one transaction with the
version it reaches, so a step that fails leaves the state as it was. A state of a version this
harvester does not know (newer) is refused before anything is written to it.

Adding a table later is one step: a function that runs its `CREATE TABLE IF NOT EXISTS …`
(IF NOT EXISTS, so a state that already has the table from unversioned code of the same change
is brought forward too), appended to `STEPS`."""

import sqlite3
from collections.abc import Callable
from pathlib import Path

from harvester.state.backup import DamagedState, create_state, open_checked, refusal, remedy
from harvester.state.schema import VERSION_2, VERSION_3
from harvester.state.unversioned import NotAState, statements, to_version_1

Step = Callable[[sqlite3.Connection], None]


def to_version_2(db: sqlite3.Connection) -> None:
    """People's own pages (`--people-pages`)."""
    for sql in statements(VERSION_2):
        db.execute(sql)


def to_version_3(db: sqlite3.Connection) -> None:
    """Why a fetched capture was skipped, kept with its try."""
    for sql in statements(VERSION_3):
        db.execute(sql)


STEPS: list[Step] = [to_version_1, to_version_2, to_version_3]


def current_version() -> int:
    """The version this harvester writes: the number of steps."""
    return len(STEPS)


def version_of(db: sqlite3.Connection) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def step_up(db: sqlite3.Connection) -> int | None:
    """Takes the next step in one transaction; the version it found, or None when there is
    none to take. The version is read inside the transaction: another process may have taken
    the step meanwhile."""
    db.execute("BEGIN IMMEDIATE")
    try:
        found = version_of(db)
        if found >= len(STEPS):
            db.execute("COMMIT")
            return None
        STEPS[found](db)
        db.execute(f"PRAGMA user_version = {found + 1}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:  # SQLite rolls some failures back itself
            db.execute("ROLLBACK")
        raise
    return found


def bring_forward(db: sqlite3.Connection) -> None:
    """Every step from the state's version to the current one (sqlite3.Error or NotAState
    from a step that failed, which is rolled back)."""
    while step_up(db) is not None:
        pass


def new_state(db: sqlite3.Connection) -> None:
    """A new state: WAL, then every step from an empty file."""
    db.execute("PRAGMA journal_mode = WAL")
    bring_forward(db)


def upgrade(db: sqlite3.Connection, path: Path) -> None:
    """Brings the state at `path` to the current version, or DamagedState: when it is newer
    (nothing is written to it), not a state, or a step failed (it is as it was)."""
    found = version_of(db)
    if found > current_version():
        raise refusal(path, f"of state version {found}, newer than this harvester knows "
                            f"({current_version()})", "run the harvester that wrote it (see "
                            "docs/RELIABILITY.md); this one left it as it is")
    try:
        bring_forward(db)
    except NotAState as error:
        raise refusal(path, f"not a state ({error})") from None
    except sqlite3.Error as error:
        reached = version_of(db)
        raise refusal(path, f"at state version {reached}, and bringing it to version "
                            f"{reached + 1} failed ({error})",
                      f"it was left as it was; mend that and run again, or "
                      f"{remedy(path)}") from None


def open_state(path: Path) -> sqlite3.Connection:
    """A connection to the state at `path`, created if there is none, checked (backup.py),
    brought to the current version and in WAL mode; DamagedState when it cannot be used."""
    if not path.exists():
        create_state(path, new_state)
    db = open_checked(path)  # an empty or damaged file is refused
    try:
        upgrade(db, path)
        db.execute("PRAGMA journal_mode = WAL")
    except sqlite3.DatabaseError as error:
        db.close()
        raise refusal(path, f"not a state ({error})") from None
    except DamagedState:
        db.close()
        raise
    return db
