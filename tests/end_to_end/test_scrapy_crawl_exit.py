"""The project's `scrapy crawl` exits as `harvester crawl` does and ends with its one line."""

import os
import socket

import pytest

from harvester.dataset.folder import RUN_ID
from harvester.state.lock import RunLock
from tests.helpers.crawls import scrapy_crawl
from tests.helpers.serving import served_here


@pytest.fixture(scope="module")
def url():
    with served_here() as base:
        yield base


def last_line(stderr: str) -> str:
    return stderr.strip().splitlines()[-1]


def test_a_published_run_exits_0(url, tmp_path):
    result = scrapy_crawl(url, tmp_path)
    assert result.returncode == 0, result.stderr
    run = (tmp_path / "latest").resolve()
    assert RUN_ID.match(run.name)
    assert last_line(result.stderr) == (
        f"harvester: published {run}: 19 documents, 1 topic, 1 reject, 27 requests; "
        "19 added, 0 changed, 0 removed")


def test_a_refused_run_exits_1(url, tmp_path):
    result = scrapy_crawl(url, tmp_path, "-a", "topics=no-such-topic")
    assert result.returncode == 1
    assert last_line(result.stderr) == (
        f"harvester: run not published: no such topic: no-such-topic ({url}/topics/no-such-topic "
        "answered HTTP 404); `harvester topics` lists the topics known (from the state, or with "
        "--site from the site's topic index)")
    assert not (tmp_path / "latest").exists()


def test_a_run_refused_at_once_exits_1_in_one_line(url, tmp_path):
    held = RunLock.take(tmp_path, "topic-a", "2026-11-26T10:00:00Z")
    try:
        result = scrapy_crawl(url, tmp_path)
    finally:
        held.release()
    assert result.returncode == 1
    assert last_line(result.stderr) == (
        f"harvester: another run holds {tmp_path}: pid {os.getpid()} on "
        f"{socket.gethostname()} (job topic-a, started 2026-11-26T10:00:00Z)")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("arguments", "message"), [
    (["-a", "topics=Bad!"],
     "harvester: not a topic slug (lowercase letters, digits, hyphens, at most 200): "
     "['Bad!']"),
    (["-a", "base_url=notaurl"],
     "harvester: base URL must be an http(s) URL with a host, got 'notaurl'"),
])
def test_a_bad_spider_argument_exits_2_in_one_line(url, tmp_path, arguments, message):
    result = scrapy_crawl(url, tmp_path, *arguments)
    assert result.returncode == 2
    assert last_line(result.stderr) == message
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "state").exists()
