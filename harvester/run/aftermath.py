"""What follows a publication: the state records it, its backup is written, old runs are
pruned, the state is closed. Once `latest` names the new run (or a trial run's folder is in
place) the run is published, whatever happens here, and the command says so: a step that
fails is told on the same line with how to recover, never as "not published".

- A failure (exit 3, EXIT_PUBLISHED_BUT): the state could not record the publication, or its
  backup was not written (the documented way to restore a damaged state would be missing).
- A warning (exit 0): old runs that could not be pruned.
"""

import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from harvester.run.retention import prune_runs
from harvester.state.backup import BackupNotWritten
from harvester.utc import utc_iso

logger = logging.getLogger(__name__)

# Crawler stats the command reads: what failed after the publication, and what only warns.
FAILURES_STAT = "harvester/after_publish/failures"
WARNINGS_STAT = "harvester/after_publish/warnings"


@dataclass
class Aftermath:
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def error_text(error: BaseException) -> str:
    """`No space left on device`, not `OSError(28, ...)`."""
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def settle(store, run_id: str, status: str, out_dir: Path, keep: int) -> Aftermath:
    """Every step after the publication, each on its own: one failing does not skip the
    others, and the store is closed (its run lock let go) whatever happens."""
    after = Aftermath()
    try:
        store.end_run(run_id, status, utc_iso())
    except (OSError, sqlite3.Error) as error:
        after.failures.append(
            f"the state did not record the publication ({error_text(error)}): once there is "
            f"space the next run publishes the same records again")
    try:
        store.keep_backup()  # the state as of this publish, to restore a damaged one from
    except BackupNotWritten as missing:
        after.failures.append(str(missing))
    after.warnings += prune_warnings(out_dir, keep)
    try:
        store.close()  # lets go of the run lock, which pruning needed held
    except (OSError, sqlite3.Error) as error:
        after.failures.append(f"the state was not closed cleanly ({error_text(error)}): the "
                              f"next run checks it before it starts")
    for line in after.failures:
        logger.error("published, but %s", line)
    for line in after.warnings:
        logger.warning("published, but %s", line)
    return after


def prune_warnings(out_dir: Path, keep: int) -> list[str]:
    """HARVESTER_KEEP_RUNS: the run is published whatever happens here, so a folder that cannot
    be removed is a warning, never a failed run."""
    if keep <= 0:
        return []
    try:
        pruned = prune_runs(out_dir, keep)
    except OSError as error:
        return [f"old runs were not pruned ({error_text(error)}): `harvester prune --keep "
                f"{keep}` does it by hand"]
    if pruned.removed:
        logger.info("pruned %d old run(s): %s", len(pruned.removed), ", ".join(pruned.removed))
    return []
