"""Harvesting from a web archive, offline (tests/helpers/offline_wayback.py): the wayback
spider as `harvester crawl … --source wayback` makes it, every request answered by the stand-in
Wayback Machine of tests/helpers/captures.py, must give the hand-checked records of the bundled
mirror, skip every capture that is not the page (each counted by reason), and ask the archive
for nothing it does not need. What only the command shows (its census report, its exit code
and last line) is tests/end_to_end/test_wayback_source.py."""

import sqlite3
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from harvester.capture.rows import sha1_digest
from harvester.mirror.wayback.store import PlannedCapture
from tests.helpers import captures as plan
from tests.helpers.captures import standin
from tests.helpers.offline_wayback import harvest_wayback
from tests.helpers.pages import (
    BASE,
    EXPECTED_CRAWL,
    expected_documents,
    load_json,
    read_jsonl,
    with_membership,
    without_provenance,
)

TOPIC_EXPECTED = load_json(EXPECTED_CRAWL)


def published_run(store: Path, out: Path, spider: str, **arguments) -> list[str]:
    """Harvest from the stand-in; what the archive was asked."""
    with standin(store) as (server, _):
        fake = harvest_wayback(server, out, spider, **arguments)
        asked = server.requests_made()
    assert fake.crawler.stats.get_value("harvester/failure") is None, \
        fake.crawler.stats.get_value("harvester/failure")
    return asked


@pytest.fixture(scope="module")
def topic_run(store, tmp_path_factory):
    out = tmp_path_factory.mktemp("topic")
    return out / "latest", published_run(store, out, "topic")


@pytest.fixture(scope="module")
def archive_run(store, tmp_path_factory):
    out = tmp_path_factory.mktemp("archive")
    return out, published_run(store, out, "archive")


def test_a_topic_from_the_web_archive_gives_the_hand_checked_records(topic_run):
    run, _ = topic_run
    records = {r["record_id"]: r for r in read_jsonl(run / "documents.jsonl")}
    assert sorted(records, key=int) == sorted(TOPIC_EXPECTED["record_ids"], key=int)
    for record_id, (_, expected) in expected_documents().items():
        assert without_provenance(records[record_id]) == with_membership(
            expected, TOPIC_EXPECTED["topic"]), record_id
    [topic] = read_jsonl(run / "topics.jsonl")
    assert {k: topic[k] for k in TOPIC_EXPECTED["topic"]} == TOPIC_EXPECTED["topic"]
    assert [(r["url"], r["field"]) for r in read_jsonl(run / "rejects.jsonl")] == [
        (r["url"], r["field"]) for r in TOPIC_EXPECTED["rejects"]]


def test_each_record_says_which_capture_it_came_from(topic_run, store):
    run, _ = topic_run
    captures = {r["slug"]: r["capture"] for r in read_jsonl(run / "documents.jsonl")}
    wayback = "http://127.0.0.1:"
    revisit = captures[plan.CEAUSESCU]  # a revisit: the newest capture, the older payload
    assert revisit["source"] == "wayback"
    assert revisit["timestamp"] == "2025-06-01T00:00:00Z"
    assert revisit["url"].startswith(wayback) and revisit["url"].endswith(
        f"/web/{plan.T3}id_/{BASE}/document/{plan.CEAUSESCU}")
    assert revisit["digest"] == sha1_digest(plan.page(plan.CEAUSESCU))
    other_form = captures[plan.ZHIVKOV]  # found under another spelling of its address
    assert other_form["url"].endswith(
        f"/web/{plan.T1}id_/http://digitalarchive.wilsoncenter.org:80/document/{plan.ZHIVKOV}")
    assert {c["timestamp"] for slug, c in captures.items()
            if slug not in (plan.CEAUSESCU,)} == {"2024-01-15T09:30:00Z"}


def test_the_archive_is_asked_for_nothing_it_need_not_give(topic_run):
    _, asked = topic_run
    replayed = [target for target in asked if target.startswith("/web/")]
    assert len(replayed) == len(set(replayed)), "a capture was fetched twice"
    assert plan.UNREPLAYABLE in replayed  # asked once, its redirect never followed
    never = [f"/web/{plan.T2}id_/{BASE}/document/{plan.MAO}",          # same payload as T3
             f"/web/{plan.T2}id_/{BASE}/document/{plan.OLSZOWSKI}",    # listed as 403
             f"/web/{plan.T2}id_/{BASE}/document/{plan.BIALEK}",       # listed as 503
             f"/web/{plan.T2}id_/{BASE}/document/{plan.KHRUSHCHEV}",   # listed as a PDF
             f"/web/{plan.T1}id_/{BASE}/document/{plan.CEAUSESCU}"]    # its revisit sufficed
    assert not set(never) & set(replayed)
    assert not [t for t in replayed if "/download" in t or ".pdf" in t]
    # The Ciphered telegram's newest capture, its `http` address redirected to its `https`
    # one, is asked for too (its mimetype could be anything): it is the same page.
    assert f"/web/{plan.T2}id_/http://digitalarchive.wilsoncenter.org/document/{plan.CIPHERED}" \
        in replayed
    assert len(replayed) == 29


def test_the_census_pages_with_resume_keys_only(archive_run):
    _, asked = archive_run
    queries = [parse_qs(urlsplit(t).query) for t in asked if t.startswith("/cdx/")]
    assert all(q["showResumeKey"] == ["true"] and q["matchType"] == ["prefix"] and
               q["output"] == ["json"] and "page" not in q and "collapse" not in q
               for q in queries)
    by_prefix = {}
    for query in queries:
        by_prefix.setdefault(query["url"][0], []).append(query.get("resumeKey", [None])[0])
    host = "digitalarchive.wilsoncenter.org"
    assert {prefix: len(keys) for prefix, keys in by_prefix.items()} == {
        f"{host}/document/": 6, f"{host}/topics": 1, f"{host}/search": 1}
    keys = by_prefix[f"{host}/document/"]
    assert keys[0] is None and all(keys[1:]) and len(set(keys[1:])) == 5


def test_the_whole_archive_from_the_web_archive(archive_run):
    out, _ = archive_run
    run = out / "latest"
    records = {r["record_id"]: r for r in read_jsonl(run / "documents.jsonl")}
    assert sorted(records, key=int) == sorted(TOPIC_EXPECTED["record_ids"], key=int)
    for record_id, (_, expected) in expected_documents().items():
        assert without_provenance(records[record_id]) == expected, record_id
    rejects = read_jsonl(run / "rejects.jsonl")
    assert [(r["url"].removeprefix(BASE), r["field"]) for r in rejects] == [
        ("/document/999999", None),
        ("/document/conversation-between-kim-il-sung-and-commanders-chinese-peoples-volunteers",
         "title"),
        (f"/document/{plan.CHALLENGED}", None)]
    assert rejects[0]["reason"].startswith("only captures of the site before 2023")
    assert rejects[2]["reason"] == (
        "no usable capture (1 challenge page, 1 refused by the site (HTTP 403 or 429: a "
        "challenge or a block)); the newest fetched: window._cf_chl_opt")


def test_the_newest_capture_of_a_record_wins_and_every_address_leads_to_it(archive_run):
    out, _ = archive_run
    records = {r["record_id"]: r for r in read_jsonl(out / "latest" / "documents.jsonl")}
    assert records["300188"]["title"] == "Telegram from Shtykov to Gromyko and Stalin"
    assert records["300188"]["url"] == f"{BASE}/document/{plan.SHTYKOV_0}"
    [state] = (out / "state").glob("archive@wayback.sqlite")
    urls = dict(sqlite3.connect(state).execute("SELECT url, record_id FROM urls"))
    # Both numeric redirects are addresses, though their empty bodies share one digest.
    assert {path: urls[BASE + path] for path in (
        f"/document/{plan.OLD_SLUG}", f"/document/{plan.SHTYKOV_0}", "/document/110360",
        "/document/300188", f"/document/{plan.CIPHERED}", "/document/112127")} == {
        f"/document/{plan.OLD_SLUG}": "300188", f"/document/{plan.SHTYKOV_0}": "300188",
        "/document/110360": "110360", "/document/300188": "300188",
        f"/document/{plan.CIPHERED}": "110360", "/document/112127": "112127"}
    assert BASE + "/document/999999" not in urls


def test_the_manifest_counts_what_the_web_archive_gave(archive_run):
    out, _ = archive_run
    manifest = load_json(out / "latest" / "manifest.json")
    assert manifest["source"] == {
        "source": "wayback", "site": BASE, "queries": 8, "rows": 46, "document_urls": 26,
        "captures_tried": 32, "records": 19,
        "skipped": {"challenge page": 2, "not HTML": 1, "not a valid page": 1,
                    "not replayable (the web archive answered for itself)": 1,
                    "old layout": 2, "payload already tried": 3,
                    "redirect to its own page (another spelling of the URL)": 1,
                    "refused by the site (HTTP 403 or 429: a challenge or a block)": 2,
                    "server error": 1, "truncated": 1},
        "oldest_capture": "2023-06-01T00:00:00Z", "newest_capture": "2025-06-01T00:00:00Z",
        "digest_mismatches": 0, "record_id_conflicts": [{
            "record_id": "300188", "confirmed_by": f"{BASE}/document/300188",
            "pages": {f"{BASE}/document/{plan.OLD_SLUG}": "an earlier address",
                      f"{BASE}/document/{plan.SHTYKOV_0}": "kept"}}],
        "topics_without_capture": ["hungarian-revolution-1956", "korean-war",
                                   "korean-war-origins-1945-1950", "north-korea-cold-war",
                                   "sino-soviet-split"], "refused_rows": {}}
    assert manifest["topics"] == {plan.TOPIC: {"counter": 21, "documents": 18, "shortfall": 3}}


def test_an_unchanged_archive_costs_three_queries_and_a_new_capture_one_replay(
        archive_run, store, tmp_path):
    out, _ = archive_run
    marks = dict(sqlite3.connect(out / "state" / "archive@wayback.sqlite").execute(
        "SELECT query, newest FROM capture_marks"))
    assert marks == {"/document/": plan.T3, "/topics": plan.T2, "/search": plan.T1}
    asked = published_run(store, out, "archive", incremental=True)
    assert [t for t in asked if t.startswith("/web/")] == []
    starts = sorted(parse_qs(urlsplit(t).query)["from"][0] for t in asked)
    assert starts == ["20240115093001", "20250301120001", "20250601000001"]
    assert read_jsonl(out / "latest" / "changes.jsonl") == []
    newer = plan.page(plan.PUZANOV).replace(b"Puzanov", b"Puzanov (revised)")
    changed_store = plan.build_store(tmp_path / "store", [PlannedCapture(
        f"{BASE}/document/{plan.PUZANOV}", "20260101000000", body=newer)])
    asked = published_run(changed_store, out, "archive", incremental=True)
    assert [t for t in asked if t.startswith("/web/")] == [
        f"/web/20260101000000id_/{BASE}/document/{plan.PUZANOV}"]
    assert len(asked) == 4
    [change] = read_jsonl(out / "latest" / "changes.jsonl")
    assert (change["record_id"], change["change"]) == ("115630", "changed")


def test_a_capture_window_keeps_to_its_dates(store, tmp_path):
    asked = published_run(store, tmp_path, "topic", captured_to="2024")
    assert {q["to"][0] for q in (parse_qs(urlsplit(t).query) for t in asked
                                  if t.startswith("/cdx/"))} == {"2024"}
    captures = [r["capture"]["timestamp"] for r in read_jsonl(tmp_path / "latest" /
                                                              "documents.jsonl")]
    assert set(captures) == {"2024-01-15T09:30:00Z"} and len(captures) == 19
