"""WARC and ARC files any crawler made: one streamed index pass, and reading one record back at
its offset, its payload decoded (sources/payload.py). Files may be many gigabytes, so nothing here
holds a whole file or payload. Finding the files is sources/warcfind.py."""

import re
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from warcio.statusandheaders import StatusAndHeaders

from harvester import interrupt
from harvester.sources.content import ContentEncodingError
from harvester.sources.payload import RESOURCE, payload_of, resource_headers
from harvester.sources.warcstream import (
    DAMAGE,
    OpenedSource,
    WarcReadError,
    WarcSource,
    has_length,
    reason_of,
    records_of,
    release,
    walk_records,
)

_INDEXED_TYPES = ("response", "revisit", RESOURCE)
_NO_INFO: Mapping[str, str] = MappingProxyType({})
_HTTP = re.compile(r"<?https?:", re.IGNORECASE)   # dns:, whois: records hold no web page


@dataclass(frozen=True)
class IndexedRecord:
    offset: int            # where the record starts (in the member's own bytes for a WACZ,
                           # in the decompressed bytes for a file gzipped as one stream)
    rec_type: str          # "response", "revisit" or "resource" (no HTTP headers: a 200)
    target_uri: str
    date: str              # 14 digits, UTC
    status: int | None     # None for a revisit without HTTP headers
    mimetype: str | None   # lower-cased, without parameters
    digest: str | None     # WARC-Payload-Digest as written
    refers_to_uri: str | None
    refers_to_date: str | None
    truncated: str | None  # WARC-Truncated: the capture itself was cut
    warcinfo: Mapping[str, str] = field(hash=False, repr=False)   # one shared, read-only map
    # Whether the record's digests match its bytes (None: it states none, or it is a
    # revisit, whose payload digest is another record's).
    digest_verified: bool | None = None
    memento: str | None = None     # the HTTP answer's Memento-Datetime (a web archive's replay)


@dataclass(frozen=True)
class RecordBody:
    status: int | None
    headers: list[tuple[str, str]]   # the HTTP headers as written
    body: bytes                      # transfer and content encodings removed
    complete: bool                   # False: longer than max_size, or the record was cut

    def header_map(self) -> dict[str, str]:
        """The headers by lower-cased name, a repeated one's last value (as an Answer keeps
        them)."""
        return {name.lower(): value for name, value in self.headers}


def warc_date_digits(value: str | None) -> str:
    """`2024-01-15T09:30:00Z` or `…00.123456Z` → `20240115093000`."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return re.sub(r"\D", "", value)[:14]
    return (moment.astimezone(UTC) if moment.tzinfo else moment).strftime("%Y%m%d%H%M%S")


def _status(http: StatusAndHeaders | None) -> int | None:
    code = http.get_statuscode() if http else ""
    return int(code) if code.isdigit() else None


def _status_of(record: Any) -> int | None:
    """A resource record is the resource itself, as a 200 would have given it."""
    return 200 if record.rec_type == RESOURCE else _status(record.http_headers)


def _indexed(record: Any, offset: int, warcinfo: Mapping[str, str]) -> IndexedRecord:
    header = record.rec_headers.get_header
    http = record.http_headers
    resource = record.rec_type == RESOURCE
    content_type = header("Content-Type") if resource else (
        http.get_header("Content-Type") if http else None)
    mimetype = (content_type or "").split(";")[0].strip().lower() or None
    refers_to_date = header("WARC-Refers-To-Date")
    digest = header("WARC-Payload-Digest") or (header("WARC-Block-Digest") if resource else None)
    checker = getattr(record, "digest_checker", None)
    return IndexedRecord(
        offset=offset, rec_type=record.rec_type,
        target_uri=(header("WARC-Target-URI") or "").strip().removeprefix("<").removesuffix(">"),
        date=warc_date_digits(header("WARC-Date")), status=_status_of(record),
        mimetype=mimetype, digest=digest, refers_to_uri=header("WARC-Refers-To-Target-URI"),
        refers_to_date=warc_date_digits(refers_to_date) if refers_to_date else None,
        truncated=header("WARC-Truncated"), warcinfo=warcinfo,
        digest_verified=None if record.rec_type == "revisit" or checker is None
        else checker.passed,
        memento=http.get_header("Memento-Datetime") if http else None)


def index_records(source: WarcSource,
                  progress: Callable[[int], None] | None = None) -> Iterator[IndexedRecord]:
    """The HTTP responses and revisits of a source, in file order, from one streamed pass."""
    return (record for record in index_walk(source, progress) if record is not None)


def index_walk(source: WarcSource, progress: Callable[[int], None] | None = None,
               ) -> Iterator[IndexedRecord | None]:
    """index_records, with None for each record that is not indexed, so that a caller gets
    control back after every record whatever the file holds. Each record's digests are
    checked against its bytes as it is read."""
    opened = OpenedSource(source)
    try:
        by_id: dict[str, Mapping[str, str]] = {}
        latest, reported = _NO_INFO, -1
        for record, offset, _length, fields in walk_records(
                opened.stream_at(0), source.name, source.format, check_digests=True):
            header = record.rec_headers.get_header
            found = None
            if fields is not None:
                latest = MappingProxyType(fields)
                if header("WARC-Record-ID"):
                    by_id[header("WARC-Record-ID")] = latest
            elif record.rec_type in _INDEXED_TYPES and _HTTP.match(header("WARC-Target-URI") or ""):
                warcinfo = by_id.get(header("WARC-Warcinfo-ID") or "", latest)
                found = _indexed(record, offset, warcinfo)
            if progress:
                reported = max(reported, opened.consumed())
                progress(reported)
            yield found
        if progress and reported < source.size:
            progress(source.size)
    except interrupt.Interrupted as stopped:
        stopped.at = opened.consumed()
        raise
    finally:
        opened.close()


class WarcReader:
    """Reads records by offset, keeping the last few sources open: pages are read thousands at a
    time from the same files. Not for use from several threads at once."""

    def __init__(self, max_open: int = 8) -> None:
        self._max_open = max(1, max_open)
        self._open: OrderedDict[tuple[Path, str | None], OpenedSource] = OrderedDict()

    def read(self, source: WarcSource, offset: int, max_size: int) -> RecordBody:
        key = (source.path, source.member)
        opened = self._open.pop(key, None) or OpenedSource(source)
        self._open[key] = opened
        while len(self._open) > self._max_open:
            self._open.popitem(last=False)[1].close()
        records = records_of(opened.stream_at(offset), source.format)
        try:
            record = next(iter(records))
            if not record.rec_type or not has_length(record):   # blank lines parse as nothing
                raise StopIteration
            body, complete = payload_of(record, max_size)
        except ContentEncodingError as exc:   # the record is whole: its payload does not decode
            raise WarcReadError(source.name, offset, str(exc)) from exc
        except (StopIteration, *DAMAGE) as exc:
            self._open.pop(key).close()   # its stream may be in any state now
            nothing = isinstance(exc, StopIteration)
            reason = "no WARC record starts there" if nothing else reason_of(exc)
            raise WarcReadError(source.name, offset, reason) from exc
        finally:
            release(records)
        if record.rec_type == RESOURCE:
            return RecordBody(200, resource_headers(record), body, complete)
        headers = list(record.http_headers.headers) if record.http_headers else []
        return RecordBody(_status(record.http_headers), headers, body, complete)

    def close(self) -> None:
        while self._open:
            self._open.popitem()[1].close()

    def __enter__(self) -> "WarcReader":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def read_record(source: WarcSource, offset: int, max_size: int) -> RecordBody:
    """One record's HTTP answer, its payload decoded, at most max_size bytes of it."""
    with WarcReader(max_open=1) as reader:
        return reader.read(source, offset, max_size)
