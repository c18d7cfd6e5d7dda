"""How the `warc` spider asks for a record: a request the WARC handler answers from the files
(harvester/sources/warc_handler.py, on a thread of its own), a document's page parsed by a
parse worker beside it; what comes back is the capture's Answer, as a web archive's replay
would be. Records are read ahead of the choices (spiders/read_ahead.py)."""

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import scrapy

from harvester.capture.rows import Answer, Capture
from harvester.middlewares.parse_workers import DOCUMENT_CAPTURE, PARSED_CAPTURE
from harvester.sources.warc_handler import (
    RECORD_READ,
    RECORDS_READ,
    RecordRead,
    RecordsRead,
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

    def record_request(self, capture: Capture, callback: Callable, errback: Callable,
                       cb_kwargs: dict) -> scrapy.Request:
        revisited = self.ledger.payload_of(capture.digest, capture.key) \
            if capture.revisit else None
        own_source, own_offset = self.file_record(capture)
        payload_source, payload_offset = self.file_record(revisited) if revisited \
            else (None, 0)
        meta = {RECORD_READ: RecordRead(own_source, own_offset, self.config.download_maxsize,
                                        payload_source, payload_offset),
                "dont_redirect": True, "handle_httpstatus_all": True}
        if capture.kind == "document":
            meta[DOCUMENT_CAPTURE] = capture
        return scrapy.Request(record_url(capture.location), callback, errback=errback,
                              dont_filter=True, meta=meta, cb_kwargs=cb_kwargs)

    def answer_from(self, response, capture: Capture) -> Answer:
        read: RecordsRead = response.meta[RECORDS_READ]
        head = read.head
        # The index kept only digests its records' bytes bear (spiders.warc_index).
        headers = head.header_map()
        return Answer(status=head.status or 0, headers=headers,
                      body=read.payload.body, complete=read.payload.complete,
                      moved_to=self.location(capture, headers), digest_checked=True,
                      parsed=response.meta.get(PARSED_CAPTURE))

    def capture_request(self, capture: Capture, key: str, kind: str, context: str | None,
                        chooser) -> scrapy.Request:
        return self.record_request(capture, self.parse_capture, self.capture_failed, {
            "capture": capture, "key": key, "kind": kind, "context": context,
            "chooser": chooser})

    def read_ahead_request(self, capture: Capture) -> scrapy.Request:
        return self.record_request(capture, self.read_ahead_answered, self.read_ahead_failed,
                                   {"capture": capture})

    def parse_capture(self, response, capture: Capture, key: str, kind: str,
                      context: str | None, chooser) -> Iterator:
        self.walk.in_flight -= 1
        yield from self.proceed(key, kind, context, chooser, self.answer_from(response, capture))
        yield from self.advance()

    def capture_failed(self, failure) -> Iterator:
        """A damaged record is a capture that cannot be read: its URL goes on to older ones.
        Anything else failing is the run's to report."""
        self.walk.in_flight -= 1
        kwargs = failure.request.cb_kwargs
        if not failure.check(WarcReadError):
            self.walk.choosing.discard(kwargs["key"])
            self.run.incomplete(f"{kwargs['capture'].location}: {failure_reason(failure)}")
            return
        yield from self.proceed(kwargs["key"], kwargs["kind"], kwargs["context"],
                                kwargs["chooser"], unreadable(failure))
        yield from self.advance()

    def read_ahead_failed(self, failure) -> Iterator:
        """A damaged record read ahead is answered as such; a read that failed otherwise is
        forgotten, and a choice waiting for it asks for the record itself."""
        capture = failure.request.cb_kwargs["capture"]
        if failure.check(WarcReadError):
            yield from self.read_ahead_done(capture, unreadable(failure))
            return
        self.reading.discard(capture.location)
        step = self.waiting.pop(capture.location, None)
        if step is not None:
            key, kind, context, chooser = step
            yield self.capture_request(capture, key, kind, context, chooser)


def unreadable(failure) -> Answer:
    return Answer(status=0, captured=True, failure=str(failure.value))
