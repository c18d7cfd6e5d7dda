"""Every real WARC, ARC and WACZ sample of `../shared/real-world/warcs/` (pywb's, warcio's and
py-wacz's test files: other crawlers, other sites) through finding, indexing and reading, and a
whole `harvester crawl archive --source warc` over the folder. They hold no page of the archive,
so the crawl publishes nothing; what matters is that nothing crashes, every record reads, and
every unreadable or damaged file is named with its reason. Skipped, saying so, when the folder
is not beside the project."""

import subprocess

import pytest

from harvester.sources.warcfiles import WarcReader, WarcReadError, index_records
from harvester.sources.warcfind import WarcInputError, find_warcs
from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import REAL_WORLD

REAL_WARCS = REAL_WORLD / "warcs"
pytestmark = pytest.mark.skipif(not REAL_WARCS.is_dir(),
                                reason=f"no real-world samples beside the project ({REAL_WARCS})")

# file → (format, read as one gzip stream, what its records read as: "type status [cut]" →
# how many, the damage that ends its index pass)
READABLE = {
    "py-wacz/example-collection-with-lists.warc": (
        "warc", False, {"response 200": 16, "response 200 cut": 1, "response 301": 1}, None),
    "py-wacz/example-collection.warc": ("warc", False, {"response 200": 1}, None),
    "py-wacz/example-iana.warc": ("warc", False, {
        "response 200": 22, "response 301": 1, "response 307": 1, "revisit 200": 33,
        "revisit 404": 1}, None),
    "py-wacz/example-resource.warc.gz": (
        "warc", False, {"resource 200": 1, "revisit None": 1}, None),
    "py-wacz/example-warcinfo-metadata.warc": ("warc", False, {"response 200": 1}, None),
    "py-wacz/invalid_signed_example_1.wacz": (
        "warc", False, {"response 200": 1, "response 404": 1}, None),
    "py-wacz/valid_example_1.wacz": ("warc", False, {"response 200": 1}, None),
    "py-wacz/valid_example_2.wacz": ("warc", False, {"response 200": 1}, None),
    "py-wacz/valid_signed_example_1.wacz": (
        "warc", False, {"response 200": 1, "response 404": 1}, None),
    "pywb/dupes.warc.gz": (
        "warc", False, {"response 200": 2, "response 302": 1, "revisit 200": 9}, None),
    "pywb/example-bad.warc.gz.bad": (
        "warc", True, {"response 200": 1, "response 302": 1, "revisit 200": 1}, None),
    "pywb/example-extra.warc": ("warc", False, {"response 200": 2, "revisit None": 2}, None),
    "pywb/example-url-agnostic-orig.warc.gz": ("warc", False, {"response 200": 1}, None),
    "pywb/example-url-agnostic-revisit.warc.gz": ("warc", False, {"revisit 200": 1}, None),
    "pywb/example-wget-1-14.warc.gz": ("warc", False, {"response 200": 1}, None),
    "pywb/example-wpull.warc.gz": ("warc", False, {"response 200": 1}, None),
    "pywb/example.arc": ("arc", False, {"response 200": 1}, None),
    "pywb/example.arc.gz": ("arc", False, {"response 200": 1}, None),
    "pywb/example.warc": ("warc", False, {"response 200": 1, "revisit 200": 1},
                          "example.warc at byte 4061: no blank line after the record (its "
                          "Content-Length is wrong?)"),
    "pywb/example.warc.gz": (
        "warc", False, {"response 200": 1, "response 302": 1, "revisit 200": 1}, None),
    "pywb/example2.warc.gz": ("warc", False, {"response 200": 1}, None),
    "pywb/httpbin-resource.warc.gz": ("warc", False, {"resource 200": 1}, None),
    "pywb/iana.warc.gz": (
        "warc", False, {"response 200": 44, "response 302": 4, "revisit 200": 123}, None),
    "pywb/missing-status-text.warc": ("warc", False, {"response 302": 1}, None),
    "pywb/post-test.warc.gz": ("warc", False, {"response 200": 3}, None),
    "warcio/data/example-bad-non-chunked.warc.gz": (
        "warc", True, {"response 200": 1, "revisit 200": 1}, None),
    "warcio/data/example-bad.warc.gz.bad": (
        "warc", True, {"response 200": 1, "response 302": 1, "revisit 200": 1}, None),
    "warcio/data/example-digest.warc": ("warc", False, {}, None),   # request records only
    "warcio/data/example-iana.org-chunked.warc": ("warc", False, {"response 200": 1}, None),
    "warcio/data/example-resource.warc.gz": ("warc", False, {"resource 200": 1}, None),
    "warcio/data/example-space-in-target-uri.warc.gz": ("warc", False, {}, None),   # file:
    "warcio/data/example-space-in-url.arc": (
        "arc", False, {}, "example-space-in-url.arc at byte 151: record cut short"),
    "warcio/data/example-trunc.warc": (
        "warc", False, {}, "example-trunc.warc at byte 1197: no blank line after the record "
                           "(its Content-Length is wrong?)"),
    "warcio/data/example-wget-bad-target-uri.warc.gz": ("warc", False, {"response 200": 1}, None),
    "warcio/data/example-wrong-chunks.warc.gz": ("warc", True, {"response 200": 1}, None),
    "warcio/data/example.arc": ("arc", False, {"response 200": 1}, None),
    "warcio/data/example.arc.gz": ("arc", False, {"response 200": 1}, None),
    "warcio/data/example.warc": ("warc", False, {"response 200": 1, "revisit 200": 1}, None),
    "warcio/data/example.warc.gz": ("warc", False, {"response 200": 1, "revisit 200": 1}, None),
    "warcio/data/post-test.warc.gz": ("warc", False, {"response 200": 3}, None),
}
UNREADABLE = {
    "py-wacz/invalid_example_1.wacz":
        "invalid_example_1.wacz: not a WACZ (no archive/*.warc* inside)",
    "pywb/bad.arc": "bad.arc at byte 0: record without a valid Content-Length",
    "warcio/data/bad.arc": "bad.arc at byte 0: record without a valid Content-Length",
}


def test_every_sample_is_in_one_table():
    samples = {path.relative_to(REAL_WARCS).as_posix() for path in REAL_WARCS.rglob("*")
               if path.is_file() and path.suffix in (".warc", ".gz", ".arc", ".wacz", ".bad")}
    assert samples == set(READABLE) | set(UNREADABLE)


@pytest.mark.parametrize("name", sorted(READABLE))
def test_a_readable_sample_indexes_and_every_record_reads(name: str):
    file_format, sequential, kinds, damage = READABLE[name]
    (source,) = find_warcs([REAL_WARCS / name]).sources
    assert (source.format, source.sequential) == (file_format, sequential)
    records, found_damage = [], None
    try:
        records.extend(index_records(source))
    except WarcReadError as error:
        found_damage = str(error)
    read: dict[str, int] = {}
    with WarcReader() as reader:
        for record in records:
            answer = reader.read(source, record.offset, 1 << 24)
            kind = f"{record.rec_type} {answer.status}" + ("" if answer.complete else " cut")
            read[kind] = read.get(kind, 0) + 1
    assert (read, found_damage) == (kinds, damage)


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_an_unreadable_sample_alone_is_refused_with_its_reason(name: str):
    with pytest.raises(WarcInputError) as caught:
        find_warcs([REAL_WARCS / name])
    assert str(caught.value) == UNREADABLE[name]


def test_the_folder_names_its_unreadable_files_and_reads_the_rest():
    found = find_warcs([REAL_WARCS])
    # A folder is searched for the usual endings: the `.bad` samples are read only when named.
    assert [source.name for source in found.sources] == [
        name if not name.endswith(".wacz") else f"{name}/{source.member}"
        for name, source in zip(sorted(n for n in READABLE if not n.endswith(".bad")),
                                found.sources, strict=True)]
    assert found.unreadable == [
        "py-wacz/invalid_example_1.wacz: not a WACZ (no archive/*.warc* inside)",
        "pywb/bad.arc at byte 0: record without a valid Content-Length",
        "warcio/data/bad.arc at byte 0: record without a valid Content-Length"]


def test_a_crawl_of_the_folder_names_what_it_cannot_read_and_publishes_nothing(tmp_path):
    result = subprocess.run([*HARVESTER, "crawl", "archive", "--source", "warc",
                             str(REAL_WARCS), "--out", str(tmp_path),
                             "-s", "HARVESTER_PROGRESS_INTERVAL=0"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "harvester: run not published: no documents harvested")
    named = [line.split("WARNING: ", 1)[1] for line in result.stderr.splitlines()
             if "[warc] WARNING: " in line]
    assert named == [
        "py-wacz/invalid_example_1.wacz: not a WACZ (no archive/*.warc* inside); the file is "
        "left out",
        "pywb/bad.arc at byte 0: record without a valid Content-Length; the file is left out",
        "warcio/data/bad.arc at byte 0: record without a valid Content-Length; the file is left "
        "out",
        "pywb/example.warc at byte 4061: no blank line after the record (its Content-Length is "
        "wrong?); the records before it are used",
        "warcio/data/example-space-in-url.arc at byte 151: record cut short; the records before "
        "it are used",
        "warcio/data/example-trunc.warc at byte 1197: no blank line after the record (its "
        "Content-Length is wrong?); the records before it are used"]
