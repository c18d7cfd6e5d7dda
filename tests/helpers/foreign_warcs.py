"""Small WARC, ARC and WACZ files in the shapes other crawlers write, each reproducing a trait of
a real sample in `../shared/real-world/warcs/` (the folder's README says where those came from).
They are written here, from the bundled mirror's pages, rather than kept as binary fixtures, so
that each trait is readable in code:

Each writer and the real sample whose trait it reproduces (the table is also in
fixtures/README.md, "Other crawlers' files"):

- `single_stream`: a WARC gzipped as one stream (`pywb/example-bad.warc.gz.bad`,
  `warcio/data/example-bad-non-chunked.warc.gz`);
- `members_across`: gzip members that do not start where records do
  (`warcio/data/example-wrong-chunks.warc.gz`);
- `write_arc`: ARC files, plain and gzipped per record (`pywb/example.arc`, `pywb/example.arc.gz`);
- `BAD_ARC`: an ARC whose lengths are not numbers (`pywb/bad.arc`, `warcio/data/bad.arc`);
- `write_resource`: a `resource` record holding a page, without HTTP headers
  (`warcio/data/example-resource.warc.gz`, `py-wacz/example-resource.warc.gz`);
- `write_encoded`: bodies kept under `Content-Encoding: br`, `zstd` or stacked codings
  (`py-wacz/example-collection-with-lists.warc` keeps br);
- `write_kept_decoded`: a body kept decoded under `content-encoding: gzip`
  (`py-wacz/example-warcinfo-metadata.warc`);
- `write_invalid_wacz`: a WACZ without `archive/` WARCs (`py-wacz/invalid_example_1.wacz`);
- `write_wrong_length`: a Content-Length short of the record's block (`pywb/example.warc`,
  its request record at byte 4061);
- `write_space_in_target`: a space in WARC-Target-URI
  (`warcio/data/example-space-in-target-uri.warc.gz`).
"""

import gzip
import zipfile
import zlib
from io import BytesIO
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from harvester.sources.content import ENCODINGS, encode_body
from tests.helpers.pages import BASE, SITE

DOCUMENT = "record-conversation-between-iv-stalin-and-kim-il-sung"
PAGE = (SITE / "document" / f"{DOCUMENT}.html").read_bytes()
URL = f"{BASE}/document/{DOCUMENT}"
HTML = [("Content-Type", "text/html; charset=utf-8")]
BAD_ARC = (b"filedesc://bad.arc.gz 127.0.0.1 20140301000000 text/plain -1\n1 0 Bad Capture\n"
           b"URL IP-address Archive-date Content-type Archive-length\n\n"
           b"http://example.com/ 93.184.216.119 201404010000000000 text/html -1\n\n")
INVALID_WACZ_MEMBERS = {"datapackage.json": b'{"profile": "data-package", "resources": []}',
                        "data/archive/test.txt": b"test.txt"}


def response(writer: WARCWriter, url: str, date: str, body: bytes,
             headers: list[tuple[str, str]], status: str = "200 OK") -> None:
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        url, "response", payload=BytesIO(body), length=len(body), http_headers=http,
        warc_headers_dict={"WARC-Date": date}))


def write_plain(path: Path, pages: dict[str, bytes], gzipped: bool = False) -> Path:
    """A WARC of 200 answers, one per URL, in the given order, one minute apart."""
    with open(path, "wb") as file:
        writer = WARCWriter(file, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for minute, (url, body) in enumerate(pages.items()):
            response(writer, url, f"2024-01-15T09:{minute:02d}:00Z", body, HTML)
    return path


def single_stream(path: Path, plain_warc: bytes) -> Path:
    """The WARC gzipped as one stream, as `gzip file.warc` does."""
    path.write_bytes(gzip.compress(plain_warc, mtime=0))
    return path


def record_spans(plain_warc: bytes) -> list[tuple[int, int]]:
    iterator = ArchiveIterator(BytesIO(plain_warc))
    return [(iterator.get_record_offset(), iterator.get_record_length()) for _ in iterator]


def members_across(path: Path, plain_warc: bytes) -> Path:
    """Gzip members cut in the middle of each record, after its headers: none starts a record
    but the first."""
    cuts = sorted({0, *(start + 200 for start, length in record_spans(plain_warc)
                        if length > 200), len(plain_warc)})
    path.write_bytes(b"".join(gzip.compress(plain_warc[a:b], mtime=0)
                              for a, b in zip(cuts, cuts[1:], strict=False)))
    return path


def arc_record(url: str, date: str, http_answer: bytes) -> bytes:
    return f"{url} 192.0.2.1 {date} text/html {len(http_answer)}\n".encode() + http_answer + b"\n"


def write_arc(path: Path, pages: dict[str, bytes], gzipped: bool) -> Path:
    """ARC v1: a file header record, then each answer under a one-line header."""
    header_body = b"1 0 Test Crawl\nURL IP-address Archive-date Content-type Archive-length\n"
    records = [f"filedesc://{path.name} 0.0.0.0 20240115093000 text/plain "
               f"{len(header_body)}\n".encode() + header_body + b"\n"]
    for minute, (url, body) in enumerate(pages.items()):
        answer = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                  + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        records.append(arc_record(url, f"202401150{9 + minute // 60}{minute % 60:02d}00",
                                  answer))
    pack = (lambda data: gzip.compress(data, mtime=0)) if gzipped else (lambda data: data)
    path.write_bytes(b"".join(pack(record) for record in records))
    return path


def write_resource(path: Path, url: str, body: bytes, content_type: str) -> Path:
    with open(path, "wb") as file:
        writer = WARCWriter(file, gzip=True)
        writer.write_record(writer.create_warc_record(
            url, "resource", payload=BytesIO(body), length=len(body),
            warc_content_type=content_type,
            warc_headers_dict={"WARC-Date": "2024-01-15T09:30:00Z"}))
    return path


def write_encoded(path: Path, bodies: dict[str, tuple[list[str], bytes]]) -> Path:
    """One response per URL, its body kept as the server sent it under each coding list (a
    coding this project cannot apply is named but not applied)."""
    with open(path, "wb") as file:
        writer = WARCWriter(file, gzip=True)
        for url, (codings, body) in bodies.items():
            headers = [*HTML, ("Content-Encoding", ", ".join(codings))] if codings else HTML
            applied = [coding for coding in codings if coding in ENCODINGS]
            response(writer, url, "2024-01-15T09:30:00Z", encode_body(body, applied), headers)
    return path


def write_kept_decoded(path: Path, url: str, body: bytes) -> Path:
    """The body as the browser gave it, under the server's gzip header and length."""
    headers = [*HTML, ("content-encoding", "gzip"),
               ("content-length", str(len(gzip.compress(body))))]
    with open(path, "wb") as file:
        response(WARCWriter(file, gzip=False), url, "2024-01-15T09:30:00Z", body, headers)
    return path


def write_invalid_wacz(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as wacz:
        for name, data in INVALID_WACZ_MEMBERS.items():
            wacz.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def write_wrong_length(path: Path, pages: dict[str, bytes]) -> Path:
    """A plain WARC whose second response claims 7 bytes fewer than its block holds."""
    data = write_plain(path, pages).read_bytes()
    start, _length = record_spans(data)[2]
    header_end = data.index(b"\r\n\r\n", start) + 4
    headers = data[start:header_end]
    claimed = int(headers.split(b"Content-Length: ")[1].split(b"\r\n")[0])
    shorter = headers.replace(b"Content-Length: %d" % claimed,
                              b"Content-Length: %d" % (claimed - 7))
    path.write_bytes(data[:start] + shorter + data[header_end:])
    return path


def write_space_in_target(path: Path, url_with_space: str, body: bytes) -> Path:
    """A plain WARC whose WARC-Target-URI holds a space, as written by a careless crawler."""
    with open(path, "wb") as file:
        response(WARCWriter(file, gzip=False), url_with_space.replace(" ", "%20"),
                 "2024-01-15T09:30:00Z", body, HTML)
    data = path.read_bytes()
    path.write_bytes(data.replace(url_with_space.replace(" ", "%20").encode(),
                                  url_with_space.encode(), 1))
    return path


def raw_deflate(body: bytes) -> bytes:
    """Deflate without the zlib header, as some servers send `Content-Encoding: deflate`."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(body) + packer.flush()
