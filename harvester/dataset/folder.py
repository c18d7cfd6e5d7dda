"""Run folders: written under a hidden temporary name, renamed into place only when complete,
then `latest` is switched to them. Readers never see a half-written run."""

import hashlib
import io
import json
import logging
import os
import re
import shutil
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonlines

from harvester.utc import compact_utc

RUN_ID = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")
SUPERSEDED = re.compile(r"^\.(\d{8}T\d{6}Z(-\d+)?(-partial)?)\.superseded$")
# A trial run's folder (`--limit`): `<run-id>-partial`, never named by `latest`.
PARTIAL = "-partial"

logger = logging.getLogger(__name__)


def new_run_id(out_dir: Path, now: datetime | None = None,
               taken: Callable[[str], bool] = lambda run_id: False) -> str:
    """A sortable UTC stamp, suffixed when a run of the same second exists (as a folder, or
    `taken`: in the state, where a refused run of that second left its id)."""
    stamp = compact_utc(now)
    run_id, n = stamp, 1
    while taken(run_id) or any((out_dir / name).exists()
                               for name in (run_id, f".{run_id}.partial", f"{run_id}{PARTIAL}")):
        n += 1
        run_id = f"{stamp}-{n}"
    return run_id


def dumps(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


class RunWriter:
    """Builds one run in `out_dir/.<run-id>.partial/` and publishes it atomically; a trial
    run (`trial`) as `<run-id>-partial`, leaving `latest` where it was."""

    def __init__(self, out_dir: Path, run_id: str, trial: bool = False) -> None:
        if not RUN_ID.match(run_id):
            raise ValueError(f"not a run id: {run_id!r}")
        self.out_dir = out_dir.resolve()
        self.run_id = run_id
        self.trial = trial
        self.partial = self.out_dir / f".{run_id}.partial"
        self.final = self.out_dir / (f"{run_id}{PARTIAL}" if trial else run_id)
        self.files: dict[str, dict[str, Any]] = {}

    def write_jsonl(self, name: str, records: Iterable[dict[str, Any]]) -> None:
        """One record a line; its size and sha256 counted as it is written, never read back."""
        self.partial.mkdir(parents=True, exist_ok=True)
        path = self.partial / name
        count = 0
        with path.open("wb") as handle:
            hashed = HashedWrites(handle)
            text = io.TextIOWrapper(io.BufferedWriter(hashed), encoding="utf-8", newline="\n")
            writer = jsonlines.Writer(text, dumps=dumps)
            for record in records:
                writer.write(record)
                count += 1
            text.flush()
            handle.flush()
            os.fsync(handle.fileno())
        self.files[name] = {"records": count, **hashed.facts()}

    def publish(self, manifest: dict[str, Any]) -> Path:
        """Write the manifest last, rename the folder into place, then move `latest` (not for
        a trial run)."""
        manifest = {**manifest, "files": self.files}
        path = self.partial / "manifest.json"
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
        # A resumed run reuses its id: an attempt killed after its rename left this folder.
        superseded = self.out_dir / f".{self.final.name}.superseded"
        if self.final.exists():
            shutil.rmtree(superseded, ignore_errors=True)
            os.replace(self.final, superseded)
        os.replace(self.partial, self.final)
        if not self.trial:
            point_latest(self.out_dir, self.run_id)
        shutil.rmtree(superseded, ignore_errors=True)
        return self.final

    def discard(self) -> None:
        shutil.rmtree(self.partial, ignore_errors=True)


class HashedWrites(io.RawIOBase):
    """Bytes written to a file, counted and hashed on their way: the facts `file_facts` would
    read back."""

    def __init__(self, handle) -> None:
        super().__init__()
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.digest.update(data)
        self.size += len(data)
        self.handle.write(data)
        return len(data)

    def facts(self) -> dict[str, Any]:
        return {"bytes": self.size, "sha256": self.digest.hexdigest()}


def file_facts(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def point_latest(out_dir: Path, run_id: str) -> None:
    """Swap the `latest` symlink in one rename, so it always names a complete run. A `latest`
    that is not a link (a run copied there by hand) cannot be replaced by one: it is moved
    aside, never deleted."""
    link = out_dir / "latest"
    temporary = out_dir / f".latest.{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(run_id)
    if link.exists() and not link.is_symlink():
        kept = set_aside(link)
        logger.warning("%s was a %s, not a link to a run: moved to %s", link,
                       "folder" if kept.is_dir() else "file", kept.name)
    os.replace(temporary, link)


def set_aside(path: Path) -> Path:
    """Rename `path` to `<name>.kept-<UTC stamp>[-n]`, a name no run or reader uses."""
    stamp = compact_utc()
    kept, n = path.with_name(f"{path.name}.kept-{stamp}"), 1
    while kept.exists() or kept.is_symlink():
        n += 1
        kept = path.with_name(f"{path.name}.kept-{stamp}-{n}")
    os.rename(path, kept)
    return kept


def recover_output(out_dir: Path) -> list[str]:
    """Put right what a publication cut short left behind, saying what was done; call it
    holding the run lock (no other run can be switching `latest` meanwhile).

    - `.latest.<pid>`: the temporary link of a switch of `latest` that did not happen.
    - `.<run>.superseded`: an earlier attempt of a run published again. When the new attempt's
      folder is in place the old one is dropped, as the publication would have done; when it is
      not (cut short between the two renames) the old one is put back, so `latest` names it."""
    done = []
    for temporary in sorted(out_dir.glob(".latest.*")):
        if temporary.is_symlink():
            temporary.unlink()
            done.append(f"removed {temporary.name}, left by a switch of latest cut short")
    for folder in sorted(out_dir.glob(".*.superseded")):
        found = SUPERSEDED.match(folder.name)
        if not found or folder.is_symlink() or not folder.is_dir():
            continue
        final = out_dir / found.group(1)
        if final.exists():
            shutil.rmtree(folder)
            done.append(f"removed {folder.name}: run {final.name} was published again over it")
        else:
            os.rename(folder, final)
            done.append(f"put {folder.name} back as {final.name}: publishing it again was "
                        "cut short")
    return done


def latest_run(out_dir: Path) -> Path | None:
    link = out_dir / "latest"
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None
