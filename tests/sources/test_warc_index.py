"""The index pass over a WARC: exactly the HTTP responses, revisits and resources, their offsets
and warcinfo,
progress, and where a cut, gzipped-whole, garbage-tailed or damaged file stops it. Every fixture
is written with warcio (tests/helpers/warcs.py)."""

import gzip
from io import BytesIO
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from harvester.sources.warcfiles import (
    IndexedRecord,
    WarcReader,
    WarcReadError,
    index_records,
    read_record,
)
from tests.helpers.warcs import (
    EXPECTED,
    FIRST_INFO,
    GZ_TEXT,
    PLAIN,
    SECOND_INFO,
    big_warc,
    fields_of,
    plain_source,
    warcio_offsets,
    write_sample,
)


@pytest.mark.parametrize("compressed", [True, False])
def test_index_yields_exactly_the_http_responses_revisits_and_resources(tmp_path: Path,
                                                                         compressed: bool):
    path = tmp_path / ("sample.warc.gz" if compressed else "sample.warc")
    write_sample(path, compressed)
    records = list(index_records(plain_source(path)))
    assert [fields_of(record) for record in records] == EXPECTED
    assert [record.offset for record in records] == warcio_offsets(path.read_bytes())
    assert [dict(record.warcinfo) for record in records] == (
        [FIRST_INFO] * 6 + [SECOND_INFO, FIRST_INFO])
    assert records[0].warcinfo is records[1].warcinfo        # one mapping per warcinfo
    assert records[7].warcinfo is records[0].warcinfo        # found by its WARC-Warcinfo-ID


def test_index_offsets_are_what_read_record_takes(sample: Path):
    source = plain_source(sample)
    with WarcReader() as reader:
        answers = [reader.read(source, record.offset, 10_000)
                   for record in index_records(source)]
    assert [answer.status for answer in answers] == [200, 200, 200, 200, None, 200, 200, 404]
    assert [answer.body for answer in answers] == [
        PLAIN, GZ_TEXT, b"Hello, world", b"logo", b"", b"", PLAIN, PLAIN]
    assert answers[3].headers == [("Content-Type", "text/plain")]
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


def test_the_walk_by_members_refuses_a_warc_gzipped_as_a_whole(tmp_path: Path):
    """What tells find_warcs to read such a file as one stream (test_foreign_warcs.py)."""
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
