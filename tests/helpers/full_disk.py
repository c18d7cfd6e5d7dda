"""A disk that fills at one step of a run: `harvester` in a subprocess whose one step raises
what SQLite or the operating system raise on a full disk, every other step as it is."""

import subprocess
import sys
from pathlib import Path

# Run before `harvester` itself; STEP names what fails.
PRELUDE = '''
import sqlite3, sys
from harvester.state import backup, store

STEP = sys.argv.pop(1)
if STEP == "record-publication":
    end_run = store.StateStore.end_run
    def failing_end_run(self, run_id, status, now):
        if status == "published":
            raise sqlite3.OperationalError("database or disk is full")
        return end_run(self, run_id, status, now)
    store.StateStore.end_run = failing_end_run
elif STEP == "backup":
    class FullDisk:
        def __getattr__(self, name):
            return getattr(sqlite3, name)
        def connect(self, path, *args, **kwargs):
            if ".sqlite.published." in str(path):
                raise sqlite3.OperationalError("database or disk is full")
            return sqlite3.connect(path, *args, **kwargs)
    backup.sqlite3 = FullDisk()
else:
    raise SystemExit(f"no such step: {STEP}")
from harvester.cli import main
sys.exit(main(sys.argv[1:]))
'''


def harvester_with_full_disk(step: str, arguments: list[str], cwd: Path | None = None
                             ) -> subprocess.CompletedProcess:
    """`harvester ARGUMENTS…` whose `step` (record-publication, backup) finds the disk full."""
    return subprocess.run([sys.executable, "-c", PRELUDE, step, *arguments], cwd=cwd,
                          capture_output=True, text=True, timeout=120)
