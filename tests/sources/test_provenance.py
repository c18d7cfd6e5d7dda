"""A WARC is taken as the harvester's own, and its warcinfo believed, only beside the manifest
of the run that wrote it, which names it with its exact size and sha256
(harvester/sources/provenance.py)."""

import json
from pathlib import Path

import pytest

from harvester.dataset.folder import file_facts
from harvester.sources.provenance import HarvesterWarc, proven_harvester_warc
from harvester.sources.warcwrite import WarcRecorder

RUN_ID = "20261207T120000Z"
INFO = {"job": "topic-conversations-kim-il-sung", "run-id": RUN_ID,
        "base-url": "http://127.0.0.1:8001", "public-base-url": ""}


def published_run(root: Path, info: dict[str, str] = INFO) -> Path:
    """A run folder as a run kept with `--warc` publishes it: its WARC and its manifest."""
    with WarcRecorder(root / "warc", f"harvester-{RUN_ID}", info) as recorder:
        recorder.write("http://127.0.0.1:8001/document/x", "GET", [], 200, "OK",
                       [("Content-Type", "text/html")], b"<html>x</html>")
    [warc] = recorder.files
    (root / "manifest.json").write_text(json.dumps({
        "run_id": RUN_ID, "warc": {"files": {f"warc/{warc.name}": file_facts(warc)}}}))
    return warc


WARCINFO = {**INFO, "software": "harvester/0.1"}


def test_a_published_runs_own_warc_is_proven(tmp_path):
    warc = published_run(tmp_path)
    proven = proven_harvester_warc(warc, WARCINFO)
    assert proven == HarvesterWarc(RUN_ID, INFO["job"], "http://127.0.0.1:8001", "")
    assert (proven.crawl_bases(), proven.from_web_archive) == (
        {"http://127.0.0.1:8001": "http://127.0.0.1:8001"}, False)


def test_a_wayback_runs_base_is_a_web_archive_not_a_crawl_base():
    proven = HarvesterWarc(RUN_ID, "archive@wayback", "http://127.0.0.1:8002", "")
    assert (proven.crawl_bases(), proven.from_web_archive) == ({}, True)


def tampered(warc: Path) -> None:
    data = bytearray(warc.read_bytes())
    data[-5] ^= 0xFF
    warc.write_bytes(bytes(data))


def unlisted(warc: Path) -> None:
    manifest = warc.parent.parent / "manifest.json"
    manifest.write_text(json.dumps({"run_id": RUN_ID, "warc": {"files": {}}}))


def other_run(warc: Path) -> None:
    manifest = warc.parent.parent / "manifest.json"
    manifest.write_text(manifest.read_text().replace(RUN_ID, "20990101T000000Z"))


def grown(warc: Path) -> None:
    with warc.open("ab") as file:
        file.write(b"\0")


def moved(warc: Path) -> None:
    warc.rename(warc.parent.parent / warc.name)


@pytest.mark.parametrize("change", [
    tampered, unlisted, other_run, moved,
    lambda warc: (warc.parent.parent / "manifest.json").unlink(),
    lambda warc: (warc.parent.parent / "manifest.json").write_text("[1, 2"),
    grown,
], ids=["bytes-changed", "not-listed", "another-runs-manifest", "not-in-warc-folder",
        "no-manifest", "manifest-not-json", "size-changed"])
def test_anything_short_of_the_whole_proof_proves_nothing(tmp_path, change):
    warc = published_run(tmp_path)
    change(warc)
    where = warc if warc.exists() else tmp_path / warc.name
    assert proven_harvester_warc(where, WARCINFO) is None


def test_a_warcinfo_without_a_run_id_is_never_looked_further_into(tmp_path):
    warc = published_run(tmp_path)
    assert proven_harvester_warc(warc, {"software": "harvester/0.1"}) is None
