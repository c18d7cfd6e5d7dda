"""Crawls of the bundled mirror run to be interrupted, for the kill and stop tests: the command,
the records a run published, waiting for a line the crawl prints, and the check that a reader of
the output folder sees only complete runs."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from harvester.dataset.folder import RUN_ID, file_facts
from tests.helpers.pages import BASE, without_provenance


def arguments(url: str, out: Path) -> list[str]:
    return ["crawl", "topic", "--base-url", url, "--out", str(out), "--public-base-url", BASE,
            "-s", "HARVESTER_PROGRESS_INTERVAL=0"]


def harvest(url: str, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "harvester.cli", *arguments(url, out)],
                          capture_output=True, text=True, timeout=120)


def records(out: Path) -> dict[str, list[dict]]:
    run = out / "latest"
    found = {}
    for name in ("documents.jsonl", "topics.jsonl", "rejects.jsonl"):
        lines = [json.loads(line) for line in (run / name).read_text("utf-8").splitlines()]
        found[name] = [without_provenance(line) for line in lines]
    return found



def assert_readers_see_only_complete_runs(out: Path) -> None:
    """Every visible run folder is complete (its manifest matches its files, every line is
    whole JSON) and `latest`, if there, names one of them."""
    complete = []
    for folder in out.iterdir():
        if not RUN_ID.match(folder.name):
            continue
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        for name, facts in manifest["files"].items():
            text = (folder / name).read_text("utf-8")
            assert text == "" or text.endswith("\n"), f"partial last line in {folder.name}/{name}"
            if name.endswith(".jsonl"):
                assert len([json.loads(line) for line in text.splitlines()]) == facts["records"]
            assert file_facts(folder / name) == {k: facts[k] for k in ("bytes", "sha256")}
        complete.append(folder.name)
    latest = out / "latest"
    if latest.is_symlink():
        assert os.readlink(latest) in complete



def wait_for_line(process: subprocess.Popen, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if text in line:
            return
        if not line and process.poll() is not None:
            break
    raise AssertionError(f"the crawl never said {text!r}")

