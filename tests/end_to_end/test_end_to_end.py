"""The real crawl, in subprocesses, against the bundled mirror served by `harvester serve` (or,
where a test must stop a crawl mid-way, by this process)."""

import json
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from harvester.dataset.folder import file_facts
from tests.helpers.crawls import bundled_crawl_command
from tests.helpers.pages import (
    SITE,
    expected_documents,
    load_json,
    read_jsonl,
    with_membership,
    without_provenance,
)
from tests.helpers.serving import HeldBack, served, served_here


@pytest.fixture(scope="module")
def server():
    with served() as url:
        yield url


@pytest.fixture(scope="module")
def published(bundled_topic_run):
    """The session's crawl of the bundled mirror (read only: a test that writes copies it)."""
    return bundled_topic_run.out, bundled_topic_run


def run_file(out: Path, name: str) -> Path:
    return out / "latest" / name


def test_crawl_reports_progress_and_where_it_published(published):
    out, result = published
    assert "pages " in result.stderr and "documents " in result.stderr
    assert f"published {(out / 'latest').resolve()}" in result.stderr


def test_crawl_yields_exactly_the_mirrors_documents_each_once(published, expected_crawl):
    out, _ = published
    ids = [d["record_id"] for d in read_jsonl(run_file(out, "documents.jsonl"))]
    assert ids == sorted(expected_crawl["record_ids"], key=int)


@pytest.mark.parametrize("record_id", sorted(expected_documents()))
def test_crawled_record_equals_the_hand_checked_one(published, expected_crawl, record_id):
    out, _ = published
    records = {d["record_id"]: d for d in read_jsonl(run_file(out, "documents.jsonl"))}
    _, expected = expected_documents()[record_id]
    record = records[record_id]
    assert record.pop("retrieved_at").endswith("Z")
    capture = record.pop("capture")
    assert (capture["source"], capture["url"]) == ("live", expected["url"])
    assert capture["digest"].startswith("sha1:") and capture["timestamp"].endswith("Z")
    assert record == with_membership(expected, expected_crawl["topic"])


def test_rejects_name_the_page_and_the_field(published, expected_crawl):
    out, _ = published
    rejects = read_jsonl(run_file(out, "rejects.jsonl"))
    assert [(r["url"], r["field"]) for r in rejects] == [
        (r["url"], r["field"]) for r in expected_crawl["rejects"]]
    assert all(r["reason"] for r in rejects)


def test_topic_record(published, expected_crawl):
    out, _ = published
    [topic] = read_jsonl(run_file(out, "topics.jsonl"))
    expected = expected_crawl["topic"]
    assert {k: topic[k] for k in expected} == expected
    expected_page = load_json(SITE / "topics" / f"{expected['slug']}.expected.json")
    assert topic["popular"] == expected_page["popular"]
    assert topic["description"] == expected_page["description"]


def test_manifest_describes_the_files_exactly(published, expected_crawl):
    out, _ = published
    run_dir = (out / "latest").resolve()
    manifest = load_json(run_dir / "manifest.json")
    assert manifest["run_id"] == run_dir.name
    assert manifest["finish_reason"] == "finished"
    assert manifest["counts"]["documents"] == len(expected_crawl["record_ids"])
    assert manifest["counts"]["rejects"] == len(expected_crawl["rejects"])
    assert manifest["counts"]["topics"] == 1
    assert sorted(manifest["files"]) == [
        "README.md", "changes.jsonl", "documents-per-year.svg", "documents.jsonl",
        "people.jsonl", "rejects.jsonl", "topics.jsonl"]
    assert manifest["counts"]["added"] == len(expected_crawl["record_ids"])
    assert manifest["counts"]["changed"] == manifest["counts"]["removed"] == 0
    for name, facts in manifest["files"].items():
        lines = len((run_dir / name).read_text("utf-8").splitlines())
        records = lines if name.endswith(".jsonl") else None  # the card and chart have none
        assert facts == {"records": records, **file_facts(run_dir / name)}
    assert sorted(p.name for p in out.iterdir()) == [run_dir.name, "latest", "state"]
    changes = read_jsonl(run_dir / "changes.jsonl")
    assert changes == [{"record_id": rid, "change": "added", "fields": []}
                       for rid in sorted(expected_crawl["record_ids"], key=int)]


def test_a_second_run_gives_the_same_data_but_for_retrieval_times(published,
                                                                  bundled_topic_rerun):
    first_out, _ = published

    def stable(out: Path) -> list[str]:
        lines = []
        for name in ("documents.jsonl", "topics.jsonl", "rejects.jsonl"):
            for record in read_jsonl(run_file(out, name)):
                lines.append(json.dumps(without_provenance(record), ensure_ascii=False))
        return lines

    assert stable(bundled_topic_rerun.out) == stable(first_out)


def test_unknown_topic_fails_loudly_and_keeps_the_last_good_run(server, published, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(published[0], out, symlinks=True)
    before = (out / "latest").resolve()
    result = subprocess.run(bundled_crawl_command(server, out, "no-such-topic"),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    last_line = result.stderr.strip().splitlines()[-1]
    assert "run not published" in last_line and "HTTP 404" in last_line
    assert (out / "latest").resolve() == before


@pytest.mark.parametrize(("how", "code"), [
    (signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGKILL, -signal.SIGKILL)])
def test_interrupted_run_leaves_the_previous_output_intact(published, tmp_path, how, code):
    # A copy of the published output (its state too), so no case resumes another's run.
    out = tmp_path / "out"
    shutil.copytree(published[0], out, symlinks=True)
    first_out = out
    before = (out / "latest").resolve()
    names_before = sorted(p.name for p in first_out.iterdir())
    # Four documents answered, the rest held: the crawl is surely mid-way when the signal
    # comes, and the held ones are let go once it has been sent (a graceful stop waits for
    # the requests on their way).
    held = HeldBack("/document/*", answered=4)
    with served_here(SITE, faults=held) as url:
        crawl = subprocess.Popen(bundled_crawl_command(url, out), stderr=subprocess.PIPE, text=True)
        try:
            wait_for_documents(crawl)
            crawl.send_signal(how)
        finally:
            held.release()
            _, stderr = crawl.communicate(timeout=60)
    assert crawl.returncode == code
    if how != signal.SIGKILL:
        assert f"stopped by {how.name}" in stderr
    assert (out / "latest").resolve() == before
    visible = sorted(p.name for p in first_out.iterdir() if not p.name.startswith("."))
    assert visible == [n for n in names_before if not n.startswith(".")]


def wait_for_documents(crawl: subprocess.Popen) -> None:
    """Block until the progress line shows a harvested document (the crawl is mid-way)."""
    for line in crawl.stderr:
        if "documents " in line and "documents 0 " not in line:
            return
    raise AssertionError("the crawl ended without showing a document")
