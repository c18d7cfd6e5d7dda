"""One run at a time per output folder. Two runs over one folder would publish the same run id
twice, abandon each other's work and trip over the state's locks; two jobs share `latest`, so
the whole folder is locked, not one job.

The lock is an `flock` on `<out>/state/run.lock`, held for the whole run. The operating system
drops it when its holder exits, however it exits, so a killed run leaves no stale lock. The
file names its holder, for the message the next run gives."""

import fcntl
import json
import os
import socket
from pathlib import Path

LOCK_NAME = "run.lock"
# Characters of a job's name the lock file keeps (a topic job is named after its topics).
JOB_SHOWN = 200


class RunRefused(Exception):
    """A run that must not start; its message is the one line the user is shown (exit 1)."""


def lock_path(out_dir: Path) -> Path:
    return out_dir / "state" / LOCK_NAME


class RunLock:
    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def take(cls, out_dir: Path, job: str, started: str) -> "RunLock":
        """The lock on `out_dir`, or RunRefused naming the run that holds it."""
        path = lock_path(out_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = describe(read_holder(fd))
            os.close(fd)
            raise RunRefused(f"another run holds {out_dir}: {other}") from None
        holder = {"pid": os.getpid(), "host": socket.gethostname(), "job": short(job),
                  "started": started}
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(holder) + "\n").encode("utf-8"), 0)
        return cls(path, fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Forget the holder, then let go (closing the file would let go too)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


def short(job: str) -> str:
    """A job's name as the lock file and its message give it: bounded, however many topics."""
    return job if len(job) <= JOB_SHOWN else f"{job[:JOB_SHOWN]}… ({len(job)} characters)"


def read_holder(fd: int) -> dict:
    try:
        text = os.pread(fd, 4096, 0).decode("utf-8")
        holder = json.loads(text) if text.strip() else {}
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


def describe(holder: dict) -> str:
    """`pid 123 on host (job topic-x, started 2026-01-01T00:00:00Z)`."""
    if not holder.get("pid"):
        return "a run that is starting (its details are not written yet)"
    where = f" on {holder['host']}" if holder.get("host") else ""
    return (f"pid {holder['pid']}{where} (job {holder.get('job', '?')}, "
            f"started {holder.get('started', '?')})")
