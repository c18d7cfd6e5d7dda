"""WARC and WACZ files: finding, the index pass, reading one record back, and the crawl's own
WARC writer. Every fixture is written here with warcio."""

import base64
import gzip
import hashlib
import random
import zipfile
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from harvester.sources.warcfiles import (
    IndexedRecord,
    RecordBody,
    WarcInputError,
    WarcReader,
    WarcReadError,
    WarcSource,
    find_warcs,
    index_records,
    read_record,
    warc_date_digits,
)
from harvester.sources.warcwrite import WarcRecorder

SITE = "https://digitalarchive.wilsoncenter.org"
PLAIN = b"<html><body>plain page</body></html>"
GZ_TEXT = b"<html><body>" + b"gzip encoded page " * 50 + b"</body></html>"
GZ_BODY = gzip.compress(GZ_TEXT, mtime=0)
CHUNKED = b"5\r\nHello\r\n7\r\n, world\r\n0\r\n\r\n"
FIRST_INFO = {"software": "test-crawler/1.0", "operator": "Archivist",
              "description": "sample: with a colon"}
SECOND_INFO = {"software": "second-crawler/2.0"}
# What index_records yields for the sample, offsets and warcinfo aside.
EXPECTED = [
    ("response", f"{SITE}/plain", "20240115093000", 200, "text/html", "plain", None, None, None),
    ("response", f"{SITE}/gzipped", "20240115093100", 200, "text/html", "gz", None, None, None),
    ("response", f"{SITE}/chunked", "20240115093200", 200, "application/json", "chunked", None,
     None, "length"),
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


DIGESTS = {"plain": sha1_of(PLAIN), "gz": sha1_of(GZ_BODY), "chunked": sha1_of(CHUNKED)}


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
    """Offsets as warcio itself reports them: of the HTTP responses and revisits, or of all."""
    iterator = ArchiveIterator(BytesIO(data))
    return [iterator.get_record_offset() for record in iterator
            if not http_only or (record.rec_type in ("response", "revisit") and record.rec_headers
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


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = tmp_path / "sample.warc.gz"
    write_sample(path)
    return path


# -- finding ------------------------------------------------------------------------------------

def test_find_warcs_searches_folders_recursively_in_name_order(tmp_path: Path):
    folder = tmp_path / "input"
    (folder / "sub").mkdir(parents=True)
    write_sample(folder / "sub" / "b.warc.gz")
    write_sample(folder / "a.warc", compressed=False)
    write_wacz(folder / "c.wacz", (folder / "sub" / "b.warc.gz").read_bytes())
    (folder / "notes.txt").write_text("not a WARC")
    sources = find_warcs([folder])
    assert [source.name for source in sources] == [
        "a.warc", "c.wacz/archive/data.warc.gz", "sub/b.warc.gz"]
    assert [source.member for source in sources] == [None, "archive/data.warc.gz", None]
    assert [source.path for source in sources] == [
        folder / "a.warc", folder / "c.wacz", folder / "sub" / "b.warc.gz"]
    with zipfile.ZipFile(folder / "c.wacz") as wacz:
        member_size = wacz.getinfo("archive/data.warc.gz").compress_size
    assert [source.size for source in sources] == [
        (folder / "a.warc").stat().st_size, member_size,
        (folder / "sub" / "b.warc.gz").stat().st_size]
    assert member_size == (folder / "sub" / "b.warc.gz").stat().st_size   # stored as is


def test_find_warcs_keeps_the_order_given_and_each_file_once(tmp_path: Path, sample: Path):
    other = tmp_path / "other.warc"
    write_sample(other, compressed=False)
    sources = find_warcs([str(other), sample, tmp_path, other])
    assert [source.name for source in sources] == ["other.warc", "sample.warc.gz"]


def test_a_wacz_gives_one_source_per_archived_warc_sorted(tmp_path: Path, sample: Path):
    warc = sample.read_bytes()
    write_wacz(tmp_path / "crawl.wacz", warc,
               members={"archive/z.warc.gz": warc, "archive/a.warc": b"", "pages/p.jsonl": b""})
    sources = find_warcs([tmp_path / "crawl.wacz"])
    assert [(source.name, source.member, source.size) for source in sources] == [
        ("crawl.wacz/archive/a.warc", "archive/a.warc", 0),
        ("crawl.wacz/archive/z.warc.gz", "archive/z.warc.gz", len(warc))]


@pytest.mark.parametrize("make, message", [
    (lambda root: None, "not found: {path}"),
    (lambda root: (root / "x").write_text("text"), "not a WARC, WARC.GZ or WACZ file: {path}"),
    (lambda root: (root / "x").mkdir() or (root / "x" / "a.txt").write_text(""),
     "no WARC files in folder {path}"),
    (lambda root: (root / "x").write_bytes(b"not a zip"),
     "not a WACZ (no archive/*.warc* inside): {path}"),
    (lambda root: write_wacz(root / "x", b"", members={"pages/pages.jsonl": b"{}"}),
     "not a WACZ (no archive/*.warc* inside): {path}"),
])
def test_find_warcs_refuses_what_holds_no_warc(tmp_path: Path, make, message):
    path = tmp_path / "x"
    make(tmp_path)
    if message.startswith("not a WACZ"):
        path = path.rename(tmp_path / "x.wacz")
    with pytest.raises(WarcInputError) as caught:
        find_warcs([str(path)])
    assert str(caught.value) == message.format(path=path)


# -- index pass ---------------------------------------------------------------------------------

def fields_of(record: IndexedRecord) -> tuple:
    digest_name = {digest: name for name, digest in DIGESTS.items()}.get(record.digest)
    return (record.rec_type, record.target_uri, record.date, record.status, record.mimetype,
            digest_name, record.refers_to_uri, record.refers_to_date, record.truncated)


@pytest.mark.parametrize("compressed", [True, False])
def test_index_yields_exactly_the_http_responses_and_revisits(tmp_path: Path, compressed: bool):
    path = tmp_path / ("sample.warc.gz" if compressed else "sample.warc")
    write_sample(path, compressed)
    records = list(index_records(plain_source(path)))
    assert [fields_of(record) for record in records] == EXPECTED
    assert [record.offset for record in records] == warcio_offsets(path.read_bytes())
    assert [dict(record.warcinfo) for record in records] == (
        [FIRST_INFO] * 5 + [SECOND_INFO, FIRST_INFO])
    assert records[0].warcinfo is records[1].warcinfo        # one mapping per warcinfo
    assert records[6].warcinfo is records[0].warcinfo        # found by its WARC-Warcinfo-ID


def test_index_offsets_are_what_read_record_takes(sample: Path):
    source = plain_source(sample)
    with WarcReader() as reader:
        answers = [reader.read(source, record.offset, 10_000)
                   for record in index_records(source)]
    assert [answer.status for answer in answers] == [200, 200, 200, None, 200, 200, 404]
    assert [answer.body for answer in answers] == [
        PLAIN, GZ_TEXT, b"Hello, world", b"", b"", PLAIN, PLAIN]
    assert all(answer.complete for answer in answers)


def test_progress_rises_to_the_source_size(tmp_path: Path):
    path = tmp_path / "big.warc.gz"
    big_warc(path)
    size = path.stat().st_size
    seen: list[int] = []
    records = list(index_records(plain_source(path), seen.append))
    assert len(records) == 12
    assert len(seen) >= 13                       # after each record, the warcinfo too
    assert seen == sorted(seen)
    assert seen[0] < size / 4                     # read as it goes, not all at once
    assert seen[-1] == size
    assert all(0 <= value <= size for value in seen)


def test_an_empty_file_has_no_records_and_reports_its_end(tmp_path: Path):
    (tmp_path / "empty.warc.gz").write_bytes(b"")
    seen: list[int] = []
    assert list(index_records(plain_source(tmp_path / "empty.warc.gz"), seen.append)) == []
    assert seen == [0]


def test_a_record_cut_at_the_end_is_an_error_after_the_good_ones(sample: Path):
    data = sample.read_bytes()
    last = warcio_offsets(data)[-1]
    sample.write_bytes(data[:last + (len(data) - last) // 2])
    got: list[IndexedRecord] = []
    with pytest.raises(WarcReadError) as caught:
        got.extend(index_records(plain_source(sample)))
    assert [record.target_uri for record in got] == [row[1] for row in EXPECTED[:-1]]
    assert str(caught.value).startswith(f"sample.warc.gz at byte {last}: ")
    assert caught.value.offset == last


def test_an_uncompressed_record_cut_short_is_an_error(tmp_path: Path):
    path = tmp_path / "sample.warc"
    write_sample(path, compressed=False)
    data = path.read_bytes()
    last = warcio_offsets(data)[-1]
    path.write_bytes(data[:-30])
    got: list[IndexedRecord] = []
    with pytest.raises(WarcReadError, match=f"^sample.warc at byte {last}: record cut short$"):
        got.extend(index_records(plain_source(path)))
    assert len(got) == len(EXPECTED) - 1
    answer = read_record(plain_source(path), last, 1000)
    assert (answer.status, answer.complete) == (404, False)
    assert PLAIN.startswith(answer.body) and len(answer.body) < len(PLAIN)


@pytest.mark.parametrize("compressed", [True, False])
def test_every_cut_inside_the_last_record_is_found(tmp_path: Path, compressed: bool):
    """Wherever a kill cuts the last record (its WARC headers, HTTP headers, payload, gzip
    trailer), the good records come first, then the error names where the cut record starts."""
    path = tmp_path / ("sample.warc.gz" if compressed else "sample.warc")
    write_sample(path, compressed)
    data = path.read_bytes()
    iterator = ArchiveIterator(BytesIO(data))
    spans = [(iterator.get_record_offset(), iterator.get_record_length()) for _ in iterator]
    last, length = spans[-1]
    whole = len(data) if compressed else last + length   # uncompressed: blank lines may go
    for cut in range(last + 1, len(data)):
        path.write_bytes(data[:cut])
        got: list[IndexedRecord] = []
        if cut < whole:
            with pytest.raises(WarcReadError) as caught:
                got.extend(index_records(plain_source(path)))
            assert caught.value.offset == last, cut
            assert len(got) == len(EXPECTED) - 1, cut
        else:
            assert len(list(index_records(plain_source(path)))) == len(EXPECTED), cut


def test_a_warc_gzipped_as_a_whole_is_refused(tmp_path: Path):
    path = tmp_path / "whole.warc.gz"
    write_sample(tmp_path / "sample.warc", compressed=False)
    path.write_bytes(gzip.compress((tmp_path / "sample.warc").read_bytes()))
    with pytest.raises(WarcReadError, match="^whole.warc.gz at byte 0: gzip member holds more"):
        list(index_records(plain_source(path)))


@pytest.mark.parametrize("compressed", [True, False])
@pytest.mark.parametrize("garbage", [b"\x00\x17garbage left by a crash\nand more\n", b"xyz"])
def test_garbage_after_the_last_record_is_an_error_after_all_records(
        tmp_path: Path, compressed: bool, garbage: bytes):
    path = tmp_path / ("sample.warc.gz" if compressed else "sample.warc")
    write_sample(path, compressed)
    size = path.stat().st_size
    with open(path, "ab") as file:
        file.write(garbage)
    got: list[IndexedRecord] = []
    with pytest.raises(WarcReadError) as caught:
        got.extend(index_records(plain_source(path)))
    assert len(got) == len(EXPECTED)
    assert caught.value.offset == size


def test_bad_bytes_inside_a_member_stop_the_pass_there(tmp_path: Path, capfd):
    path = tmp_path / "big.warc.gz"
    big_warc(path)
    data = bytearray(path.read_bytes())
    offsets = warcio_offsets(bytes(data))
    middle = (offsets[5] + offsets[6]) // 2
    data[middle:middle + 64] = bytes(64)
    path.write_bytes(bytes(data))
    got: list[IndexedRecord] = []
    with pytest.raises(WarcReadError) as caught:
        got.extend(index_records(plain_source(path)))
    assert [record.offset for record in got] == offsets[:5]
    assert caught.value.offset == offsets[5]
    assert capfd.readouterr().err == ""          # no line per block read on to the end


# -- reading one record -------------------------------------------------------------------------

def test_read_record_decodes_gzip_and_chunked_bodies(sample: Path):
    source = plain_source(sample)
    offsets = warcio_offsets(sample.read_bytes())
    gzipped = read_record(source, offsets[1], 1_000_000)
    assert gzipped == RecordBody(200, [("Content-Type", "Text/HTML"),
                                       ("Content-Encoding", "gzip")], GZ_TEXT, True)
    chunked = read_record(source, offsets[2], 1_000_000)
    assert chunked == RecordBody(200, [("Content-Type", "application/json"),
                                       ("Transfer-Encoding", "chunked")], b"Hello, world", True)


@pytest.mark.parametrize("max_size, body, complete", [
    (10, GZ_TEXT[:10], False), (len(GZ_TEXT) - 1, GZ_TEXT[:-1], False),
    (len(GZ_TEXT), GZ_TEXT, True), (0, b"", False)])
def test_read_record_stops_at_max_size(sample: Path, max_size: int, body: bytes, complete: bool):
    answer = read_record(plain_source(sample), warcio_offsets(sample.read_bytes())[1], max_size)
    assert (answer.body, answer.complete) == (body, complete)


@pytest.mark.parametrize("compressed", [True, False])
def test_read_record_where_no_record_starts_is_an_error(tmp_path: Path, compressed: bool):
    path = tmp_path / ("sample.warc.gz" if compressed else "sample.warc")
    write_sample(path, compressed)
    data = path.read_bytes()
    starts = set(warcio_offsets(data, http_only=False))
    assert len(starts) == 13
    source = plain_source(path)
    with WarcReader() as reader:
        for offset in [*range(len(data) + 1), 10**9]:
            if offset not in starts:
                with pytest.raises(WarcReadError, match=f"^{path.name} at byte {offset}: "):
                    reader.read(source, offset, 1000)


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_wacz_member_reads_like_the_warc_it_holds(tmp_path: Path, sample: Path,
                                                    compression: int):
    write_wacz(tmp_path / "crawl.wacz", sample.read_bytes(), compression)
    (source,) = find_warcs([tmp_path / "crawl.wacz"])
    seen: list[int] = []
    records = list(index_records(source, seen.append))
    assert [fields_of(record) for record in records] == EXPECTED
    assert [record.offset for record in records] == warcio_offsets(sample.read_bytes())
    assert seen == sorted(seen) and seen[-1] == source.size
    with WarcReader() as reader:   # backwards too: each read seeks
        bodies = [reader.read(source, record.offset, 10_000).body
                  for record in reversed(records)]
    assert bodies == [PLAIN, PLAIN, b"", b"", b"Hello, world", GZ_TEXT, PLAIN]


def test_the_reader_keeps_only_a_few_files_open(tmp_path: Path):
    sources = []
    for number in range(3):
        path = tmp_path / f"s{number}.warc.gz"
        write_sample(path)
        sources.append(plain_source(path))
    reader = WarcReader(max_open=2)
    for source in sources + sources[::-1]:
        offset = warcio_offsets(source.path.read_bytes())[1]
        assert reader.read(source, offset, 10_000).body == GZ_TEXT
        assert len(reader._open) <= 2
    reader.close()
    assert not reader._open


@pytest.mark.parametrize("text, digits", [
    ("2024-01-15T09:30:00Z", "20240115093000"), ("2024-01-15T09:30:00.123456Z", "20240115093000"),
    ("2024-01-15T10:30:00+01:00", "20240115093000"), ("2024-01-15T09:30:00.5Z", "20240115093000"),
    ("20240115093000", "20240115093000"), ("", "")])
def test_warc_dates_become_14_digits(text: str, digits: str):
    assert warc_date_digits(text) == digits


# -- the crawl's own WARC -----------------------------------------------------------------------

INFO = {"harvester-version": "0.1.0", "base-url": SITE, "public-base-url": SITE,
        "settings": '{"DOWNLOAD_DELAY": 1}'}
WHEN = datetime(2024, 1, 15, 9, 30, 0, 123456, tzinfo=UTC)


def record_pair(recorder: WarcRecorder, number: int, body: bytes | None = None) -> bytes:
    body = body if body is not None else b"<html>page %d</html>" % number
    recorder.write(f"{SITE}/document/{number}?lang=en", "GET",
                   [("User-Agent", "harvester"), ("Accept-Encoding", "gzip")], 200, "OK",
                   [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked"),
                    ("Content-Length", "999")], body, when=WHEN)
    return body


def all_records(path: Path) -> list:
    """Every record of a file, read end to end with warcio alone."""
    with open(path, "rb") as file:
        iterator = ArchiveIterator(file)
        return [(record.rec_type, record.rec_headers, record.http_headers,
                 record.content_stream().read()) for record in iterator]


def test_the_recorder_writes_linked_pairs_after_a_warcinfo(tmp_path: Path):
    recorder = WarcRecorder(tmp_path / "warc", "crawl", INFO)
    bodies = [record_pair(recorder, number) for number in range(3)]
    encoded = gzip.compress(b"<html>zipped</html>", mtime=0)
    recorder.write(f"{SITE}/z", "GET", [], 200, "OK", [("Content-Encoding", "gzip")], encoded,
                   when=WHEN)
    recorder.close()
    assert recorder.files == [tmp_path / "warc" / "crawl-00000.warc.gz"]
    assert recorder.records == 4
    records = all_records(recorder.files[0])
    kind, info_headers, _http, fields = records[0]
    assert kind == "warcinfo"
    assert info_headers.get_header("WARC-Filename") == "crawl-00000.warc.gz"
    assert fields.decode().splitlines() == [
        "software: harvester", "format: WARC File Format 1.1", "harvester-version: 0.1.0",
        f"base-url: {SITE}", f"public-base-url: {SITE}", 'settings: {"DOWNLOAD_DELAY": 1}']
    info_id = info_headers.get_header("WARC-Record-ID")
    assert [kind for kind, *_ in records] == ["warcinfo"] + ["response", "request"] * 4
    for (_, answer, answer_http, body), (_, asked, asked_http, _), expected in zip(
            records[1::2], records[2::2], bodies, strict=False):
        assert answer.protocol == "WARC/1.1"
        assert asked.get_header("WARC-Concurrent-To") == answer.get_header("WARC-Record-ID")
        assert asked.get_header("WARC-Date") == answer.get_header("WARC-Date")
        assert answer.get_header("WARC-Date") == "2024-01-15T09:30:00.123456Z"
        assert answer.get_header("WARC-Warcinfo-ID") == info_id == asked.get_header(
            "WARC-Warcinfo-ID")
        assert answer.get_header("WARC-Payload-Digest") == sha1_of(expected)
        assert answer_http.get_header("Transfer-Encoding") is None
        assert answer_http.get_header("Content-Length") == str(len(expected))
        assert body == expected
        assert answer_http.protocol == "HTTP/1.1" and answer_http.statusline == "200 OK"
        assert asked_http.protocol == "GET"
        assert asked_http.get_header("User-Agent") == "harvester"
    assert records[2][2].statusline == "/document/0?lang=en HTTP/1.1"
    zipped = records[7]
    assert zipped[2].get_header("Content-Encoding") == "gzip"
    assert zipped[3] == b"<html>zipped</html>"            # decoded by warcio on the way out
    assert zipped[1].get_header("WARC-Payload-Digest") == sha1_of(encoded)
    (source,) = find_warcs([recorder.files[0]])
    indexed = list(index_records(source))
    assert [record.target_uri for record in indexed] == [
        f"{SITE}/document/{n}?lang=en" for n in range(3)] + [f"{SITE}/z"]
    assert read_record(source, indexed[3].offset, 100).body == b"<html>zipped</html>"


def test_the_recorder_rotates_files_at_max_bytes(tmp_path: Path):
    recorder = WarcRecorder(tmp_path, "crawl", INFO, max_bytes=3000)
    noise = random.Random(3)
    for number in range(6):
        record_pair(recorder, number, noise.randbytes(1200))
    recorder.close()
    assert [path.name for path in recorder.files] == [
        "crawl-00000.warc.gz", "crawl-00001.warc.gz", "crawl-00002.warc.gz"]
    responses = []
    for path in recorder.files:
        records = all_records(path)
        assert records[0][0] == "warcinfo"
        assert records[0][1].get_header("WARC-Filename") == path.name
        info_id = records[0][1].get_header("WARC-Record-ID")
        assert all(headers.get_header("WARC-Warcinfo-ID") == info_id
                   for _, headers, *_ in records[1:])
        responses.append(sum(kind == "response" for kind, *_ in records))
    assert responses == [2, 2, 2]
    assert recorder.records == 6


def written_run(folder: Path, pairs: int = 3) -> Path:
    recorder = WarcRecorder(folder, "crawl", INFO)
    for number in range(pairs):
        record_pair(recorder, number)
    recorder.close()
    return recorder.files[0]


def member_ends(path: Path) -> list[int]:
    with open(path, "rb") as file:
        iterator = ArchiveIterator(file)
        return [iterator.get_record_offset() + iterator.get_record_length()
                for _record in iterator]


@pytest.mark.parametrize("damage", ["cut", "garbage", "trailer"])
def test_a_killed_run_is_cut_back_and_continued_in_a_new_file(tmp_path: Path, damage: str):
    first = written_run(tmp_path)
    data = first.read_bytes()
    ends = member_ends(first)
    whole = {"cut": ends[-2], "garbage": len(data), "trailer": ends[-2]}[damage]
    first.write_bytes({"cut": data[:ends[-2] + 40], "garbage": data + b"\x1f\x8b\x08 half",
                       "trailer": data[:-4]}[damage])
    recorder = WarcRecorder(tmp_path, "crawl", INFO)
    assert first.read_bytes() == data[:whole]
    assert recorder.cut == (first, {"cut": 40, "garbage": 8, "trailer": len(data) - 4 - whole}[
        damage])
    record_pair(recorder, 9)
    recorder.close()
    assert recorder.files == [tmp_path / "crawl-00001.warc.gz"]
    for path in (first, *recorder.files):
        list(index_records(plain_source(path)))     # reads cleanly, end to end
    assert [kind for kind, *_ in all_records(recorder.files[0])] == [
        "warcinfo", "response", "request"]


def test_recovery_keeps_every_whole_record_wherever_the_kill_cut(tmp_path: Path):
    first = written_run(tmp_path / "run", pairs=2)
    data = first.read_bytes()
    ends = member_ends(first)          # warcinfo, response, request, response, request
    for cut in range(ends[-3] + 1, len(data) + 1):
        folder = tmp_path / str(cut)
        folder.mkdir()
        (folder / first.name).write_bytes(data[:cut])
        WarcRecorder(folder, "crawl", INFO).close()
        kept = max(end for end in ends if end <= cut)
        assert (folder / first.name).read_bytes() == data[:kept], cut


def test_a_file_killed_before_its_first_whole_record_is_removed(tmp_path: Path):
    first = written_run(tmp_path, pairs=1)
    data = first.read_bytes()
    first.write_bytes(data[:member_ends(first)[0] // 2])
    recorder = WarcRecorder(tmp_path, "crawl", INFO)
    assert not first.exists()
    record_pair(recorder, 1)
    recorder.close()
    assert recorder.files == [tmp_path / "crawl-00001.warc.gz"]


def test_a_clean_previous_run_is_left_as_it_was(tmp_path: Path):
    first = written_run(tmp_path)
    data = first.read_bytes()
    (tmp_path / "other-00007.warc.gz").write_bytes(b"another prefix, not touched")
    recorder = WarcRecorder(tmp_path, "crawl", INFO)
    recorder.close()
    assert first.read_bytes() == data
    assert recorder.cut is None and recorder.files == []     # nothing written, no file
    assert (tmp_path / "other-00007.warc.gz").read_bytes() == b"another prefix, not touched"
