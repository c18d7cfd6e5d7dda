"""The Wayback Machine's CDX server: the census queries, paged with resume keys, and what the
answers hold.

One prefix query per part of the site (documents, topics, listings), every capture listed: the
CDX server's `collapse` keeps the oldest row of a run and `page=` reads a less fresh index, so
neither is used. Paging goes by `showResumeKey`/`resumeKey`, and each key is saved with the rows
before it, so a killed census resumes at the next page.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from harvester.site_urls import DOCUMENT_PREFIX, LISTING_PATH, TOPIC_INDEX_PATH
from harvester.sources.captures import Capture, is_timestamp, normal_digest
from harvester.sources.urls import page_kind

FIELDS = ("timestamp", "original", "mimetype", "statuscode", "digest", "length")
# The census: one prefix query per part of the site.
PREFIXES = {"document": DOCUMENT_PREFIX, "topic": TOPIC_INDEX_PATH, "listing": LISTING_PATH}
REVISIT_MIMETYPE = "warc/revisit"


class CdxError(ValueError):
    """An answer of the CDX server that cannot be read as one."""


@dataclass(frozen=True)
class CdxPage:
    captures: list[Capture]
    resume_key: str | None       # where the next page starts; None when this was the last
    rows: int                    # rows in the answer, on the site or not
    unusable: int                # rows that are not captures of the site's pages


def query_url(wayback: str, site: str, prefix: str, limit: int, resume_key: str | None = None,
              captured_from: str | None = None, captured_to: str | None = None) -> str:
    host = urlsplit(site).netloc
    params: list[tuple[str, str]] = [
        ("url", f"{host}{prefix}"), ("matchType", "prefix"), ("output", "json"),
        ("fl", ",".join(FIELDS)), ("limit", str(limit)), ("showResumeKey", "true")]
    if captured_from:
        params.append(("from", captured_from))
    if captured_to:
        params.append(("to", captured_to))
    query = urlencode(params)
    if resume_key:
        # The server prints the key URL-encoded already: it goes back as it came.
        query += "&resumeKey=" + quote(resume_key, safe="%+")
    return f"{wayback.rstrip('/')}/cdx/search/cdx?{query}"


def replay_path(timestamp: str, original: str) -> str:
    """Where the raw capture is replayed, as the site sent it (`id_`: no rewritten links, no
    banner). Kept without the archive's address, so a run resumed against the same archive at
    another address (a stand-in restarted on another port) still finds it."""
    return f"/web/{timestamp}id_/{original}"


def read_page(body: bytes, canonical) -> CdxPage:
    """Captures of a JSON answer (a header row, rows, then `[]` and `[resume key]` when more
    remain). `canonical` maps a captured URL to the archive's form, or None off the site."""
    try:
        table = json.loads(body.decode("utf-8") or "[]")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CdxError(f"the CDX answer is not JSON ({error})") from None
    if not isinstance(table, list) or not all(isinstance(row, list) for row in table):
        raise CdxError("the CDX answer is not a JSON table")
    if not table:
        return CdxPage([], None, 0, 0)
    header, rows, resume_key = table[0], table[1:], None
    if len(rows) >= 2 and rows[-2] == [] and len(rows[-1]) == 1:
        resume_key, rows = str(rows[-1][0]), rows[:-2]
    missing = [name for name in FIELDS if name not in header]
    if missing:
        raise CdxError(f"the CDX answer lacks the fields {', '.join(missing)}")
    position = {name: header.index(name) for name in FIELDS}
    captures, unusable = [], 0
    for row in rows:
        capture = _capture(row, position, canonical) if len(row) == len(header) else None
        if capture is None:
            unusable += 1
        else:
            captures.append(capture)
    return CdxPage(captures, resume_key, len(rows), unusable)


def _capture(row: list, position: dict[str, int], canonical) -> Capture | None:
    timestamp, original = str(row[position["timestamp"]]), str(row[position["original"]])
    key = canonical(original)
    if key is None or not is_timestamp(timestamp):
        return None
    status_text = str(row[position["statuscode"]])
    mimetype = str(row[position["mimetype"]]) or None
    revisit = status_text == "-" or mimetype == REVISIT_MIMETYPE
    length = str(row[position["length"]])
    return Capture(location=replay_path(timestamp, original), key=key,
                   kind=page_kind(key), timestamp=timestamp, original=original,
                   status=int(status_text) if status_text.isdigit() else None,
                   mimetype=mimetype, digest=normal_digest(str(row[position["digest"]])),
                   length=int(length) if length.isdigit() else None, revisit=revisit)


def census_rows(captures: list[Capture]) -> Iterator[tuple[str, str, str]]:
    """(kind, year, status) of each capture, for `--list-captures`."""
    for capture in captures:
        status = "revisit" if capture.revisit else str(capture.status or "unknown")
        yield capture.kind, capture.timestamp[:4], status


class CensusFailures:
    """Census queries that failed, grouped by what went wrong: a reason every query shares
    (the archive refusing an excluded site) is said once, naming the queries."""

    def __init__(self) -> None:
        self.by_reason: dict[str, list[str]] = {}

    def add(self, query: str, reason: str) -> None:
        self.by_reason.setdefault(reason, []).append(query)

    def lines(self) -> list[str]:
        return [f"{', '.join(sorted(queries))}: {reason}"
                for reason, queries in sorted(self.by_reason.items())]
