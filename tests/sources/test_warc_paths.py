"""The files a `--source warc` run is given (harvester/sources/warcpaths.py): each named
uniquely by its path, known by its identity, read once; links out of the given folders and
special files refused and named, nothing of them read; and reading a hostile file linear in its
size and stopped at once by a signal (harvester/sources/warcstream.py)."""

import io
import os
from pathlib import Path

import pytest

from harvester import interrupt
from harvester.sources.warcfiles import index_walk
from harvester.sources.warcpaths import WarcInputError, given_files, identity_of
from harvester.sources.warcstream import MAX_LINE, WarcReadError, WarcSource, walk_records
from tests.helpers import hostile_warcs as hostile
from tests.helpers.warcs import write_sample


@pytest.fixture
def sample(tmp_path) -> Path:
    write_sample(tmp_path / "sample.warc.gz")
    return tmp_path / "sample.warc.gz"


def test_files_of_one_name_in_two_folders_keep_their_folders_in_their_names(tmp_path, sample):
    for folder in ("a", "b/deeper"):
        (tmp_path / folder).mkdir(parents=True)
        write_sample(tmp_path / folder / "crawl.warc.gz")
    given = given_files([tmp_path / "a" / "crawl.warc.gz", tmp_path / "b"])
    assert [f.name for f in given.files] == ["a/crawl.warc.gz", "b/deeper/crawl.warc.gz"]
    assert given_files([sample]).files[0].name == "sample.warc.gz"
    assert [f.name for f in given_files([tmp_path / "b"]).files] == ["deeper/crawl.warc.gz"]


def test_one_file_reached_twice_is_read_once(tmp_path, sample):
    os.link(sample, tmp_path / "again.warc.gz")
    given = given_files([tmp_path, sample])
    assert [f.name for f in given.files] == ["again.warc.gz"]
    status = sample.stat()
    assert given.files[0].identity == identity_of(status) == (
        f"{status.st_dev}:{status.st_ino}:{status.st_size}:{status.st_mtime_ns}")


def test_links_out_of_a_folder_are_refused_and_links_within_it_followed(tmp_path, sample):
    folder = tmp_path / "crawls"
    (folder / "inside").mkdir(parents=True)
    (tmp_path / "secret.txt").write_bytes(hostile.SECRET)
    (folder / "inside" / "real.warc.gz").write_bytes(sample.read_bytes())
    (folder / "out.warc.gz").symlink_to(tmp_path / "secret.txt")
    (folder / "in.warc.gz").symlink_to(folder / "inside" / "real.warc.gz")
    (folder / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    given = given_files([folder])
    assert [(f.name, f.path) for f in given.files] == [
        ("in.warc.gz", (folder / "inside" / "real.warc.gz").resolve())]
    assert given.refused == [
        f"{folder}/elsewhere: a link to a folder outside {folder}, not read",
        f"{folder}/out.warc.gz: a link to a file outside {folder}, not read"]


def test_special_files_are_refused_saying_what_they_are(tmp_path, sample):
    os.mkfifo(tmp_path / "pipe.warc")
    assert given_files([tmp_path]).refused == [f"{tmp_path}/pipe.warc: a FIFO, not read"]
    for path, kind in ((tmp_path / "pipe.warc", "a FIFO"), (Path("/dev/null"),
                                                           "a character device")):
        with pytest.raises(WarcInputError) as refused:
            given_files([path])
        assert str(refused.value) == f"not a regular file: {path} is {kind}"
    with pytest.raises(WarcInputError, match="^not found: "):
        given_files([tmp_path / "missing.warc"])


class Counting(io.RawIOBase):
    """A stream that counts the bytes it gave."""

    def __init__(self, data: bytes) -> None:
        self.inner, self.given = io.BytesIO(data), 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self.inner.read(len(buffer))
        buffer[:len(chunk)] = chunk
        self.given += len(chunk)
        return len(chunk)


@pytest.mark.parametrize("zeros", [8 << 20, 64 << 20], ids=["8MB", "64MB"])
def test_a_header_line_of_zeros_is_damage_found_in_bounded_work(zeros):
    """Before: warcio joined the line piece by piece, in time quadratic in its length (64 MB of
    zeros: 165 s), reading the whole of it. Now no more than MAX_LINE is read, whatever the
    file's size: the work is the same for 8 MB and 64 MB."""
    stream = Counting(b"WARC/1.1\r\n" + bytes(zeros))
    with pytest.raises(WarcReadError) as damaged:
        list(walk_records(io.BufferedReader(stream), "zeros.warc"))
    assert str(damaged.value) == (f"zeros.warc at byte 0: a line of more than {MAX_LINE} "
                                  "bytes (not a WARC or ARC header)")
    assert MAX_LINE < stream.given <= MAX_LINE + 2 * (64 << 10)


def test_a_signal_stops_reading_at_the_next_block(tmp_path):
    """A record of 100 GB of zeros: asked to stop, the index gives up within a block."""
    zeros = hostile.endless_zeros(tmp_path / "zeros.warc", 100 << 30)
    source = WarcSource(zeros, None, zeros.name, zeros.stat().st_size)
    walk = index_walk(source)
    next(walk)   # the warcinfo record, read whole
    interrupt.request_stop()
    try:
        with pytest.raises(interrupt.Interrupted) as stopped:
            next(walk)
    finally:
        interrupt.clear()
    assert 0 < stopped.value.at < 1 << 20
