"""WARC and WACZ files that try to fool the harvester (docs/RELIABILITY.md, "Web archives that
lie"), each crafted here (tests/helpers/hostile_warcs.py) and read by `harvester crawl …
--source warc` beside the researcher's WARC of tests/helpers/captures.py: nothing false is
published, what is refused is counted and named, nothing read is echoed, and every run ends."""

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.helpers import captures as plan
from tests.helpers import hostile_warcs as hostile
from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import BASE, load_json, read_jsonl

QUIET = ["-s", "HARVESTER_PROGRESS_INTERVAL=0"]
PUZANOV_ID, STALIN_ID = "115630", "112127"
# Bytes a run reads before its SIGTERM: Python's own modules are a few dozen MB of them.
READ_BEFORE_SIGNAL = 512 << 20


def harvest(out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*HARVESTER, "crawl", *args, "--out", str(out), *QUIET],
                          capture_output=True, text=True, timeout=300)


def last_line(result: subprocess.CompletedProcess) -> str:
    return result.stderr.strip().splitlines()[-1]


def documents(run: Path) -> dict[str, dict]:
    return {r["record_id"]: r for r in read_jsonl(run / "documents.jsonl")}


@pytest.fixture(scope="module")
def warc(tmp_path_factory) -> Path:
    return plan.write_warc(tmp_path_factory.mktemp("warc") / "archive.warc.gz", plan.plan())


# -- trust -------------------------------------------------------------------------------------
def test_a_replay_claimed_on_any_host_is_another_sites_page(warc, tmp_path):
    """Before: the forged replay, dated 2099, replaced record 115630's title."""
    spoofed = hostile.spoofed_replay(tmp_path / "in" / "spoofed.warc.gz", "evil.example",
                                     "20990101000000")
    result = harvest(tmp_path / "out", "archive", "--source", "warc", str(warc), str(spoofed))
    assert result.returncode == 0, result.stderr
    run = tmp_path / "out" / "latest"
    assert documents(run)[PUZANOV_ID]["title"] == (
        "Journal of Soviet Ambassador to the DPRK A.M. Puzanov for 7 September 1960")
    assert load_json(run / "manifest.json")["source"]["refused_records"] == {
        "replay on a web archive the run was not told about": 1}


def test_a_replay_on_a_web_archive_told_about_is_held_to_its_time(warc, tmp_path):
    spoofed = hostile.spoofed_replay(tmp_path / "in" / "spoofed.warc.gz", "evil.example",
                                     "20990101000000")
    result = harvest(tmp_path / "out", "archive", "--source", "warc", str(warc), str(spoofed),
                     "--wayback-url", "http://evil.example")
    assert result.returncode == 0, result.stderr
    run = tmp_path / "out" / "latest"
    assert hostile.FORGED_TITLE.decode() not in (run / "documents.jsonl").read_text("utf-8")
    assert load_json(run / "manifest.json")["source"]["refused_records"] == {
        "capture time after the run's start": 1}


def test_a_warcinfo_maps_nothing_unless_the_file_is_the_harvesters_own(warc, tmp_path):
    """Before: example.org's page was published as …/document/not-in-archive."""
    foreign = hostile.mapped_foreign_site(tmp_path / "in" / "mapped.warc.gz")
    result = harvest(tmp_path / "out", "archive", "--source", "warc", str(warc), str(foreign))
    assert result.returncode == 0, result.stderr
    run = tmp_path / "out" / "latest"
    assert "990001" not in documents(run)
    assert "not-in-archive" not in (run / "documents.jsonl").read_text("utf-8") + \
        (run / "rejects.jsonl").read_text("utf-8")


def test_digests_that_are_not_their_payloads_merge_nothing(tmp_path):
    """Before: pages under one claimed digest became addresses of the first page's record."""
    slugs = [hostile.STALIN, hostile.PUZANOV, plan.CEAUSESCU, plan.ZHIVKOV, plan.KHRUSHCHEV]
    lying = hostile.one_digest_for_all(tmp_path / "in" / "lying.warc.gz", slugs)
    result = harvest(tmp_path / "out", "archive", "--source", "warc", str(lying))
    assert result.returncode == 0, result.stderr
    run = tmp_path / "out" / "latest"
    assert sorted(r["slug"] for r in documents(run).values()) == sorted(slugs)
    source = load_json(run / "manifest.json")["source"]
    assert (source["refused_records"], source["skipped"]) == (
        {"payload digest does not match the payload": 4}, {})
    # Only the first page's record carries the digest, which is its own.
    assert sorted((r["slug"], r["capture"]["digest"] is None) for r in documents(run).values()) \
        == sorted((slug, slug != slugs[0]) for slug in slugs)


# -- files told apart ----------------------------------------------------------------------------
def test_files_of_one_name_in_two_folders_are_two_files(tmp_path):
    """Before: record 112127 was published under the Puzanov URL; the second file was never
    indexed."""
    first = hostile.write_records(tmp_path / "a" / "crawl.warc.gz", [
        (f"{BASE}/document/{hostile.STALIN}", "2024-01-15T09:30:00Z", hostile.page(
            hostile.STALIN))])
    second = hostile.write_records(tmp_path / "b" / "crawl.warc.gz", [
        (f"{BASE}/document/{hostile.PUZANOV}", "2024-01-15T09:30:00Z", hostile.page(
            hostile.PUZANOV))])
    result = harvest(tmp_path / "out", "archive", "--source", "warc", str(first), str(second))
    assert result.returncode == 0, result.stderr
    found = {r["url"]: r["capture"]["url"].rpartition("#")[0]
             for r in documents(tmp_path / "out" / "latest").values()}
    assert found == {f"{BASE}/document/{hostile.STALIN}": "a/crawl.warc.gz",
                     f"{BASE}/document/{hostile.PUZANOV}": "b/crawl.warc.gz"}
    assert documents(tmp_path / "out" / "latest")[STALIN_ID]["slug"] == hostile.STALIN


def test_a_link_out_of_the_folder_is_refused_and_nothing_of_it_read(warc, tmp_path):
    """Before: the linked file's first line (a password) was in the published manifest."""
    (tmp_path / "secret.txt").write_bytes(hostile.SECRET)
    folder = tmp_path / "warcs"
    folder.mkdir()
    os.link(warc, folder / "archive.warc.gz")
    (folder / "linked.warc.gz").symlink_to(tmp_path / "secret.txt")
    result = harvest(tmp_path / "out", "archive", "--source", "warc", str(folder))
    assert result.returncode == 0, result.stderr
    run = tmp_path / "out" / "latest"
    assert load_json(run / "manifest.json")["source"]["damaged_files"] == [
        f"{folder}/linked.warc.gz: a link to a file outside {folder}, not read"]
    everything = result.stderr + "".join(path.read_text("utf-8") for path in run.iterdir()
                                         if path.is_file())
    assert hostile.SECRET.decode().strip() not in everything


def test_garbage_with_terminal_escapes_reaches_no_terminal(warc, tmp_path):
    """Before: raw ANSI escapes from a garbage file reached the terminal."""
    folder = tmp_path / "warcs"
    folder.mkdir()
    os.link(warc, folder / "archive.warc.gz")
    (folder / "garbage\x1b[31m.warc").write_bytes(b"WARC/1.1\r\n" + hostile.ESCAPES + b"\r\n")
    result = harvest(tmp_path / "out", "archive", "--source", "warc", str(folder), "-v")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    [damaged] = load_json(tmp_path / "out" / "latest" / "manifest.json")["source"][
        "damaged_files"]
    assert damaged.startswith("garbage\\x1b[31m.warc at byte 0: ")
    assert "pwned" not in damaged


@pytest.mark.parametrize(("make", "said"), [
    (lambda tmp: Path("/dev/zero"), "not a regular file: /dev/zero is a character device"),
    (lambda tmp: (os.mkfifo(tmp / "fifo.warc"), tmp / "fifo.warc")[1],
     "not a regular file: {tmp}/fifo.warc is a FIFO"),
], ids=["device", "fifo"])
def test_a_special_file_is_refused_saying_what_it_is(tmp_path, make, said):
    """Before: /dev/zero given directly said "not found"."""
    path = make(tmp_path)
    result = harvest(tmp_path / "out", "archive", "--source", "warc", str(path))
    assert (result.returncode, last_line(result)) == (2, "harvester: " + said.format(
        tmp=tmp_path))


def test_a_fifo_in_a_folder_is_named_and_never_opened(warc, tmp_path):
    folder = tmp_path / "warcs"
    folder.mkdir()
    os.link(warc, folder / "archive.warc.gz")
    os.mkfifo(folder / "pipe.warc.gz")
    result = harvest(tmp_path / "out", "archive", "--source", "warc", str(folder))
    assert result.returncode == 0, result.stderr
    assert load_json(tmp_path / "out" / "latest" / "manifest.json")["source"][
        "damaged_files"] == [f"{folder}/pipe.warc.gz: a FIFO, not read"]


def test_a_zip_bomb_in_a_wacz_is_never_inflated(warc, tmp_path):
    """Before: a 2 MB zip bomb was still being read after 600 s, saying nothing."""
    wacz = hostile.bomb_wacz(tmp_path / "bomb.wacz", warc, inflated=256 << 20)
    result = harvest(tmp_path / "out", "archive", "--source", "warc", str(wacz))
    assert result.returncode == 0, result.stderr
    [damaged] = load_json(tmp_path / "out" / "latest" / "manifest.json")["source"][
        "damaged_files"]
    with zipfile.ZipFile(wacz) as opened:
        compressed = opened.getinfo("archive/bomb.warc").compress_size
    inflated = (256 << 20) + len(b"WARC/1.1\r\nWARC-Type: response\r\n")
    assert damaged == (f"bomb.wacz/archive/bomb.warc: a zip member of {compressed} bytes "
                       f"inflating to {inflated}, over HARVESTER_WACZ_MAX_RATIO 100, not opened")


def test_a_wacz_member_over_the_size_bound_is_never_opened(warc, tmp_path):
    wacz = plan.write_wacz(tmp_path / "crawl.wacz", warc)
    result = harvest(tmp_path / "out", "archive", "--source", "warc", str(wacz),
                     "-s", "HARVESTER_WACZ_MAX_MEMBER_BYTES=1000")
    assert (result.returncode, last_line(result)) == (2, (
        f"harvester: crawl.wacz/archive/archive.warc.gz: a zip member of "
        f"{warc.stat().st_size} bytes, over HARVESTER_WACZ_MAX_MEMBER_BYTES 1000, not opened"))


def test_sigterm_stops_a_run_reading_a_record_of_endless_zeros(tmp_path):
    """Before: a file of zeros was read in quadratic time and SIGTERM was not heard until it
    was all read. A record of 100 GB of zeros (a hole in a sparse file) is being indexed when
    the signal comes: the run stops where it is, far from the record's end."""
    length = 100 << 30
    zeros = hostile.endless_zeros(tmp_path / "zeros.warc", length)
    process = subprocess.Popen([*HARVESTER, "crawl", "archive", "--source", "warc", str(zeros),
                                "--out", str(tmp_path / "out"), *QUIET],
                               stderr=subprocess.PIPE, text=True)
    io = Path(f"/proc/{process.pid}/io")
    while process.poll() is None and _read_bytes(io) < READ_BEFORE_SIGNAL:
        # Waits a little between looks; the subprocess timeout below bounds a broken run.
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.05)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 143, stderr
    stopped = [line for line in stderr.splitlines() if "stopped by a signal at byte" in line]
    assert len(stopped) == 1, stderr
    at = int(stopped[0].split("stopped by a signal at byte ")[1].split(" ")[0])
    # Python and its modules are a few dozen MB: the rest was the record of zeros.
    assert READ_BEFORE_SIGNAL // 2 < at < length // 100
    assert stderr.strip().splitlines()[-1] == "harvester: stopped by SIGTERM; nothing published"


def _read_bytes(io: Path) -> int:
    try:
        fields = dict(line.split(": ") for line in io.read_text().splitlines())
    except (OSError, ValueError):
        return 0
    return int(fields.get("rchar", 0))


# -- options -----------------------------------------------------------------------------------
def test_a_trial_run_over_warc_files_ends_at_its_limit(warc, tmp_path):
    """Before: `--limit 3` over WARC files idled for ever."""
    result = harvest(tmp_path / "out", "archive", "--limit", "3", "--source", "warc", str(warc))
    assert result.returncode == 0, result.stderr
    [run] = tmp_path.glob("out/*-partial")
    manifest = load_json(run / "manifest.json")
    assert (manifest["finish_reason"], manifest["counts"]["documents"]) == ("limit", 3)


@pytest.mark.parametrize(("args", "said"), [
    (["--incremental"], "--incremental does not go with --source warc: files are read whole, "
                        "and a run over the same files again finds nothing new"),
    (["--captured-from", "2025", "--captured-to", "2024"],
     "--captured-from 2025 is after --captured-to 2024: no capture can be in that window"),
], ids=["incremental", "window"])
def test_options_that_make_no_sense_together_are_refused_up_front(warc, tmp_path, args, said):
    result = harvest(tmp_path / "out", "archive", *args, "--source", "warc", str(warc))
    assert (result.returncode, last_line(result)) == (2, f"harvester: {said}")
    assert not (tmp_path / "out").exists()


def test_the_state_keeps_each_files_identity(warc, tmp_path):
    """A run resumes only with the arguments it began with, which name each file's device,
    inode, size and modification time: a file changed since a run began is a new run's file,
    and the interrupted run's offsets into it are never read."""
    result = harvest(tmp_path / "out", "archive", "--source", "warc", str(warc))
    assert result.returncode == 0, result.stderr
    [state] = (tmp_path / "out" / "state").glob("archive@warc.sqlite")
    with sqlite3.connect(state) as db:
        [arguments] = [json.loads(row[0]) for row in db.execute("SELECT arguments FROM runs")]
    status = warc.stat()
    assert arguments["files"] == {warc.name: f"{status.st_dev}:{status.st_ino}:"
                                             f"{status.st_size}:{status.st_mtime_ns}"}
