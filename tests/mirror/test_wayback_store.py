"""The stand-in Wayback Machine's url keys (one for every form of a URL) and its capture store:
bodies kept once, revisits resolved, bodies from a mirror folder, bad captures refused. Each test
builds its own small store (tests/helpers/standin_client.py) and asks with a plain HTTP client, not
the harvester."""

import hashlib
import json
import re

import pytest

from harvester.mirror.layout import is_hidden, load_redirects
from harvester.mirror.wayback.server import serve_in_background
from harvester.mirror.wayback.store import (
    CaptureStore,
    PlannedCapture,
    plan_from_mirror,
    write_store,
)
from harvester.mirror.wayback.surt import urlkey
from tests.helpers.pages import BASE, SITE
from tests.helpers.standin_client import HOST_KEY, JAN, JUN, MAR, X_KEY, column, doc, get


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
