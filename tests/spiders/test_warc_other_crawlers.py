"""Harvesting from files other crawlers write (each trait reproduced from a real sample: see
tests/helpers/foreign_warcs.py): a WARC gzipped as one stream, ARC files, resource records,
bodies kept br, zstd or stacked, and bad files among good ones, which are named in the
manifest's `source.damaged_files` and left out while the rest is harvested. Each is harvested
offline, as `harvester crawl … --source warc` harvests it (tests/helpers/offline_runs.py)."""

import gzip
from io import BytesIO
from pathlib import Path

import pytest
from warcio.warcwriter import WARCWriter

from harvester.mirror.layout import load_redirects
from harvester.spiders.topic import parse_slugs
from tests.helpers import captures as plan
from tests.helpers.foreign_warcs import (
    BAD_ARC,
    HTML,
    response,
    write_arc,
    write_encoded,
    write_invalid_wacz,
)
from tests.helpers.offline_runs import harvest_files
from tests.helpers.pages import (
    BASE,
    SITE,
    expected_documents,
    load_json,
    read_jsonl,
    url_of,
    without_provenance,
)

BAD_FILES = ["bad.arc at byte 0: record without a valid Content-Length",
             "invalid.wacz: not a WACZ (no archive/*.warc* inside)"]


def add_bad_files(folder: Path) -> None:
    (folder / "bad.arc").write_bytes(BAD_ARC)
    write_invalid_wacz(folder / "invalid.wacz")


def test_a_warc_gzipped_as_one_stream_among_bad_files_gives_the_hand_checked_records(tmp_path):
    per_record = plan.write_warc(tmp_path / "per-record.warc.gz", plan.plan())
    folder = tmp_path / "input"
    folder.mkdir()
    with gzip.open(per_record, "rb") as members:   # every member, one after the other
        (folder / "archive.warc.gz").write_bytes(gzip.compress(members.read(), mtime=0))
    add_bad_files(folder)
    run = harvest_files(tmp_path / "out", folder)
    records = {r["record_id"]: r for r in read_jsonl(run / "documents.jsonl")}
    for record_id, (_, expected) in expected_documents().items():
        assert without_provenance(records[record_id]) == expected, record_id
    source = load_json(run / "manifest.json")["source"]
    assert (source["rows"], source["records"]) == (46, 19)   # as from the per-record file
    assert (source["files"], source["damaged_files"]) == (["archive.warc.gz"], BAD_FILES)


@pytest.fixture(scope="module")
def mirror_as_other_crawlers_keep_it(tmp_path_factory) -> Path:
    """The bundled mirror's pages spread over an ARC (half the documents), resource records
    (the other half), and responses kept br, zstd and `gzip, br` (the topic and its list), with
    the mirror's captured redirect, and two bad files beside them."""
    folder = tmp_path_factory.mktemp("other-crawlers")
    documents = sorted((SITE / "document").glob("*.html"))
    half = len(documents) // 2
    write_arc(folder / "documents.arc.gz",
              {url_of(page): page.read_bytes() for page in documents[:half]}, gzipped=True)
    with open(folder / "resources.warc.gz", "wb") as file:
        writer = WARCWriter(file, gzip=True)
        for page in documents[half:]:
            body = page.read_bytes()
            writer.write_record(writer.create_warc_record(
                url_of(page), "resource", payload=BytesIO(body), length=len(body),
                warc_content_type="text/html; charset=utf-8",
                warc_headers_dict={"WARC-Date": "2024-01-15T10:00:00Z"}))
    lists = sorted(SITE.glob("search@*.html"))
    codings = [["zstd"], ["gzip", "br"], ["br"]]
    write_encoded(folder / "lists.warc.gz", {
        url_of(SITE / "topics" / "conversations-kim-il-sung.html"):
            (["br"], (SITE / "topics" / "conversations-kim-il-sung.html").read_bytes()),
        **{url_of(page): (codings[n % 3], page.read_bytes()) for n, page in enumerate(lists)}})
    with open(folder / "redirects.warc.gz", "wb") as file:
        writer = WARCWriter(file, gzip=True)
        for path, rule in load_redirects(SITE).items():
            response(writer, BASE + path, "2024-01-15T09:30:00Z", b"",
                     [*HTML, ("Location", BASE + rule["location"])],
                     status=f"{rule['status']} Moved Permanently")
    add_bad_files(folder)
    return folder


def test_arc_resource_and_coded_captures_give_the_live_runs_records(
        mirror_as_other_crawlers_keep_it, bundled_topic_run, tmp_path):
    """The live run: the session's crawl of the bundled mirror (`harvester crawl topic`); this
    one is `harvester crawl topic --source warc FOLDER`, the default topic's."""
    run = harvest_files(tmp_path / "out", mirror_as_other_crawlers_keep_it,
                        topics=parse_slugs(None))
    live = bundled_topic_run.out / "latest"
    for name in ("documents.jsonl", "topics.jsonl"):
        assert [without_provenance(r) for r in read_jsonl(run / name)] == [
            without_provenance(r) for r in read_jsonl(live / name)], name
    assert [(r["url"], r["field"]) for r in read_jsonl(run / "rejects.jsonl")] == [
        (r["url"], r["field"]) for r in read_jsonl(live / "rejects.jsonl")]
    source = load_json(run / "manifest.json")["source"]
    assert source["files"] == ["documents.arc.gz", "lists.warc.gz", "redirects.warc.gz",
                               "resources.warc.gz"]
    assert source["damaged_files"] == BAD_FILES
    captured = {r["capture"]["url"].split("#")[0] for r in read_jsonl(run / "documents.jsonl")}
    assert captured == {"documents.arc.gz", "resources.warc.gz"}
