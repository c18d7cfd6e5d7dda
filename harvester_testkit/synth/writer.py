"""Writing a mirror so that an interrupted run never leaves a half-written one: the new tree is
built beside the old (`.<name>.partial`), unchanged files hard-linked from it (so they keep
their bytes, inode and mtime), and swapped into place only when complete."""

import contextlib
import os
import shutil
from pathlib import Path

from harvester_testkit.synth.site import SiteFile


def staging_for(target: Path) -> Path:
    return target.parent / f".{target.name}.partial"


def retired_for(target: Path) -> Path:
    return target.parent / f".{target.name}.old"


class TreeWriter:
    """Builds `target` anew; `previous` (the mirror being replaced, if any) supplies unchanged
    files. Use as a context manager: the swap happens on a clean exit only."""

    def __init__(self, target: Path, previous: Path | None = None) -> None:
        self.target = target
        self.previous = previous
        self.staging = staging_for(target)
        self.made_dirs: set[Path] = set()
        self.written = 0
        self.kept = 0
        self.bytes = 0

    def __enter__(self) -> "TreeWriter":
        if self.staging.exists():  # left by an interrupted run: ours by name, never served
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.commit()
        else:
            shutil.rmtree(self.staging, ignore_errors=True)

    def add(self, file: SiteFile) -> None:
        path = self.staging / file.path
        if path.parent not in self.made_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.made_dirs.add(path.parent)
        self.bytes += len(file.body)
        old = self.previous / file.path if self.previous is not None else None
        if old is not None and unchanged(old, file.body):
            link_or_copy(old, path)
            self.kept += 1
            return
        path.write_bytes(file.body)
        os.utime(path, (file.mtime, file.mtime))
        self.written += 1

    def commit(self) -> None:
        if self.previous is None:
            with contextlib.suppress(FileNotFoundError):
                self.target.rmdir()  # an empty folder the caller checked
            self.staging.rename(self.target)
            return
        retired = retired_for(self.target)
        if retired.exists():
            shutil.rmtree(retired)
        self.target.rename(retired)
        self.staging.rename(self.target)
        shutil.rmtree(retired)


def unchanged(old: Path, body: bytes) -> bool:
    try:
        return old.stat().st_size == len(body) and old.read_bytes() == body
    except FileNotFoundError:
        return False


def link_or_copy(source: Path, destination: Path) -> None:
    try:
        os.link(source, destination)
    except OSError:  # a file system without hard links: a copy keeps the mtime too
        shutil.copy2(source, destination)
