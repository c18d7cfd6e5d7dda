"""The stand-in Wayback Machine's CDX answers: exact, prefix, host and domain matches, fields, plain
text, filters, date bounds, resume keys across pages and new captures, and what it refuses. Each
test builds its own small store (tests/helpers/standin_client.py) and asks with a plain HTTP client,
not the harvester."""

import base64

import pytest

from harvester.mirror.wayback.store import PlannedCapture
from tests.helpers.pages import BASE
from tests.helpers.standin_client import (
    HOST_KEY,
    JAN,
    JUN,
    MAR,
    X_KEY,
    cdx,
    column,
    digest,
    doc,
    get,
)


# -- CDX --------------------------------------------------------------------------------------
def test_exact_prefix_and_trailing_star(standin):
    server = standin()
    assert column(server, url="digitalarchive.wilsoncenter.org/document/x") == [JAN, MAR, JUN]
    assert column(server, url="http://www.digitalarchive.wilsoncenter.org/document/X") == [
        JAN, MAR, JUN]
    keys = [f"{HOST_KEY}/document/{k}" for k in ("110360", "busy", "gone", "missing")]
    keys += [X_KEY] * 3 + [X_KEY + "/"]
    assert column(server, "urlkey", url=f"{BASE}/document/", matchType="prefix") == keys
    assert column(server, "urlkey", url=f"{BASE}/document/*") == keys
    assert column(server, url=f"{BASE}/document/") == []


def test_host_and_domain(standin):
    server = standin()
    assert len(column(server, url="digitalarchive.wilsoncenter.org", matchType="host")) == 13 - 1
    assert column(server, "original", url="wilsoncenter.org", matchType="host") == [
        "https://www.wilsoncenter.org/about"]
    assert len(column(server, url="*.wilsoncenter.org")) == 13


def test_all_seven_fields_by_default_and_fl_chooses(standin):
    server = standin()
    assert cdx(server, url=doc("gone")) == (200, [
        ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"],
        [f"{HOST_KEY}/document/gone", JAN, doc("gone"), "text/html", "403",
         digest(b"<html>forbidden</html>"), "22"]])
    assert cdx(server, url=doc("gone"), fl="length,statuscode") == (
        200, [["length", "statuscode"], ["22", "403"]])
    status, message = cdx(server, url=doc("gone"), fl="timestamp,size")
    assert (status, "fl: unknown field 'size'" in message) == (400, True)


EMPTY_BODY = "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"


def test_captured_redirects_are_indexed_as_the_archive_indexes_them(standin):
    """As wayback-recordings/test_search_with_date.txt lists them: an empty 301 as `unk`, an
    empty 302 as `text/html`, and every empty body (so every redirect, and a revisit of one)
    under the one digest of b"", `3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ`."""
    server = standin([
        PlannedCapture(doc("110360"), JAN, status=301, location=doc("x")),
        PlannedCapture(doc("300188"), JAN, status=302, location=doc("y")),
        PlannedCapture(doc("300188"), MAR, revisit=True),
        PlannedCapture(doc("z"), JAN, status=301, location=doc("x"), body=b"<a>moved</a>"),
        PlannedCapture(doc("x"), JAN, body=b"x")])
    fields = "original,mimetype,statuscode,digest"
    status, _, body = get(server, f"/cdx/search/cdx?url={BASE}/document/&matchType=prefix"
                                  f"&fl={fields}")
    assert status == 200
    assert body.decode().splitlines() == [
        f"{doc('110360')} unk 301 {EMPTY_BODY}",
        f"{doc('300188')} text/html 302 {EMPTY_BODY}",
        f"{doc('300188')} warc/revisit - {EMPTY_BODY}",
        f"{doc('x')} text/html 200 {digest(b'x')}",
        f"{doc('z')} text/html 301 {digest(b'<a>moved</a>')}"]


def test_plain_text_output(standin):
    status, _, body = get(standin(), "/cdx/search/cdx?url=" + doc("gone") + "&fl=timestamp,length")
    assert (status, body) == (200, f"{JAN} 22\n".encode())


def test_filters_match_whole_fields_and_negate(standin):
    server = standin()
    prefix = {"url": f"{BASE}/document/*"}
    assert column(server, "urlkey", **prefix, filter="statuscode:[45].*") == [
        f"{HOST_KEY}/document/{k}" for k in ("busy", "gone", "missing")]
    assert column(server, "urlkey", **prefix, filter="statuscode:20") == []
    both = ["!statuscode:200", "!mimetype:text/.*"]
    # The revisit (`warc/revisit`) and the captured 301, indexed `unk` as the archive does.
    assert column(server, "statuscode", **prefix, filter=both) == ["301", "-"]
    status, message = cdx(server, url=doc("x"), filter="size:1")
    assert (status, message.startswith("filter 'size:1'")) == (400, True)


def test_from_and_to_are_inclusive_prefixes(standin):
    server = standin()
    assert column(server, url=doc("x"), **{"from": "2024", "to": "202403"}) == [JAN, MAR]
    assert column(server, url=doc("x"), **{"from": MAR}) == [MAR, JUN]
    assert column(server, url=doc("x"), to="20240115093000") == [JAN]
    assert cdx(server, url=doc("x"), to="2024-01")[0] == 400


def many(count: int) -> list[PlannedCapture]:
    return [PlannedCapture(doc(f"p{n % 7}"), f"2024{1 + n % 12:02d}01000000", body=b"%d" % n)
            for n in range(count)]


@pytest.mark.parametrize(("limit", "sizes"), [(5, [5, 5, 5, 5]), (7, [7, 7, 6])])
def test_resume_key_pages_give_every_row_once_in_order(standin, limit, sizes):
    server = standin(many(20))
    query = {"url": f"{BASE}/document/*", "fl": "urlkey,timestamp"}
    everything = cdx(server, **query)[1][1:]
    pages, key = [], None
    while True:
        extra = {"resumeKey": key} if key else {}
        table = cdx(server, **query, limit=limit, showResumeKey="true", **extra)[1]
        if table[-2] == []:
            pages.append(table[1:-2])
            key = table[-1][0]
        else:
            pages.append(table[1:])
            break
    assert [len(page) for page in pages] == sizes
    assert sum("resumeKey=" in target for target in server.requests) == len(sizes) - 1
    assert [row for page in pages for row in page] == everything
    assert everything == sorted(everything)


def test_resume_key_survives_new_captures(standin):
    query = {"url": f"{BASE}/document/*", "fl": "timestamp", "limit": 2}
    table = cdx(standin(many(20)), **query, showResumeKey="true")[1]
    assert table[1:] == [["20240101000000"], ["20240301000000"], [], [table[-1][0]]]
    added = [PlannedCapture(doc("p0"), f"2024{month}01000000") for month in ("02", "05")]
    rows = cdx(standin(many(20) + added), **query, resumeKey=table[-1][0])[1]
    assert rows == [["timestamp"], ["20240501000000"], ["20240801000000"]]


@pytest.mark.parametrize("key", ["garbage!", "W10", base64.urlsafe_b64encode(b'["a",1]').decode()])
def test_a_bad_resume_key_is_400(standin, key):
    assert cdx(standin(), url=doc("x"), resumeKey=key) == (
        400, "resumeKey is not a key this server gave\n")


@pytest.mark.parametrize("param", [{"page": "0"}, {"showNumPages": "true"}, {"collapse": "digest"}])
def test_page_count_and_collapse_are_refused(standin, param):
    status, message = cdx(standin(), url=doc("x"), **param)
    assert (status, message.startswith(f"{next(iter(param))} is refused")) == (400, True)


def test_no_match_is_an_empty_array_and_no_url_is_400(standin):
    server = standin()
    assert cdx(server, url=doc("never"), showResumeKey="true", limit=1) == (200, [])
    assert cdx(server, fl="timestamp") == (400, "url is required\n")
