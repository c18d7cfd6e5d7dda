"""What a web archive's index or a WARC file is trusted to say, in one place (docs/SOURCES.md,
"What is trusted"). Both archival sources ask these rules; a claim that fails one is refused
and counted with the reason named here, never silently believed nor silently dropped.

- A capture of the archive is a record whose target is on the archive's host, or a replay
  (`/web/<timestamp>id_/<URL>`) on a web archive the run was told about: any other replay
  path is another site's page.
- A capture time comes from the index (the CDX row, a replay's path) or `WARC-Date`; it is a
  real date, not before 1996 (nothing was archived earlier) and not after the run's start,
  and it agrees with the answer's own `Memento-Datetime` where both exist.
- A payload digest stands for a payload only once the payload's bytes were seen to have it.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from harvester.capture.rows import (
    is_timestamp,
    iso_from_timestamp,
    sha1_digest,
    timestamp_from,
)
from harvester.sources.urls import same_site

# The Internet Archive began capturing the web in 1996: no capture of any site is older.
EARLIEST_CAPTURE = "19960101000000"

# Why a capture time is refused (counted by these in the manifest).
NOT_A_TIMESTAMP = "capture time is not 14 digits"
NOT_A_DATE = "capture time is not a date"
BEFORE_ARCHIVES = "capture time before 1996"
AFTER_START = "capture time after the run's start"
# Why a record of a WARC file is not a capture of the archive.
UNTOLD_ARCHIVE = "replay on a web archive the run was not told about"
# A digest that is not its payload's: kept from merging anything.
DIGEST_MISMATCH = "payload digest does not match the payload"

_REPLAY = re.compile(r"^/web/(\d{1,14})(?:[a-z]{2}_)?/(.+)$", re.DOTALL)


def capture_time_problem(timestamp: str, run_start: str) -> str | None:
    """Why a capture time cannot be true (one of the reasons above), or None.
    `run_start` is the run's start as 14 digits."""
    if not is_timestamp(timestamp):
        return NOT_A_TIMESTAMP
    try:
        datetime.strptime(timestamp, "%Y%m%d%H%M%S")
    except ValueError:
        return NOT_A_DATE
    if timestamp < EARLIEST_CAPTURE:
        return BEFORE_ARCHIVES
    if timestamp > run_start:
        return AFTER_START
    return None


def memento_problem(timestamp: str, headers: Mapping[str, str]) -> str | None:
    """Why an answer's `Memento-Datetime` (headers named in lower case) contradicts the time
    the index gave its capture, or None when it agrees or is absent. The Wayback Machine
    replays a capture asked for at its exact time with that time, to the second
    (wayback-recordings/test_get_memento*.txt)."""
    said = headers.get("memento-datetime")
    if said is None:
        return None
    try:
        moment = parsedate_to_datetime(said)
    except (TypeError, ValueError, IndexError):
        return f"Memento-Datetime {said[:60]!r} is not a date; the index says " \
               f"{iso_from_timestamp(timestamp)}"
    stamp = timestamp_from(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    if stamp == timestamp:
        return None
    return f"Memento-Datetime {iso_from_timestamp(stamp)}, the index " \
           f"{iso_from_timestamp(timestamp)}"


def digest_matches(digest: str | None, bodies: Iterable[bytes]) -> bool:
    """Whether the claimed SHA-1 digest is that of one of these renderings of the payload
    (as sent, and with its content codings removed)."""
    return bool(digest) and any(sha1_digest(body) == digest for body in bodies)


def replay_parts(url: str) -> tuple[str, str] | None:
    """(original URL, timestamp digits) of a URL shaped as a web archive's replay, whatever its
    host; None for any other URL."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    match = _REPLAY.match(target)
    if match is None:
        return None
    # Some servers collapse the double slash of the embedded scheme.
    original = re.sub(r"^(https?):/(?!/)", r"\1://", match.group(2))
    return original, match.group(1)


@dataclass(frozen=True)
class WebArchives:
    """The web archives a run was told about (`--wayback-url`, or a proven harvester WARC of a
    wayback run): only their replay paths are captures of another URL."""

    bases: frozenset[str] = frozenset()

    @classmethod
    def of(cls, urls: Iterable[str]) -> "WebArchives":
        return cls(frozenset(url for url in urls if url))

    def with_archive(self, url: str) -> "WebArchives":
        return WebArchives(self.bases | {url})

    def knows(self, url: str) -> bool:
        """Whether the URL is on one of them (in any spelling of its host: `www.`, the
        default port of either scheme)."""
        return any(same_site(url, base) for base in self.bases)

    def replay_of(self, url: str) -> tuple[str, str] | None:
        """(original URL, 14-digit timestamp) of a replay on a web archive told about; None
        for anything else, a replay path on any other host included."""
        parts = replay_parts(url)
        if parts is None or not self.knows(url) or not is_timestamp(parts[1]):
            return None
        return parts
