"""Harvesting from WARC and WACZ files: a researcher's WARC of the archive (written here with
warcio: gzip and chunked bodies, revisits, challenges, errors, the old site) must give the
hand-checked records; a run kept with `--warc` must give, read back, the records it published."""

import sqlite3
import subprocess
from pathlib import Path

import pytest

from harvester.capture.rows import sha1_digest
from tests.helpers import captures as plan
from tests.helpers.captures import standin
from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import (
    BASE,
    EXPECTED_CRAWL,
    SITE,
    expected_documents,
    load_json,
    read_jsonl,
    with_membership,
    without_provenance,
)
from tests.helpers.serving import served

TOPIC_EXPECTED = load_json(EXPECTED_CRAWL)
QUIET = ["-s", "HARVESTER_PROGRESS_INTERVAL=0"]


def harvest(out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*HARVESTER, "crawl", *args, "--out", str(out), *QUIET],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def warc(tmp_path_factory) -> Path:
    return plan.write_warc(tmp_path_factory.mktemp("warc") / "archive.warc.gz", plan.plan())


@pytest.fixture(scope="module")
def archive_run(warc, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("archive")
    result = harvest(out, "archive", "--source", "warc", str(warc))
    assert result.returncode == 0, result.stderr
    return out / "latest"


def test_a_researchers_warc_gives_the_hand_checked_records(archive_run):
    records = {r["record_id"]: r for r in read_jsonl(archive_run / "documents.jsonl")}
    assert sorted(records, key=int) == sorted(TOPIC_EXPECTED["record_ids"], key=int)
    for record_id, (_, expected) in expected_documents().items():
        assert without_provenance(records[record_id]) == expected, record_id
    assert [(r["url"].removeprefix(BASE), r["field"])
            for r in read_jsonl(archive_run / "rejects.jsonl")] == [
        ("/document/999999", None),
        ("/document/conversation-between-kim-il-sung-and-commanders-chinese-peoples-volunteers",
         "title"),
        (f"/document/{plan.CHALLENGED}", None)]


def test_records_cite_their_file_and_offset_and_revisits_their_payload(archive_run, warc):
    captures = {r["slug"]: r["capture"] for r in read_jsonl(archive_run / "documents.jsonl")}
    revisit = captures[plan.CEAUSESCU]
    assert (revisit["source"], revisit["timestamp"]) == ("warc", "2025-06-01T00:00:00Z")
    name, _, offset = revisit["url"].rpartition("#")
    assert name == warc.name and int(offset) > 0
    assert revisit["digest"] == sha1_digest(plan.page(plan.CEAUSESCU))
    # Newer than the page: the capture the web archive would not replay is read from the file.
    assert captures[plan.NOVOTNY]["timestamp"] == "2025-03-01T12:00:00Z"
    assert len({c["url"] for c in captures.values()}) == len(captures)


# The earlier address of record 300188 claims its Record ID with other bytes: a conflict, which
# the site's own redirect from /document/300188 decides.
SHTYKOV_CONFLICT = {
    "record_id": "300188", "confirmed_by": f"{BASE}/document/300188",
    "pages": {f"{BASE}/document/{plan.OLD_SLUG}": "an earlier address",
              f"{BASE}/document/{plan.SHTYKOV_0}": "kept"}}


def test_pages_parsed_by_a_worker_give_what_the_crawls_own_process_gives(archive_run, warc,
                                                                           tmp_path):
    result = harvest(tmp_path, "archive", "--source", "warc", str(warc),
                     "-s", "HARVESTER_PARSE_WORKERS_AFTER=0")
    assert result.returncode == 0, result.stderr
    for name in ("documents.jsonl", "rejects.jsonl", "topics.jsonl"):
        assert [without_provenance(r) for r in read_jsonl(tmp_path / "latest" / name)] == \
            [without_provenance(r) for r in read_jsonl(archive_run / name)], name
    assert load_json(tmp_path / "latest" / "manifest.json")["source"] == \
        load_json(archive_run / "manifest.json")["source"]


def test_the_manifest_counts_what_the_files_gave(archive_run, warc):
    source = load_json(archive_run / "manifest.json")["source"]
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


def test_every_captured_redirect_is_an_address_of_its_record(archive_run):
    """Both numeric redirects (one also as a revisit, whose own headers hold the status and
    `Location`) share the empty body's digest; each leads to its own record."""
    [state] = (archive_run.parent / "state").glob("archive@warc.sqlite")
    with sqlite3.connect(state) as db:
        urls = dict(db.execute("SELECT url, record_id FROM urls"))
    assert {path: urls.get(BASE + path) for path in ("/document/110360", "/document/300188")} \
        == {"/document/110360": "110360", "/document/300188": "300188"}


def test_a_topic_from_a_warc_keeps_its_documents_only(warc, tmp_path):
    result = harvest(tmp_path, "topic", plan.TOPIC, "--source", "warc", str(warc))
    assert result.returncode == 0, result.stderr
    run = tmp_path / "latest"
    records = {r["record_id"]: r for r in read_jsonl(run / "documents.jsonl")}
    for record_id, (_, expected) in expected_documents().items():
        assert without_provenance(records[record_id]) == with_membership(
            expected, TOPIC_EXPECTED["topic"]), record_id
    assert len(records) == len(TOPIC_EXPECTED["record_ids"])
    [topic] = read_jsonl(run / "topics.jsonl")
    assert {k: topic[k] for k in TOPIC_EXPECTED["topic"]} == TOPIC_EXPECTED["topic"]
    assert [(r["url"], r["field"]) for r in read_jsonl(run / "rejects.jsonl")] == [
        (r["url"], r["field"]) for r in TOPIC_EXPECTED["rejects"]]


def test_a_wacz_reads_as_its_warc(warc, archive_run, tmp_path):
    wacz = plan.write_wacz(tmp_path / "archive.wacz", warc)
    result = harvest(tmp_path / "out", "archive", "--source", "warc", str(wacz))
    assert result.returncode == 0, result.stderr
    run = tmp_path / "out" / "latest"
    assert [without_provenance(r) for r in read_jsonl(run / "documents.jsonl")] == [
        without_provenance(r) for r in read_jsonl(archive_run / "documents.jsonl")]
    capture = read_jsonl(run / "documents.jsonl")[0]["capture"]
    assert capture["url"].startswith(f"archive.wacz/archive/{warc.name}#")


def test_a_damaged_warc_gives_what_comes_before_the_damage(warc, tmp_path):
    cut = tmp_path / "cut.warc.gz"
    data = warc.read_bytes()
    cut.write_bytes(data[:len(data) * 2 // 3])
    result = harvest(tmp_path / "out", "archive", "--source", "warc", str(cut))
    assert result.returncode == 0, result.stderr
    source = load_json(tmp_path / "out" / "latest" / "manifest.json")["source"]
    [damage] = source["damaged_files"]
    assert damage.startswith("cut.warc.gz at byte ")
    assert 0 < source["rows"] < 46


@pytest.mark.parametrize(("paths", "message"), [
    (["missing.warc.gz"], "not found"),
    (["notes.txt"], "notes.txt at byte 0: neither a WARC nor an ARC file"),
    ([], "--source warc needs WARC, ARC or WACZ files or folders"),
])
def test_bad_warc_inputs_are_refused_with_the_reason(tmp_path, paths, message):
    (tmp_path / "notes.txt").write_text("not a warc", "utf-8")
    result = subprocess.run([*HARVESTER, "crawl", "archive", "--source", "warc",
                             *[str(tmp_path / p) for p in paths], "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert message in result.stderr.strip().splitlines()[-1]


def test_a_run_kept_as_warc_reads_back_as_the_same_records(tmp_path):
    with served(SITE) as url:
        result = harvest(tmp_path / "live", "topic", "--base-url", url, "--public-base-url",
                         BASE, "--warc")
    assert result.returncode == 0, result.stderr
    live = (tmp_path / "live" / "latest").resolve()
    kept = load_json(live / "manifest.json")["warc"]["files"]
    assert list(kept) == [f"warc/harvester-{live.name}-00000.warc.gz"]
    validated = subprocess.run([*HARVESTER, "validate", str(live)], capture_output=True,
                               text=True, timeout=60)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    again = harvest(tmp_path / "again", "topic", "--source", "warc", str(live / "warc"))
    assert again.returncode == 0, again.stderr
    back = tmp_path / "again" / "latest"
    for name in ("documents.jsonl", "topics.jsonl"):
        assert [without_provenance(r) for r in read_jsonl(back / name)] == [
            without_provenance(r) for r in read_jsonl(live / name)], name
    assert [(r["url"], r["field"]) for r in read_jsonl(back / "rejects.jsonl")] == [
        (r["url"], r["field"]) for r in read_jsonl(live / "rejects.jsonl")]
    sources = {r["capture"]["source"] for r in read_jsonl(back / "documents.jsonl")}
    assert sources == {"warc"}


def test_a_web_archive_run_kept_as_warc_reads_back_as_the_same_records(tmp_path):
    store = plan.build_store(tmp_path / "store")
    with standin(store) as (_, url):
        result = harvest(tmp_path / "wayback", "topic", "--source", "wayback", "--wayback-url",
                         url, "--warc", "-s", "CONCURRENT_REQUESTS=1")
    assert result.returncode == 0, result.stderr
    kept = tmp_path / "wayback" / "latest"
    again = harvest(tmp_path / "again", "topic", "--source", "warc", str(kept / "warc"))
    assert again.returncode == 0, again.stderr
    back = read_jsonl(tmp_path / "again" / "latest" / "documents.jsonl")
    assert [without_provenance(r) for r in back] == [
        without_provenance(r) for r in read_jsonl(kept / "documents.jsonl")]
    # Each replay is read as a capture of its page at the time the web archive gave.
    assert {r["slug"]: r["capture"]["timestamp"] for r in back} == {
        r["slug"]: r["capture"]["timestamp"] for r in read_jsonl(kept / "documents.jsonl")}
