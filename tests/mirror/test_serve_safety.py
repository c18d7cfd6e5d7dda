"""What `harvester serve` gives a client that asks for more than the mirror: links out of the
mirror folder, over-long targets and silent connections get nothing but 404, 414 and a close."""

import http.client
import json
import os
import shutil
import socket
from pathlib import Path

import pytest

from harvester.mirror.server import IDLE_TIMEOUT, MAX_TARGET, make_server, serve_in_background
from harvester.mirror.wayback.store import CAPTURES_FILE, CaptureStore, PlannedCapture, write_store
from tests.helpers.pages import SITE

PAGE = "telegram-shtykov-gromyko-and-stalin"
SECRET = "the secret outside the mirror"


@pytest.fixture(scope="module")
def mirror(tmp_path_factory) -> Path:
    """One page of the bundled mirror, a folder beside it holding a secret, and links: one
    inside the mirror, and links out of it, by file and by folder."""
    folder = tmp_path_factory.mktemp("safety")
    root, outside = folder / "mirror", folder / "outside"
    (root / "document").mkdir(parents=True)
    outside.mkdir()
    shutil.copy(SITE / "document" / f"{PAGE}.html", root / "document" / f"{PAGE}.html")
    (outside / "secret.html").write_text(f"<html><body>{SECRET}</body></html>")
    (root / "_redirects.json").write_text(json.dumps({"/old": "/document/" + PAGE}))
    links = {"document/alias.html": f"{PAGE}.html",
             "document/passwd.html": "/etc/passwd",
             "document/secret.html": str(outside / "secret.html"),
             "document/climb.html": "../../outside/secret.html",
             "document/books.html": "../_redirects.json",
             "document/loop.html": "loop.html",
             "leak": str(outside)}
    for name, target in links.items():
        os.symlink(target, root / name)
    return root


@pytest.fixture(scope="module")
def served(mirror):
    server = serve_in_background(mirror, idle_timeout=0.2)
    yield server
    server.shutdown()
    server.server_close()


def get(server, target: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(*server.server_address[:2], timeout=10)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_a_link_inside_the_mirror_is_served(served):
    status, body = get(served, "/document/alias")
    assert status == 200
    assert body == (SITE / "document" / f"{PAGE}.html").read_bytes()


@pytest.mark.parametrize("target", [
    "/document/passwd", "/document/secret", "/document/climb", "/leak/secret",
    "/document/books", "/document/loop"])
def test_a_link_out_of_the_mirror_or_to_its_bookkeeping_is_not_found(served, target):
    status, body = get(served, target)
    assert status == 404
    assert SECRET.encode() not in body and b"root:" not in body and b"/old" not in body


def test_an_over_long_target_is_414_and_one_just_under_is_404(served):
    assert get(served, "/document/" + "a" * 3000)[0] == 414
    under = "/document/" + "a" * (MAX_TARGET - len("/document/"))
    assert get(served, under)[0] == 404  # a name too long for the file system, not a crash


@pytest.mark.parametrize("sent", [b"", b"GET /document/x HTTP/1.1\r\nHost: x\r\n"])
def test_a_silent_connection_is_closed(served, sent):
    with socket.create_connection(served.server_address[:2], timeout=10) as client:
        client.sendall(sent)
        assert client.recv(1024) == b""  # closed by the server, with nothing said


def test_the_idle_timeout_is_configured():
    assert IDLE_TIMEOUT == 30
    server = make_server(SITE)
    try:
        assert server.RequestHandlerClass.timeout == IDLE_TIMEOUT
    finally:
        server.server_close()
    server = make_server(SITE, idle_timeout=5)
    try:
        assert server.RequestHandlerClass.timeout == 5
    finally:
        server.server_close()


@pytest.mark.parametrize("body", ["../../../../../../etc/passwd", "link"])
def test_a_capture_store_reads_only_its_own_bodies(tmp_path, body):
    store = tmp_path / "store"
    write_store(store, [PlannedCapture("https://digitalarchive.wilsoncenter.org/",
                                       "20200101000000", body=b"<html></html>")])
    listing = store / CAPTURES_FILE
    line = json.loads(listing.read_text())
    if body == "link":
        body = "0" * 40
        os.symlink("/etc/passwd", store / "bodies" / body)
    listing.write_text(json.dumps({**line, "body": body}) + "\n")
    with pytest.raises(ValueError, match="is not a file of the store's bodies/"):
        CaptureStore(store)
