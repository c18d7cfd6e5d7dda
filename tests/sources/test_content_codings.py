"""Content codings removed by hand (harvester/sources/content.py): every coding and stacked ones,
the size limit that stops a bomb, bodies cut short, and the errors for what cannot be decoded;
and the seekable reading of a gzip stream of any member layout (sources/gzipstream.py)."""

import gzip
import io
import random
import zlib

import pytest

from harvester.sources.content import (
    ContentEncodingError,
    ContentReader,
    Decoded,
    codings_of,
    decode_body,
    encode_body,
    read_decoded,
)
from harvester.sources.gzipstream import GzipStream
from tests.helpers.foreign_warcs import PAGE, raw_deflate

CODINGS = [["gzip"], ["deflate"], ["br"], ["zstd"], ["gzip", "br"], ["br", "zstd", "deflate"],
           []]


@pytest.mark.parametrize("codings", CODINGS)
def test_every_coding_and_stack_is_removed(codings: list[str]):
    body = encode_body(PAGE, codings)
    assert decode_body(body, ", ".join(codings), 1 << 24) == Decoded(PAGE, True, False)


@pytest.mark.parametrize(("header", "body"), [
    ("x-gzip", gzip.compress(PAGE)),
    ("GZIP ", gzip.compress(PAGE)),
    ("deflate", raw_deflate(PAGE)),                          # raw, as some servers send it
    ("identity, gzip", gzip.compress(PAGE)),
    ([b"gzip", b"br"], encode_body(PAGE, ["gzip", "br"])),   # two headers, in order
    ("gzip", gzip.compress(PAGE[:500]) + gzip.compress(PAGE[500:])),   # two members
    ("zstd", encode_body(PAGE[:500], ["zstd"]) + encode_body(PAGE[500:], ["zstd"])),
    ("gzip", gzip.compress(PAGE) + b"\x00\x00 trailing bytes no browser shows"),
])
def test_spellings_members_and_frames(header, body: bytes):
    assert decode_body(body, header, 1 << 24) == Decoded(PAGE, True, False)


def test_the_codings_a_header_lists_in_the_order_applied():
    assert codings_of("gzip, BR ,identity,x-gzip") == ["gzip", "br", "gzip"]
    assert codings_of([b"deflate", "zstd"]) == ["deflate", "zstd"]
    assert codings_of(None) == codings_of("") == codings_of("identity") == []


@pytest.mark.parametrize("coding", ["gzip", "br", "zstd", "deflate"])
def test_a_bomb_stops_at_the_limit_without_inflating_further(coding: str):
    bomb = encode_body(b" " * 50_000_000, [coding])
    reader = ContentReader(io.BytesIO(bomb), [coding])
    decoded = read_decoded(reader, 300_000)
    assert decoded == Decoded(b" " * 300_000, False, True)
    assert decoded.complete is False
    assert reader.produced == 300_001    # one byte past the limit says there is more


@pytest.mark.parametrize("codings", [["gzip"], ["deflate"], ["br"], ["gzip", "br"]])
def test_a_body_cut_short_is_not_ended(codings: list[str]):
    body = encode_body(PAGE, codings)
    decoded = decode_body(body[:len(body) - 20], ", ".join(codings), 1 << 24)
    assert (decoded.ended, decoded.over_limit, decoded.complete) == (False, False, False)
    assert PAGE.startswith(decoded.body)


def test_an_empty_body_under_a_coding_is_whole():
    # 304s, redirects and HEAD answers keep the representation's Content-Encoding.
    assert decode_body(b"", "gzip, br", 100) == Decoded(b"", True, False)


@pytest.mark.parametrize(("header", "body", "message"), [
    ("compress", b"x", "unknown content coding 'compress'"),
    ("gzip, lzma", gzip.compress(PAGE), "unknown content coding 'lzma'"),
    ("gzip", b"<html>not gzip</html>",
     "gzip body does not decode (Error -3 while decompressing data: incorrect header check)"),
    ("br", encode_body(PAGE, ["br"]) + b"junk", "br body does not decode (brotli: decoder failed)"),
    ("zstd", b"\x28\xb5\x2f\xfd\x00garbage", "zstd body does not decode (Unable to decompress "
                                             "Zstandard data: Data corruption detected)"),
])
def test_what_cannot_be_decoded_is_an_error_that_says_why(header: str, body: bytes, message):
    with pytest.raises(ContentEncodingError) as caught:
        decode_body(body, header, 1 << 24)
    assert str(caught.value) == message


# -- a gzip stream read as a file --------------------------------------------------------------
class Stored:
    """Compressed bytes, opened at an offset as OpenedSource.bytes_at does."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream_at(self, offset: int) -> io.BytesIO:
        stream = io.BytesIO(self.data)
        stream.seek(offset)
        return stream


DATA = random.Random(3).randbytes(300_000) + b"x" * 2_000_000 + random.Random(4).randbytes(9999)


@pytest.mark.parametrize("cut_at", [None, 12_345])
def test_a_gzip_stream_is_read_and_sought_anywhere(cut_at: int | None):
    pieces = [DATA] if cut_at is None else [DATA[:cut_at], DATA[cut_at:]]
    stream = GzipStream(Stored(b"".join(gzip.compress(p, mtime=0) for p in pieces)),
                        spacing=50_000, max_checkpoints=8)
    assert b"".join(iter(lambda: stream.read(70_000), b"")) == DATA
    assert len(stream._checkpoints) <= 8     # bounded: every other one dropped as it grows
    offsets = random.Random(5).sample(range(len(DATA)), 200)
    for offset in offsets:
        assert stream.seek(offset) == offset
        assert stream.read(1000) == DATA[offset:offset + 1000]
    assert stream.seek(len(DATA) + 5) == len(DATA)
    assert stream.read(10) == b""


def test_a_gzip_stream_cut_short_or_followed_by_garbage_is_an_error():
    whole = gzip.compress(DATA, mtime=0)
    with pytest.raises(EOFError, match="^the gzip stream is cut short$"):
        GzipStream(Stored(whole[:-20])).seek(len(DATA))
    garbage = f"^no gzip member starts at compressed byte {len(whole)}$"
    with pytest.raises(zlib.error, match=garbage):
        GzipStream(Stored(whole + b"garbage")).seek(len(DATA) + 1)
    padded = GzipStream(Stored(whole + b"\x00" * 10))
    assert padded.seek(len(DATA) + 1) == len(DATA)
