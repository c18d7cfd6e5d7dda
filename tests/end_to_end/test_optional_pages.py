"""Pages a walk can do without, where the engine's retries or the server's conditional answers
take part: an archive crawl of a mirror whose topic index fails for good still publishes, with
a warning; a topic page a document names that answers 404 is remembered, not rejected, and not
asked again until a complete run (whose other pages answer 304). The walks that need neither
are tests/spiders/test_optional_pages_runs.py (offline)."""

import json
import subprocess
from pathlib import Path

import pytest

from harvester.mirror.faults import FaultPlan, parse_spec
from harvester.state.store import StateStore
from tests.helpers.crawls import HARVESTER
from tests.helpers.serving import served_here
from tests.helpers.synth_mirrors import copy_of, expected_records, published_records

PUBLIC = "https://digitalarchive.wilsoncenter.org"
GONE = "korean-war"  # a topic several of the mirror's documents name
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


def asked(plan: FaultPlan, since: int = 0) -> list[str]:
    """The topic pages (and the index) the server was asked for since hit `since`, sorted."""
    return sorted(h.target for h in plan.hits[since:] if h.target.split("?")[0] == "/topics"
                  or h.target.startswith("/topics/"))


@pytest.fixture(scope="module")
def mirror(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mirror") / "site"
    subprocess.run([*HARVESTER, "mirror", "synth", str(root), "--documents", "20", "--topics",
                    "3", "--seed", "4"], check=True, capture_output=True)
    return root


@pytest.fixture(scope="module")
def expected(mirror) -> tuple[list[dict], ...]:
    return expected_records(mirror)


def test_an_archive_crawl_without_the_topic_index_publishes_the_same_records(mirror, expected,
                                                                             tmp_path):
    site = copy_of(mirror, tmp_path)
    (site / "topics.html").unlink()
    plan = FaultPlan([])
    with served_here(site, faults=plan) as url:
        manifest = crawl(url, tmp_path / "out")
    documents, topics, rejects = published_records(tmp_path / "out")
    assert (documents, topics) == expected[:2]
    assert [(r["url"], r["field"]) for r in rejects] == [
        (r["url"], r["field"]) for r in expected[2]]
    assert manifest["warnings"] == [f"topic index {PUBLIC}/topics not read: HTTP 404"]
    assert manifest["missing_topics"] == []
    # Documents without text, told apart by whether the page shows a file in its place.
    no_text = [bool(d["preview"]) for d in expected[0] if not d["text"]]
    assert no_text.count(True) > 0
    assert (manifest["counts"]["pdf_only"], manifest["counts"]["text_lost"]) == (
        no_text.count(True), no_text.count(False))
    assert manifest["coverage"]["text_or_preview"] == round(
        1 - no_text.count(False) / len(expected[0]), 4)
    # The index asked once; every topic the documents name, found through them, once.
    assert asked(plan) == ["/topics", "/topics/conversations-kim-il-sung", "/topics/korean-war",
                           "/topics/sino-soviet-split"]


def test_a_topic_index_failing_for_good_is_a_warning(mirror, expected, tmp_path):
    plan = FaultPlan(parse_spec("/topics status=503"))
    with served_here(mirror, faults=plan) as url:
        manifest = crawl(url, tmp_path / "out")
    documents, topics, _ = published_records(tmp_path / "out")
    assert (documents, topics) == expected[:2]
    assert manifest["warnings"] == [
        f"topic index {PUBLIC}/topics not read: HTTP 503 after 4 attempts"]
    assert len(plan.hits_for("/topics")) == 4


def test_a_missing_topic_is_remembered_not_rejected_and_asked_again_by_a_complete_run(
        mirror, expected, tmp_path):
    site, out = copy_of(mirror, tmp_path), tmp_path / "out"
    page = site / "topics" / f"{GONE}.html"
    kept = page.read_bytes()
    page.unlink()
    naming = sum(any(t["slug"] == GONE for t in d["topics"]) for d in expected[0])
    rejected = [r["url"] for r in expected[2]]
    first_page = (site / "search.html").read_text("utf-8")
    shown_again = [u for u in rejected if f'href="{u.removeprefix(PUBLIC)}"' in first_page]
    plan = FaultPlan([])
    with served_here(site, faults=plan) as url:
        first = crawl(url, out)
        documents, topics, rejects = published_records(out)
        assert documents == expected[0]
        assert topics == [t for t in expected[1] if t["slug"] != GONE]
        assert [r["url"] for r in rejects] == rejected
        assert (first["counts"]["rejects"], first["counts"]["rejected"]) == (len(rejected),) * 2
        assert first["warnings"] == [f"topic page {PUBLIC}/topics/{GONE} not read: HTTP 404"]
        gone = {"slug": GONE, "url": f"{PUBLIC}/topics/{GONE}", "status": 404,
                "documents": naming, "last_seen": first["missing_topics"][0]["last_seen"]}
        assert first["missing_topics"] == [gone]
        assert asked(plan).count(f"/topics/{GONE}") == 1

        # The index still lists the topic; an incremental run remembers it and does not ask.
        before = len(plan.hits)
        second = crawl(url, out, "--incremental", "-s", "HARVESTER_RECHECK_BUDGET=0")
        assert asked(plan, before) == ["/topics"]
        assert (second["warnings"], second["missing_topics"]) == ([], [gone])
        # Pages rejected before that the listing's first page shows are asked again, as they
        # may have been mended, and rejected again; the missing topic is not among them.
        assert (second["counts"]["rejects"], second["counts"]["rejected"]) == (
            len(rejected), len(shown_again))

        # Back on the site, the index gone: a complete run asks for it again, though no
        # document it fetches names it (they are all unchanged), and forgets it was missing.
        page.write_bytes(kept)
        (site / "topics.html").unlink()
        before = len(plan.hits)
        third = crawl(url, out)
        assert asked(plan, before) == ["/topics", f"/topics/{GONE}"]
    assert third["counts"]["not_modified"] == len(expected[0])
    assert third["warnings"] == [f"topic index {PUBLIC}/topics not read: HTTP 404"]
    assert third["missing_topics"] == []
    assert published_records(out)[:2] == expected[:2]


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
