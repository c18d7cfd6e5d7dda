"""`harvester mirror synth|mutate`: deterministic synthetic mirrors whose hidden ground truth
(`_expected/*.jsonl`, worked out from the generator's model) is what the real parser and the
real crawl get from the pages."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from email.utils import formatdate
from pathlib import Path

import pytest

from harvester.inspect import parse_saved_page
from harvester.mirror.layout import relative_file
from harvester.mirror.server import base_url
from harvester.pages.listing import ListingPage
from harvester_testkit.synth import mutate, synthesize
from harvester_testkit.synth.expected import listed_url
from harvester_testkit.synth.model import load
from harvester_testkit.synth.people import ORGANIZATIONS, PARTICIPANTS, UNINVERTED
from harvester_testkit.synth.site import SiteFile, site_files
from harvester_testkit.synth.writer import TreeWriter, staging_for
from tests.helpers.pages import BASE, without_provenance
from tests.helpers.serving import serve_here, stop

HARVESTER = [sys.executable, "-m", "harvester.cli"]
DOCUMENTS, TOPICS, SEED = 60, 4, 1
KIM = "conversations-kim-il-sung"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and mtime, by path."""
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for name, (body, mtime) in tree(root).items():
        digest.update(f"{name}\0{mtime}\0".encode() + hashlib.sha256(body).digest())
    return digest.hexdigest()


def page_path(mirror: Path, url: str) -> Path:
    return mirror / str(relative_file(url.removeprefix(BASE)))


@pytest.fixture(scope="module")
def mirror(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "mirror"
    synthesize(out, DOCUMENTS, TOPICS, SEED)
    return out


@pytest.fixture(scope="module")
def pages(mirror) -> dict[str, str]:
    """Every served page's markup, by its path in the mirror."""
    return {p.relative_to(mirror).as_posix(): p.read_text("utf-8")
            for p in mirror.rglob("*.html")}


@pytest.fixture(scope="module")
def expected(mirror) -> dict[str, list[dict]]:
    return {name: read_jsonl(mirror / "_expected" / f"{name}.jsonl")
            for name in ("documents", "topics", "rejects")}


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


# -- ground truth against the real parser ---------------------------------------------------
def parse_every_document_page(mirror: Path) -> tuple[dict[str, dict], list[dict]]:
    records, rejects = {}, []
    for page in sorted((mirror / "document").glob("*.html")):
        url = f"{BASE}/document/{page.stem}"
        result, ok = parse_saved_page(page, url)
        if ok:
            records[result["record_id"]] = without_provenance(result)
        else:
            rejects.append({"url": url, "field": result["reject"]["field"]})
    return records, rejects


def assert_pages_give_the_expected_records(mirror: Path) -> None:
    records, rejects = parse_every_document_page(mirror)
    documents = read_jsonl(mirror / "_expected" / "documents.jsonl")
    assert [records[d["record_id"]] for d in documents] == documents
    assert sorted(records) == sorted(d["record_id"] for d in documents)
    assert sorted(rejects, key=lambda r: r["url"]) == read_jsonl(
        mirror / "_expected" / "rejects.jsonl")


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


def walk_list(mirror: Path, first_url: str) -> tuple[list[int | None], list[str]]:
    """(counter of each page, document links in order) following the pager's next pages."""
    totals, links, url, seen = [], [], first_url, set()
    while url is not None and url not in seen:
        seen.add(url)
        page = ListingPage.from_html(page_path(mirror, url).read_bytes(), url)
        totals.append(page.total())
        links += page.document_urls()
        later = [u for u in page.pager_urls() if u not in seen]
        url = min(later, key=lambda u: int(re.search(r"page=(\d+)", u)[1])) if later else None
    return totals, links


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


# -- every variation of the fixtures is somewhere ---------------------------------------------
def header(html: str) -> str:
    return html.split('<div class="document-header">', 1)[1].split("</div>\n          <div "
                                                                  'class="document-body">')[0]


DATE_FORMS = {
    "day": r"[A-Z][a-z]+ [1-9]\d?, \d{4}", "padded day (old site)": r"[A-Z][a-z]+ 0\d, \d{4}",
    "month": r"[A-Z][a-z]+ \d{4}", "month with comma (old site)": r"[A-Z][a-z]+, \d{4}",
    "year": r"\d{4}", "circa": r"(c\.|ca\.|circa) \d{4}", "decade": r"\d{3}0s",
    "range": r"\d{4}-\d{4}",
}


@pytest.mark.parametrize("form", sorted(DATE_FORMS))
def test_every_date_form_is_represented(expected, form):
    shown = [d["date"]["original"] for d in expected["documents"] if d["date"]]
    assert any(re.fullmatch(DATE_FORMS[form], text) for text in shown)


VARIATIONS = {
    "empty date element (undated)": lambda p: '<div class="date"></div>\n            <h1' in p,
    "no date element at all": lambda p: 'class="date"' not in header(p),
    "n.d. or undated": lambda p: re.search(r'class="date">(n\.d\.|undated)<', header(p)),
    "nbsp inside a date": lambda p: re.search(r'class="date">[A-Z][a-z]+&nbsp;\d', header(p)),
    "date on its own lines": lambda p: '<div class="date">\n' in header(p),
    "teaser of another document above the header": lambda p: "document-neighbour" in p,
    "related documents with dates": lambda p: re.search(
        r'related-documents__list">\s*<div class="teaser[^"]*">\s*<div class="date">', p),
    "Cloudflare-obfuscated e-mail": lambda p: "data-cfemail=" in p,
    "pill-block headings h3": lambda p: '<h3 class="title">Associated' in p,
    "pill-block headings h4": lambda p: '<h4 class="title">Associated' in p,
    "subject pills with spans": lambda p: re.search(r'pill-subject[^>]*><div class="name"><span>',
                                                    p),
    "subject pills without spans": lambda p: re.search(r'pill-subject[^>]*><div class="name">[^<]',
                                                       p),
    "language pills with spans": lambda p: re.search(
        r'languages%3A\d+[^>]*><div class="name"><span>', p),
    "Author(s) h2 with sibling pills": lambda p: '<h2 class="title">Author(s):</h2>\n'
                                                 '            <div class="pills pills--authors">'
                                                 in p,
    "Document Contributors": lambda p: ">Document Contributors<" in p,
    "credit line": lambda p: '<div class="donated">This' in p,
    "credit line with nbsp and line breaks": lambda p: '<div class="donated">\n' in p,
    "donors as pills": lambda p: "donors%3A" in p,
    "donors as text split on ;": lambda p: re.search(r'Donors</div>\s*<div class="text">[^<]*; ',
                                                     p),
    "donors as text split on <br>": lambda p: re.search(
        r'Donors</div>\s*<div class="text">[^<]*<br>', p),
    "archive as text": lambda p: re.search(r'Original Archive</div>\s*<div class="text">', p),
    "people link not percent-encoded": lambda p: "f[0]=people:" in p,
    "people linked to their pages /people/<slug>": lambda p: 'href="/people/' in p,
    "credit line with linked donors": lambda p: re.search(
        r'class="donated">[^<]*support from <a href=', p),
    "PDF-only page (object.pdf-preview, no text)": lambda p: 'class="pdf-preview" data="' in p,
    "person pill without a link": lambda p: '<div class="pill pill-person"><div class="name">' in p,
    "a pill repeated": lambda p: any(p.count(pill) > 1 for pill in re.findall(
        r'<div class="pill pill-person">.*?</div></a></div>', p)),
    "pill with life dates and region": lambda p: "pill__details" in p,
    "decomposed (NFD) name": lambda p: "a\u0301" in p or "s\u0326" in p or "e\u0301" in p,
    "name with nbsp and a run of spaces": lambda p: re.search(r',&nbsp;[^<]*  ', p),
    "active tab second": lambda p: re.search(r'tab-pane fade" id="tab-original[^>]*>.*?'
                                             r'tab-pane fade show active', p, re.S),
    "single tab pane without .active": lambda p: "nav-tabs" not in p and "tab-pane fade\"" in p,
    "<br>-separated lines": lambda p: re.search(r"<p>Time: [^<]*<br>", p),
    "h4 and list items in the text": lambda p: "<ul><li>" in p,
    "footnote marker": lambda p: '<sup><a href="#fn1"' in p,
    "runs of spaces and nbsp in text": lambda p: "  &nbsp;" in p,
    "title with nbsp and runs of spaces": lambda p: re.search(r'label-hidden">[^<]*&nbsp;', p),
    "title with &#039; entities": lambda p: re.search(r'label-hidden">[^<]*&#039;', p),
    "bracketed gloss in a title": lambda p: re.search(
        r'label-hidden">[^<]*(\[Stalin\]|\(Stalin\))', p),
    "Record ID with surrounding whitespace": lambda p: re.search(
        r'Record ID</div>\s*<div class="text">\n\s+\d+\n', p),
    "download link absolute": lambda p: 'href="https://digitalarchive.wilsoncenter.org/document/'
                                        in p,
    "download link twice": lambda p: "Download the original scan" in p,
    "no download link": lambda p: "/download" not in p,
    "node id only in the shortlink": lambda p: "drupal-settings-json" not in p and
                                               'rel="shortlink"' in p,
    "page without a title": lambda p: "<h1" not in p,
    "page without a Record ID": lambda p: ">Record ID<" not in p,
}


@pytest.mark.parametrize("variation", sorted(VARIATIONS))
def test_every_markup_variation_is_represented(pages, variation):
    documents = [html for path, html in pages.items() if path.startswith("document/")]
    assert any(VARIATIONS[variation](html) for html in documents)


def test_information_blocks_come_in_varying_order(pages):
    orders = {tuple(re.findall(r'<div class="sub-title">([^<]+)</div>', html))
              for path, html in pages.items() if path.startswith("document/")}
    assert len(orders) > DOCUMENTS // 2


def test_slug_clash_gets_a_dash_zero(mirror, expected):
    slugs = {d["slug"] for d in expected["documents"]}
    assert any(s.endswith("-0") and s[:-2] in slugs for s in slugs)


def test_every_person_of_the_pool_is_on_a_valid_page(expected):
    named = {p["name"] for d in expected["documents"] for p in d["people"]}
    pool = {p.name for p in (*PARTICIPANTS, *ORGANIZATIONS, *UNINVERTED)}
    assert pool <= named


def test_records_carry_non_ascii_and_every_person_kind(expected):
    text = json.dumps(expected["documents"], ensure_ascii=False)
    assert re.search(r"[ąćęłńóśźżáéíóúőűăâîșțčřšžýůō]", text) and re.search(r"[а-яё]", text)
    assert "’" in text and "“" in text
    people = [p for d in expected["documents"] for p in d["people"]]
    assert {p["kind"] for p in people} == {"person", "organization", "unknown"}
    assert {p["role"] for p in people} == {"author", "associated", "contributor"}
    assert any(p["id"] is None for p in people)
    assert any(p["slug"] for p in people) and any(p["id"] for p in people)


def test_pdf_only_records_have_a_preview_instead_of_text(expected):
    shown = [d for d in expected["documents"] if d["preview"]]
    assert shown and all(d["text"] is None and d["preview"] in d["downloads"] for d in shown)
    assert all(d["text"] for d in expected["documents"] if not d["preview"])


# -- mutate ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def mutated(mirror, tmp_path_factory):
    """(tree before, tree after, changes, expected records before) of one mutation."""
    out = tmp_path_factory.mktemp("mutate") / "mirror"
    shutil.copytree(mirror, out)
    before_tree = tree(out)
    before = {d["record_id"]: d for d in read_jsonl(out / "_expected" / "documents.jsonl")}
    outcome = mutate(out, add=5, change=4, remove=3, seed=2)
    return out, before_tree, tree(out), outcome.changes, before


def test_mutate_announces_exactly_what_it_did(mutated):
    out, _, _, changes, before = mutated
    after = {d["record_id"]: d for d in read_jsonl(out / "_expected" / "documents.jsonl")}
    assert read_jsonl(out / "_expected" / "changes.jsonl") == changes
    kinds = {kind: [c["record_id"] for c in changes if c["change"] == kind]
             for kind in ("added", "changed", "removed")}
    assert [len(kinds[k]) for k in ("added", "changed", "removed")] == [5, 4, 3]
    assert min(map(int, kinds["added"])) > max(map(int, before))
    assert set(after) == (set(before) - set(kinds["removed"])) | set(kinds["added"])
    for change in changes:
        if change["change"] == "changed":
            old, new = before[change["record_id"]], after[change["record_id"]]
            assert change["fields"] and [k for k in new if new[k] != old[k]] == change["fields"]
        else:
            assert change["fields"] == []
    untouched = set(before) - set(kinds["removed"]) - set(kinds["changed"])
    assert all(after[i] == before[i] for i in untouched)


def test_mutate_keeps_unchanged_files_and_moves_changed_ones_forward(mutated):
    _, old, new, changes, before = mutated
    for name in set(old) & set(new):
        if old[name][0] == new[name][0]:
            assert old[name][1] == new[name][1], name
    edited = {f"document/{before[c['record_id']]['slug']}.html" for c in changes
              if c["change"] == "changed"}
    for name in edited:
        assert new[name][0] != old[name][0] and new[name][1] > old[name][1]
    documents = {n for n in set(old) & set(new) if n.startswith("document/")}
    assert {n for n in documents if old[n] != new[n]} == edited
    removed = {f"document/{before[c['record_id']]['slug']}.html" for c in changes
               if c["change"] == "removed"}
    assert removed == {n for n in old if n not in new and n.startswith("document/")}


def test_mutated_mirror_still_matches_its_ground_truth(mutated):
    out, *_ = mutated
    assert_pages_give_the_expected_records(out)


def test_uploads_top_the_listings_and_removals_leave_them(mutated):
    out, _, _, changes, before = mutated
    model = load(out)
    added = [d for d in model.newest_first() if d.record_id in
             {c["record_id"] for c in changes if c["change"] == "added"}]
    totals, links = walk_list(out, f"{BASE}/search")
    assert links[:5] == [listed_url(d) for d in added]
    assert set(totals) == {DOCUMENTS + 5 - 3}
    gone = {f"{BASE}/document/{before[c['record_id']]['slug']}" for c in changes
            if c["change"] == "removed"}
    listings = [p for p in out.glob("search*.html")]
    assert listings and not any(url.removeprefix(BASE) in p.read_text("utf-8")
                                for p in listings for url in gone)


def test_mutate_is_deterministic(mirror, mutated, tmp_path):
    out, *_ = mutated
    again = tmp_path / "again"
    shutil.copytree(mirror, again)
    mutate(again, add=5, change=4, remove=3, seed=2)
    assert tree_hash(again) == tree_hash(out)


def test_an_interrupted_rewrite_leaves_the_mirror_as_it_was(mirror, tmp_path):
    out = tmp_path / "mirror"
    shutil.copytree(mirror, out)
    before = tree(out)
    with pytest.raises(KeyboardInterrupt), TreeWriter(out, previous=out) as writer:
        for count, file in enumerate(site_files(load(out))):
            if count == 10:
                raise KeyboardInterrupt
            writer.add(SiteFile(file.path, b"half-written", file.mtime))
    assert tree(out) == before and not staging_for(out).exists()
    staging_for(out).mkdir()  # as a killed run leaves it
    (staging_for(out) / "junk.html").write_text("junk")
    mutate(out, add=1, change=0, remove=0, seed=1)
    assert not staging_for(out).exists() and len(tree(out)) > len(before)


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
