import json
import urllib.error
import urllib.request
from pathlib import PurePosixPath

import pytest

from harvester.mirror.layout import canonical_query, relative_file
from harvester.mirror.server import base_url
from tests.helpers.serving import serve_here, stop


@pytest.mark.parametrize(("target", "file"), [
    ("/", "index.html"),
    ("/robots.txt", "robots.txt"),
    ("/topics/conversations-kim-il-sung", "topics/conversations-kim-il-sung.html"),
    ("/search?page=1", "search@page=1.html"),
    ("/search?page=1&f[0]=topics:86466", "search@f%5B0%5D=topics%3A86466&page=1.html"),
    ("/search?f%5B0%5D=topics%3A86466&page=1", "search@f%5B0%5D=topics%3A86466&page=1.html"),
])
def test_request_maps_to_saved_file(target, file):
    assert relative_file(target) == PurePosixPath(file)


def test_paths_escaping_the_mirror_are_refused():
    assert relative_file("/../etc/passwd") is None
    assert relative_file("/document/%2e%2e/%2e%2e/x") is None


def test_canonical_query_sorts_and_encodes():
    assert canonical_query("page=2&f[0]=people:1") == "f%5B0%5D=people%3A1&page=2"


@pytest.fixture
def mirror(tmp_path):
    (tmp_path / "topics").mkdir()
    (tmp_path / "topics" / "t.html").write_text("<h1>Topic ō</h1>", "utf-8")
    (tmp_path / "search@page=1.html").write_text("listing", "utf-8")
    (tmp_path / "topics" / "t.expected.json").write_text("{}", "utf-8")
    (tmp_path / "_redirects.json").write_text(
        json.dumps({"/document/110360": {"status": 301, "location": "/topics/t"}}), "utf-8")
    server = serve_here(tmp_path)
    yield base_url(server)
    stop(server)


def fetch(url: str, headers: dict | None = None):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {})) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


def test_server_serves_pages_as_utf8_html(mirror):
    status, headers, body = fetch(f"{mirror}/topics/t")
    assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert body.decode("utf-8") == "<h1>Topic ō</h1>"


def test_server_serves_query_pages(mirror):
    assert fetch(f"{mirror}/search?page=1")[2] == b"listing"


def test_server_answers_recorded_redirects(mirror):
    status, headers, _ = fetch(f"{mirror}/document/110360")
    assert (status, headers["Location"]) == (301, "/topics/t")


def test_server_hides_bookkeeping_files_and_unknown_pages(mirror):
    assert fetch(f"{mirror}/topics/t.expected.json")[0] == 404
    assert fetch(f"{mirror}/_redirects.json")[0] == 404
    assert fetch(f"{mirror}/topics/missing")[0] == 404


def test_server_sends_validators_and_honours_them(mirror):
    status, headers, _ = fetch(f"{mirror}/topics/t")
    assert status == 200 and headers["ETag"].startswith('"') and headers["Last-Modified"]
    assert fetch(f"{mirror}/topics/t", {"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(f"{mirror}/topics/t", {"If-None-Match": '"other"'})[0] == 200
    assert fetch(f"{mirror}/topics/t", {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(f"{mirror}/topics/t",
                 {"If-Modified-Since": "Mon, 01 Jan 1990 00:00:00 GMT"})[0] == 200
