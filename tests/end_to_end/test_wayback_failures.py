"""Replays the web archive never gives: a capture it answers with its own 503 every time, after
Scrapy's retries, is tried a bounded number of times, then skipped with a counted reason, and the
run publishes; the archive failing as a whole still stops the run, counts nothing against the
captures, and the same command resumes it. A resumed run counts on: it never retries forever."""

import subprocess
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from harvester.mirror.faults import parse_spec
from harvester.mirror.server import base_url
from harvester.mirror.wayback.server import serve_in_background
from tests.helpers import captures as plan
from tests.helpers.captures import FAULTS, standin
from tests.helpers.pages import BASE, load_json, read_jsonl
from tests.helpers.serving import HeldBack
from tests.helpers.wayback_runs import command, published

# Each try of a failing replay is one request and Scrapy's RETRY_TIMES (3) retries.
REQUESTS_A_TRY = 4
FAILED_EVERY_TRY = "not replayable (the web archive failed every try)"
# Captures the stand-in answers with its own 503, every time: the very first replay of an
# archive run (no replay answered yet to probe with), and three more in a row, each the newest
# capture of its URL.
NEVER_REPLAYED = {
    "110360": f"/web/{plan.T1}id_/{BASE}/document/110360",
    plan.CEAUSESCU: f"/web/{plan.T3}id_/{BASE}/document/{plan.CEAUSESCU}",
    plan.KHRUSHCHEV: f"/web/{plan.T1}id_/{BASE}/document/{plan.KHRUSHCHEV}",
    plan.ZHIVKOV: f"/web/{plan.T1}id_/http://digitalarchive.wilsoncenter.org:80/document/"
                  f"{plan.ZHIVKOV}",
}
BROKEN = FAULTS + "".join(f"; {target} status=503" for target in NEVER_REPLAYED.values())


def crawl(store: Path, out: Path, faults: str = FAULTS) -> tuple[subprocess.CompletedProcess,
                                                                   list[str]]:
    with standin(store, faults) as (server, url):
        result = subprocess.run(command(url, out), capture_output=True, text=True, timeout=300)
        return result, [t for t in server.requests if t.startswith("/web/")]


@pytest.fixture(scope="module")
def uninterrupted(store, tmp_path_factory) -> dict[str, list[dict]]:
    out = tmp_path_factory.mktemp("whole")
    result, _ = crawl(store, out)
    assert result.returncode == 0, result.stderr
    return published(out)


def test_captures_never_replayed_are_skipped_after_two_tries_and_the_run_publishes(store,
                                                                                  tmp_path):
    result, replays = crawl(store, tmp_path, BROKEN)
    assert result.returncode == 0, result.stderr[-2000:]
    asked = Counter(replays)
    assert {slug: asked[target] for slug, target in NEVER_REPLAYED.items()} == dict.fromkeys(
        NEVER_REPLAYED, 2 * REQUESTS_A_TRY)
    # The 32 replays of a run without these faults, less the four captures' one each, plus
    # their 2 tries of 4 requests, a probe after each failed try, and the older captures used
    # instead (Ceaușescu's T1, Zhivkov's T0).
    assert len(replays) == 32 - 4 + 4 * 2 * REQUESTS_A_TRY + 4 * 2 + 2
    run = tmp_path / "latest"
    captures = {r["slug"]: r["capture"]["timestamp"] for r in read_jsonl(run / "documents.jsonl")}
    # Each URL went on to its older capture; the Khrushchev record had none (its newer one is a
    # PDF), so it is a reject saying why, as is the old numeric URL whose only capture failed.
    assert (captures[plan.CEAUSESCU], captures[plan.ZHIVKOV]) == (
        "2024-01-15T09:30:00Z", "2023-06-01T00:00:00Z")
    assert len(captures) == 18 and plan.KHRUSHCHEV not in captures
    rejects = {r["url"].removeprefix(BASE): r["reason"] for r in read_jsonl(run / "rejects.jsonl")}
    assert {path: rejects[path] for path in ("/document/110360", f"/document/{plan.KHRUSHCHEV}")
            } == {"/document/110360": f"no usable capture (1 {FAILED_EVERY_TRY})",
                  f"/document/{plan.KHRUSHCHEV}":
                      f"no usable capture (1 not HTML, 1 {FAILED_EVERY_TRY})"}
    assert len(rejects) == 5
    skipped = load_json(run / "manifest.json")["source"]["skipped"]
    assert skipped[FAILED_EVERY_TRY] == 4


def test_the_archive_failing_stops_the_run_and_counts_nothing_against_captures(
        store, uninterrupted, tmp_path):
    stopped, replays = crawl(store, tmp_path, f"{FAULTS}; /web/* status=503")
    assert stopped.returncode == 1
    # The first document's replay (110360), a probe with another page's capture (no replay was
    # answered yet), the next document's (112127): three failed requests in a row.
    assert stopped.stderr.strip().splitlines()[-1] == (
        "harvester: run not published: crawl stopped (web_archive_failing): the web archive "
        "failed to answer 3 requests in a row (last: /web/20190510101010id_/https://"
        "digitalarchive.wilsoncenter.org/document/112127: HTTP 503 after 4 attempts); run the "
        "same command again later to resume")
    assert len(replays) == 3 * REQUESTS_A_TRY and len(set(replays)) == 3
    assert not (tmp_path / "latest").exists()
    resumed, _ = crawl(store, tmp_path)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert published(tmp_path) == uninterrupted
    manifest = load_json(tmp_path / "latest" / "manifest.json")
    assert manifest["resumed"] is True and FAILED_EVERY_TRY not in manifest["source"]["skipped"]


def test_a_resumed_run_counts_the_tries_its_interrupted_attempt_made(store, tmp_path):
    failing = NEVER_REPLAYED[plan.CEAUSESCU]
    faults = f"{FAULTS}; {failing} status=503"
    # Killed once the Ceaușescu capture has failed one try (and the probe showed the archive
    # up): the Zhivkov replay, which comes after it, is held.
    held = HeldBack(NEVER_REPLAYED[plan.ZHIVKOV], answered=0, rules=parse_spec(faults))
    with holding(store, held) as url:
        run = subprocess.Popen(command(url, tmp_path), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        try:
            held.wait_until_held(run)
        finally:
            run.kill()
            run.wait(30)
    result, replays = crawl(store, tmp_path, faults)
    assert result.returncode == 0, result.stderr[-2000:]
    assert Counter(replays)[failing] == REQUESTS_A_TRY   # one try left, not two
    skipped = load_json(tmp_path / "latest" / "manifest.json")["source"]["skipped"]
    assert skipped[FAILED_EVERY_TRY] == 1


@contextmanager
def holding(store: Path, held: HeldBack) -> Iterator[str]:
    """The stand-in serving `store` with `held` as its faults: its base URL."""
    server = serve_in_background(store, faults=held)
    try:
        yield base_url(server)
    finally:
        held.release()
        server.shutdown()
        server.server_close()
