"""The synthetic mirror the testkit tests generate, and what they read from it: its files and
their mtimes, its hidden ground truth, the records the real parser gets from its pages, and its
listings followed page by page."""

import hashlib
import json
import re
import shutil
from pathlib import Path

from harvester.inspect import parse_saved_page
from harvester.mirror.layout import relative_file
from harvester.pages.listing import ListingPage
from tests.helpers.pages import BASE, without_provenance

DOCUMENTS, TOPICS, SEED = 60, 4, 1
KIM = "conversations-kim-il-sung"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and mtime, by path."""
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for name, (body, mtime) in tree(root).items():
        digest.update(f"{name}\0{mtime}\0".encode() + hashlib.sha256(body).digest())
    return digest.hexdigest()


def page_path(mirror: Path, url: str) -> Path:
    return mirror / str(relative_file(url.removeprefix(BASE)))



def parse_every_document_page(mirror: Path) -> tuple[dict[str, dict], list[dict]]:
    records, rejects = {}, []
    for page in sorted((mirror / "document").glob("*.html")):
        url = f"{BASE}/document/{page.stem}"
        result, ok = parse_saved_page(page, url)
        if ok:
            records[result["record_id"]] = without_provenance(result)
        else:
            rejects.append({"url": url, "field": result["reject"]["field"]})
    return records, rejects


def assert_pages_give_the_expected_records(mirror: Path) -> None:
    records, rejects = parse_every_document_page(mirror)
    documents = read_jsonl(mirror / "_expected" / "documents.jsonl")
    assert [records[d["record_id"]] for d in documents] == documents
    assert sorted(records) == sorted(d["record_id"] for d in documents)
    assert sorted(rejects, key=lambda r: r["url"]) == read_jsonl(
        mirror / "_expected" / "rejects.jsonl")



def walk_list(mirror: Path, first_url: str) -> tuple[list[int | None], list[str]]:
    """(counter of each page, document links in order) following the pager's next pages."""
    totals, links, url, seen = [], [], first_url, set()
    while url is not None and url not in seen:
        seen.add(url)
        page = ListingPage.from_html(page_path(mirror, url).read_bytes(), url)
        totals.append(page.total())
        links += page.document_urls()
        later = [u for u in page.pager_urls() if u not in seen]
        url = min(later, key=lambda u: int(re.search(r"page=(\d+)", u)[1])) if later else None
    return totals, links


def expected_records(mirror: Path) -> tuple[list[dict], ...]:
    """The mirror's hidden ground truth: its documents, topics and rejects."""
    folder = mirror / "_expected"
    return tuple(read_jsonl(folder / f"{name}.jsonl")
                 for name in ("documents", "topics", "rejects"))


def copy_of(mirror: Path, tmp_path: Path) -> Path:
    """A copy of the mirror a test may change, in `tmp_path/site`."""
    return Path(shutil.copytree(mirror, tmp_path / "site"))


def published_records(out: Path) -> tuple[list[dict], list[dict], list[dict]]:
    """Documents (without when they were read), topics and rejects of `out`'s latest run."""
    latest = out / "latest"
    return ([without_provenance(r) for r in read_jsonl(latest / "documents.jsonl")],
            read_jsonl(latest / "topics.jsonl"), read_jsonl(latest / "rejects.jsonl"))
