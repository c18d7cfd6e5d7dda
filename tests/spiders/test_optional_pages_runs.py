"""Pages a walk can do without, crawled offline (tests/helpers/offline_runs.py): an archive
crawl of a mirror whose topic index is missing still publishes, with a warning; a topic page a
document names that answers 404 is remembered, not rejected, and not asked again until a
complete run; the links of header mega-menus are not lists, so the topics they name are never
fetched. A topic index failing for good after the engine's retries is
tests/end_to_end/test_optional_pages.py."""

import shutil
from pathlib import Path

import pytest

from harvester.spiders.archive import ArchiveSpider
from harvester_testkit.synth import synthesize
from tests.helpers.mirror_runs import run_mirror
from tests.helpers.synth_mirrors import copy_of, expected_records, published_records

PUBLIC = "https://digitalarchive.wilsoncenter.org"
GONE = "korean-war"  # a topic several of the mirror's documents name
MEGA_MENU = """\
    <div class="mega-menu" id="block-wcda-featured">
      <div class="mega-menu__panel">
        <h3 class="title">Featured Topics</h3>
        <a class="card card--topic" href="/topics/cuban-missile-crisis"><span class="card__title">Cuban Missile Crisis</span> <span class="card__count">(703)</span></a>
        <a class="card card--topic" href="/topics/menu-only-topic"><span class="card__title">Menu Only Topic</span> <span class="card__count">(12)</span></a>
        <a class="button" href="/topics">See All Topics</a>
      </div>
      <div class="mega-menu__panel">
        <h3 class="title">Featured People</h3>
        <a class="card card--people" href="/people/kim-il-sung"><span class="card__title">Kim Il Sung</span> <span class="card__dates">(1912-1994)</span></a>
        <a class="button" href="/people">See All People</a>
      </div>
      <div class="mega-menu__panel">
        <h3 class="title">Featured Places</h3>
        <a class="card card--place" href="/places/korea-north"><span class="card__title">Korea (North)</span> <span class="card__region">East Asia</span></a>
        <a class="button" href="/places">See All Places</a>
      </div>
    </div>
"""  # noqa: E501 - markup lines as long as the pages they copy


def crawl(site: Path, out: Path, settings: dict | None = None,
          **arguments) -> tuple[dict, list[str]]:
    """An archive crawl of `site` that must publish: its manifest, and the URLs it asked."""
    run = run_mirror(ArchiveSpider, site, out, settings, base_url=PUBLIC, **arguments)
    return run.manifest(), run.asked


def topic_pages(asked: list[str]) -> list[str]:
    """The topic pages (and the index) asked for, by path, sorted."""
    paths = [url.removeprefix(PUBLIC) for url in asked]
    return sorted(p for p in paths if p.split("?")[0] == "/topics" or p.startswith("/topics/"))


@pytest.fixture(scope="module")
def mirror(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mirror") / "site"
    synthesize(root, documents=20, topics=3, seed=4)
    return root


@pytest.fixture(scope="module")
def expected(mirror) -> tuple[list[dict], ...]:
    return expected_records(mirror)


def test_an_archive_crawl_without_the_topic_index_publishes_the_same_records(mirror, expected,
                                                                             tmp_path):
    site = copy_of(mirror, tmp_path)
    (site / "topics.html").unlink()
    manifest, asked = crawl(site, tmp_path / "out")
    documents, topics, rejects = published_records(tmp_path / "out")
    assert (documents, topics) == expected[:2]
    assert [(r["url"], r["field"]) for r in rejects] == [
        (r["url"], r["field"]) for r in expected[2]]
    assert manifest["warnings"] == [f"topic index {PUBLIC}/topics not read: HTTP 404"]
    assert manifest["missing_topics"] == []
    # Documents without text, told apart by whether the page shows a file in its place.
    no_text = [bool(d["preview"]) for d in expected[0] if not d["text"]]
    assert no_text.count(True) > 0
    assert (manifest["counts"]["pdf_only"], manifest["counts"]["text_lost"]) == (
        no_text.count(True), no_text.count(False))
    assert manifest["coverage"]["text_or_preview"] == round(
        1 - no_text.count(False) / len(expected[0]), 4)
    # The index asked once; every topic the documents name, found through them, once.
    assert topic_pages(asked) == ["/topics", "/topics/conversations-kim-il-sung",
                                  "/topics/korean-war", "/topics/sino-soviet-split"]


def test_a_missing_topic_is_remembered_not_rejected_and_asked_again_by_a_complete_run(
        mirror, expected, tmp_path):
    site, out = copy_of(mirror, tmp_path), tmp_path / "out"
    page = site / "topics" / f"{GONE}.html"
    kept = page.read_bytes()
    page.unlink()
    naming = sum(any(t["slug"] == GONE for t in d["topics"]) for d in expected[0])
    rejected = [r["url"] for r in expected[2]]
    first_page = (site / "search.html").read_text("utf-8")
    shown_again = [u for u in rejected if f'href="{u.removeprefix(PUBLIC)}"' in first_page]
    first, asked = crawl(site, out)
    documents, topics, rejects = published_records(out)
    assert documents == expected[0]
    assert topics == [t for t in expected[1] if t["slug"] != GONE]
    assert [r["url"] for r in rejects] == rejected
    assert (first["counts"]["rejects"], first["counts"]["rejected"]) == (len(rejected),) * 2
    assert first["warnings"] == [f"topic page {PUBLIC}/topics/{GONE} not read: HTTP 404"]
    gone = {"slug": GONE, "url": f"{PUBLIC}/topics/{GONE}", "status": 404,
            "documents": naming, "last_seen": first["missing_topics"][0]["last_seen"]}
    assert first["missing_topics"] == [gone]
    assert topic_pages(asked).count(f"/topics/{GONE}") == 1

    # The index still lists the topic; an incremental run remembers it and does not ask.
    second, asked = crawl(site, out, {"HARVESTER_RECHECK_BUDGET": 0}, incremental=True)
    assert topic_pages(asked) == ["/topics"]
    assert (second["warnings"], second["missing_topics"]) == ([], [gone])
    # Pages rejected before that the listing's first page shows are asked again, as they
    # may have been mended, and rejected again; the missing topic is not among them.
    assert (second["counts"]["rejects"], second["counts"]["rejected"]) == (
        len(rejected), len(shown_again))

    # Back on the site, the index gone: a complete run asks for it again, though no
    # document it fetches names it (they are all unchanged), and forgets it was missing.
    page.write_bytes(kept)
    (site / "topics.html").unlink()
    third, asked = crawl(site, out)
    assert topic_pages(asked) == ["/topics", f"/topics/{GONE}"]
    assert third["counts"]["not_modified"] == len(expected[0])
    assert third["warnings"] == [f"topic index {PUBLIC}/topics not read: HTTP 404"]
    assert third["missing_topics"] == []
    assert published_records(out)[:2] == expected[:2]


def test_topics_a_mega_menu_links_are_not_fetched(mirror, expected, tmp_path):
    site = copy_of(mirror, tmp_path)
    for page in site.rglob("*.html"):
        html = page.read_text("utf-8")
        page.write_text(html.replace("  </header>", MEGA_MENU + "  </header>", 1), "utf-8")
    # A topic page that exists but that no document names and the index does not list.
    shutil.copy(site / "topics" / "korean-war.html", site / "topics" / "menu-only-topic.html")
    assert "menu-only-topic" in (site / "search.html").read_text("utf-8")
    manifest, asked = crawl(site, tmp_path / "out")
    assert topic_pages(asked) == ["/topics", "/topics/conversations-kim-il-sung",
                                  "/topics/korean-war", "/topics/sino-soviet-split"]
    assert not [url for url in asked
                if url.startswith((f"{PUBLIC}/people", f"{PUBLIC}/places"))]
    documents, topics, _ = published_records(tmp_path / "out")
    assert (documents, topics) == expected[:2]
    assert (manifest["warnings"], manifest["missing_topics"]) == ([], [])
