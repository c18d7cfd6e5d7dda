"""The crawls of the bundled mirror that several modules read, each run once per session by the
first worker that asks for it (a file lock keeps the others waiting), then checked unchanged."""

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.helpers.crawls import bundled_crawl_command
from tests.helpers.pages import load_json
from tests.helpers.serving import served_here


@dataclass(frozen=True)
class SharedRun:
    """A published crawl that several modules read. Read it, never write to it: a test that
    crawls over it or edits it works on a copy (`shutil.copytree(out, ..., symlinks=True)`)."""

    out: Path  # the output folder: the run, `latest` and `state`
    stderr: str  # what the crawl printed

    @property
    def run(self) -> Path:
        return (self.out / "latest").resolve()


def crawl_bundled(out: Path) -> str:
    """Crawl the bundled mirror (served by this process) into `out`; what the crawl printed."""
    with served_here() as url:
        result = subprocess.run(bundled_crawl_command(url, out), capture_output=True,
                                text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stderr


def crawl_bundled_mirror(out: Path) -> Path:
    """Serve the bundled mirror in-process, crawl it in a subprocess, return the published run."""
    crawl_bundled(out)
    return (out / "latest").resolve()


def folder_digests(folder: Path) -> dict[str, str]:
    """Every file's SHA-256 and every link's target, by path: what a test must not change."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = "-> " + os.readlink(path)
        elif path.is_file():
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def shared_folder(tmp_path_factory) -> Path:
    """A folder every worker of this session sees: under pytest-xdist each worker's basetemp
    sits in the session's own (named by its test run id); a plain run has just one."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    base = tmp_path_factory.getbasetemp()
    folder = base.parent / f"shared-{run}" if run else base / "shared"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shared_run(tmp_path_factory, name: str, crawl: Callable[[Path], str]) -> Iterator[SharedRun]:
    """The crawl `name`, run by the first worker that asks for it while the others wait on a
    lock, then read by all; the session ends by checking that no test changed it."""
    root = shared_folder(tmp_path_factory)
    out, facts = root / name, root / f"{name}.json"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # let go when the file is closed
        if not facts.exists():
            shutil.rmtree(out, ignore_errors=True)  # what a failed attempt left
            stderr = crawl(out)
            facts.write_text(json.dumps({"stderr": stderr, "digests": folder_digests(out)}),
                             "utf-8")
    known = load_json(facts)
    yield SharedRun(out, known["stderr"])
    assert folder_digests(out) == known["digests"], f"a test changed the shared run {out}"
