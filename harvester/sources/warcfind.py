"""What each WARC, ARC and WACZ file a run reads is: its format and how it is gzipped, told
from its first record. A file that cannot be read is named with its reason and left out, so
one bad file among good ones does not cost the run the others; nothing of its bytes is quoted.
A WACZ member is bounded in size and in how many times it inflates before it is opened.
Which files there are is sources/warcpaths.py."""

import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from harvester.sources.content import CHUNK, GZIP_MAGIC
from harvester.sources.warcpaths import WARC_ENDINGS, GivenFile, WarcInputError, given_files
from harvester.sources.warcstream import (
    DAMAGE,
    OpenedSource,
    WarcReadError,
    WarcSource,
    reason_of,
    walk_records,
)

_SNIFF = 64   # decompressed bytes enough to tell a WARC from an ARC
# A WACZ member's bounds before it is inflated (HARVESTER_WACZ_MAX_MEMBER_BYTES and
# HARVESTER_WACZ_MAX_RATIO): WACZ files store their WARCs (ratio 1); a deflated WARC of pages
# inflates some 5 to 20 times; a zip bomb a thousand times.
MAX_MEMBER_BYTES = 256 << 30
MAX_MEMBER_RATIO = 100.0

__all__ = ["WARC_ENDINGS", "MemberLimits", "WarcInputError", "WarcInputs", "find_warcs", "probe"]


@dataclass(frozen=True)
class MemberLimits:
    max_bytes: int = MAX_MEMBER_BYTES
    max_ratio: float = MAX_MEMBER_RATIO

    def problem(self, info: zipfile.ZipInfo) -> str | None:
        """Why a member is not opened (its sizes as the zip declares them, which also bound
        what inflating it gives), or None."""
        if info.file_size > self.max_bytes:
            return (f"{info.file_size} bytes, over HARVESTER_WACZ_MAX_MEMBER_BYTES "
                    f"{self.max_bytes}")
        if info.compress_type != zipfile.ZIP_STORED and \
                info.file_size > self.max_ratio * max(1, info.compress_size):
            return (f"{info.compress_size} bytes inflating to {info.file_size}, over "
                    f"HARVESTER_WACZ_MAX_RATIO {self.max_ratio:g}")
        return None


@dataclass
class WarcInputs:
    sources: list[WarcSource] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)   # "name…: reason", one per file


def _format_of(head: bytes, name: str) -> str:
    start = head.lstrip()
    if not start or start.startswith(b"WARC/"):
        return "warc"
    if start.startswith(b"filedesc://"):
        return "arc"
    raise WarcReadError(name, 0, "neither a WARC nor an ARC file (its first bytes are not a "
                                 "WARC or ARC header)")


def _first_record_reads(source: WarcSource) -> None:
    """The first record walks whole (or the file is empty); WarcReadError if not."""
    opened = OpenedSource(source)
    try:
        next(walk_records(opened.stream_at(0), source.name, source.format), None)
    finally:
        opened.close()


def probe(source: WarcSource) -> WarcSource:
    """The source with its format and gzip layout found; WarcReadError when even its first
    record cannot be read."""
    opened = OpenedSource(source)
    try:
        stored = opened.bytes_at(0).read(CHUNK)
        gzipped = stored.startswith(GZIP_MAGIC)
        try:
            head = zlib.decompressobj(31).decompress(stored, _SNIFF) if gzipped else stored
        except zlib.error as exc:
            raise WarcReadError(source.name, 0, f"not gzip ({exc})") from exc
    finally:
        opened.close()
    found = replace(source, format=_format_of(head[:_SNIFF], source.name))
    try:
        _first_record_reads(found)
        return found
    except WarcReadError:
        if not gzipped:
            raise
        whole = replace(found, sequential=True)   # one gzip stream, or members across records
        try:
            _first_record_reads(whole)
        except WarcReadError:
            pass
        else:
            return whole
        raise


def _members_of(given: GivenFile, inputs: WarcInputs,
                limits: MemberLimits) -> list[WarcSource]:
    """One source per archived WARC of a WACZ, which is a zip of them; a member over its
    bounds is named in `inputs.unreadable` and never opened."""
    try:
        with zipfile.ZipFile(given.path) as wacz:
            members = sorted((info for info in wacz.infolist() if info.filename.startswith(
                "archive/") and info.filename.lower().endswith(WARC_ENDINGS)),
                key=lambda info: info.filename)
    except (zipfile.BadZipFile, OSError):
        members = []
    sources = []
    for info in members:
        name = f"{given.name}/{info.filename}"
        problem = limits.problem(info)
        if problem is None:
            sources.append(WarcSource(given.path, info.filename, name, info.compress_size,
                                      identity=given.identity))
        else:
            inputs.unreadable.append(f"{name}: a zip member of {problem}, not opened")
    if not members:
        inputs.unreadable.append(f"{given.name}: not a WACZ (no archive/*.warc* inside)")
    return sources


def _sources_of(given: GivenFile, inputs: WarcInputs,
                limits: MemberLimits) -> Iterator[WarcSource]:
    """The readable sources a file holds; the rest named in `inputs.unreadable`."""
    lower = given.path.name.lower()
    if lower.endswith(".wacz") or (not lower.endswith(WARC_ENDINGS)
                                   and zipfile.is_zipfile(given.path)):
        candidates = _members_of(given, inputs, limits)
    else:
        candidates = [WarcSource(given.path, None, given.name, given.path.stat().st_size,
                                 identity=given.identity)]
    for candidate in candidates:
        try:
            yield probe(candidate)
        except (WarcReadError, OSError, *DAMAGE) as exc:
            reason = exc if isinstance(exc, WarcReadError) else WarcReadError(
                candidate.name, 0, reason_of(exc))
            inputs.unreadable.append(str(reason))


def find_warcs(paths: Sequence[str | Path], limits: MemberLimits | None = None) -> WarcInputs:
    """Every readable source the paths name, in a stable order, so runs over the same input
    agree, and every unreadable or refused file with its reason. WarcInputError for a path
    that is not there, or when not one file can be read."""
    given = given_files(paths)
    inputs = WarcInputs(unreadable=list(given.refused))
    for file in given.files:
        inputs.sources.extend(_sources_of(file, inputs, limits or MemberLimits()))
    if not inputs.sources:
        if len(inputs.unreadable) == 1:
            raise WarcInputError(inputs.unreadable[0])
        raise WarcInputError(f"none of {len(inputs.unreadable)} files can be read: "
                             + "; ".join(inputs.unreadable))
    return inputs
