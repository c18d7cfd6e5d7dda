"""The stand-in Wayback Machine's replay (exact captures, URL variants, redirects, revisits,
captured errors, the nearest capture), its faults, its request log and `harvester serve --wayback`.
Each test builds its own small store (tests/helpers/standin_client.py) and asks with a plain HTTP
client, not the harvester."""

import http.client
import subprocess

import pytest

from harvester.mirror.server import base_url
from harvester.mirror.wayback.store import PlannedCapture, write_store
from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import BASE
from tests.helpers.serving import served
from tests.helpers.standin_client import (
    CAPTURES,
    JAN,
    JAN_DATE,
    JUN,
    MAR,
    X_KEY,
    cdx,
    digest,
    doc,
    get,
)


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


def test_a_captured_redirect_indexed_unk_is_replayed_as_html(standin):
    """Its Content-Type as the archive replays a captured 301 (wayback-recordings/
    test_get_memento_with_redirects.txt: `text/html; charset=UTF-8`, an empty body)."""
    headers = get(standin(), f"/web/{JAN}id_/{doc('110360')}")[1]
    assert headers["Content-Type"] == "text/html; charset=UTF-8"


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
