"""A crawl's own WARC: every response it fetched, with its request, so that a run can be
harvested again offline later. WARC/1.1, one gzip member per record, in numbered files."""

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from harvester.sources.warcstream import WarcReadError, walk_records

WARC_FORMAT = "WARC File Format 1.1"


def whole_records_end(path: Path) -> int:
    """Where the last whole record of a WARC file ends: what a damaged file is cut back to."""
    end = 0
    with open(path, "rb") as file:
        try:
            for _record, offset, length, _fields in walk_records(file, path.name):
                end = offset + length
        except WarcReadError:
            pass
    return end


def _number_of(name: str, prefix: str) -> int | None:
    match = re.fullmatch(re.escape(prefix) + r"-(\d{5,})\.warc\.gz", name)
    return int(match.group(1)) if match else None


def _one_line(value: str) -> str:
    """A warc-fields value must not break its line."""
    return " ".join(str(value).splitlines())


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class WarcRecorder:
    """Writes every fetched response, with its request, as WARC/1.1, gzip per record."""

    def __init__(self, folder: Path, prefix: str, info: Mapping[str, str],
                 max_bytes: int = 1_000_000_000) -> None:
        self.folder, self.prefix, self.max_bytes = Path(folder), prefix, max_bytes
        self.info = {"software": "harvester", "format": WARC_FORMAT,
                     **{name: _one_line(value) for name, value in info.items()}}
        self.files: list[Path] = []
        self.records = 0
        self.cut: tuple[Path, int] | None = None   # a killed run's file and the bytes cut off it
        self._out: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self._warcinfo_id = ""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._next_number = self._recover()

    def _recover(self) -> int:
        """A killed run may have left its last record half written: cut the file back to its
        last whole record, so that every file reads cleanly, and go on in a new file. Files
        before the last one were complete when the next one was started."""
        numbered = sorted((number, path) for path in self.folder.iterdir()
                          if (number := _number_of(path.name, self.prefix)) is not None)
        if not numbered:
            return 0
        last_number, last = numbered[-1]
        size = last.stat().st_size
        end = whole_records_end(last)
        if end < size:
            self.cut = (last, size - end)
            if end == 0:
                last.unlink()   # not one whole record: nothing worth keeping
            else:
                with open(last, "r+b") as file:
                    file.truncate(end)
        return last_number + 1

    def _start_file(self) -> None:
        path = self.folder / f"{self.prefix}-{self._next_number:05d}.warc.gz"
        self._next_number += 1
        self._out = open(path, "xb")  # noqa: SIM115 - kept open across writes, closed by close()
        self._writer = WARCWriter(self._out, gzip=True, warc_version="1.1")
        warcinfo = self._writer.create_warcinfo_record(path.name, self.info)
        self._warcinfo_id = warcinfo.rec_headers.get_header("WARC-Record-ID")
        self._writer.write_record(warcinfo)
        self.files.append(path)

    def write(self, url: str, method: str, request_headers: Sequence[tuple[str, str]],
              status: int, reason: str, response_headers: Sequence[tuple[str, str]],
              body: bytes, protocol: str = "HTTP/1.1", when: datetime | None = None) -> None:
        """The body is what arrived after transfer decoding, so the headers are made to say
        so; a Content-Encoding stays, since the body is still encoded by it."""
        if self._writer is None:
            self._start_file()
        assert self._writer is not None and self._out is not None
        moment = when or datetime.now(UTC)
        moment = moment.astimezone(UTC) if moment.tzinfo else moment
        date = datetime_to_iso_date(moment.replace(tzinfo=None), use_micros=True)
        answer = StatusAndHeaders(f"{status} {reason}".strip(), list(response_headers),
                                  protocol=protocol)
        for stale in ("Transfer-Encoding", "Content-Length"):
            while answer.remove_header(stale):
                pass
        answer.add_header("Content-Length", str(len(body)))
        asked = StatusAndHeaders(f"{_request_target(url)} {protocol}", list(request_headers),
                                 protocol=method.upper())
        create = self._writer.create_warc_record
        response = create(url, "response", payload=BytesIO(body), length=len(body),
                          http_headers=answer,
                          warc_headers_dict=self._warc_headers("response", date))
        request = create(url, "request", http_headers=asked,
                         warc_headers_dict=self._warc_headers("request", date))
        self._writer.write_request_response_pair(request, response)
        self._out.flush()
        self.records += 1
        if self._out.tell() >= self.max_bytes:
            self._close_file()

    def _warc_headers(self, record_type: str, date: str) -> dict[str, str]:
        """Type first, as readers of raw WARC headers expect."""
        return {"WARC-Type": record_type, "WARC-Date": date,
                "WARC-Warcinfo-ID": self._warcinfo_id}

    def _close_file(self) -> None:
        if self._out is not None:
            self._out.close()
        self._out, self._writer = None, None

    def close(self) -> None:
        self._close_file()

    def __enter__(self) -> "WarcRecorder":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
