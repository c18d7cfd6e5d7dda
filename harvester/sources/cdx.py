"""The Wayback Machine's CDX server: the census queries, paged with resume keys, and what the
answers hold.

One prefix query per part of the site (documents, topics, listings), every capture listed: the
CDX server's `collapse` keeps the oldest row of a run and `page=` reads a less fresh index, so
neither is used. Paging goes by `showResumeKey`/`resumeKey`, and each key is saved with the rows
before it, so a killed census resumes at the next page.
"""

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode, urlsplit

from harvester.capture.rows import Capture, normal_digest
from harvester.site_urls import DOCUMENT_PREFIX, LISTING_PATH, TOPIC_INDEX_PATH
from harvester.sources.trust import capture_time_problem
from harvester.sources.urls import page_kind

FIELDS = ("timestamp", "original", "mimetype", "statuscode", "digest", "length")
# The census: one prefix query per part of the site.
PREFIXES = {"document": DOCUMENT_PREFIX, "topic": TOPIC_INDEX_PATH, "listing": LISTING_PATH}
REVISIT_MIMETYPE = "warc/revisit"
# Scrapy drops a request whose URL is longer (URLLENGTH_LIMIT's default, browsers' limit): a
# row naming a longer URL can never be replayed.
MAX_URL = 2083
# Why a census row is not read (counted by these in the manifest, `source.refused_rows`).
WRONG_FIELDS = "wrong number of fields"
NOT_ON_SITE = "not a URL of the site"
URL_TOO_LONG = f"URL longer than {MAX_URL:,} characters"
BAD_STATUS = "status is not an HTTP status"


class CdxError(ValueError):
    """An answer of the CDX server that cannot be read as one."""


@dataclass(frozen=True)
class CdxPage:
    captures: list[Capture]
    resume_key: str | None       # where the next page starts; None when this was the last
    rows: int                    # rows in the answer, read or not
    refused: Counter = field(default_factory=Counter)   # rows not read, by reason

    @property
    def unusable(self) -> int:
        """Rows that are not captures of the site's pages."""
        return self.refused[NOT_ON_SITE]


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


def _table(body: bytes) -> list:
    try:
        table = json.loads(body.decode("utf-8") or "[]")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CdxError(f"the CDX answer is not JSON ({error})") from None
    except RecursionError:
        raise CdxError("the CDX answer is nested too deeply to be a table") from None
    if not isinstance(table, list) or not all(isinstance(row, list) for row in table):
        raise CdxError("the CDX answer is not a JSON table")
    return table


def read_page(body: bytes, canonical, run_start: str) -> CdxPage:
    """Captures of a JSON answer (a header row, rows, then `[]` and `[resume key]` when more
    remain). `canonical` maps a captured URL to the archive's form, or None off the site;
    `run_start` (14 digits) bounds the capture times believed. Rows that cannot be captures
    are counted by reason; an answer that is not such a table is a CdxError."""
    table = _table(body)
    if not table:
        return CdxPage([], None, 0)
    header, rows, resume_key = table[0], table[1:], None
    if len(rows) >= 2 and rows[-2] == [] and len(rows[-1]) == 1:
        resume_key, rows = str(rows[-1][0]), rows[:-2]
    missing = [name for name in FIELDS if name not in header]
    if missing:
        raise CdxError(f"the CDX answer lacks the fields {', '.join(missing)}")
    position = {name: header.index(name) for name in FIELDS}
    captures: list[Capture] = []
    refused: Counter[str] = Counter()
    for row in rows:
        found = _capture(row, position, canonical, run_start) if len(row) == len(header) \
            else WRONG_FIELDS
        if isinstance(found, str):
            refused[found] += 1
        else:
            captures.append(found)
    return CdxPage(captures, resume_key, len(rows), refused)


def _capture(row: list, position: dict[str, int], canonical,
             run_start: str) -> Capture | str:
    """The row's capture, or why it is not one."""
    timestamp, original = str(row[position["timestamp"]]), str(row[position["original"]])
    if len(original) > MAX_URL:
        return URL_TOO_LONG
    if (problem := capture_time_problem(timestamp, run_start)) is not None:
        return problem
    key = canonical(original)
    status_text = str(row[position["statuscode"]])
    if key is None:
        return NOT_ON_SITE
    if status_text != "-" and not (status_text.isdigit() and 100 <= int(status_text) <= 599):
        return BAD_STATUS
    mimetype = str(row[position["mimetype"]]) or None
    length = str(row[position["length"]])
    return Capture(location=replay_path(timestamp, original), key=key,
                   kind=page_kind(key), timestamp=timestamp, original=original,
                   status=int(status_text) if status_text.isdigit() else None,
                   mimetype=mimetype, digest=normal_digest(str(row[position["digest"]])),
                   length=int(length) if length.isdigit() else None,
                   revisit=status_text == "-" or mimetype == REVISIT_MIMETYPE)


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
