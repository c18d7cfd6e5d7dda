"""A WARC record's payload as the page it was: the transfer coding removed with warcio's
ChunkedDataReader (which decompresses nothing here), then every content coding with
sources/content.py, streamed and bounded, whatever the crawler kept (gzip, deflate, br, zstd,
stacked). A `resource` record holds the resource itself, under its own Content-Type.

Browser-based crawlers may keep a body already decoded under the server's `Content-Encoding`
(a sample made by wabac.js keeps `content-encoding: gzip` over plain HTML): a body that fails to
decode at its very first bytes, and starts as markup, is read as it is. Any other body that does
not decode is an error naming the coding."""

from typing import Any

from warcio.bufferedreaders import ChunkedDataException, ChunkedDataReader
from warcio.utils import BUFF_SIZE

from harvester.sources.content import (
    CHUNK,
    ContentEncodingError,
    ContentReader,
    Decoded,
    codings_of,
    read_decoded,
)

RESOURCE = "resource"


class Dechunked(ChunkedDataReader):
    """A chunked body with the chunks joined. A body whose first chunk header does not parse is
    taken as it is (crawlers often keep a body de-chunked under its `Transfer-Encoding:
    chunked`); damage after that ends the body there, marked `cut`, rather than passing chunk
    headers off as content, as warcio's best guess would."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream, raise_exceptions=False)
        self.cut = False
        self._started = False

    def _try_decode(self, length_header: bytes) -> None:
        # Damage is damage from the second chunk on, or once the first header is a chunk size.
        self.raise_chunked_data_exceptions = self._started or _is_chunk_header(length_header)
        self._started = True
        super()._try_decode(length_header)

    def _fillbuff(self, block_size: int | None = None) -> None:
        try:
            super()._fillbuff(block_size)
        except ChunkedDataException:
            self.cut = self.all_chunks_read = True   # the body ends with the last whole chunk


def _is_chunk_header(line: bytes) -> bool:
    """A line that is a chunk size: the body was chunked, and its first chunk is damaged."""
    size = line.strip().split(b";")[0]
    return bool(size) and all(chr(byte) in "0123456789abcdefABCDEF" for byte in size)


class _Recorded:
    """A stream whose first bytes are kept, to be read again if the body proves to have been
    kept decoded."""

    def __init__(self, source: Any, keep: int = 4 * CHUNK) -> None:
        self._source, self._keep = source, keep
        self.kept: bytes | None = b""   # None once more than `keep` bytes were read

    def read(self, size: int = -1, /) -> bytes:
        data = self._source.read(size)
        if self.kept is not None:
            self.kept = self.kept + data if len(self.kept) + len(data) <= self._keep else None
        return data

    def again(self) -> "_Recorded":
        """The kept bytes, then the rest of the source."""
        kept, self.kept = self.kept or b"", None
        return _Chained(kept, self._source)


class _Chained(_Recorded):
    def __init__(self, first: bytes, rest: Any) -> None:
        super().__init__(rest, 0)
        self._first = first

    def read(self, size: int = -1, /) -> bytes:
        if self._first:
            size = len(self._first) if size is None or size < 0 else size
            out, self._first = self._first[:size], self._first[size:]
            return out
        return self._source.read(size)


def _looks_like_markup(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"


def _decoded(source: Any, codings: list[str], max_size: int) -> Decoded:
    """The body decoded; read as it is when it was kept decoded (see the module's note)."""
    recorded = _Recorded(source)
    reader = ContentReader(recorded, codings)
    try:
        return read_decoded(reader, max_size)
    except ContentEncodingError:
        if reader.produced or recorded.kept is None or not _looks_like_markup(recorded.kept):
            raise
    return read_decoded(ContentReader(recorded.again(), []), max_size)


def _header_values(http: Any, name: str) -> list[str]:
    return [value for key, value in http.headers if key.lower() == name]


def resource_headers(record: Any) -> list[tuple[str, str]]:
    content_type = record.rec_headers.get_header("Content-Type")
    return [("Content-Type", content_type)] if content_type else []


def _raw(record: Any, max_size: int) -> tuple[bytes, bool]:
    body = record.raw_stream.read(max_size + 1)
    if len(body) > max_size:
        return body[:max_size], False
    return body, getattr(record.raw_stream, "limit", 0) == 0


def payload_of(record: Any, max_size: int) -> tuple[bytes, bool]:
    """At most max_size bytes of the decoded payload, and whether that is all of it (False:
    longer than max_size, or the record or a coded stream was cut). ContentEncodingError when
    a coding is unknown or its bytes do not decode."""
    http = record.http_headers
    if not http or record.rec_type == RESOURCE:
        return _raw(record, max_size)
    transfer = codings_of(_header_values(http, "transfer-encoding"))
    dechunked = Dechunked(record.raw_stream) if "chunked" in transfer else None
    codings = codings_of(_header_values(http, "content-encoding"))
    codings += [coding for coding in transfer if coding != "chunked"]
    decoded = _decoded(dechunked or record.raw_stream, codings, max_size)
    if decoded.over_limit:
        return decoded.body, False
    while record.raw_stream.read(BUFF_SIZE):   # what follows the decoded end: chunk trailers
        pass
    cut = getattr(record.raw_stream, "limit", 0) != 0 or (dechunked is not None and dechunked.cut)
    return decoded.body, decoded.ended and not cut
