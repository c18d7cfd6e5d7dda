"""A crawl through a server that compresses its answers as the site's CDN does (br, zstd), kept
with `--warc`: the WARC holds each answer as the server sent it (coded, under its
Content-Encoding), `harvester validate` reads every record back, and `--source warc` over it
publishes exactly the documents, topics and rejects of the crawl itself. Replays of a web archive
that compresses them go through the same decoding."""

import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from harvester.sources.content import encode_body
from tests.helpers.captures import FAULTS, standin
from tests.helpers.crawls import HARVESTER
from tests.helpers.faulty_crawls import published
from tests.helpers.pages import BASE, SITE, load_json, read_jsonl, without_provenance
from tests.helpers.serving import served

QUIET = ["-s", "HARVESTER_PROGRESS_INTERVAL=0"]


def harvest(out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*HARVESTER, "crawl", *args, "--out", str(out), *QUIET],
                          capture_output=True, text=True, timeout=300)


def kept_documents(warc_folder: Path) -> dict[str, tuple[str | None, bytes]]:
    """Each kept document answer's path → (its Content-Encoding, its payload as stored)."""
    kept = {}
    for path in sorted(warc_folder.glob("*.warc.gz")):
        for record in ArchiveIterator(BytesIO(path.read_bytes())):
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            if (record.rec_type == "response" and "/document/" in url
                    and record.http_headers.get_statuscode() == "200"):
                coding = record.http_headers.get_header("Content-Encoding")
                kept[url.split("/document/")[1]] = (coding, record.raw_stream.read())
    return kept


@pytest.fixture(scope="module", params=["br", "zstd"])
def coded_run(request, tmp_path_factory) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp(f"live-{request.param}")
    with served(SITE, "--faults", f"* encode={request.param}") as url:
        result = harvest(out, "topic", "--base-url", url, "--public-base-url", BASE, "--warc")
    assert result.returncode == 0, result.stderr
    return request.param, (out / "latest").resolve()


def test_the_crawl_decodes_what_the_server_compressed(coded_run, reference):
    _, run = coded_run
    assert published(run.parent) == published(reference)


def test_the_warc_keeps_each_answer_as_the_server_sent_it(coded_run):
    coding, run = coded_run
    kept = kept_documents(run / "warc")
    pages = {page.stem: page.read_bytes() for page in (SITE / "document").glob("*.html")}
    assert sorted(kept) == sorted(pages)
    for slug, (stored_coding, payload) in kept.items():
        assert (stored_coding, payload) == (coding, encode_body(pages[slug], [coding])), slug


def test_validate_reads_every_kept_record_back(coded_run):
    _, run = coded_run
    result = subprocess.run([*HARVESTER, "validate", str(run)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_kept_warc_reads_back_as_the_same_records(coded_run, tmp_path):
    _, run = coded_run
    again = harvest(tmp_path, "topic", "--source", "warc", str(run / "warc"))
    assert again.returncode == 0, again.stderr
    back = tmp_path / "latest"
    for name in ("documents.jsonl", "topics.jsonl"):
        assert [without_provenance(r) for r in read_jsonl(back / name)] == [
            without_provenance(r) for r in read_jsonl(run / name)], name
    assert [(r["url"], r["field"]) for r in read_jsonl(back / "rejects.jsonl")] == [
        (r["url"], r["field"]) for r in read_jsonl(run / "rejects.jsonl")]
    assert load_json(back / "manifest.json")["source"]["damaged_files"] == []


def wayback_run(store: Path, out: Path, faults: str) -> Path:
    with standin(store, faults) as (_, url):
        result = harvest(out, "topic", "--source", "wayback", "--wayback-url", url, "--warc",
                         "-s", "CONCURRENT_REQUESTS=1")
    assert result.returncode == 0, result.stderr
    return out / "latest"


@pytest.fixture(scope="module")
def plain_replays(store, tmp_path_factory) -> Path:
    return wayback_run(store, tmp_path_factory.mktemp("wayback-plain"), FAULTS)


@pytest.mark.parametrize("coding", ["br", "zstd"])
def test_replays_the_web_archive_compresses_give_the_same_records(store, plain_replays,
                                                                   coding, tmp_path):
    run = wayback_run(store, tmp_path, f"{FAULTS}; /web/* encode={coding}")
    for name in ("documents.jsonl", "topics.jsonl", "rejects.jsonl"):
        assert [without_provenance(r) for r in read_jsonl(run / name)] == [
            without_provenance(r) for r in read_jsonl(plain_replays / name)], name
    codings = set()
    for path in (run / "warc").glob("*.warc.gz"):
        for record in ArchiveIterator(BytesIO(path.read_bytes())):
            if record.rec_type == "response" and "/web/" in record.rec_headers.get_header(
                    "WARC-Target-URI"):
                codings.add(record.http_headers.get_header("Content-Encoding"))
    assert coding in {value.split(", ")[-1] for value in codings if value}
