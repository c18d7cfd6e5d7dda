"""What `harvester crawl archive --source warc` refuses before any work, with exit 2 and one
line saying why, and no output folder made: a path missing, not a regular file or not a WARC,
a WACZ member over the size bound, options that make no sense together. Run as the command
runs in its own process (`harvester.cli.main`): nothing here starts a crawl."""

import os
from pathlib import Path

import pytest

from harvester.cli import main
from tests.helpers import captures as plan

QUIET = ["-s", "HARVESTER_PROGRESS_INTERVAL=0"]


def refused(capsys, out: Path, *args: str) -> tuple[int, str]:
    """The exit code and the last line on stderr of `harvester crawl archive ARGS`."""
    code = main(["crawl", "archive", *args, "--out", str(out), *QUIET])
    return code, capsys.readouterr().err.strip().splitlines()[-1]


@pytest.mark.parametrize(("make", "said"), [
    (lambda tmp: Path("/dev/zero"), "not a regular file: /dev/zero is a character device"),
    (lambda tmp: (os.mkfifo(tmp / "fifo.warc"), tmp / "fifo.warc")[1],
     "not a regular file: {tmp}/fifo.warc is a FIFO"),
], ids=["device", "fifo"])
def test_a_special_file_is_refused_saying_what_it_is(tmp_path, capsys, make, said):
    """Before: /dev/zero given directly said "not found"."""
    path = make(tmp_path)
    assert refused(capsys, tmp_path / "out", "--source", "warc", str(path)) == (
        2, "harvester: " + said.format(tmp=tmp_path))
    assert not (tmp_path / "out").exists()


def test_a_wacz_member_over_the_size_bound_is_never_opened(warc, tmp_path, capsys):
    wacz = plan.write_wacz(tmp_path / "crawl.wacz", warc)
    assert refused(capsys, tmp_path / "out", "--source", "warc", str(wacz),
                   "-s", "HARVESTER_WACZ_MAX_MEMBER_BYTES=1000") == (2, (
        f"harvester: crawl.wacz/archive/archive.warc.gz: a zip member of "
        f"{warc.stat().st_size} bytes, over HARVESTER_WACZ_MAX_MEMBER_BYTES 1000, not opened"))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("args", "said"), [
    (["--incremental"], "--incremental does not go with --source warc: files are read whole, "
                        "and a run over the same files again finds nothing new"),
    (["--captured-from", "2025", "--captured-to", "2024"],
     "--captured-from 2025 is after --captured-to 2024: no capture can be in that window"),
], ids=["incremental", "window"])
def test_options_that_make_no_sense_together_are_refused_up_front(warc, tmp_path, capsys, args,
                                                                  said):
    assert refused(capsys, tmp_path / "out", *args, "--source", "warc", str(warc)) == (
        2, f"harvester: {said}")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("paths", "message"), [
    (["missing.warc.gz"], "not found"),
    (["notes.txt"], "notes.txt at byte 0: neither a WARC nor an ARC file"),
    ([], "--source warc needs WARC, ARC or WACZ files or folders"),
])
def test_bad_warc_inputs_are_refused_with_the_reason(tmp_path, capsys, paths, message):
    (tmp_path / "notes.txt").write_text("not a warc", "utf-8")
    code, line = refused(capsys, tmp_path / "out", "--source", "warc",
                         *[str(tmp_path / p) for p in paths])
    assert code == 2
    assert message in line
    assert not (tmp_path / "out").exists()
