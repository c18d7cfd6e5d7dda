"""A setting that cannot be used is refused in one line, exit 2, before any request and before
the run is opened: the published folder, its state and `latest` stay as they were."""

import os
import shutil
import subprocess

import pytest

from harvester.mirror.faults import FaultPlan
from harvester.mirror.server import base_url
from tests.helpers.crawls import HARVESTER, SCRAPY
from tests.helpers.pages import BASE, ROOT
from tests.helpers.serving import serve_here, stop
from tests.helpers.shared_runs import folder_digests


def takes(name: str, value: str, accepts: str, meaning: str) -> str:
    return f"harvester: {name}={value} is not accepted: it takes {accepts} ({meaning})"


WHOLE = "a whole number, {} or more"
CASES = {
    "max-list-pages": (["-s", "HARVESTER_MAX_LIST_PAGES=abc"], takes(
        "HARVESTER_MAX_LIST_PAGES", "abc", WHOLE.format(1),
        "pages of one list at most, whatever its counter says")),
    "topic-shortfall": (["-s", "HARVESTER_TOPIC_SHORTFALL=abc"], takes(
        "HARVESTER_TOPIC_SHORTFALL", "abc", "a share from 0 to 1",
        "how far short of its counter a topic's list may be in a complete run")),
    "keep-runs": (["-s", "HARVESTER_KEEP_RUNS=abc"], takes(
        "HARVESTER_KEEP_RUNS", "abc", WHOLE.format(0),
        "after each publish, keep only the N newest runs besides `latest`'s (0: keep every "
        "run)")),
    "min-coverage": (["-s", "HARVESTER_MIN_COVERAGE=abc"], takes(
        "HARVESTER_MIN_COVERAGE", "abc", "a JSON object of document field names to shares "
        'from 0 to 1, e.g. {"title": 1.0, "date": 0.5}',
        "per field, the share of the published dataset's rate a run's documents must reach")),
    "list-window": (["-s", "HARVESTER_LIST_WINDOW=-3"], takes(
        "HARVESTER_LIST_WINDOW", "-3", WHOLE.format(1),
        "pages of a list asked for ahead of the last one back")),
    "capture-fetches": (["-s", "HARVESTER_CAPTURE_FETCHES=many"], takes(
        "HARVESTER_CAPTURE_FETCHES", "many", WHOLE.format(1),
        "captures fetched for one URL before giving up on it")),
    "empty-out": (["--out", ""],
                  "harvester: --out is empty: name the folder to publish the run in"),
}


@pytest.fixture(scope="module")
def published(bundled_topic_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("published") / "out"
    shutil.copytree(bundled_topic_run.out, out, symlinks=True)
    return out


@pytest.fixture
def server():
    plan = FaultPlan([])
    mirror = serve_here(faults=plan)
    yield base_url(mirror), plan
    stop(mirror)


def refused(command: list[str], cwd, env: dict | None = None) -> list[str]:
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=cwd,
                            env={**os.environ, **(env or {})})
    assert result.returncode == 2, result.stderr
    return result.stderr.strip().splitlines()


@pytest.mark.parametrize("case", list(CASES))
def test_harvester_crawl_refuses_a_bad_setting_before_any_request(case, published, server,
                                                                  tmp_path):
    url, plan = server
    options, message = CASES[case]
    before = folder_digests(published)
    command = [*HARVESTER, "crawl", "topic", "--base-url", url, "--out", str(published),
               "--public-base-url", BASE, *options]
    assert refused(command, tmp_path) == [message]
    assert plan.hits == []
    assert folder_digests(published) == before
    assert list(tmp_path.iterdir()) == []  # nothing written where the command ran


def test_an_empty_output_folder_in_the_environment_is_refused(server, tmp_path):
    url, plan = server
    command = [*HARVESTER, "crawl", "topic", "--base-url", url]
    assert refused(command, tmp_path, {"HARVESTER_OUTPUT_DIR": ""}) == [takes(
        "HARVESTER_OUTPUT_DIR", "''", "text, not empty, without control characters or spaces "
        "around it", "the folder runs are published in, `--out`")]
    assert plan.hits == []
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("case", ["max-list-pages", "list-window"])
def test_scrapy_crawl_refuses_a_bad_setting_before_any_request(case, published, server):
    url, plan = server
    options, message = CASES[case]
    before = folder_digests(published)
    command = [SCRAPY, "crawl", "topic", "-a", f"base_url={url}",
               "-s", f"HARVESTER_OUTPUT_DIR={published}", *options]
    assert refused(command, ROOT) == [message]
    assert plan.hits == []
    assert folder_digests(published) == before
