"""Looking at one page or one run by hand: what `harvester parse` and `demo` print."""

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from harvester.items import to_record
from harvester.items.validation import problems
from harvester.pages.document import DocumentPage, MissingField
from harvester.pages.listing import ListingPage
from harvester.pages.person import PersonPage
from harvester.pages.topic import TopicPage
from harvester.run.manifest import summary
from harvester.site_urls import LISTING_PATH, PERSON_PAGE_PATH, TOPIC_INDEX_PATH
from harvester.utc import utc_iso


def page_type(url: str) -> str:
    path = urlsplit(url).path
    if path.startswith(TOPIC_INDEX_PATH + "/"):
        return "topic"
    if PERSON_PAGE_PATH.match(path):
        return "person"
    if path.startswith(LISTING_PATH):
        return "listing"
    return "document"


def parse_saved_page(file: Path, url: str, kind: str | None = None) -> tuple[dict, bool]:
    """(what the page yields, whether it is a valid record) for a saved page."""
    html = file.read_bytes()
    kind = kind or page_type(url)
    if kind == "topic":
        page = TopicPage.from_html(html, url)
        return {"slug": page.slug(), "url": url, "title": page.title(),
                "description": page.description(), "topic_id": page.topic_id(),
                "popular": page.popular(), "listing_urls": page.listing_urls()}, True
    if kind == "person":
        details = PersonPage.from_html(html, url).details()
        return details, details["name"] is not None
    if kind == "listing":
        listing = ListingPage.from_html(html, url)
        return {"total": listing.total(), "document_urls": listing.document_urls(),
                "pager_urls": listing.pager_urls(), "entries": listing.entries()}, True
    try:
        document = DocumentPage.from_html(html, url).record()
    except MissingField as missing:
        return {"reject": {"url": url, "reason": missing.reason, "field": missing.field}}, False
    document.retrieved_at = utc_iso()
    record = to_record(document)
    found = problems(record, "document")
    if found:
        field, message = found[0]
        return {"reject": {"url": url, "reason": f"schema: {message}", "field": field}}, False
    return record, True


def describe_run(run_dir: Path) -> str:
    manifest: dict[str, Any] = json.loads((run_dir / "manifest.json").read_text("utf-8"))
    lines = [f"run {manifest['run_id']} ({manifest['finish_reason']}): {summary(manifest)}"]
    lines += [f"  {run_dir.resolve() / name}" for name in manifest["files"]]
    return "\n".join(lines)
