"""The byte level of WARC and ARC files: a source opened once and read by offset (a WACZ member
stored without compression straight from the zip file; a file gzipped as one stream through its
decompressed bytes), and records walked one by one with damage found where it is, not read past.
Shared by the reader, `harvester validate` and the writer's recovery of a cut file."""

import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ARCIterator, WARCIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException
from warcio.utils import BUFF_SIZE

from harvester import interrupt
from harvester.sources.gzipstream import GzipStream
from harvester.terminal import printable

_MAX_WARCINFO = 1 << 20          # warcinfo fields are a few lines; never hold more than this
# A header line (WARC, ARC or HTTP) longer than this is not one: zeros, noise, a payload.
MAX_LINE = 1 << 20


class WarcReadError(Exception):
    """A damaged file: where it is, so a person can look, and what was wrong there."""

    def __init__(self, name: str, offset: int, reason: str) -> None:
        name, reason = printable(name), printable(reason)
        super().__init__(f"{name} at byte {offset}: {reason}")
        self.name, self.offset, self.reason = name, offset, reason


# What warcio raises on damage: its own errors and a few plain ones (AttributeError: a record
# cut before its WARC-Target-URI).
DAMAGE = (ArchiveLoadFailed, StatusAndHeadersParserException, zipfile.BadZipFile, zlib.error,
           EOFError, ValueError, AttributeError, TypeError)


@dataclass(frozen=True)
class WarcSource:
    path: Path             # the file on disk: .warc(.gz), .arc(.gz) or .wacz
    member: str | None     # a WACZ's zip member, e.g. "archive/data.warc.gz"
    name: str              # how its records are cited, e.g. "crawl.wacz/archive/data.warc.gz"
    size: int              # bytes on disk (a member's compressed size): progress goes up to it
    format: str = "warc"   # "warc" or "arc" (an ARC's records are read as WARC responses)
    # Gzipped as one stream, or in members that do not start at records: offsets are then in
    # the decompressed bytes, and reading one decompresses from a checkpoint (gzipstream.py).
    sequential: bool = False
    # The file's device, inode, size and modification time (sources/warcpaths.py).
    identity: str = ""


class OpenedSource:
    """A source opened once, read as its WARC bytes. A zip member stored without compression
    (the usual case in a WACZ) is read straight from the zip file, so seeking in it is as cheap
    as in a plain WARC; a deflated one goes through zipfile, which seeks by decompressing."""

    def __init__(self, source: WarcSource) -> None:
        self._file = open(source.path, "rb")  # noqa: SIM115 - closed by close()
        self._zip: zipfile.ZipFile | None = None
        self._inflated: Any = None
        self._start, self._size, self._pos = 0, source.size, 0
        try:
            if source.member:
                self._open_member(source.member)
        except (KeyError, struct.error, *DAMAGE) as exc:
            self.close()
            raise WarcReadError(source.name, 0, f"unreadable zip member ({exc})") from exc
        self._stream = GzipStream(_Compressed(self)) if source.sequential else None

    def _open_member(self, member: str) -> None:
        self._zip = zipfile.ZipFile(self._file)
        info = self._zip.getinfo(member)
        self._file.seek(info.header_offset)   # the data follows the member's local header
        name_length, extra_length = struct.unpack("<26xHH", self._file.read(30))
        self._start = info.header_offset + 30 + name_length + extra_length
        if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 1:
            self._inflated = self._zip.open(info)

    def stream_at(self, offset: int) -> Any:
        """A file reading the WARC's bytes from offset on (decompressed for a sequential one)."""
        if self._stream is not None:
            self._stream.seek(offset)
            return self._stream
        return self.bytes_at(offset)

    def bytes_at(self, offset: int) -> Any:
        """A file reading the source's bytes as stored, from offset on."""
        if self._inflated:
            self._inflated.seek(offset)
            return self._inflated
        self._pos = offset
        return self

    def tell(self) -> int:
        return self._pos

    def read(self, size: int = -1) -> bytes:
        left = max(0, self._size - self._pos)
        self._file.seek(self._start + self._pos)
        data = self._file.read(left if size is None or size < 0 else min(size, left))
        self._pos += len(data)
        return data

    def consumed(self) -> int:
        """Bytes of the source read so far (the zip's compressed bytes for a member)."""
        return min(self._size, max(0, self._file.tell() - self._start))

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
        self._file.close()


class _Compressed:
    """A source's stored bytes, for the gzip stream to seek in."""

    def __init__(self, opened: OpenedSource) -> None:
        self.stream_at = opened.bytes_at


class _StrictGzipReader(DecompressingBufferedReader):
    """Raises zlib.error at bad bytes inside a gzip member. warcio's own reader reports them on
    stderr and then reads on to the end of the file, block by block.

    Lines are read in time linear in their length and never beyond MAX_LINE (warcio's reader
    joins a long line piece by piece, in time quadratic in its length: a file of zeros took
    minutes), and every block read first looks whether a signal asked the run to stop."""

    def _decompress(self, data: bytes) -> bytes:
        if self.decompressor and data and self.num_block_read:
            return self.decompressor.decompress(data)
        return super()._decompress(data)

    def _process_read(self, data: bytes) -> None:
        interrupt.check()
        super()._process_read(data)

    def readline(self, length: int | None = None) -> bytes:
        wanted = None if length is None or length < 0 else length
        pieces: list[bytes] = []
        size = 0
        while wanted is None or size < wanted:
            self._fillbuff()
            if self.empty():
                break
            piece = self.buff.readline(-1 if wanted is None else wanted - size)
            pieces.append(piece)
            size += len(piece)
            if piece.endswith(b"\n"):
                break
            if size > MAX_LINE:
                raise ValueError(f"a line of more than {MAX_LINE} bytes (not a WARC or ARC "
                                 "header)")
        return b"".join(pieces)


class Records(WARCIterator):
    """WARC only: left to guess, warcio takes a line of binary garbage with four spaces in it
    for an ARC record header. With `check_digests`, each record's digests are checked against
    its bytes as it is read (`record.digest_checker.passed`)."""

    def __init__(self, stream: Any, check_digests: bool = False) -> None:
        super().__init__(stream, check_digests=check_digests)
        self.reader = _StrictGzipReader(self.fh, block_size=BUFF_SIZE)


class ArcRecords(ARCIterator):
    """ARC only, each record given as warcio converts it: a `response` with its HTTP headers
    (the file's header record as a `warcinfo`)."""

    def __init__(self, stream: Any, check_digests: bool = False) -> None:
        super().__init__(stream, arc2warc=True)
        self.reader = _StrictGzipReader(self.fh, block_size=BUFF_SIZE)


def records_of(stream: Any, file_format: str = "warc", check_digests: bool = False) -> Any:
    kind = ArcRecords if file_format == "arc" else Records
    return kind(stream, check_digests=check_digests)


def release(records: Any) -> None:
    """Let go of what a record iterator holds (its buffer of decompressed bytes, a whole
    page's when the page compresses well) as soon as its record is read: the iterator and its
    generator refer to each other, a cycle only a collection would free."""
    records.close()
    records.the_iter.close()


def reason_of(exc: BaseException) -> str:
    """What went wrong, on one printable line, without the bytes found there: warcio's
    messages quote a file's first line, which may be anything (a password, escapes)."""
    text = str(exc).split(", first line:")[0]
    return printable(" ".join(text.split())[:200]) or type(exc).__name__


def has_length(record: Any) -> bool:
    return (record.rec_headers.get_header("Content-Length") or "").strip().isdigit()


def _warc_fields(record: Any) -> dict[str, str]:
    """application/warc-fields: `name: value` lines, names lower-cased."""
    fields = {}
    for line in record.raw_stream.read(_MAX_WARCINFO).decode("utf-8", "replace").splitlines():
        name, colon, value = line.partition(":")
        if colon and name.strip():
            fields[name.strip().lower()] = value.strip()
    return fields


def _damage_of(records: Any, record: Any) -> str | None:
    """What is wrong with a record just walked, if anything."""
    decompressor = records.reader.decompressor
    if not has_length(record):
        return "record without a valid Content-Length"
    if getattr(record.raw_stream, "limit", 0) > 0:
        return "record cut short"
    if decompressor is not None and records.next_line:
        return "gzip member holds more than one record (members do not start at records here)"
    if decompressor is not None and not decompressor.eof:
        return "gzip member cut short"
    return None


def walk_records(stream: Any, name: str, file_format: str = "warc",
                 examine: Callable[[Any], None] | None = None, check_digests: bool = False,
                 ) -> Iterator[tuple[Any, int, int, dict[str, str] | None]]:
    """(record, offset, length, warcinfo fields) for each whole record, payloads skipped (or
    given to `examine` first, which raises ValueError on a payload it finds bad); a
    WarcReadError at the first damage, once the good records before it were given."""
    records = records_of(stream, file_format, check_digests)
    iterator = iter(records)
    while True:
        start = records.offset
        try:
            record = next(iterator)
            fields = _warc_fields(record) if record.rec_type == "warcinfo" else None
            warnings = records.err_count
            if examine is not None and fields is None:
                examine(record)
            records.read_to_end()
        except StopIteration:
            # warcio ends quietly where a record's headers are cut: bytes left unread say so
            if records.offset < records.fh.tell():
                raise WarcReadError(name, records.offset, "record cut short") from None
            return
        except DAMAGE as exc:
            raise WarcReadError(name, max(0, start), reason_of(exc)) from exc
        offset, length = records.get_record_offset(), records.get_record_length()
        damage = _damage_of(records, record)
        if damage:
            raise WarcReadError(name, offset, damage)
        if records.err_count > warnings:   # so its payload is not what its length says
            raise WarcReadError(name, offset, "no blank line after the record (its "
                                "Content-Length is wrong?)")
        yield record, offset, length, fields
