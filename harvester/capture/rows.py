"""A capture as web archives list it, what a source answered for one, and the record's
`capture` field that says where a record's page came from."""

import base64
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

SOURCES = ("live", "wayback", "warc")
_TIMESTAMP = re.compile(r"^\d{14}$")
_PARTIAL = re.compile(r"^\d{4}(\d{2}(\d{2})?)?$")


@dataclass(frozen=True)
class Capture:
    """One capture of one URL: what the CDX server or a WARC index says about it."""

    location: str           # where to get it: a replay path, or `<warc name>#<offset>`
    key: str                # the canonical URL (urls.canonical_url)
    kind: str               # urls.page_kind of the key
    timestamp: str          # 14 digits, UTC
    original: str           # the URL as captured
    status: int | None      # None for a revisit (it repeats another capture's answer)
    mimetype: str | None
    digest: str | None      # "sha1:<base32>"
    length: int | None = None
    revisit: bool = False


@dataclass
class Answer:
    """What a source gave back for a capture. `captured` is False when the web archive answered
    for itself (its nearest-capture redirect, "not archived") instead of replaying the capture."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)   # names lower-cased
    body: bytes = b""
    captured: bool = True
    complete: bool = True
    moved_to: str | None = None      # a captured redirect's target, as the original URL
    failure: str | None = None       # why the capture could not be read at all
    skipped_as: str | None = None    # the skip reason to count for that failure (default:
                                     # unreadable), e.g. over the size limit
    sent_digest: str | None = None   # of the payload as sent, before its codings were removed
    digest_checked: bool = False     # the source checked the capture's digest against it
    # What the source's parse, beside the fetch, made of the page (its reader's page and skip),
    # to be taken should the page be judged whole; None: the page is read when judged.
    parsed: tuple[Any, Any] | None = None


def timestamp_from(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def iso_from_timestamp(timestamp: str) -> str:
    """`20240115093000` → `2024-01-15T09:30:00Z`."""
    return (f"{timestamp[0:4]}-{timestamp[4:6]}-{timestamp[6:8]}T{timestamp[8:10]}:"
            f"{timestamp[10:12]}:{timestamp[12:14]}Z")


def is_timestamp(text: str) -> bool:
    return bool(_TIMESTAMP.match(text))


def check_partial_date(text: str, option: str) -> str:
    """`YYYY`, `YYYYMM` or `YYYYMMDD` as the CDX server takes them; a clear error otherwise."""
    text = text.strip()
    if not _PARTIAL.match(text):
        raise ValueError(f"{option} takes YYYY, YYYYMM or YYYYMMDD, got {text!r}")
    try:
        datetime.strptime(text + "0101"[len(text) - 4:], "%Y%m%d")
    except ValueError:
        raise ValueError(f"{option} is not a date: {text!r}") from None
    return text


def check_window(captured_from: str | None, captured_to: str | None) -> None:
    """A window that holds no time at all (`--captured-from` after `--captured-to`, each at
    its own precision) is refused: a run over it would read nothing and look complete."""
    shared = min(len(captured_from or ""), len(captured_to or ""))
    if shared and (captured_from or "")[:shared] > (captured_to or "")[:shared]:
        raise ValueError(f"--captured-from {captured_from} is after --captured-to "
                         f"{captured_to}: no capture can be in that window")


def in_window(timestamp: str, captured_from: str | None, captured_to: str | None) -> bool:
    """Inclusive at the precision given (`--captured-to 2024` takes all of 2024)."""
    if captured_from and timestamp[:len(captured_from)] < captured_from:
        return False
    return not (captured_to and timestamp[:len(captured_to)] > captured_to)


def sha1_digest(body: bytes) -> str:
    """The payload digest as WARC files and the CDX server write it."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


# The digest of an empty body, which every redirect and every empty answer shares.
EMPTY_DIGEST = sha1_digest(b"")


def payload_identity(capture: Capture) -> str | None:
    """The digest that tells this capture's answer apart from other captures', or None.

    Only an answer with a body worth parsing (a 2xx, or a revisit, with a body) is what its
    digest names. A redirect is told apart by where it goes, never by its body: redirects'
    bodies are mostly empty, so they share one digest (EMPTY_DIGEST) in the CDX index and in
    WARC files alike. An error's verdict depends on its status as much as on its body."""
    if not capture.digest or capture.digest == EMPTY_DIGEST:
        return None
    if capture.status is None or 200 <= capture.status < 300:
        return capture.digest
    return None


def answered_payload(answer: Answer) -> bool:
    """Whether a fetched answer was a body worth parsing, which its digest may stand for."""
    return answer.failure is None and answer.captured and 200 <= answer.status < 300 and \
        bool(answer.body)


def normal_digest(digest: str | None) -> str | None:
    """CDX rows give bare base32; WARC headers prefix the algorithm. One form for both."""
    if not digest or digest == "-":
        return None
    return digest if ":" in digest else f"sha1:{digest}"


def capture_field(source: str, timestamp: str, url: str, digest: str | None) -> dict:
    """The record's `capture`: which source, when the page was captured (or fetched), where
    (page URL, replay URL, or WARC file and offset), and its payload digest."""
    return {"source": source, "timestamp": iso_from_timestamp(timestamp), "url": url,
            "digest": digest}
