"""Finding WARC and WACZ files (and naming those that cannot be read), and reading one record
back: decoded bodies, the size limit, offsets where no record starts, WACZ members, open files,
and WARC dates. Every fixture is written with warcio (tests/helpers/warcs.py)."""

import gc
import zipfile
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from harvester.sources.warcfiles import (
    RecordBody,
    WarcReader,
    WarcReadError,
    index_records,
    read_record,
    warc_date_digits,
)
from harvester.sources.warcfind import WarcInputError, find_warcs
from tests.helpers.warcs import (
    EXPECTED,
    GZ_TEXT,
    PLAIN,
    fields_of,
    plain_source,
    warcio_offsets,
    write_sample,
    write_wacz,
)

# -- finding ------------------------------------------------------------------------------------

def test_find_warcs_searches_folders_recursively_in_name_order(tmp_path: Path):
    folder = tmp_path / "input"
    (folder / "sub").mkdir(parents=True)
    write_sample(folder / "sub" / "b.warc.gz")
    write_sample(folder / "a.warc", compressed=False)
    write_wacz(folder / "c.wacz", (folder / "sub" / "b.warc.gz").read_bytes())
    (folder / "notes.txt").write_text("not a WARC")
    sources = find_warcs([folder]).sources
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
    sources = find_warcs([str(other), sample, tmp_path, other]).sources
    assert [source.name for source in sources] == ["other.warc", "sample.warc.gz"]


def test_a_wacz_gives_one_source_per_archived_warc_sorted(tmp_path: Path, sample: Path):
    warc = sample.read_bytes()
    write_wacz(tmp_path / "crawl.wacz", warc,
               members={"archive/z.warc.gz": warc, "archive/a.warc": b"", "pages/p.jsonl": b""})
    sources = find_warcs([tmp_path / "crawl.wacz"]).sources
    assert [(source.name, source.member, source.size) for source in sources] == [
        ("crawl.wacz/archive/a.warc", "archive/a.warc", 0),
        ("crawl.wacz/archive/z.warc.gz", "archive/z.warc.gz", len(warc))]


@pytest.mark.parametrize("make, message", [
    (lambda root: None, "not found: {path}"),
    (lambda root: (root / "x").write_text("text"),
     "x at byte 0: neither a WARC nor an ARC file (its first bytes are not a WARC or ARC "
     "header)"),
    (lambda root: (root / "x").mkdir() or (root / "x" / "a.txt").write_text(""),
     "no WARC, ARC or WACZ files in folder {path}"),
    (lambda root: (root / "x").write_bytes(b"not a zip"),
     "x.wacz: not a WACZ (no archive/*.warc* inside)"),
    (lambda root: write_wacz(root / "x", b"", members={"pages/pages.jsonl": b"{}"}),
     "x.wacz: not a WACZ (no archive/*.warc* inside)"),
])
def test_find_warcs_refuses_what_holds_no_readable_file(tmp_path: Path, make, message):
    path = tmp_path / "x"
    make(tmp_path)
    if message.startswith("x.wacz"):
        path = path.rename(tmp_path / "x.wacz")
    with pytest.raises(WarcInputError) as caught:
        find_warcs([str(path)])
    assert str(caught.value) == message.format(path=path)


def test_a_bad_file_among_good_ones_is_named_and_left_out(tmp_path: Path, sample: Path):
    (tmp_path / "notes.wacz").write_bytes(b"not a zip")
    (tmp_path / "garbage.warc").write_bytes(b"\x00\x01garbage")
    found = find_warcs([tmp_path])
    assert [source.name for source in found.sources] == ["sample.warc.gz"]
    assert found.unreadable == [
        "garbage.warc at byte 0: neither a WARC nor an ARC file (its first bytes are not a "
        "WARC or ARC header)",
        "notes.wacz: not a WACZ (no archive/*.warc* inside)"]


def test_when_no_file_can_be_read_every_reason_is_said(tmp_path: Path):
    (tmp_path / "a.warc").write_bytes(b"junk")
    (tmp_path / "b.arc").write_bytes(b"filedesc://b.arc 0.0.0.0 20240101000000 text/plain x\n")
    with pytest.raises(WarcInputError) as caught:
        find_warcs([tmp_path])
    assert str(caught.value) == (
        "none of 2 files can be read: a.warc at byte 0: neither a WARC nor an ARC file (its "
        "first bytes are not a WARC or ARC header); b.arc at byte 0: record without a valid "
        "Content-Length")


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
    (source,) = find_warcs([tmp_path / "crawl.wacz"]).sources
    seen: list[int] = []
    records = list(index_records(source, seen.append))
    assert [fields_of(record) for record in records] == EXPECTED
    assert [record.offset for record in records] == warcio_offsets(sample.read_bytes())
    assert seen == sorted(seen) and seen[-1] == source.size
    with WarcReader() as reader:   # backwards too: each read seeks
        bodies = [reader.read(source, record.offset, 10_000).body
                  for record in reversed(records)]
    assert bodies == [PLAIN, PLAIN, b"", b"", b"logo", b"Hello, world", GZ_TEXT, PLAIN]


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


def test_reading_records_leaves_nothing_for_the_collector(sample: Path):
    """Each record's decompressed bytes go as soon as it is read: warcio's record iterator and
    its generator refer to each other, and held that buffer (a whole page, when pages
    compress well) until a collection came."""
    source = plain_source(sample)
    offsets = [record.offset for record in index_records(source)]
    with WarcReader() as reader:
        reader.read(source, offsets[0], 10_000)   # the file opened, before counting
        gc.collect()
        gc.disable()
        try:
            bodies = [reader.read(source, offset, 10_000).body for offset in offsets]
            assert [kept for kept in gc.get_objects() if isinstance(kept, ArchiveIterator)] == []
        finally:
            gc.enable()
    assert bodies == [PLAIN, GZ_TEXT, b"Hello, world", b"logo", b"", b"", PLAIN, PLAIN]
