"""A web archive that lies (docs/RELIABILITY.md, "Web archives that lie"), where only the
command in a process of its own shows it: the stand-in Wayback Machine of
tests/helpers/captures.py told to lie (harvester/mirror/wayback/lies.py), read by `harvester crawl
archive --source wayback` and `--list-captures`: a resume key given again (and the run resumed),
a capture over Scrapy's size limit, 429s and Retry-After, options refused up front. The lies a
spider sees the same without the engine are tests/spiders/test_wayback_lies_runs.py."""

import subprocess
from pathlib import Path

import pytest

from harvester.mirror.wayback.store import PlannedCapture
from tests.helpers import captures as plan
from tests.helpers import hostile_warcs as hostile
from tests.helpers.captures import cdx_asked, standin
from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import BASE, documents_by_id, load_json, read_jsonl, without_provenance

ONE_AT_A_TIME = ["-s", "CONCURRENT_REQUESTS=1", "-s", "HARVESTER_CDX_PAGE_ROWS=7",
                 "-s", "HARVESTER_PROGRESS_INTERVAL=0"]
PUZANOV_ID = "115630"
# The stand-in's census has 46 rows: one bad row is over the share a census of the real archive
# (some 100,000 rows and more) may have before the run is refused.
TOLERANT = ["-s", "HARVESTER_CDX_MAX_MALFORMED=0.05"]
PUZANOV_URL = f"{BASE}/document/{plan.PUZANOV}"


def harvest(wayback: str, out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*HARVESTER, "crawl", "archive", "--source", "wayback",
                           "--wayback-url", wayback, "--out", str(out), *ONE_AT_A_TIME, *args],
                          capture_output=True, text=True, timeout=300)


def census(wayback: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*HARVESTER, "crawl", "archive", "--source", "wayback",
                           "--wayback-url", wayback, "--list-captures", "--json",
                           *ONE_AT_A_TIME, *args], capture_output=True, text=True, timeout=300)


def last_line(result: subprocess.CompletedProcess) -> str:
    return result.stderr.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def honest(store, tmp_path_factory) -> Path:
    """An honest run of the stand-in: what a lying one is compared with, and run over."""
    out = tmp_path_factory.mktemp("honest")
    with standin(store) as (_, url):
        result = harvest(url, out)
    assert result.returncode == 0, result.stderr
    return out


def published(out: Path) -> dict[str, list[dict]]:
    return {name: [without_provenance(r) for r in read_jsonl(out / "latest" / name)]
            for name in ("documents.jsonl", "topics.jsonl")}


# -- bounded censuses --------------------------------------------------------------------------
def test_a_resume_key_given_again_ends_the_census(store, tmp_path):
    """Before: 5,640 CDX requests in 150 s, and at the archive's pace one every 2.5 s for
    ever; --list-captures and a resumed run looped too."""
    with standin(store, lies="same-resume-key") as (server, url):
        run = harvest(url, tmp_path / "out")
        asked = cdx_asked(server)
        listed = census(url)
    with standin(store, lies="same-resume-key") as (server, url):
        resumed = harvest(url, tmp_path / "out")
        asked_again = cdx_asked(server)
    assert run.returncode == 1 and not (tmp_path / "out" / "latest").exists()
    said = "the CDX server gave the resume key"
    assert last_line(run).startswith("harvester: run not published: document list incomplete: "
                                     "census of captures incomplete: /document/, /search, "
                                     "/topics: " + said)
    assert last_line(run).endswith("again: its paging would never end")
    # Each query: its first page, and the page that gave that key again.
    assert sorted(q["url"][0].split("/", 1)[1] for q in asked) == [
        "document/", "document/", "search", "search", "topics", "topics"]
    assert listed.returncode == 1 and said in last_line(listed)
    # Resumed (by a new liar, which repeats the first key it gives), each query goes on from
    # the key it stopped at and stops at the first key given again.
    assert resumed.returncode == 1 and said in last_line(resumed)
    given = {q["resumeKey"][0] for q in asked if "resumeKey" in q}
    assert len(given) == 1 and len(asked_again) == 6
    first = {}
    for query in asked_again:
        first.setdefault(query["url"][0], query["resumeKey"][0])
    assert set(first.values()) == given


# -- nothing dropped silently ------------------------------------------------------------------
def test_an_oversized_capture_falls_back_to_an_older_one(store, honest, tmp_path):
    """Before: a capture over DOWNLOAD_MAXSIZE was taken for the archive failing, never for
    the capture's own fault, so every rerun was refused."""
    big = hostile.page(plan.PUZANOV).replace(b"</body>", b"<!--" + b"x" * 400_000 +
                                             b"--></body>")
    store = plan.build_store(tmp_path / "store", [PlannedCapture(PUZANOV_URL, plan.T3,
                                                                 body=big)])
    with standin(store) as (_, url):
        run = harvest(url, tmp_path / "out", "-s", "DOWNLOAD_MAXSIZE=300000")
    assert run.returncode == 0, run.stderr
    record = documents_by_id(tmp_path / "out")[PUZANOV_ID]
    assert (record["title"], record["capture"]["timestamp"]) == (plan.PUZANOV_TITLE,
                                                                 "2024-01-15T09:30:00Z")
    skipped = load_json(tmp_path / "out" / "latest" / "manifest.json")["source"]["skipped"]
    assert skipped["larger than the size limit (DOWNLOAD_MAXSIZE)"] == 1


# -- politeness and options ----------------------------------------------------------------------
def test_429s_in_a_row_stop_the_run_at_the_documented_count(store, tmp_path):
    """Before: three census queries, each counted apart, let ten 429s through (565 s at the
    archive's pace) where the docs say three, and the advice named DOWNLOAD_DELAY, which does
    nothing on this source."""
    with standin(store, f"{plan.FAULTS}; /cdx/* status=429") as (server, url):
        run = harvest(url, tmp_path / "out")
        asked = cdx_asked(server)
    assert run.returncode == 1
    assert len(asked) == 4   # HARVESTER_WAYBACK_MAX_RATE_LIMITS (3) waited out; the 4th stops
    assert "the web archive answered 429 Too Many Requests 4 times in a row" in last_line(run)
    assert "(e.g. -s HARVESTER_CDX_PER_MINUTE=12 -s HARVESTER_REPLAYS_PER_SECOND=0.5)" in \
        last_line(run)
    assert "DOWNLOAD_DELAY" not in run.stderr


def test_a_retry_after_over_the_cap_stops_at_once(store, tmp_path):
    with standin(store, f"{plan.FAULTS}; /cdx/* status=503 retry-after=999999") as (server, url):
        run = harvest(url, tmp_path / "out")
        asked = cdx_asked(server)
    assert run.returncode == 1 and len(asked) == 1
    assert "the archive asked to wait 999999 s (Retry-After)" in last_line(run)


def test_a_window_that_ends_before_it_starts_is_refused_up_front(store, honest, tmp_path):
    """Before: not refused; after a good run, it published a run built from 0 rows."""
    out = tmp_path / "out"
    subprocess.run(["cp", "-a", str(honest), str(out)], check=True)
    before = (out / "latest").resolve()
    with standin(store) as (server, url):
        run = harvest(url, out, "--captured-from", "2025", "--captured-to", "2024")
        asked = server.requests_made()
    assert (run.returncode, last_line(run)) == (2, (
        "harvester: --captured-from 2025 is after --captured-to 2024: no capture can be in "
        "that window"))
    assert asked == [] and (out / "latest").resolve() == before
