"""Files as other crawlers write them, each trait reproduced from a real sample (the writers and the
samples they reproduce are listed in tests/helpers/foreign_warcs.py): a WARC gzipped as one
stream or in members across records, ARC files, resource records, bodies kept br, zstd or
stacked, a body kept decoded under its gzip header, chunked bodies, a wrong Content-Length,
spaces in a target URI, and bad files among good ones."""

from io import BytesIO
from pathlib import Path

import pytest
from warcio.warcwriter import WARCWriter

from harvester.sources.content import encode_body
from harvester.sources.warcfiles import RecordBody, WarcReader, WarcReadError, index_records
from harvester.sources.warcfind import find_warcs
from tests.helpers.foreign_warcs import (
    BAD_ARC,
    HTML,
    PAGE,
    URL,
    members_across,
    response,
    single_stream,
    write_arc,
    write_encoded,
    write_invalid_wacz,
    write_kept_decoded,
    write_plain,
    write_resource,
    write_space_in_target,
    write_wrong_length,
)
from tests.helpers.pages import BASE, SITE
from tests.helpers.warcs import sha1_of, warcio_offsets

TOPIC_URL = f"{BASE}/topics/conversations-kim-il-sung"
TOPIC_PAGE = (SITE / "topics" / "conversations-kim-il-sung.html").read_bytes()
PAGES = {URL: PAGE, TOPIC_URL: TOPIC_PAGE}
ROWS = [("response", URL, "20240115090000", 200, "text/html"),
        ("response", TOPIC_URL, "20240115090100", 200, "text/html")]


def rows(records) -> list[tuple]:
    return [(r.rec_type, r.target_uri, r.date, r.status, r.mimetype) for r in records]


def only_source(path: Path):
    found = find_warcs([path])
    assert found.unreadable == []
    (source,) = found.sources
    return source


@pytest.mark.parametrize("layout", [single_stream, members_across])
def test_a_warc_gzipped_across_records_reads_as_its_plain_warc(tmp_path: Path, layout):
    plain = write_plain(tmp_path / "plain.warc", PAGES).read_bytes()
    source = only_source(layout(tmp_path / "whole.warc.gz", plain))
    assert (source.format, source.sequential) == ("warc", True)
    records = list(index_records(source))
    assert rows(records) == ROWS
    # Offsets in the decompressed stream: those of the same WARC uncompressed.
    assert [record.offset for record in records] == warcio_offsets(plain)
    with WarcReader() as reader:   # backwards, then forwards again: each read seeks
        bodies = [reader.read(source, record.offset, 1 << 24)
                  for record in [*reversed(records), *records]]
    assert [(body.status, body.body, body.complete) for body in bodies] == [
        (200, TOPIC_PAGE, True), (200, PAGE, True), (200, PAGE, True), (200, TOPIC_PAGE, True)]


def test_a_per_record_gzipped_warc_is_read_by_its_own_offsets(tmp_path: Path):
    source = only_source(write_plain(tmp_path / "members.warc.gz", PAGES, gzipped=True))
    assert (source.format, source.sequential) == ("warc", False)
    assert rows(index_records(source)) == ROWS


@pytest.mark.parametrize("name", ["crawl.arc", "crawl.arc.gz"])
def test_arc_records_become_response_captures(tmp_path: Path, name: str):
    source = only_source(write_arc(tmp_path / name, PAGES, gzipped=name.endswith(".gz")))
    assert (source.format, source.sequential) == ("arc", False)
    records = list(index_records(source))
    assert rows(records) == ROWS
    with WarcReader() as reader:
        first = reader.read(source, records[0].offset, 1 << 24)
    assert first == RecordBody(200, [("Content-Type", "text/html; charset=utf-8"),
                                     ("Content-Length", str(len(PAGE)))], PAGE, True)


def test_bad_files_among_good_ones_are_named_and_left_out(tmp_path: Path):
    write_plain(tmp_path / "good.warc", PAGES)
    (tmp_path / "bad.arc").write_bytes(BAD_ARC)
    write_invalid_wacz(tmp_path / "invalid.wacz")
    found = find_warcs([tmp_path])
    assert [source.name for source in found.sources] == ["good.warc"]
    assert found.unreadable == ["bad.arc at byte 0: record without a valid Content-Length",
                                "invalid.wacz: not a WACZ (no archive/*.warc* inside)"]


def test_a_resource_record_is_a_200_answer_under_its_own_content_type(tmp_path: Path):
    source = only_source(write_resource(tmp_path / "resource.warc.gz", URL, PAGE,
                                        "text/html; charset=utf-8"))
    (record,) = index_records(source)
    assert (record.rec_type, record.target_uri, record.status, record.mimetype,
            record.digest) == ("resource", URL, 200, "text/html", sha1_of(PAGE))
    with WarcReader() as reader:
        assert reader.read(source, record.offset, 1 << 24) == RecordBody(
            200, [("Content-Type", "text/html; charset=utf-8")], PAGE, True)


def test_bodies_kept_br_zstd_or_stacked_read_decoded(tmp_path: Path):
    codings = {"br": ["br"], "zstd": ["zstd"], "stacked": ["gzip", "br"],
               "deflate-zstd": ["deflate", "zstd"], "none": []}
    source = only_source(write_encoded(tmp_path / "encoded.warc.gz", {
        f"{URL}?{name}": (listed, PAGE) for name, listed in codings.items()}))
    with WarcReader() as reader:
        answers = [reader.read(source, record.offset, 1 << 24)
                   for record in index_records(source)]
    assert [(a.body == PAGE, a.complete) for a in answers] == [(True, True)] * len(codings)
    assert [dict(a.headers).get("Content-Encoding") for a in answers] == [
        "br", "zstd", "gzip, br", "deflate, zstd", None]


@pytest.mark.parametrize(("coding", "body", "reason"), [
    ("compress", PAGE, "unknown content coding 'compress'"),
    ("br", b"\x1b\x00garbage that is no brotli stream",
     "br body does not decode (brotli: decoder failed)"),
    ("zstd", b"\x28\xb5\x2f\xfd\x00garbage", "zstd body does not decode (Unable to decompress "
                                             "Zstandard data: Data corruption detected)"),
])
def test_a_body_that_does_not_decode_is_an_error_naming_file_offset_and_coding(
        tmp_path: Path, coding: str, body: bytes, reason: str):
    path = tmp_path / "bad-body.warc.gz"
    with open(path, "wb") as file:
        writer = WARCWriter(file, gzip=True)
        response(writer, f"{URL}?fine", "2024-01-15T09:30:00Z", PAGE, HTML)
        response(writer, URL, "2024-01-15T09:31:00Z", body,
                 [*HTML, ("Content-Encoding", coding)])
    source = only_source(path)
    offsets = [record.offset for record in index_records(source)]
    with WarcReader() as reader, pytest.raises(WarcReadError) as caught:
        reader.read(source, offsets[1], 1 << 24)
    assert str(caught.value) == f"bad-body.warc.gz at byte {offsets[1]}: {reason}"


def test_a_coded_body_cut_inside_a_whole_record_is_incomplete(tmp_path: Path):
    encoded = encode_body(PAGE, ["br"])
    path = tmp_path / "cut.warc.gz"
    with open(path, "wb") as file:
        response(WARCWriter(file, gzip=True), URL, "2024-01-15T09:30:00Z",
                 encoded[:len(encoded) // 2], [*HTML, ("Content-Encoding", "br")])
    source = only_source(path)
    (record,) = index_records(source)
    with WarcReader() as reader:
        answer = reader.read(source, record.offset, 1 << 24)
    assert answer.complete is False
    assert PAGE.startswith(answer.body) and len(answer.body) < len(PAGE)


def test_a_body_kept_decoded_under_its_gzip_header_reads_as_it_is(tmp_path: Path):
    source = only_source(write_kept_decoded(tmp_path / "kept.warc", URL, PAGE))
    (record,) = index_records(source)
    with WarcReader() as reader:
        answer = reader.read(source, record.offset, 1 << 24)
    assert (answer.status, answer.body, answer.complete) == (200, PAGE, True)


@pytest.mark.parametrize(("stored", "body", "complete"), [
    (b"5\r\nHello\r\n7\r\n, world\r\n0\r\n\r\n", b"Hello, world", True),
    (b"Hello, world", b"Hello, world", True),            # kept de-chunked under the header
    (b"5\r\nHello\r\nzz\r\n, world\r\n0\r\n\r\n", b"Hello", False),   # a bad chunk size
    (b"5\r\nHello\r\n7\r\n, wo", b"Hello", False),         # the last chunk cut short
])
def test_chunked_bodies(tmp_path: Path, stored: bytes, body: bytes, complete: bool):
    path = tmp_path / "chunked.warc.gz"
    with open(path, "wb") as file:
        response(WARCWriter(file, gzip=True), URL, "2024-01-15T09:30:00Z", stored,
                 [("Content-Type", "text/plain"), ("Transfer-Encoding", "chunked")])
    source = only_source(path)
    (record,) = index_records(source)
    with WarcReader() as reader:
        answer = reader.read(source, record.offset, 1 << 24)
    assert (answer.body, answer.complete) == (body, complete)


def test_a_wrong_content_length_stops_the_pass_at_that_record(tmp_path: Path):
    path = write_wrong_length(tmp_path / "wrong.warc", PAGES)
    source = only_source(path)
    got = []
    with pytest.raises(WarcReadError) as caught:
        got.extend(index_records(source))
    second = warcio_offsets(path.read_bytes())[1]
    assert rows(got) == ROWS[:1]
    assert str(caught.value) == (f"wrong.warc at byte {second}: no blank line after the record "
                                 "(its Content-Length is wrong?)")


def test_spaces_in_a_target_uri_are_percent_encoded(tmp_path: Path):
    source = only_source(write_space_in_target(tmp_path / "space.warc",
                                               f"{BASE}/search?q=kim il sung", PAGE))
    assert [record.target_uri for record in index_records(source)] == [
        f"{BASE}/search?q=kim%20il%20sung"]


def test_a_resource_with_a_revisit_of_it_reads_both(tmp_path: Path):
    path = tmp_path / "resource-revisit.warc.gz"
    with open(path, "wb") as file:
        writer = WARCWriter(file, gzip=True)
        writer.write_record(writer.create_warc_record(
            URL, "resource", payload=BytesIO(PAGE), length=len(PAGE),
            warc_content_type="text/html", warc_headers_dict={"WARC-Date": "2024-01-15T09:30:00Z"}))
        writer.write_record(writer.create_revisit_record(
            f"{BASE}/document/110360", sha1_of(PAGE), URL, "2024-01-15T09:30:00Z",
            warc_headers_dict={"WARC-Date": "2024-02-01T00:00:00Z"}))
    records = list(index_records(only_source(path)))
    assert [(r.rec_type, r.status, r.digest, r.refers_to_uri) for r in records] == [
        ("resource", 200, sha1_of(PAGE), None), ("revisit", None, sha1_of(PAGE), URL)]
