"""Records of WARC, ARC and WACZ files fetched as Scrapy fetches pages: a download handler for
the `warc-record:` scheme, so that a record is asked for by a request and answered by the
download layer, read on a thread of its own while the reactor goes on.

A request names what to read in its meta (`RecordRead`): the capture's own record and, for a
revisit, the record holding the payload it repeats. The answer's status is the captured one
and its body the captured payload with its codings removed; the records as read travel in
`response.meta[RECORDS_READ]`, a damaged record fails the request with its WarcReadError.

A request may also name several captures to read together (`RECORD_BATCH`, what is read ahead
of the choices): one request through the engine for many records, whose answer carries each
one's `RecordsRead`, or the WarcReadError that damaged it, in `response.meta[BATCH_READ]`.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import quote

from scrapy.http import Response

from harvester.settings.profiles import WARC_SCHEME
from harvester.sources.warcfiles import RecordBody, WarcReader, WarcReadError, WarcSource

# Request meta: what to read (RecordRead); response meta: what was read (RecordsRead).
RECORD_READ = "warc_record_read"
RECORDS_READ = "warc_records_read"
# Request meta: captures read together (list[RecordRead]); response meta: what each came to.
RECORD_BATCH = "warc_record_batch"
BATCH_READ = "warc_batch_read"


@dataclass(frozen=True)
class RecordRead:
    """A capture's record, and the record of the payload it repeats when it is a revisit."""

    source: WarcSource
    offset: int
    max_size: int
    payload_source: WarcSource | None = None
    payload_offset: int = 0


@dataclass(frozen=True)
class RecordsRead:
    own: RecordBody
    payload: RecordBody     # the own record when it holds its payload

    @property
    def head(self) -> RecordBody:
        """The record whose status line and headers are the answer's: the capture's own, or
        for a revisit that has none, its payload's."""
        return self.own if self.own.status is not None else self.payload

    def content_type(self) -> str | None:
        return self.head.header_map().get("content-type")


def record_url(location: str) -> str:
    """The request URL of a capture at `<file name>#<offset>`: one per record, and readable in
    a log."""
    name, _, offset = location.rpartition("#")
    return f"{WARC_SCHEME}://file/{quote(name)}/{offset}"


def batch_url(locations: list[str]) -> str:
    """The request URL of captures read together: the first's, and how many follow it."""
    return f"{record_url(locations[0])}+{len(locations) - 1}"


def read_records(reader: WarcReader, wanted: RecordRead) -> RecordsRead:
    own = reader.read(wanted.source, wanted.offset, wanted.max_size)
    if wanted.payload_source is None:
        return RecordsRead(own, own)
    return RecordsRead(own, reader.read(wanted.payload_source, wanted.payload_offset,
                                        wanted.max_size))


def read_batch(reader: WarcReader, batch: list[RecordRead]) -> list[RecordsRead | WarcReadError]:
    """Each capture's records, or the damage that keeps them from being read: one damaged
    record costs only its own capture."""
    read: list[RecordsRead | WarcReadError] = []
    for wanted in batch:
        try:
            read.append(read_records(reader, wanted))
        except WarcReadError as damaged:
            read.append(damaged)
    return read


class WarcRecordHandler:
    """One reading thread: records are read one after another from files kept open, as the
    reader is not for several threads; decompressing them leaves the reactor's thread free."""

    lazy = False

    def __init__(self) -> None:
        self.reader = WarcReader()
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="warc-read")

    @classmethod
    def from_crawler(cls, crawler) -> "WarcRecordHandler":
        return cls()

    async def download_request(self, request) -> Response:
        if (batch := request.meta.get(RECORD_BATCH)) is not None:
            request.meta[BATCH_READ] = await asyncio.wrap_future(
                self.thread.submit(read_batch, self.reader, batch))
            return Response(request.url, status=200, request=request)
        wanted: RecordRead = request.meta[RECORD_READ]
        read = await asyncio.wrap_future(self.thread.submit(read_records, self.reader, wanted))
        request.meta[RECORDS_READ] = read
        content_type = read.content_type()
        return Response(request.url, status=read.head.status or 0, body=read.payload.body,
                        headers=None if content_type is None else {"Content-Type": content_type},
                        request=request)

    async def close(self) -> None:
        self.thread.submit(self.reader.close).result()
        self.thread.shutdown()
