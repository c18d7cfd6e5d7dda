"""Finding the WARC, ARC and WACZ files a run reads, and what each is: its format and how it is
gzipped, told from its first record. A file that cannot be read is named with its reason and
left out, so one bad file among good ones does not cost the run the others."""

import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from harvester.sources.content import CHUNK, GZIP_MAGIC
from harvester.sources.warcstream import (
    DAMAGE,
    OpenedSource,
    WarcReadError,
    WarcSource,
    reason_of,
    walk_records,
)

WARC_ENDINGS = (".warc", ".warc.gz", ".arc", ".arc.gz")
WANTED = (*WARC_ENDINGS, ".wacz")
_SNIFF = 64   # decompressed bytes enough to tell a WARC from an ARC


class WarcInputError(ValueError):
    """Paths given on the command line that hold no readable WARC or ARC."""


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
    raise WarcReadError(name, 0, f"neither a WARC nor an ARC file (it starts {head[:20]!r})")


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


def _members_of(file: Path, name: str) -> list[WarcSource]:
    """One source per archived WARC of a WACZ, which is a zip of them."""
    try:
        with zipfile.ZipFile(file) as wacz:
            members = sorted((info for info in wacz.infolist() if info.filename.startswith(
                "archive/") and info.filename.lower().endswith(WARC_ENDINGS)),
                key=lambda info: info.filename)
    except (zipfile.BadZipFile, OSError):
        members = []
    return [WarcSource(file, info.filename, f"{name}/{info.filename}", info.compress_size)
            for info in members]


def _sources_of(file: Path, name: str, inputs: WarcInputs) -> Iterator[WarcSource]:
    """The readable sources a file holds; the rest named in `inputs.unreadable`."""
    lower = file.name.lower()
    if lower.endswith(".wacz") or (not lower.endswith(WARC_ENDINGS) and zipfile.is_zipfile(file)):
        candidates = _members_of(file, name)
        if not candidates:
            inputs.unreadable.append(f"{name}: not a WACZ (no archive/*.warc* inside)")
    else:
        candidates = [WarcSource(file, None, name, file.stat().st_size)]
    for candidate in candidates:
        try:
            yield probe(candidate)
        except (WarcReadError, OSError, *DAMAGE) as exc:
            reason = exc if isinstance(exc, WarcReadError) else WarcReadError(
                candidate.name, 0, reason_of(exc))
            inputs.unreadable.append(str(reason))


def _named_in(given: str | Path) -> list[tuple[str, Path]]:
    """(name, file) for a path: a file as it is, a folder's WARC, ARC and WACZ files."""
    path = Path(given)
    if path.is_dir():
        named = sorted((file.relative_to(path).as_posix(), file) for file in path.rglob("*")
                       if file.is_file() and file.name.lower().endswith(WANTED))
        if not named:
            raise WarcInputError(f"no WARC, ARC or WACZ files in folder {given}")
        return named
    if path.is_file():
        return [(path.name, path)]
    raise WarcInputError(f"not found: {given}")


def find_warcs(paths: Sequence[str | Path]) -> WarcInputs:
    """Every readable source the paths name, in a stable order, so runs over the same input
    agree, and every unreadable file with its reason. WarcInputError for a path that is not
    there, or when not one file can be read."""
    inputs = WarcInputs()
    seen: set[Path] = set()
    for given in paths:
        for name, file in _named_in(given):
            if file.resolve() not in seen:
                seen.add(file.resolve())
                inputs.sources.extend(_sources_of(file, name, inputs))
    if not inputs.sources:
        if len(inputs.unreadable) == 1:
            raise WarcInputError(inputs.unreadable[0])
        raise WarcInputError(f"none of {len(inputs.unreadable)} files can be read: "
                             + "; ".join(inputs.unreadable))
    return inputs
