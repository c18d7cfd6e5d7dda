"""Harvesting from WARC files with the command: pages parsed by worker processes give what a
harvest in one process gives, and a run kept with `--warc` gives, read back, the records it
published. What a researcher's WARC gives, record by record, is tested offline
(tests/spiders/test_warc_source_runs.py)."""

import subprocess
from pathlib import Path

from tests.helpers import captures as plan
from tests.helpers.captures import standin
from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import (
    BASE,
    EXPECTED_CRAWL,
    SITE,
    load_json,
    read_jsonl,
    without_provenance,
)
from tests.helpers.serving import served

TOPIC_EXPECTED = load_json(EXPECTED_CRAWL)
QUIET = ["-s", "HARVESTER_PROGRESS_INTERVAL=0"]


def harvest(out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*HARVESTER, "crawl", *args, "--out", str(out), *QUIET],
                          capture_output=True, text=True, timeout=300)


def test_pages_parsed_by_a_worker_give_what_the_crawls_own_process_gives(warc_archive_run, warc,
                                                                           tmp_path):
    result = harvest(tmp_path, "archive", "--source", "warc", str(warc),
                     "-s", "HARVESTER_PARSE_WORKERS_AFTER=0")
    assert result.returncode == 0, result.stderr
    for name in ("documents.jsonl", "rejects.jsonl", "topics.jsonl"):
        assert [without_provenance(r) for r in read_jsonl(tmp_path / "latest" / name)] == \
            [without_provenance(r) for r in read_jsonl(warc_archive_run / name)], name
    assert load_json(tmp_path / "latest" / "manifest.json")["source"] == \
        load_json(warc_archive_run / "manifest.json")["source"]


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
