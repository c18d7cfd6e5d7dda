"""The byte level of WARC files: a source opened once and read by offset (a WACZ member stored
without compression straight from the zip file), and records walked one by one with damage found
where it is, not read past. Shared by the reader and by the writer's recovery of a cut file."""

import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcio.archiveiterator import WARCIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException
from warcio.utils import BUFF_SIZE

_MAX_WARCINFO = 1 << 20          # warcinfo fields are a few lines; never hold more than this


class WarcReadError(Exception):
    """A damaged file: where it is, so a person can look, and what was wrong there."""

    def __init__(self, name: str, offset: int, reason: str) -> None:
        super().__init__(f"{name} at byte {offset}: {reason}")
        self.name, self.offset, self.reason = name, offset, reason


# What warcio raises on damage: its own errors and a few plain ones (AttributeError: a record
# cut before its WARC-Target-URI).
DAMAGE = (ArchiveLoadFailed, StatusAndHeadersParserException, zipfile.BadZipFile, zlib.error,
           EOFError, ValueError, AttributeError, TypeError)


@dataclass(frozen=True)
class WarcSource:
    path: Path             # the file on disk: .warc, .warc.gz or .wacz
    member: str | None     # a WACZ's zip member, e.g. "archive/data.warc.gz"
    name: str              # how its records are cited, e.g. "crawl.wacz/archive/data.warc.gz"
    size: int              # bytes on disk (a member's compressed size): progress goes up to it


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

    def _open_member(self, member: str) -> None:
        self._zip = zipfile.ZipFile(self._file)
        info = self._zip.getinfo(member)
        self._file.seek(info.header_offset)   # the data follows the member's local header
        name_length, extra_length = struct.unpack("<26xHH", self._file.read(30))
        self._start = info.header_offset + 30 + name_length + extra_length
        if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 1:
            self._inflated = self._zip.open(info)

    def stream_at(self, offset: int) -> Any:
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


class _StrictGzipReader(DecompressingBufferedReader):
    """Raises zlib.error at bad bytes inside a gzip member. warcio's own reader reports them on
    stderr and then reads on to the end of the file, block by block."""

    def _decompress(self, data: bytes) -> bytes:
        if self.decompressor and data and self.num_block_read:
            return self.decompressor.decompress(data)
        return super()._decompress(data)


class Records(WARCIterator):
    """WARC only: left to guess, warcio takes a line of binary garbage with four spaces in it
    for an ARC record header."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.reader = _StrictGzipReader(self.fh, block_size=BUFF_SIZE)


def reason_of(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


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


def walk_records(stream: Any, name: str) -> Iterator[tuple[Any, int, int, dict[str, str] | None]]:
    """(record, offset, length, warcinfo fields) for each whole record, payloads skipped; a
    WarcReadError at the first damage, once the good records before it were given."""
    records = Records(stream)
    iterator = iter(records)
    while True:
        start = records.offset
        try:
            record = next(iterator)
            fields = _warc_fields(record) if record.rec_type == "warcinfo" else None
            warnings = records.err_count
            records.read_to_end()
        except StopIteration:
            # warcio ends quietly where a record's headers are cut: bytes left unread say so
            if records.offset < records.fh.tell():
                raise WarcReadError(name, records.offset, "record cut short") from None
            return
        except DAMAGE as exc:
            raise WarcReadError(name, max(0, start), reason_of(exc)) from exc
        offset, length = records.get_record_offset(), records.get_record_length()
        decompressor = records.reader.decompressor
        if not has_length(record):
            raise WarcReadError(name, offset, "record without a valid Content-Length")
        if getattr(record.raw_stream, "limit", 0) > 0:
            raise WarcReadError(name, offset, "record cut short")
        if decompressor is not None and records.next_line:
            raise WarcReadError(name, offset, "gzip member holds more than one record (a WARC "
                                "gzipped as a whole cannot be read by offset)")
        if decompressor is not None and not decompressor.eof:
            raise WarcReadError(name, offset, "gzip member cut short")
        yield record, offset, length, fields
        if records.err_count > warnings:
            raise WarcReadError(name, offset + length,
                                "no blank lines after the record (wrong Content-Length?)")
