"""Paths of the bundled mirror and its hand-checked expected records."""

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# Fields that say when and whence a page was read; equal records may differ in them.
from harvester.state.merge import PROVENANCE

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "fixtures" / "site"
EXPECTED_CRAWL = ROOT / "fixtures" / "expected" / "crawl.json"
BASE = "https://digitalarchive.wilsoncenter.org"


def load_json(path: Path):
    return json.loads(path.read_text("utf-8"))


def expected_for(page: Path) -> Path:
    return page.with_name(page.name.removesuffix(".html") + ".expected.json")


def document_pages() -> list[Path]:
    return sorted((SITE / "document").glob("*.html"))


def listing_pages() -> list[Path]:
    return sorted(SITE.glob("search@*.html"))


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
    """The URL a mirror file was saved from (the inverse of the mirror layout)."""
    relative = page.relative_to(SITE).as_posix().removesuffix(".html")
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
