"""Paths of the bundled mirror and its hand-checked expected records; servers of it; and the
crawls of it that several modules read, each run once per session."""

import fcntl
import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, settings

from harvester.mirror.bundled import BUNDLED_MIRROR
from harvester.mirror.faults import FaultPlan, Rule
from harvester.mirror.server import base_url, make_server

# Fields that say when and whence a page was read; equal records may differ in them.
from harvester.run.merge import PROVENANCE
from harvester.site_urls import ARCHIVE_URL

# A property test fails for a bad example, never for a slow one: no per-example deadline and no
# "too slow" health check, both timings that a busy machine would miss.
settings.register_profile("any-machine", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("any-machine")

ROOT = Path(__file__).resolve().parent.parent
# The bundled mirror, package data of `harvester` (harvester/mirror/bundled.py).
SITE = BUNDLED_MIRROR
# Variants laid out like SITE (same file ↔ URL mapping) that no crawl of the mirror reaches.
VARIANTS = ROOT / "fixtures" / "pages"
EXPECTED_CRAWL = ROOT / "fixtures" / "expected" / "crawl.json"
BASE = ARCHIVE_URL


def load_json(path: Path):
    return json.loads(path.read_text("utf-8"))


def expected_for(page: Path) -> Path:
    return page.with_name(page.name.removesuffix(".html") + ".expected.json")


def document_pages() -> list[Path]:
    return sorted((SITE / "document").glob("*.html"))


def listing_pages() -> list[Path]:
    return sorted(SITE.glob("search@*.html"))


def variant_pages(kind: str) -> list[Path]:
    """Pages of fixtures/pages/, each with its hand-checked expected file: `document` (Document
    records, as the mirror's document pages), `topics` (topic pages: the fields of the mirror's
    topic page) or `search` (listing pages: `total`, `document_urls`, `pager_urls` and
    `entries`, the rows as `{url, date, title, summary}`)."""
    if kind == "search":
        return sorted(VARIANTS.glob("search@*.html"))
    return sorted((VARIANTS / kind).glob("*.html"))


def all_document_pages() -> list[Path]:
    """The mirror's document pages and the document variants: every page with an expected
    Document record (or reject)."""
    return [*document_pages(), *variant_pages("document")]


def expected_documents() -> dict[str, tuple[str, dict]]:
    """Record ID → (page name, hand-checked record) for every valid page of the mirror."""
    found = {}
    for page in document_pages():
        expected = load_json(expected_for(page))
        if "reject" not in expected:
            found[expected["record_id"]] = (page.stem, expected)
    return found


def with_membership(expected: dict, topic: dict) -> dict:
    """A page's expected record once a topic crawl has added the topic's membership."""
    membership = {"slug": topic["slug"], "title": topic["title"]}
    want = {**expected, "topics": list(expected["topics"])}
    if membership["slug"] not in [t["slug"] for t in want["topics"]]:
        want["topics"].append(membership)
    return want


def url_of(page: Path) -> str:
    """The URL a mirror or variant file was saved from (the inverse of the mirror layout)."""
    root = VARIANTS if page.is_relative_to(VARIANTS) else SITE
    relative = page.relative_to(root).as_posix().removesuffix(".html")
    path, _, query = relative.partition("@")
    return f"{BASE}/{path}" + (f"?{query}" if query else "")


@pytest.fixture(scope="session")
def expected_crawl() -> dict:
    return load_json(EXPECTED_CRAWL)


HARVESTER = [sys.executable, "-m", "harvester.cli"]


def start_server(root: Path = SITE, *extra: str) -> tuple[subprocess.Popen, str]:
    """`harvester serve` on a free port, and the base URL it prints."""
    server = subprocess.Popen([*HARVESTER, "serve", str(root), "--port", "0", *extra],
                              stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    assert line.startswith("serving "), line
    return server, line.rsplit(" at ", 1)[1].strip()


@contextmanager
def served(root: Path = SITE, *extra: str) -> Iterator[str]:
    process, url = start_server(root, *extra)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(10)




def without_provenance(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in PROVENANCE}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


# -- a mirror served by this process ------------------------------------------------------------
def serve_here(root: Path = SITE, *, port: int = 0, delay: float = 0.0,
               faults: FaultPlan | None = None) -> ThreadingHTTPServer:
    """The mirror server on a thread of this process (port 0: a free one). It looks for a
    shutdown every 50 ms, so stopping it costs a test nothing (serve_forever's default is every
    half second)."""
    server = make_server(root, port=port, delay=delay, faults=faults)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    return server


def stop(server: ThreadingHTTPServer) -> None:
    """Stop a server of serve_here, letting go of any request it still holds."""
    faults = server.RequestHandlerClass.faults
    if isinstance(faults, HeldBack):
        faults.release()
    server.shutdown()
    server.server_close()


@contextmanager
def served_here(root: Path = SITE, *, delay: float = 0.0,
                faults: FaultPlan | None = None) -> Iterator[str]:
    """serve_here for the length of a block: its base URL."""
    server = serve_here(root, delay=delay, faults=faults)
    try:
        yield base_url(server)
    finally:
        stop(server)


class HeldBack(FaultPlan):
    """A fault plan that answers the first `answered` requests whose target matches `pattern`
    and holds every later one until `release()`.

    A crawl of it is surely mid-way, however fast or slow the machine is, for as long as the
    test needs: no delay has to be long enough, and no crawl can finish before its signal.
    `held` is set as the first request is held. The other requests, and `rules`, are served as
    FaultPlan serves them."""

    def __init__(self, pattern: str, answered: int, rules: list[Rule] | None = None) -> None:
        super().__init__(rules or [])
        self.pattern, self.answered = pattern, answered
        self.held, self.gate = threading.Event(), threading.Event()
        self.matched = 0
        self._count_lock = threading.Lock()

    def pick(self, target: str) -> Rule | None:
        if any(fnmatch.fnmatchcase(t, self.pattern) for t in (target, unquote(target))):
            with self._count_lock:
                self.matched += 1
                hold = self.matched > self.answered
            if hold:
                self.held.set()
                self.gate.wait()
        return super().pick(target)

    def wait_until_held(self, process: subprocess.Popen | None = None) -> None:
        """Block until a request is held (the crawl is mid-way); fail if `process` ends first.
        The timeout only keeps a broken crawl from hanging the suite."""
        for _ in range(1200):
            if self.held.wait(0.1):
                return
            assert process is None or process.poll() is None, "the crawl ended first"
        raise AssertionError("no request was held in 120 s")

    def release(self) -> None:
        self.gate.set()


# -- crawls shared by the whole session -------------------------------------------------------
@dataclass(frozen=True)
class SharedRun:
    """A published crawl that several modules read. Read it, never write to it: a test that
    crawls over it or edits it works on a copy (`shutil.copytree(out, ..., symlinks=True)`)."""

    out: Path  # the output folder: the run, `latest` and `state`
    stderr: str  # what the crawl printed

    @property
    def run(self) -> Path:
        return (self.out / "latest").resolve()


def bundled_crawl_command(url: str, out: Path, *extra: str) -> list[str]:
    """A topic crawl of the bundled mirror served at `url`, with a progress line every 0.1 s."""
    return [*HARVESTER, "crawl", "topic", *extra, "--base-url", url, "--out", str(out),
            "--public-base-url", BASE, "-s", "HARVESTER_PROGRESS_INTERVAL=0.1"]


def crawl_bundled(out: Path) -> str:
    """Crawl the bundled mirror (served by this process) into `out`; what the crawl printed."""
    with served_here() as url:
        result = subprocess.run(bundled_crawl_command(url, out), capture_output=True,
                                text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stderr


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


@pytest.fixture(scope="session")
def bundled_topic_run(tmp_path_factory) -> Iterator[SharedRun]:
    """A topic crawl of the bundled mirror, published into a fresh output folder."""
    yield from shared_run(tmp_path_factory, "bundled-topic", crawl_bundled)


@pytest.fixture(scope="session")
def bundled_topic_rerun(tmp_path_factory) -> Iterator[SharedRun]:
    """A second crawl like bundled_topic_run, on its own: for tests comparing two runs."""
    yield from shared_run(tmp_path_factory, "bundled-topic-again", crawl_bundled)
