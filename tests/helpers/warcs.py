"""WARC and WACZ files the source tests write with warcio: a sample holding every kind of record
a crawler writes, what the index pass yields for it, a big incompressible file, and a WACZ around
a WARC."""

import base64
import gzip
import hashlib
import random
import zipfile
from io import BytesIO
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from harvester.sources.warcfiles import IndexedRecord, WarcSource

SITE = "https://digitalarchive.wilsoncenter.org"
PLAIN = b"<html><body>plain page</body></html>"
GZ_TEXT = b"<html><body>" + b"gzip encoded page " * 50 + b"</body></html>"
GZ_BODY = gzip.compress(GZ_TEXT, mtime=0)
CHUNKED = b"5\r\nHello\r\n7\r\n, world\r\n0\r\n\r\n"
FIRST_INFO = {"software": "test-crawler/1.0", "operator": "Archivist",
              "description": "sample: with a colon"}
SECOND_INFO = {"software": "second-crawler/2.0"}
# What index_records yields for the sample, offsets and warcinfo aside: a resource record is the
# resource itself, as a 200 under its own Content-Type.
EXPECTED = [
    ("response", f"{SITE}/plain", "20240115093000", 200, "text/html", "plain", None, None, None),
    ("response", f"{SITE}/gzipped", "20240115093100", 200, "text/html", "gz", None, None, None),
    ("response", f"{SITE}/chunked", "20240115093200", 200, "application/json", "chunked", None,
     None, "length"),
    ("resource", f"{SITE}/logo.txt", "20240115093000", 200, "text/plain", "logo", None, None,
     None),
    ("revisit", f"{SITE}/plain", "20240201000000", None, None, "plain", f"{SITE}/plain",
     "20240115093000", None),
    ("revisit", f"{SITE}/gzipped", "20240202000000", 200, "text/html", "gz", f"{SITE}/gzipped",
     "20240115093100", None),
    ("response", f"{SITE}/after-second", "20240301000000", 200, "text/html", "plain", None, None,
     None),
    ("response", f"{SITE}/names-first", "20240302000000", 404, "text/html", "plain", None, None,
     None),
]


def sha1_of(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


DIGESTS = {"plain": sha1_of(PLAIN), "gz": sha1_of(GZ_BODY), "chunked": sha1_of(CHUNKED),
           "logo": sha1_of(b"logo")}


def http(status: str, headers: list[tuple[str, str]]) -> StatusAndHeaders:
    return StatusAndHeaders(status, headers, protocol="HTTP/1.1")


def response(writer, url, date, body, headers, status="200 OK", extra=None):
    record = writer.create_warc_record(url, "response", payload=BytesIO(body), length=len(body),
                                       http_headers=http(status, headers),
                                       warc_headers_dict={"WARC-Date": date, **(extra or {})})
    writer.write_record(record)


def write_sample(path: Path, compressed: bool = True) -> None:
    """Every kind of record a crawler writes; only the HTTP responses and revisits count."""
    with open(path, "wb") as file:
        writer = WARCWriter(file, gzip=compressed)
        first = writer.create_warcinfo_record(path.name, FIRST_INFO)
        writer.write_record(first)
        writer.write_record(writer.create_warc_record(
            f"{SITE}/plain", "request", http_headers=StatusAndHeaders(
                "GET /plain HTTP/1.1", [("Host", "digitalarchive.wilsoncenter.org")],
                is_http_request=True),
            warc_headers_dict={"WARC-Date": "2024-01-15T09:30:00Z"}))
        html = [("Content-Type", "text/html; charset=UTF-8")]
        response(writer, f"{SITE}/plain", "2024-01-15T09:30:00Z", PLAIN, html)
        response(writer, f"{SITE}/gzipped", "2024-01-15T09:31:00.123456Z", GZ_BODY,
                 [("Content-Type", "Text/HTML"), ("Content-Encoding", "gzip")])
        response(writer, f"<{SITE}/chunked>", "2024-01-15T09:32:00Z", CHUNKED,
                 [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")],
                 extra={"WARC-Truncated": "length"})
        writer.write_record(writer.create_warc_record(
            f"{SITE}/plain", "metadata", payload=BytesIO(b"outlink: /other\r\n"), length=17,
            warc_headers_dict={"WARC-Date": "2024-01-15T09:30:00Z"}))
        writer.write_record(writer.create_warc_record(
            f"{SITE}/logo.txt", "resource", payload=BytesIO(b"logo"), length=4,
            warc_content_type="text/plain",
            warc_headers_dict={"WARC-Date": "2024-01-15T09:30:00Z"}))
        dns = b"20240115093000\ndigitalarchive.wilsoncenter.org. 300 IN A 192.0.2.1\n"
        writer.write_record(writer.create_warc_record(
            "dns:digitalarchive.wilsoncenter.org", "response", payload=BytesIO(dns),
            length=len(dns), warc_content_type="text/dns",
            warc_headers_dict={"WARC-Date": "2024-01-15T09:30:00Z"}))
        writer.write_record(writer.create_revisit_record(
            f"{SITE}/plain", DIGESTS["plain"], f"{SITE}/plain", "2024-01-15T09:30:00Z",
            warc_headers_dict={"WARC-Date": "2024-02-01T00:00:00Z"}))
        writer.write_record(writer.create_revisit_record(
            f"{SITE}/gzipped", DIGESTS["gz"], f"{SITE}/gzipped", "2024-01-15T09:31:00.123456Z",
            http_headers=http("200 OK", [("Content-Type", "text/html"),
                                         ("Content-Encoding", "gzip")]),
            warc_headers_dict={"WARC-Date": "2024-02-02T00:00:00Z"}))
        writer.write_record(writer.create_warcinfo_record(path.name, SECOND_INFO))
        response(writer, f"{SITE}/after-second", "2024-03-01T00:00:00Z", PLAIN, html)
        response(writer, f"{SITE}/names-first", "2024-03-02T00:00:00Z", PLAIN, html,
                 status="404 Not Found",
                 extra={"WARC-Warcinfo-ID": first.rec_headers.get_header("WARC-Record-ID")})


def warcio_offsets(data: bytes, http_only: bool = True) -> list[int]:
    """Offsets as warcio itself reports them: of the HTTP responses, revisits and resources,
    or of all."""
    iterator = ArchiveIterator(BytesIO(data))
    return [iterator.get_record_offset() for record in iterator
            if not http_only or (record.rec_type in ("response", "revisit", "resource")
                                 and record.rec_headers
                                 .get_header("WARC-Target-URI").startswith(("http", "<http")))]


def write_wacz(path: Path, warc_gz: bytes, compression: int = zipfile.ZIP_STORED,
               members: dict[str, bytes] | None = None) -> None:
    with zipfile.ZipFile(path, "w") as wacz:
        wacz.writestr("datapackage.json", '{"profile": "data-package", "resources": []}',
                      compress_type=zipfile.ZIP_DEFLATED)
        for name, data in (members or {"archive/data.warc.gz": warc_gz}).items():
            wacz.writestr(name, data, compress_type=compression)
        wacz.writestr("indexes/index.cdx", "org,wilsoncenter)/plain 20240115093000 {}\n",
                      compress_type=zipfile.ZIP_DEFLATED)


def plain_source(path: Path) -> WarcSource:
    return WarcSource(path, None, path.name, path.stat().st_size)


def big_warc(path: Path, count: int = 12, size: int = 40_000) -> list[bytes]:
    """Incompressible bodies, so that the file is many times warcio's 16 KiB read buffer."""
    noise = random.Random(7)
    bodies = [noise.randbytes(size) for _ in range(count)]
    with open(path, "wb") as file:
        writer = WARCWriter(file, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, FIRST_INFO))
        for number, body in enumerate(bodies):
            response(writer, f"{SITE}/big/{number}", "2024-01-15T09:30:00Z", body,
                     [("Content-Type", "application/octet-stream")])
    return bodies



def fields_of(record: IndexedRecord) -> tuple:
    """An indexed record as a row of EXPECTED: its digest by name, offsets left out."""
    digest_name = {digest: name for name, digest in DIGESTS.items()}.get(record.digest)
    return (record.rec_type, record.target_uri, record.date, record.status, record.mimetype,
            digest_name, record.refers_to_uri, record.refers_to_date, record.truncated)

