"""Every file of a synthetic mirror, in the layout `harvester serve` reads: pages under their
request's file name (`harvester/mirror/layout.py`), redirects, robots.txt, and the hidden
ground truth (`_model.jsonl.gz`, `_expected/*.jsonl`)."""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from harvester.mirror.layout import REDIRECTS_FILE, relative_file
from harvester_testkit.synth.expected import expected_records
from harvester_testkit.synth.model import MODEL_FILE, SiteModel
from harvester_testkit.synth.render_document import DocumentRenderer
from harvester_testkit.synth.render_lists import listing_pages, topic_index, topic_page
from harvester_testkit.synth.templates import ROBOTS_TXT

EXPECTED_DIR = "_expected"


@dataclass(frozen=True)
class SiteFile:
    path: str  # relative to the mirror's root
    body: bytes
    mtime: int  # for a page that changed; an unchanged page keeps the one it had
    is_document: bool = False


def page_file(target: str, body: bytes, mtime: int, is_document: bool = False) -> SiteFile:
    return SiteFile(str(relative_file(target)), body, mtime, is_document)


def jsonl(records: Iterable[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def site_files(site: SiteModel, changes: list[dict] | None = None,
               progress: Callable[[int, int], None] | None = None) -> Iterator[SiteFile]:
    """All files, documents first. `changes` (from `mutate`) adds `_expected/changes.jsonl`."""
    by_id = site.by_id()
    titles = {t.slug: t.title for t in site.topics}
    for done, document in enumerate(site.documents, 1):
        body = DocumentRenderer(document, by_id, titles).page()
        yield page_file(f"/document/{document.slug}", body, document.modified, True)
        if progress is not None:
            progress(done, len(site.documents))
    newest = site.newest_first()
    for target, body in listing_pages(site, newest, None):
        yield page_file(target, body, site.day)
    for topic in site.topics:
        members = [d for d in newest if topic.slug in d.topics]
        for target, body in listing_pages(site, members, topic):
            yield page_file(target, body, site.day)
        yield page_file(*topic_page(topic, members), site.day)
    yield page_file(*topic_index(site), site.day)
    yield SiteFile("robots.txt", ROBOTS_TXT.encode("utf-8"), site.day)
    yield SiteFile(REDIRECTS_FILE, redirects(site), site.day)
    yield from hidden_files(site, changes)


def redirects(site: SiteModel) -> bytes:
    """Old numeric URLs of the documents listings link that way: 301 to the slug."""
    rules = {f"/document/{d.record_id}": {"status": 301, "location": f"/document/{d.slug}"}
             for d in sorted(site.documents, key=lambda d: int(d.record_id))
             if d.look.get("listed-as") == "old-url"}
    return (json.dumps(rules, indent=2) + "\n").encode("utf-8")


def hidden_files(site: SiteModel, changes: list[dict] | None) -> Iterator[SiteFile]:
    documents, topics, rejects = expected_records(site)
    yield SiteFile(f"{EXPECTED_DIR}/documents.jsonl", jsonl(documents), site.day)
    yield SiteFile(f"{EXPECTED_DIR}/topics.jsonl", jsonl(topics), site.day)
    yield SiteFile(f"{EXPECTED_DIR}/rejects.jsonl", jsonl(rejects), site.day)
    if changes is not None:
        yield SiteFile(f"{EXPECTED_DIR}/changes.jsonl", jsonl(changes), site.day)
    yield SiteFile(MODEL_FILE, site.to_bytes(), site.day)
