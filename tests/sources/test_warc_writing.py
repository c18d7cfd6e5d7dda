"""The crawl's own WARC writer: linked response and request pairs after a warcinfo, rotation at a
size, and recovery of a file a killed run left behind. Every file written is read back with
warcio and the index pass."""

import gzip
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from harvester.sources.warcfiles import index_records, read_record
from harvester.sources.warcfind import find_warcs
from harvester.sources.warcwrite import WarcRecorder
from tests.helpers.warcs import SITE, plain_source, sha1_of

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
    (source,) = find_warcs([recorder.files[0]]).sources
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
