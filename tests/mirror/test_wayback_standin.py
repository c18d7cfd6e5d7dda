"""The stand-in Wayback Machine: its store, url keys, CDX answers, replay and faults, checked
with a plain HTTP client (not the harvester) against small stores built for each test."""

import base64
import hashlib
import http.client
import json
import re
import subprocess
from urllib.parse import urlencode

import pytest

from harvester.mirror.faults import FaultPlan, parse_spec
from harvester.mirror.layout import is_hidden, load_redirects
from harvester.mirror.server import base_url
from harvester.mirror.wayback.server import serve_in_background
from harvester.mirror.wayback.store import (
    CaptureStore,
    PlannedCapture,
    plan_from_mirror,
    write_store,
)
from harvester.mirror.wayback.surt import urlkey
from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import BASE, SITE
from tests.helpers.serving import served

HOST_KEY = "org,wilsoncenter,digitalarchive)"
X_KEY = f"{HOST_KEY}/document/x"
JAN, MAR, JUN = "20240115093000", "20240301120000", "20240601000000"
JAN_DATE = "Mon, 15 Jan 2024 09:30:00 GMT"


def doc(slug: str) -> str:
    return f"{BASE}/document/{slug}"


CAPTURES = [
    PlannedCapture(doc("x"), JAN, body=b"<html>x one</html>"),
    PlannedCapture("http://www.digitalarchive.wilsoncenter.org:80/document/x", MAR,
                   body=b"<html>x two</html>"),
    PlannedCapture(doc("x"), JUN, revisit=True),
    PlannedCapture(doc("x") + "/", JAN, body=b"slash"),
    PlannedCapture(doc("110360"), JAN, status=301, location=doc("x")),
    PlannedCapture(doc("gone"), JAN, status=403, body=b"<html>forbidden</html>"),
    PlannedCapture(doc("busy"), JAN, status=503, mimetype="text/plain", body=b"busy"),
    PlannedCapture(doc("missing"), JAN, status=404),
    PlannedCapture(f"{BASE}/search?page=1&f%5B0%5D=topics%3A1", JAN, body=b"listing 1"),
    PlannedCapture(f"{BASE}/search?f%5B0%5D=topics%3A1&page=2", JAN, body=b"listing 2"),
    PlannedCapture(f"{BASE}/topics/korea", "20230101000000", body=b"korea 1"),
    PlannedCapture(f"{BASE}/topics/korea", "20230103000000", body=b"korea 3"),
    PlannedCapture("https://www.wilsoncenter.org/about", JAN, body=b"about"),
]


def digest(body: bytes) -> str:
    return base64.b32encode(hashlib.sha1(body).digest()).decode()


@pytest.fixture
def standin(tmp_path):
    servers = []

    def start(captures=CAPTURES, faults: str | None = None):
        store = tmp_path / f"store{len(servers)}"
        write_store(store, captures)
        plan = FaultPlan(parse_spec(faults)) if faults else None
        servers.append(serve_in_background(store, faults=plan))
        return servers[-1]

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def get(server, target: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(*server.server_address[:2], timeout=60)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def cdx(server, **params) -> tuple[int, object]:
    status, headers, body = get(server, "/cdx/search/cdx?" + urlencode(
        {"output": "json", **params}, doseq=True))
    if status != 200:
        return status, body.decode()
    assert headers["Content-Type"] == "application/json"
    return status, json.loads(body)


def column(server, name: str = "timestamp", **params) -> list[str]:
    status, table = cdx(server, fl=name, **params)
    assert status == 200, table
    assert table == [] or table[0] == [name]
    return [row[0] for row in table[1:]]


# -- url keys ---------------------------------------------------------------------------------
@pytest.mark.parametrize("url", [
    doc("x"), "http://digitalarchive.wilsoncenter.org/document/x",
    "http://www.digitalarchive.wilsoncenter.org:80/document/X",
    "digitalarchive.wilsoncenter.org/document/x",
    "https://WWW.DigitalArchive.WilsonCenter.org:443/document/x#part"])
def test_url_forms_share_one_key(url):
    assert urlkey(url) == X_KEY


def test_keys_keep_slash_and_port_and_sort_the_query():
    assert urlkey(doc("x") + "/") == X_KEY + "/"
    assert urlkey("http://digitalarchive.wilsoncenter.org:8080/") == f"{HOST_KEY[:-1]}:8080)/"
    assert urlkey(f"{BASE}/search?page=1&f%5B0%5D=Topics%3A1") == urlkey(
        f"{BASE}/search?f[0]=topics:1&page=1") == f"{HOST_KEY}/search?f[0]=topics:1&page=1"
    assert urlkey(f"{BASE}/?") == f"{HOST_KEY}/"


# -- the store --------------------------------------------------------------------------------
def test_store_lines_bodies_once_and_revisits_resolved(tmp_path):
    same = [PlannedCapture(doc("a"), JAN, body=b"same"),
            PlannedCapture(doc("b"), JAN, body=b"same"),
            PlannedCapture(doc("a"), MAR, status=500, revisit=True)]
    assert write_store(tmp_path, same) == 3
    lines = [json.loads(line) for line in (tmp_path / "captures.jsonl").read_text().splitlines()]
    sha = hashlib.sha1(b"same").hexdigest()
    assert [p.name for p in (tmp_path / "bodies").iterdir()] == [sha]
    assert lines[2] == {"timestamp": MAR, "original": doc("a"), "status": 200,
                        "mimetype": "text/html", "body": sha, "location": None, "revisit": True}


def test_bodies_from_a_mirror_folder(tmp_path):
    page = "telegram-shtykov-gromyko-and-stalin"
    write_store(tmp_path, [PlannedCapture(doc(page), JAN), PlannedCapture(doc("absent"), JAN),
                           PlannedCapture(doc("110360"), JAN, status=301)], mirror=SITE)
    store = CaptureStore(tmp_path)
    bodies = {row.original: store.body(row.body) for row in store.rows}
    assert bodies == {doc(page): (SITE / "document" / f"{page}.html").read_bytes(),
                      doc("absent"): b"", doc("110360"): b""}


@pytest.mark.parametrize(("capture", "problem"), [
    (PlannedCapture(doc("a"), "2024011509300"), "the timestamp must be 14 digits"),
    (PlannedCapture(doc("a"), "20241301000000"), "the timestamp is not a date"),
    (PlannedCapture("/document/a", JAN), "original must be an absolute http(s) URL"),
    (PlannedCapture("ftp://digitalarchive.wilsoncenter.org/a", JAN), "absolute http(s) URL"),
    (PlannedCapture(doc("a"), JAN, status=301, location="/b"), "location must be an absolute"),
    (PlannedCapture(doc("a"), MAR, revisit=True), "no earlier capture of that URL"),
])
def test_bad_captures_are_refused(tmp_path, capture, problem):
    later = PlannedCapture(doc("a"), JUN)  # a later capture cannot be revisited
    with pytest.raises(ValueError, match=re.escape(problem)):
        write_store(tmp_path, [later, capture, PlannedCapture(doc("a"), MAR)])


def test_store_from_the_bundled_mirror(tmp_path):
    pages = [p for p in SITE.rglob("*.html") if not is_hidden(p.relative_to(SITE))]
    planned = list(plan_from_mirror(SITE, JAN))
    assert len(planned) == len(pages) + len(load_redirects(SITE)) == 25
    assert planned[-1] == PlannedCapture(
        doc("110360"), JAN, status=301,
        location=doc("ciphered-telegram-no-405840-shtykov-feng-xi-stalin"))
    assert f"{BASE}/search?f%5B0%5D=topics%3A86466&fo%5B0%5D=86466&page=1" in {
        p.original for p in planned}
    write_store(tmp_path, planned, mirror=SITE)
    server = serve_in_background(tmp_path)
    try:
        assert len(column(server, url=f"{BASE}/*")) == 25
        page = "topics/conversations-kim-il-sung"
        saved = (SITE / f"{page}.html").read_bytes()
        assert get(server, f"/web/{JAN}id_/{BASE}/{page}")[2] == saved
    finally:
        server.shutdown()
        server.server_close()


def test_a_folder_without_captures_is_not_a_store(tmp_path):
    with pytest.raises(FileNotFoundError, match="no captures.jsonl"):
        CaptureStore(tmp_path)


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
    assert column(server, "statuscode", **prefix, filter=both) == ["-"]
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


# -- replay -----------------------------------------------------------------------------------
def test_replay_of_an_exact_capture(standin):
    server = standin()
    status, headers, body = get(server, f"/web/{JAN}id_/{doc('x')}")
    assert (status, body) == (200, b"<html>x one</html>")
    assert (headers["Content-Type"], headers["Memento-Datetime"]) == ("text/html", JAN_DATE)
    assert (headers["Link"], headers["X-Archive-Src"]) == (
        f'<{doc("x")}>; rel="original"', "standin.warc.gz")


@pytest.mark.parametrize("url", [
    "http://www.digitalarchive.wilsoncenter.org:80/document/X",
    "https:/digitalarchive.wilsoncenter.org/document/x",
    "digitalarchive.wilsoncenter.org/document/x", doc("x")])
def test_url_variants_reach_the_same_capture(standin, url):
    status, headers, body = get(standin(), f"/web/{MAR}id_/{url}")
    assert (status, body) == (200, b"<html>x two</html>")
    original = "http://www.digitalarchive.wilsoncenter.org:80/document/x"
    assert headers["Link"] == f'<{original}>; rel="original"'


def test_replay_of_queries_and_a_trailing_slash(standin):
    server = standin()
    assert get(server, f"/web/{JAN}id_/{BASE}/search?f%5B0%5D=topics%3A1&page=1")[2] == b"listing 1"
    assert get(server, f"/web/{JAN}id_/{BASE}/search?page=2&f[0]=topics:1")[2] == b"listing 2"
    assert get(server, f"/web/{JAN}id_/{doc('x')}/")[2] == b"slash"


def test_captured_redirect_points_into_the_archive(standin):
    server = standin()
    status, headers, body = get(server, f"/web/{JAN}id_/{doc('110360')}")
    assert (status, body, headers["Memento-Datetime"]) == (301, b"", JAN_DATE)
    assert headers["Location"] == f"{base_url(server)}/web/{JAN}id_/{doc('x')}"
    assert get(server, f"/web/{JAN}/{doc('110360')}")[1]["Location"] == (
        f"{base_url(server)}/web/{JAN}/{doc('x')}")


def test_revisit_replays_the_repeated_payload(standin):
    server = standin()
    status, headers, body = get(server, f"/web/{JUN}id_/{doc('x')}")
    assert (status, body) == (200, b"<html>x two</html>")
    assert headers["Memento-Datetime"] == "Sat, 01 Jun 2024 00:00:00 GMT"
    assert cdx(server, url=doc("x"), to="202406")[1][-1] == [
        X_KEY, JUN, doc("x"), "warc/revisit", "-", digest(b"<html>x two</html>"), "18"]


@pytest.mark.parametrize(("slug", "status", "body"), [
    ("gone", 403, b"<html>forbidden</html>"), ("busy", 503, b"busy"), ("missing", 404, b"")])
def test_captured_errors_keep_their_status_and_memento_date(standin, slug, status, body):
    answer = get(standin(), f"/web/{JAN}id_/{doc(slug)}")
    assert (answer[0], answer[2], answer[1]["Memento-Datetime"]) == (status, body, JAN_DATE)


def test_another_time_redirects_to_the_nearest_capture(standin):
    server = standin()
    status, headers, _ = get(server, f"/web/20240201000000id_/{doc('x')}")
    assert (status, "Memento-Datetime" in headers) == (302, False)
    assert headers["Location"] == f"{base_url(server)}/web/{JAN}id_/{doc('x')}"
    tie = get(server, f"/web/20230102000000id_/{BASE}/topics/korea")[1]["Location"]
    assert tie == f"{base_url(server)}/web/20230101000000id_/{BASE}/topics/korea"
    status, headers, _ = get(server, f"/web/20250101000000/{doc('x')}")
    assert headers["Location"] == f"{base_url(server)}/web/{JUN}/{doc('x')}"


def test_same_time_captures_replay_the_first_in_sort_order(standin):
    dup = [PlannedCapture("https://digitalarchive.wilsoncenter.org/document/d", JAN, body=b"B"),
           PlannedCapture("http://digitalarchive.wilsoncenter.org/document/d", JAN, body=b"A")]
    assert get(standin(dup), f"/web/{JAN}id_/{doc('d')}")[2] == b"A"


@pytest.mark.parametrize("target", [
    f"/web/{JAN}id_/{doc('never')}", f"/web/2024id_/{doc('x')}", "/document/x", "/cdx"])
def test_unknown_urls_are_404_without_memento_date(standin, target):
    status, headers, _ = get(standin(), target)
    assert (status, "Memento-Datetime" in headers) == (404, False)


# -- faults, the request log, the command -----------------------------------------------------
def test_faults_are_the_archive_refusing(standin):
    server = standin(faults="/web/*/document/x status=429 retry-after=7 first=1; "
                            "/cdx/* status=429 first=1; /web/*/document/gone reset first=1")
    target = f"/web/{JAN}id_/{doc('x')}"
    status, headers, _ = get(server, target)
    assert (status, headers["Retry-After"], "Memento-Datetime" in headers) == (429, "7", False)
    assert get(server, target)[1]["Memento-Datetime"] == JAN_DATE
    status, headers, _ = get(server, f"/cdx/search/cdx?url={doc('x')}")
    assert (status, "Retry-After" in headers, "Memento-Datetime" in headers) == (429, False, False)
    assert get(server, f"/cdx/search/cdx?url={doc('x')}")[0] == 200
    with pytest.raises((ConnectionResetError, http.client.RemoteDisconnected)):
        get(server, f"/web/{JAN}id_/{doc('gone')}")
    assert get(server, f"/web/{JAN}id_/{doc('gone')}")[0] == 403


def test_the_server_logs_every_request_target(standin):
    server = standin()
    targets = [f"/web/{JAN}id_/{doc('x')}", "/cdx/search/cdx?url=x&page=2", "/nowhere"]
    for target in targets:
        get(server, target)
    assert server.requests == targets


def test_serve_command_serves_a_store(tmp_path):
    write_store(tmp_path / "store", CAPTURES)
    with served(tmp_path / "store", "--wayback") as url:
        connection = http.client.HTTPConnection(url.removeprefix("http://"), timeout=60)
        connection.request("GET", f"/cdx/search/cdx?url={doc('gone')}&fl=statuscode")
        assert connection.getresponse().read() == b"403\n"
        connection.close()
    command = [*HARVESTER, "serve", "--wayback", "--port", "0"]
    for extra, problem in ([str(tmp_path)], "not a capture store (no captures.jsonl)"), (
            [str(tmp_path / "store"), "--delay", "1"], "--delay does not apply to --wayback"):
        refused = subprocess.run([*command, *extra], capture_output=True, text=True, timeout=60)
        assert (refused.returncode, problem in refused.stderr) == (2, True)
