"""WARC and WACZ files that try to fool the harvester (docs/RELIABILITY.md, "Web archives that
lie"), each crafted here (tests/helpers/hostile_warcs.py) and harvested offline beside the
researcher's WARC of tests/helpers/captures.py: the warc spider as `harvester crawl archive
--source warc` makes it, every record read by the WARC handler, the items through the
pipelines, and the run published as the crawl closes it. Nothing false is published, what is
refused is counted and named, nothing read is echoed. What needs the command itself (its exit
code, its terminal, a signal, a crawl's end at its limit) is in
tests/end_to_end/test_warc_hostile.py."""

import functools
import json
import logging
import os
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import captures as plan
from tests.helpers import hostile_warcs as hostile
from tests.helpers.offline_runs import harvest_files
from tests.helpers.pages import BASE, load_json, read_jsonl

PUZANOV_ID, STALIN_ID = "115630", "112127"


def documents(run: Path) -> dict[str, dict]:
    return {r["record_id"]: r for r in read_jsonl(run / "documents.jsonl")}


@pytest.fixture
def harvest(tmp_path) -> Callable[..., Path]:
    """Harvests the paths into `tmp_path/out` (`wayback_url` as `--wayback-url`): the
    published run's folder."""
    return functools.partial(harvest_files, tmp_path / "out")


def source_of(run: Path) -> dict:
    return load_json(run / "manifest.json")["source"]


# -- trust -------------------------------------------------------------------------------------
def test_a_replay_claimed_on_any_host_is_another_sites_page(warc, tmp_path, harvest):
    """Before: the forged replay, dated 2099, replaced record 115630's title."""
    spoofed = hostile.spoofed_replay(tmp_path / "in" / "spoofed.warc.gz", "evil.example",
                                     "20990101000000")
    run = harvest(warc, spoofed)
    assert documents(run)[PUZANOV_ID]["title"] == (
        "Journal of Soviet Ambassador to the DPRK A.M. Puzanov for 7 September 1960")
    assert source_of(run)["refused_records"] == {
        "replay on a web archive the run was not told about": 1}


def test_a_replay_on_a_web_archive_told_about_is_held_to_its_time(warc, tmp_path, harvest):
    spoofed = hostile.spoofed_replay(tmp_path / "in" / "spoofed.warc.gz", "evil.example",
                                     "20990101000000")
    run = harvest(warc, spoofed, wayback_url="http://evil.example")
    assert hostile.FORGED_TITLE.decode() not in (run / "documents.jsonl").read_text("utf-8")
    assert source_of(run)["refused_records"] == {"capture time after the run's start": 1}


def test_a_warcinfo_maps_nothing_unless_the_file_is_the_harvesters_own(warc, tmp_path, harvest):
    """Before: example.org's page was published as …/document/not-in-archive."""
    foreign = hostile.mapped_foreign_site(tmp_path / "in" / "mapped.warc.gz")
    run = harvest(warc, foreign)
    assert "990001" not in documents(run)
    assert "not-in-archive" not in (run / "documents.jsonl").read_text("utf-8") + \
        (run / "rejects.jsonl").read_text("utf-8")


def test_digests_that_are_not_their_payloads_merge_nothing(tmp_path, harvest):
    """Before: pages under one claimed digest became addresses of the first page's record."""
    slugs = [hostile.STALIN, hostile.PUZANOV, plan.CEAUSESCU, plan.ZHIVKOV, plan.KHRUSHCHEV]
    run = harvest(hostile.one_digest_for_all(tmp_path / "in" / "lying.warc.gz", slugs))
    assert sorted(r["slug"] for r in documents(run).values()) == sorted(slugs)
    source = source_of(run)
    assert (source["refused_records"], source["skipped"]) == (
        {"payload digest does not match the payload": 4}, {})
    # Only the first page's record carries the digest, which is its own.
    assert sorted((r["slug"], r["capture"]["digest"] is None) for r in documents(run).values()) \
        == sorted((slug, slug != slugs[0]) for slug in slugs)


# -- files told apart ----------------------------------------------------------------------------
def test_files_of_one_name_in_two_folders_are_two_files(tmp_path, harvest):
    """Before: record 112127 was published under the Puzanov URL; the second file was never
    indexed."""
    first = hostile.write_records(tmp_path / "a" / "crawl.warc.gz", [
        (f"{BASE}/document/{hostile.STALIN}", "2024-01-15T09:30:00Z", hostile.page(
            hostile.STALIN))])
    second = hostile.write_records(tmp_path / "b" / "crawl.warc.gz", [
        (f"{BASE}/document/{hostile.PUZANOV}", "2024-01-15T09:30:00Z", hostile.page(
            hostile.PUZANOV))])
    run = harvest(first, second)
    found = {r["url"]: r["capture"]["url"].rpartition("#")[0] for r in documents(run).values()}
    assert found == {f"{BASE}/document/{hostile.STALIN}": "a/crawl.warc.gz",
                     f"{BASE}/document/{hostile.PUZANOV}": "b/crawl.warc.gz"}
    assert documents(run)[STALIN_ID]["slug"] == hostile.STALIN


def test_a_link_out_of_the_folder_is_refused_and_nothing_of_it_read(warc, tmp_path, harvest,
                                                                    caplog):
    """Before: the linked file's first line (a password) was in the published manifest."""
    (tmp_path / "secret.txt").write_bytes(hostile.SECRET)
    folder = tmp_path / "warcs"
    folder.mkdir()
    os.link(warc, folder / "archive.warc.gz")
    (folder / "linked.warc.gz").symlink_to(tmp_path / "secret.txt")
    with caplog.at_level(logging.DEBUG):
        run = harvest(folder)
    assert source_of(run)["damaged_files"] == [
        f"{folder}/linked.warc.gz: a link to a file outside {folder}, not read"]
    everything = caplog.text + "".join(path.read_text("utf-8") for path in run.iterdir()
                                       if path.is_file())
    assert hostile.SECRET.decode().strip() not in everything


def test_a_fifo_in_a_folder_is_named_and_never_opened(warc, tmp_path, harvest):
    folder = tmp_path / "warcs"
    folder.mkdir()
    os.link(warc, folder / "archive.warc.gz")
    os.mkfifo(folder / "pipe.warc.gz")
    run = harvest(folder)
    assert source_of(run)["damaged_files"] == [f"{folder}/pipe.warc.gz: a FIFO, not read"]


def test_a_zip_bomb_in_a_wacz_is_never_inflated(warc, tmp_path, harvest):
    """Before: a 2 MB zip bomb was still being read after 600 s, saying nothing."""
    wacz = hostile.bomb_wacz(tmp_path / "bomb.wacz", warc, inflated=256 << 20)
    [damaged] = source_of(harvest(wacz))["damaged_files"]
    with zipfile.ZipFile(wacz) as opened:
        compressed = opened.getinfo("archive/bomb.warc").compress_size
    inflated = (256 << 20) + len(b"WARC/1.1\r\nWARC-Type: response\r\n")
    assert damaged == (f"bomb.wacz/archive/bomb.warc: a zip member of {compressed} bytes "
                       f"inflating to {inflated}, over HARVESTER_WACZ_MAX_RATIO 100, not opened")


def test_the_state_keeps_each_files_identity(warc, tmp_path, harvest):
    """A run resumes only with the arguments it began with, which name each file's device,
    inode, size and modification time: a file changed since a run began is a new run's file,
    and the interrupted run's offsets into it are never read."""
    harvest(warc)
    [state] = (tmp_path / "out" / "state").glob("archive@warc.sqlite")
    with sqlite3.connect(state) as db:
        [arguments] = [json.loads(row[0]) for row in db.execute("SELECT arguments FROM runs")]
    status = warc.stat()
    assert arguments["files"] == {warc.name: f"{status.st_dev}:{status.st_ino}:"
                                             f"{status.st_size}:{status.st_mtime_ns}"}
