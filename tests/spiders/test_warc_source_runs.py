"""Harvesting from WARC and WACZ files, offline: a researcher's WARC of the archive (written here
with warcio: gzip and chunked bodies, revisits, challenges, errors, the old site) harvested as
`harvester crawl … --source warc` harvests it (tests/helpers/offline_runs.py) must give the
hand-checked records. The command itself, with parse workers and with `--warc` read back, is in
tests/end_to_end/test_warc_source.py."""

import sqlite3

from harvester.capture.rows import sha1_digest
from tests.helpers import captures as plan
from tests.helpers.offline_runs import harvest_files
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
# The earlier address of record 300188 claims its Record ID with other bytes: a conflict, which
# the site's own redirect from /document/300188 decides.
SHTYKOV_CONFLICT = {
    "record_id": "300188", "confirmed_by": f"{BASE}/document/300188",
    "pages": {f"{BASE}/document/{plan.OLD_SLUG}": "an earlier address",
              f"{BASE}/document/{plan.SHTYKOV_0}": "kept"}}


def test_a_researchers_warc_gives_the_hand_checked_records(warc_archive_run):
    records = {r["record_id"]: r for r in read_jsonl(warc_archive_run / "documents.jsonl")}
    assert sorted(records, key=int) == sorted(TOPIC_EXPECTED["record_ids"], key=int)
    for record_id, (_, expected) in expected_documents().items():
        assert without_provenance(records[record_id]) == expected, record_id
    assert [(r["url"].removeprefix(BASE), r["field"])
            for r in read_jsonl(warc_archive_run / "rejects.jsonl")] == [
        ("/document/999999", None),
        ("/document/conversation-between-kim-il-sung-and-commanders-chinese-peoples-volunteers",
         "title"),
        (f"/document/{plan.CHALLENGED}", None)]


def test_records_cite_their_file_and_offset_and_revisits_their_payload(warc_archive_run, warc):
    captures = {r["slug"]: r["capture"] for r in read_jsonl(warc_archive_run / "documents.jsonl")}
    revisit = captures[plan.CEAUSESCU]
    assert (revisit["source"], revisit["timestamp"]) == ("warc", "2025-06-01T00:00:00Z")
    name, _, offset = revisit["url"].rpartition("#")
    assert name == warc.name and int(offset) > 0
    assert revisit["digest"] == sha1_digest(plan.page(plan.CEAUSESCU))
    # Newer than the page: the capture the web archive would not replay is read from the file.
    assert captures[plan.NOVOTNY]["timestamp"] == "2025-03-01T12:00:00Z"
    assert len({c["url"] for c in captures.values()}) == len(captures)


def test_the_manifest_counts_what_the_files_gave(warc_archive_run, warc):
    source = load_json(warc_archive_run / "manifest.json")["source"]
    assert source == {
        "source": "warc", "site": BASE, "queries": 1, "rows": 46, "document_urls": 26,
        "captures_tried": 34, "records": 19,
        "skipped": {"challenge page": 4, "not HTML": 1, "not a valid page": 1,
                    "old layout": 2, "payload already tried": 3,
                    "redirect to its own page (another spelling of the URL)": 1,
                    "server error": 1, "truncated": 1},
        "oldest_capture": "2023-06-01T00:00:00Z", "newest_capture": "2025-06-01T00:00:00Z",
        "digest_mismatches": 0, "record_id_conflicts": [SHTYKOV_CONFLICT],
        "topics_without_capture": ["hungarian-revolution-1956", "korean-war",
                                   "korean-war-origins-1945-1950", "north-korea-cold-war",
                                   "sino-soviet-split"],
        "files": [warc.name], "damaged_files": [], "refused_records": {}}


def test_every_captured_redirect_is_an_address_of_its_record(warc_archive_run):
    """Both numeric redirects (one also as a revisit, whose own headers hold the status and
    `Location`) share the empty body's digest; each leads to its own record."""
    [state] = (warc_archive_run.parent / "state").glob("archive@warc.sqlite")
    with sqlite3.connect(state) as db:
        urls = dict(db.execute("SELECT url, record_id FROM urls"))
    assert {path: urls.get(BASE + path) for path in ("/document/110360", "/document/300188")} \
        == {"/document/110360": "110360", "/document/300188": "300188"}


def test_a_topic_from_a_warc_keeps_its_documents_only(warc, tmp_path):
    run = harvest_files(tmp_path / "out", warc, topics=[plan.TOPIC])
    records = {r["record_id"]: r for r in read_jsonl(run / "documents.jsonl")}
    for record_id, (_, expected) in expected_documents().items():
        assert without_provenance(records[record_id]) == with_membership(
            expected, TOPIC_EXPECTED["topic"]), record_id
    assert len(records) == len(TOPIC_EXPECTED["record_ids"])
    [topic] = read_jsonl(run / "topics.jsonl")
    assert {k: topic[k] for k in TOPIC_EXPECTED["topic"]} == TOPIC_EXPECTED["topic"]
    assert [(r["url"], r["field"]) for r in read_jsonl(run / "rejects.jsonl")] == [
        (r["url"], r["field"]) for r in TOPIC_EXPECTED["rejects"]]


def test_a_wacz_reads_as_its_warc(warc, warc_archive_run, tmp_path):
    wacz = plan.write_wacz(tmp_path / "archive.wacz", warc)
    run = harvest_files(tmp_path / "out", wacz)
    assert [without_provenance(r) for r in read_jsonl(run / "documents.jsonl")] == [
        without_provenance(r) for r in read_jsonl(warc_archive_run / "documents.jsonl")]
    capture = read_jsonl(run / "documents.jsonl")[0]["capture"]
    assert capture["url"].startswith(f"archive.wacz/archive/{warc.name}#")


def test_a_damaged_warc_gives_what_comes_before_the_damage(warc, tmp_path):
    cut = tmp_path / "cut.warc.gz"
    data = warc.read_bytes()
    cut.write_bytes(data[:len(data) * 2 // 3])
    source = load_json(harvest_files(tmp_path / "out", cut) / "manifest.json")["source"]
    [damage] = source["damaged_files"]
    assert damage.startswith("cut.warc.gz at byte ")
    assert 0 < source["rows"] < 46
