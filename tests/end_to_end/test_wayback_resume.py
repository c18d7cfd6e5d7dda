"""A web-archive run killed during its census or its replays, or stopped by the archive's
429s, resumes where it stopped: the next census page by its saved resume key, no capture
judged before fetched again, and the same records as a run never interrupted."""

import sqlite3
import subprocess
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from harvester.mirror.faults import parse_spec
from harvester.mirror.server import base_url
from harvester.mirror.wayback.server import serve_in_background
from tests.helpers.captures import FAULTS, standin
from tests.helpers.pages import load_json
from tests.helpers.serving import HeldBack
from tests.helpers.wayback_runs import command, published

STATE = "archive@wayback.sqlite"
DOCUMENTS = "digitalarchive.wilsoncenter.org/document/"
DOCUMENT_CENSUS = f"/cdx/*url={DOCUMENTS}&*"



@pytest.fixture(scope="module")
def uninterrupted(store, tmp_path_factory) -> dict[str, list[dict]]:
    out = tmp_path_factory.mktemp("whole")
    with standin(store) as (_, url):
        result = subprocess.run(command(url, out), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return published(out)


@contextmanager
def holding(store: Path, pattern: str, answered: int):
    """The stand-in archive answering `answered` requests matching `pattern` and holding the
    next one (and every later one) for as long as the test needs: the run is then surely
    stopped right there, however fast or slow the machine."""
    held = HeldBack(pattern, answered, parse_spec(FAULTS))
    server = serve_in_background(store, faults=held)
    try:
        yield server, base_url(server), held
    finally:
        held.release()
        server.shutdown()
        server.server_close()


def kill_when_held(url: str, out: Path, held: HeldBack) -> None:
    """Start a run and SIGKILL it once the archive holds one of its requests."""
    crawl = subprocess.Popen(command(url, out), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        held.wait_until_held(crawl)
    finally:
        crawl.kill()
        crawl.wait(30)


def document_census(requests: list[str]) -> list[dict]:
    queries = (parse_qs(urlsplit(t).query) for t in requests if t.startswith("/cdx/"))
    return [q for q in queries if q["url"] == [DOCUMENTS]]


def test_a_run_killed_during_its_census_resumes_at_the_next_page(store, uninterrupted,
                                                                  tmp_path):
    # Two pages of the document census answered, the third held when the kill comes.
    with holding(store, DOCUMENT_CENSUS, answered=2) as (server, url, held):
        kill_when_held(url, tmp_path, held)
        assert len(document_census(list(server.requests))) == 3
    db = sqlite3.connect(tmp_path / "state" / STATE)
    key, done, rows = db.execute("SELECT resume_key, done, rows FROM run_enumerations "
                                 "WHERE query = '/document/'").fetchone()
    db.close()
    assert key and not done and rows == 14
    with standin(store) as (server, url):
        result = subprocess.run(command(url, tmp_path), capture_output=True, text=True,
                                timeout=300)
        census = document_census(list(server.requests))
    assert result.returncode == 0, result.stderr
    assert census[0]["resumeKey"] == [key]
    assert len(census) == 6 - rows // 7
    assert published(tmp_path) == uninterrupted
    assert load_json(tmp_path / "latest" / "manifest.json")["resumed"] is True


def test_a_run_killed_during_its_replays_fetches_nothing_judged_again(store, uninterrupted,
                                                                      tmp_path):
    # Twelve replays answered, the thirteenth held when the kill comes.
    with holding(store, "/web/*", answered=12) as (server, url, held):
        kill_when_held(url, tmp_path, held)
        before = [t for t in server.requests if t.startswith("/web/")]
    assert len(before) == 13
    with standin(store) as (server, url):
        result = subprocess.run(command(url, tmp_path), capture_output=True, text=True,
                                timeout=300)
        after = list(server.requests)
    assert result.returncode == 0, result.stderr
    assert not [t for t in after if t.startswith("/cdx/")]  # the census was complete
    again = set(before) & {t for t in after if t.startswith("/web/")}
    # At most the replay in flight when the kill came, and the one whose record it was staging.
    assert len(again) <= 2, again
    assert published(tmp_path) == uninterrupted


def test_a_429_pauses_then_the_run_goes_on(store, uninterrupted, tmp_path):
    faults = f"{FAULTS}; /cdx/* status=429 count=1; /web/* status=429 count=1 retry-after=0"
    with standin(store, faults) as (server, url):
        result = subprocess.run(command(url, tmp_path), capture_output=True, text=True,
                                timeout=300)
        asked = list(server.requests)
    assert result.returncode == 0, result.stderr
    census = [t for t in asked if t.startswith("/cdx/")]
    replays = [t for t in asked if t.startswith("/web/")]
    # Each refused request asked again after its pause, and only that one.
    assert len(census) == len(set(census)) + 1 and len(replays) == len(set(replays)) + 1
    assert published(tmp_path) == uninterrupted


def test_429s_that_keep_coming_stop_the_run_and_it_resumes_later(store, uninterrupted,
                                                                 tmp_path):
    with standin(store, f"{FAULTS}; /web/* status=429") as (server, url):
        stopped = subprocess.run(command(url, tmp_path), capture_output=True, text=True,
                                 timeout=300)
        replays = [t for t in server.requests if t.startswith("/web/")]
    assert stopped.returncode == 1
    last = stopped.stderr.strip().splitlines()[-1]
    assert "429 Too Many Requests 4 times in a row" in last and "not published" in last
    assert len(replays) == 4 and len(set(replays)) == 1  # one request, never two at once
    assert not (tmp_path / "latest").exists()
    with standin(store) as (server, url):
        resumed = subprocess.run(command(url, tmp_path), capture_output=True, text=True,
                                 timeout=300)
        asked = list(server.requests)
    assert resumed.returncode == 0, resumed.stderr
    assert not [t for t in asked if t.startswith("/cdx/")]
    assert published(tmp_path) == uninterrupted
    assert load_json(tmp_path / "latest" / "manifest.json")["resumed"] is True
