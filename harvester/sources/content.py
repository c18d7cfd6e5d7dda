"""HTTP content codings (RFC 9110 §8.4): removed from a body as it is read, never beyond a size
limit, and applied (the mirror answers as the site's CDN does).

One module for every path that decodes a body by hand: WARC and WACZ payloads, the HTTP cache's
inspection, `harvester validate`. Scrapy's own HttpCompressionMiddleware decodes what the crawl
fetches, with the same libraries: zlib (gzip, deflate), brotli (br) and zstd (the standard
library's `compression.zstd` from Python 3.14, `backports.zstd` before). warcio's reader is not
used for this: it knows no zstd, and its brotli reader sets an attribute brotli 1.2 forbids.

A decoder is a pull stream: each read asks its source for at most one chunk and returns at most
what was asked, so a decompression bomb is stopped at the limit, never inflated whole.
"""

import gzip
import sys
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

try:
    import brotli
except ImportError:   # PyPy: the same API through cffi, as Scrapy does
    import brotlicffi as brotli

if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd

CHUNK = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_ALIASES = {"x-gzip": "gzip"}
_CODEC_ERRORS = (zlib.error, brotli.error, zstd.ZstdError, EOFError)


class ContentEncodingError(ValueError):
    """A body whose content coding is unknown, or whose bytes do not decode."""


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def codings_of(headers: str | bytes | Iterable[str | bytes] | None) -> list[str]:
    """The codings one or several Content-Encoding values list, in the order the server applied
    them (`gzip, br`: gzip first), lower-cased, `x-gzip` as `gzip`, `identity` left out."""
    if headers is None:
        return []
    values = [headers] if isinstance(headers, str | bytes) else list(headers)
    found = []
    for value in values:
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        for token in text.split(","):
            coding = token.strip().lower()
            if coding and coding != "identity":
                found.append(_ALIASES.get(coding, coding))
    return found


class _Inflate:
    """gzip, or deflate: a zlib stream, or a raw one as some servers send (told apart by the
    zlib header, whose first two bytes are a multiple of 31 and name the deflate method)."""

    def __init__(self, coding: str) -> None:
        self._coding = coding
        self._head = b""
        self._zlib: Any = zlib.decompressobj(31) if coding == "gzip" else None
        self._more = False   # output may be pending without new input

    def feed(self, data: bytes, limit: int) -> bytes:
        if self._zlib is None:
            self._head += data
            if len(self._head) < 2:
                return b""
            data, self._head = self._head, b""
            zlib_header = data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._zlib = zlib.decompressobj(15 if zlib_header else -15)
        out = self._zlib.decompress(self._zlib.unconsumed_tail + data, limit)
        self._more = bool(self._zlib.unconsumed_tail) or len(out) >= limit
        return out

    @property
    def needs_input(self) -> bool:
        return not self._more and not self.eof

    @property
    def eof(self) -> bool:
        return self._zlib is not None and self._zlib.eof

    @property
    def leftover(self) -> bytes:
        return self._zlib.unused_data if self.eof else b""


class _Unbrotli:
    def __init__(self, _coding: str) -> None:
        self._brotli = brotli.Decompressor()

    def feed(self, data: bytes, limit: int) -> bytes:
        return self._brotli.process(data, output_buffer_limit=limit)

    @property
    def needs_input(self) -> bool:
        return self._brotli.can_accept_more_data() and not self.eof

    @property
    def eof(self) -> bool:
        return self._brotli.is_finished()

    leftover = b""   # brotli keeps no bytes past its end: they are an error


class _Unzstd:
    def __init__(self, _coding: str) -> None:
        self._zstd = zstd.ZstdDecompressor()

    def feed(self, data: bytes, limit: int) -> bytes:
        return self._zstd.decompress(data, max_length=limit)

    @property
    def needs_input(self) -> bool:
        return self._zstd.needs_input and not self.eof

    @property
    def eof(self) -> bool:
        return self._zstd.eof

    @property
    def leftover(self) -> bytes:
        return self._zstd.unused_data if self.eof else b""


_ENGINES: dict[str, Any] = {"gzip": _Inflate, "deflate": _Inflate, "br": _Unbrotli,
                            "zstd": _Unzstd}
# A gzip body may hold several members, a zstd body several frames: each starts so.
_NEXT_PART = {"gzip": (GZIP_MAGIC,), "zstd": (ZSTD_MAGIC, *(bytes([b, 0x2A, 0x4D, 0x18])
                                                          for b in range(0x50, 0x60)))}


class _Decoding:
    """The bytes of `source` with one content coding removed, read as a file is."""

    def __init__(self, source: Readable, coding: str) -> None:
        if coding not in _ENGINES:
            raise ContentEncodingError(f"unknown content coding {coding!r}")
        self._source, self._coding = source, coding
        self._engine = _ENGINES[coding](coding)
        self._input = b""      # read from the source, not yet given to the engine
        self._pending = b""    # decoded, not yet returned (brotli may give more than asked)
        self.ended = False     # the coded stream reached its end
        self._empty = True     # nothing read yet: an empty body (a 304, a redirect) is whole

    def read(self, size: int = -1, /) -> bytes:
        size = CHUNK if size is None or size < 0 else size
        while not self._pending and not self.ended:
            if not self._step(size):
                break
        out, self._pending = self._pending[:size], self._pending[size:]
        return out

    def _step(self, size: int) -> bool:
        """One call of the engine; False when the source ended before the coded stream did."""
        if self._engine.needs_input:
            data, self._input = self._input or self._source.read(CHUNK), b""
            if not data:
                self.ended = self._empty
                return False
            self._empty = False
        else:
            data = b""
        try:
            self._pending = self._engine.feed(data, size)
        except _CODEC_ERRORS as exc:
            raise ContentEncodingError(f"{self._coding} body does not decode ({exc})") from exc
        if self._engine.eof:
            self._next_part()
        elif not data and not self._pending and not self._engine.needs_input:
            raise ContentEncodingError(f"{self._coding} body does not decode (no progress)")
        return True

    def _next_part(self) -> None:
        """After a gzip member or a zstd frame, another may follow; bytes that do not start
        one are not part of the body (browsers and Scrapy ignore them too)."""
        rest = self._engine.leftover
        starts = _NEXT_PART.get(self._coding, ())
        if starts and not rest:
            rest = self._source.read(CHUNK)
        if rest and rest.startswith(starts):
            self._engine, self._input = _ENGINES[self._coding](self._coding), rest
        else:
            self.ended = True


class ContentReader:
    """A body with every content coding removed, outermost first (`gzip, br`: br, then gzip)."""

    def __init__(self, source: Readable, codings: list[str]) -> None:
        self._layers: list[_Decoding] = []
        stream: Readable = source
        for coding in reversed(codings):
            stream = _Decoding(stream, coding)
            self._layers.append(stream)
        self._stream = stream
        self.produced = 0   # decoded bytes given so far

    def read(self, size: int = -1, /) -> bytes:
        out = self._stream.read(size)
        self.produced += len(out)
        return out

    @property
    def ended(self) -> bool:
        """Every coded stream reached its end (no coding: the source's own end decides)."""
        return all(layer.ended for layer in self._layers)


@dataclass(frozen=True)
class Decoded:
    body: bytes        # at most the limit's bytes
    ended: bool        # every coded stream was read to its end: False when cut short
    over_limit: bool   # longer than the limit: `body` is its start

    @property
    def complete(self) -> bool:
        return self.ended and not self.over_limit


def read_decoded(reader: ContentReader, max_size: int) -> Decoded:
    """At most max_size decoded bytes, and whether they are all of the body."""
    body = bytearray()
    while len(body) <= max_size:
        chunk = reader.read(min(CHUNK, max_size + 1 - len(body)))
        if not chunk:
            break
        body += chunk
    over = len(body) > max_size
    return Decoded(bytes(body[:max_size]), not over and reader.ended, over)


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self._view, self._pos = memoryview(data), 0

    def read(self, size: int = -1, /) -> bytes:
        end = len(self._view) if size is None or size < 0 else self._pos + size
        out = bytes(self._view[self._pos:end])
        self._pos += len(out)
        return out


def decode_body(body: bytes, content_encoding: str | bytes | Iterable[str | bytes] | None,
                max_size: int) -> Decoded:
    """A whole body in memory, decoded as far as max_size; ContentEncodingError when a coding
    is unknown or its bytes do not decode."""
    return read_decoded(ContentReader(_Bytes(body), codings_of(content_encoding)), max_size)


_ENCODERS = {
    "gzip": lambda body: gzip.compress(body, mtime=0),
    "deflate": zlib.compress,
    "br": brotli.compress,
    "zstd": zstd.compress,
}
ENCODINGS = tuple(_ENCODERS)


def encode_body(body: bytes, codings: list[str]) -> bytes:
    """The body with each coding applied in turn, as a server does for `gzip, br`."""
    for coding in codings:
        body = _ENCODERS[coding](body)
    return body
