"""WARC files any crawler made: finding them, one streamed index pass, and reading one record
back at its offset. Files may be many gigabytes, so nothing here holds a whole file or payload."""

import re
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import BUFF_SIZE

from harvester.sources.warcstream import (
    DAMAGE,
    OpenedSource,
    Records,
    WarcReadError,
    WarcSource,
    has_length,
    reason_of,
    walk_records,
)

_WARC_ENDINGS = (".warc", ".warc.gz")
_WANTED = (*_WARC_ENDINGS, ".wacz")
_INDEXED_TYPES = ("response", "revisit")
_NO_INFO: Mapping[str, str] = MappingProxyType({})
_HTTP = re.compile(r"<?https?:", re.IGNORECASE)   # dns:, whois: records hold no web page


class WarcInputError(ValueError):
    """A path given on the command line that holds no readable WARC."""


@dataclass(frozen=True)
class IndexedRecord:
    offset: int            # where the record starts (in the member's own bytes for a WACZ)
    rec_type: str          # "response" or "revisit"
    target_uri: str
    date: str              # 14 digits, UTC
    status: int | None     # None for a revisit without HTTP headers
    mimetype: str | None   # lower-cased, without parameters
    digest: str | None     # WARC-Payload-Digest as written
    refers_to_uri: str | None
    refers_to_date: str | None
    truncated: str | None  # WARC-Truncated: the capture itself was cut
    warcinfo: Mapping[str, str] = field(hash=False, repr=False)   # one shared, read-only map


@dataclass(frozen=True)
class RecordBody:
    status: int | None
    headers: list[tuple[str, str]]   # the HTTP headers as written
    body: bytes                      # transfer and content encodings removed
    complete: bool                   # False: longer than max_size, or the record was cut


def _sources_of(file: Path, name: str) -> list[WarcSource]:
    """One source for a WARC; one per archived WARC for a WACZ, which is a zip of them."""
    if file.name.lower().endswith(_WARC_ENDINGS):
        return [WarcSource(file, None, name, file.stat().st_size)]
    try:
        with zipfile.ZipFile(file) as wacz:
            members = sorted((info for info in wacz.infolist() if info.filename.startswith(
                "archive/") and info.filename.lower().endswith(_WARC_ENDINGS)),
                key=lambda info: info.filename)
    except (zipfile.BadZipFile, OSError):
        members = []
    if not members:
        raise WarcInputError(f"not a WACZ (no archive/*.warc* inside): {file}")
    return [WarcSource(file, info.filename, f"{name}/{info.filename}", info.compress_size)
            for info in members]


def find_warcs(paths: Sequence[str | Path]) -> list[WarcSource]:
    """Every WARC the paths name, in a stable order, so runs over the same input agree."""
    found: list[WarcSource] = []
    seen: set[tuple[Path, str | None]] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            named = sorted((file.relative_to(path).as_posix(), file) for file in path.rglob("*")
                           if file.is_file() and file.name.lower().endswith(_WANTED))
            if not named:
                raise WarcInputError(f"no WARC files in folder {given}")
        elif path.is_file():
            if not path.name.lower().endswith(_WANTED):
                raise WarcInputError(f"not a WARC, WARC.GZ or WACZ file: {given}")
            named = [(path.name, path)]
        else:
            raise WarcInputError(f"not found: {given}")
        for name, file in named:
            for source in _sources_of(file, name):
                key = (file.resolve(), source.member)
                if key not in seen:
                    seen.add(key)
                    found.append(source)
    return found


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


def _indexed(record: Any, offset: int, warcinfo: Mapping[str, str]) -> IndexedRecord:
    header = record.rec_headers.get_header
    http = record.http_headers
    content_type = http.get_header("Content-Type") if http else None
    mimetype = (content_type or "").split(";")[0].strip().lower() or None
    refers_to_date = header("WARC-Refers-To-Date")
    return IndexedRecord(
        offset=offset, rec_type=record.rec_type,
        target_uri=(header("WARC-Target-URI") or "").strip().removeprefix("<").removesuffix(">"),
        date=warc_date_digits(header("WARC-Date")), status=_status(http), mimetype=mimetype,
        digest=header("WARC-Payload-Digest"), refers_to_uri=header("WARC-Refers-To-Target-URI"),
        refers_to_date=warc_date_digits(refers_to_date) if refers_to_date else None,
        truncated=header("WARC-Truncated"), warcinfo=warcinfo)


def index_records(source: WarcSource,
                  progress: Callable[[int], None] | None = None) -> Iterator[IndexedRecord]:
    """The HTTP responses and revisits of a source, in file order, from one streamed pass."""
    opened = OpenedSource(source)
    try:
        by_id: dict[str, Mapping[str, str]] = {}
        latest, reported = _NO_INFO, -1
        for record, offset, _length, fields in walk_records(opened.stream_at(0), source.name):
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
            if found:
                yield found
        if progress and reported < source.size:
            progress(source.size)
    finally:
        opened.close()


def _payload(record: Any, max_size: int) -> tuple[bytes, bool]:
    """At most max_size bytes of the decoded payload, and whether that is all of it."""
    http = record.http_headers
    if http:   # warcio only knows these two spelt exactly so
        if (http.get_header("Transfer-Encoding") or "").strip().lower() == "chunked":
            http.replace_header("Transfer-Encoding", "chunked")
        if (http.get_header("Content-Encoding") or "").strip().lower() == "x-gzip":
            http.replace_header("Content-Encoding", "gzip")
    decoded, body = record.content_stream(), bytearray()
    while len(body) <= max_size:
        chunk = decoded.read(max_size + 1 - len(body))
        if not chunk:
            break
        body += chunk
    if len(body) > max_size:
        return bytes(body[:max_size]), False
    while record.raw_stream.read(BUFF_SIZE):   # what follows the decoded end: chunk trailers
        pass
    return bytes(body), getattr(record.raw_stream, "limit", 0) == 0


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
        try:
            record = next(iter(Records(opened.stream_at(offset))))
            if not record.rec_type or not has_length(record):   # blank lines parse as nothing
                raise StopIteration
            headers = list(record.http_headers.headers) if record.http_headers else []
            body, complete = _payload(record, max_size)
        except (StopIteration, *DAMAGE) as exc:
            self._open.pop(key).close()   # its stream may be in any state now
            nothing = isinstance(exc, StopIteration)
            reason = "no WARC record starts there" if nothing else reason_of(exc)
            raise WarcReadError(source.name, offset, reason) from exc
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
