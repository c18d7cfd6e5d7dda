"""Run folders: written under a hidden temporary name, renamed into place only when complete,
then `latest` is switched to them. Readers never see a half-written run."""

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonlines

RUN_ID = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")


def new_run_id(out_dir: Path, now: datetime | None = None) -> str:
    """A sortable UTC stamp, suffixed when a run of the same second exists."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    run_id, n = stamp, 1
    while (out_dir / run_id).exists() or (out_dir / f".{run_id}.partial").exists():
        n += 1
        run_id = f"{stamp}-{n}"
    return run_id


def dumps(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


class RunWriter:
    """Builds one run in `out_dir/.<run-id>.partial/` and publishes it atomically."""

    def __init__(self, out_dir: Path, run_id: str) -> None:
        if not RUN_ID.match(run_id):
            raise ValueError(f"not a run id: {run_id!r}")
        self.out_dir = out_dir.resolve()
        self.run_id = run_id
        self.partial = self.out_dir / f".{run_id}.partial"
        self.final = self.out_dir / run_id
        self.files: dict[str, dict[str, Any]] = {}

    def write_jsonl(self, name: str, records: Iterable[dict[str, Any]]) -> None:
        self.partial.mkdir(parents=True, exist_ok=True)
        path = self.partial / name
        count = 0
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            writer = jsonlines.Writer(handle, dumps=dumps)
            for record in records:
                writer.write(record)
                count += 1
            handle.flush()
            os.fsync(handle.fileno())
        self.files[name] = {"records": count, **file_facts(path)}

    def publish(self, manifest: dict[str, Any]) -> Path:
        """Write the manifest last, rename the folder into place, then move `latest`."""
        manifest = {**manifest, "files": self.files}
        path = self.partial / "manifest.json"
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
        # A resumed run reuses its id: an attempt killed after its rename left this folder.
        superseded = self.out_dir / f".{self.run_id}.superseded"
        if self.final.exists():
            shutil.rmtree(superseded, ignore_errors=True)
            os.replace(self.final, superseded)
        os.replace(self.partial, self.final)
        point_latest(self.out_dir, self.run_id)
        shutil.rmtree(superseded, ignore_errors=True)
        return self.final

    def discard(self) -> None:
        shutil.rmtree(self.partial, ignore_errors=True)


def file_facts(path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def point_latest(out_dir: Path, run_id: str) -> None:
    """Swap the `latest` symlink in one rename, so it always names a complete run."""
    link = out_dir / "latest"
    temporary = out_dir / f".latest.{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(run_id)
    os.replace(temporary, link)


def latest_run(out_dir: Path) -> Path | None:
    link = out_dir / "latest"
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None
