"""The harvester's one UTC format, `2026-12-07T15:18:56Z`, in records, the state, manifests and
the data package; and the compact stamp that names runs and set-aside files."""

from datetime import UTC, datetime

ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
COMPACT_FORMAT = "%Y%m%dT%H%M%SZ"


def utc_iso(moment: datetime | None = None) -> str:
    """`moment` (now when None) in the one format, to the second."""
    return (moment or datetime.now(UTC)).strftime(ISO_FORMAT)


def parse_utc_iso(text: str) -> datetime:
    """A time written by `utc_iso` (or any ISO 8601 time with an offset) as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def compact_utc(moment: datetime | None = None) -> str:
    """`20261207T151856Z`: sortable, and safe in a file name."""
    return (moment or datetime.now(UTC)).strftime(COMPACT_FORMAT)
