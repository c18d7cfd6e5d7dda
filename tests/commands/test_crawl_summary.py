"""The last line of `harvester crawl` says where the run went and what it holds, as the demo's
summary does."""

import json
import subprocess

from tests.helpers.crawls import bundled_crawl_command
from tests.helpers.serving import served_here


def last_line(stderr: str) -> str:
    return stderr.strip().splitlines()[-1]


def test_the_last_line_gives_the_runs_counts(bundled_topic_run):
    run = bundled_topic_run.run
    assert last_line(bundled_topic_run.stderr) == (
        f"harvester: published {run}: 19 documents, 1 topic, 1 reject, 27 requests; "
        "19 added, 0 changed, 0 removed")


def test_a_second_run_over_the_same_state_says_nothing_changed(tmp_path):
    with served_here() as url:
        for _ in range(2):
            result = subprocess.run(bundled_crawl_command(url, tmp_path), capture_output=True,
                                    text=True, timeout=120)
            assert result.returncode == 0, result.stderr
    run = (tmp_path / "latest").resolve()
    assert last_line(result.stderr) == (
        f"harvester: published {run}: 19 documents, 1 topic, 1 reject, 27 requests; "
        "0 added, 0 changed, 0 removed")


def test_the_run_counts_its_requests_itself_with_scrapys_downloader_stats_off(tmp_path):
    """The manifest's counts are the run's own: switching off Scrapy's downloader stats,
    which only watch the crawl, changes none of them."""
    with served_here() as url:
        result = subprocess.run(
            bundled_crawl_command(url, tmp_path, "-s", "DOWNLOADER_STATS=False"),
            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    run = (tmp_path / "latest").resolve()
    manifest = json.loads((run / "manifest.json").read_text())
    assert {key: manifest["counts"][key] for key in ("requests", "responses")} == {
        "requests": 27, "responses": 27}
    assert last_line(result.stderr) == (
        f"harvester: published {run}: 19 documents, 1 topic, 1 reject, 27 requests; "
        "19 added, 0 changed, 0 removed")
