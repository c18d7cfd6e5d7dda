"""The sources layer one function at a time, up to the CDX answer: canonical URLs and page kinds,
captures and their dates and digests, CDX queries and the captures read from CDX answers. Replays
and which answers become records are in test_source_replay_and_selection. Everything runs on values
built here; no server, no reactor."""

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from harvester.capture.rows import (
    Capture,
    check_partial_date,
    in_window,
    iso_from_timestamp,
    normal_digest,
    sha1_digest,
)
from harvester.sources.cdx import CdxError, census_rows, query_url, read_page, replay_path
from harvester.sources.replay import original_of
from harvester.sources.urls import canonical_url, numeric_record_id, page_kind, topic_slug
from tests.helpers.pages import BASE

WAYBACK = "https://web.archive.org"
JAN = "20240115093000"


# -- urls -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("url", "canonical"), [
    (f"{BASE}/document/x", f"{BASE}/document/x"),
    ("http://digitalarchive.wilsoncenter.org/document/x", f"{BASE}/document/x"),
    ("http://digitalarchive.wilsoncenter.org:80/document/x/", f"{BASE}/document/x"),
    ("https://www.digitalarchive.wilsoncenter.org:443/document/x", f"{BASE}/document/x"),
    ("HTTP://WWW.DigitalArchive.WilsonCenter.org/document/x#top", f"{BASE}/document/x"),
    (f"{BASE}/document/x?", f"{BASE}/document/x"),
    (f"{BASE}", f"{BASE}/"),
    (f"{BASE}/", f"{BASE}/"),
    (f"{BASE}/search?page=1&f%5B0%5D=topics%3A1", f"{BASE}/search?f%5B0%5D=topics%3A1&page=1"),
    (f"{BASE}/search?page=1&f[0]=topics:1", f"{BASE}/search?f%5B0%5D=topics%3A1&page=1"),
    (f"{BASE}/search?q=kim+il&a=", f"{BASE}/search?a=&q=kim%20il"),
    (f"{BASE}/document/k%c3%a1d%C3%A1r", f"{BASE}/document/k%C3%A1d%C3%A1r"),
    (f"{BASE}/document/kádár", f"{BASE}/document/k%C3%A1d%C3%A1r"),
    ("https://www.wilsoncenter.org/document/x", None),
    ("https://digitalarchive.wilsoncenter.org:8443/document/x", None),
    ("ftp://digitalarchive.wilsoncenter.org/document/x", None),
    ("/document/x", None),
])
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


def test_a_loopback_crawl_base_maps_onto_the_public_base():
    site = "http://127.0.0.1:8123"
    assert canonical_url(f"{site}/document/x/?b=2&a=1", site, BASE) == f"{BASE}/document/x?a=1&b=2"
    assert canonical_url("http://127.0.0.1:8124/document/x", site, BASE) is None
    assert canonical_url("http://localhost:8123/document/x", site, BASE) is None
    assert canonical_url(f"{BASE}/document/x", site, BASE) is None


def test_the_scheme_is_read_whatever_its_case():
    # Schemes are case-insensitive (RFC 3986 §3.1); `HTTP://` and `https://` are accepted.
    assert canonical_url("Https://digitalarchive.wilsoncenter.org/document/x") == \
        f"{BASE}/document/x"


@pytest.mark.parametrize(("path", "kind", "record_id", "slug"), [
    ("/document/telegram-shtykov-gromyko-and-stalin", "document", None, None),
    ("/document/112127", "document", "112127", None),
    ("/document/20098/download", "other", None, None),
    ("/document/112127.pdf?v=1a2b", "other", None, None),
    ("/document/x/y", "other", None, None),
    ("/document/", "other", None, None),
    ("/topics/korean-war-origins-1945-1950", "topic", None, "korean-war-origins-1945-1950"),
    ("/topics", "other", None, None),
    ("/topics/a/b", "other", None, None),
    ("/search?f%5B0%5D=topics%3A86466&page=2", "listing", None, None),
    ("/search", "listing", None, None),
    ("/people/kim-il-sung", "person", None, None),
    ("/people", "other", None, None),
    ("/people/kim-il-sung/edit", "other", None, None),
    ("/", "other", None, None),
])
def test_page_kinds_record_ids_and_topic_slugs(path, kind, record_id, slug):
    assert (page_kind(BASE + path), numeric_record_id(BASE + path), topic_slug(BASE + path)) \
        == (kind, record_id, slug)


# -- captures ---------------------------------------------------------------------------------
def test_iso_from_timestamp():
    assert iso_from_timestamp(JAN) == "2024-01-15T09:30:00Z"
    assert iso_from_timestamp("19991231235959") == "1999-12-31T23:59:59Z"


@pytest.mark.parametrize(("text", "error"), [
    ("2024", None), ("202401", None), ("20240131", None), (" 2019 ", None),
    ("202413", "--captured-to is not a date: '202413'"),
    ("202400", "--captured-to is not a date: '202400'"),
    ("20240100", "--captured-to is not a date: '20240100'"),
    ("2024ab", "--captured-to takes YYYY, YYYYMM or YYYYMMDD, got '2024ab'"),
    ("20245", "--captured-to takes YYYY, YYYYMM or YYYYMMDD, got '20245'"),
    ("", "--captured-to takes YYYY, YYYYMM or YYYYMMDD, got ''"),
])
def test_check_partial_date(text, error):
    if error is None:
        assert check_partial_date(text, "--captured-to") == text.strip()
    else:
        with pytest.raises(ValueError) as raised:
            check_partial_date(text, "--captured-to")
        assert str(raised.value) == error


@pytest.mark.parametrize(("start", "end", "inside"), [
    (None, None, True), ("2024", "2024", True), ("202401", "202401", True),
    ("20240115", "20240115", True), ("20240116", None, False), (None, "20240114", False),
    ("2025", None, False), (None, "2023", False), ("2019", "202312", False),
    (JAN, JAN, True), ("20240115093001", None, False),
])
def test_in_window_is_inclusive_at_the_precision_given(start, end, inside):
    assert in_window(JAN, start, end) is inside


def test_digests():
    assert sha1_digest(b"") == "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"
    assert [normal_digest(d) for d in ("-", None, "", "ABC234", "sha1:ABC234")] == \
        [None, None, None, "sha1:ABC234", "sha1:ABC234"]


# -- cdx --------------------------------------------------------------------------------------
FL = "timestamp,original,mimetype,statuscode,digest,length"


def test_query_url_asks_for_every_capture_and_pages_by_resume_key():
    url = query_url(WAYBACK + "/", BASE, "/document/", 5000)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{WAYBACK}/cdx/search/cdx"
    assert parse_qsl(parts.query) == [
        ("url", "digitalarchive.wilsoncenter.org/document/"), ("matchType", "prefix"),
        ("output", "json"), ("fl", FL), ("limit", "5000"), ("showResumeKey", "true")]
    later = parse_qsl(urlsplit(query_url(WAYBACK, BASE, "/search", 10, "KEY", "2019",
                                         "20240131")).query)
    assert later[-3:] == [("from", "2019"), ("to", "20240131"), ("resumeKey", "KEY")]
    assert not {"page", "collapse"} & {name for name, _ in later}


def test_query_url_hands_the_resume_key_back_as_the_server_wrote_it():
    # The CDX server writes its resume key already URL-encoded, to be sent back verbatim.
    key = "org%2Cwilsoncenter%2Cdigitalarchive%29%2Fdocument%2Fx+20240115093000%21"
    url = query_url(WAYBACK, BASE, "/document/", 10, key)
    assert dict(parse_qsl(urlsplit(url).query))["resumeKey"] == \
        "org,wilsoncenter,digitalarchive)/document/x 20240115093000!"


def test_a_capture_is_replayed_raw_at_a_path_of_whichever_archive_address():
    assert replay_path(JAN, f"{BASE}/search?b=1&a=2") == f"/web/{JAN}id_/{BASE}/search?b=1&a=2"
    assert original_of(WAYBACK + replay_path(JAN, f"{BASE}/document/x")) == f"{BASE}/document/x"


# Later than every capture of these tests: a capture time is never after the run's start.
RUN_START = "20300101000000"


def cdx(*rows) -> bytes:
    return json.dumps([FL.split(","), *rows]).encode()


def row(original=f"{BASE}/document/x", timestamp=JAN, mimetype="text/html", status="200",
        digest="AAAA", length="1234") -> list[str]:
    return [timestamp, original, mimetype, status, digest, length]


def test_an_empty_cdx_answer():
    for body in (b"[]", b"", cdx()):
        page = read_page(body, canonical_url, RUN_START)
        assert (page.captures, page.resume_key, page.rows, page.unusable) == ([], None, 0, 0)


def test_cdx_rows_become_captures_and_the_resume_key_is_kept_apart():
    body = cdx(row("http://www.digitalarchive.wilsoncenter.org:80/document/x/"),
               row(timestamp="20240301120000", mimetype="warc/revisit", status="-",
                   digest="BBBB", length="-"),
               row("https://www.wilsoncenter.org/about"),
               row(timestamp="2024030112"),
               row(f"{BASE}/topics/korea", status="301", mimetype="", length="0"),
               [JAN, f"{BASE}/document/y"], [], ["KEY"])
    page = read_page(body, canonical_url, RUN_START)
    assert (page.resume_key, page.rows, page.unusable) == ("KEY", 6, 1)
    assert page.refused == {"not a URL of the site": 1, "capture time is not 14 digits": 1,
                            "wrong number of fields": 1}
    first, revisit, topic = page.captures
    assert first == Capture(
        location=f"/web/{JAN}id_/http://www.digitalarchive.wilsoncenter.org:80/document/x/",
        key=f"{BASE}/document/x", kind="document", timestamp=JAN,
        original="http://www.digitalarchive.wilsoncenter.org:80/document/x/", status=200,
        mimetype="text/html", digest="sha1:AAAA", length=1234, revisit=False)
    assert revisit == Capture(
        location=f"/web/20240301120000id_/{BASE}/document/x", key=f"{BASE}/document/x",
        kind="document", timestamp="20240301120000", original=f"{BASE}/document/x",
        status=None, mimetype="warc/revisit", digest="sha1:BBBB", length=None, revisit=True)
    assert (topic.kind, topic.status, topic.mimetype, topic.length) == ("topic", 301, None, 0)
    assert list(census_rows(page.captures)) == [
        ("document", "2024", "200"), ("document", "2024", "revisit"), ("topic", "2024", "301")]


@pytest.mark.parametrize(("body", "message"), [
    (json.dumps([["timestamp", "original"], row()]).encode(),
     "the CDX answer lacks the fields mimetype, statuscode, digest, length"),
    (b'{"timestamp": "20240115093000"}', "the CDX answer is not a JSON table"),
    (b"[1, 2]", "the CDX answer is not a JSON table"),
])
def test_unreadable_cdx_answers(body, message):
    with pytest.raises(CdxError) as raised:
        read_page(body, canonical_url, RUN_START)
    assert str(raised.value) == message


@pytest.mark.parametrize("body", [b"<html>Service Unavailable</html>", b"\xff\xfe[]", b"[["])
def test_cdx_answers_that_are_not_json(body):
    with pytest.raises(CdxError, match="^the CDX answer is not JSON"):
        read_page(body, canonical_url, RUN_START)
