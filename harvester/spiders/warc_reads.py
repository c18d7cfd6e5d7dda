"""How the `warc` spider asks for a record: a request the WARC handler answers from the files
(harvester/sources/warc_handler.py, on a thread of its own), a document's page parsed by a
parse worker beside it; what comes back is the capture's Answer, as a web archive's replay
would be. Records are read ahead of the choices (spiders/read_ahead.py), many in one request."""

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import scrapy

from harvester.capture.rows import Answer, Capture
from harvester.middlewares.parse_workers import (
    DOCUMENT_CAPTURE,
    DOCUMENT_CAPTURES,
    PARSED_CAPTURE,
    PARSED_CAPTURES,
)
from harvester.sources.warc_handler import (
    BATCH_READ,
    RECORD_BATCH,
    RECORD_READ,
    RECORDS_READ,
    RecordRead,
    RecordsRead,
    batch_url,
    record_url,
)
from harvester.sources.warcfiles import WarcReadError
from harvester.sources.warcstream import WarcSource
from harvester.spiders.base import failure_reason
from harvester.spiders.read_ahead import ReadAhead


class WarcReads(ReadAhead):
    """Mixin for WarcSpider (before CaptureSpider in its bases), which gives `file_record` and
    `location`."""

    if TYPE_CHECKING:
        def file_record(self, capture: Capture) -> tuple[WarcSource, int]: ...
        def location(self, capture: Capture, headers: dict[str, str]) -> str | None: ...

    def record_read(self, capture: Capture, max_size: int | None = None) -> RecordRead:
        """What to read for a capture: its record, and a revisit's payload (up to
        DOWNLOAD_MAXSIZE bytes of it, or `max_size`)."""
        revisited = self.ledger.payload_of(capture.digest, capture.key) \
            if capture.revisit else None
        own_source, own_offset = self.file_record(capture)
        payload_source, payload_offset = self.file_record(revisited) if revisited \
            else (None, 0)
        return RecordRead(own_source, own_offset, max_size or self.config.download_maxsize,
                          payload_source, payload_offset)

    def record_request(self, capture: Capture, callback: Callable, errback: Callable,
                       cb_kwargs: dict) -> scrapy.Request:
        meta = {RECORD_READ: self.record_read(capture), **ANSWERED_AS_CAPTURED}
        if capture.kind == "document":
            meta[DOCUMENT_CAPTURE] = capture
        return scrapy.Request(record_url(capture.location), callback, errback=errback,
                              dont_filter=True, meta=meta, cb_kwargs=cb_kwargs)

    def answer_from(self, response, capture: Capture) -> Answer:
        return self.answer_of(response.meta[RECORDS_READ], capture,
                              response.meta.get(PARSED_CAPTURE))

    def answer_of(self, read: RecordsRead, capture: Capture, parsed) -> Answer:
        head = read.head
        # The index kept only digests its records' bytes bear (spiders.warc_index).
        headers = head.header_map()
        return Answer(status=head.status or 0, headers=headers,
                      body=read.payload.body, complete=read.payload.complete,
                      moved_to=self.location(capture, headers), digest_checked=True,
                      parsed=parsed)

    def capture_request(self, capture: Capture, key: str) -> scrapy.Request:
        return self.record_request(capture, self.parse_capture, self.capture_failed,
                                   {"capture": capture, "key": key})

    def read_ahead_request(self, captures: list[Capture]) -> scrapy.Request:
        """One request for the records of captures read ahead together."""
        meta = {RECORD_BATCH: [self.record_read(capture, self.ahead_size)
                               for capture in captures],
                DOCUMENT_CAPTURES: [c if c.kind == "document" else None for c in captures],
                **ANSWERED_AS_CAPTURED}
        return scrapy.Request(batch_url([capture.location for capture in captures]),
                              self.read_ahead_answered, errback=self.read_ahead_failed,
                              dont_filter=True, meta=meta, cb_kwargs={"captures": captures})

    def read_ahead_answered(self, response, captures: list[Capture]) -> Iterator:
        parsed = response.meta.get(PARSED_CAPTURES) or [None] * len(captures)
        for capture, read, made in zip(captures, response.meta[BATCH_READ], parsed,
                                       strict=True):
            answer = unreadable_record(read) if isinstance(read, WarcReadError) \
                else self.answer_of(read, capture, made)
            yield from self.read_ahead_done(capture, answer)

    def parse_capture(self, response, capture: Capture, key: str) -> Iterator:
        yield from self.proceed(key, self.answer_from(response, capture))
        yield from self.advance()

    def capture_failed(self, failure) -> Iterator:
        """A damaged record is a capture that cannot be read: its URL goes on to older ones.
        Anything else failing is the run's to report."""
        kwargs = failure.request.cb_kwargs
        if not failure.check(WarcReadError):
            self.walk.close(kwargs["key"])
            self.run.incomplete(f"{kwargs['capture'].location}: {failure_reason(failure)}")
            return
        yield from self.proceed(kwargs["key"], unreadable(failure))
        yield from self.advance()

    def read_ahead_failed(self, failure) -> Iterator:
        """Reads ahead that failed together (a damaged record fails only its own capture, in
        the answer) are forgotten, and a choice waiting for one asks for the record itself."""
        for capture in failure.request.cb_kwargs["captures"]:
            self.reading.discard(capture.location)
            key = self.waiting.pop(capture.location, None)
            if key is not None:
                yield self.capture_request(capture, key)


# What a record request carries besides what to read: the captured answer, whatever its status.
ANSWERED_AS_CAPTURED = {"dont_redirect": True, "handle_httpstatus_all": True}


def unreadable(failure) -> Answer:
    return unreadable_record(failure.value)


def unreadable_record(damage: WarcReadError) -> Answer:
    return Answer(status=0, captured=True, failure=str(damage))
