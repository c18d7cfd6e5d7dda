"""Captures in WARC files, each read by offset: a request the WARC handler answers from the
files (harvester/sources/warc_handler.py, on a thread of its own), a document's page parsed by
a parse worker beside it; what comes back is the capture's Answer, as a web archive's replay
would be. Most records are read ahead of the choices (`fetch.read_ahead`), many in one
request."""

import asyncio
from typing import Protocol

from scrapy import Request

from harvester.capture import outcomes
from harvester.capture.rows import EMPTY_DIGEST, Answer, Capture
from harvester.fetch.choices import CaptureFetch, CaptureLost, ChoiceRules, Step, error_reason
from harvester.fetch.read_ahead import ReadsAhead, RecordLedger, batches
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

# What a record request carries besides what to read: the captured answer, whatever its status.
ANSWERED_AS_CAPTURED = {"dont_redirect": True, "handle_httpstatus_all": True}


class RecordFiles(Protocol):
    """The files a WARC run indexed: where each capture's record is, and where a captured
    redirect leads (harvester.spiders.warc)."""

    def file_record(self, capture: Capture) -> tuple[WarcSource, int]: ...
    def location(self, capture: Capture, headers: dict[str, str]) -> str | None: ...


class RecordFetch(CaptureFetch):
    ledger: RecordLedger

    def __init__(self, crawler, ledger: RecordLedger, rules: ChoiceRules, files: RecordFiles,
                 download_maxsize: int) -> None:
        super().__init__(crawler, ledger, rules)
        self.files = files
        self.download_maxsize = download_maxsize
        self.ahead = ReadsAhead(ledger, self.unfetched_skip, download_maxsize)
        self.pending: list[Capture] = []      # to read ahead once the choice has asked
        self.batches: set[asyncio.Future] = set()

    def unfetched_skip(self, capture: Capture) -> str | None:
        reason = super().unfetched_skip(capture)
        if reason is None and capture.revisit and not _self_contained(capture) and \
                self.ledger.payload_of(capture.digest, capture.key) is None:
            return outcomes.REVISIT_UNKNOWN
        return reason

    # -- a choice, with reads ahead of it ----------------------------------------------------
    def choice_begins(self, key: str, kind: str) -> None:
        if kind == "document":
            self.pending = list(self.ahead.reads_after(key))

    def choice_ends(self) -> None:
        self.read_ahead()

    async def answer(self, capture: Capture, step: Step) -> Answer:
        if (taken := self.ahead.take(capture)) is not None:
            return taken
        waiting = self.ahead.wait_for(capture)
        if waiting is not None:
            self.read_ahead()
            if (answer := await waiting) is not None:
                return answer
        own = asyncio.ensure_future(self.read_record(capture))
        self.read_ahead()   # asked after the record the choice waits for
        return await own

    def read_ahead(self) -> None:
        """Ask for what the choice begun foresaw, each batch read beside the choices."""
        pending, self.pending = self.pending, []
        self.ahead.started(pending)
        for captures in batches(pending):
            batch = asyncio.ensure_future(self.read_batch(captures))
            self.batches.add(batch)
            batch.add_done_callback(self.batches.discard)

    async def read_batch(self, captures: list[Capture]) -> None:
        try:
            response = await self.download(self.batch_request(captures))
        except Exception:  # noqa: BLE001 (a damaged record fails only its own capture)
            for capture in captures:
                self.ahead.unread(capture)
            return
        parsed = response.meta.get(PARSED_CAPTURES) or [None] * len(captures)
        try:
            for capture, read, made in zip(captures, response.meta[BATCH_READ], parsed,
                                           strict=True):
                self.ahead.read(capture, unreadable_record(read)
                                if isinstance(read, WarcReadError)
                                else self.answer_of(read, capture, made))
        finally:   # what could not be taken is read by its choice: none waits for ever
            for capture in captures:
                if capture.location in self.ahead.reading:
                    self.ahead.unread(capture)

    async def read_record(self, capture: Capture) -> Answer:
        """A capture's record read whole. A damaged record is a capture that cannot be read:
        its URL goes on to older ones. Anything else failing is the run's to report."""
        request = self.record_request(capture)
        try:
            response = await self.download(request)
        except WarcReadError as damage:
            return unreadable_record(damage)
        except Exception as error:
            raise CaptureLost(f"{capture.location}: {error_reason(error, request)}") from error
        return self.answer_of(response.meta[RECORDS_READ], capture,
                              response.meta.get(PARSED_CAPTURE))

    # -- requests and answers ----------------------------------------------------------------
    def record_read(self, capture: Capture, max_size: int | None = None) -> RecordRead:
        """What to read for a capture: its record, and a revisit's payload (up to
        DOWNLOAD_MAXSIZE bytes of it, or `max_size`)."""
        revisited = self.ledger.payload_of(capture.digest, capture.key) \
            if capture.revisit else None
        own_source, own_offset = self.files.file_record(capture)
        payload_source, payload_offset = self.files.file_record(revisited) if revisited \
            else (None, 0)
        return RecordRead(own_source, own_offset, max_size or self.download_maxsize,
                          payload_source, payload_offset)

    def record_request(self, capture: Capture) -> Request:
        meta = {RECORD_READ: self.record_read(capture), **ANSWERED_AS_CAPTURED}
        if capture.kind == "document":
            meta[DOCUMENT_CAPTURE] = capture
        return Request(record_url(capture.location), dont_filter=True, meta=meta)

    def batch_request(self, captures: list[Capture]) -> Request:
        """One request for the records of captures read ahead together."""
        meta = {RECORD_BATCH: [self.record_read(capture, self.ahead.size)
                               for capture in captures],
                DOCUMENT_CAPTURES: [c if c.kind == "document" else None for c in captures],
                **ANSWERED_AS_CAPTURED}
        return Request(batch_url([capture.location for capture in captures]),
                       dont_filter=True, meta=meta)

    def answer_of(self, read: RecordsRead, capture: Capture, parsed) -> Answer:
        head = read.head
        # The index kept only digests its records' bytes bear (spiders.warc_index).
        headers = head.header_map()
        return Answer(status=head.status or 0, headers=headers,
                      body=read.payload.body, complete=read.payload.complete,
                      moved_to=self.files.location(capture, headers), digest_checked=True,
                      parsed=parsed)


def unreadable_record(damage: WarcReadError) -> Answer:
    return Answer(status=0, captured=True, failure=str(damage))


def _self_contained(capture: Capture) -> bool:
    """A revisit of an empty body (a redirect, mostly) with its own status line and headers
    holds all there is: it needs no record of the payload it repeats."""
    return capture.digest == EMPTY_DIGEST and capture.status is not None


