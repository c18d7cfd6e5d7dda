"""One run's link to the state store: which run it is, whether it resumes, what it sweeps."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from harvester.dataset.folder import new_run_id, recover_output
from harvester.run.config import RunConfig
from harvester.run.sites import check_site
from harvester.state.lock import RunLock
from harvester.state.store import StateStore
from harvester.utc import utc_iso

logger = logging.getLogger(__name__)


def state_path(out_dir: Path, job: str) -> Path:
    """`<out>/state/<job>.sqlite`; long job names are shortened with a hash."""
    name = job if len(job) <= 80 else f"{job[:60]}-{hashlib.sha256(job.encode()).hexdigest()[:16]}"
    return out_dir / "state" / f"{name}.sqlite"


@dataclass
class RunContext:
    store: StateStore
    run_id: str
    resumed: bool
    job: str
    incremental: bool
    sweep: bool
    started: datetime
    out_dir: Path
    # A trial run (`--limit N`): stops after N documents, is published as partial, never
    # switches `latest` and is never a sweep (0: a whole run).
    limit: int = 0

    @classmethod
    def open(cls, config: RunConfig, job: str, arguments: dict, incremental: bool,
             full_sweep: bool, sweeps: bool = True) -> "RunContext":
        """`sweeps`: whether a complete run can tell that a document was removed from the site
        by its absence (a web archive never forgets a page, so its runs cannot).

        `HARVESTER_LIMIT` makes it a trial run (see `limit`).

        The output folder's run lock is taken first and held until the store is closed; a run
        that cannot have it, or whose state is damaged, is refused (RunRefused); a crawl whose
        records would name another site than those the folder holds, before (UsageError)."""
        out_dir = config.out_dir.resolve()
        check_site(out_dir, arguments.get("site"))
        out_dir.mkdir(parents=True, exist_ok=True)
        started = datetime.now(UTC)
        lock = RunLock.take(out_dir, job, utc_iso(started))
        try:
            for done in recover_output(out_dir):
                logger.warning("%s: %s", out_dir, done)
            store = StateStore(state_path(out_dir, job),
                               config.state_batch_writes, lock)
        except BaseException:
            lock.release()
            raise
        limit, every = config.limit, config.full_sweep_every
        due = bool(every) and (store.published_runs(job) + 1) % every == 0
        sweep = sweeps and not limit and (not incremental or full_sweep or due)
        # A trial run is its own run: it neither resumes a whole one nor is resumed by one.
        trial = {"limit": limit} if limit else {}
        run_id, resumed = store.open_run(
            job, {**arguments, "incremental": incremental, "full_sweep": full_sweep, **trial},
            new_run_id(out_dir, started, store.has_run), utc_iso(started), sweep)
        return cls(store, run_id, resumed, job, incremental, sweep, started, out_dir, limit)
