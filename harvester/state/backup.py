"""A state file that can be trusted. An empty one would read as a new state (every document
"added" again) and a damaged one would fail somewhere in the run, so both are refused before
the run starts. After each publish the state is copied beside itself, whole and consistent
(SQLite's backup API), so a damaged state can be put back as of the last publish."""

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from harvester.state.lock import RunRefused

BACKUP_SUFFIX = ".published"
# SQLite's companions of a database in WAL mode: they belong to the file beside them.
COMPANIONS = ("-wal", "-shm")


class DamagedState(RunRefused):
    """The state file cannot be used; the message says how to restore it."""


def backup_path(state: Path) -> Path:
    """`<out>/state/<job>.sqlite.published`: the state as of the last publish."""
    return state.with_name(state.name + BACKUP_SUFFIX)


def companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in COMPANIONS]


def remove_with_companions(path: Path) -> None:
    for file in (path, *companions(path)):
        file.unlink(missing_ok=True)


def remedy(state: Path) -> str:
    """What to do with a state that cannot be used: restore its backup, if any, or remove it."""
    backup = backup_path(state)
    if backup.is_file():
        return (f"restore it from {backup} (the state as of the last publish: see "
                f"docs/RELIABILITY.md), or remove it to start over")
    return "remove it to start over (there is no backup of it)"


def refusal(state: Path, problem: str, what_to_do: str | None = None) -> DamagedState:
    """One line: the state file, what is wrong with it, what to do (by default `remedy`)."""
    return DamagedState(f"state file {state} is {problem}: {what_to_do or remedy(state)}")


def create_state(path: Path, build: Callable[[sqlite3.Connection], None]) -> None:
    """A new state file, created under another name and renamed into place: a crash while
    creating it never leaves an empty file that a later run would have to refuse. `build`
    makes its tables (migrations.new_state)."""
    # Leftovers of a state file removed by hand would be read as part of the new one.
    for companion in companions(path):
        companion.unlink(missing_ok=True)
    temporary = path.with_name(f".{path.name}.new-{os.getpid()}")
    remove_with_companions(temporary)
    db = sqlite3.connect(temporary, isolation_level=None)
    try:
        build(db)
    except sqlite3.Error:
        db.close()
        remove_with_companions(temporary)
        raise
    db.close()
    os.replace(temporary, path)


def open_checked(path: Path) -> sqlite3.Connection:
    """A connection to an existing state file, or DamagedState when it is empty, not a
    database, or fails SQLite's quick check (a truncated file does)."""
    if path.is_dir():
        raise refusal(path, "a folder, not a file")
    if path.stat().st_size == 0:
        raise refusal(path, "empty")
    try:
        db = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as error:
        raise refusal(path, f"not readable ({error})") from None
    try:
        found = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as error:
        db.close()
        raise refusal(path, f"damaged ({error})") from None
    if found != ["ok"]:
        db.close()
        raise refusal(path, f"damaged ({found[0]})")
    return db


class BackupNotWritten(Exception):
    """The state could not be copied to its backup; the message says what is left and what to
    do."""


def keep_backup(db: sqlite3.Connection, state: Path) -> Path:
    """Copy the state to its backup, atomically (a temporary file renamed over the old copy),
    or BackupNotWritten, the old copy (if any) left as it was."""
    target = backup_path(state)
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    try:
        for leftover in state.parent.glob(f".{target.name}.*"):  # of a copy cut short
            leftover.unlink(missing_ok=True)
        copy = sqlite3.connect(temporary)
        try:
            db.backup(copy)
        finally:
            copy.close()
        os.replace(temporary, target)
    except (OSError, sqlite3.Error) as error:
        remove_with_companions(temporary)
        kept = ("it still holds the state as of an earlier publication" if target.is_file()
                else "there is none yet")
        cause = getattr(error, "strerror", None) or str(error)
        raise BackupNotWritten(
            f"the state's backup {target} was not written ({cause}): {kept}; free space (or "
            f"mend {state.parent}) and run again, and the next publication writes it; until "
            f"then {state} is the only copy, so do not remove it") from None
    return target
