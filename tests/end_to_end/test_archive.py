"""The archive spider on a synthetic mirror, as the command: a run killed (SIGKILL) or stopped
(SIGINT) mid-way resumes to the records a run never interrupted gives. Whole runs that need no
process (exact records, incremental runs, a day of changes, the runs that must fail loudly) are
crawled offline in tests/spiders/test_archive_runs.py and test_archive_refusals.py."""

import json
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import read_jsonl, without_provenance
from tests.helpers.serving import HeldBack, served_here

PUBLIC = "https://digitalarchive.wilsoncenter.org"


def synth(path: Path, documents: int = 60, topics: int = 4, seed: int = 3) -> Path:
    subprocess.run([*HARVESTER, "mirror", "synth", str(path), "--documents", str(documents),
                    "--topics", str(topics), "--seed", str(seed)], check=True,
                   capture_output=True)
    return path


def command(url: str, out: Path, *extra: str) -> list[str]:
    return [*HARVESTER, "crawl", "archive", "--base-url", url, "--out", str(out),
            "--public-base-url", PUBLIC, "-s", "HARVESTER_PROGRESS_INTERVAL=0.1", *extra]


def crawl(url: str, out: Path, *extra: str) -> dict:
    result = subprocess.run(command(url, out, *extra), capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads((out / "latest" / "manifest.json").read_text("utf-8"))


def wait_for_documents(run: subprocess.Popen, at_least: int, timeout: float = 60) -> None:
    """Block until the progress line shows that many documents."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = re.search(r"documents (\d+)", run.stderr.readline())
        if match and int(match.group(1)) >= at_least:
            return
    raise AssertionError("the crawl showed no progress")


def without_times(records: list[dict]) -> list[dict]:
    return [without_provenance(r) for r in records]


@pytest.fixture(scope="module")
def mirror(tmp_path_factory):
    return synth(tmp_path_factory.mktemp("mirror") / "site")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_a_killed_run_resumes_to_the_same_records(mirror, tmp_path, how):
    out = tmp_path / "out"
    # 24 documents answered (at least 20 of them good), the rest held until the signal has
    # been sent: the run is surely mid-way when it comes.
    held = HeldBack("/document/*", answered=24)
    with served_here(mirror, faults=held) as url:
        # One commit per write, so what the progress line shows is surely in the state.
        run = subprocess.Popen(command(url, out, "-s", "HARVESTER_STATE_BATCH_WRITES=1"),
                               stderr=subprocess.PIPE, text=True)
        try:
            wait_for_documents(run, at_least=20)
            run.send_signal(how)
        finally:
            held.release()  # a graceful stop waits for the requests on their way
            run.communicate(timeout=60)
        assert run.returncode == (130 if how == signal.SIGINT else -signal.SIGKILL)
        assert not (out / "latest").exists()
        assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == ["state"]
        manifest = crawl(url, out, "-s", "HARVESTER_STATE_BATCH_WRITES=1")
    assert manifest["resumed"] is True
    assert manifest["counts"]["fetched"] <= 58 - 20
    # The records a run never interrupted gives (tests/spiders/test_archive_runs.py).
    assert without_times(read_jsonl(out / "latest" / "documents.jsonl")) == read_jsonl(
        mirror / "_expected" / "documents.jsonl")
    assert read_jsonl(out / "latest" / "topics.jsonl") == read_jsonl(
        mirror / "_expected" / "topics.jsonl")
    for line in (out / "latest" / "documents.jsonl").read_bytes().splitlines(keepends=True):
        assert line.endswith(b"\n") and json.loads(line)
