"""Pages a walk can do without, where the engine's retries take part: an archive crawl of a
mirror whose topic index fails for good still publishes, with a warning; and the state
forgetting a missing topic. The walks that need no engine are
tests/spiders/test_optional_pages_runs.py (offline)."""

import json
import subprocess
from pathlib import Path

import pytest

from harvester.mirror.faults import FaultPlan, parse_spec
from harvester.state.store import StateStore
from tests.helpers.crawls import HARVESTER
from tests.helpers.serving import served_here
from tests.helpers.synth_mirrors import expected_records, published_records

PUBLIC = "https://digitalarchive.wilsoncenter.org"
# Short waits, so a page failing for good costs its four attempts and little else.
QUICK = ("-s", "HARVESTER_BACKOFF_BASE=0.02", "-s", "HARVESTER_BACKOFF_MAX=0.2")


def crawl(url: str, out: Path, *extra: str) -> dict:
    """An archive crawl that must publish; its manifest."""
    result = subprocess.run(
        [*HARVESTER, "crawl", "archive", "--base-url", url, "--out", str(out),
         "--public-base-url", PUBLIC, *QUICK, *extra], capture_output=True, text=True,
        timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads((out / "latest" / "manifest.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def mirror(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mirror") / "site"
    subprocess.run([*HARVESTER, "mirror", "synth", str(root), "--documents", "20", "--topics",
                    "3", "--seed", "4"], check=True, capture_output=True)
    return root


@pytest.fixture(scope="module")
def expected(mirror) -> tuple[list[dict], ...]:
    return expected_records(mirror)


def test_a_topic_index_failing_for_good_is_a_warning(mirror, expected, tmp_path):
    plan = FaultPlan(parse_spec("/topics status=503"))
    with served_here(mirror, faults=plan) as url:
        manifest = crawl(url, tmp_path / "out")
    documents, topics, _ = published_records(tmp_path / "out")
    assert (documents, topics) == expected[:2]
    assert manifest["warnings"] == [
        f"topic index {PUBLIC}/topics not read: HTTP 503 after 4 attempts"]
    assert len(plan.hits_for("/topics")) == 4


def test_the_state_forgets_a_missing_topic_once_it_is_back_or_a_complete_run_missed_it(
        tmp_path):
    store = StateStore(tmp_path / "state.sqlite")
    store.save_topic({"slug": "korean-war", "title": "Korean War"}, "day 1")
    seen = {"korean-war": (f"{PUBLIC}/topics/korean-war", 410),
            "cold-war": (f"{PUBLIC}/topics/cold-war", 404)}
    assert store.settle_missing_topics(seen, set(), "day 1", swept=True) == {
        "cold-war": {"url": f"{PUBLIC}/topics/cold-war", "status": 404, "last_seen": "day 1"},
        "korean-war": {"url": f"{PUBLIC}/topics/korean-war", "status": 410,
                       "last_seen": "day 1"}}
    assert store.topics() == {}  # a topic whose page has gone is no longer one the site holds
    # An incremental run keeps what it did not ask for and forgets a topic it harvested.
    assert list(store.settle_missing_topics({}, {"cold-war"}, "day 2", swept=False)) == [
        "korean-war"]
    # A complete run asked for every one again: what it did not find missing is not.
    assert store.settle_missing_topics({}, set(), "day 3", swept=True) == {}
    store.close()
