"""`harvester mirror synth`: deterministic synthetic mirrors whose hidden ground truth
(`_expected/*.jsonl`, worked out from the generator's model) is what the real parser, the
mirror's server and the real crawl get from the pages. The fixtures are in conftest.py."""

import json
import os
import re
import subprocess
import urllib.error
import urllib.request
from email.utils import formatdate
from pathlib import Path

import pytest

from harvester.inspect import parse_saved_page
from harvester.mirror.server import base_url
from harvester_testkit.synth import synthesize
from harvester_testkit.synth.expected import listed_url
from harvester_testkit.synth.model import load
from tests.helpers.crawls import HARVESTER
from tests.helpers.pages import BASE, without_provenance
from tests.helpers.serving import serve_here, stop
from tests.helpers.synth_mirrors import (
    DOCUMENTS,
    KIM,
    SEED,
    TOPICS,
    assert_pages_give_the_expected_records,
    read_jsonl,
    tree_hash,
    walk_list,
)


# -- determinism --------------------------------------------------------------------------------
def synth_in_subprocess(out: Path, seed: int, hash_seed: str) -> None:
    environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
    subprocess.run([*HARVESTER, "mirror", "synth", str(out), "--documents", str(DOCUMENTS),
                    "--topics", str(TOPICS), "--seed", str(seed)],
                   check=True, capture_output=True, env=environment, timeout=60)


def test_same_arguments_give_the_same_bytes_and_mtimes(mirror, tmp_path):
    synth_in_subprocess(tmp_path / "again", SEED, "123")
    assert tree_hash(tmp_path / "again") == tree_hash(mirror)


def test_another_seed_gives_another_mirror(mirror, tmp_path):
    synth_in_subprocess(tmp_path / "other", SEED + 1, "0")
    assert tree_hash(tmp_path / "other") != tree_hash(mirror)


def test_synth_refuses_a_folder_that_is_not_empty(mirror):
    with pytest.raises(ValueError, match="not an empty folder"):
        synthesize(mirror, 5, 1, SEED)


def test_every_document_page_parses_to_its_expected_record(mirror, expected):
    assert len(expected["documents"]) + len(expected["rejects"]) == DOCUMENTS
    assert sorted(r["field"] for r in expected["rejects"]) == ["record_id", "title"]
    assert_pages_give_the_expected_records(mirror)


def test_expected_records_are_sorted_like_the_harvesters_output(expected):
    ids = [d["record_id"] for d in expected["documents"]]
    assert ids == sorted(ids, key=int)
    assert [t["slug"] for t in expected["topics"]] == sorted(t["slug"] for t in expected["topics"])
    assert KIM in [t["slug"] for t in expected["topics"]]


def test_topic_pages_give_the_expected_topic(mirror, expected):
    for topic in expected["topics"]:
        page = mirror / "topics" / f"{topic['slug']}.html"
        parsed, _ = parse_saved_page(page, topic["url"])
        assert {k: parsed[k] for k in ("slug", "url", "title", "description", "topic_id",
                                       "popular")} == \
            {k: topic[k] for k in ("slug", "url", "title", "description", "topic_id", "popular")}
        facet = f"f%5B0%5D=topics%3A{topic['topic_id']}&fo%5B0%5D={topic['topic_id']}"
        assert parsed["listing_urls"] == [f"{BASE}/search?{facet}"]
        assert len(parsed["popular"]) == min(5, len(topic["record_ids"]))


def test_each_topic_list_pages_through_exactly_its_documents(mirror, expected):
    model = load(mirror)
    for topic in expected["topics"]:
        facet = f"f%5B0%5D=topics%3A{topic['topic_id']}&fo%5B0%5D={topic['topic_id']}"
        totals, links = walk_list(mirror, f"{BASE}/search?{facet}")
        members = model.members(topic["slug"])
        assert links == [listed_url(d) for d in members]
        assert set(totals) == {topic["document_count"]} == {len(members)}
        assert len(totals) == -(-len(members) // 10)


def test_default_listing_is_every_document_newest_first(mirror):
    model = load(mirror)
    totals, links = walk_list(mirror, f"{BASE}/search")
    assert links == [listed_url(d) for d in model.newest_first()]
    assert set(totals) == {DOCUMENTS} and len(totals) == DOCUMENTS // 10
    assert (mirror / "search.html").is_file() and not (mirror / "search@page=0.html").exists()


def test_topic_index_links_every_topic_and_robots_txt_is_served(mirror, pages, expected):
    linked = re.findall(r'<h3 class="title"><a href="/topics/([^"]+)"', pages["topics.html"])
    assert sorted(linked) == [t["slug"] for t in expected["topics"]]
    assert "Disallow: /admin/" in (mirror / "robots.txt").read_text("utf-8")


def test_old_numeric_urls_redirect_to_documents_listed_only_that_way(mirror, pages):
    redirects = json.loads((mirror / "_redirects.json").read_text("utf-8"))
    assert redirects
    for old, rule in redirects.items():
        assert rule["status"] == 301 and (mirror / f"{rule['location'][1:]}.html").is_file()
        links = [p for p, html in pages.items() if f'href="{old}"' in html]
        slug_links = [p for p, html in pages.items() if f'href="{rule["location"]}"' in html]
        assert links and all(p.startswith("search") for p in links)
        assert slug_links == []


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict]:
    """(status, headers) of a GET that does not follow redirects."""
    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(Stay)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=60) as r:
            return r.status, dict(r.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_served_pages_carry_validators_from_the_model(mirror):
    model = load(mirror)
    server = serve_here(mirror)
    try:
        base = base_url(server)
        document = model.documents[0]
        status, headers = fetch(f"{base}/document/{document.slug}")
        assert status == 200 and headers["ETag"]
        assert headers["Last-Modified"] == formatdate(document.modified, usegmt=True)
        assert fetch(f"{base}/document/{document.slug}",
                     {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
        assert fetch(f"{base}/document/{document.slug}",
                     {"If-None-Match": headers["ETag"]})[0] == 304
        status, headers = fetch(f"{base}/search?page=1")
        assert status == 200 and headers["Last-Modified"] == formatdate(model.day, usegmt=True)
        old = next(d for d in model.documents if d.look.get("listed-as"))
        status, headers = fetch(f"{base}/document/{old.record_id}")
        assert status == 301 and headers["Location"] == f"/document/{old.slug}"
        for hidden in ("_model.jsonl.gz", "_expected/documents.jsonl", "_redirects.json"):
            assert fetch(f"{base}/{hidden}")[0] == 404
    finally:
        stop(server)


# -- the real crawl -------------------------------------------------------------------------
def test_topic_crawl_yields_exactly_the_topics_expected_records(mirror, expected, tmp_path):
    server = subprocess.Popen([*HARVESTER, "serve", str(mirror), "--port", "0"],
                              stdout=subprocess.PIPE, text=True)
    try:
        base_url = server.stdout.readline().rsplit(" at ", 1)[1].strip()
        result = subprocess.run(
            [*HARVESTER, "crawl", "topic", KIM, "--base-url", base_url, "--out",
             str(tmp_path), "--public-base-url", BASE], capture_output=True, text=True,
            timeout=120)
    finally:
        server.terminate()
        server.wait(10)
    assert result.returncode == 0, result.stderr
    run = tmp_path / "latest"
    documents = [without_provenance(d) for d in read_jsonl(run / "documents.jsonl")]
    members = [d for d in expected["documents"] if KIM in [t["slug"] for t in d["topics"]]]
    assert documents == members
    topic = next(t for t in expected["topics"] if t["slug"] == KIM)
    assert read_jsonl(run / "topics.jsonl") == [topic]
    model = load(mirror)
    rejected = {f"{BASE}/document/{d.slug}" for d in model.members(KIM) if d.reject}
    got = [{"url": r["url"], "field": r["field"]} for r in read_jsonl(run / "rejects.jsonl")]
    assert rejected and sorted(got, key=lambda r: r["url"]) == [
        r for r in expected["rejects"] if r["url"] in rejected]
