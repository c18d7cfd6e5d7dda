"""Harvesting from a web archive, what only the command shows: `harvester crawl … --source
wayback --list-captures` counting the stand-in Wayback Machine's census without replaying, and
a site the archive blocks refused with the exit code and one line saying why. The records,
skips and requests of whole runs are tests/spiders/test_wayback_source_runs.py (offline)."""

import json
import subprocess
from pathlib import Path

from harvester.mirror.wayback.store import write_store
from tests.helpers import captures as plan
from tests.helpers.captures import standin
from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import BASE

# Sequential choices: which of two captures with one payload is fetched first is then fixed.
ONE_AT_A_TIME = ["-s", "CONCURRENT_REQUESTS=1", "-s", "HARVESTER_CDX_PAGE_ROWS=7"]


def harvest(wayback: str, out: Path, *args: str) -> subprocess.CompletedProcess:
    command = [*HARVESTER, "crawl", *args, "--source", "wayback", "--wayback-url", wayback,
               "--out", str(out), "-s", "HARVESTER_PROGRESS_INTERVAL=0"]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_the_census_counts_without_replaying(store):
    with standin(store) as (server, url):
        result = subprocess.run(
            [*HARVESTER, "crawl", "archive", "--source", "wayback", "--wayback-url", url,
             "--list-captures", "--json", "-s", "HARVESTER_CDX_PAGE_ROWS=10",
             "-s", "HARVESTER_PROGRESS_INTERVAL=0"], capture_output=True, text=True, timeout=120)
        asked = list(server.requests)
    assert result.returncode == 0, result.stderr
    assert not [t for t in asked if t.startswith("/web/")]
    report = json.loads(result.stdout)
    assert {k: report[k] for k in ("cdx_requests", "rows", "off_site_rows", "kinds", "years",
                                   "statuses", "document_urls", "failures")} == {
        "cdx_requests": 7, "rows": 46, "off_site_rows": 0,
        "kinds": {"document": 39, "topic": 2, "listing": 3, "other": 2},
        "years": {"2019": 2, "2023": 2, "2024": 29, "2025": 13},
        "statuses": {"200": 37, "301": 2, "302": 1, "403": 2, "503": 1, "revisit": 3},
        "document_urls": 26, "failures": []}


def test_a_site_the_archive_blocks_is_refused_saying_why(tmp_path):
    """The archive's 403 for an excluded site says why (wayback-recordings/
    test_search_raises_for_blocked_urls.txt); the run's last line says it too, on one line."""
    store = tmp_path / "store"
    write_store(store, plan.plan(), blocked=[BASE])
    with standin(store) as (_, url):
        run = harvest(url, tmp_path / "out", "archive", *ONE_AT_A_TIME)
        census = subprocess.run(
            [*HARVESTER, "crawl", "archive", "--source", "wayback", "--wayback-url", url,
             "--list-captures", "-s", "HARVESTER_PROGRESS_INTERVAL=0"],
            capture_output=True, text=True, timeout=120)
    said = ("/document/, /search, /topics: HTTP 403 (org.archive.util.io.RuntimeIOException: "
            "org.archive.wayback.exception.AdministrativeAccessControlException: Blocked Site "
            "Error)")
    assert run.returncode == 1 and not (tmp_path / "out" / "latest").exists()
    assert run.stderr.strip().splitlines()[-1] == (
        "harvester: run not published: document list incomplete: census of captures "
        f"incomplete: {said}")
    assert census.returncode == 1
    assert census.stderr.strip().splitlines()[-1] == f"harvester: census incomplete: {said}"
