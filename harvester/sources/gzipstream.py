"""The decompressed bytes of a gzip file of any member layout, read and sought as a file.

A WARC is meant to be gzipped one member per record, so that a record can be read at its byte
offset in the file. Some crawlers gzip the whole file as one stream, or cut members where
records do not start; such a file can only be read by decompressing from its start. Records are
then cited by their offset in the decompressed stream, and this class finds them again: a seek
forward decompresses and discards, a seek back starts again from the nearest checkpoint, a copy
of the decompressor's state (zlib's `Decompress.copy`) taken every `spacing` bytes as reading
goes. A read then costs at most `spacing` bytes of decompression beyond the record itself, and
memory is bounded: past `max_checkpoints` every other checkpoint is dropped and the spacing
doubles. (indexed_gzip does the same in C; a rare layout does not warrant a compiled dependency.)
"""

import zlib
from dataclasses import dataclass
from typing import Any

from harvester.sources.content import CHUNK, GZIP_MAGIC


@dataclass(frozen=True)
class _Checkpoint:
    position: int           # in the decompressed stream
    compressed: int         # where the next compressed byte to give the decompressor is
    decompressor: Any       # a copy of the state there; None where a new member starts


class GzipStream:
    """`read`, `seek` and `tell` over the decompressed bytes. `source` gives the compressed
    bytes: `stream_at(offset)` returns a file reading from that offset on."""

    def __init__(self, source: Any, spacing: int = 1 << 20, max_checkpoints: int = 128) -> None:
        self._source = source
        self._spacing, self._max_checkpoints = spacing, max(2, max_checkpoints)
        self._checkpoints = [_Checkpoint(0, 0, None)]
        self._restore(self._checkpoints[0])

    def _restore(self, checkpoint: _Checkpoint) -> None:
        self._file = self._source.stream_at(checkpoint.compressed)
        self._compressed = checkpoint.compressed   # of the first byte of self._input
        self._zlib = checkpoint.decompressor.copy() if checkpoint.decompressor else None
        self._position = checkpoint.position       # of the first byte of self._output
        self._input = b""
        self._output = b""
        self._ended = False

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence != 0:
            raise ValueError("a gzip stream is sought from its start only")
        nearest = max((c for c in self._checkpoints if c.position <= offset),
                      key=lambda c: c.position)
        if offset < self._position or nearest.position > self._position:
            self._restore(nearest)
        while self._position < offset:
            if not self._output and not self._fill():
                break
            skipped = self._output[:offset - self._position]
            self._output = self._output[len(skipped):]
            self._position += len(skipped)
        return self._position

    def read(self, size: int = -1, /) -> bytes:
        size = CHUNK if size is None or size < 0 else size
        pieces, wanted = [], size
        while wanted and (self._output or self._fill()):
            piece, self._output = self._output[:wanted], self._output[wanted:]
            pieces.append(piece)
            wanted -= len(piece)
            self._position += len(piece)   # before the next fill, which may checkpoint
        return b"".join(pieces)

    def _fill(self) -> bool:
        """Decompress the next piece into the output; False at the end of the file."""
        while not self._output and not self._ended:
            if not self._input:
                self._input = self._file.read(CHUNK)
                if not self._input:
                    self._end()
                    break
            if self._zlib is None and not self._start_member():
                break
            self._checkpoint()
            self._inflate()
        return bool(self._output)

    def _start_member(self) -> bool:
        """A new member starts here; NUL padding or the file's end ends the stream."""
        while len(self._input) < len(GZIP_MAGIC) and (more := self._file.read(CHUNK)):
            self._input += more
        if self._input.startswith(GZIP_MAGIC):
            self._zlib = zlib.decompressobj(31)
            return True
        if self._input.strip(b"\0"):
            raise zlib.error(f"no gzip member starts at compressed byte {self._compressed}")
        self._ended = True
        return False

    def _inflate(self) -> None:
        decompressor = self._zlib
        assert decompressor is not None, "a member is inflated once `_fill` has started it"
        given = self._input
        self._output = decompressor.decompress(given, CHUNK)
        left = decompressor.unused_data if decompressor.eof else decompressor.unconsumed_tail
        self._compressed += len(given) - len(left)
        self._input = left
        if decompressor.eof:
            self._zlib = None

    def _end(self) -> None:
        if self._zlib is not None:
            self._output = self._zlib.flush()
            if not self._output:
                raise EOFError("the gzip stream is cut short")
        self._ended = True

    def _checkpoint(self) -> None:
        """Remember the state here once `spacing` bytes have passed since the last one."""
        last = self._checkpoints[-1]
        if self._position - last.position < self._spacing:
            return
        self._checkpoints.append(_Checkpoint(
            self._position, self._compressed, self._zlib.copy() if self._zlib else None))
        if len(self._checkpoints) > self._max_checkpoints:
            self._checkpoints = self._checkpoints[::2]
            self._spacing *= 2
