"""Paths of the bundled mirror and its hand-checked expected records."""

import json
from pathlib import Path

import pytest

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


def url_of(page: Path) -> str:
    """The URL a mirror file was saved from (the inverse of the mirror layout)."""
    relative = page.relative_to(SITE).as_posix().removesuffix(".html")
    path, _, query = relative.partition("@")
    return f"{BASE}/{path}" + (f"?{query}" if query else "")


@pytest.fixture(scope="session")
def expected_crawl() -> dict:
    return load_json(EXPECTED_CRAWL)
