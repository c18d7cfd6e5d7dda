"""A run of the bundled mirror for the dataset tests (one crawl per test module that asks), and
what must hold of any such run: identical data files from identical input."""

import subprocess
import sys
from pathlib import Path

import pytest

from harvester.mirror.server import base_url, serve_in_background
from tests.conftest import BASE, SITE


def crawl_bundled_mirror(out: Path) -> Path:
    """Serve fixtures/site in-process, crawl it in a subprocess, return the published run."""
    server = serve_in_background(SITE)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "harvester.cli", "crawl", "topic", "--base-url",
             base_url(server), "--out", str(out), "--public-base-url", BASE,
             "-s", "HARVESTER_PROGRESS_INTERVAL=0"],
            capture_output=True, text=True, timeout=120)
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr
    return (out / "latest").resolve()


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    return crawl_bundled_mirror(tmp_path_factory.mktemp("out"))


def test_two_runs_give_byte_identical_people_and_schemas(run_dir, tmp_path):
    second = crawl_bundled_mirror(tmp_path)
    assert second != run_dir
    for name in ("people.jsonl", "schema/document.schema.json", "schema/topic.schema.json",
                 "schema/people.schema.json", "schema/reject.schema.json"):
        assert (second / name).read_bytes() == (run_dir / name).read_bytes(), name


def test_a_published_run_holds_exactly_the_package_files(run_dir):
    names = sorted(str(p.relative_to(run_dir)) for p in run_dir.rglob("*") if p.is_file())
    assert names == ["changes.jsonl", "datapackage.json", "documents.jsonl", "manifest.json",
                     "people.jsonl", "rejects.jsonl", "schema/document.schema.json",
                     "schema/people.schema.json", "schema/reject.schema.json",
                     "schema/topic.schema.json", "topics.jsonl"]
