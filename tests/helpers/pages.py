"""Paths of the bundled mirror, the variant pages and their hand-checked expected records, and
the reading of the JSON and JSON Lines files the tests compare."""

import json
from pathlib import Path

from harvester.mirror.bundled import BUNDLED_MIRROR

# Fields that say when and whence a page was read; equal records may differ in them.
from harvester.run.merge import PROVENANCE
from harvester.site_urls import ARCHIVE_URL

ROOT = Path(__file__).resolve().parents[2]
# Real material nobody here wrote, kept beside the project where a machine has it
# (../shared/real-world/README.md); tests that read it skip, saying so, where it is absent.
REAL_WORLD = ROOT.parent / "shared" / "real-world"
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


def without_provenance(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in PROVENANCE}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def documents_by_id(out: Path) -> dict[str, dict]:
    """The documents of `out`'s latest run, by Record ID."""
    return {r["record_id"]: r for r in read_jsonl(out / "latest" / "documents.jsonl")}
