"""Connections to the mirror server and the stand-in Wayback Machine: HTTP/1.1, one connection
kept for the answers that follow, as the site and the archive keep it; an answer whose end only
the close can tell ends the connection. Checked with a plain HTTP client, not the harvester."""

import http.client
from collections.abc import Iterator

import pytest

from harvester.mirror.faults import FaultPlan, parse_spec
from harvester.mirror.server import serve_in_background
from tests.helpers.pages import SITE
from tests.helpers.standin_client import JAN, doc

DOC = "/document/telegram-shtykov-gromyko-and-stalin"
DOC_FILE = SITE / "document" / "telegram-shtykov-gromyko-and-stalin.html"
ROBOTS = SITE / "robots.txt"
CUT = "/document/ciphered-telegram-no-405840-shtykov-feng-xi-stalin"
CUT_FILE = SITE / "document" / "ciphered-telegram-no-405840-shtykov-feng-xi-stalin.html"


@pytest.fixture
def connection() -> Iterator[http.client.HTTPConnection]:
    server = serve_in_background(SITE, faults=FaultPlan(parse_spec(f"{CUT} truncate nolength")))
    client = http.client.HTTPConnection(*server.server_address[:2], timeout=60)
    yield client
    client.close()
    server.shutdown()
    server.server_close()


def ask(client: http.client.HTTPConnection, target: str,
        headers: dict[str, str] | None = None) -> tuple[int, int, dict[str, str], bytes]:
    client.request("GET", target, headers=headers or {})
    response = client.getresponse()
    body = response.read()
    return response.status, response.version, dict(response.getheaders()), body


def test_answers_follow_each_other_on_one_connection(connection):
    status, version, headers, body = ask(connection, DOC)
    assert (status, version, body) == (200, 11, DOC_FILE.read_bytes())
    assert headers["Content-Length"] == str(len(body))
    kept = connection.sock
    assert kept is not None   # the client keeps it: the answer did not say it would close

    assert ask(connection, "/robots.txt")[::3] == (200, ROBOTS.read_bytes())
    status, _, _, body = ask(connection, DOC, {"If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")
    assert ask(connection, "/document/not-in-the-mirror")[0] == 404
    assert connection.sock is None   # the standard library's "not found" page closes


def test_the_same_socket_answers_each_request(connection):
    ask(connection, DOC)
    kept = connection.sock
    assert kept is not None
    ask(connection, "/robots.txt")
    ask(connection, DOC)
    assert connection.sock is kept


def test_an_answer_without_length_closes_the_connection(connection):
    connection.request("GET", CUT)
    response = connection.getresponse()
    assert (response.status, response.getheader("Content-Length"), response.will_close) == (
        200, None, True)
    assert response.read() == CUT_FILE.read_bytes()[: len(CUT_FILE.read_bytes()) // 2]
    assert connection.sock is None


def test_the_standin_archive_keeps_its_connection_too(standin):
    server = standin()
    client = http.client.HTTPConnection(*server.server_address[:2], timeout=60)
    try:
        assert ask(client, f"/web/{JAN}id_/{doc('x')}")[:2] == (200, 11)
        kept = client.sock
        assert kept is not None
        # A captured 404 with no body says its length (0), so the connection stays.
        assert ask(client, f"/web/{JAN}id_/{doc('missing')}")[::3] == (404, b"")
        assert ask(client, f"/web/{JAN}id_/{doc('gone')}")[::3] == (
            403, b"<html>forbidden</html>")
        assert client.sock is kept
    finally:
        client.close()
