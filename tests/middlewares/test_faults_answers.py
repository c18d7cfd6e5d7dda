"""What each middleware decides about one answer, on small fakes of the crawler (no reactor):
robots.txt problems, other hosts, truncated pages, encodings, size limits and the cache policy.
Pacing (back-off, 429, challenges) is in test_faults_pacing; the end-to-end behaviour is in
end_to_end/test_faults_end_to_end."""


import pytest
from scrapy import Request
from scrapy.exceptions import DownloadCancelledError, DownloadFailedError, DownloadTimeoutError
from scrapy.http import HtmlResponse, TextResponse
from scrapy.settings import Settings
from twisted.internet.error import ConnectionLost
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed

from harvester.middlewares.cache import SafeCachePolicy
from harvester.middlewares.completeness import CUT_SHORT, CompletenessMiddleware
from harvester.middlewares.control import Refused
from harvester.middlewares.encoding import EncodingMiddleware
from harvester.middlewares.hosts import SameHostMiddleware
from harvester.middlewares.limits import SizeLimitMiddleware
from harvester.middlewares.robots import describe, robots_problem
from harvester.mirror.hostile import CHALLENGE_PAGE, broken_html, windows_1252
from harvester.pages.completeness import looks_complete
from harvester.pages.decoding import choose_encoding, decode_page
from harvester.pages.document import DocumentPage, MissingField
from harvester.settings import base
from harvester.sources.content import codings_of, encode_body
from tests.helpers.crawler_fakes import MIRROR_URL as BASE
from tests.helpers.crawler_fakes import PAGE, html, request
from tests.helpers.pages import document_pages


# -- robots.txt -------------------------------------------------------------------------------
@pytest.mark.parametrize(("status", "body", "retries", "problem"), [
    (503, b"down", 3, "answered HTTP 503 after 4 attempts"),
    (500, b"down", 0, "answered HTTP 500"),
    (429, b"slow down", 0, "answered HTTP 429"),
    (200, CHALLENGE_PAGE, 0, "was answered with a bot challenge (window._cf_chl_opt)"),
    (404, b"not found", 0, None),
    (200, b"User-agent: *\nDisallow: /admin/\n", 0, None),
])
def test_robots_problems(status, body, retries, problem):
    req = request("/robots.txt", retry_times=retries)
    response = TextResponse(req.url, status=status, body=body, request=req)
    assert robots_problem(response) == problem


def test_robots_download_errors_read_as_one_line():
    lost = ResponseFailed([Failure(ConnectionLost())])
    assert describe(lost) == ("ConnectionLost: Connection to the other side was lost in a "
                              "non-clean fashion.")
    try:  # as Scrapy raises it
        raise DownloadFailedError(str(lost.reasons)) from lost
    except DownloadFailedError as wrapped:
        assert describe(wrapped) == describe(lost)
    assert describe(DownloadTimeoutError("took longer than 1.0 seconds")) == \
        "DownloadTimeoutError: took longer than 1.0 seconds"
    assert describe(DownloadTimeoutError()) == "DownloadTimeoutError"


# -- hosts ------------------------------------------------------------------------------------
def test_only_the_archive_host_and_port_are_fetched(crawler):
    middleware = SameHostMiddleware.from_crawler(crawler)
    assert middleware.process_request(Request(BASE + "/document/x")) is None
    crawler.spider.base_url = "https://archive.example"
    assert middleware.process_request(Request("https://ARCHIVE.example:443/x")) is None
    with pytest.raises(Refused) as refused:
        middleware.process_request(Request("https://archive.example:8443/x"))
    assert str(refused.value) == "request to another host (archive.example:8443) refused"
    redirected = Request("http://localhost/x",
                         meta={"redirect_urls": ["https://archive.example/document/1"]})
    with pytest.raises(Refused) as refused:
        middleware.process_request(redirected)
    assert str(refused.value) == ("redirect from https://archive.example/document/1 to another "
                                  "host (localhost) refused")
    assert crawler.stats.get_value("harvester/other_host_refused") == 2


# -- truncated pages --------------------------------------------------------------------------
def test_a_page_must_reach_its_end():
    assert looks_complete(PAGE)
    assert not looks_complete(PAGE[: len(PAGE) // 2])
    assert not looks_complete(b"")
    assert looks_complete(broken_html(PAGE))  # no </body></html>, but the footer is there


def test_a_cut_page_is_fetched_again_and_finally_refused(crawler):
    middleware = CompletenessMiddleware.from_crawler(crawler)
    current = request()
    for attempt in (1, 2, 3):
        current = middleware.process_response(current, html(body=PAGE[:500], req=current))
        assert current.meta["retry_times"] == attempt
    with pytest.raises(Refused) as refused:
        middleware.process_response(current, html(body=PAGE[:500], req=current))
    assert str(refused.value) == CUT_SHORT
    whole = html()
    assert middleware.process_response(request(), whole) is whole


# -- encodings --------------------------------------------------------------------------------
def record(body: bytes, content_type: str = "text/html; charset=utf-8"):
    response = HtmlResponse("https://digitalarchive.wilsoncenter.org/document/x", body=body,
                            headers={"Content-Type": content_type})
    try:
        return DocumentPage.from_response(response).record()
    except MissingField as missing:
        return missing.field


@pytest.mark.parametrize("declare", ["declared", "undeclared", "mislabelled"])
def test_windows_1252_pages_give_the_records_of_their_utf8_twins(declare):
    for page in document_pages():
        twin = page.read_bytes()
        body, content_type = windows_1252(twin, declare)
        text, encoding, dropped = decode_page(body, content_type)
        single_byte = any(byte > 0x7F for byte in body)  # else every character is a reference
        assert (encoding, dropped) == ("cp1252" if single_byte else "utf-8", 0), page.name
        assert record(text.encode("utf-8")) == record(twin), page.name


def test_stray_bytes_and_controls_are_dropped_and_counted():
    for page in document_pages():
        twin = page.read_bytes()
        text, encoding, dropped = decode_page(broken_html(twin), "text/html; charset=utf-8")
        in_title = 2 if b"<h1" in twin else 0  # NUL and BEL
        # Six bytes that are not UTF-8 go too, unless the page has no UTF-8 to tell them from
        # windows-1252 text (then only the NULs and controls are dropped).
        assert dropped == in_title + (6 if encoding == "utf-8" else 1), page.name
        assert record(text.encode("utf-8")) == record(twin), page.name


@pytest.mark.parametrize(("body", "content_type", "encoding"), [
    ("Kádár’s".encode(), "text/html; charset=windows-1252", "utf-8"),  # the bytes win
    ("Kádár’s".encode("cp1252"), "text/html; charset=iso-8859-1", "cp1252"),
    ("Kádár’s".encode("cp1252"), "text/html", "cp1252"),
    ("ünïcödé €".encode() + b"\xff", "text/html", "utf-8"),
    (b"\xef\xbb\xbfplain", None, "utf-8"),
    ("<!DOCTYPE html><p>Kádár</p>".encode("utf-16"), None, "utf-16-le"),
    (b"\xff\xfe<!DOCTYPE html><p>plain</p>", "text/html", "cp1252"),  # not a BOM: strays
    (b"\xff\xfe" + "<!DOCTYPE html><p>Kádár’s</p>".encode(), "text/html", "utf-8"),
])
def test_which_encoding_wins(body, content_type, encoding):
    assert choose_encoding(body, content_type) == encoding


def test_stray_bytes_that_look_like_a_bom_do_not_make_a_page_utf16():
    for page in document_pages():
        twin = page.read_bytes()
        text, encoding, dropped = decode_page(b"\xff\xfe" + twin, "text/html")
        # A page of pure ASCII reads them as windows-1252 characters before the doctype.
        utf8 = any(byte > 0x7F for byte in twin)
        assert (encoding, dropped) == (("utf-8", 2) if utf8 else ("cp1252", 0)), page.name
        assert record(text.encode("utf-8")) == record(twin), page.name


def test_encoding_middleware_leaves_clean_utf8_alone_and_rewrites_the_rest(crawler):
    middleware = EncodingMiddleware.from_crawler(crawler)
    clean = html()
    assert middleware.process_response(request(), clean) is clean
    body, content_type = windows_1252(PAGE, "mislabelled")
    fixed = middleware.process_response(request(), html(body=body,
                                                        headers={"Content-Type": content_type}))
    assert (fixed.encoding, fixed.text) == ("utf-8", PAGE.decode("utf-8").encode(
        "cp1252", errors="xmlcharrefreplace").decode("cp1252"))
    assert crawler.stats.get_value("harvester/encoding/cp1252") == 1


# -- size limits ------------------------------------------------------------------------------
def test_a_cancelled_oversized_download_says_why(crawler):
    crawler.settings.set("DOWNLOAD_MAXSIZE", 300000)
    middleware = SizeLimitMiddleware.from_crawler(crawler)
    for message in ("", "Expected to receive 400000 bytes which is larger than download max "
                        "size (300000) in request <GET x>."):
        with pytest.raises(Refused) as refused:
            middleware.process_exception(request(), DownloadCancelledError(message))
        assert str(refused.value) == "response larger than the size limit " \
                                     "(DOWNLOAD_MAXSIZE=300000 bytes)"
    assert middleware.process_exception(request(), DownloadCancelledError("stopped")) is None
    assert middleware.process_exception(request(), ValueError("x")) is None


# -- the HTTP cache ---------------------------------------------------------------------------
@pytest.mark.parametrize(("status", "body", "encoding", "cached"), [
    (200, PAGE, b"gzip", True),
    (200, PAGE, b"br", True),
    (200, PAGE, b"zstd", True),
    (200, PAGE, b"deflate", True),
    (200, PAGE, b"gzip, br", True),
    (200, PAGE, None, True),
    (200, CHALLENGE_PAGE, b"gzip", False),
    (200, CHALLENGE_PAGE, b"zstd", False),
    (403, CHALLENGE_PAGE, None, False),
    (200, PAGE[:2000], b"gzip", False),
    (200, PAGE[:2000], b"br", False),
    (503, b"busy", None, False),
    (404, b"missing", None, True),
    (404, b"missing", b"br", True),
])
def test_the_cache_keeps_only_what_the_crawl_would_parse(status, body, encoding, cached):
    headers = {"Content-Type": "text/html; charset=utf-8"}
    if encoding:
        headers["Content-Encoding"] = encoding
        body = encode_body(body, codings_of(encoding))
    response = HtmlResponse("http://x/document/a", status=status, body=body, headers=headers)
    policy = SafeCachePolicy(Settings({"HTTPCACHE_IGNORE_HTTP_CODES":
                                       base.HTTPCACHE_IGNORE_HTTP_CODES,
                                       "DOWNLOAD_MAXSIZE": base.DOWNLOAD_MAXSIZE}))
    assert policy.should_cache_response(response, Request("http://x/document/a")) is cached


@pytest.mark.parametrize(("encoding", "body"), [
    (b"br", PAGE),                                          # says br, is not
    (b"compress", PAGE),                                    # a coding the crawl cannot remove
    (b"br", encode_body(PAGE, ["br"])[:-40]),               # a coded stream cut short
    (b"zstd", encode_body(PAGE, ["zstd"])[:-40]),
])
def test_the_cache_keeps_no_answer_it_cannot_decode(encoding, body):
    headers = {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": encoding}
    response = HtmlResponse("http://x/document/a", status=200, body=body, headers=headers)
    policy = SafeCachePolicy(Settings({"HTTPCACHE_IGNORE_HTTP_CODES":
                                       base.HTTPCACHE_IGNORE_HTTP_CODES,
                                       "DOWNLOAD_MAXSIZE": base.DOWNLOAD_MAXSIZE}))
    assert policy.should_cache_response(response, Request("http://x/document/a")) is False
