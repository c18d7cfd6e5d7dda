"""The sources layer one function at a time, from the replayed answer on: raw replays read back as
answers, archive failures, and which captured answers become records (skips, old layouts,
windows-1252 captures). URLs and CDX answers are in test_source_urls_and_cdx. Everything runs on
values built here; no server, no reactor."""

from dataclasses import asdict, replace

import pytest
from scrapy.http import HtmlResponse, Response

from harvester.capture import outcomes
from harvester.capture.rows import Answer, Capture
from harvester.mirror.hostile import CHALLENGE_PAGE, windows_1252
from harvester.pages.document import DocumentPage
from harvester.sources import selection
from harvester.sources.replay import answer_of, archive_failure, archive_says, original_of
from harvester.sources.urls import page_kind
from tests.helpers.pages import BASE, ROOT, document_pages, expected_for, load_json

WAYBACK = "https://web.archive.org"
LOCAL = "http://127.0.0.1:1"
JAN = "20240115093000"
MEMENTO = {"Memento-Datetime": "Mon, 15 Jan 2024 09:30:00 GMT"}
OLD_SITE = ROOT / "fixtures" / "captures" / "old-site-document-112127.html"
VALID = [page for page in document_pages() if "reject" not in load_json(expected_for(page))]
SLUG = VALID[0].stem
PAGE = VALID[0].read_bytes()


# -- replay -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("location", "original"), [
    (f"{WAYBACK}/web/20240101000000id_/https://x/y?q=1", "https://x/y?q=1"),
    ("http://host/web/20240101000000/http://x/", "http://x/"),
    (f"{WAYBACK}/web/20240101000000id_/https:/x", "https://x"),
    ("/web/20240101000000id_/http:/x/y", "http://x/y"),
    (f"{BASE}/document/x", None),
])
def test_original_of(location, original):
    assert original_of(location) == original


def replayed(status=200, body=b"", headers=None, cls=Response):
    return cls(f"{LOCAL}/web/{JAN}id_/{BASE}/document/110360", status=status, body=body,
               headers=headers or {})


def test_answer_of_a_captured_page_a_captured_redirect_and_the_archive_itself():
    page = answer_of(replayed(body=PAGE, cls=HtmlResponse, headers={
        "Content-Type": "text/html; charset=utf-8", **MEMENTO}))
    assert page == Answer(status=200, headers={
        "content-type": "text/html; charset=utf-8",
        "memento-datetime": MEMENTO["Memento-Datetime"]}, body=PAGE, captured=True)
    moved = answer_of(replayed(301, headers={
        "Location": f"{LOCAL}/web/20240101000000id_/{BASE}/document/slug", **MEMENTO}))
    assert (moved.captured, moved.moved_to) == (True, f"{BASE}/document/slug")
    nearest = answer_of(replayed(302, headers={"Location": f"{LOCAL}/web/2023id_/{BASE}/"}))
    assert (nearest.status, nearest.captured, nearest.moved_to) == (302, False, None)


@pytest.mark.parametrize(("status", "memento", "failure"), [
    (503, False, True), (429, False, True), (500, False, True), (503, True, False),
    (429, True, False), (404, False, False), (200, False, False),
])
def test_archive_failure(status, memento, failure):
    assert archive_failure(replayed(status, headers=MEMENTO if memento else None)) is failure


@pytest.mark.parametrize(("headers", "body", "said"), [
    ({"X-Archive-Wayback-Runtime-Error": "Blocked  Site\tError", "Content-Type": "text/plain"},
     b"something else\n", "Blocked Site Error"),
    ({"Content-Type": "text/plain;charset=UTF-8"}, b"\n  first line \nsecond\n", "first line"),
    ({"Content-Type": "text/html"}, b"<html><h1>503</h1></html>", ""),
    ({"Content-Type": "text/plain"}, b"x" * 300, "x" * 199 + "\u2026"),
    ({}, b"", ""),
])
def test_what_the_archive_says_of_a_refusal_is_one_bounded_line(headers, body, said):
    assert archive_says(Response(f"{LOCAL}/cdx/search/cdx", status=403, headers=headers,
                                 body=body)) == said


# -- selection --------------------------------------------------------------------------------
def capture(key=f"{BASE}/document/{SLUG}", timestamp=JAN, mimetype="text/html") -> Capture:
    return Capture(location=f"{WAYBACK}/web/{timestamp}id_/{key}", key=key,
                   kind=page_kind(key), timestamp=timestamp, original=key, status=200,
                   mimetype=mimetype, digest=None)


HTML = {"content-type": "text/html; charset=utf-8"}


@pytest.mark.parametrize(("answer", "outcome", "target", "detail"), [
    (Answer(302, captured=False), outcomes.NOT_REPLAYED, None, "HTTP 302"),
    (Answer(200, HTML, PAGE, failure="gzip error"), outcomes.UNREADABLE, None, "gzip error"),
    (Answer(301, moved_to=f"http://www.digitalarchive.wilsoncenter.org:80/document/{SLUG}/"),
     outcomes.MOVED, f"{BASE}/document/{SLUG}", ""),
    # A redirect to another spelling of its own URL is the same page, never "off the site".
    (Answer(301, moved_to="http://digitalarchive.wilsoncenter.org/document/110360/"),
     outcomes.SELF_REDIRECT, None, "http://digitalarchive.wilsoncenter.org/document/110360/"),
    (Answer(301, moved_to="https://www.digitalarchive.wilsoncenter.org:443/document/110360"),
     outcomes.SELF_REDIRECT, None,
     "https://www.digitalarchive.wilsoncenter.org:443/document/110360"),
    (Answer(302, moved_to="https://www.wilsoncenter.org/x"), outcomes.REDIRECT_AWAY, None,
     "https://www.wilsoncenter.org/x"),
    (Answer(302), outcomes.REDIRECT_AWAY, None, "None"),
    (Answer(200, HTML, CHALLENGE_PAGE), outcomes.CHALLENGE, None, "window._cf_chl_opt"),
    (Answer(403, HTML, CHALLENGE_PAGE), outcomes.CHALLENGE, None, "window._cf_chl_opt"),
    (Answer(403, {"cf-mitigated": "challenge"}), outcomes.CHALLENGE, None,
     "cf-mitigated: challenge"),
    (Answer(503, HTML, b"<h1>busy</h1>"), outcomes.SERVER_ERROR, None, "HTTP 503"),
    (Answer(404, HTML, b"<h1>no</h1>"), outcomes.CLIENT_ERROR, None, "HTTP 404"),
    (Answer(204, HTML), outcomes.UNEXPECTED, None, "HTTP 204"),
    (Answer(200, {"content-type": "application/pdf"}, b"%PDF-1.4"), outcomes.NOT_HTML, None,
     "application/pdf"),
    (Answer(200, HTML, b"\n%PDF-1.4 </html>"), outcomes.NOT_HTML, None, HTML["content-type"]),
    (Answer(200, HTML, PAGE[: len(PAGE) // 2]), outcomes.TRUNCATED, None, ""),
    (Answer(200, HTML, PAGE, complete=False), outcomes.TRUNCATED, None, ""),
])
def test_judge_skips(answer, outcome, target, detail):
    verdict = selection.judge(capture(f"{BASE}/document/110360"), answer, BASE, BASE)
    assert (verdict.outcome, verdict.target, verdict.detail, verdict.page) == \
        (outcome, target, detail, None)


def test_judge_without_any_content_type_is_not_html_and_the_census_type_counts():
    bare = Answer(200, {}, PAGE)
    assert selection.judge(capture(mimetype=None), bare, BASE, BASE).detail == "no content type"
    assert selection.judge(capture(), bare, BASE, BASE).outcome == outcomes.USED


def record_of(page: DocumentPage) -> dict:
    return asdict(page.record())


@pytest.mark.parametrize("page", VALID, ids=[p.stem for p in VALID])
def test_a_whole_page_is_used_at_the_capture_key_and_reads_as_its_expected_record(page):
    key = f"{BASE}/document/{page.stem}"
    verdict = selection.judge(capture(key), Answer(200, HTML, page.read_bytes()), BASE, BASE)
    assert (verdict.outcome, verdict.page) == (outcomes.USED, (key, page.read_bytes(),
                                                               HTML["content-type"]))
    expected = load_json(expected_for(page))
    got = record_of(selection.document_page(*verdict.page))
    assert {name: got[name] for name in expected} == expected


def page_object(body: bytes, key: str) -> DocumentPage:
    return selection.document_page(key, body, "text/html")


OLD, BARE = OLD_SITE.read_bytes(), b"<html><body><h1>A title</h1></body></html>"
NUMERIC, SLUGGED = f"{BASE}/document/112127", f"{BASE}/document/{SLUG}"


@pytest.mark.parametrize(("body", "key", "timestamp", "old"), [
    (OLD, NUMERIC, JAN, True), (OLD, NUMERIC, "20190301000000", True),
    (PAGE, SLUGGED, "20190301000000", False), (PAGE, NUMERIC, JAN, False),
    (BARE, SLUGGED, JAN, False), (BARE, SLUGGED, "20190301000000", True),
    (BARE, SLUGGED, "20221231235959", True), (BARE, SLUGGED, "20230101000000", False),
])
def test_old_layout(body, key, timestamp, old):
    page = page_object(body, key)
    assert selection.is_current_layout(page) is (body == PAGE)
    assert selection.old_layout(replace(capture(key), timestamp=timestamp), page) is old


@pytest.mark.parametrize("page", VALID, ids=[p.stem for p in VALID])
def test_a_windows_1252_capture_reads_as_its_utf8_twin(page):
    key, twin = f"{BASE}/document/{page.stem}", page.read_bytes()
    body, content_type = windows_1252(twin, "declared")
    assert content_type == "text/html; charset=windows-1252"
    decoded = selection.document_page(key, body, content_type)
    assert decoded.url == key
    assert record_of(decoded) == record_of(selection.document_page(key, twin, HTML[
        "content-type"]))
