"""A web archive that lies (docs/RELIABILITY.md, "Web archives that lie"), offline
(tests/helpers/offline_wayback.py): the stand-in Wayback Machine of tests/helpers/captures.py
told to lie (harvester/mirror/wayback/lies.py) or holding captures no real archive holds, read
by the wayback spider as `harvester crawl archive --source wayback` makes it. Every census
ends, what the archive says is believed only as far as it is proven, and what is refused is
counted and named: the reason a refused run gives is the command's last line after "run not
published: ". What needs the crawl's engine or the command (429s, Retry-After, the size limit,
a resumed census, options refused up front) is tests/end_to_end/test_wayback_lies.py."""

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from harvester.mirror.wayback.server import WaybackServer
from harvester.mirror.wayback.store import PlannedCapture
from tests.helpers import captures as plan
from tests.helpers import hostile_warcs as hostile
from tests.helpers.captures import cdx_asked, standin
from tests.helpers.offline_wayback import harvest_wayback
from tests.helpers.pages import BASE, documents_by_id, load_json, read_jsonl, without_provenance

PUZANOV_ID = "115630"
# The stand-in's census has 46 rows: one bad row is over the share a census of the real archive
# (some 100,000 rows and more) may have before the run is refused.
TOLERANT = {"HARVESTER_CDX_MAX_MALFORMED": 0.05}
PUZANOV_URL = f"{BASE}/document/{plan.PUZANOV}"


def harvest(server: WaybackServer, out: Path, **settings) -> str | None:
    """An archive run over the stand-in into `out`, with `settings` as `-s` gives them: why
    it was refused, None when it was published."""
    return harvest_wayback(server, out, settings=settings).run.outcome.failure


@pytest.fixture(scope="module")
def honest(store, tmp_path_factory) -> Path:
    """An honest run of the stand-in: what a lying one is compared with, and run over."""
    out = tmp_path_factory.mktemp("honest")
    with standin(store) as (server, _):
        failure = harvest(server, out)
    assert failure is None, failure
    return out


def published(out: Path) -> dict[str, list[dict]]:
    return {name: [without_provenance(r) for r in read_jsonl(out / "latest" / name)]
            for name in ("documents.jsonl", "topics.jsonl")}


# -- bounded censuses --------------------------------------------------------------------------
@pytest.mark.parametrize(("setting", "said", "requests"), [
    ("HARVESTER_CDX_MAX_PAGES=12", "stopped after HARVESTER_CDX_MAX_PAGES 12 answers", 14),
    ("HARVESTER_CDX_MAX_ROWS=40", "stopped past HARVESTER_CDX_MAX_ROWS 40 rows", 11),
], ids=["pages", "rows"])
def test_a_census_that_never_ends_stops_at_its_cap(store, tmp_path, setting, said, requests):
    """Before: 1.2 million rows and a 908 MB state in 120 s, with no cap."""
    with standin(store, lies="endless") as (server, _):
        failure = harvest(server, tmp_path / "out", **dict([setting.split("=")]))
        asked = cdx_asked(server)
    assert failure is not None and said in failure, failure
    assert len(asked) == requests
    [state] = (tmp_path / "out" / "state").glob("*.sqlite")
    with sqlite3.connect(state) as db:
        assert db.execute("SELECT count(*) FROM run_captures").fetchone()[0] == requests * 5


def test_malformed_rows_are_counted_and_past_a_share_refuse_the_run(store, honest, tmp_path):
    """Before: rows with a field short or a timestamp that is no date were dropped without a
    word: 10 of 19 documents published, exit 0."""
    with standin(store, lies="bad-rows=3") as (server, _):
        refused = harvest(server, tmp_path / "refused")
        tolerant = harvest(server, tmp_path / "tolerant", HARVESTER_CDX_MAX_MALFORMED=0.5)
    rows = {"capture time is not 14 digits": 5, "capture time is not a date": 5,
            "wrong number of fields": 5}
    assert refused is not None and not (tmp_path / "refused" / "latest").exists()
    assert refused.endswith(
        "15 of 46 rows could not be read (5 capture time is not 14 digits, 5 capture time is "
        "not a date, 5 wrong number of fields), more than HARVESTER_CDX_MAX_MALFORMED 0.01 of "
        "them")
    assert tolerant is None, tolerant
    assert load_json(tmp_path / "tolerant" / "latest" / "manifest.json")["source"][
        "refused_rows"] == rows


def test_a_cdx_answer_that_cannot_be_read_refuses_the_run_after_a_good_one(store, honest,
                                                                          tmp_path):
    """Before: the RecursionError was swallowed, and after a good run the run published
    though its census never finished."""
    out = tmp_path / "out"
    out.rmdir() if out.exists() else None
    shutil.copytree(honest, out, symlinks=True)
    before = (out / "latest").resolve()
    with standin(store, lies="nested") as (server, _):
        failure = harvest(server, out)
    assert failure is not None
    assert "/document/, /search, /topics: the CDX answer is nested too deeply to be a table" in \
        failure
    assert (out / "latest").resolve() == before


# -- trust ---------------------------------------------------------------------------------------
def test_impossible_capture_times_are_refused_and_never_outlast_a_true_one(store, tmp_path):
    """Before: a capture dated 9999-12-31 was published, passed `validate`, and the next
    honest run said "0 changed" and kept it."""
    forged = plan.build_store(tmp_path / "forged", [
        PlannedCapture(PUZANOV_URL, "99991231235959", body=hostile.forged(plan.PUZANOV)),
        PlannedCapture(PUZANOV_URL, "19950101000000", body=hostile.forged(plan.PUZANOV))])
    out = tmp_path / "out"
    with standin(forged) as (server, _):   # 2 of 48 rows: over the 1 % a census of the
        failure = harvest(server, out, **TOLERANT)   # archive would allow
    assert failure is None, failure
    assert documents_by_id(out)[PUZANOV_ID]["title"] == plan.PUZANOV_TITLE
    assert load_json(out / "latest" / "manifest.json")["source"]["refused_rows"] == {
        "capture time after the run's start": 1, "capture time before 1996": 1}
    # A state an earlier version wrote, holding the forged record: the honest run replaces it.
    [state] = (out / "state").glob("archive@wayback.sqlite")
    with sqlite3.connect(state) as db:
        record = json.loads(db.execute("SELECT record_json FROM documents WHERE record_id = ?",
                                       (PUZANOV_ID,)).fetchone()[0])
        record |= {"title": hostile.FORGED_TITLE.decode(),
                   "capture": {**record["capture"], "timestamp": "9999-12-31T23:59:59Z"}}
        db.execute("UPDATE documents SET record_json = ?, content_hash = 'forged' WHERE "
                    "record_id = ?", (json.dumps(record), PUZANOV_ID))
    with standin(store) as (server, _):
        failure = harvest(server, out)
    assert failure is None, failure
    assert documents_by_id(out)[PUZANOV_ID]["title"] == plan.PUZANOV_TITLE
    assert [(c["record_id"], c["change"]) for c in
            read_jsonl(out / "latest" / "changes.jsonl")] == [(PUZANOV_ID, "changed")]


def test_a_memento_datetime_that_disagrees_with_the_index_is_skipped(store, honest, tmp_path):
    """Before: Memento-Datetime was never compared with the index."""
    with standin(store, lies=f"memento-shift=3600; only={plan.PUZANOV}") as (server, _):
        failure = harvest(server, tmp_path / "out")
    assert failure is None, failure
    assert PUZANOV_ID not in documents_by_id(tmp_path / "out")
    [reject] = [r for r in read_jsonl(tmp_path / "out" / "latest" / "rejects.jsonl")
                if r["url"] == PUZANOV_URL]
    assert reject["reason"] == (
        "no usable capture (2 capture time disagrees with Memento-Datetime); the newest "
        "fetched: Memento-Datetime 2025-03-01T13:00:00Z, the index 2025-03-01T12:00:00Z")


def test_one_digest_on_every_row_merges_no_documents(store, honest, tmp_path):
    """Before: identical digests on different documents merged 5 documents into one record,
    nondeterministically, without a warning."""
    with standin(store, lies="same-digest") as (server, _):
        failure = harvest(server, tmp_path / "out")
    assert failure is None, failure
    assert published(tmp_path / "out") == published(honest)
    source = load_json(tmp_path / "out" / "latest" / "manifest.json")["source"]
    assert source["digest_mismatches"] == 22
    # A record carries the digest its page's bytes have, never one they contradict.
    true = {record_id: r["capture"]["digest"] for record_id, r in documents_by_id(honest).items()}
    lied = {record_id: r["capture"]["digest"]
            for record_id, r in documents_by_id(tmp_path / "out").items()}
    assert all(digest in (None, true[record_id]) for record_id, digest in lied.items())
    assert sum(digest is None for digest in lied.values()) == 16


def test_two_pages_claiming_one_record_id_are_a_conflict_never_a_silent_winner(tmp_path):
    """Before: the impostor won silently; on equal timestamps, 1 of 6 identical runs published
    it. Puzanov's Record ID is claimed by a newer impostor, and the site's own redirect from
    /document/115630 confirms the real page; Ceaușescu's by an impostor of the same time, and
    nothing confirms either: both are refused."""
    impostor, twin = f"{BASE}/document/impostor-of-puzanov", f"{BASE}/document/twin"
    ceausescu_url = f"{BASE}/document/{plan.CEAUSESCU}"
    store = plan.build_store(tmp_path / "store", [
        PlannedCapture(impostor, plan.T3, body=hostile.forged(plan.PUZANOV)),
        PlannedCapture(f"{BASE}/document/{PUZANOV_ID}", plan.T0, status=301,
                       location=PUZANOV_URL),
        PlannedCapture(twin, plan.T3, body=hostile.forged(plan.CEAUSESCU))])
    outcomes = []
    for attempt in ("first", "second"):
        with standin(store) as (server, _):
            failure = harvest(server, tmp_path / attempt)
        assert failure is None, failure
        outcomes.append((published(tmp_path / attempt), read_jsonl(
            tmp_path / attempt / "latest" / "rejects.jsonl")))
    assert outcomes[0] == outcomes[1]
    found = documents_by_id(tmp_path / "first")
    assert (found[PUZANOV_ID]["url"], found[PUZANOV_ID]["title"]) == (PUZANOV_URL,
                                                                      plan.PUZANOV_TITLE)
    assert "119271" not in found
    rejects = {r["url"]: r for r in outcomes[0][1]}
    assert rejects[impostor]["reason"] == (
        f"claims Record ID {PUZANOV_ID}, as 1 other page of the source do; the Record ID's own "
        f"address {BASE}/document/{PUZANOV_ID} leads to {PUZANOV_URL}, captured no earlier")
    for url in (twin, ceausescu_url):
        assert rejects[url] == {"url": url, "field": "record_id", "reason": (
            "claims Record ID 119271, as 1 other page of the source do; nothing confirms which "
            f"is the record's (no capture of {BASE}/document/119271 leads to one)")}
    conflicts = load_json(tmp_path / "first" / "latest" / "manifest.json")["source"][
        "record_id_conflicts"]
    assert conflicts == [
        {"record_id": PUZANOV_ID, "confirmed_by": f"{BASE}/document/{PUZANOV_ID}",
         "pages": {impostor: "refused", PUZANOV_URL: "kept"}},
        {"record_id": "119271", "confirmed_by": None,
         "pages": {ceausescu_url: "refused", twin: "refused"}},
        {"record_id": "300188", "confirmed_by": f"{BASE}/document/300188",
         "pages": {f"{BASE}/document/{plan.OLD_SLUG}": "an earlier address",
                   f"{BASE}/document/{plan.SHTYKOV_0}": "kept"}}]


# -- nothing dropped silently ------------------------------------------------------------------
def test_a_replay_too_long_for_scrapy_is_a_reject_and_the_walk_goes_on(store, honest, tmp_path):
    """Before: Scrapy dropped the replay (over 2,083 characters) at INFO; the walk waited for
    it for ever, the topic, counter and alias phases never ran, and the run published with 0
    topics, exit 0."""
    long_url = f"{BASE}/document/long-" + "x" * 2016   # 2,070 characters: its replay's more
    assert len(long_url) == 2070
    page = hostile.page(plan.PUZANOV) + b"<!-- its own bytes -->"   # not merged unfetched
    store = plan.build_store(tmp_path / "store", [PlannedCapture(long_url, plan.T1, body=page)])
    with standin(store) as (server, url):
        failure = harvest(server, tmp_path / "out")
    assert failure is None, failure
    out = tmp_path / "out" / "latest"
    [topic] = read_jsonl(out / "topics.jsonl")
    assert topic["slug"] == plan.TOPIC
    [reject] = [r for r in read_jsonl(out / "rejects.jsonl") if r["url"] == long_url]
    length = len(url) + len(f"/web/{plan.T1}id_/{long_url}")
    assert reject["reason"] == (
        "no usable capture (1 URL too long to request (over URLLENGTH_LIMIT)); the newest "
        f"fetched: replay URL of {length} characters, over URLLENGTH_LIMIT 2083")


def test_a_cdx_row_with_a_url_too_long_to_replay_is_counted(store, honest, tmp_path):
    """Before: a 10 MB CDX line did the same, after 1.2 GB of memory."""
    with standin(store, lies="long-url=100000") as (server, _):
        failure = harvest(server, tmp_path / "out", **TOLERANT)
    assert failure is None, failure
    manifest = load_json(tmp_path / "out" / "latest" / "manifest.json")
    assert manifest["source"]["refused_rows"] == {"URL longer than 2,083 characters": 1}
    assert published(tmp_path / "out") == published(honest)
